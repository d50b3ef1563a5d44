// dpkg version ordering (deb-version(7)): [epoch:]upstream[-revision]. The epoch compares as a
// number; upstream and revision compare with dpkg's verrevcmp: alternating non-digit and digit runs,
// non-digits character by character with "~" before everything (even the end), then the end, then
// letters, then other characters; digit runs as numbers. A missing revision is "0"'s equal.
// opkg (OpenWrt) uses the same algorithm (libopkg's verrevcmp); its parse is lenient about an
// upstream version that does not start with a digit, which dpkg only tolerates with a warning.

import { compareDigits, scheme, type Order } from "./types.js";

export interface DebVersion {
  epoch: string;
  upstream: string;
  revision: string;
}

function parseWith(requireDigit: boolean) {
  return (v: string): DebVersion | undefined => {
    const s = v.trim();
    if (s === "" || /\s/.test(s)) return undefined;
    let epoch = "0";
    let rest = s;
    const colon = s.indexOf(":");
    if (colon >= 0) {
      epoch = s.slice(0, colon);
      if (!/^\d+$/.test(epoch)) return undefined;
      rest = s.slice(colon + 1);
    }
    let upstream = rest;
    let revision = "";
    const dash = rest.lastIndexOf("-");
    if (dash >= 0) {
      upstream = rest.slice(0, dash);
      revision = rest.slice(dash + 1);
      if (!/^[A-Za-z0-9+.~]+$/.test(revision)) return undefined;
    }
    if (upstream === "") return undefined;
    if (requireDigit && !/^\d/.test(upstream)) return undefined;
    const allowed = `A-Za-z0-9.+~${dash >= 0 ? "\\-" : ""}${colon >= 0 ? ":" : ""}`;
    if (!new RegExp(`^[${allowed}]+$`).test(upstream)) return undefined;
    return { epoch, upstream, revision };
  };
}

/** dpkg's character weight for the non-digit parts; the end of the string weighs 0. */
function order(c: string | undefined): number {
  if (c === undefined) return 0;
  if (c === "~") return -1;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}

/** dpkg's verrevcmp. */
export function verrevcmp(a: string, b: string): Order {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const ac = i < a.length && !isDigit(a[i]) ? order(a[i]) : 0;
      const bc = j < b.length && !isDigit(b[j]) ? order(b[j]) : 0;
      if (ac !== bc) return ac < bc ? -1 : 1;
      if (i < a.length && !isDigit(a[i])) i++;
      if (j < b.length && !isDigit(b[j])) j++;
    }
    let da = "";
    let db = "";
    while (i < a.length && isDigit(a[i])) da += a[i++];
    while (j < b.length && isDigit(b[j])) db += b[j++];
    const c = compareDigits(da || "0", db || "0");
    if (c) return c;
  }
  return 0;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

export function compareParsedDeb(a: DebVersion, b: DebVersion): Order {
  return (
    compareDigits(a.epoch, b.epoch) || verrevcmp(a.upstream, b.upstream) || verrevcmp(a.revision, b.revision)
  );
}

export const parseDebian = parseWith(true);
export const parseOpkg = parseWith(false);
export const debian = scheme("debian", parseDebian, compareParsedDeb);
export const opkg = scheme("opkg", parseOpkg, compareParsedDeb);
