// VULN-01, when the maker publishes a security.txt: does it conform to RFC 9116? A stale, unsigned
// or malformed file sends reports nowhere, or to an attacker. security.txt is optional in every
// regime, so this check never stands between a product and VULN-01 when there is none: its
// findings name VULN-01 themselves instead of being one of the requirement's deciding checks.
import { DISCLOSURE_KIND, type SecurityTxtData, type SecurityTxtProblem } from "../evidence/disclosure.js";
import { finding, type Check, type CheckMeta } from "./types.js";

const meta: CheckMeta = {
  id: "disclosure.security-txt",
  title: "security.txt conforms to RFC 9116",
  description:
    "Reads the maker's security.txt (a file named in the manifest, or fetched from the maker's site when network access is allowed). Fails on anything RFC 9116 forbids: no Contact or Expires, an expired file, non-HTTPS links, bad syntax or encoding, a signature that does not verify. Informs VULN-01.",
  requirements: [],
  severity: "high",
  reads: [DISCLOSURE_KIND.securityTxt],
  remediation:
    "Fix the listed lines of security.txt (RFC 9116): at least one Contact, one Expires less than a year ahead, https:// links, UTF-8 text; sign it with an OpenPGP cleartext signature and list its Canonical URL.",
};

const SHOWN = 5;

export function describeProblem(p: SecurityTxtProblem): string {
  return p.line !== undefined ? `line ${p.line}: ${p.message}` : p.message;
}

function list(problems: SecurityTxtProblem[]): string {
  const head = problems.slice(0, SHOWN).map(describeProblem).join("; ");
  return problems.length > SHOWN ? `${head}; and ${problems.length - SHOWN} more` : head;
}

export const disclosureSecurityTxt: Check = {
  meta,
  evaluate(evidence) {
    return evidence.ofKind<SecurityTxtData>(DISCLOSURE_KIND.securityTxt).map((e) => {
      const d = e.data;
      const where = d.source.finalUrl ?? d.source.location;
      const target = { requirements: ["VULN-01"] };
      const errors = d.problems.filter((p) => p.severity === "error");
      if (errors.length > 0)
        return finding(
          meta,
          "fail",
          `The security.txt at ${where} does not conform to RFC 9116 (${errors.length} error${errors.length > 1 ? "s" : ""}): ${list(errors)}.`,
          [e.id],
          target,
        );
      const warnings = d.problems.filter((p) => p.severity === "warning");
      const sig =
        d.signature?.status === "verified"
          ? `signed by ${d.signature.signer?.fingerprint} (verified)`
          : d.signed
            ? `signed by key ${d.signature?.issuer ?? "(unnamed)"} (not verified: no key given)`
            : "not signed";
      const note = warnings.length > 0 ? ` Warnings: ${list(warnings)}.` : "";
      return finding(
        meta,
        "pass",
        `The security.txt at ${where} conforms to RFC 9116: contact ${d.fields.contact[0]!.value}, expires ${d.fields.expires!.value}, ${sig}.${note}`,
        [e.id],
        target,
      );
    });
  },
};
