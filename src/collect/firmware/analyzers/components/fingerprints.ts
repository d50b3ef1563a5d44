// Binary fingerprints: the version banners that libraries and daemons compile into themselves
// ("BusyBox v1.36.1", "OpenSSL 1.1.1k  25 Mar 2021", "SSH-2.0-dropbear_2020.81"). Each rule has
// a literal anchor, then a pattern tried on a short window after it. All anchors are found in one
// pass (a single alternation), so a large binary is scanned once, not once per anchor.
// Versions stored as bare strings ("1.2.3") are read only from files that carry a marker of the
// library first (see BARE).
// Only binaries are scanned (see index.ts): documentation that mentions "OpenSSL 1.0" in prose is
// not the library, and the patterns demand the exact banner layout (OpenSSL's release date, the
// "(user@host)" after a kernel version) that prose does not have.

import { latin1 } from "../latin1.js";

export type Role = "application" | "library" | "operating-system";

export interface Hit {
  name: string;
  version: string;
  /** fingerprint, vermagic, kernel-banner, filename, modules-dir */
  method: string;
  confidence: number;
  /** The printable bytes around the match, exactly as found. */
  match: string;
  offset?: number;
  role: Role;
}

interface BannerRule {
  name: string;
  anchors: string[];
  /** Anchored at the anchor; group 1 is the version, group 2 (when named by nameOf) picks the name. */
  pattern: RegExp;
  role: Role;
  confidence: number;
  method?: string;
  nameOf?: (m: RegExpExecArray) => string;
}

const END = "(?=[^0-9.]|$)";
const re = (s: string) => new RegExp(s);

const BANNERS: BannerRule[] = [
  {
    name: "busybox",
    anchors: ["BusyBox v"],
    pattern: re(`^BusyBox v(\\d+\\.\\d+(?:\\.\\d+)?)${END}`),
    role: "application",
    confidence: 0.9,
  },
  {
    name: "openssl",
    anchors: ["OpenSSL "],
    // The release date is part of OPENSSL_VERSION_TEXT: "OpenSSL 1.1.1k  25 Mar 2021".
    pattern: /^OpenSSL (\d+\.\d+\.\d+[a-z]{0,2})(?:-[A-Za-z0-9]+)? {1,2}\d{1,2} [A-Z][a-z]{2} \d{4}/,
    role: "library",
    confidence: 0.9,
  },
  {
    name: "wolfssl",
    anchors: ["wolfSSL "],
    pattern: /^wolfSSL (\d+\.\d+\.\d+)(?=\0|$)/,
    role: "library",
    confidence: 0.8,
  },
  {
    name: "mbedtls",
    anchors: ["mbed TLS ", "Mbed TLS "],
    pattern: re(`^[Mm]bed TLS (\\d+\\.\\d+\\.\\d+)${END}`),
    role: "library",
    confidence: 0.9,
  },
  {
    name: "dropbear",
    anchors: ["dropbear_"],
    pattern: re(`^dropbear_(\\d{4}\\.\\d{2,3}|0\\.\\d{2})${END}`),
    role: "application",
    confidence: 0.9,
  },
  {
    name: "dropbear",
    anchors: ["Dropbear "],
    pattern: re(`^Dropbear [ -~]{0,60}?v(\\d{4}\\.\\d{2,3}|0\\.\\d{2})${END}`),
    role: "application",
    confidence: 0.9,
  },
  // Not the compatibility patterns sshd carries ("OpenSSH_7.4*"): the version must end the word.
  {
    name: "openssh",
    anchors: ["OpenSSH_"],
    pattern: /^OpenSSH_(\d+\.\d+(?:\.\d+)?(?:p\d+)?)(?=[ \0,]|$)/,
    role: "application",
    confidence: 0.9,
  },
  {
    name: "dnsmasq",
    anchors: ["dnsmasq-"],
    pattern: re(`^dnsmasq-(\\d+\\.\\d+(?:\\.\\d+)?(?:(?:rc|test)\\d+)?)${END}`),
    role: "application",
    confidence: 0.8,
  },
  {
    name: "lighttpd",
    anchors: ["lighttpd/"],
    pattern: re(`^lighttpd/(\\d+\\.\\d+\\.\\d+)${END}`),
    role: "application",
    confidence: 0.9,
  },
  {
    name: "miniupnpd",
    anchors: ["MiniUPnPd/"],
    pattern: re(`^MiniUPnPd/(\\d+\\.\\d+(?:\\.\\d+)?)${END}`),
    role: "application",
    confidence: 0.8,
  },
  {
    name: "hostapd",
    anchors: ["hostapd v"],
    pattern: re(`^hostapd v(\\d+\\.\\d+(?:\\.\\d+)?)${END}`),
    role: "application",
    confidence: 0.9,
  },
  {
    name: "wpa_supplicant",
    anchors: ["wpa_supplicant v"],
    pattern: re(`^wpa_supplicant v(\\d+\\.\\d+(?:\\.\\d+)?)${END}`),
    role: "application",
    confidence: 0.9,
  },
  {
    name: "libcurl",
    anchors: ["libcurl/"],
    pattern: re(`^libcurl/(\\d+\\.\\d+\\.\\d+)${END}`),
    role: "library",
    confidence: 0.9,
  },
  // The curl tool's --version line: "curl 7.88.1 (x86_64-pc-linux-gnu) %s".
  {
    name: "curl",
    anchors: ["curl "],
    pattern: /^curl (\d+\.\d+\.\d+) \([A-Za-z0-9_.-]+\)/,
    role: "application",
    confidence: 0.9,
  },
  {
    name: "zlib",
    anchors: ["deflate ", "inflate "],
    pattern: /^(?:de|in)flate (\d+\.\d+(?:\.\d+){0,2})[A-Za-z0-9.-]* Copyright/,
    role: "library",
    confidence: 0.9,
  },
  {
    name: "glibc",
    anchors: ["GNU C Library"],
    pattern: /^GNU C Library [ -~]{0,80}?(?:release|development) version (\d+\.\d+(?:\.\d+)?)/,
    role: "library",
    confidence: 0.9,
  },
  {
    name: "uclibc",
    anchors: ["uClibc"],
    pattern: re(`^uClibc(-ng)? v?(\\d+\\.\\d+\\.\\d+(?:\\.\\d+)?)${END}`),
    role: "library",
    confidence: 0.9,
    nameOf: (m) => (m[1] ? "uclibc-ng" : "uclibc"),
  },
  {
    name: "linux",
    anchors: ["vermagic="],
    pattern: /^vermagic=(\d+\.\d+(?:\.\d+)?)[^\s\0]* /,
    role: "operating-system",
    confidence: 0.9,
    method: "vermagic",
  },
  {
    name: "linux",
    anchors: ["Linux version "],
    // The banner of a kernel image: "Linux version 5.4.55 (builder@buildhost) (gcc ...) #0 SMP ...".
    pattern: /^Linux version (\d+\.\d+(?:\.\d+)?)\S* \([^()\s]+@[^()\s]+\)/,
    role: "operating-system",
    confidence: 0.9,
    method: "kernel-banner",
  },
];

