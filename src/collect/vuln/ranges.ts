// Whether a component's version lies in a vulnerability record's affected ranges: NVD CPE match
// criteria (CVE API 2.0 `configurations[].nodes[].cpeMatch[]`) and OSV `affected[]` entries.
// Every answer carries a reason naming the identifier and the range that decided it; a version the
// ordering cannot read gives "cannot-compare", never a guess.

import type { ComponentData } from "../../evidence/firmware.js";
import { ANY, NA, compareAttribute, parseCpe, tryParseCpe, unquoteValue, CpeError, type Wfn } from "./cpe.js";
import { identify, parsePurl, type Identity } from "./identity.js";
import {
  ecosystemForOsv,
  osvEcosystemBase,
  schemeFor,
  type Ecosystem,
  type Order,
} from "./versions/index.js";

export interface MatchResult {
  match: boolean | "cannot-compare";
  reason: string;
}

// ---------------------------------------------------------------------------------------------
// NVD

export interface NvdCpeMatch {
  vulnerable: boolean;
  criteria: string;
  matchCriteriaId?: string;
  versionStartIncluding?: string;
  versionStartExcluding?: string;
  versionEndIncluding?: string;
  versionEndExcluding?: string;
}

export interface NvdNode {
  operator: "OR" | "AND";
  negate?: boolean;
  cpeMatch: NvdCpeMatch[];
}

export interface NvdConfiguration {
  operator?: "OR" | "AND";
  negate?: boolean;
  nodes: NvdNode[];
}

const OTHER_ATTRIBUTES = ["edition", "language", "sw_edition", "target_sw", "target_hw", "other"] as const;

type Bound = { value: string; op: "<" | "<=" | ">" | ">="; kind: "including" | "excluding" };

function bounds(c: NvdCpeMatch): Bound[] {
  const out: Bound[] = [];
  if (c.versionStartIncluding) out.push({ value: c.versionStartIncluding, op: ">=", kind: "including" });
  if (c.versionStartExcluding) out.push({ value: c.versionStartExcluding, op: ">", kind: "excluding" });
  if (c.versionEndIncluding) out.push({ value: c.versionEndIncluding, op: "<=", kind: "including" });
  if (c.versionEndExcluding) out.push({ value: c.versionEndExcluding, op: "<", kind: "excluding" });
  return out;
}

function holds(op: Bound["op"], c: Order): boolean {
  switch (op) {
    case "<":
      return c < 0;
    case "<=":
      return c <= 0;
    case ">":
      return c > 0;
    case ">=":
      return c >= 0;
  }
}

const text = (v: string) => (v === ANY || v === NA ? v : unquoteValue(v));

/** Evaluates one NVD cpeMatch entry against a component. */
export function matchesNvd(criteria: NvdCpeMatch, component: ComponentData): MatchResult {
  return evaluateNvd(criteria, identify(component));
}

/** Evaluates one NVD cpeMatch entry against an identity (see identify). */
export function evaluateNvd(criteria: NvdCpeMatch, id: Identity): MatchResult {
  let src: Wfn;
  try {
    src = parseCpe(criteria.criteria);
  } catch (e) {
    if (!(e instanceof CpeError)) throw e;
    return {
      match: "cannot-compare",
      reason: `criteria ${criteria.criteria} is not a CPE name: ${e.message}`,
    };
  }
  const vp = `${text(src.vendor)}:${text(src.product)}`;
  const r = evaluateWfn(src, vp, criteria, id);
  if (r.match === true && criteria.vulnerable === false) {
    return { match: false, reason: `${r.reason}, but the criteria is a platform (vulnerable: false)` };
  }
  return r;
}

