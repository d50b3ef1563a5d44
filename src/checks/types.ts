// A check is shaped like a lint rule: metadata plus one function from evidence to findings.
// Checks know core requirements, never regimes. A check that finds no evidence to judge returns
// no findings: silence means "not decided", which the verdict step reports as unknown.
import type { Severity } from "../catalog/schema.js";
import type { EvidenceIndex } from "../evidence/types.js";

export type FindingStatus = "pass" | "fail" | "info" | "not-applicable";

export interface Finding {
  check: string;
  status: FindingStatus;
  message: string;
  /** Core requirements this finding informs (usually the check's own list). */
  requirements: string[];
  /** Regime provisions ("<regime>:<provision>") it informs directly: only attestations do this. */
  provisions?: string[];
  /** Ids of the evidence the finding rests on; never empty. */
  evidence: string[];
  severity: Severity;
  remediation?: string;
}

export interface CheckMeta {
  id: string;
  title: string;
  description: string;
  /** Requirements the check informs; empty for checks whose findings name their own targets. */
  requirements: string[];
  severity: Severity;
  /** Evidence kinds it reads, so the plan can say which evidence would make it run. */
  reads: string[];
  remediation: string;
}

export interface CheckContext {
  /** The date the assessment judges "now" by (ISO), so results are reproducible. */
  asOf: string;
}

export interface Check {
  meta: CheckMeta;
  evaluate(evidence: EvidenceIndex, ctx: CheckContext): Finding[];
}

/** Helper for the common case: a finding for the check's own requirements. */
export function finding(
  meta: CheckMeta,
  status: FindingStatus,
  message: string,
  evidence: string[],
  extra: Partial<Pick<Finding, "requirements" | "provisions" | "severity" | "remediation">> = {},
): Finding {
  return {
    check: meta.id,
    status,
    message,
    requirements: extra.requirements ?? meta.requirements,
    provisions: extra.provisions,
    evidence,
    severity: extra.severity ?? meta.severity,
    remediation: status === "fail" ? (extra.remediation ?? meta.remediation) : extra.remediation,
  };
}
