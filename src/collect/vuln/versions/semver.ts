// SemVer 2.0.0 precedence as npm's `semver` applies it (strict mode): an optional leading "v", no
// leading zeros, prerelease identifiers compared numerically when all digits and in ASCII order
// otherwise (numeric < alphanumeric), fewer identifiers first when all else is equal, build metadata
// ignored. Numbers of any length are compared exactly. Also used for Go modules and crates.

import { compareAscii, compareDigits, scheme, type Order } from "./types.js";

export interface SemVer {
  major: string;
  minor: string;
  patch: string;
  prerelease: string[];
  build: string[];
}

const NUM = "0|[1-9]\\d*";
const PRE_ID = `(?:${NUM}|\\d*[A-Za-z-][0-9A-Za-z-]*)`;
const BUILD_ID = "[0-9A-Za-z-]+";
const RE = new RegExp(
  `^v?(${NUM})\\.(${NUM})\\.(${NUM})` +
    `(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?` +
    `(?:\\+(${BUILD_ID}(?:\\.${BUILD_ID})*))?$`,
);

export function parseSemver(v: string): SemVer | undefined {
  const m = RE.exec(v.trim());
  if (!m) return undefined;
  return {
    major: m[1]!,
    minor: m[2]!,
    patch: m[3]!,
    prerelease: m[4] ? m[4].split(".") : [],
    build: m[5] ? m[5].split(".") : [],
  };
}

function compareIdentifier(a: string, b: string): Order {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return compareDigits(a, b);
  if (an) return -1;
  if (bn) return 1;
  return compareAscii(a, b);
}

export function compareParsedSemver(a: SemVer, b: SemVer): Order {
  const main =
    compareDigits(a.major, b.major) || compareDigits(a.minor, b.minor) || compareDigits(a.patch, b.patch);
  if (main) return main;
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    // A release outranks its prereleases.
    return a.prerelease.length === b.prerelease.length ? 0 : a.prerelease.length === 0 ? 1 : -1;
  }
  const n = Math.max(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < n; i++) {
    const x = a.prerelease[i];
    const y = b.prerelease[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const c = compareIdentifier(x, y);
    if (c) return c;
  }
  return 0;
}

export const semver = scheme("semver", parseSemver, compareParsedSemver);
