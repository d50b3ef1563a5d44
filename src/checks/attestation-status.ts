// Attestations decide what no machine can test. This check turns each one into a finding for the
// requirement or provision it names: current ones count as their claim says; expired ones count
// for nothing (the requirement is unknown unless something else decides it), because a claim
// nobody stands behind any more is not evidence either way.
import { KIND, type AttestationData } from "../evidence/kinds.js";
import { isBefore } from "../util/dates.js";
import { finding, type Check, type CheckMeta } from "./types.js";

const meta: CheckMeta = {
  id: "attestation.status",
  title: "Attestations are current and state their claim",
  description:
    "Each attestation in the manifest becomes a finding for the requirement or provision it names. Expired attestations and attestations dated in the future are reported but decide nothing.",
  requirements: [],
  severity: "medium",
  reads: [KIND.attestation],
  remediation:
    "Renew the attestation: review the process or document again, then update `date` and `validUntil`.",
};

export const attestationStatus: Check = {
  meta,
  evaluate(evidence, ctx) {
    return evidence.ofKind<AttestationData>(KIND.attestation).map((e) => {
      const a = e.data;
      const target = a.requirement
        ? { requirements: [a.requirement] }
        : { requirements: [], provisions: [a.provision!] };
      const who = `${a.by.name}${a.by.role ? ` (${a.by.role})` : ""}`;
      const name = a.requirement ?? a.provision!;
      if (a.validUntil && isBefore(a.validUntil, ctx.asOf))
        return finding(
          meta,
          "info",
          `The attestation for ${name} by ${who} expired on ${a.validUntil}; it no longer counts.`,
          [e.id],
          target,
        );
      if (isBefore(ctx.asOf, a.date))
        return finding(
          meta,
          "info",
          `The attestation for ${name} by ${who} is dated ${a.date}, after the assessment date; it is not counted yet.`,
          [e.id],
          target,
        );
      const files = a.files.map((f) => f.path).join(", ");
      if (a.claim === "not-applicable")
        return finding(
          meta,
          "not-applicable",
          `${who} attests that ${name} does not apply: ${a.statement}`,
          [e.id],
          target,
        );
      if (a.claim === "not-satisfied")
        return finding(meta, "fail", `${who} attests that ${name} is not met: ${a.statement}`, [e.id], {
          ...target,
          remediation: "Close the gap the attestation describes, then attest again.",
        });
      return finding(
        meta,
        "pass",
        `${who} attests ${name} on ${a.date}: ${a.statement} (evidence: ${files})`,
        [e.id],
        target,
      );
    });
  },
};
