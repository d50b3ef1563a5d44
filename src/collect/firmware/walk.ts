// One walk per filesystem feeds every analyzer. Files are visited in path order so results are
// deterministic. An analyzer that throws on one file loses that file, not the walk.
import type { Analyzer, AnalyzerContext, Fact, FileRef, FileView } from "./analyzers/types.js";
import type { Budget } from "./limits.js";
import type { MountedFs } from "./unpack.js";

export interface WalkStats {
  files: number;
  bytesRead: number;
  errors: string[];
}

export function walk(
  mounted: MountedFs,
  analyzers: readonly Analyzer[],
  emit: (fact: Fact, analyzer: Analyzer, fs: MountedFs) => void,
  budget?: Budget,
  onFile?: (stats: WalkStats) => void,
): WalkStats {
  const stats: WalkStats = { files: 0, bytesRead: 0, errors: [] };
  const runs = analyzers.map((a) => ({ analyzer: a, run: a.create() }));
  const ctxFor = (a: Analyzer): AnalyzerContext => ({
    fs: mounted,
    vfs: mounted.fs,
    emit: (fact) => emit(fact, a, mounted),
  });
  const contexts = new Map(runs.map((r) => [r.analyzer.id, ctxFor(r.analyzer)]));

  for (const entry of mounted.fs.list()) {
    if (entry.type !== "file" || !entry.read) continue;
    stats.files++;
    if (stats.files % 256 === 0) {
      budget?.checkTime(`walking ${mounted.id}`);
      onFile?.(stats);
    }
    let content: Uint8Array | undefined;
    let failed: string | undefined;
    const read = () => {
      if (content === undefined && failed === undefined) {
        try {
          content = entry.read!();
          stats.bytesRead += content.length;
        } catch (e) {
          failed = (e as Error).message;
        }
      }
      if (failed !== undefined) throw new Error(failed);
      return content!;
    };
    const ref: FileRef = { path: entry.path, entry, head: () => read().subarray(0, 512) };
    const view: FileView = { ...ref, read, text: () => Buffer.from(read()).toString("utf8") };
    for (const { analyzer, run } of runs) {
      try {
        if (run.wants(ref)) run.analyze(view, contexts.get(analyzer.id)!);
      } catch (e) {
        stats.errors.push(`${analyzer.id} on ${mounted.id}:${entry.path}: ${(e as Error).message}`);
      }
    }
    content = undefined; // let the bytes go before the next file
  }
  for (const { analyzer, run } of runs) {
    try {
      run.finish?.(contexts.get(analyzer.id)!);
    } catch (e) {
      stats.errors.push(`${analyzer.id} on ${mounted.id}: ${(e as Error).message}`);
    }
  }
  return stats;
}
