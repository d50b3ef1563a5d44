// Package databases: opkg (OpenWrt) and dpkg (Debian and distroless images) keep one
// RFC 822-style stanza per package; the file lists (<pkg>.list) say which files a package owns,
// so a version banner found in an owned binary corroborates the package instead of duplicating it.
// RPM databases (Berkeley DB, ndb or SQLite) are detected and reported, not read.
import type { ComponentData } from "../../../../evidence/firmware.js";
import { cpeFor, productOfPackage, purlOf, upstreamVersion } from "./identifiers.js";

export const MAX_DB_BYTES = 32 * 1024 * 1024;
const MAX_STANZAS = 100_000;
const MAX_FIELD = 64 * 1024;
// Debian policy names (lowercase, digits, + - .); opkg allows the same plus "_" in practice.
const NAME = /^[A-Za-z0-9][A-Za-z0-9+._-]{0,127}$/;
const VERSION = /^[A-Za-z0-9.+~:_-]{1,128}$/;
const ARCH = /^[A-Za-z0-9._-]{1,64}$/;

export const OPKG_STATUS = /^\/(usr\/lib|var\/lib)\/opkg\/status$/;
export const OPKG_CONTROL = /^\/(usr\/lib|var\/lib)\/opkg\/info\/[^/]+\.control$/;
export const DPKG_STATUS = /^\/var\/lib\/dpkg\/status$/;
export const DPKG_STATUS_D = /^\/var\/lib\/dpkg\/status\.d\/[^/]+$/;
export const PACKAGE_LIST = /^\/(usr\/lib\/opkg|var\/lib\/opkg|var\/lib\/dpkg)\/info\/[^/]+\.list$/;
export const RPM_DB = /^\/(var\/lib\/rpm|usr\/lib\/sysimage\/rpm)\/(Packages|Packages\.db|rpmdb\.sqlite)$/;

export interface Stanza {
  fields: Map<string, string>;
  /** 1-based line where the stanza starts, for the evidence location. */
  line: number;
}

/** Split a control file into stanzas; continuation lines (leading space) join the field before. */
export function parseStanzas(text: string, problems: string[]): Stanza[] {
  const out: Stanza[] = [];
  let cur: Stanza | undefined;
  let last: string | undefined;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, "");
    if (line.trim() === "") {
      cur = undefined;
      last = undefined;
      continue;
    }
    if (/^[ \t]/.test(line)) {
      // Only the first line of a description matters here; long continuations are cut.
      if (cur && last) {
        const prev = cur.fields.get(last)!;
        if (prev.length < MAX_FIELD) cur.fields.set(last, `${prev}\n${line.trim()}`.slice(0, MAX_FIELD));
      }
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) {
      if (problems.length < 20) problems.push(`line ${i + 1}: not a "Field: value" line`);
      continue;
    }
    if (!cur) {
      if (out.length >= MAX_STANZAS) {
        problems.push(`more than ${MAX_STANZAS} packages; the rest are not read`);
        break;
      }
      cur = { fields: new Map(), line: i + 1 };
      out.push(cur);
    }
    last = line.slice(0, colon).trim().toLowerCase();
    cur.fields.set(
      last,
      line
        .slice(colon + 1)
        .trim()
        .slice(0, MAX_FIELD),
    );
  }
  return out;
}

export interface PackageRecord {
  manager: "opkg" | "dpkg";
  name: string;
  version: string;
  arch?: string;
  source?: string;
  maintainer?: string;
  license?: string;
  /** "<db path>:<line>" */
  where: string;
}

/** Installed packages of a stanza list; removed ones ("deinstall ok config-files") are skipped. */
export function packagesOf(
  manager: "opkg" | "dpkg",
  stanzas: Stanza[],
  path: string,
  problems: string[],
): PackageRecord[] {
  const out: PackageRecord[] = [];
  for (const s of stanzas) {
    const name = s.fields.get("package");
    const version = s.fields.get("version");
    const status = s.fields.get("status");
    if (status !== undefined && !/(^|\s)installed$/.test(status)) continue;
    if (!name || !NAME.test(name) || !version || !VERSION.test(version)) {
      if (problems.length < 20)
        problems.push(
          `line ${s.line}: package ${JSON.stringify((name ?? "").slice(0, 64))} has no valid name or version; skipped`,
        );
      continue;
    }
    const arch = s.fields.get("architecture");
    // Debian writes "Source: openssl (3.0.11-1)" when the source version differs; OpenWrt's
    // Source is a path in its tree ("package/utils/busybox") and SourceName the name.
    const sourceField = manager === "opkg" ? s.fields.get("sourcename") : s.fields.get("source");
    const source = /^([A-Za-z0-9][A-Za-z0-9+._-]*)(?:\s|$)/.exec(sourceField ?? "")?.[1];
    out.push({
      manager,
      name,
      version,
      arch: arch && ARCH.test(arch) ? arch : undefined,
      source,
      maintainer: s.fields.get("maintainer")?.split("\n")[0]?.slice(0, 256),
      license: s.fields.get("license")?.split("\n")[0]?.slice(0, 256),
      where: `${path}:${s.line}`,
    });
  }
  return out;
}

export function componentOfPackage(p: PackageRecord, debNamespace: string): ComponentData {
  const { product, upstream } = identityOfPackage(p);
  const purl =
    p.manager === "opkg"
      ? purlOf("opk", "openwrt", p.name, p.version, { arch: p.arch })
      : purlOf("deb", debNamespace, p.name, p.version, { arch: p.arch });
  const licenses = p.license?.split(/[\s,]+/).filter((l) => l !== "" && l.length <= 64);
  return {
    name: p.name,
    version: p.version,
    purl,
    cpe: product ? cpeFor(product, upstream) : undefined,
    method: p.manager,
    match: `Package: ${p.name} / Version: ${p.version}`,
    supplier: p.maintainer,
    licenses: licenses?.length ? licenses : undefined,
    confidence: 1,
    role: product === "linux" ? "operating-system" : /^lib/.test(p.name) ? "library" : "application",
  };
}

/** The product and upstream version a package stands for, to compare with a fingerprint. */
export function identityOfPackage(p: PackageRecord): { product?: string; upstream: string } {
  const product = productOfPackage(p.name, p.source);
  const upstream =
    product === "linux" ? (/^\d+\.\d+(?:\.\d+)?/.exec(p.version)?.[0] ?? "") : upstreamVersion(p.version);
  return { product, upstream };
}

/** The owning package of a .list file: "busybox.list", "libc6:amd64.list" -> busybox, libc6 (amd64). */
export function packageOfList(path: string): { pkg: string; arch?: string } {
  const [pkg, arch] = path
    .slice(path.lastIndexOf("/") + 1)
    .replace(/\.list$/, "")
    .split(":", 2);
  return { pkg: pkg!, arch };
}