function evaluateWfn(src: Wfn, vp: string, criteria: NvdCpeMatch, id: Identity): MatchResult {
  const targets = id.cpes.map((c) => tryParseCpe(c)).filter((w): w is Wfn => w !== undefined);
  if (targets.length === 0)
    return { match: false, reason: `cpe ${vp} cannot name ${id.name}: no CPE is known for it` };
  const named = targets.filter((t) =>
    (["part", "vendor", "product"] as const).every((a) => {
      const rel = compareAttribute(src[a], t[a]);
      return rel === "equal" || rel === "superset";
    }),
  );
  const t = named[0];
  if (!t) {
    const own = targets.map((w) => `${text(w.vendor)}:${text(w.product)}`).join(", ");
    return { match: false, reason: `cpe ${vp} does not name ${id.name} (${own})` };
  }
  for (const a of OTHER_ATTRIBUTES) {
    if (t[a] === ANY) continue; // not known for the component: not a reason to rule it out
    const rel = compareAttribute(src[a], t[a]);
    if (rel !== "equal" && rel !== "superset") {
      return { match: false, reason: `cpe ${vp}, ${a} ${text(src[a])} does not include ${text(t[a])}` };
    }
  }
  const v = id.versionForMatching;
  const scheme = schemeFor(id.ecosystem);
  const bs = bounds(criteria);

  if (src.version === NA) {
    return { match: false, reason: `cpe ${vp}, criteria version - (no version) does not name version ${v}` };
  }
  if (src.version !== ANY) {
    const version = unquoteValue(src.version);
    if (/(^|[^\\])[*?]/.test(src.version)) {
      const rel = compareAttribute(src.version, t.version);
      const ok = rel === "equal" || rel === "superset";
      return { match: ok, reason: `cpe ${vp}, version ${v} ${ok ? "matches" : "does not match"} ${version}` };
    }
    // A concrete update folds into the version ("7.4" + "p1" = "7.4p1"); ANY accepts every update.
    const update = src.update;
    let want = version;
    let have = v;
    if (update !== ANY && update !== NA) want = version + unquoteValue(update);
    else if (update === ANY && t.update !== ANY && t.update !== NA) have = unquoteValue(t.version);
    else if (update === NA && t.update !== ANY && t.update !== NA) {
      return { match: false, reason: `cpe ${vp}, version ${version} with no update is not ${v}` };
    }
    const c = scheme.compare(have, want);
    if (c === undefined) {
      if (have.toLowerCase() === want.toLowerCase())
        return { match: true, reason: `cpe ${vp}, version ${v} = ${want}` };
      return {
        match: "cannot-compare",
        reason: `cpe ${vp}, version ${v} cannot be compared with ${want} (${id.ecosystem})`,
      };
    }
    return c === 0
      ? {
          match: true,
          reason: `cpe ${vp}, version ${v} = ${want}${update === ANY && have !== v ? " (any update)" : ""}`,
        }
      : { match: false, reason: `cpe ${vp}, version ${v} != ${want}` };
  }

  if (src.update !== ANY && src.update !== NA && t.update !== ANY) {
    const rel = compareAttribute(src.update, t.update);
    if (rel !== "equal" && rel !== "superset") {
      return {
        match: false,
        reason: `cpe ${vp}, update ${text(src.update)} does not include ${text(t.update)}`,
      };
    }
  }
  if (bs.length === 0) return { match: true, reason: `cpe ${vp}, every version (criteria version *)` };
  let unknown: Bound | undefined;
  for (const b of bs) {
    const c = scheme.compare(v, b.value);
    if (c === undefined) {
      unknown ??= b;
      continue;
    }
    if (!holds(b.op, c))
      return { match: false, reason: `cpe ${vp}, version ${v} is not ${b.op} ${b.value} (${b.kind})` };
  }
  if (unknown) {
    return {
      match: "cannot-compare",
      reason: `cpe ${vp}, version ${v} cannot be compared with ${unknown.value} (${id.ecosystem})`,
    };
  }
  return {
    match: true,
    reason: `cpe ${vp}, version ${v} ${bs.map((b) => `${b.op} ${b.value} (${b.kind})`).join(" and ")}`,
  };
}

/**
 * Evaluates a CVE's configurations: the component is affected when a vulnerable cpeMatch of a node
 * that is not negated matches it. Where a configuration ANDs nodes (a product running on a
 * platform), the other nodes describe the platform, which one component cannot show: the reason
 * says so.
 */
export function evaluateNvdConfigurations(configurations: NvdConfiguration[], id: Identity): MatchResult {
  const misses: string[] = [];
  let unknown: string | undefined;
  for (const conf of configurations) {
    for (const node of conf.nodes) {
      if (node.negate) continue;
      for (const m of node.cpeMatch) {
        if (!m.vulnerable) continue;
        const r = evaluateNvd(m, id);
        if (r.match === true) {
          const others = conf.nodes.filter((n) => n !== node && !n.negate);
          if ((conf.operator ?? "OR") === "AND" && others.length > 0) {
            const platforms = others.flatMap((n) => n.cpeMatch.map((x) => x.criteria)).join(", ");
            return {
              match: true,
              reason: `${r.reason}; the configuration also requires ${platforms} (not checked)`,
            };
          }
          return r;
        }
        if (r.match === "cannot-compare") unknown ??= r.reason;
        else if (!/does not name|cannot name/.test(r.reason)) misses.push(r.reason);
      }
    }
  }
  if (unknown) return { match: "cannot-compare", reason: unknown };
  if (misses.length) return { match: false, reason: misses.join("; ") };
  return { match: false, reason: `no criteria names ${id.name}` };
}

// ---------------------------------------------------------------------------------------------
// OSV

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: string;
  repo?: string;
  events: OsvEvent[];
  database_specific?: unknown;
}

