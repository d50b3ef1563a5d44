import { attestationStatus } from "../../src/checks/attestation-status.js";
import { KIND, type AttestationData } from "../../src/evidence/kinds.js";
import { checkTable } from "../helpers/check-table.js";
import { ev } from "../helpers/evidence.js";

const att = (over: Partial<AttestationData>) =>
  ev<AttestationData>(KIND.attestation, {
    requirement: "VULN-02",
    claim: "satisfied",
    statement: "Reports are triaged in 5 days.",
    by: { name: "Jo", role: "PSIRT lead" },
    date: "2026-01-10",
    validUntil: "2027-01-10",
    files: [{ path: "evidence/psirt.pdf", sha256: "ab".repeat(32), bytes: 10 }],
    ...over,
  });

checkTable(attestationStatus, {
  valid: [
    {
      name: "current attestation of a requirement",
      evidence: [att({})],
      expect: [
        {
          status: "pass",
          message:
            "Jo (PSIRT lead) attests VULN-02 on 2026-01-10: Reports are triaged in 5 days. (evidence: evidence/psirt.pdf)",
          requirements: ["VULN-02"],
        },
      ],
    },
    {
      name: "attestation of a provision names the provision, not a requirement",
      evidence: [att({ requirement: undefined, provision: "uk-psti:Sch1-3" })],
      expect: [
        {
          status: "pass",
          message: /attests uk-psti:Sch1-3/,
          requirements: [],
          provisions: ["uk-psti:Sch1-3"],
        },
      ],
    },
    {
      name: "not-applicable claim",
      evidence: [att({ claim: "not-applicable", statement: "No debug header is populated." })],
      expect: [
        {
          status: "not-applicable",
          message: "Jo (PSIRT lead) attests that VULN-02 does not apply: No debug header is populated.",
        },
      ],
    },
    {
      name: "valid through the last day",
      asOf: "2027-01-10",
      evidence: [att({})],
      expect: [{ status: "pass", message: /attests VULN-02/ }],
    },
    {
      name: "expired: only noted, so the requirement is unknown, not satisfied",
      asOf: "2027-01-11",
      evidence: [att({})],
      expect: [
        {
          status: "info",
          message:
            "The attestation for VULN-02 by Jo (PSIRT lead) expired on 2027-01-10; it no longer counts.",
        },
      ],
    },
    {
      name: "dated after the assessment date is only noted",
      evidence: [att({ date: "2027-02-01", validUntil: "2028-02-01" })],
      expect: [
        {
          status: "info",
          message:
            "The attestation for VULN-02 by Jo (PSIRT lead) is dated 2027-02-01, after the assessment date; it is not counted yet.",
        },
      ],
    },
  ],
  invalid: [
    {
      name: "honest not-satisfied claim",
      evidence: [
        att({ requirement: "SURF-04", claim: "not-satisfied", statement: "UART gives a root shell." }),
      ],
      expect: [
        {
          status: "fail",
          message: "Jo (PSIRT lead) attests that SURF-04 is not met: UART gives a root shell.",
          requirements: ["SURF-04"],
        },
      ],
    },
  ],
});
