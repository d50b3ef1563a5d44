// Opening the local vulnerability database: where it lives, WAL mode, migrations.

import Database from "better-sqlite3";
import type { Database as Db } from "better-sqlite3";
import { existsSync, mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { SCHEMA_VERSION, SchemaError, migrate, schemaVersion } from "./schema.js";

export type VulnDb = Db;

export interface OpenOptions {
  /** Open without writing: no migrations, no WAL switch; the file must exist. */
  readonly?: boolean;
}

/**
 * `${XDG_CACHE_HOME or ~/.cache}/concord/vulndb.sqlite`, or `vulndb.sqlite` in CONCORD_CACHE_DIR when
 * that is set (the cache directory the firmware analysis cache uses too).
 */
export function defaultVulnDbPath(): string {
  const dir =
    process.env.CONCORD_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "concord");
  return join(dir, "vulndb.sqlite");
}

/** The database a command uses: --db, else CONCORD_VULNDB, else the default path. */
export function resolveVulnDbPath(flag?: string): string {
  if (flag) return resolve(flag);
  if (process.env.CONCORD_VULNDB) return resolve(process.env.CONCORD_VULNDB);
  return defaultVulnDbPath();
}

/** A 64 MB page cache and memory-mapped reads: the matcher's lookups stay off the read() path. */
function tune(db: Db): void {
  db.pragma("cache_size = -65536");
  db.pragma("mmap_size = 268435456");
}

export function openVulnDb(path: string, opts: OpenOptions = {}): VulnDb {
  if (opts.readonly) {
    if (path !== ":memory:" && !existsSync(path)) {
      throw new SchemaError(
        `no vulnerability database at ${path}; create one with \`concord vulndb import <files>\` or \`concord vulndb update\``,
      );
    }
    const db = new Database(path, { readonly: true, fileMustExist: true });
    tune(db);
    const v = schemaVersion(db);
    if (v !== SCHEMA_VERSION) {
      db.close();
      throw new SchemaError(
        v > SCHEMA_VERSION
          ? `the vulnerability database ${path} has schema version ${v}, newer than this Concord knows (${SCHEMA_VERSION})`
          : `the vulnerability database ${path} has schema version ${v}; open it once for writing (e.g. \`concord vulndb status\`) to upgrade it to ${SCHEMA_VERSION}`,
      );
    }
    return db;
  }
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  tune(db);
  try {
    migrate(db);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}
