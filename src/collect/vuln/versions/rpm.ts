// RPM version ordering: [epoch:]version[-release], epoch as a number (missing = 0), then version and
// release with rpmvercmp: separators (anything but letters, digits, "~" and "^") only split; "~" sorts
// before everything including the end (pre-releases), "^" sorts after the end but before anything
// else (post-release snapshots); digit runs compare as numbers and beat letter runs; letter runs
// compare in ASCII order; when one side runs out, the longer wins.
// A missing release sorts before any release ("1.0" < "1.0-1"): rpm itself ignores a missing release
// when matching a dependency, but that is not an order (it would make "1.0-1" = "1.0" = "1.0-2").

import { compareAscii, compareDigits, scheme, type Order } from "./types.js";

export interface RpmVersion {
  epoch: string;
  version: string;
  release?: string;
}

const PART = /^[A-Za-z0-9._+~^]+$/;

export function parseRpm(v: string): RpmVersion | undefined {
  const s = v.trim();
  let epoch = "0";
  let rest = s;
  const colon = s.indexOf(":");
  if (colon >= 0) {
    epoch = s.slice(0, colon);
    if (!/^\d+$/.test(epoch)) return undefined;
    rest = s.slice(colon + 1);
  }
  const dash = rest.lastIndexOf("-");
  const version = dash >= 0 ? rest.slice(0, dash) : rest;
  const release = dash >= 0 ? rest.slice(dash + 1) : undefined;
  if (!PART.test(version) || (release !== undefined && !PART.test(release))) return undefined;
  return release === undefined ? { epoch, version } : { epoch, version, release };
}

/** rpmvercmp, written as a walk over segments. */
export function rpmvercmp(a: string, b: string): Order {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  const sep = (c: string | undefined) => c !== undefined && !/[A-Za-z0-9~^]/.test(c);
  for (;;) {
    while (sep(a[i])) i++;
    while (sep(b[j])) j++;
    const ca = a[i];
    const cb = b[j];
    if (ca === "~" || cb === "~") {
      if (ca !== "~") return 1;
      if (cb !== "~") return -1;
      i++;
      j++;
      continue;
    }
    if (ca === "^" || cb === "^") {
      if (ca === undefined) return -1;
      if (cb === undefined) return 1;
      if (ca !== "^") return 1;
      if (cb !== "^") return -1;
      i++;
      j++;
      continue;
    }
    if (ca === undefined || cb === undefined) break;
    const digits = /\d/.test(ca);
    const re = digits ? /\d/ : /[A-Za-z]/;
    let sa = "";
    let sb = "";
    while (i < a.length && re.test(a[i]!)) sa += a[i++];
    while (j < b.length && re.test(b[j]!)) sb += b[j++];
    // b's segment is of the other kind: numbers are newer than letters.
    if (sb === "") return digits ? 1 : -1;
    const c = digits ? compareDigits(sa, sb) : compareAscii(sa, sb);
    if (c) return c;
  }
  if (a[i] === undefined && b[j] === undefined) return 0;
  return a[i] === undefined ? -1 : 1;
}

export function compareParsedRpm(a: RpmVersion, b: RpmVersion): Order {
  const c = compareDigits(a.epoch, b.epoch) || rpmvercmp(a.version, b.version);
  if (c) return c;
  if (a.release === undefined || b.release === undefined) {
    return a.release === b.release ? 0 : a.release === undefined ? -1 : 1;
  }
  return rpmvercmp(a.release, b.release);
}

export const rpm = scheme("rpm", parseRpm, compareParsedRpm);
