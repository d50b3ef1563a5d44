// SARIF 2.1.0: one rule per check, one result per finding, located at the evidence it rests on
// (the manifest line for declared facts, the artifact for collected ones). Code-scanning tools
// show the failures; the pass/informational results keep the record complete.
import type { Assessment, IdentifiedFinding } from "../assess/types.js";
import type { Check } from "../checks/types.js";
import type { Evidence } from "../evidence/types.js";

const LEVEL = { critical: "error", high: "error", medium: "warning", low: "note" } as const;
const KIND = {
  pass: "pass",
  fail: "fail",
  info: "informational",
  "not-applicable": "notApplicable",
} as const;

function location(e: Evidence | undefined, manifestPath: string): Record<string, unknown> | undefined {
  if (!e) return undefined;
  const loc = e.source.location ?? "";
  const m = /^(.*):(\d+):(\d+)$/.exec(loc);
  const uri = m
    ? m[1] === "concord.yaml"
      ? manifestPath
      : m[1]!
    : (e.source.artifact?.path ?? manifestPath);
  const region = m ? { startLine: Number(m[2]), startColumn: Number(m[3]) } : undefined;
  return {
    physicalLocation: { artifactLocation: { uri }, ...(region ? { region } : {}) },
    ...(m ? {} : loc ? { logicalLocations: [{ name: loc }] } : {}),
  };
}

export interface SarifInput {
  findings: IdentifiedFinding[];
  evidence: Evidence[];
  toolVersion: string;
  automationId: string;
  properties: Record<string, unknown>;
}

export function renderSarif(a: Assessment, checks: readonly Check[], manifestPath = "concord.yaml"): string {
  return sarifLog(
    {
      findings: a.findings,
      evidence: a.evidence,
      toolVersion: a.tool.version,
      automationId: `concord/${a.product.name}/${a.asOf}`,
      properties: {
        catalogVersion: a.catalog.version,
        catalogDigest: a.catalog.digest,
        markets: a.markets.map((m) => ({ market: m.market, status: m.status })),
      },
    },
    checks,
    manifestPath,
  );
}

/** A SARIF log for any set of findings (an assessment, or `concord firmware` on its own). */
export function sarifLog(a: SarifInput, checks: readonly Check[], manifestPath = "concord.yaml"): string {
  const evidence = new Map(a.evidence.map((e) => [e.id, e]));
  const used = new Set(a.findings.map((f) => f.check));
  const rules = checks
    .filter((c) => used.has(c.meta.id))
    .map((c) => ({
      id: c.meta.id,
      name: c.meta.id.replace(/[^A-Za-z0-9]+(.)?/g, (_: string, ch?: string) => (ch ? ch.toUpperCase() : "")),
      shortDescription: { text: c.meta.title },
      fullDescription: { text: c.meta.description },
      help: { text: c.meta.remediation },
      defaultConfiguration: { level: LEVEL[c.meta.severity] },
      properties: { requirements: c.meta.requirements, tags: ["security", ...c.meta.requirements] },
    }));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const result = (f: IdentifiedFinding) => {
    const loc = location(evidence.get(f.evidence[0] ?? ""), manifestPath);
    return {
      ruleId: f.check,
      ruleIndex: ruleIndex.get(f.check),
      kind: KIND[f.status],
      level: f.status === "fail" ? LEVEL[f.severity] : "none",
      message: { text: f.remediation ? `${f.message} Fix: ${f.remediation}` : f.message },
      ...(loc ? { locations: [loc] } : {}),
      partialFingerprints: { concordFinding: f.id },
      properties: { requirements: f.requirements, provisions: f.provisions ?? [], evidence: f.evidence },
    };
  };
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "Concord",
            version: a.toolVersion,
            informationUri: "https://github.com/concord-iot/concord",
            rules,
          },
        },
        automationDetails: { id: a.automationId },
        results: a.findings.map(result),
        properties: a.properties,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
