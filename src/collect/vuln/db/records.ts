// From one feed record to rows, checking the fields Concord relies on. A record that fails a check
// is skipped with a RecordError naming the field; the import goes on with the next one.

import { CpeError, parseCpe, unquoteValue, ANY, NA } from "../cpe.js";
import type { NvdConfiguration, NvdCpeMatch, OsvAffected } from "../ranges.js";
import { cvss3BaseScore } from "./cvss.js";
import type { AffectedRow, EpssRow, KevRow, VexRow, VulnRow } from "./write.js";

export class RecordError extends Error {
  override name = "RecordError";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const CVE_ID = /^CVE-\d{4}-\d{4,}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const show = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? "undefined" : s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

function str(o: Obj, key: string, field: string, required: boolean, pattern?: RegExp): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) throw new RecordError(field, "missing");
    return undefined;
  }
  if (typeof v !== "string") throw new RecordError(field, `expected a string, got ${show(v)}`);
  if (pattern && !pattern.test(v)) throw new RecordError(field, `not a valid value: ${show(v)}`);
  return v;
}

function arr(o: Obj, key: string, field: string): unknown[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new RecordError(field, `expected an array, got ${show(v)}`);
  return v;
}

function obj(v: unknown, field: string): Obj {
  if (!isObj(v)) throw new RecordError(field, `expected an object, got ${show(v)}`);
  return v;
}

/** The id of a record that could not be read, for the error message. */
export function guessId(text: string): string | undefined {
  return /"(?:id|cveID|cve)"\s*:\s*"([^"]{1,80})"/.exec(text)?.[1];
}

// ---------------------------------------------------------------------------------------------
// NVD CVE API 2.0: vulnerabilities[].cve

export interface NvdRows {
  vuln: VulnRow;
  affected: AffectedRow[];
}