export interface OsvAffected {
  package?: { ecosystem: string; name: string; purl?: string };
  ranges?: OsvRange[];
  versions?: string[];
  ecosystem_specific?: unknown;
  database_specific?: unknown;
}

/** OSV ecosystems whose packages are distribution packages, with the purl type and namespace. */
const OSV_PURL: Record<string, { type: string; namespace?: string }> = {
  npm: { type: "npm" },
  PyPI: { type: "pypi" },
  Maven: { type: "maven" },
  Go: { type: "golang" },
  "crates.io": { type: "cargo" },
  Debian: { type: "deb", namespace: "debian" },
  Ubuntu: { type: "deb", namespace: "ubuntu" },
  Alpine: { type: "apk", namespace: "alpine" },
  Wolfi: { type: "apk", namespace: "wolfi" },
  Chainguard: { type: "apk", namespace: "chainguard" },
  "Red Hat": { type: "rpm", namespace: "redhat" },
  AlmaLinux: { type: "rpm", namespace: "almalinux" },
  "Rocky Linux": { type: "rpm", namespace: "rocky-linux" },
  openSUSE: { type: "rpm", namespace: "opensuse" },
  SUSE: { type: "rpm", namespace: "suse" },
};

/** OSV ecosystems that name upstream projects (their names compare with the canonical name). */
const UPSTREAM_NAMES: Record<string, Record<string, string>> = {
  Linux: { kernel: "linux-kernel" },
  "OSS-Fuzz": {},
};

const PACKAGE_ECOSYSTEM: Partial<Record<string, Ecosystem>> = {
  deb: "debian",
  apk: "alpine",
  rpm: "rpm",
};

interface Subject {
  version: string;
  label: string;
}

/** Which version of the component an OSV package speaks of, or why it is not this component. */
function subject(pkg: NonNullable<OsvAffected["package"]>, id: Identity): Subject | string {
  const label = `OSV ${pkg.ecosystem}/${pkg.name}`;
  const base = osvEcosystemBase(pkg.ecosystem);
  const not = `${label} is not this component (${id.name} ${id.native?.version ?? id.versionForMatching})`;
  const mapped = OSV_PURL[base];
  const own = id.native?.purl;
  if (pkg.purl) {
    const p = parsePurl(pkg.purl);
    const same =
      p !== undefined &&
      id.purls.some((s) => {
        const q = parsePurl(s);
        return (
          q !== undefined &&
          q.type === p.type &&
          (q.namespace ?? "").toLowerCase() === (p.namespace ?? "").toLowerCase() &&
          q.name.toLowerCase() === p.name.toLowerCase()
        );
      });
    if (same) return { version: id.native?.version ?? id.versionForMatching, label };
  }
  if (mapped) {
    const nativeEco = PACKAGE_ECOSYSTEM[mapped.type] ?? ecosystemForOsv(pkg.ecosystem);
    if (own) {
      if (own.type !== mapped.type) return not;
      if (own.namespace && mapped.namespace && own.namespace.toLowerCase() !== mapped.namespace) return not;
      const wanted = mapped.type === "maven" || mapped.type === "golang" ? pkg.name.toLowerCase() : undefined;
      const full = [own.namespace, own.name].filter(Boolean).join(mapped.type === "maven" ? ":" : "/");
      if (wanted !== undefined)
        return full.toLowerCase() === wanted ? { version: id.native!.version, label } : not;
    } else if (!id.native || id.native.ecosystem !== nativeEco) {
      return not;
    }
    // PyPI names compare normalised (PEP 503): case and runs of "-", "_", "." do not matter.
    const norm = (n: string) =>
      mapped.type === "pypi" ? n.toLowerCase().replace(/[-_.]+/g, "-") : n.toLowerCase();
    return id.names.some((n) => norm(n) === norm(pkg.name)) ? { version: id.native!.version, label } : not;
  }
  const upstream = UPSTREAM_NAMES[base];
  if (upstream) {
    const n = pkg.name.toLowerCase();
    const canonical = upstream[n] ?? n;
    return id.name === canonical || id.names.includes(canonical)
      ? { version: id.versionForMatching, label }
      : not;
  }
  return not;
}

/** Evaluates one OSV `affected` entry against a component. */
export function matchesOsv(affected: OsvAffected, component: ComponentData): MatchResult {
  return evaluateOsv(affected, identify(component));
}

