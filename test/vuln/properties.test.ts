// Every comparator is a total preorder on the versions it accepts: antisymmetric, reflexive and
// transitive, and it declines symmetrically. Versions come from a seeded PRNG, so runs repeat.

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { SCHEMES, type Ecosystem } from "../../src/collect/vuln/versions/index.js";

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const int = (n: number) => Math.floor(next() * n);
  const maybe = (p: number) => next() < p;
  return { next, pick, int, maybe };
}

type R = ReturnType<typeof prng>;
const nums = ["0", "1", "2", "3", "10", "01", "00"];
const times = (r: R, n: number, f: () => string, sep = ".") =>
  Array.from({ length: 1 + r.int(n) }, f).join(sep);

const GENERATORS: Record<Ecosystem, (r: R) => string> = {
  semver: (r) => {
    const core = [0, 1, 2].map(() => r.pick(["0", "1", "2", "10"])).join(".");
    const pre = r.maybe(0.5)
      ? "-" + times(r, 3, () => r.pick(["alpha", "beta", "rc", "1", "2", "10", "x-y", "0a"]))
      : "";
    const build = r.maybe(0.2) ? "+" + r.pick(["b1", "001", "exp.sha"]) : "";
    return (r.maybe(0.1) ? "v" : "") + core + pre + build + (r.maybe(0.05) ? ".x" : "");
  },
  pep440: (r) =>
    (r.maybe(0.1) ? "1!" : "") +
    times(r, 3, () => r.pick(["0", "1", "2", "10"])) +
    (r.maybe(0.4)
      ? r.pick(["a", "b", "rc", "alpha", "c", "pre"]) + (r.maybe(0.7) ? r.pick(["0", "1", "2"]) : "")
      : "") +
    (r.maybe(0.3) ? r.pick([".post", "-", ".rev", "post"]) + r.pick(["0", "1", "2"]) : "") +
    (r.maybe(0.3) ? ".dev" + (r.maybe(0.7) ? r.pick(["0", "1"]) : "") : "") +
    (r.maybe(0.2) ? "+" + times(r, 2, () => r.pick(["abc", "1", "2", "x1"])) : ""),
  maven: (r) => {
    const toks = [
      "1",
      "0",
      "2",
      "10",
      "alpha",
      "a",
      "b",
      "m",
      "beta",
      "rc",
      "cr",
      "snapshot",
      "ga",
      "final",
      "sp",
      "foo",
      "release",
      "xyz",
      "",
    ];
    let s = r.pick(["1", "2", "0", "10"]);
    for (let i = r.int(5); i > 0; i--) s += r.pick([".", "-", "", ""]) + r.pick(toks);
    return s;
  },
  debian: (r) =>
    (r.maybe(0.15) ? r.pick(["0", "1", "2"]) + ":" : "") +
    r.pick(["0", "1", "2", "10"]) +
    times(r, 5, () => r.pick(["1", "0", "10", ".", "~", "+", "a", "b", "rc", "~rc", "p1"]), "") +
    (r.maybe(0.5)
      ? "-" + times(r, 3, () => r.pick(["1", "0", "2", "deb9u1", "+", "~bpo", "ubuntu"]), "")
      : ""),
  opkg: (r) =>
    r.pick(["0", "1", "2", "10", "git", "a"]) +
    times(r, 4, () => r.pick(["1", "0", ".", "~", "+", "a", "-x"]), "") +
    (r.maybe(0.5) ? "-" + r.pick(["1", "2", "10"]) : ""),
  rpm: (r) =>
    (r.maybe(0.15) ? r.pick(["0", "1"]) + ":" : "") +
    times(r, 6, () => r.pick(["1", "0", "10", "010", ".", "_", "~", "^", "a", "git", "rc", "b"]), "") +
    (r.maybe(0.5) ? "-" + times(r, 3, () => r.pick(["1", "2", "el7", "el8", ".", "_9", "~"]), "") : ""),
  alpine: (r) =>
    times(r, 3, () => r.pick(nums)) +
    (r.maybe(0.3) ? r.pick(["a", "b", "z"]) : "") +
    (r.maybe(0.4)
      ? times(
          r,
          2,
          () =>
            "_" +
            r.pick(["alpha", "beta", "pre", "rc", "cvs", "svn", "git", "hg", "p"]) +
            r.pick(["", "1", "2", "10"]),
          "",
        )
      : "") +
    (r.maybe(0.4) ? "-r" + r.pick(["0", "1", "2", "10"]) : "") +
    (r.maybe(0.05) ? "-x" : ""),
  generic: (r) =>
    (r.maybe(0.05) ? "v" : "") +
    (r.maybe(0.1)
      ? r.pick(["2021", "2022"]) + "-" + r.pick(["01", "03", "12"]) + "-" + r.pick(["04", "16", "21"])
      : times(r, 3, () => r.pick(["0", "1", "2", "10", "2019", "86"]))) +
    r.pick([
      "",
      "",
      "a",
      "b",
      "k",
      "z",
      "za",
      "p1",
      "p2",
      "rc1",
      "rc",
      "test3",
      "b2",
      "a1",
      "dev1",
      "patch",
    ]) +
    r.pick(["", "", "-rc1", "~beta2", "-1", "-r3", "-fips", "+", "-g12ab", "-rt45", "-1-amd64", ".x"]) +
    (r.maybe(0.03) ? "garbage" : "") +
    (r.maybe(0.03) ? " " : ""),
};

