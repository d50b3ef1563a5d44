// The Assessment: everything one run decided, in the order of the flow. Its JSON form is the
// versioned report format documented in docs/assessment-json.md.
import type { Evidence } from "../evidence/types.js";
import type { Finding } from "../checks/types.js";
import type { Relation, Severity } from "../catalog/schema.js";
import type { ConditionSet } from "./conditions.js";

export type VerdictStatus = "satisfied" | "not-satisfied" | "partial" | "not-applicable" | "unknown";

export interface IdentifiedFinding extends Finding {
  id: string;
}

export interface Verdict {
  requirement: string;
  title: string;
  severity: Severity;
  status: VerdictStatus;
  because: string;
  findings: string[];
  attestations: string[];
  /** For unknown and partial verdicts: what would decide the requirement. */
  toDecide?: { evidence: string[]; attestation: string };
}

export interface ProvisionResult {
  id: string;
  title: string;
  level: "mandatory" | "recommended";
  status: VerdictStatus;
  because: string;
  residue?: string;
  requirements: { id: string; relation: Relation; status: VerdictStatus }[];
  /** Binding only from this date (for example the CRA's main obligations). */
  appliesFrom?: string;
  tags?: string[];
}

export interface LabelResult {
  label: string;
  name: string;
  level: string;
  levelName: string;
  eligible: boolean;
  /** Provisions still keeping this level out of reach. */
  needs: string[];
}

export interface RegimeResult {
  regime: string;
  name: string;
  shortName: string;
  kind: string;
  legalStatus: "mandatory" | "voluntary";
  markets: string[];
  completeness: "complete" | "partial";
  status: "conformant" | "blocked" | "incomplete" | "not-applicable";
  because: string;
  provisions: ProvisionResult[];
  blockers: { provision: string; title: string; from?: string }[];
  missing: string[];
  labels: LabelResult[];
  dates: { what: string; date: string; inForce: boolean }[];
  productClass?: { id: string; title: string; conformity: string[] };
}

export interface MarketResult {
  market: string;
  status: "conformant" | "blocked" | "incomplete" | "voluntary-only";
  /** Blocked only by provisions that bind later: the date the first one binds. */
  blockedFrom?: string;
  regimes: string[];
  blockers: string[];
  missing: number;
  labels: string[];
  labelsNext: string[];
}

export interface InputRecord {
  role: "manifest" | "attestation-evidence" | "firmware" | "sbom" | "app" | "mud";
  path: string;
  sha256: string;
  bytes?: number;
}

export interface CollectionRecord {
  collector: string;
  version: string;
  evidence: number;
  /** Set when the collector stopped early; the evidence it produced before is kept. */
  error?: string;
}

export interface Assessment {
  format: "concord-assessment";
  formatVersion: 1;
  tool: { name: "concord"; version: string };
  catalog: { version: string; digest: string };
  generatedAt: string;
  asOf: string;
  product: {
    name: string;
    maker: string;
    model?: string;
    version?: string;
    category: string;
    craClass?: string;
  };
  markets: MarketResult[];
  conditions: ConditionSet;
  inputs: InputRecord[];
  evidence: Evidence[];
  findings: IdentifiedFinding[];
  verdicts: Verdict[];
  regimes: RegimeResult[];
  summary: {
    requirements: Record<VerdictStatus, number>;
    findings: Record<"pass" | "fail" | "info" | "not-applicable", number>;
  };
  collection: CollectionRecord[];
}
