// The one flow: plan -> collect -> check -> verdict -> projection. Everything after collect is a
// pure function of the evidence, so the same inputs and catalog give the same assessment.
import { loadCatalog, type Catalog } from "../catalog/load.js";
import { CHECKS } from "../checks/index.js";
import type { Check } from "../checks/types.js";
import { EvidenceIndex } from "../evidence/types.js";
import { KIND, type ArtifactData, type AttestationData } from "../evidence/kinds.js";
import type { CollectorOptions } from "../collect/index.js";
import { TOOL_VERSION } from "../util/version.js";
import { loadManifest, type Vocabulary } from "../manifest/load.js";
import { today } from "../util/dates.js";
import { resolveConditions } from "./conditions.js";
import { summarizeMarket } from "./markets.js";
import { knownMarkets, makePlan } from "./plan.js";
import { projectRegime } from "./projection.js";
import type { Assessment, CollectionRecord, IdentifiedFinding, InputRecord, VerdictStatus } from "./types.js";
import { decideVerdicts } from "./verdicts.js";

export interface AssessOptions {
  catalog?: Catalog;
  /** Restrict to these markets instead of the manifest's. */
  markets?: string[];
  /** Assess every regime in the catalog, whatever the markets. */
  allRegimes?: boolean;
  /** The date to judge by (ISO); defaults to today. */
  asOf?: string;
  /** The timestamp recorded on the assessment; defaults to now. */
  now?: Date;
  checks?: readonly Check[];
  /** Options for the collectors, e.g. { firmware: { cache: false } }. */
  collectors?: CollectorOptions;
  /** Called with each phase's duration in ms (for benchmarks; never stored in the assessment). */
  onPhase?: (phase: "load" | "collect" | "check" | "judge", ms: number) => void;
}

export function vocabularyOf(catalog: Catalog): Vocabulary {
  return {
    markets: knownMarkets(catalog),
    regimes: new Set(catalog.regimes.map((r) => r.id)),
    requirements: new Set(catalog.baseline.requirements.map((r) => r.id)),
    provisions: new Set(catalog.regimes.flatMap((r) => r.provisions.map((p) => `${r.id}:${p.id}`))),
    conditions: new Set(catalog.baseline.conditions.map((c) => c.id)),
  };
}

export async function assess(target: string, opts: AssessOptions = {}): Promise<Assessment> {
  let mark = performance.now();
  const phase = (name: "load" | "collect" | "check" | "judge") => {
    const now = performance.now();
    opts.onPhase?.(name, now - mark);
    mark = now;
  };
  const catalog = opts.catalog ?? loadCatalog();
  const loaded = loadManifest(target, vocabularyOf(catalog));
  const m = loaded.manifest;
  const at = (opts.now ?? new Date()).toISOString();
  const asOf = opts.asOf ?? today();
  if (opts.markets) {
    const known = knownMarkets(catalog);
    const unknown = opts.markets.filter((x) => !known.has(x));
    if (unknown.length > 0)
      throw new Error(
        `unknown market(s) ${unknown.join(", ")}; known markets: ${[...known].sort().join(", ")}`,
      );
  }
  const evidence = new EvidenceIndex();
  const ctx = { manifest: loaded, at, asOf, evidence };
  const plan = makePlan(catalog, ctx, opts.markets, opts.allRegimes, opts.collectors);
  phase("load");

  // Collect. A collector that fails keeps what it produced so far and the run goes on.
  const collection: CollectionRecord[] = [];
  for (const c of plan.collectors) {
    const rec: CollectionRecord = { collector: c.id, version: c.version, evidence: 0 };
    try {
      for await (const e of c.collect(ctx)) {
        evidence.add(e);
        rec.evidence++;
      }
    } catch (e) {
      rec.error = e instanceof Error ? e.message : String(e);
    }
    collection.push(rec);
  }

  phase("collect");

  // Check.
  const findings: IdentifiedFinding[] = [];
  for (const check of opts.checks ?? CHECKS) {
    check
      .evaluate(evidence, { asOf })
      .forEach((f, i) => findings.push({ id: `${check.meta.id}#${i + 1}`, ...f }));
  }

  phase("check");

  // Judge and project.
  const conditions = resolveConditions(catalog.baseline.conditions, m.conditions);
  const verdicts = decideVerdicts(catalog.baseline, findings, conditions);
  const verdictMap = new Map(verdicts.map((v) => [v.requirement, v]));
  const conditionTitles = new Map(catalog.baseline.conditions.map((c) => [c.id, c.title]));
  const regimes = plan.regimes.map((r) =>
    projectRegime(r, {
      verdicts: verdictMap,
      findings,
      conditions,
      conditionTitles,
      asOf,
      craClass: m.product.craClass,
    }),
  );
  const markets = plan.markets.map((mk) => summarizeMarket(mk, regimes));

  const count = <K extends string>(keys: readonly K[], values: string[]) =>
    Object.fromEntries(keys.map((k) => [k, values.filter((v) => v === k).length])) as Record<K, number>;
  const statuses: VerdictStatus[] = ["satisfied", "not-satisfied", "partial", "not-applicable", "unknown"];

  const statusCounts = {
    requirements: count(
      statuses,
      verdicts.map((v) => v.status),
    ),
    findings: count(
      ["pass", "fail", "info", "not-applicable"] as const,
      findings.map((f) => f.status),
    ),
  };
  phase("judge");
  return {
    format: "concord-assessment",
    formatVersion: 1,
    tool: { name: "concord", version: TOOL_VERSION },
    catalog: { version: catalog.version, digest: catalog.digest },
    generatedAt: at,
    asOf,
    product: {
      name: m.product.name,
      maker: m.product.maker.name,
      model: m.product.model,
      version: m.product.version,
      category: m.product.category,
      craClass: m.product.craClass,
    },
    markets,
    conditions,
    inputs: inputsOf(loaded.sha256, evidence),
    evidence: evidence.all(),
    findings,
    verdicts,
    regimes,
    summary: statusCounts,
    collection,
  };
}

function inputsOf(manifestSha: string, evidence: EvidenceIndex): InputRecord[] {
  const inputs: InputRecord[] = [{ role: "manifest", path: "concord.yaml", sha256: manifestSha }];
  for (const e of evidence.ofKind<AttestationData>(KIND.attestation))
    for (const f of e.data.files)
      inputs.push({ role: "attestation-evidence", path: f.path, sha256: f.sha256, bytes: f.bytes });
  for (const e of evidence.ofKind<ArtifactData>(KIND.artifact))
    if (e.data.path && e.data.sha256 && e.data.type !== "device")
      inputs.push({ role: e.data.type, path: e.data.path, sha256: e.data.sha256, bytes: e.data.bytes });
  // One record per file, in a stable order.
  const seen = new Set<string>();
  return inputs.filter((i) =>
    seen.has(`${i.role}:${i.path}`) ? false : (seen.add(`${i.role}:${i.path}`), true),
  );
}

export { TOOL_VERSION };
