// The facts a document draws on, read from the assessment (its evidence, verdicts and regime
// results) and the catalog, never guessed. A regime the product's markets did not bring into the
// assessment is projected here from the same verdicts, with the same pure function `assess` uses,
// so `concord docs eu-doc` works for a product not yet aimed at the EU.
import { projectRegime } from "../../assess/projection.js";
import type { Assessment, ProvisionResult, RegimeResult, Verdict } from "../../assess/types.js";
import type { Evidence } from "../../evidence/types.js";
import {
  KIND,
  type ArtifactData,
  type AttestationData,
  type CloudEndpointData,
  type DisclosureData,
  type SupportPeriodData,
} from "../../evidence/kinds.js";
import type { DocInput } from "./types.js";

export interface ProductFacts {
  support?: SupportPeriodData;
  disclosure?: DisclosureData;
  cloud: CloudEndpointData[];
  firmware: { path?: string; sha256?: string; version?: string }[];
  attestations: AttestationData[];
}

function dataOf<T>(a: Assessment, kind: string): T[] {
  return a.evidence.filter((e) => e.kind === kind).map((e) => e.data as T);
}

export function factsOf(a: Assessment): ProductFacts {
  const firmware = dataOf<ArtifactData>(a, KIND.artifact)
    .filter((d) => d.type === "firmware")
    .map((d) => ({
      path: d.path,
      sha256: d.sha256,
      version: typeof d.detail?.version === "string" ? d.detail.version : undefined,
    }));
  return {
    support: dataOf<SupportPeriodData>(a, KIND.supportPeriod)[0],
    disclosure: dataOf<DisclosureData>(a, KIND.disclosure)[0],
    cloud: dataOf<CloudEndpointData>(a, KIND.cloudEndpoint),
    firmware,
    attestations: dataOf<AttestationData>(a, KIND.attestation),
  };
}

export interface RegimeView {
  result: RegimeResult;
  /** True when the product's markets (or the manifest's regimes.include) brought the regime in. */
  inScope: boolean;
}

/** The regime's result from the assessment, or projected from its verdicts when it was not assessed. */
export function regimeView(input: DocInput, id: string): RegimeView {
  const a = input.assessment;
  const found = a.regimes.find((r) => r.regime === id);
  if (found) return { result: found, inScope: true };
  const regime = input.catalog.regime(id);
  if (!regime) throw new Error(`the catalog has no regime "${id}"`);
  const result = projectRegime(regime, {
    verdicts: new Map(a.verdicts.map((v) => [v.requirement, v])),
    findings: a.findings,
    conditions: a.conditions,
    conditionTitles: new Map(input.catalog.baseline.conditions.map((c) => [c.id, c.title])),
    asOf: a.asOf,
    craClass: a.product.craClass,
  });
  return { result, inScope: false };
}

export function verdictOf(a: Assessment, requirement: string): Verdict | undefined {
  return a.verdicts.find((v) => v.requirement === requirement);
}

/** Where a piece of evidence came from, in a few words: its location, or the file it was read from. */
function evidenceLabel(e: Evidence): string[] {
  if (e.kind === KIND.attestation) {
    const d = e.data as AttestationData;
    return d.files.map((f) => `${f.path} (sha256 ${f.sha256.slice(0, 12)}…)`);
  }
  return [e.source.location ?? e.source.artifact?.path ?? e.kind];
}

/**
 * The evidence behind a provision's result: what the findings that decided it (directly, or through
 * the verdicts of the requirements it maps to) rest on. Capped so one row stays readable.
 */
export function provisionEvidence(a: Assessment, regime: string, p: ProvisionResult, cap = 6): string[] {
  const key = `${regime}:${p.id}`;
  const findingIds = new Set<string>();
  for (const f of a.findings) if (f.provisions?.includes(key)) findingIds.add(f.id);
  for (const r of p.requirements) for (const id of verdictOf(a, r.id)?.findings ?? []) findingIds.add(id);
  const evidence = new Map(a.evidence.map((e) => [e.id, e]));
  const labels = new Set<string>();
  for (const f of a.findings)
    if (findingIds.has(f.id) && f.status !== "info")
      for (const id of f.evidence) {
        const e = evidence.get(id);
        if (e) for (const l of evidenceLabel(e)) labels.add(l);
      }
  const all = [...labels];
  return all.length > cap ? [...all.slice(0, cap), `and ${all.length - cap} more`] : all;
}

/** Mandatory provisions that stand in the way of a claim of conformity, worst first. */
export function claimGaps(r: RegimeResult): { failed: ProvisionResult[]; open: ProvisionResult[] } {
  const mandatory = r.provisions.filter((p) => p.level === "mandatory");
  return {
    failed: mandatory.filter((p) => p.status === "not-satisfied"),
    open: mandatory.filter((p) => p.status === "unknown" || p.status === "partial"),
  };
}

/**
 * Whether the assessment supports a claim of conformity with the regime, and if not, why, in one
 * sentence. Only a conformant regime does: failed or undecided mandatory provisions do not.
 */
export function claimSupport(r: RegimeResult): { supported: boolean; reason: string } {
  if (r.status === "conformant") return { supported: true, reason: r.because };
  if (r.status === "not-applicable")
    return { supported: false, reason: `${r.shortName} does not apply to this product: ${r.because}` };
  const { failed, open } = claimGaps(r);
  const parts = [
    failed.length > 0
      ? `${failed.length} mandatory provision(s) not met (${failed.map((p) => p.id).join(", ")})`
      : "",
    open.length > 0 ? `${open.length} not yet shown (${open.map((p) => p.id).join(", ")})` : "",
  ].filter(Boolean);
  return {
    supported: false,
    reason: `the assessment does not support a claim of conformity with ${r.shortName}: ${parts.join("; ") || r.because}`,
  };
}
