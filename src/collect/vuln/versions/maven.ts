// Maven versions, per the "Version Order Specification" of the POM reference, which Maven's
// ComparableVersion implements:
//  - split into tokens at ".", "-" and at every switch between digits and letters; a switch counts
//    as "-"; an empty token is "0";
//  - the qualifiers alpha, beta and milestone may be written a, b, m when a digit follows at once;
//    cr is rc; ga, final and release are the empty qualifier;
//  - trailing "null" tokens (0, "", ga, final) are dropped, at the end and before every "-";
//  - token order: qualifiers < "-number" < ".number"; numbers by value; qualifiers
//    alpha < beta < milestone < rc < snapshot < "" < sp < any other (case-insensitive, in ASCII order);
//  - the shorter list is padded with "0" after a "." and with "" after a "-".
// A qualifier is ordered the same whether "." or "-" precedes it ("1.foo" = "1-foo", as the POM
// reference says and as Maven 3.9+ does); earlier Maven releases differed on that, and keeping it
// prefix-free is what makes the order transitive.

import { compareAscii, compareDigits, scheme, type Order } from "./types.js";

type Token = { sep: "." | "-"; num: string } | { sep: "." | "-"; qual: string };

const KNOWN = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
const ALIAS: Record<string, string> = { cr: "rc", ga: "", final: "", release: "" };

function qualifier(raw: string, digitFollows: boolean): string {
  if (digitFollows && raw.length === 1) {
    if (raw === "a") return "alpha";
    if (raw === "b") return "beta";
    if (raw === "m") return "milestone";
  }
  return ALIAS[raw] ?? raw;
}

function isNull(t: Token): boolean {
  return "num" in t ? /^0+$/.test(t.num) : t.qual === "";
}

export function parseMaven(v: string): Token[] | undefined {
  const s = v.trim().toLowerCase();
  if (s === "" || /\s/.test(s)) return undefined;
  const raw: { sep: "." | "-"; text: string; digits: boolean; switched: boolean }[] = [];
  let sep: "." | "-" = ".";
  let switched = false;
  let cur = "";
  const flush = () => {
    raw.push({ sep, text: cur === "" ? "0" : cur, digits: cur === "" || /^\d/.test(cur), switched });
    cur = "";
  };
  for (const c of s) {
    if (c === "." || c === "-") {
      flush();
      sep = c;
      switched = false;
      continue;
    }
    const digit = c >= "0" && c <= "9";
    if (cur !== "" && digit !== /^\d/.test(cur)) {
      flush();
      sep = "-";
      switched = true;
    }
    cur += c;
  }
  flush();
  const tokens: Token[] = raw.map((t, i): Token => {
    if (t.digits) return { sep: t.sep, num: t.text };
    const next = raw[i + 1];
    const digitFollows = next !== undefined && next.switched && next.digits;
    return { sep: "-", qual: qualifier(t.text, digitFollows) };
  });
  return trim(tokens);
}

/** Drops null tokens at the end, then those before each "-" token, from the last to the first. */
function trim(tokens: Token[]): Token[] {
  const out = [...tokens];
  while (out.length > 0 && isNull(out[out.length - 1]!)) out.pop();
  for (let i = out.length - 1; i > 0; i--) {
    if (out[i]!.sep !== "-") continue;
    while (i > 0 && isNull(out[i - 1]!)) {
      out.splice(i - 1, 1);
      i--;
    }
  }
  return out;
}

function qualRank(q: string): string {
  const i = KNOWN.indexOf(q);
  return i >= 0 ? String(i) : `${KNOWN.length}-${q}`;
}

/** Rank of a token's kind: qualifiers, then "-number", then ".number". */
function kind(t: Token): number {
  if ("qual" in t) return 0;
  return t.sep === "-" ? 1 : 2;
}

function compareToken(a: Token, b: Token): Order {
  const ka = kind(a);
  const kb = kind(b);
  if (ka !== kb) return ka < kb ? -1 : 1;
  if ("num" in a && "num" in b) return compareDigits(a.num, b.num);
  if ("qual" in a && "qual" in b) return compareAscii(qualRank(a.qual), qualRank(b.qual));
  return 0;
}

/** The padding a missing token takes, given the token it is compared with. */
function pad(other: Token): Token {
  return "num" in other && other.sep === "." ? { sep: ".", num: "0" } : { sep: "-", qual: "" };
}

export function compareParsedMaven(a: Token[], b: Token[]): Order {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    const c = compareToken(x ?? pad(y!), y ?? pad(x!));
    if (c) return c;
  }
  return 0;
}

export const maven = scheme("maven", parseMaven, compareParsedMaven);
