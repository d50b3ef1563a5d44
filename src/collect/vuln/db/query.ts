// Reading the database: the candidates the matcher evaluates, and the facts it attaches to a match.

import type { Statement } from "better-sqlite3";
import type { NvdCpeMatch, OsvAffected } from "../ranges.js";
import { SCHEMA_VERSION } from "./schema.js";
import type { VulnDb } from "./store.js";
import type { VulnRow, VulnSource } from "./write.js";

export type Candidate =
  | {
      kind: "cpe";
      source: VulnSource;
      vulnId: string;
      vendor: string;
      product: string;
      entry: NvdCpeMatch;
      /** For an NVD configuration that ANDs nodes: the other nodes' criteria. */
      platforms?: string;
    }
  | {
      kind: "package";
      source: VulnSource;
      vulnId: string;
      ecosystem: string;
      name: string;
      entry: OsvAffected;
    };

/** A vulnerability as stored: the same shape the importers write. */
export type VulnRecord = VulnRow;

export interface KevEntry {
  cve: string;
  vendor?: string;
  product?: string;
  name?: string;
  dateAdded: string;
  dueDate?: string;
  /** CISA's knownRansomwareCampaignUse: "Known" or "Unknown". */
  knownRansomwareCampaignUse?: string;
  catalogVersion?: string;
}

export interface EpssEntry {
  cve: string;
  score: number;
  percentile: number;
  date?: string;
  modelVersion?: string;
}

export interface VexStatement {
  document: string;
  cve: string;
  productId: string;
  productName?: string;
  purl?: string;
  cpe?: string;
  status: string;
  justification?: string;
  impact?: string;
  remediation?: string;
}

export interface SourceStatus {
  source: string;
  records: number;
  lastImport?: string;
  lastStatus?: string;
}

export interface DbStatus {
  schemaVersion: number;
  sources: SourceStatus[];
  imports: number;
  /** Imports not finished: running now in another process, or stopped mid-way (their data rolled back). */
  interrupted: number;
}

interface Row {
  [k: string]: unknown;
}

const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

class Queries {
  readonly byCpe: Statement;
  readonly byPackage: Statement;
  readonly byEcosystemPackage: Statement;
  readonly byName: Statement;
  readonly vuln: Statement;
  readonly kev: Statement;
  readonly epss: Statement;
  readonly vex: Statement;
  readonly anyVex: Statement;
  constructor(db: VulnDb) {
    const cols = "kind, source, vuln_id, vendor, product, ecosystem, name, entry, platforms";
    this.byCpe = db.prepare(
      `SELECT ${cols} FROM affected WHERE kind = 'cpe' AND vendor = ? AND product = ? ORDER BY source, vuln_id, rowid`,
    );
    this.byPackage = db.prepare(
      `SELECT ${cols} FROM affected WHERE kind = 'package' AND eco_base = ? AND name = ? ORDER BY source, vuln_id, rowid`,
    );
    this.byEcosystemPackage = db.prepare(
      `SELECT ${cols} FROM affected WHERE kind = 'package' AND ecosystem = ? AND name = ? ORDER BY source, vuln_id, rowid`,
    );
    this.byName = db.prepare(
      `SELECT ${cols} FROM affected WHERE kind = 'package' AND name = ? ORDER BY source, vuln_id, rowid`,
    );
    this.vuln = db.prepare("SELECT * FROM vulnerabilities WHERE source = ? AND id = ?");
    this.kev = db.prepare("SELECT * FROM kev WHERE cve = ?");
    this.epss = db.prepare("SELECT * FROM epss WHERE cve = ?");
    this.vex = db.prepare("SELECT * FROM vex WHERE cve = ? ORDER BY document, product_id, status");
    this.anyVex = db.prepare("SELECT 1 FROM vex LIMIT 1").pluck();
  }
}

