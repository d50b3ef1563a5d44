// VULN-07: a CSAF provider metadata document is how machines find a maker's security advisories.
// A valid one shows the channel exists but not that advisories flow through it, so this check can
// fail VULN-07 (a broken channel) but only informs when the document is valid.
import { DISCLOSURE_KIND, type CsafProviderMetadataData } from "../evidence/disclosure.js";
import { describeProblem } from "./disclosure-security-txt.js";
import { finding, type Check, type CheckMeta } from "./types.js";

const meta: CheckMeta = {
  id: "disclosure.csaf-provider-metadata",
  title: "CSAF provider metadata is valid",
  description:
    "Validates the maker's provider-metadata.json against CSAF 2.0 (schema, HTTPS URLs, a distribution for providers). Fails when it is invalid; a valid one is reported, not counted as proof that advisories are published.",
  requirements: ["VULN-07"],
  severity: "medium",
  reads: [DISCLOSURE_KIND.csafProviderMetadata],
  remediation:
    "Fix provider-metadata.json so it validates against the CSAF 2.0 provider metadata schema, serve every URL in it over HTTPS, and list a directory or ROLIE distribution.",
};

export const disclosureCsafProviderMetadata: Check = {
  meta,
  evaluate(evidence) {
    return evidence.ofKind<CsafProviderMetadataData>(DISCLOSURE_KIND.csafProviderMetadata).map((e) => {
      const d = e.data;
      const where = d.source.finalUrl ?? d.source.location;
      const errors = d.problems.filter((p) => p.severity === "error");
      if (errors.length > 0) {
        const shown = errors.slice(0, 5).map(describeProblem).join("; ");
        const more = errors.length > 5 ? `; and ${errors.length - 5} more` : "";
        return finding(meta, "fail", `The CSAF provider metadata at ${where} is invalid: ${shown}${more}.`, [
          e.id,
        ]);
      }
      return finding(
        meta,
        "info",
        `The CSAF provider metadata at ${where} is valid: ${d.role} ${d.publisher}, ${d.distributions} distribution${d.distributions === 1 ? "" : "s"}, updated ${d.lastUpdated}. Whether advisories are published through it needs an attestation.`,
        [e.id],
      );
    });
  },
};
