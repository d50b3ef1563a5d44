// The generic order for upstream versions of embedded software, where no package manager defines one
// (the versions NVD's CPE ranges use). A version is:
//
//   [v] N(.N)*  [attached suffix]  [separator and more]
//
// - N(.N)*: numbers, compared as numbers, missing components are 0 ("1.0" = "1.0.0").
// - attached suffix, letters (and digits) right after the last number:
//   - a pre-release word (dev < alpha/a < beta/b < pre/preview < test < rc), e.g. "2.86test3",
//     "1.0rc1", "1.0b2": before the release ("2.86test3" < "2.86rc1" < "2.86"). A bare "a" or "b" with
//     no number is a letter release, not alpha/beta (OpenSSL "0.9.8a").
//   - "p", "pl", "patch" or "post" with a number: a patch release after it (OpenSSH "9.3p2").
//   - other letters: a letter release after it, in alphabetical order (OpenSSL 1.0.2 < 1.0.2k < 1.0.2zh).
//   Order of the kinds: pre-release < none < letter release < patch release.
// - after a separator ("-", "+", "_", "~", "."):
//   - a pre-release word alone ("1.0-rc1", "5.4-rc3", "1.0~beta2") as above, when there was none;
//   - at the very end, "-" and a number ("1.24.1-1") or "-r" and a number ("-r3"): a package
//     revision, compared after everything else, and a version without one sorts first;
//   - anything else is a build or vendor tag and is ignored, with all that follows it: "-fips",
//     "-rt45", "-g1234abcd", "+" (kernel local versions), so "4.14.180-rt45" = "4.14.180".
// A date "YYYY-MM-DD" at the start counts as the numbers YYYY.MM.DD (OpenWrt's snapshot packages:
// "2021-03-21-15346de8" = 2021.03.21, the commit hash ignored). Dates compare only with dates: a
// snapshot of 2022-01-16 says nothing about where it stands against release 2.10.
// A version that does not start with a digit (after an optional "v") cannot be compared.

import { compareAscii, compareDigits, scheme, type Order } from "./types.js";

export interface GenericVersion {
  numbers: string[];
  /** Numbers from a "YYYY-MM-DD" snapshot date: comparable only with other dates. */
  date?: boolean;
  /** -1 pre-release, 0 none, 1 letter release, 2 patch release. */
  phase: -1 | 0 | 1 | 2;
  /** Pre-release rank, or the letters of a letter release. */
  label: string;
  /** The number after the label ("" when none). */
  n: string;
  revision?: string;
  /** What was ignored, for explanations. */
  ignored?: string;
}

const PRE_RANK: Record<string, string> = {
  dev: "0",
  alpha: "1",
  a: "1",
  beta: "2",
  b: "2",
  pre: "3",
  preview: "3",
  test: "4",
  rc: "5",
};
const POST = new Set(["p", "pl", "patch", "post"]);

export function parseGeneric(v: string): GenericVersion | undefined {
  const s = v.trim();
  const date = /^(\d{4})-(\d{2})-(\d{2})(?=$|[-+_~.])(.*)$/.exec(s);
  const m = date ? null : /^[vV]?(\d+(?:\.\d+)*)(.*)$/.exec(s);
  if (!date && !m) return undefined;
  const numbers = date ? [date[1]!, date[2]!, date[3]!] : m![1]!.split(".");
  let rest = date ? date[4]! : m![2]!;
  const out: GenericVersion = { numbers, phase: 0, label: "", n: "" };
  if (date) out.date = true;
  const attached = /^([A-Za-z]+)(\d*)/.exec(rest);
  if (attached) {
    const word = attached[1]!.toLowerCase();
    const num = attached[2]!;
    const bareAB = (word === "a" || word === "b") && num === "";
    if (PRE_RANK[word] !== undefined && !bareAB) {
      out.phase = -1;
      out.label = PRE_RANK[word];
      out.n = num;
    } else if (POST.has(word) && num !== "") {
      out.phase = 2;
      out.n = num;
    } else {
      out.phase = 1;
      out.label = word;
      out.n = num;
    }
    rest = rest.slice(attached[0].length);
  }
  while (rest !== "") {
    const seg = /^[-+_~.]([A-Za-z0-9]*)/.exec(rest);
    const word = seg?.[1]?.toLowerCase();
    const after = seg ? rest.slice(seg[0].length) : rest;
    const ends = after === "" || /^[-+_~.]/.test(after);
    const pre = word !== undefined && ends ? /^([a-z]+)(\d*)$/.exec(word) : null;
    if (pre && out.phase === 0 && out.revision === undefined && PRE_RANK[pre[1]!] !== undefined) {
      out.phase = -1;
      out.label = PRE_RANK[pre[1]!]!;
      out.n = pre[2]!;
      rest = after;
      continue;
    }
    const rev = word !== undefined && after === "" && rest.startsWith("-") ? /^r?(\d+)$/.exec(word) : null;
    if (rev && out.revision === undefined) {
      out.revision = rev[1]!;
      rest = after;
      continue;
    }
    out.ignored = rest;
    break;
  }
  return out;
}

function compareNumbers(a: string[], b: string[]): Order {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareDigits(a[i] ?? "0", b[i] ?? "0");
    if (c) return c;
  }
  return 0;
}

export function compareParsedGeneric(a: GenericVersion, b: GenericVersion): Order | undefined {
  if (Boolean(a.date) !== Boolean(b.date)) return undefined;
  const c = compareNumbers(a.numbers, b.numbers);
  if (c) return c;
  if (a.phase !== b.phase) return a.phase < b.phase ? -1 : 1;
  const l = compareAscii(a.label, b.label);
  if (l) return l;
  const n = compareDigits(a.n || "0", b.n || "0") || (a.n === b.n ? 0 : a.n === "" ? -1 : b.n === "" ? 1 : 0);
  if (n) return n;
  if (a.revision === undefined || b.revision === undefined) {
    return a.revision === b.revision ? 0 : a.revision === undefined ? -1 : 1;
  }
  return compareDigits(a.revision, b.revision);
}

export const generic = scheme("generic", parseGeneric, compareParsedGeneric);