const cache = new WeakMap<VulnDb, Queries>();
function q(db: VulnDb): Queries {
  let x = cache.get(db);
  if (!x) {
    x = new Queries(db);
    cache.set(db, x);
  }
  return x;
}

function candidate(r: Row): Candidate {
  const base = { source: r.source as VulnSource, vulnId: r.vuln_id as string };
  if (r.kind === "cpe") {
    return {
      kind: "cpe",
      ...base,
      vendor: r.vendor as string,
      product: r.product as string,
      entry: JSON.parse(r.entry as string) as NvdCpeMatch,
      platforms: opt(r.platforms as string | null),
    };
  }
  return {
    kind: "package",
    ...base,
    ecosystem: r.ecosystem as string,
    name: r.name as string,
    entry: JSON.parse(r.entry as string) as OsvAffected,
  };
}

/** NVD cpeMatch entries (vulnerable ones) naming vendor:product; names compare in lower case. */
export function candidatesByCpe(db: VulnDb, vendor: string, product: string): Candidate[] {
  return (q(db).byCpe.all(vendor.toLowerCase(), product.toLowerCase()) as Row[]).map(candidate);
}

/**
 * OSV affected entries for a package. An ecosystem with a release ("Debian:11") matches exactly; a
 * bare one ("Debian") matches every release; "*" matches every ecosystem.
 */
export function candidatesByPackage(db: VulnDb, ecosystem: string, name: string): Candidate[] {
  const n = name.toLowerCase();
  const rows =
    ecosystem === "*"
      ? q(db).byName.all(n)
      : ecosystem.includes(":")
        ? q(db).byEcosystemPackage.all(ecosystem, n)
        : q(db).byPackage.all(ecosystem, n);
  return (rows as Row[]).map(candidate);
}

function record(r: Row): VulnRecord {
  const out: VulnRecord = {
    source: r.source as VulnSource,
    id: r.id as string,
    published: opt(r.published as string | null),
    modified: opt(r.modified as string | null),
    withdrawn: opt(r.withdrawn as string | null),
    summary: opt(r.summary as string | null),
    aliases: JSON.parse(r.aliases as string) as string[],
  };
  if (r.cvss3_vector) {
    out.cvss3 = {
      version: r.cvss3_version as string,
      score: opt(r.cvss3_score as number | null),
      vector: r.cvss3_vector as string,
    };
  }
  if (r.cvss4_vector)
    out.cvss4 = { score: opt(r.cvss4_score as number | null), vector: r.cvss4_vector as string };
  return out;
}

export function vulnerability(db: VulnDb, source: VulnSource, id: string): VulnRecord | undefined {
  const r = q(db).vuln.get(source, id) as Row | undefined;
  return r ? record(r) : undefined;
}

/** Runs `sql` (with one "(?)" list placeholder) over ids in batches SQLite's variable limit allows. */
const listStatements = new WeakMap<VulnDb, Map<string, Statement>>();

function inBatches(db: VulnDb, sql: string, fixed: unknown[], ids: string[]): Row[] {
  let cached = listStatements.get(db);
  if (!cached) listStatements.set(db, (cached = new Map<string, Statement>()));
  const out: Row[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    const key = `${part.length}\0${sql}`;
    let stmt = cached.get(key);
    if (!stmt) {
      stmt = db.prepare(sql.replace("(?)", `(${part.map(() => "?").join(",")})`));
      cached.set(key, stmt);
    }
    out.push(...(stmt.all(...fixed, ...part) as Row[]));
  }
  return out;
}

/** Records of one source by id, in one query per 500 ids. */
export function vulnerabilities(db: VulnDb, source: VulnSource, ids: string[]): Map<string, VulnRecord> {
  const rows = inBatches(db, "SELECT * FROM vulnerabilities WHERE source = ? AND id IN (?)", [source], ids);
  return new Map(rows.map((r) => [r.id as string, record(r)]));
}

