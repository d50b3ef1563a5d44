// The product's own VEX (CycloneDX 1.6) from an assessment: every vulnerability matched in a
// shipped component, "not affected" or "fixed" where the maker's VEX said so (with the
// justification), "in triage" where no statement covers it yet.
import type { Assessment } from "../assess/types.js";
import type { VexStatement, VexStatus } from "../collect/vex/types.js";
import { toCycloneDxVex, type VulnerabilityMatch } from "../collect/vex/write.js";
import { VULN, type VulnMatchData } from "../evidence/vuln.js";

export function renderVex(a: Assessment): string {
  const matches: VulnerabilityMatch[] = [];
  const statements: VexStatement[] = [];
  for (const e of a.evidence) {
    if (e.kind !== VULN.match) continue;
    const m = e.data as VulnMatchData;
    const component = {
      name: m.component.name,
      version: m.component.version,
      purl: m.component.purl,
      cpe: m.component.cpe,
    };
    matches.push({
      vulnerability: m.id,
      aliases: m.aliases,
      component,
      description: m.summary,
      reason: m.reason,
    });
    if (m.suppressed)
      statements.push({
        vulnerability: m.id,
        aliases: m.aliases,
        product: m.component.purl
          ? { purl: m.component.purl }
          : { name: m.component.name, version: m.component.version },
        status: m.suppressed.status as VexStatus,
        justification: m.suppressed.justification,
        source: { format: "cyclonedx", file: m.suppressed.source, location: "$" },
      });
  }
  const product = { name: a.product.name, version: a.product.version, supplier: a.product.maker };
  return `${JSON.stringify(toCycloneDxVex(product, matches, statements, a.generatedAt, { toolVersion: a.tool.version }), null, 2)}\n`;
}
