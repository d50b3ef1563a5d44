// Project the requirement verdicts onto one regime: each provision's status from the verdicts of
// the requirements it maps to and the relation of the mapping, then the regime's status, its
// labels and levels, and its dates. The rules are documented in docs/semantics.md.
import type { ProvisionT, RegimeT } from "../catalog/schema.js";
import { isOnOrBefore } from "../util/dates.js";
import { explainCondition, failingCondition, type ConditionSet } from "./conditions.js";
import type {
  IdentifiedFinding,
  LabelResult,
  ProvisionResult,
  RegimeResult,
  Verdict,
  VerdictStatus,
} from "./types.js";

export interface ProjectionInput {
  verdicts: Map<string, Verdict>;
  findings: IdentifiedFinding[];
  conditions: ConditionSet;
  conditionTitles: Map<string, string>;
  asOf: string;
  craClass?: string;
}

/** Relations under which a satisfied requirement fully satisfies the provision. */
const COVERS = new Set(["equal", "subset"]);

export function projectProvision(regime: RegimeT, p: ProvisionT, input: ProjectionInput): ProvisionResult {
  const requirements = p.maps.map((m) => ({
    id: m.requirement,
    relation: m.relation,
    status: input.verdicts.get(m.requirement)?.status ?? "unknown",
  }));
  const base = {
    id: p.id,
    title: p.title,
    level: p.level,
    requirements,
    appliesFrom: p.appliesFrom,
    tags: p.tags,
  };
  const result = (status: VerdictStatus, because: string, residue?: string): ProvisionResult => ({
    ...base,
    status,
    because,
    residue,
  });

  const off = failingCondition(p.condition, input.conditions);
  if (off !== undefined)
    return result(
      "not-applicable",
      `Not applicable: ${explainCondition(off, input.conditions, input.conditionTitles)}.`,
    );

  // Attestations that name this provision directly decide it, except that they cannot overrule
  // a failed requirement the provision is equal to or asks more than.
  const key = `${regime.id}:${p.id}`;
  const attested = input.findings.filter((f) => f.provisions?.includes(key));
  const hardFail = p.maps.some(
    (m) =>
      (m.relation === "equal" || m.relation === "superset") &&
      input.verdicts.get(m.requirement)?.status === "not-satisfied",
  );
  const attestedFail = attested.find((f) => f.status === "fail");
  if (attestedFail) return result("not-satisfied", attestedFail.message);
  if (!hardFail) {
    const pass = attested.find((f) => f.status === "pass");
    if (pass) return result("satisfied", pass.message);
    const na = attested.find((f) => f.status === "not-applicable");
    if (na) return result("not-applicable", na.message);
  }

  if (p.maps.length === 0)
    return result(
      "unknown",
      `No core requirement decides this provision (${p.unmapped ?? "not mapped"}). Attest it with \`provision: ${key}\`.`,
    );

  const by = (s: VerdictStatus) => requirements.filter((r) => r.status === s).map((r) => r.id);
  const failed = by("not-satisfied");
  if (failed.length > 0)
    return result(
      "not-satisfied",
      `Not met because ${failed.join(", ")} ${failed.length > 1 ? "are" : "is"} not satisfied.`,
    );

  // Each mapping is a claim on its own: one satisfied requirement that the provision equals or
  // asks less than is enough.
  const covering = p.maps.filter(
    (m) => COVERS.has(m.relation) && input.verdicts.get(m.requirement)?.status === "satisfied",
  );
  if (covering.length > 0)
    return result(
      "satisfied",
      `Met through ${covering.map((m) => `${m.requirement} (${m.relation})`).join(", ")}.`,
    );

  const relevant = requirements.filter((r) => r.status !== "not-applicable");
  if (relevant.length === 0)
    return result(
      "not-applicable",
      `Every requirement it maps to (${requirements.map((r) => r.id).join(", ")}) is not applicable.`,
    );
  const satisfied = by("satisfied");
  const open = relevant.filter((r) => r.status !== "satisfied");
  if (open.length === 0) {
    // Satisfied only through superset or intersects mappings: the provision asks more.
    const residue = p.maps
      .filter((m) => !COVERS.has(m.relation) && input.verdicts.get(m.requirement)?.status === "satisfied")
      .map((m) => m.residue ?? m.rationale)
      .join(" ");
    return result(
      "partial",
      `${satisfied.join(", ")} satisfied, but the provision asks more than ${satisfied.length > 1 ? "they do" : "it does"}. Review the residue, or attest \`provision: ${key}\`.`,
      residue,
    );
  }
  const progress = [...satisfied.map((r) => `${r} satisfied`), ...by("partial").map((r) => `${r} partial`)];
  const undecided = by("unknown");
  if (progress.length === 0)
    return result(
      "unknown",
      `Undecided: ${undecided.join(", ")} ${undecided.length > 1 ? "have" : "has"} no deciding evidence yet.`,
    );
  return result(
    "partial",
    `Partly shown: ${progress.join(", ")}${undecided.length > 0 ? `; ${undecided.join(", ")} undecided` : ""}.`,
  );
}

