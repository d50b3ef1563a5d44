// The SBOM collector: every SBOM the manifest lists becomes component evidence, streamed so a
// large SBOM never sits whole in memory. Problems in a document are kept with the components
// that could be read.
import { isAbsolute, join, relative } from "node:path";
import { makeEvidence, type Evidence } from "../../evidence/types.js";
import { VULN } from "../../evidence/vuln.js";
import { sha256File } from "../../util/hash.js";
import type { CollectContext, Collector } from "../types.js";
import { readSbom } from "./read.js";
import { toComponentData } from "./component-data.js";

const ID = "sbom";
const VERSION = "1.0.0";

export const sbomCollector: Collector = {
  id: ID,
  version: VERSION,
  applies: (ctx) => (ctx.manifest.manifest.artifacts?.sboms?.length ?? 0) > 0,
  async *collect(ctx: CollectContext): AsyncIterable<Evidence> {
    for (const s of ctx.manifest.manifest.artifacts?.sboms ?? []) {
      const abs = isAbsolute(s.path) ? s.path : join(ctx.manifest.dir, s.path);
      const path = relative(ctx.manifest.dir, abs) || s.path;
      const artifact = { path, sha256: await sha256File(abs) };
      const result = await readSbom(abs);
      const fatal = result.problems.find((p) => p.fatal);
      if (!result.document && fatal) throw new Error(`${path}: ${fatal.message}`);
      for (const [i, c] of result.components.entries())
        yield makeEvidence(VULN.sbomComponent, "device", toComponentData(c, path, result.document?.format), {
          collector: ID,
          version: VERSION,
          artifact,
          location: `${path}#${c.bomRef ?? i}`,
          at: ctx.at,
        });
    }
  },
};