export function evaluateOsv(affected: OsvAffected, id: Identity): MatchResult {
  if (!affected.package) return { match: false, reason: "OSV entry names no package" };
  const s = subject(affected.package, id);
  if (typeof s === "string") return { match: false, reason: s };
  const { version: v, label } = s;
  const ecoScheme = ecosystemForOsv(affected.package.ecosystem);

  for (const listed of affected.versions ?? []) {
    if (listed === v || (ecoScheme && schemeFor(ecoScheme).compare(listed, v) === 0)) {
      return { match: true, reason: `${label} lists version ${listed}${listed === v ? "" : ` (= ${v})`}` };
    }
  }
  const notes: string[] = [];
  let unknown: string | undefined;
  for (const range of affected.ranges ?? []) {
    const r = evaluateRange(range, v, ecoScheme, label, affected.package.ecosystem);
    if (r.match === true) return r;
    if (r.match === "cannot-compare") unknown ??= r.reason;
    else notes.push(r.reason);
  }
  if (!affected.ranges?.length && !affected.versions?.length) {
    return { match: false, reason: `${label} gives no ranges or versions` };
  }
  if (affected.versions?.length) notes.push(`${label} does not list version ${v}`);
  if (unknown) return { match: "cannot-compare", reason: [unknown, ...notes].join("; ") };
  return { match: false, reason: notes.join("; ") };
}

type Ev = { kind: "introduced" | "fixed" | "last_affected"; value: string };

function evaluateRange(
  range: OsvRange,
  v: string,
  ecoScheme: Ecosystem | undefined,
  label: string,
  ecosystem: string,
): MatchResult {
  const head = `${label} ${range.type} range`;
  let eco: Ecosystem;
  if (range.type === "SEMVER") eco = "semver";
  else if (range.type === "ECOSYSTEM") {
    if (!ecoScheme)
      return { match: "cannot-compare", reason: `${head}: no ordering for ecosystem ${ecosystem}` };
    eco = ecoScheme;
  } else if (range.type === "GIT") {
    return { match: false, reason: `${head} ignored: commit ranges need the repository's history` };
  } else {
    return { match: false, reason: `${head} ignored: unknown range type` };
  }
  const scheme = schemeFor(eco);
  if (scheme.parse(v) === undefined) {
    return { match: "cannot-compare", reason: `${head}: version ${v} is not a ${eco} version` };
  }
  const cmp = (a: string, b: string): Order => scheme.compare(a, b)!;

  const limits = range.events.flatMap((e) => (e.limit !== undefined ? [e.limit] : []));
  const events: Ev[] = [];
  for (const e of range.events) {
    for (const kind of ["introduced", "fixed", "last_affected"] as const) {
      const value = e[kind];
      if (value !== undefined) events.push({ kind, value });
    }
  }
  for (const x of [...events.map((e) => e.value), ...limits]) {
    if (x === "0" || x === "*") continue;
    if (scheme.parse(x) === undefined) {
      return { match: "cannot-compare", reason: `${head}: event version ${x} is not a ${eco} version` };
    }
  }
  const isZero = (e: Ev) => e.kind === "introduced" && e.value === "0";
  const sorted = [...events].sort((a, b) =>
    isZero(a) ? (isZero(b) ? 0 : -1) : isZero(b) ? 1 : cmp(a.value, b.value),
  );

  if (limits.length > 0 && !limits.some((l) => l.includes("*") || cmp(v, l) < 0)) {
    return { match: false, reason: `${head}, version ${v} is not below any limit (${limits.join(", ")})` };
  }
  let vulnerable = false;
  let from: Ev | undefined;
  let closedBy: Ev | undefined;
  for (const e of sorted) {
    if (e.kind === "introduced" && (e.value === "0" || cmp(v, e.value) >= 0)) {
      vulnerable = true;
      from = e;
      closedBy = undefined;
    } else if (e.kind === "fixed" && cmp(v, e.value) >= 0) {
      vulnerable = false;
      closedBy = e;
    } else if (e.kind === "last_affected" && cmp(v, e.value) > 0) {
      vulnerable = false;
      closedBy = e;
    }
  }
  if (vulnerable) {
    const i = sorted.indexOf(from!);
    const upper = sorted.slice(i + 1).find((e) => e.kind !== "introduced");
    const lower = `>= ${from!.value} (introduced)`;
    const top = !upper
      ? ", no fix"
      : upper.kind === "fixed"
        ? ` and < ${upper.value} (fixed)`
        : ` and <= ${upper.value} (last_affected)`;
    return { match: true, reason: `${head}, version ${v} ${lower}${top}` };
  }
  if (closedBy) {
    const op = closedBy.kind === "fixed" ? ">=" : ">";
    return { match: false, reason: `${head}, version ${v} ${op} ${closedBy.value} (${closedBy.kind})` };
  }
  const first = sorted.find((e) => e.kind === "introduced");
  return {
    match: false,
    reason: first
      ? `${head}, version ${v} < ${first.value} (introduced)`
      : `${head}: no introduced event, nothing is affected`,
  };
}