function labelsFor(regime: RegimeT, provisions: ProvisionResult[]): LabelResult[] {
  const out: LabelResult[] = [];
  for (const label of regime.labels ?? [])
    for (const level of label.levels) {
      const req = level.requires;
      const selected = provisions.filter((p) =>
        "tags" in req
          ? p.tags?.some((t) => req.tags.includes(t))
          : "provisions" in req
            ? req.provisions.includes(p.id)
            : p.level === "mandatory",
      );
      const needs = selected
        .filter((p) => p.status !== "satisfied" && p.status !== "not-applicable")
        .map((p) => p.id);
      out.push({
        label: label.id,
        name: label.name,
        level: level.id,
        levelName: level.name,
        eligible: needs.length === 0,
        needs,
      });
    }
  return out;
}

export function projectRegime(regime: RegimeT, input: ProjectionInput): RegimeResult {
  const dates = regime.dates.map((d) => ({
    what: d.what,
    date: d.date,
    inForce: isOnOrBefore(d.date, input.asOf),
  }));
  const productClass = regime.productClasses?.find((c) => c.id === input.craClass);
  const head = {
    regime: regime.id,
    name: regime.name,
    shortName: regime.shortName,
    kind: regime.kind,
    legalStatus: regime.legalStatus,
    markets: regime.markets,
    completeness: regime.completeness,
    dates,
    productClass: productClass
      ? { id: productClass.id, title: productClass.title, conformity: productClass.conformity ?? [] }
      : undefined,
  };
  const off = failingCondition(regime.appliesWhen, input.conditions);
  if (off !== undefined)
    return {
      ...head,
      status: "not-applicable",
      because: `Out of scope: ${explainCondition(off, input.conditions, input.conditionTitles)}.`,
      provisions: [],
      blockers: [],
      missing: [],
      labels: [],
    };

  const provisions = regime.provisions.map((p) => projectProvision(regime, p, input));
  // Guidance documents make nothing mandatory; they are judged on all their provisions instead.
  const mandatoryOnly = provisions.filter((p) => p.level === "mandatory");
  const mandatory = mandatoryOnly.length > 0 ? mandatoryOnly : provisions;
  const word = mandatoryOnly.length > 0 ? "mandatory provision(s)" : "provision(s)";
  const blockers = mandatory
    .filter((p) => p.status === "not-satisfied")
    .map((p) => ({
      provision: p.id,
      title: p.title,
      from: p.appliesFrom && !isOnOrBefore(p.appliesFrom, input.asOf) ? p.appliesFrom : undefined,
    }));
  const missing = mandatory.filter((p) => p.status === "unknown" || p.status === "partial").map((p) => p.id);
  const labels = labelsFor(regime, provisions);
  const partialNote =
    regime.completeness === "partial"
      ? " Only part of this regime is in the catalog, so conformance cannot be concluded."
      : "";
  if (blockers.length > 0)
    return {
      ...head,
      status: "blocked",
      because: `${blockers.length} ${word} not met: ${blockers.map((b) => b.provision).join(", ")}.${partialNote}`,
      provisions,
      blockers,
      missing,
      labels,
    };
  if (missing.length > 0 || regime.completeness === "partial")
    return {
      ...head,
      status: "incomplete",
      because: `${missing.length} ${word} not yet shown: ${missing.join(", ") || "none"}.${partialNote}`,
      provisions,
      blockers,
      missing,
      labels,
    };
  return {
    ...head,
    status: "conformant",
    because: `All ${mandatory.length} ${word.replace("(s)", "s")} are met or do not apply.`,
    provisions,
    blockers,
    missing,
    labels,
  };
}
