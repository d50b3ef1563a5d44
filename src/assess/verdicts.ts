// From findings to one verdict per core requirement. The rules, in order:
//  1. its conditions do not hold            -> not-applicable (says which condition and where from)
//  2. any failing finding                   -> not-satisfied
//  3. a passing attestation                 -> satisfied
//  4. a not-applicable attestation (only)   -> not-applicable
//  5. every deciding check passed           -> satisfied
//  6. some deciding checks passed           -> partial (names the checks still without evidence)
//  7. nothing decided it                    -> unknown (names the evidence or attestation that would)
import type { BaselineT, RequirementT } from "../catalog/schema.js";
import { explainCondition, failingCondition, type ConditionSet } from "./conditions.js";
import type { IdentifiedFinding, Verdict } from "./types.js";

const ATTESTATION_CHECK = "attestation.status";

export function decideVerdict(
  req: RequirementT,
  findings: IdentifiedFinding[],
  conditions: ConditionSet,
  conditionTitles: Map<string, string>,
): Verdict {
  const base = { requirement: req.id, title: req.title, severity: req.severity };
  const mine = findings.filter((f) => f.requirements.includes(req.id));
  const ids = (list: IdentifiedFinding[]) => list.map((f) => f.id);
  const attestations = mine.filter((f) => f.check === ATTESTATION_CHECK);
  const attestationEvidence = attestations.flatMap((f) => f.evidence);
  const toDecide = { evidence: req.decidedBy.evidence, attestation: req.decidedBy.attestation };

  const off = failingCondition(req.appliesWhen, conditions);
  if (off !== undefined)
    return {
      ...base,
      status: "not-applicable",
      because: `Not applicable: ${explainCondition(off, conditions, conditionTitles)}.`,
      findings: ids(mine),
      attestations: attestationEvidence,
    };

  const fails = mine.filter((f) => f.status === "fail");
  if (fails.length > 0)
    return {
      ...base,
      status: "not-satisfied",
      because: fails.map((f) => f.message).join(" "),
      findings: ids(mine),
      attestations: attestationEvidence,
    };

  const attestedPass = attestations.filter((f) => f.status === "pass");
  if (attestedPass.length > 0)
    return {
      ...base,
      status: "satisfied",
      because: attestedPass.map((f) => f.message).join(" "),
      findings: ids(mine),
      attestations: attestationEvidence,
    };

  const attestedNa = attestations.filter((f) => f.status === "not-applicable");
  if (attestedNa.length > 0)
    return {
      ...base,
      status: "not-applicable",
      because: attestedNa.map((f) => f.message).join(" "),
      findings: ids(mine),
      attestations: attestationEvidence,
    };

  const deciding = req.decidedBy.checks;
  const passedChecks = new Set(
    mine.filter((f) => f.status === "pass" && f.check !== ATTESTATION_CHECK).map((f) => f.check),
  );
  const notYet = deciding.filter((c) => !passedChecks.has(c));
  if (passedChecks.size > 0 && notYet.length === 0)
    return {
      ...base,
      status: "satisfied",
      because: mine
        .filter((f) => f.status === "pass")
        .map((f) => f.message)
        .join(" "),
      findings: ids(mine),
      attestations: [],
    };
  if (passedChecks.size > 0)
    return {
      ...base,
      status: "partial",
      because: `${[...passedChecks].join(", ")} passed; ${notYet.join(", ")} had no evidence to judge.`,
      findings: ids(mine),
      attestations: [],
      toDecide,
    };

  const notes = mine.filter((f) => f.status === "info").map((f) => f.message);
  const wants =
    req.decidedBy.evidence.length > 0
      ? `Evidence that would decide it: ${req.decidedBy.evidence.join("; ")}. `
      : "";
  return {
    ...base,
    status: "unknown",
    because: `${notes.length > 0 ? `${notes.join(" ")} ` : ""}No evidence decides this yet. ${wants}Or attest: ${req.decidedBy.attestation}`,
    findings: ids(mine),
    attestations: [],
    toDecide,
  };
}

export function decideVerdicts(
  baseline: BaselineT,
  findings: IdentifiedFinding[],
  conditions: ConditionSet,
): Verdict[] {
  const titles = new Map(baseline.conditions.map((c) => [c.id, c.title]));
  return baseline.requirements.map((r) => decideVerdict(r, findings, conditions, titles));
}