describe("comparator properties", () => {
  for (const eco of Object.keys(GENERATORS) as Ecosystem[]) {
    it(`${eco} is a total preorder on generated versions`, () => {
      const r = prng(0xc0c0 + eco.length * 7919 + eco.charCodeAt(0));
      const s = SCHEMES[eco];
      const pool = [...new Set(Array.from({ length: 160 }, () => GENERATORS[eco](r)))];
      const valid = pool.filter((v) => s.parse(v) !== undefined);
      assert.ok(valid.length >= 100, `${eco}: only ${valid.length} valid versions generated`);
      let checked = 0;
      for (const a of pool) {
        for (const b of pool) {
          const ab = s.compare(a, b);
          const ba = s.compare(b, a);
          if (ab === undefined || ba === undefined) {
            assert.equal(ab, ba, `${eco}: ${a} vs ${b} declines one way only`);
            continue;
          }
          assert.equal(ab, -ba || 0, `${eco}: ${a} vs ${b} is ${ab}, reversed ${ba}`);
          if (a === b) assert.equal(ab, 0, `${eco}: ${a} is not equal to itself`);
          checked++;
        }
      }
      // Valid versions fall into classes that compare among themselves (generic: dates and numbers).
      const classes: string[][] = [];
      for (const v of valid) {
        const home = classes.find((c) => s.compare(c[0]!, v) !== undefined);
        if (home) home.push(v);
        else classes.push([v]);
      }
      for (const c of classes)
        for (const a of c)
          for (const b of classes.flat()) {
            assert.equal(
              s.compare(a, b) !== undefined,
              c.includes(b),
              `${eco}: ${a} vs ${b} breaks the classes`,
            );
          }
      // Sorting then checking every pair finds any cycle a comparator might have.
      for (const c of classes) {
        const sorted = [...c].sort((a, b) => s.compare(a, b)!);
        for (let i = 0; i < sorted.length; i++) {
          for (let j = i + 1; j < sorted.length; j++) {
            const x = s.compare(sorted[i]!, sorted[j]!)!;
            assert.ok(x <= 0, `${eco}: sorted ${sorted[i]} before ${sorted[j]} but compare says ${x}`);
          }
        }
      }
      // And random triples directly.
      const big = classes.reduce((a, b) => (b.length > a.length ? b : a));
      for (let k = 0; k < 3000; k++) {
        const [a, b, c] = [r.pick(big), r.pick(big), r.pick(big)];
        const ab = s.compare(a, b)!;
        const bc = s.compare(b, c)!;
        const ac = s.compare(a, c)!;
        if (ab <= 0 && bc <= 0) assert.ok(ac <= 0, `${eco}: ${a} <= ${b} <= ${c} but ${a} vs ${c} is ${ac}`);
        if (ab === 0) assert.equal(ac, bc, `${eco}: ${a} = ${b} but they differ against ${c}`);
        checked++;
      }
      assert.ok(checked > 5000);
    });
  }
});
