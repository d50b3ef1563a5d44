// The local vulnerability database's tables, created and upgraded by numbered migrations. Each
// migration runs once, in its own transaction, and is recorded in schema_version; a database
// written by a newer Concord (a version this one does not know) is refused, never guessed at.

import type { Database } from "better-sqlite3";

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "vulnerabilities, affected entries, KEV, EPSS, VEX statements, imports log",
    sql: `
      CREATE TABLE vulnerabilities (
        source TEXT NOT NULL,            -- nvd | osv
        id TEXT NOT NULL,                -- CVE-2017-14491, GHSA-…, DEBIAN-CVE-…
        published TEXT,
        modified TEXT,
        withdrawn TEXT,
        summary TEXT,
        cvss3_version TEXT,              -- 3.0 | 3.1
        cvss3_score REAL,
        cvss3_vector TEXT,
        cvss4_score REAL,
        cvss4_vector TEXT,
        aliases TEXT NOT NULL DEFAULT '[]', -- JSON array: other ids of the same flaw (CVE first)
        PRIMARY KEY (source, id)
      ) WITHOUT ROWID;

      -- One row per NVD cpeMatch (vulnerable, in a node that is not negated) or OSV affected[] entry.
      CREATE TABLE affected (
        source TEXT NOT NULL,
        vuln_id TEXT NOT NULL,
        kind TEXT NOT NULL,              -- cpe | package
        vendor TEXT,                     -- cpe: unquoted, lower case
        product TEXT,
        ecosystem TEXT,                  -- package: as OSV writes it ("Debian:11")
        eco_base TEXT,                   -- "Debian"
        name TEXT,                       -- package name, lower case
        entry TEXT NOT NULL,             -- JSON: the NVD cpeMatch or the OSV affected entry
        platforms TEXT                   -- NVD AND configurations: the other nodes' criteria
      );
      CREATE INDEX affected_cpe ON affected (vendor, product) WHERE kind = 'cpe';
      CREATE INDEX affected_package ON affected (eco_base, name) WHERE kind = 'package';
      CREATE INDEX affected_name ON affected (name) WHERE kind = 'package';
      CREATE INDEX affected_vuln ON affected (source, vuln_id);

      CREATE TABLE kev (
        cve TEXT PRIMARY KEY,
        vendor TEXT,
        product TEXT,
        name TEXT,
        date_added TEXT NOT NULL,
        due_date TEXT,
        ransomware TEXT,                 -- Known | Unknown
        required_action TEXT,
        catalog_version TEXT
      ) WITHOUT ROWID;

      CREATE TABLE epss (
        cve TEXT PRIMARY KEY,
        score REAL NOT NULL,
        percentile REAL NOT NULL,
        date TEXT,
        model_version TEXT
      ) WITHOUT ROWID;

      CREATE TABLE vex (
        document TEXT NOT NULL,          -- CSAF document/tracking/id
        cve TEXT NOT NULL,
        product_id TEXT NOT NULL,
        product_name TEXT,
        purl TEXT,
        cpe TEXT,
        status TEXT NOT NULL,            -- CSAF product_status key: known_not_affected, fixed, …
        justification TEXT,              -- CSAF flag label
        impact TEXT,                     -- threats[category=impact].details
        remediation TEXT,
        PRIMARY KEY (document, cve, product_id, status)
      ) WITHOUT ROWID;
      CREATE INDEX vex_cve ON vex (cve);

      CREATE TABLE imports (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        source TEXT NOT NULL,
        location TEXT NOT NULL,
        sha256 TEXT,
        started TEXT NOT NULL,
        finished TEXT,
        records INTEGER NOT NULL DEFAULT 0,
        errors INTEGER NOT NULL DEFAULT 0,
        messages TEXT,                   -- JSON array, the first errors
        status TEXT NOT NULL             -- running | ok | partial | failed
      );

      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export class SchemaError extends Error {
  override name = "SchemaError";
}

/** The schema version of an open database (0 for an empty one). */
export function schemaVersion(db: Database): number {
  const t = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")
    .get();
  if (!t) return 0;
  const row = db.prepare("SELECT MAX(version) AS v FROM schema_version").get() as { v: number | null };
  return row.v ?? 0;
}

/**
 * Brings a database up to SCHEMA_VERSION; returns the migrations applied. The check and the
 * migrations run in one IMMEDIATE transaction, so two processes opening a new database at once
 * (parallel test files, two commands) do not both try to create it.
 */
export function migrate(db: Database, now = () => new Date().toISOString()): number[] {
  const applied: number[] = [];
  const run = db.transaction(() => {
    db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied TEXT NOT NULL)");
    const current = schemaVersion(db);
    if (current > SCHEMA_VERSION) {
      throw new SchemaError(
        `the vulnerability database has schema version ${current}, newer than this Concord knows (${SCHEMA_VERSION}); update Concord or use another --db`,
      );
    }
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      db.exec(m.sql);
      db.prepare("INSERT INTO schema_version (version, applied) VALUES (?, ?)").run(m.version, now());
      applied.push(m.version);
    }
  });
  run.immediate();
  return applied;
}
