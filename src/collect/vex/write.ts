// The product's own VEX, CycloneDX 1.6: every vulnerability matched to one of its components, with
// the analysis the applicable VEX statement gives (the latest by timestamp; of equal times, the
// last given), or in_triage where no statement covers it yet. Matches with the same vulnerability
// and the same analysis share one entry with several affects. Ordered and identified by content,
// so the same inputs give the same bytes except for the timestamp.

import { readFileSync } from "node:fs";
import { stableUuid, sha256 } from "../../util/hash.js";
import { aboutVulnerability, explainApplies, type VexComponent } from "./applies.js";
import type { VexStatement, VexStatus } from "./types.js";

export interface VexProductInfo {
  name: string;
  version?: string;
  purl?: string;
  cpe?: string;
  supplier?: string;
  /** CycloneDX component type; "device" when not given. */
  type?: string;
  bomRef?: string;
}

export interface VulnerabilityMatch {
  /** CVE-2023-1234, GHSA-..., OSV id. */
  vulnerability: string;
  aliases?: string[];
  component: VexComponent & { type?: string; supplier?: string };
  /** Where the record came from ("NVD", "OSV"); NVD for CVE ids when not given. */
  source?: { name: string; url?: string };
  description?: string;
  /** Why the component matched the record's ranges. */
  reason?: string;
}

export interface CycloneDxVexOptions {
  toolVersion?: string;
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
      version?: string;
    };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

const STATE: Record<VexStatus, string> = {
  not_affected: "not_affected",
  affected: "exploitable",
  fixed: "resolved",
  under_investigation: "in_triage",
};

const CDX_JUSTIFICATIONS = new Set([
  "code_not_present",
  "code_not_reachable",
  "requires_configuration",
  "requires_dependency",
  "requires_environment",
  "protected_by_compiler",
  "protected_at_runtime",
  "protected_at_perimeter",
  "protected_by_mitigating_control",
]);

/** OpenVEX justifications and CSAF flag labels in CycloneDX terms. */
const JUSTIFICATION: Record<string, string> = {
  component_not_present: "code_not_present",
  vulnerable_code_not_present: "code_not_present",
  vulnerable_code_not_in_execute_path: "code_not_reachable",
  vulnerable_code_cannot_be_controlled_by_adversary: "requires_environment",
  inline_mitigations_already_exist: "protected_by_mitigating_control",
};

const RESPONSES = new Set(["can_not_fix", "will_not_fix", "update", "rollback", "workaround_available"]);

const COMPONENT_TYPES = new Set([
  "application",
  "framework",
  "library",
  "container",
  "platform",
  "operating-system",
  "device",
  "device-driver",
  "firmware",
  "file",
  "machine-learning-model",
  "data",
  "cryptographic-asset",
]);

export function cdxJustification(j: string | undefined): string | undefined {
  if (!j) return undefined;
  if (CDX_JUSTIFICATIONS.has(j)) return j;
  return JUSTIFICATION[j];
}

const keyOf = (c: VexComponent) => c.purl ?? `${c.name}@${c.version}`;

function sourceFor(id: string, given?: { name: string; url?: string }): { name: string; url?: string } {
  if (given) return given;
  if (/^CVE-\d{4}-\d+$/i.test(id))
    return { name: "NVD", url: `https://nvd.nist.gov/vuln/detail/${id.toUpperCase()}` };
  if (/^GHSA-/i.test(id)) return { name: "GitHub", url: `https://github.com/advisories/${id}` };
  return { name: "OSV", url: `https://osv.dev/vulnerability/${id}` };
}

/** The statement that decides a match: of those that apply, the latest (ties: the last given). */
export function decidingStatement(
  match: VulnerabilityMatch,
  statements: readonly VexStatement[],
): { statement: VexStatement; reason: string } | undefined {
  const ids = [match.vulnerability, ...(match.aliases ?? [])];
  let best: { statement: VexStatement; reason: string; i: number } | undefined;
  statements.forEach((s, i) => {
    if (!aboutVulnerability(s, ids)) return;
    const a = explainApplies(s, match.component);
    if (!a.applies) return;
    const later =
      !best ||
      (s.timestamp ?? "") > (best.statement.timestamp ?? "") ||
      (s.timestamp ?? "") === (best.statement.timestamp ?? "");
    if (later) best = { statement: s, reason: a.reason, i };
  });
  return best && { statement: best.statement, reason: best.reason };
}

