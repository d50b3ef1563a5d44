// PEP 440 (Python packaging) versions: [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local], with the
// normalisations the PEP allows (case, "v" prefix, alpha/beta/c/pre/preview spellings, separators,
// implicit numbers, "-N" post releases). Ordering follows the PEP: epoch, release (trailing zeros
// ignored), then dev < pre < (release) < post, and a local version sorts after its public version,
// its segments compared numerically when both are digits, and letters before digits.

import { compareAscii, compareDigits, scheme, type Order } from "./types.js";

export interface Pep440 {
  epoch: string;
  release: string[];
  pre?: { label: "a" | "b" | "rc"; n: string };
  post?: string;
  dev?: string;
  local?: string[];
}

const RE = new RegExp(
  "^v?" +
    "(?:(\\d+)!)?" +
    "(\\d+(?:\\.\\d+)*)" +
    "(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?(\\d+)?)?" +
    "(?:(?:-(\\d+))|(?:[-_.]?(post|rev|r)[-_.]?(\\d+)?))?" +
    "(?:[-_.]?(dev)[-_.]?(\\d+)?)?" +
    "(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$",
  "i",
);

export function parsePep440(v: string): Pep440 | undefined {
  const m = RE.exec(v.trim());
  if (!m) return undefined;
  const out: Pep440 = { epoch: m[1] ?? "0", release: m[2]!.split(".") };
  if (m[3]) {
    const l = m[3].toLowerCase();
    const label = l === "alpha" || l === "a" ? "a" : l === "beta" || l === "b" ? "b" : "rc";
    out.pre = { label, n: m[4] ?? "0" };
  }
  if (m[5] !== undefined) out.post = m[5];
  else if (m[6]) out.post = m[7] ?? "0";
  if (m[8]) out.dev = m[9] ?? "0";
  if (m[10]) out.local = m[10].toLowerCase().split(/[-_.]/);
  return out;
}

function compareRelease(a: string[], b: string[]): Order {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareDigits(a[i] ?? "0", b[i] ?? "0");
    if (c) return c;
  }
  return 0;
}

const PRE_RANK = { a: 0, b: 1, rc: 2 } as const;

/** The pre-release phase as a sortable pair: dev-only releases first, then a/b/rc, then none. */
function preKey(v: Pep440): [number, string] {
  if (v.pre) return [PRE_RANK[v.pre.label], v.pre.n];
  // 1.0.dev0 sorts before 1.0a0; 1.0.post1.dev0 does not (it has a post segment).
  if (v.dev !== undefined && v.post === undefined) return [-1, "0"];
  return [3, "0"];
}

function compareLocal(a: string[] | undefined, b: string[] | undefined): Order {
  if (!a || !b) return a ? 1 : b ? -1 : 0;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    const c = xn && yn ? compareDigits(x, y) : xn ? 1 : yn ? -1 : compareAscii(x, y);
    if (c) return c;
  }
  return 0;
}

export function compareParsedPep440(a: Pep440, b: Pep440): Order {
  const e = compareDigits(a.epoch, b.epoch) || compareRelease(a.release, b.release);
  if (e) return e;
  const [ap, an] = preKey(a);
  const [bp, bn] = preKey(b);
  if (ap !== bp) return ap < bp ? -1 : 1;
  const pn = compareDigits(an, bn);
  if (pn) return pn;
  // No post release sorts first; no dev release sorts last.
  if (a.post !== b.post) {
    if (a.post === undefined) return -1;
    if (b.post === undefined) return 1;
    const c = compareDigits(a.post, b.post);
    if (c) return c;
  }
  if (a.dev !== b.dev) {
    if (a.dev === undefined) return 1;
    if (b.dev === undefined) return -1;
    const c = compareDigits(a.dev, b.dev);
    if (c) return c;
  }
  return compareLocal(a.local, b.local);
}

export const pep440 = scheme("pep440", parsePep440, compareParsedPep440);