const MAX_HITS_PER_ANCHOR = 256;
const WINDOW = 200;

/** The printable run around a match, up to 200 characters: what a person would grep for. */
function printableAt(buf: Buffer, at: number): string {
  let end = at;
  while (end < buf.length && end - at < WINDOW && buf[end]! >= 0x20 && buf[end]! < 0x7f) end++;
  return buf.toString("latin1", at, end);
}

/** Strings whose mere presence marks a library that stores its version bare (see BARE below). */
const MARKERS = ["musl libc (", "SQLite format 3", "wolfSSL"] as const;
type Marker = (typeof MARKERS)[number];

/**
 * Every anchor of every rule, and the markers, in one alternation: one pass over a binary instead
 * of one per anchor.
 */
const ANCHOR_RE = new RegExp(
  [...new Set([...BANNERS.flatMap((r) => r.anchors), ...MARKERS])]
    .sort((a, b) => b.length - a.length) // "wolfSSL " before its prefix "wolfSSL"
    .map((a) => a.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"))
    .join("|"),
  "g",
);
const IS_MARKER = new Set<string>(MARKERS);
const RULES_BY_ANCHOR = new Map<string, (typeof BANNERS)[number][]>();
for (const rule of BANNERS)
  for (const a of rule.anchors) RULES_BY_ANCHOR.set(a, [...(RULES_BY_ANCHOR.get(a) ?? []), rule]);

/** Banner hits into `hits`; returns the markers seen. */
function scanBanners(buf: Buffer, hits: Hit[]): Set<Marker> {
  // latin1 maps bytes to characters one to one, so string offsets are byte offsets.
  const text = latin1(buf);
  const perAnchor = new Map<string, number>();
  const markers = new Set<Marker>();
  const re = new RegExp(ANCHOR_RE.source, "g");
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const anchor = m[0];
    // "wolfSSL " is both an anchor and (without its space) a marker.
    if (anchor === "wolfSSL " || IS_MARKER.has(anchor)) markers.add(anchor.trimEnd() as Marker);
    if (IS_MARKER.has(anchor)) continue;
    const n = perAnchor.get(anchor) ?? 0;
    if (n >= MAX_HITS_PER_ANCHOR) continue;
    perAnchor.set(anchor, n + 1);
    const at = m.index;
    for (const rule of RULES_BY_ANCHOR.get(anchor) ?? []) {
      const found = rule.pattern.exec(text.slice(at, Math.min(text.length, at + WINDOW)));
      if (!found) continue;
      hits.push({
        name: rule.nameOf ? rule.nameOf(found) : rule.name,
        version: rule.nameOf ? found[2]! : found[1]!,
        method: rule.method ?? "fingerprint",
        confidence: rule.confidence,
        match: printableAt(buf, at),
        offset: at,
        role: rule.role,
      });
    }
  }
  return markers;
}

