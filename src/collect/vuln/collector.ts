// The vulnerability collector runs after the firmware and SBOM collectors: it matches every
// component they found against the local vulnerability database (built from the bundled data
// when there is none), applies the VEX statements the manifest lists, and records each match
// with the reason it matched. A VEX "not affected" or "fixed" keeps the match but marks it
// suppressed, with the justification, so the report shows both.
import { basename, isAbsolute, join } from "node:path";
import { FW, type ComponentData } from "../../evidence/firmware.js";
import { makeEvidence, type Evidence } from "../../evidence/types.js";
import { VULN, type VulnMatchData, type VulnScanData } from "../../evidence/vuln.js";
import type { CollectContext, Collector } from "../types.js";
import { aboutVulnerability, applies } from "../vex/applies.js";
import { readVex } from "../vex/read.js";
import type { VexStatement } from "../vex/types.js";
import { ensureBundledDb, matchComponent, openVulnDb, resolveVulnDbPath, status } from "./db/index.js";

const ID = "vuln";
const VERSION = "1.0.0";

export interface VulnCollectorOptions {
  /** Database path (default: CONCORD_VULNDB or the cache directory). */
  db?: string;
}

/** Match components against the database, applying VEX statements; one vuln.scan plus the matches. */
export async function scanComponents(
  components: { e: Evidence<ComponentData>; from: "firmware" | "sbom" }[],
  statements: VexStatement[],
  at: string,
  opts: VulnCollectorOptions & { problems?: string[] } = {},
): Promise<Evidence[]> {
  const path = resolveVulnDbPath(opts.db);
  if (!opts.db && !process.env.CONCORD_VULNDB) await ensureBundledDb(path);
  const db = openVulnDb(path, { readonly: true });
  try {
    const st = status(db);
    const scan: VulnScanData = {
      components: components.length,
      database: {
        path: basename(path),
        sources: Object.fromEntries(
          st.sources.map((x) => [x.source, { records: x.records, importedAt: x.lastImport }]),
        ),
      },
      vexStatements: statements.length,
      problems: opts.problems ?? [],
    };
    const out: Evidence[] = [
      makeEvidence(VULN.scan, "device", scan, {
        collector: ID,
        version: VERSION,
        location: basename(path),
        at,
      }),
    ];
    for (const { e, from } of components) {
      const c = e.data;
      for (const m of matchComponent(db, c)) {
        const vex = statements.find(
          (x) =>
            aboutVulnerability(x, [m.id, ...m.aliases]) &&
            applies(x, { name: c.name, version: c.version, purl: c.purl, cpe: c.cpe, method: c.method }),
        );
        const data: VulnMatchData = {
          component: { name: c.name, version: c.version, purl: c.purl, cpe: c.cpe, evidence: e.id, from },
          id: m.id,
          aliases: m.aliases,
          summary: m.summary,
          severity: m.severity,
          epss: m.epss,
          kev: m.kev,
          fixedVersions: m.fixedVersions,
          confidence: m.confidence,
          reason: m.reason,
          suppressed:
            vex && (vex.status === "not_affected" || vex.status === "fixed")
              ? {
                  status: vex.status,
                  justification: vex.justification,
                  source: `${basename(vex.source.file)} ${vex.source.location}`,
                }
              : undefined,
        };
        out.push(
          makeEvidence(VULN.match, "device", data, {
            collector: ID,
            version: VERSION,
            artifact: e.source.artifact,
            location: e.source.location,
            at,
          }),
        );
      }
    }
    return out;
  } finally {
    db.close();
  }
}

export function vulnCollector(opts: VulnCollectorOptions = {}): Collector {
  return {
    id: ID,
    version: VERSION,
    applies: (ctx) => {
      const a = ctx.manifest.manifest.artifacts;
      return (a?.firmware?.length ?? 0) + (a?.sboms?.length ?? 0) > 0;
    },
    async *collect(ctx: CollectContext): AsyncIterable<Evidence> {
      const statements: VexStatement[] = [];
      const problems: string[] = [];
      for (const v of ctx.manifest.manifest.artifacts?.vex ?? []) {
        const r = await readVex(isAbsolute(v.path) ? v.path : join(ctx.manifest.dir, v.path));
        statements.push(...r.statements);
        problems.push(...r.problems.map((p) => `${v.path}: ${p.message}`));
      }
      const components = [
        ...ctx.evidence.ofKind<ComponentData>(FW.component).map((e) => ({ e, from: "firmware" as const })),
        ...ctx.evidence.ofKind<ComponentData>(VULN.sbomComponent).map((e) => ({ e, from: "sbom" as const })),
      ];
      yield* await scanComponents(components, statements, ctx.at, { ...opts, problems });
    },
  };
}
