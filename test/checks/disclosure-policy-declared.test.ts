import { disclosurePolicyDeclared } from "../../src/checks/disclosure-policy-declared.js";
import { KIND } from "../../src/evidence/kinds.js";
import { checkTable } from "../helpers/check-table.js";
import { ev } from "../helpers/evidence.js";

checkTable(disclosurePolicyDeclared, {
  valid: [
    {
      name: "policy over HTTPS with a mail contact and acknowledgement time",
      evidence: [
        ev(KIND.disclosure, {
          policy: "https://x.example/vdp",
          contact: "mailto:sec@x.example",
          acknowledgeWithinDays: 5,
        }),
      ],
      expect: [
        {
          status: "pass",
          message:
            "Disclosure policy at https://x.example/vdp, contact mailto:sec@x.example; reports acknowledged within 5 days.",
          requirements: ["VULN-01"],
        },
      ],
    },
    {
      name: "no acknowledgement time is said, not failed",
      evidence: [
        ev(KIND.disclosure, { policy: "https://x.example/vdp", contact: "https://x.example/report" }),
      ],
      expect: [{ status: "pass", message: /no acknowledgement time stated/ }],
    },
  ],
  invalid: [
    {
      name: "no contact",
      evidence: [ev(KIND.disclosure, { policy: "https://x.example/vdp" })],
      expect: [
        {
          status: "fail",
          message: "Vulnerability disclosure is incomplete: no contact point for reporting vulnerabilities.",
        },
      ],
    },
    {
      name: "policy over HTTP and no contact",
      evidence: [ev(KIND.disclosure, { policy: "http://x.example/vdp" })],
      expect: [
        {
          status: "fail",
          message:
            "Vulnerability disclosure is incomplete: no contact point for reporting vulnerabilities; the policy http://x.example/vdp is not served over HTTPS.",
        },
      ],
    },
    {
      name: "contact but no policy",
      evidence: [ev(KIND.disclosure, { contact: "mailto:sec@x.example" })],
      expect: [{ status: "fail", message: "Vulnerability disclosure is incomplete: no public policy." }],
    },
    {
      name: "security.txt over plain HTTP",
      evidence: [
        ev(KIND.disclosure, {
          policy: "https://x.example/vdp",
          contact: "mailto:a@x.example",
          securityTxt: "http://x.example/.well-known/security.txt",
        }),
      ],
      expect: [
        {
          status: "fail",
          message:
            /security\.txt at http:\/\/x\.example\/\.well-known\/security\.txt is not served over HTTPS/,
        },
      ],
    },
  ],
  silent: [{ name: "nothing declared", evidence: [], expect: [] }],
});
