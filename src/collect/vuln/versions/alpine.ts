// Alpine apk versions: N(.N)*[letter](_suffix[N])*[-rN], suffixes _alpha _beta _pre _rc (before the
// release) and _cvs _svn _git _hg _p (after it), compared token by token as apk-tools does: when the
// two differ in the kind of token at some point, a pre-release suffix loses, and otherwise the
// version whose next token is a digit > letter > suffix > suffix number > revision > end wins
// ("1.0.1" > "1.0a" > "1.0_p1" > "1.0-r1" > "1.0" > "1.0_rc1").
// Number components after the first that start with "0" compare as decimal fractions (trailing
// zeros ignored), as Gentoo and apk-tools 3 do: "1.01" < "1.1", "1.010" = "1.01".
// The "~hash" commit form of apk-tools 2.12+ is not accepted (cannot compare).

import { compareAscii, compareDigits, scheme, type Order } from "./types.js";

const SUFFIXES = ["alpha", "beta", "pre", "rc", "cvs", "svn", "git", "hg", "p"] as const;
const PRE = 4; // the first four are pre-release suffixes

type Tok =
  | { t: "digit"; v: string; first: boolean }
  | { t: "letter"; v: string }
  | { t: "suffix"; v: number }
  | { t: "suffixNo"; v: string }
  | { t: "revision"; v: string };

/** Order of token kinds when versions diverge: a lower rank is the greater version. */
const RANK = { digit: 1, letter: 2, suffix: 3, suffixNo: 4, revision: 5, end: 6 } as const;

const RE = /^(\d+(?:\.\d+)*)([a-z])?((?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)\d*)*)(?:-r(\d+))?$/;

export function parseAlpine(v: string): Tok[] | undefined {
  const m = RE.exec(v.trim());
  if (!m) return undefined;
  const toks: Tok[] = m[1]!.split(".").map((d, i) => ({ t: "digit", v: d, first: i === 0 }));
  if (m[2]) toks.push({ t: "letter", v: m[2] });
  for (const s of m[3]!.split("_").slice(1)) {
    const sm = /^([a-z]+)(\d*)$/.exec(s)!;
    toks.push({ t: "suffix", v: SUFFIXES.indexOf(sm[1] as (typeof SUFFIXES)[number]) });
    if (sm[2]) toks.push({ t: "suffixNo", v: sm[2] });
  }
  if (m[4] !== undefined) toks.push({ t: "revision", v: m[4] });
  return toks;
}

function compareDigitToken(a: Tok & { t: "digit" }, b: Tok & { t: "digit" }): Order {
  if (!a.first && !b.first && (a.v.startsWith("0") || b.v.startsWith("0"))) {
    return compareAscii(a.v.replace(/0+$/, ""), b.v.replace(/0+$/, ""));
  }
  return compareDigits(a.v, b.v);
}

function compareSame(a: Tok, b: Tok): Order {
  switch (a.t) {
    case "digit":
      return compareDigitToken(a, b as Tok & { t: "digit" });
    case "letter":
      return compareAscii(a.v, (b as Tok & { t: "letter" }).v);
    case "suffix": {
      const x = a.v;
      const y = (b as Tok & { t: "suffix" }).v;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    default:
      return compareDigits(a.v, (b as Tok & { t: "suffixNo" | "revision" }).v);
  }
}

export function compareParsedAlpine(a: Tok[], b: Tok[]): Order {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x && y && x.t === y.t) {
      const c = compareSame(x, y);
      if (c) return c;
      continue;
    }
    // The kinds differ (or one version ended).
    if (x?.t === "suffix" && x.v < PRE) return -1;
    if (y?.t === "suffix" && y.v < PRE) return 1;
    const rx = RANK[x?.t ?? "end"];
    const ry = RANK[y?.t ?? "end"];
    return rx < ry ? 1 : rx > ry ? -1 : 0;
  }
  return 0;
}

export const alpine = scheme("alpine", parseAlpine, compareParsedAlpine);
