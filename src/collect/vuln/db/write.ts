// Writing records into the database: upserts keyed by each feed's own identifiers, so importing the
// same file twice leaves the same rows. A vulnerability's affected entries are replaced together
// with it; a record older than the stored one (by its modified date) does not overwrite it.

import type { Statement } from "better-sqlite3";
import type { VulnDb } from "./store.js";

export type VulnSource = "nvd" | "osv";

export interface VulnRow {
  source: VulnSource;
  id: string;
  published?: string;
  modified?: string;
  withdrawn?: string;
  summary?: string;
  cvss3?: { version: string; score?: number; vector: string };
  cvss4?: { score?: number; vector: string };
  aliases: string[];
}

export type AffectedRow =
  | { kind: "cpe"; vendor: string; product: string; entry: unknown; platforms?: string }
  | { kind: "package"; ecosystem: string; name: string; entry: unknown };

export interface KevRow {
  cve: string;
  vendor?: string;
  product?: string;
  name?: string;
  dateAdded: string;
  dueDate?: string;
  ransomware?: string;
  requiredAction?: string;
  catalogVersion?: string;
}

export interface EpssRow {
  cve: string;
  score: number;
  percentile: number;
  date?: string;
  modelVersion?: string;
}

export interface VexRow {
  productId: string;
  productName?: string;
  purl?: string;
  cpe?: string;
  status: string;
  justification?: string;
  impact?: string;
  remediation?: string;
}

const n = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

export class Writer {
  private readonly getModified: Statement;
  private readonly upsertVuln: Statement;
  private readonly deleteAffected: Statement;
  private readonly insertAffected: Statement;
  private readonly upsertKev: Statement;
  private readonly upsertEpss: Statement;
  private readonly deleteVex: Statement;
  private readonly insertVex: Statement;

  constructor(db: VulnDb) {
    this.getModified = db.prepare("SELECT modified FROM vulnerabilities WHERE source = ? AND id = ?").pluck();
    this.upsertVuln = db.prepare(`
      INSERT INTO vulnerabilities (source, id, published, modified, withdrawn, summary, cvss3_version,
        cvss3_score, cvss3_vector, cvss4_score, cvss4_vector, aliases)
      VALUES (@source, @id, @published, @modified, @withdrawn, @summary, @cvss3_version, @cvss3_score,
        @cvss3_vector, @cvss4_score, @cvss4_vector, @aliases)
      ON CONFLICT (source, id) DO UPDATE SET published = excluded.published, modified = excluded.modified,
        withdrawn = excluded.withdrawn, summary = excluded.summary, cvss3_version = excluded.cvss3_version,
        cvss3_score = excluded.cvss3_score, cvss3_vector = excluded.cvss3_vector,
        cvss4_score = excluded.cvss4_score, cvss4_vector = excluded.cvss4_vector, aliases = excluded.aliases`);
    this.deleteAffected = db.prepare("DELETE FROM affected WHERE source = ? AND vuln_id = ?");
    this.insertAffected = db.prepare(`
      INSERT INTO affected (source, vuln_id, kind, vendor, product, ecosystem, eco_base, name, entry, platforms)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.upsertKev = db.prepare(`
      INSERT INTO kev (cve, vendor, product, name, date_added, due_date, ransomware, required_action, catalog_version)
      VALUES (@cve, @vendor, @product, @name, @dateAdded, @dueDate, @ransomware, @requiredAction, @catalogVersion)
      ON CONFLICT (cve) DO UPDATE SET vendor = excluded.vendor, product = excluded.product, name = excluded.name,
        date_added = excluded.date_added, due_date = excluded.due_date, ransomware = excluded.ransomware,
        required_action = excluded.required_action, catalog_version = excluded.catalog_version`);
    this.upsertEpss = db.prepare(`
      INSERT INTO epss (cve, score, percentile, date, model_version)
      VALUES (@cve, @score, @percentile, @date, @modelVersion)
      ON CONFLICT (cve) DO UPDATE SET score = excluded.score, percentile = excluded.percentile,
        date = excluded.date, model_version = excluded.model_version
      WHERE excluded.date IS NULL OR epss.date IS NULL OR excluded.date >= epss.date`);
    this.deleteVex = db.prepare("DELETE FROM vex WHERE document = ? AND cve = ?");
    this.insertVex = db.prepare(`
      INSERT OR REPLACE INTO vex (document, cve, product_id, product_name, purl, cpe, status, justification, impact, remediation)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  }

  /** Stores a vulnerability and its affected entries; false when the stored copy is newer. */
  vulnerability(v: VulnRow, affected: AffectedRow[]): boolean {
    const stored = this.getModified.get(v.source, v.id) as string | null | undefined;
    if (stored && v.modified && stored > v.modified) return false;
    this.upsertVuln.run({
      source: v.source,
      id: v.id,
      published: n(v.published),
      modified: n(v.modified),
      withdrawn: n(v.withdrawn),
      summary: n(v.summary),
      cvss3_version: n(v.cvss3?.version),
      cvss3_score: n(v.cvss3?.score),
      cvss3_vector: n(v.cvss3?.vector),
      cvss4_score: n(v.cvss4?.score),
      cvss4_vector: n(v.cvss4?.vector),
      aliases: JSON.stringify(v.aliases),
    });
    this.deleteAffected.run(v.source, v.id);
    for (const a of affected) {
      if (a.kind === "cpe") {
        this.insertAffected.run(
          v.source,
          v.id,
          "cpe",
          a.vendor,
          a.product,
          null,
          null,
          null,
          JSON.stringify(a.entry),
          n(a.platforms),
        );
      } else {
        const colon = a.ecosystem.indexOf(":");
        const base = colon < 0 ? a.ecosystem : a.ecosystem.slice(0, colon);
        this.insertAffected.run(
          v.source,
          v.id,
          "package",
          null,
          null,
          a.ecosystem,
          base,
          a.name.toLowerCase(),
          JSON.stringify(a.entry),
          null,
        );
      }
    }
    return true;
  }

  kev(r: KevRow): void {
    this.upsertKev.run({
      cve: r.cve,
      vendor: n(r.vendor),
      product: n(r.product),
      name: n(r.name),
      dateAdded: r.dateAdded,
      dueDate: n(r.dueDate),
      ransomware: n(r.ransomware),
      requiredAction: n(r.requiredAction),
      catalogVersion: n(r.catalogVersion),
    });
  }

  epss(r: EpssRow): void {
    this.upsertEpss.run({
      cve: r.cve,
      score: r.score,
      percentile: r.percentile,
      date: n(r.date),
      modelVersion: n(r.modelVersion),
    });
  }

  /** Replaces the statements a document makes about one CVE. */
  vex(document: string, cve: string, rows: VexRow[]): void {
    this.deleteVex.run(document, cve);
    for (const r of rows) {
      this.insertVex.run(
        document,
        cve,
        r.productId,
        n(r.productName),
        n(r.purl),
        n(r.cpe),
        r.status,
        n(r.justification),
        n(r.impact),
        n(r.remediation),
      );
    }
  }
}
