// From a component found in firmware to the identifiers vulnerability records use: CPE names for
// NVD, purls and names for OSV, and the version to compare, with the packaging taken off and a
// reason for every change.

import type { ComponentData } from "../../evidence/firmware.js";
import { findAlias, type Alias } from "./aliases.js";
import { ANY, CpeError, formatCpe23, makeWfn, quoteValue, tryParseCpe } from "./cpe.js";
import { parseGeneric } from "./versions/generic.js";
import { parseOpkg } from "./versions/debian.js";
import { parseRpm } from "./versions/rpm.js";
import { ecosystemForMethod, ecosystemForPurlType, type Ecosystem } from "./versions/index.js";

// ---------------------------------------------------------------------------------------------
// purl

export interface Purl {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
  qualifiers: Record<string, string>;
  subpath?: string;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Parses a package URL ("pkg:type/namespace/name@version?qualifiers#subpath"); undefined if malformed. */
export function parsePurl(s: string): Purl | undefined {
  const m = /^pkg:\/*([A-Za-z.+-][A-Za-z0-9.+-]*)\/(.+)$/.exec(s.trim());
  if (!m) return undefined;
  let rest = m[2]!;
  let subpath: string | undefined;
  const hash = rest.indexOf("#");
  if (hash >= 0) {
    subpath = decode(rest.slice(hash + 1));
    rest = rest.slice(0, hash);
  }
  const qualifiers: Record<string, string> = {};
  const q = rest.indexOf("?");
  if (q >= 0) {
    for (const kv of rest.slice(q + 1).split("&")) {
      const eq = kv.indexOf("=");
      if (eq > 0) qualifiers[kv.slice(0, eq).toLowerCase()] = decode(kv.slice(eq + 1));
    }
    rest = rest.slice(0, q);
  }
  let version: string | undefined;
  const at = rest.lastIndexOf("@");
  if (at > rest.lastIndexOf("/")) {
    version = decode(rest.slice(at + 1));
    rest = rest.slice(0, at);
  }
  const segs = rest
    .split("/")
    .filter((x) => x !== "")
    .map(decode);
  const name = segs.pop();
  if (!name) return undefined;
  const out: Purl = { type: m[1]!.toLowerCase(), name, qualifiers };
  if (segs.length) out.namespace = segs.join("/");
  if (version !== undefined) out.version = version;
  if (subpath !== undefined) out.subpath = subpath;
  return out;
}

function enc(s: string): string {
  return encodeURIComponent(s).replace(/%3A/gi, ":");
}

// ---------------------------------------------------------------------------------------------
// identity

export interface Identity {
  /** The canonical name (the alias row's name, or the component name in lower case). */
  name: string;
  /** Whether the alias table knows the component. */
  known: boolean;
  /** Every name it answers to, lower case: canonical, package and source-package names. */
  names: string[];
  /** CPE 2.3 names, the version set to versionForMatching. */
  cpes: string[];
  purls: string[];
  /** The upstream version, packaging stripped: what NVD ranges are written in. */
  versionForMatching: string;
  /** The ordering for versionForMatching. */
  ecosystem: Ecosystem;
  /** The package manager's own version and ordering, when a package manager identified it. */
  native?: { ecosystem: Ecosystem; version: string; purl?: Purl };
  /** How the version and names were derived. */
  reason: string;
}

const LANGUAGE: ReadonlySet<Ecosystem> = new Set(["semver", "pep440", "maven"]);

/** Strips epoch, package revision and repack suffixes a package manager adds. */
function stripPackaging(
  version: string,
  native: Ecosystem | undefined,
  how: string,
  reasons: string[],
): string {
  if (native === "debian" || native === "opkg") {
    const d = parseOpkg(version);
    if (!d) {
      reasons.push(`${how} version ${version} is not a valid ${native} version; kept as is`);
      return version;
    }
    if (version.includes(":")) reasons.push(`epoch ${d.epoch}: dropped`);
    if (d.revision !== "") reasons.push(`${how} package revision -${d.revision} stripped`);
    let up = d.upstream;
    const repack = /[.+~](?:dfsg|ds|repack)\d*$/i.exec(up);
    if (repack) {
      up = up.slice(0, repack.index);
      reasons.push(`repack suffix ${repack[0]} stripped`);
    }
    return up;
  }
  if (native === "rpm") {
    const r = parseRpm(version);
    if (!r) {
      reasons.push(`${how} version ${version} is not a valid rpm version; kept as is`);
      return version;
    }
    if (version.includes(":")) reasons.push(`epoch ${r.epoch}: dropped`);
    if (r.release !== undefined) reasons.push(`${how} release -${r.release} stripped`);
    return r.version;
  }
  if (native === "alpine") {
    const m = /-r(\d+)$/.exec(version);
    if (m) {
      reasons.push(`${how} package revision -r${m[1]} stripped`);
      return version.slice(0, m.index);
    }
    return version;
  }
  // No package manager: a trailing "-1" or "-r3" is still a package revision (opkg style).
  const g = parseGeneric(version);
  if (g?.revision !== undefined && g.ignored === undefined) {
    const m = /-r?\d+$/.exec(version)!;
    reasons.push(`package revision ${m[0]} stripped`);
    return version.slice(0, m.index);
  }
  return version;
}

/** Vendor and build tags upstream never released: kernel local versions, "-fips". */
function stripTags(version: string, alias: Alias | undefined, reasons: string[]): string {
  if (alias?.quirk === "kernel") {
    const m = /^v?(\d+(?:\.\d+)*)(-rc\d+)?/.exec(version);
    if (m && m[0].length < version.length) {
      reasons.push(`kernel local version ${version.slice(m[0].length)} ignored`);
      return m[0];
    }
    return version;
  }
  const g = parseGeneric(version);
  if (g?.ignored && /^[-+~_][A-Za-z]*$/.test(g.ignored)) {
    reasons.push(`build tag ${g.ignored} ignored`);
    return version.slice(0, version.length - g.ignored.length);
  }
  return version;
}

/** The CPE version and update for a version: OpenSSH's "9.3p2" is version 9.3, update p2 in NVD. */
function cpeVersionParts(version: string, alias: Alias | undefined): { version: string; update?: string } {
  if (alias?.quirk === "openssh") {
    const m = /^(\d+(?:\.\d+)*)(p\d+)$/.exec(version);
    if (m) return { version: m[1]!, update: m[2]! };
  }
  return { version };
}

function withVersion(
  cpe: string,
  version: string,
  alias: Alias | undefined,
  reasons: string[],
): string | undefined {
  const w = tryParseCpe(cpe);
  if (!w) {
    reasons.push(`component cpe ${cpe} is not a valid CPE; not used`);
    return undefined;
  }
  const parts = cpeVersionParts(version, alias);
  try {
    const v = quoteValue(parts.version);
    if (w.version !== ANY && w.version !== v) {
      reasons.push(`component cpe version ${w.version.replace(/\\(.)/g, "$1")} replaced by ${parts.version}`);
    }
    w.version = v;
    if (parts.update) w.update = quoteValue(parts.update);
  } catch (e) {
    if (e instanceof CpeError) return undefined;
    throw e;
  }
  return formatCpe23(w);
}

export function identify(component: ComponentData): Identity {
  const reasons: string[] = [];
  const purl = component.purl ? parsePurl(component.purl) : undefined;
  if (component.purl && !purl) reasons.push(`purl ${component.purl} is malformed; not used`);
  const candidates = [component.name, purl?.name, purl?.qualifiers.upstream].filter(
    (x): x is string => typeof x === "string" && x !== "",
  );
  let alias: Alias | undefined;
  for (const c of candidates) {
    alias = findAlias(c);
    if (alias) break;
  }
  const own = component.name.trim().toLowerCase();
  const name = alias?.name ?? own;
  if (alias && alias.name !== own) reasons.push(`${component.name} is ${alias.name}`);
  if (!alias) reasons.push(`${component.name} is not in the alias table`);

  const method = component.method;
  const nativeEco = (purl && ecosystemForPurlType(purl.type)) ?? ecosystemForMethod(method);
  const how = purl && ecosystemForPurlType(purl.type) ? purl.type : method;
  const raw = component.version.trim();

  let versionForMatching: string;
  let ecosystem: Ecosystem;
  if (nativeEco && LANGUAGE.has(nativeEco)) {
    versionForMatching = raw;
    ecosystem = nativeEco;
  } else {
    const packaged = nativeEco && nativeEco !== "generic" ? nativeEco : undefined;
    versionForMatching = stripTags(stripPackaging(raw, packaged, how, reasons), alias, reasons);
    ecosystem = "generic";
    const g = parseGeneric(versionForMatching);
    if (g === undefined)
      reasons.push(`version ${versionForMatching} is not numeric: ranges cannot be compared`);
    else if (g.date)
      reasons.push(`version ${versionForMatching} is a snapshot date: it compares only with dates`);
  }
  if (versionForMatching === raw) reasons.push(`version ${raw} used as is`);
  else reasons.push(`version ${raw} -> ${versionForMatching}`);

  const cpes: string[] = [];
  const add = (c: string | undefined) => {
    if (c && !cpes.includes(c)) cpes.push(c);
  };
  if (component.cpe) add(withVersion(component.cpe, versionForMatching, alias, reasons));
  for (const p of alias?.cpes ?? []) {
    const parts = cpeVersionParts(versionForMatching, alias);
    try {
      add(
        formatCpe23(
          makeWfn({
            part: p.part,
            vendor: p.vendor,
            product: p.product,
            version: parts.version,
            update: parts.update,
          }),
        ),
      );
    } catch (e) {
      if (!(e instanceof CpeError)) throw e;
      reasons.push(`version ${versionForMatching} cannot be written in a CPE`);
    }
  }
  if (cpes.length === 0) reasons.push(`no CPE is known for ${name}`);

  const purls: string[] = [];
  if (component.purl && purl) purls.push(component.purl);
  purls.push(`pkg:generic/${enc(name)}@${enc(versionForMatching)}`);

  const names = new Set<string>([name, own]);
  if (purl) names.add(purl.name.toLowerCase());
  if (purl?.qualifiers.upstream) names.add(purl.qualifiers.upstream.toLowerCase());
  for (const d of Object.values(alias?.distro ?? {})) names.add(d);

  const identity: Identity = {
    name,
    known: alias !== undefined,
    names: [...names],
    cpes,
    purls,
    versionForMatching,
    ecosystem,
    reason: reasons.join("; "),
  };
  if (nativeEco && nativeEco !== "generic") {
    identity.native = { ecosystem: nativeEco, version: raw };
    if (purl) identity.native.purl = purl;
  }
  return identity;
}

/** The ordering for a component's own version: its purl type, then its package manager, else generic. */
export function ecosystemForComponent(component: Pick<ComponentData, "name" | "method" | "purl">): Ecosystem {
  const purl = component.purl ? parsePurl(component.purl) : undefined;
  return (
    (purl && ecosystemForPurlType(purl.type)) ??
    ecosystemForMethod(component.method) ??
    ecosystemForName(component.name) ??
    "generic"
  );
}

/** The ordering for a component known by name alone: the alias table's components use upstream numbers. */
export function ecosystemForName(name: string): Ecosystem | undefined {
  return findAlias(name) ? "generic" : undefined;
}
