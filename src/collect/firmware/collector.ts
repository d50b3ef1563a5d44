// The firmware collector: every image the manifest names becomes evidence, one firmware.image
// record per image plus every fact its analyzers found, each pointing at the image (sha256) and
// the place inside it.
import { isAbsolute, join, relative } from "node:path";
import { FW } from "../../evidence/firmware.js";
import { makeEvidence, type Evidence } from "../../evidence/types.js";
import type { CollectContext, Collector } from "../types.js";
import { analyzeFirmware, type AnalyzeOptions } from "./analyze.js";

const ID = "firmware";
const VERSION = "1.0.0";

export function firmwareEvidence(
  analysis: ReturnType<typeof analyzeFirmware>,
  displayPath: string,
  at: string,
): Evidence[] {
  const artifact = { path: displayPath, sha256: analysis.image.sha256 };
  const out: Evidence[] = [
    makeEvidence(
      FW.image,
      "device",
      { ...analysis.image, path: displayPath },
      { collector: ID, version: VERSION, artifact, location: displayPath, at },
    ),
  ];
  for (const f of analysis.facts)
    out.push(
      makeEvidence(f.kind, f.subject, f.data, {
        collector: `${ID}/${f.analyzer}`,
        version: f.analyzerVersion,
        artifact,
        location: f.location,
        at,
      }),
    );
  return out;
}

export function firmwareCollector(opts: AnalyzeOptions = {}): Collector {
  return {
    id: ID,
    version: VERSION,
    applies: (ctx) => (ctx.manifest.manifest.artifacts?.firmware?.length ?? 0) > 0,
    // eslint-disable-next-line @typescript-eslint/require-await -- analysis is synchronous; the interface is async for network collectors
    async *collect(ctx: CollectContext): AsyncIterable<Evidence> {
      for (const fw of ctx.manifest.manifest.artifacts?.firmware ?? []) {
        const abs = isAbsolute(fw.path) ? fw.path : join(ctx.manifest.dir, fw.path);
        const analysis = analyzeFirmware(abs, opts);
        yield* firmwareEvidence(analysis, relative(ctx.manifest.dir, abs) || fw.path, ctx.at);
      }
    },
  };
}
