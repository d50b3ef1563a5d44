// Whether a VEX statement covers a component. The strongest identifier both sides have decides:
// a bom-ref both name, else purls (type, namespace, name and subpath equal; the version equal when
// the statement gives one; qualifiers compared only where the statement has them), else CPEs (the
// statement's name must contain the component's), else name and version. Version lists and vers
// ranges (CycloneDX affects[].versions, CSAF product_version_range) narrow it further.

import { cpeMatches, tryParseCpe } from "../vuln/cpe.js";
import { identify, parsePurl, type Purl } from "../vuln/identity.js";
import { compareVersions, ecosystemForPurlType, type Ecosystem } from "../vuln/versions/index.js";
import { bomLinkRef } from "./cyclonedx.js";
import type { VexProduct, VexStatement, VexVersion } from "./types.js";

/** What applies() needs of a component: an SbomComponent or firmware ComponentData both fit. */
export interface VexComponent {
  name: string;
  version: string;
  purl?: string;
  cpe?: string;
  bomRef?: string;
  /** How it was identified (ComponentData); lets identify() derive CPEs for a component without one. */
  method?: string;
}

export interface Applicability {
  applies: boolean;
  reason: string;
}

/** Purl types whose namespace and name are case-insensitive (lower-cased by the purl spec). */
const CASE_FREE = new Set([
  "bitbucket",
  "github",
  "golang",
  "hex",
  "npm",
  "pypi",
  "deb",
  "apk",
  "composer",
  "alpm",
]);

function purlKey(p: Purl): { ns: string; name: string } {
  let ns = p.namespace ?? "";
  let name = p.name;
  if (CASE_FREE.has(p.type)) {
    ns = ns.toLowerCase();
    name = name.toLowerCase();
  }
  if (p.type === "pypi") name = name.replace(/[-_.]+/g, "-");
  return { ns, name };
}

export function purlCovers(statement: string, component: string, componentVersion?: string): Applicability {
  const s = parsePurl(statement);
  const c = parsePurl(component);
  if (!s) return { applies: false, reason: `statement purl ${statement} is malformed` };
  if (!c) return { applies: false, reason: `component purl ${component} is malformed` };
  if (s.type !== c.type) return { applies: false, reason: `purl type ${c.type} is not ${s.type}` };
  const ks = purlKey(s);
  const kc = purlKey(c);
  if (ks.ns !== kc.ns || ks.name !== kc.name)
    return { applies: false, reason: `purl ${component} names another package than ${statement}` };
  if ((s.subpath ?? "") !== "" && s.subpath !== c.subpath)
    return { applies: false, reason: `purl subpath ${c.subpath ?? "(none)"} is not ${s.subpath}` };
  for (const [k, v] of Object.entries(s.qualifiers)) {
    if (c.qualifiers[k] !== v)
      return {
        applies: false,
        reason: `purl qualifier ${k}=${c.qualifiers[k] ?? "(none)"} is not ${k}=${v}`,
      };
  }
  if (s.version !== undefined) {
    const cv = c.version ?? componentVersion;
    if (cv !== s.version)
      return { applies: false, reason: `version ${cv ?? "(none)"} is not the statement's ${s.version}` };
    return { applies: true, reason: `purl ${statement} names ${component}` };
  }
  return { applies: true, reason: `purl ${statement} (every version) covers ${component}` };
}

export function cpeCovers(statement: string, component: string): Applicability {
  const s = tryParseCpe(statement);
  const c = tryParseCpe(component);
  if (!s) return { applies: false, reason: `statement CPE ${statement} is malformed` };
  if (!c) return { applies: false, reason: `component CPE ${component} is malformed` };
  if (cpeMatches(s, c)) return { applies: true, reason: `CPE ${statement} covers ${component}` };
  return { applies: false, reason: `CPE ${statement} does not cover ${component}` };
}

// ---------------------------------------------------------------------------------------------
// vers

const VERS_SCHEMES: Record<string, Ecosystem> = {
  npm: "semver",
  semver: "semver",
  cargo: "semver",
  golang: "semver",
  nuget: "semver",
  gem: "semver",
  pypi: "pep440",
  maven: "maven",
  deb: "debian",
  debian: "debian",
  rpm: "rpm",
  apk: "alpine",
  alpine: "alpine",
  opkg: "opkg",
  generic: "generic",
};

interface Constraint {
  op: "=" | "!=" | "<" | "<=" | ">" | ">=";
  version: string;
}

/** Parses "vers:<scheme>/<constraint>|<constraint>..."; undefined when malformed. */
export function parseVers(
  range: string,
): { scheme: string; all: boolean; constraints: Constraint[] } | undefined {
  const m = /^vers:([a-z0-9.+-]+)\/(.*)$/i.exec(range.trim().replace(/\s+/g, ""));
  if (!m) return undefined;
  const scheme = m[1]!.toLowerCase();
  const body = m[2]!;
  if (body === "*") return { scheme, all: true, constraints: [] };
  const constraints: Constraint[] = [];
  for (const part of body.split("|")) {
    const c = /^(!=|<=|>=|<|>|=)?(.+)$/.exec(part);
    if (!c) return undefined;
    constraints.push({ op: (c[1] ?? "=") as Constraint["op"], version: decodeURIComponent(c[2]!) });
  }
  return constraints.length ? { scheme, all: false, constraints } : undefined;
}

