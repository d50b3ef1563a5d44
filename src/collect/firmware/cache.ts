// Analyses are cached by image hash and by the versions of every format and analyzer that ran,
// so a new Concord release recomputes exactly what changed. The cache is plain JSON files under
// the user's cache directory (CONCORD_CACHE_DIR or XDG_CACHE_HOME/concord).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { sha256 } from "../../util/hash.js";

export function cacheDir(): string {
  return (
    process.env.CONCORD_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "concord")
  );
}

export function cacheKey(imageSha256: string, versions: Record<string, string>): string {
  const v = Object.entries(versions)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, x]) => `${k}@${x}`)
    .join(",");
  return `${imageSha256}-${sha256(v).slice(0, 16)}`;
}

export function readCache<T>(area: string, key: string): T | undefined {
  try {
    return JSON.parse(readFileSync(join(cacheDir(), area, `${key}.json`), "utf8")) as T;
  } catch {
    return undefined; // missing or unreadable: recompute
  }
}

export function writeCache(area: string, key: string, value: unknown): void {
  try {
    const dir = join(cacheDir(), area);
    mkdirSync(dir, { recursive: true });
    // Write then rename, so a crash never leaves a half-written entry that a later run trusts.
    const tmp = join(dir, `${key}.${process.pid}.tmp`);
    writeFileSync(tmp, JSON.stringify(value));
    renameSync(tmp, join(dir, `${key}.json`));
  } catch {
    // A read-only or full cache directory only costs speed.
  }
}
