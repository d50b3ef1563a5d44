import { knownVulnerabilities } from "../../src/checks/vuln-known-vulnerabilities.js";
import { VULN, type VulnMatchData, type VulnScanData } from "../../src/evidence/vuln.js";
import { checkTable } from "../helpers/check-table.js";
import { ev } from "../helpers/evidence.js";

const scan = (records = 10) =>
  ev<VulnScanData>(
    VULN.scan,
    {
      components: 3,
      database: { path: "vulndb.sqlite", sources: { nvd: { records }, kev: { records: 1 } } },
      vexStatements: 0,
      problems: [],
    },
    "device",
  );

const match = (over: Partial<VulnMatchData> = {}) =>
  ev<VulnMatchData>(
    VULN.match,
    {
      component: { name: "dnsmasq", version: "2.75", evidence: "ev-x", from: "firmware" },
      id: "CVE-2017-14491",
      aliases: [],
      severity: { score: 9.8, version: "3.1", vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" },
      fixedVersions: ["2.78"],
      confidence: 0.9,
      reason: "NVD CVE-2017-14491: cpe thekelleys:dnsmasq, version 2.75 < 2.78 (excluding)",
      ...over,
    },
    "device",
  );

checkTable(knownVulnerabilities, {
  valid: [
    {
      name: "matched, nothing serious",
      evidence: [
        scan(),
        match({
          id: "CVE-2019-1559",
          severity: { score: 5.9, version: "3.1", vector: "v" },
          fixedVersions: [],
        }),
      ],
      expect: [
        {
          status: "info",
          message:
            "CVE-2019-1559 in dnsmasq 2.75 (CVSS 3.1 5.9). Matched by NVD CVE-2017-14491: cpe thekelleys:dnsmasq, version 2.75 < 2.78 (excluding).",
        },
        {
          status: "pass",
          message:
            "3 components were matched against the vulnerability database (nvd 10, kev 1); none has a known exploited, high or critical vulnerability left open.",
          requirements: ["VULN-04"],
        },
      ],
    },
    {
      name: "a critical one suppressed by VEX",
      evidence: [
        scan(),
        match({
          suppressed: {
            status: "not_affected",
            justification: "vulnerable_code_not_in_execute_path",
            source: "vex.json $.statements[0]",
          },
        }),
      ],
      expect: [
        {
          status: "info",
          message:
            /Suppressed by VEX: not_affected \(vulnerable_code_not_in_execute_path\), vex\.json \$\.statements\[0\]\.$/,
        },
        { status: "pass", message: /^3 components were matched/ },
      ],
    },
    {
      name: "an uncertain match is never a failure",
      evidence: [scan(), match({ confidence: 0.3 })],
      expect: [
        { status: "info", message: /^CVE-2017-14491 in dnsmasq 2\.75/ },
        { status: "pass", message: /^3 components/ },
      ],
    },
    {
      name: "an empty database proves nothing",
      evidence: [scan(0)],
      expect: [
        {
          status: "info",
          message: /^The vulnerability database is empty, so 3 components could not be checked/,
        },
      ],
    },
  ],
  invalid: [
    {
      name: "a critical vulnerability",
      evidence: [scan(), match()],
      expect: [
        {
          status: "fail",
          message:
            "CVE-2017-14491 in dnsmasq 2.75 (CVSS 3.1 9.8; fixed in 2.78). Matched by NVD CVE-2017-14491: cpe thekelleys:dnsmasq, version 2.75 < 2.78 (excluding).",
        },
      ],
    },
    {
      name: "a known exploited one, whatever its score",
      evidence: [
        scan(),
        match({
          id: "CVE-2021-42386",
          severity: { score: 6.5, version: "3.1", vector: "v" },
          kev: { dateAdded: "2022-03-25", ransomware: true },
        }),
      ],
      expect: [
        {
          status: "fail",
          message:
            /^CVE-2021-42386 in dnsmasq 2\.75 \(CVSS 3\.1 6\.5; in CISA KEV since 2022-03-25, used in ransomware campaigns; fixed in 2\.78\)/,
        },
      ],
    },
  ],
  silent: [{ name: "no matching run", evidence: [match()], expect: [] }],
});

checkTable(knownVulnerabilities, {
  valid: [
    {
      name: "no components found is not a pass",
      evidence: [
        ev<VulnScanData>(
          VULN.scan,
          {
            components: 0,
            database: { path: "db", sources: { nvd: { records: 5 } } },
            vexStatements: 0,
            problems: [],
          },
          "device",
        ),
      ],
      expect: [
        { status: "info", message: "No components were found to match against the vulnerability database." },
      ],
    },
  ],
  invalid: [],
});
