// VULN-01: a public vulnerability disclosure policy with a working contact.
import { KIND, type DisclosureData } from "../evidence/kinds.js";
import { finding, type Check, type CheckMeta } from "./types.js";

const meta: CheckMeta = {
  id: "disclosure.policy-declared",
  title: "Vulnerability disclosure policy and contact are published",
  description:
    "Reads the declared disclosure policy. Fails when there is no contact for reporters, when the policy is not public, or when either is only reachable over plain HTTP; reports the acknowledgement commitment.",
  requirements: ["VULN-01"],
  severity: "high",
  reads: [KIND.disclosure],
  remediation:
    "Publish a vulnerability disclosure policy over HTTPS that names a contact (mailto: or an HTTPS form) and says when reporters get an acknowledgement; declare both under `disclosure`.",
};

export const disclosurePolicyDeclared: Check = {
  meta,
  evaluate(evidence) {
    return evidence.ofKind<DisclosureData>(KIND.disclosure).map((e) => {
      const { policy, contact, securityTxt, acknowledgeWithinDays } = e.data;
      const problems: string[] = [];
      if (!contact) problems.push("no contact point for reporting vulnerabilities");
      else if (contact.startsWith("http:")) problems.push(`the contact ${contact} uses plain HTTP`);
      if (!policy) problems.push("no public policy");
      else if (!policy.startsWith("https:")) problems.push(`the policy ${policy} is not served over HTTPS`);
      // A local file path names the file Concord reads (the disclosure collector checks it); only a
      // URL says how the maker serves it.
      if (securityTxt && /^[a-z][a-z0-9+.-]*:/i.test(securityTxt) && !securityTxt.startsWith("https:"))
        problems.push(`security.txt at ${securityTxt} is not served over HTTPS`);
      if (problems.length > 0)
        return finding(meta, "fail", `Vulnerability disclosure is incomplete: ${problems.join("; ")}.`, [
          e.id,
        ]);
      const ack = acknowledgeWithinDays
        ? `; reports acknowledged within ${acknowledgeWithinDays} days`
        : "; no acknowledgement time stated";
      return finding(meta, "pass", `Disclosure policy at ${policy}, contact ${contact}${ack}.`, [e.id]);
    });
  },
};
