// The small database Concord ships (data/vulndb/: hand-written NVD records for the example
// firmware's components and the matching CISA KEV entries), built into the cache the first time a
// database is needed and none exists, so matching works offline from the first run.

import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { importFile, type ImportResult } from "./import.js";
import { openVulnDb, resolveVulnDbPath } from "./store.js";

/** data/vulndb, from src/collect/vuln/db (tsx) or dist/collect/vuln/db (built). */
export function bundledDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "data", "vulndb");
}

/** The bundled feed files, in import order. */
export function bundledFiles(dir = bundledDir()): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => join(dir, f));
}

export function bundledDigest(files = bundledFiles()): string {
  const h = createHash("sha256");
  for (const f of files) h.update(readFileSync(f));
  return h.digest("hex");
}

export interface EnsureResult {
  path: string;
  /** Whether the bundled data was imported now. */
  built: boolean;
  imports: ImportResult[];
}

/**
 * Makes sure a vulnerability database exists at `path` (default: --db / CONCORD_VULNDB / the cache
 * path). When there is none, builds it from the bundled data. A database built from an older
 * bundled data set (and nothing else) is refreshed; one the user filled is left alone.
 */
export async function ensureBundledDb(path = resolveVulnDbPath()): Promise<EnsureResult> {
  const files = bundledFiles();
  const digest = bundledDigest(files);
  const fresh = !existsSync(path);
  const db = openVulnDb(path);
  try {
    const meta = db.prepare("SELECT value FROM meta WHERE key = 'bundled'").pluck().get() as
      string | undefined;
    const others = db
      .prepare("SELECT COUNT(*) FROM imports WHERE location NOT LIKE ? AND status != 'failed'")
      .pluck()
      .get(`${bundledDir()}%`) as number;
    const empty = (db.prepare("SELECT COUNT(*) FROM vulnerabilities").pluck().get() as number) === 0;
    const stale = meta !== undefined && meta !== digest && others === 0;
    if (!fresh && !empty && !stale) return { path, built: false, imports: [] };
    const imports: ImportResult[] = [];
    for (const f of files) imports.push(await importFile(db, f));
    const failed = imports.find((r) => r.status !== "ok");
    if (failed) throw new Error(`the bundled vulnerability data did not import: ${failed.errors.join("; ")}`);
    db.prepare(
      "INSERT INTO meta (key, value) VALUES ('bundled', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    ).run(digest);
    return { path, built: true, imports };
  } finally {
    db.close();
  }
}
