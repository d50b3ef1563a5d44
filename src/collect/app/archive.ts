// APKs and IPAs are ZIP archives: open them with the firmware ZIP reader (entries inflated on
// demand, bounded by a Budget) and read entries with errors that name the package and the entry.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { zipFormat } from "../firmware/formats/zip/index.js";
import { Budget, DEFAULT_LIMITS, LimitError } from "../firmware/limits.js";
import { FormatError, bufferSource } from "../firmware/source.js";
import type { VEntry, VirtualFS } from "../firmware/vfs.js";

/** A package Concord cannot read; the message names the package and what is wrong where. */
export class AppError extends Error {
  override name = "AppError";
}

export interface OpenedPackage {
  bytes: Uint8Array;
  sha256: string;
  fs: VirtualFS;
  /** Notes of the ZIP reader (damaged entries, CRC mismatches). */
  problems: string[];
}

export function readPackageFile(file: string, displayPath: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new AppError(`${displayPath}: cannot read the file (${(err as Error).message})`);
  }
}

/** Open `bytes` as a ZIP archive; `kind` ("APK", "IPA", "app package") words the errors. */
export function openPackage(bytes: Uint8Array, path: string, kind: string): OpenedPackage {
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const problems: string[] = [];
  const budget = new Budget({
    ...DEFAULT_LIMITS,
    maxTotalBytes: 1024 ** 3,
    maxFiles: 200_000,
    maxMillis: 120_000,
  });
  try {
    if (!zipFormat.probe(bufferSource(path, bytes), 0))
      throw new AppError(`${path}: not an ${kind} (no ZIP header at offset 0x0)`);
    const x = zipFormat.extract(bufferSource(path, bytes), 0, {
      budget,
      depth: 0,
      note: (p) => problems.push(p),
    });
    if (x.kind !== "filesystem") throw new AppError(`${path}: not an ${kind} (no ZIP directory)`);
    return { bytes, sha256, fs: x.fs, problems };
  } catch (err) {
    if (err instanceof FormatError || err instanceof LimitError)
      throw new AppError(err.message.startsWith(path) ? err.message : `${path}: ${err.message}`);
    throw err;
  }
}

/** The content of an entry; `where` ("app.apk!/classes.dex") names it in errors. */
export function readEntry(e: VEntry, where: string): Uint8Array {
  if (!e.read)
    throw new AppError(`${where}: the entry cannot be read (encrypted or unsupported compression)`);
  try {
    return e.read();
  } catch (err) {
    if (err instanceof FormatError || err instanceof LimitError)
      throw new AppError(err.message.includes(where) ? err.message : `${where}: ${err.message}`);
    throw err;
  }
}

/** Problems the ZIP reader and the virtual filesystem recorded, as lines. */
export function packageProblems(p: OpenedPackage): string[] {
  return [...p.problems, ...p.fs.problems.map((x) => `${x.path}: ${x.problem}`)];
}