/** Whether `version` lies in a vers range: true, false, or undefined when the ordering cannot compare. */
export function inVers(range: string, version: string, fallback?: Ecosystem): boolean | undefined {
  const r = parseVers(range);
  if (!r) return undefined;
  if (r.all) return true;
  const eco = VERS_SCHEMES[r.scheme] ?? fallback ?? "generic";
  const cmp = (a: string, b: string) => compareVersions(eco, a, b);
  for (const c of r.constraints) {
    const o = cmp(version, c.version);
    if (o === undefined) return undefined;
    if (c.op === "=" && o === 0) return true;
    if (c.op === "!=" && o === 0) return false;
  }
  const ranges = r.constraints.filter((c) => c.op !== "=" && c.op !== "!=");
  if (ranges.length === 0) return r.constraints.some((c) => c.op === "!=");
  const sorted = [...ranges].sort((a, b) => cmp(a.version, b.version) ?? 0);
  const sat = (c: Constraint) => {
    const o = cmp(version, c.version)!;
    switch (c.op) {
      case "<":
        return o < 0;
      case "<=":
        return o <= 0;
      case ">":
        return o > 0;
      default:
        return o >= 0;
    }
  };
  const lower = (c: Constraint) => c.op === ">" || c.op === ">=";
  // leading upper bound: (-inf, bound]
  if (!lower(sorted[0]!) && sat(sorted[0]!)) return true;
  for (let k = 0; k < sorted.length; k++) {
    const a = sorted[k]!;
    if (!lower(a)) continue;
    const b = sorted[k + 1];
    if (!b) return sat(a); // trailing lower bound: [bound, +inf)
    if (!lower(b) && sat(a) && sat(b)) return true;
  }
  return false;
}

function versionCovered(versions: VexVersion[], version: string, eco: Ecosystem | undefined): Applicability {
  if (version === "") return { applies: false, reason: "the component has no version to compare" };
  for (const v of versions) {
    if (v.version !== undefined && v.version === version)
      return { applies: true, reason: `version ${version} is listed` };
    if (v.range !== undefined) {
      const r = inVers(v.range, version, eco);
      if (r === true) return { applies: true, reason: `version ${version} is in ${v.range}` };
      if (r === undefined && !v.range.startsWith("vers:") && v.range === version)
        return { applies: true, reason: `version ${version} is listed` };
    }
  }
  const list = versions.map((v) => v.version ?? v.range).join(", ");
  return { applies: false, reason: `version ${version} is not among ${list}` };
}

// ---------------------------------------------------------------------------------------------

function cpesOf(c: VexComponent): string[] {
  if (c.cpe) return [c.cpe];
  try {
    return identify({ name: c.name, version: c.version, method: c.method ?? "sbom", match: "", purl: c.purl })
      .cpes;
  } catch {
    return [];
  }
}

/** Decides with the strongest identifier the product and the component share. */
function identity(p: VexProduct, c: VexComponent): Applicability {
  if (p.bomRef && c.bomRef && (p.bomRef === c.bomRef || bomLinkRef(p.bomRef) === c.bomRef))
    return { applies: true, reason: `bom-ref ${c.bomRef}` };
  if (p.purl && c.purl) return purlCovers(p.purl, c.purl, c.version || undefined);
  if (p.cpe) {
    const cpes = cpesOf(c);
    if (cpes.length) {
      let last: Applicability | undefined;
      for (const x of cpes) {
        last = cpeCovers(p.cpe, x);
        if (last.applies) return last;
      }
      return last!;
    }
  }
  if (p.name) {
    if (p.name.toLowerCase() !== c.name.toLowerCase())
      return { applies: false, reason: `name ${c.name} is not ${p.name}` };
    if (p.version !== undefined && p.version !== c.version)
      return { applies: false, reason: `${c.name} ${c.version} is not version ${p.version}` };
    return { applies: true, reason: `name ${p.name}${p.version ? ` ${p.version}` : ""}` };
  }
  if (p.purl && !c.purl) {
    // a component known by name only: compare with the purl's name and version
    const s = parsePurl(p.purl);
    if (
      s &&
      s.name.toLowerCase() === c.name.toLowerCase() &&
      (s.version === undefined || s.version === c.version)
    )
      return {
        applies: true,
        reason: `purl ${p.purl} names ${c.name}${s.version ? ` ${s.version}` : ""} (the component has no purl)`,
      };
    return { applies: false, reason: `purl ${p.purl} does not name ${c.name} ${c.version}` };
  }
  if (p.bomRef)
    return { applies: false, reason: `bom-ref ${p.bomRef} is not the component's ${c.bomRef ?? "(none)"}` };
  return { applies: false, reason: "the statement and the component share no identifier" };
}

/** Whether `statement` covers `component`, and why. */
export function explainApplies(statement: VexStatement, component: VexComponent): Applicability {
  const id = identity(statement.product, component);
  if (!id.applies || !statement.product.versions?.length) return id;
  const purl = component.purl ? parsePurl(component.purl) : undefined;
  const eco = purl ? ecosystemForPurlType(purl.type) : undefined;
  const version = purl?.version ?? component.version;
  const v = versionCovered(statement.product.versions, version, eco);
  return { applies: v.applies, reason: `${id.reason}; ${v.reason}` };
}

/** Whether `statement` covers `component`. */
export function applies(statement: VexStatement, component: VexComponent): boolean {
  return explainApplies(statement, component).applies;
}

/** Whether the statement is about `vulnerability` (its id or one of its aliases, either way round). */
export function aboutVulnerability(statement: VexStatement, ids: readonly string[]): boolean {
  const mine = [statement.vulnerability, ...statement.aliases].map((x) => x.toUpperCase());
  return ids.some((i) => mine.includes(i.toUpperCase()));
}