function nvdMetric(
  metrics: Obj,
  key: string,
  field: string,
): { version: string; score: number; vector: string } | undefined {
  const list = arr(metrics, key, `${field}.${key}`);
  if (list.length === 0) return undefined;
  // NVD's own (Primary) assessment first, else the first one given.
  let index = list.findIndex((m) => isObj(m) && m.type === "Primary");
  if (index < 0) index = 0;
  const f = `${field}.${key}[${index}].cvssData`;
  const data = obj(obj(list[index], `${field}.${key}[${index}]`).cvssData, f);
  const vector = str(data, "vectorString", `${f}.vectorString`, true, /^CVSS:[34]\.\d\//)!;
  const score = data.baseScore;
  if (typeof score !== "number" || score < 0 || score > 10) {
    throw new RecordError(`${f}.baseScore`, `expected a number from 0 to 10, got ${show(score)}`);
  }
  const version = typeof data.version === "string" ? data.version : vector.slice(5, 8);
  return { version, score, vector };
}

const BOUNDS = [
  "versionStartIncluding",
  "versionStartExcluding",
  "versionEndIncluding",
  "versionEndExcluding",
] as const;

export function nvdRecord(element: unknown): NvdRows {
  const cve = obj(obj(element, "(record)").cve, "cve");
  const id = str(cve, "id", "cve.id", true, CVE_ID)!;
  const published = str(cve, "published", "cve.published", true, TIMESTAMP);
  const modified = str(cve, "lastModified", "cve.lastModified", true, TIMESTAMP);
  let summary: string | undefined;
  const descriptions = arr(cve, "descriptions", "cve.descriptions");
  for (const [i, d] of descriptions.entries()) {
    const o = obj(d, `cve.descriptions[${i}]`);
    const value = str(o, "value", `cve.descriptions[${i}].value`, true);
    if (o.lang === "en" && summary === undefined) summary = value;
  }
  const vuln: VulnRow = { source: "nvd", id, published, modified, summary, aliases: [] };
  if (cve.vulnStatus === "Rejected") vuln.withdrawn = modified;
  if (cve.metrics !== undefined) {
    const metrics = obj(cve.metrics, "cve.metrics");
    const v3 =
      nvdMetric(metrics, "cvssMetricV31", "cve.metrics") ??
      nvdMetric(metrics, "cvssMetricV30", "cve.metrics");
    if (v3) vuln.cvss3 = v3;
    const v4 = nvdMetric(metrics, "cvssMetricV40", "cve.metrics");
    if (v4) vuln.cvss4 = { score: v4.score, vector: v4.vector };
  }
  const affected: AffectedRow[] = [];
  const configurations = arr(cve, "configurations", "cve.configurations");
  for (const [ci, c] of configurations.entries()) {
    const cf = `cve.configurations[${ci}]`;
    const conf = obj(c, cf) as unknown as NvdConfiguration;
    const nodes = arr(conf as unknown as Obj, "nodes", `${cf}.nodes`);
    const checked: { node: Obj; matches: NvdCpeMatch[] }[] = [];
    for (const [ni, nd] of nodes.entries()) {
      const nf = `${cf}.nodes[${ni}]`;
      const node = obj(nd, nf);
      const matches: NvdCpeMatch[] = [];
      for (const [mi, m] of arr(node, "cpeMatch", `${nf}.cpeMatch`).entries()) {
        const mf = `${nf}.cpeMatch[${mi}]`;
        const match = obj(m, mf);
        const criteria = str(match, "criteria", `${mf}.criteria`, true)!;
        if (typeof match.vulnerable !== "boolean") {
          throw new RecordError(`${mf}.vulnerable`, `expected true or false, got ${show(match.vulnerable)}`);
        }
        for (const b of BOUNDS) str(match, b, `${mf}.${b}`, false);
        try {
          parseCpe(criteria);
        } catch (e) {
          if (!(e instanceof CpeError)) throw e;
          throw new RecordError(`${mf}.criteria`, `not a CPE name: ${show(criteria)}`);
        }
        const clean: NvdCpeMatch = { vulnerable: match.vulnerable, criteria };
        if (typeof match.matchCriteriaId === "string") clean.matchCriteriaId = match.matchCriteriaId;
        for (const b of BOUNDS) if (typeof match[b] === "string") clean[b] = match[b];
        matches.push(clean);
      }
      checked.push({ node, matches });
    }
    const isAnd = (conf.operator ?? "OR") === "AND";
    for (const { node, matches } of checked) {
      if (node.negate === true) continue;
      const others = checked.filter((x) => x.node !== node && x.node.negate !== true);
      const platforms =
        isAnd && others.length > 0
          ? others.flatMap((x) => x.matches.map((m) => m.criteria)).join(", ")
          : undefined;
      for (const m of matches) {
        if (!m.vulnerable) continue;
        const w = parseCpe(m.criteria);
        const text = (v: string) => (v === ANY || v === NA ? v : unquoteValue(v)).toLowerCase();
        affected.push({ kind: "cpe", vendor: text(w.vendor), product: text(w.product), entry: m, platforms });
      }
    }
  }
  return { vuln, affected };
}

// ---------------------------------------------------------------------------------------------
// OSV schema 1.x

const CVSS_TYPES = new Set(["CVSS_V2", "CVSS_V3", "CVSS_V4", "Ubuntu"]);

export function osvRecord(element: unknown): NvdRows {
  const r = obj(element, "(record)");
  const id = str(r, "id", "id", true, /^\S+$/)!;
  const modified = str(r, "modified", "modified", true, TIMESTAMP);
  const published = str(r, "published", "published", false, TIMESTAMP);
  const withdrawn = str(r, "withdrawn", "withdrawn", false, TIMESTAMP);
  const aliases: string[] = [];
  for (const key of ["aliases", "upstream"]) {
    for (const [i, a] of arr(r, key, key).entries()) {
      if (typeof a !== "string") throw new RecordError(`${key}[${i}]`, `expected a string, got ${show(a)}`);
      if (a !== id && !aliases.includes(a)) aliases.push(a);
    }
  }
  // CVE ids first: they name the flaw across sources.
  aliases.sort((a, b) => Number(!CVE_ID.test(a)) - Number(!CVE_ID.test(b)));
  const details = str(r, "details", "details", false);
  const summary = str(r, "summary", "summary", false) ?? details?.split("\n")[0];
  const vuln: VulnRow = { source: "osv", id, published, modified, withdrawn, summary, aliases };
  for (const [i, s] of arr(r, "severity", "severity").entries()) {
    const sev = obj(s, `severity[${i}]`);
    const type = str(sev, "type", `severity[${i}].type`, true)!;
    const score = str(sev, "score", `severity[${i}].score`, true)!;
    if (!CVSS_TYPES.has(type)) continue;
    if (type === "CVSS_V3") {
      const base = cvss3BaseScore(score);
      if (base === undefined)
        throw new RecordError(`severity[${i}].score`, `not a CVSS v3 vector: ${show(score)}`);
      vuln.cvss3 ??= { version: score.slice(5, 8), score: base, vector: score };
    } else if (type === "CVSS_V4") {
      if (!score.startsWith("CVSS:4.0/")) {
        throw new RecordError(`severity[${i}].score`, `not a CVSS v4 vector: ${show(score)}`);
      }
      vuln.cvss4 ??= { vector: score };
    }
  }
  const affected: AffectedRow[] = [];
  for (const [i, a] of arr(r, "affected", "affected").entries()) {
    const af = `affected[${i}]`;
    const entry = obj(a, af);
    if (entry.package === undefined) continue; // a GIT-only entry: nothing to look it up by
    const pkg = obj(entry.package, `${af}.package`);
    const ecosystem = str(pkg, "ecosystem", `${af}.package.ecosystem`, true, /\S/)!;
    const name = str(pkg, "name", `${af}.package.name`, true, /\S/)!;
    str(pkg, "purl", `${af}.package.purl`, false);
    for (const [ri, rg] of arr(entry, "ranges", `${af}.ranges`).entries()) {
      const rf = `${af}.ranges[${ri}]`;
      const range = obj(rg, rf);
      str(range, "type", `${rf}.type`, true);
      for (const [ei, ev] of arr(range, "events", `${rf}.events`).entries()) {
        const e = obj(ev, `${rf}.events[${ei}]`);
        const keys = Object.keys(e);
        if (keys.length !== 1 || !["introduced", "fixed", "last_affected", "limit"].includes(keys[0]!)) {
          throw new RecordError(
            `${rf}.events[${ei}]`,
            `expected one of introduced, fixed, last_affected, limit`,
          );
        }
        str(e, keys[0]!, `${rf}.events[${ei}].${keys[0]}`, true);
      }
    }
    for (const [vi, v] of arr(entry, "versions", `${af}.versions`).entries()) {
      if (typeof v !== "string")
        throw new RecordError(`${af}.versions[${vi}]`, `expected a string, got ${show(v)}`);
    }
    const clean: OsvAffected = { package: { ecosystem, name } };
    if (typeof pkg.purl === "string") clean.package!.purl = pkg.purl;
    if (entry.ranges !== undefined) clean.ranges = entry.ranges as OsvAffected["ranges"];
    if (entry.versions !== undefined) clean.versions = entry.versions as string[];
    affected.push({ kind: "package", ecosystem, name, entry: clean });
  }
  return { vuln, affected };
}

// ---------------------------------------------------------------------------------------------
// CISA KEV: vulnerabilities[]

export function kevRecord(element: unknown, catalogVersion?: string): KevRow {
  const r = obj(element, "(record)");
  const cve = str(r, "cveID", "cveID", true, CVE_ID)!;
  const row: KevRow = {
    cve,
    vendor: str(r, "vendorProject", "vendorProject", false),
    product: str(r, "product", "product", false),
    name: str(r, "vulnerabilityName", "vulnerabilityName", false),
    dateAdded: str(r, "dateAdded", "dateAdded", true, DATE)!,
    dueDate: str(r, "dueDate", "dueDate", false, DATE),
    ransomware: str(
      r,
      "knownRansomwareCampaignUse",
      "knownRansomwareCampaignUse",
      false,
      /^(Known|Unknown)$/,
    ),
    requiredAction: str(r, "requiredAction", "requiredAction", false),
  };
  if (catalogVersion) row.catalogVersion = catalogVersion;
  return row;
}

// ---------------------------------------------------------------------------------------------
// FIRST EPSS CSV

export interface EpssHeader {
  modelVersion?: string;
  date?: string;
}

/** "#model_version:v2025.03.14,score_date:2025-08-25T12:55:00Z" */
export function epssComment(line: string): EpssHeader {
  const out: EpssHeader = {};
  for (const part of line.replace(/^#/, "").split(",")) {
    const i = part.indexOf(":");
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    const v = part.slice(i + 1).trim();
    if (k === "model_version") out.modelVersion = v;
    if (k === "score_date") out.date = v.slice(0, 10);
  }
  return out;
}

export function epssRecord(cells: string[], columns: string[], header: EpssHeader): EpssRow {
  const get = (name: string) => cells[columns.indexOf(name)]?.trim();
  const cve = get("cve") ?? "";
  if (!CVE_ID.test(cve)) throw new RecordError("cve", `not a CVE id: ${show(cve)}`);
  const num = (name: string): number => {
    const raw = get(name);
    const v = raw === undefined || raw === "" ? NaN : Number(raw);
    if (!Number.isFinite(v) || v < 0 || v > 1) {
      throw new RecordError(name, `expected a number from 0 to 1, got ${show(raw ?? "")}`);
    }
    return v;
  };
  const row: EpssRow = { cve, score: num("epss"), percentile: num("percentile") };
  if (header.date) row.date = header.date;
  if (header.modelVersion) row.modelVersion = header.modelVersion;
  return row;
}

// ---------------------------------------------------------------------------------------------
// CSAF 2.0 (VEX and security advisories)

interface CsafProduct {
  name?: string;
  purl?: string;
  cpe?: string;
}

/** product_id -> name and identification helpers, from branches, full_product_names and relationships. */
export function csafProducts(tree: unknown): Map<string, CsafProduct> {
  const products = new Map<string, CsafProduct>();
  if (!isObj(tree)) return products;
  const add = (p: unknown) => {
    if (!isObj(p) || typeof p.product_id !== "string") return;
    const helper = isObj(p.product_identification_helper) ? p.product_identification_helper : {};
    products.set(p.product_id, {
      name: typeof p.name === "string" ? p.name : undefined,
      purl: typeof helper.purl === "string" ? helper.purl : undefined,
      cpe: typeof helper.cpe === "string" ? helper.cpe : undefined,
    });
  };
  const walk = (branches: unknown) => {
    if (!Array.isArray(branches)) return;
    for (const b of branches) {
      if (!isObj(b)) continue;
      add(b.product);
      walk(b.branches);
    }
  };
  walk(tree.branches);
  for (const p of Array.isArray(tree.full_product_names) ? tree.full_product_names : []) add(p);
  // A component of a product: it is identified by what it is (the product_reference's helpers).
  for (const rel of Array.isArray(tree.relationships) ? tree.relationships : []) {
    if (!isObj(rel) || !isObj(rel.full_product_name)) continue;
    const fpn = rel.full_product_name;
    if (typeof fpn.product_id !== "string") continue;
    add(fpn);
    const own = products.get(fpn.product_id)!;
    const ref = typeof rel.product_reference === "string" ? products.get(rel.product_reference) : undefined;
    if (ref) {
      own.purl ??= ref.purl;
      own.cpe ??= ref.cpe;
    }
  }
  return products;
}

export function csafGroups(tree: unknown): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  if (!isObj(tree) || !Array.isArray(tree.product_groups)) return groups;
  for (const g of tree.product_groups) {
    if (isObj(g) && typeof g.group_id === "string" && Array.isArray(g.product_ids)) {
      groups.set(
        g.group_id,
        g.product_ids.filter((x): x is string => typeof x === "string"),
      );
    }
  }
  return groups;
}

export const CSAF_STATUSES = [
  "first_affected",
  "known_affected",
  "last_affected",
  "known_not_affected",
  "first_fixed",
  "fixed",
  "recommended",
  "under_investigation",
] as const;

/** The statements of one vulnerabilities[] entry. */
export function csafVulnerability(
  v: unknown,
  index: number,
  products: Map<string, CsafProduct>,
  groups: Map<string, string[]>,
): { cve: string; rows: VexRow[] } {
  const f = `vulnerabilities[${index}]`;
  const vuln = obj(v, f);
  const cve = str(vuln, "cve", `${f}.cve`, true, CVE_ID)!;
  const status = vuln.product_status === undefined ? {} : obj(vuln.product_status, `${f}.product_status`);
  const expand = (ids: unknown[], field: string, groupIds: unknown[] = []): string[] => {
    const out: string[] = [];
    for (const [i, id] of ids.entries()) {
      if (typeof id !== "string" || !products.has(id)) {
        throw new RecordError(`${field}.product_ids[${i}]`, `unknown product id ${show(id)}`);
      }
      out.push(id);
    }
    for (const [i, g] of groupIds.entries()) {
      const members = typeof g === "string" ? groups.get(g) : undefined;
      if (!members) throw new RecordError(`${field}.group_ids[${i}]`, `unknown product group ${show(g)}`);
      out.push(...members);
    }
    return out;
  };
  const byProduct = (key: "flags" | "threats" | "remediations", pick: (o: Obj) => string | undefined) => {
    const m = new Map<string, string>();
    for (const [i, x] of arr(vuln, key, `${f}.${key}`).entries()) {
      const o = obj(x, `${f}.${key}[${i}]`);
      const value = pick(o);
      if (value === undefined) continue;
      const ids = expand(arr(o, "product_ids", ""), `${f}.${key}[${i}]`, arr(o, "group_ids", ""));
      for (const id of ids) if (!m.has(id)) m.set(id, value);
    }
    return m;
  };
  const justification = byProduct("flags", (o) => (typeof o.label === "string" ? o.label : undefined));
  const impact = byProduct("threats", (o) =>
    o.category === "impact" && typeof o.details === "string" ? o.details : undefined,
  );
  const remediation = byProduct("remediations", (o) =>
    typeof o.details === "string" ? `${String(o.category)}: ${o.details}` : undefined,
  );
  const rows: VexRow[] = [];
  for (const s of CSAF_STATUSES) {
    const list = arr(status, s, `${f}.product_status.${s}`);
    for (const [i, id] of list.entries()) {
      if (typeof id !== "string" || !products.has(id)) {
        throw new RecordError(`${f}.product_status.${s}[${i}]`, `unknown product id ${show(id)}`);
      }
      const p = products.get(id)!;
      rows.push({
        productId: id,
        productName: p.name,
        purl: p.purl,
        cpe: p.cpe,
        status: s,
        justification: justification.get(id),
        impact: impact.get(id),
        remediation: remediation.get(id),
      });
    }
  }
  return { cve, rows };
}
