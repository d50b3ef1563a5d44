// Analyze one firmware image: unpack it, walk every filesystem once with every analyzer, and
// return the facts with where they were found. Used by `concord firmware` and by the firmware
// collector of `concord assess`.
import { readFileSync, statSync } from "node:fs";
import { basename } from "node:path";
import type { FirmwareImageData } from "../../evidence/firmware.js";
import { sha256 } from "../../util/hash.js";
import { InputError } from "../../util/problems.js";
import { ANALYZERS } from "./analyzers/index.js";
import type { Analyzer, Fact } from "./analyzers/types.js";
import { cacheKey, readCache, writeCache } from "./cache.js";
import { FORMATS } from "./formats/index.js";
import { Budget, DEFAULT_LIMITS, type LimitSettings } from "./limits.js";
import { bufferSource } from "./source.js";
import { unpack } from "./unpack.js";
import { walk } from "./walk.js";

export interface LocatedFact extends Fact {
  analyzer: string;
  analyzerVersion: string;
  /** "<filesystem id>:<path>[:line]" */
  location: string;
}

export interface FirmwareAnalysis {
  image: FirmwareImageData;
  facts: LocatedFact[];
  fromCache: boolean;
}

export interface AnalyzeOptions {
  limits?: Partial<LimitSettings>;
  analyzers?: readonly Analyzer[];
  cache?: boolean;
  /** Called as the work advances: files walked of the total, bytes read from them. */
  onProgress?: (p: { phase: "unpack" | "walk"; files: number; totalFiles: number; bytes: number }) => void;
}

export const MAX_IMAGE_BYTES = 2 * 1024 ** 3;

export function analyzerVersions(analyzers: readonly Analyzer[]): Record<string, string> {
  return Object.fromEntries<string>([
    ...FORMATS.map((f): [string, string] => [`format:${f.id}`, f.version]),
    ...analyzers.map((a): [string, string] => [a.id, a.version]),
  ]);
}

export function analyzeFirmware(path: string, opts: AnalyzeOptions = {}): FirmwareAnalysis {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile())
      throw new InputError([{ file: path, message: "not a file", fix: "pass a firmware image file" }]);
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError([
      {
        file: path,
        message: `cannot read the image (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
        fix: "check the path",
      },
    ]);
  }
  if (size === 0)
    throw new InputError([
      {
        file: path,
        message: "the image is empty (0 bytes)",
        fix: "check that the download or dump completed",
      },
    ]);
  if (size > MAX_IMAGE_BYTES)
    throw new InputError([
      {
        file: path,
        message: `the image is larger than ${MAX_IMAGE_BYTES / 1024 ** 3} GiB`,
        fix: "split it into its partitions and pass each one",
      },
    ]);

  const bytes = readFileSync(path);
  const digest = sha256(bytes);
  const analyzers = opts.analyzers ?? ANALYZERS;
  const versions = analyzerVersions(analyzers);
  const key = cacheKey(digest, versions);
  if (opts.cache !== false) {
    const hit = readCache<Omit<FirmwareAnalysis, "fromCache">>("firmware", key);
    if (hit) return { ...hit, image: { ...hit.image, path }, fromCache: true };
  }

  const budget = new Budget({ ...DEFAULT_LIMITS, ...opts.limits });
  const unpacked = unpack(bufferSource(basename(path), bytes), { budget });
  const totalFiles = unpacked.filesystems.reduce((n, f) => n + f.fs.size, 0);
  opts.onProgress?.({ phase: "unpack", files: 0, totalFiles, bytes: unpacked.bytesUnpacked });
  const facts: LocatedFact[] = [];
  const problems = [...unpacked.problems];
  let stoppedBy = unpacked.stoppedBy;
  let walked = 0;
  for (const mounted of unpacked.filesystems) {
    try {
      const stats = walk(
        mounted,
        analyzers,
        (fact, analyzer, fs) =>
          facts.push({
            ...fact,
            analyzer: analyzer.id,
            analyzerVersion: analyzer.version,
            location: `${fs.id}:${fact.location ?? "/"}`,
          }),
        budget,
        (st) =>
          opts.onProgress?.({ phase: "walk", files: walked + st.files, totalFiles, bytes: st.bytesRead }),
      );
      walked += stats.files;
      problems.push(...stats.errors);
      opts.onProgress?.({ phase: "walk", files: walked, totalFiles, bytes: stats.bytesRead });
    } catch (e) {
      // A time limit while walking keeps the facts found so far.
      stoppedBy = (e as Error).message;
      problems.push(stoppedBy);
      break;
    }
  }
  const image: FirmwareImageData = {
    path,
    sha256: digest,
    bytes: size,
    layers: unpacked.layers.map((l) => ({
      path: l.path,
      format: l.format,
      offset: l.offset,
      length: l.length,
      // Format details that checks use (a FIT image's signature nodes, a uImage's CRC result).
      ...(l.detail ? { detail: l.detail } : {}),
    })),
    filesystems: unpacked.filesystems.map((f) => ({ id: f.id, format: f.format, files: f.fs.size })),
    problems,
    stoppedBy,
    analyzers: Object.fromEntries(analyzers.map((a) => [a.id, a.version])),
  };
  const result = { image, facts };
  // Only complete analyses are cached: a run stopped by a limit is recomputed next time.
  if (opts.cache !== false && !stoppedBy) writeCache("firmware", key, result);
  return { ...result, fromCache: false };
}