export function toCycloneDxVex(
  product: VexProductInfo,
  matches: readonly VulnerabilityMatch[],
  statements: readonly VexStatement[],
  generatedAt: string,
  opts: CycloneDxVexOptions = {},
): Record<string, unknown> {
  const components = new Map<string, Record<string, unknown>>();
  for (const m of matches) {
    const c = m.component;
    const ref = keyOf(c);
    if (components.has(ref)) continue;
    const o: Record<string, unknown> = {
      type: c.type && COMPONENT_TYPES.has(c.type) ? c.type : "library",
      "bom-ref": ref,
    };
    if (c.supplier) o.supplier = { name: c.supplier };
    o.name = c.name;
    if (c.version) o.version = c.version;
    if (c.cpe) o.cpe = c.cpe;
    if (c.purl) o.purl = c.purl;
    components.set(ref, o);
  }

  const entries = new Map<string, { id: string; body: Record<string, unknown>; refs: Set<string> }>();
  for (const m of matches) {
    const decided = decidingStatement(m, statements);
    const s = decided?.statement;
    const analysis: Record<string, unknown> = { state: s ? STATE[s.status] : "in_triage" };
    if (s?.status === "not_affected") {
      const j = cdxJustification(s.justification);
      if (j) analysis.justification = j;
    }
    const response = (s?.response ?? []).filter((r) => RESPONSES.has(r));
    if (response.length) analysis.response = [...new Set(response)].sort();
    const detail = s ? s.impactStatement : "No VEX statement covers this match yet.";
    if (detail) analysis.detail = detail;
    const body: Record<string, unknown> = {
      id: m.vulnerability,
      source: sourceFor(m.vulnerability, m.source),
    };
    const aliases = [...new Set(m.aliases ?? [])].filter((a) => a !== m.vulnerability).sort();
    if (aliases.length) body.references = aliases.map((a) => ({ id: a, source: sourceFor(a) }));
    if (m.description) body.description = m.description;
    if (s?.actionStatement) body.recommendation = s.actionStatement;
    body.analysis = analysis;
    const props: { name: string; value: string }[] = [];
    if (s) {
      props.push({
        name: "concord:vex:source",
        value: `${s.source.file}: ${s.source.location} (${s.source.format})`,
      });
      if (s.source.author) props.push({ name: "concord:vex:author", value: s.source.author });
      if (s.justification && s.justification !== analysis.justification)
        props.push({ name: "concord:vex:justification", value: s.justification });
    }
    if (props.length) body.properties = props;
    const key = sha256(JSON.stringify(body));
    const e = entries.get(key) ?? { id: m.vulnerability, body, refs: new Set<string>() };
    e.refs.add(keyOf(m.component));
    entries.set(key, e);
  }

  const vulnerabilities = [...entries.values()]
    .map((e) => {
      const refs = [...e.refs].sort();
      return {
        sortKey: `${e.id}\u0000${refs[0] ?? ""}`,
        v: { ...e.body, affects: refs.map((ref) => ({ ref })) },
      };
    })
    .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0))
    .map((x) => x.v);
  const body = [...components.keys()].sort().map((k) => components.get(k)!);

  const root: Record<string, unknown> = {
    type: product.type && COMPONENT_TYPES.has(product.type) ? product.type : "device",
    "bom-ref": product.bomRef ?? "product",
  };
  if (product.supplier) root.supplier = { name: product.supplier };
  root.name = product.name;
  if (product.version) root.version = product.version;
  if (product.cpe) root.cpe = product.cpe;
  if (product.purl) root.purl = product.purl;

  const content = JSON.stringify({ root, body, vulnerabilities });
  return {
    bomFormat: "CycloneDX",
    specVersion: "1.6",
    serialNumber: `urn:uuid:${stableUuid(`cyclonedx-vex:${sha256(content)}`)}`,
    version: 1,
    metadata: {
      timestamp: generatedAt,
      tools: {
        components: [{ type: "application", name: "concord", version: opts.toolVersion ?? packageVersion() }],
      },
      component: root,
    },
    components: body,
    vulnerabilities,
  };
}