/** KEV entries for many CVEs at once. */
export function kevs(db: VulnDb, cves: string[]): Map<string, KevEntry> {
  const out = new Map<string, KevEntry>();
  for (const r of inBatches(db, "SELECT cve FROM kev WHERE cve IN (?)", [], cves)) {
    out.set(r.cve as string, kev(db, r.cve as string)!);
  }
  return out;
}

/** EPSS entries for many CVEs at once. */
export function epsses(db: VulnDb, cves: string[]): Map<string, EpssEntry> {
  const out = new Map<string, EpssEntry>();
  for (const r of inBatches(db, "SELECT * FROM epss WHERE cve IN (?)", [], cves)) {
    out.set(r.cve as string, {
      cve: r.cve as string,
      score: r.score as number,
      percentile: r.percentile as number,
      date: opt(r.date as string | null),
      modelVersion: opt(r.model_version as string | null),
    });
  }
  return out;
}

/** Whether any VEX statement is stored (the matcher skips the lookups otherwise). */
export function hasVex(db: VulnDb): boolean {
  return q(db).anyVex.get() !== undefined;
}

export function kev(db: VulnDb, cve: string): KevEntry | undefined {
  const r = q(db).kev.get(cve) as Row | undefined;
  if (!r) return undefined;
  return {
    cve: r.cve as string,
    vendor: opt(r.vendor as string | null),
    product: opt(r.product as string | null),
    name: opt(r.name as string | null),
    dateAdded: r.date_added as string,
    dueDate: opt(r.due_date as string | null),
    knownRansomwareCampaignUse: opt(r.ransomware as string | null),
    catalogVersion: opt(r.catalog_version as string | null),
  };
}

export function epss(db: VulnDb, cve: string): EpssEntry | undefined {
  const r = q(db).epss.get(cve) as Row | undefined;
  if (!r) return undefined;
  return {
    cve: r.cve as string,
    score: r.score as number,
    percentile: r.percentile as number,
    date: opt(r.date as string | null),
    modelVersion: opt(r.model_version as string | null),
  };
}

export function vexStatements(db: VulnDb, cve: string): VexStatement[] {
  return (q(db).vex.all(cve) as Row[]).map((r) => ({
    document: r.document as string,
    cve: r.cve as string,
    productId: r.product_id as string,
    productName: opt(r.product_name as string | null),
    purl: opt(r.purl as string | null),
    cpe: opt(r.cpe as string | null),
    status: r.status as string,
    justification: opt(r.justification as string | null),
    impact: opt(r.impact as string | null),
    remediation: opt(r.remediation as string | null),
  }));
}

/** Records per source and the last import of each. */
export function status(db: VulnDb): DbStatus {
  const count = (sql: string) => (db.prepare(sql).pluck().get() as number) ?? 0;
  const records: Record<string, number> = {
    nvd: count("SELECT COUNT(*) FROM vulnerabilities WHERE source = 'nvd'"),
    osv: count("SELECT COUNT(*) FROM vulnerabilities WHERE source = 'osv'"),
    kev: count("SELECT COUNT(*) FROM kev"),
    epss: count("SELECT COUNT(*) FROM epss"),
    csaf: count("SELECT COUNT(*) FROM vex"),
  };
  const last = new Map<string, { finished: string; status: string }>();
  for (const r of db
    .prepare("SELECT source, finished, status FROM imports WHERE finished IS NOT NULL ORDER BY finished, id")
    .all() as Row[]) {
    last.set(r.source as string, { finished: r.finished as string, status: r.status as string });
  }
  const sources: SourceStatus[] = Object.entries(records).map(([source, n]) => {
    const l = last.get(source);
    const s: SourceStatus = { source, records: n };
    if (l) {
      s.lastImport = l.finished;
      s.lastStatus = l.status;
    }
    return s;
  });
  return {
    schemaVersion: SCHEMA_VERSION,
    sources,
    imports: count("SELECT COUNT(*) FROM imports"),
    interrupted: count("SELECT COUNT(*) FROM imports WHERE status = 'running'"),
  };
}