/**
 * Versions stored as a bare string ("1.2.3\0"), told apart from other numbers by a marker of the
 * library in the same file: musl's "musl libc (" loader banner, SQLite's file-header string and
 * its source id (the version nearest the source id wins), wolfSSL and Samba by their file names.
 */
interface BareRule {
  name: string;
  role: Role;
  confidence: number;
  /** Whether the file is this library, from the markers the banner pass saw and its path. */
  marker: (seen: Set<Marker>, path: string) => boolean;
  /** The whole NUL-terminated string; group 1 is the version. */
  version: RegExp;
  /** When several bare versions are present, take the one nearest this (and report it). */
  near?: RegExp;
}

const BARE: BareRule[] = [
  {
    name: "musl",
    role: "library",
    confidence: 0.8,
    marker: (seen) => seen.has("musl libc ("),
    version: /(\d+\.\d+\.\d+)/,
  },
  {
    name: "sqlite",
    role: "library",
    confidence: 0.8,
    marker: (seen) => seen.has("SQLite format 3"),
    version: /(3\.\d+\.\d+(?:\.\d+)?)/,
    // SQLITE_SOURCE_ID: check-in date and the hash of the check-in (Debian rewrites its tail).
    near: /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [0-9a-f]{36,60}[0-9a-z]{4}/,
  },
  {
    name: "wolfssl",
    role: "library",
    confidence: 0.6,
    marker: (seen, p) => /(^|\/)libwolfssl[^/]*\.so[^/]*$/.test(p) && seen.has("wolfSSL"),
    version: /(\d+\.\d+\.\d+)/,
  },
  {
    name: "samba",
    role: "application",
    confidence: 0.6,
    marker: (_seen, p) => /(^|\/)(smbd|nmbd|libsmbconf\.so[^/]*|libsamba-util\.so[^/]*)$/.test(p),
    // SAMBA_VERSION_STRING, often with a vendor suffix: "4.9.5-Debian".
    version: /(\d\.\d+\.\d+)(?:-[A-Za-z0-9.+~]{1,32})?/,
  },
];

const MAX_BARE_CANDIDATES = 64;

function scanBare(buf: Buffer, path: string, seen: Set<Marker>, hits: Hit[]): void {
  const markers = BARE.filter((r) => r.marker(seen, path));
  if (markers.length === 0) return;
  const text = latin1(buf);
  for (const rule of markers) {
    const found = new Map<string, number>();
    const each = new RegExp(`(?<=\\0)${rule.version.source}(?=\\0)`, "g");
    const whole = new Map<string, string>();
    for (let m = each.exec(text), n = 0; m && n < MAX_BARE_CANDIDATES; m = each.exec(text), n++)
      if (!found.has(m[1]!)) {
        found.set(m[1]!, m.index);
        whole.set(m[1]!, m[0]);
      }
    if (found.size === 0) continue;
    let chosen: [string, number] | undefined;
    let context = "";
    const near = rule.near ? rule.near.exec(text) : null;
    if (rule.near && !near) continue;
    if (near) {
      context = ` near "${near[0]}"`;
      chosen = [...found].sort((a, b) => Math.abs(a[1] - near.index) - Math.abs(b[1] - near.index))[0];
    } else if (found.size === 1) chosen = [...found][0];
    // Several bare versions and nothing to choose by: no version is claimed.
    if (!chosen) continue;
    hits.push({
      name: rule.name,
      version: chosen[0],
      method: "fingerprint",
      confidence: rule.confidence,
      match: `${whole.get(chosen[0])}${context}`,
      offset: chosen[1],
      role: rule.role,
    });
  }
}

/** uClibc names its libraries after the release: libuClibc-1.0.31.so, ld-uClibc-1.0.31.so. */
function scanFileName(path: string, hits: Hit[]): void {
  const m = /(?:^|\/)(?:lib|ld-|ld64-)uClibc-(\d+\.\d+\.\d+(?:\.\d+)?)\.so$/.exec(path);
  if (m)
    hits.push({
      // uClibc-ng took over at 1.0; the last uClibc release was 0.9.33.2.
      name: m[1]!.startsWith("0.") ? "uclibc" : "uclibc-ng",
      version: m[1]!,
      method: "filename",
      confidence: 0.6,
      match: path.slice(path.lastIndexOf("/") + 1),
      role: "library",
    });
}

/** Every component identity one binary carries, one hit per name and version (the first found). */
export function fingerprint(bytes: Uint8Array, path: string): Hit[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hits: Hit[] = [];
  const markers = scanBanners(buf, hits);
  scanBare(buf, path, markers, hits);
  scanFileName(path, hits);
  const seen = new Set<string>();
  return hits.filter((h) => {
    const key = `${h.name}@${h.version}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
