// Table tests for the disclosure and support-period checks.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadCatalog } from "../../src/catalog/load.js";
import { disclosureCsafProviderMetadata } from "../../src/checks/disclosure-csaf-provider-metadata.js";
import { disclosurePolicyDeclared } from "../../src/checks/disclosure-policy-declared.js";
import { disclosureReportingDeadlines } from "../../src/checks/disclosure-reporting-deadlines.js";
import { disclosureSecurityTxt } from "../../src/checks/disclosure-security-txt.js";
import { MINIMUMS, supportPeriodMinimum } from "../../src/checks/support-period-minimum.js";
import { supportPeriodPublished } from "../../src/checks/support-period-published.js";
import {
  DISCLOSURE_KIND,
  type CsafProviderMetadataData,
  type SecurityTxtData,
} from "../../src/evidence/disclosure.js";
import { MANIFEST_KIND } from "../../src/evidence/markets.js";
import { KIND } from "../../src/evidence/kinds.js";
import { checkTable } from "../helpers/check-table.js";
import { ev } from "../helpers/evidence.js";

const fields = (over: Partial<SecurityTxtData["fields"]> = {}): SecurityTxtData["fields"] => ({
  contact: [{ value: "mailto:security@x.example", line: 1 }],
  expires: { value: "2026-12-31T23:59:59Z", line: 2, at: "2026-12-31T23:59:59.000Z" },
  encryption: [],
  acknowledgments: [],
  canonical: [],
  policy: [],
  hiring: [],
  csaf: [],
  other: [],
  ...over,
});
const sectxt = (over: Partial<SecurityTxtData> = {}) =>
  ev<SecurityTxtData>(DISCLOSURE_KIND.securityTxt, {
    source: {
      kind: "url",
      location: "https://x.example/.well-known/security.txt",
      finalUrl: "https://x.example/.well-known/security.txt",
    },
    signed: false,
    fields: fields(),
    problems: [],
    ...over,
  });
const err = (code: string, line: number | undefined, message: string) => ({
  severity: "error" as const,
  code,
  line,
  message,
});

checkTable(disclosureSecurityTxt, {
  valid: [
    {
      name: "conformant and unsigned; notices are not mentioned",
      evidence: [
        sectxt({ problems: [{ severity: "notice", code: "unsigned", line: 1, message: "not signed" }] }),
      ],
      expect: [
        {
          status: "pass",
          message:
            "The security.txt at https://x.example/.well-known/security.txt conforms to RFC 9116: contact mailto:security@x.example, expires 2026-12-31T23:59:59Z, not signed.",
          requirements: ["VULN-01"],
        },
      ],
    },
    {
      name: "signed and verified, with warnings listed",
      evidence: [
        sectxt({
          source: { kind: "file", location: "security.txt" },
          signed: true,
          signature: { status: "verified", signer: { fingerprint: "ABCD" } },
          problems: [
            {
              severity: "warning",
              code: "bom",
              line: 1,
              col: 1,
              message: "the file starts with a UTF-8 byte order mark",
            },
          ],
        }),
      ],
      expect: [
        {
          status: "pass",
          message:
            "The security.txt at security.txt conforms to RFC 9116: contact mailto:security@x.example, expires 2026-12-31T23:59:59Z, signed by ABCD (verified). Warnings: line 1: the file starts with a UTF-8 byte order mark.",
        },
      ],
    },
    {
      name: "signed, no key to verify with",
      evidence: [sectxt({ signed: true, signature: { status: "not-checked", issuer: "1234" } })],
      expect: [{ status: "pass", message: /signed by key 1234 \(not verified: no key given\)\.$/ }],
    },
  ],
  invalid: [
    {
      name: "expired, with an HTTP problem too",
      evidence: [
        sectxt({
          problems: [
            err("content-type", undefined, "the server sent no Content-Type"),
            err("expired", 2, "the file expired on 2021-12-31T18:37:07z"),
          ],
        }),
      ],
      expect: [
        {
          status: "fail",
          message:
            "The security.txt at https://x.example/.well-known/security.txt does not conform to RFC 9116 (2 errors): the server sent no Content-Type; line 2: the file expired on 2021-12-31T18:37:07z.",
          requirements: ["VULN-01"],
        },
      ],
    },
    {
      name: "many errors are cut after five",
      evidence: [sectxt({ problems: [1, 2, 3, 4, 5, 6, 7].map((n) => err("not-a-field", n, `bad ${n}`)) })],
      expect: [
        {
          status: "fail",
          message:
            "The security.txt at https://x.example/.well-known/security.txt does not conform to RFC 9116 (7 errors): line 1: bad 1; line 2: bad 2; line 3: bad 3; line 4: bad 4; line 5: bad 5; and 2 more.",
        },
      ],
    },
  ],
  silent: [{ name: "no security.txt read", evidence: [], expect: [] }],
});

const metadata = (over: Partial<CsafProviderMetadataData> = {}) =>
  ev<CsafProviderMetadataData>(DISCLOSURE_KIND.csafProviderMetadata, {
    source: { kind: "file", location: "csaf/provider-metadata.json" },
    role: "csaf_trusted_provider",
    publisher: "X Devices",
    lastUpdated: "2026-05-01T10:00:00Z",
    distributions: 1,
    problems: [],
    ...over,
  });

checkTable(disclosureCsafProviderMetadata, {
  valid: [
    {
      name: "valid metadata informs, it does not prove advisories flow",
      evidence: [metadata()],
      expect: [
        {
          status: "info",
          message:
            "The CSAF provider metadata at csaf/provider-metadata.json is valid: csaf_trusted_provider X Devices, 1 distribution, updated 2026-05-01T10:00:00Z. Whether advisories are published through it needs an attestation.",
          requirements: ["VULN-07"],
        },
      ],
    },
  ],
  invalid: [
    {
      name: "invalid metadata fails VULN-07",
      evidence: [metadata({ problems: [err("csaf-schema", 3, 'metadata_version: must be "2.0"')] })],
      expect: [
        {
          status: "fail",
          message:
            'The CSAF provider metadata at csaf/provider-metadata.json is invalid: line 3: metadata_version: must be "2.0".',
        },
      ],
    },
  ],
  silent: [{ name: "none given", evidence: [], expect: [] }],
});

const disclosure = (reporting?: Record<string, number>) =>
  ev(KIND.disclosure, { policy: "https://x.example/vdp", contact: "mailto:s@x.example", reporting });

checkTable(disclosureReportingDeadlines, {
  valid: [
    {
      name: "the legal deadlines exactly",
      evidence: [
        disclosure({
          earlyWarningHours: 24,
          notificationHours: 72,
          finalReportDays: 14,
          incidentFinalReportDays: 30,
        }),
      ],
      expect: [
        {
          status: "info",
          message:
            "The declared reporting deadlines (early warning 24 h, notification 72 h, final report 14 days) meet EU CRA Article 14. An attestation of the reporting procedure decides VULN-08.",
          requirements: ["VULN-08"],
        },
      ],
    },
    {
      name: "faster, but no incident deadline",
      evidence: [disclosure({ earlyWarningHours: 12, notificationHours: 48, finalReportDays: 7 })],
      expect: [
        { status: "info", message: /No deadline is declared for final reports on severe incidents\./ },
      ],
    },
  ],
  invalid: [
    {
      name: "slower than the law",
      evidence: [
        disclosure({
          earlyWarningHours: 48,
          notificationHours: 72,
          finalReportDays: 30,
          incidentFinalReportDays: 31,
        }),
      ],
      expect: [
        {
          status: "fail",
          message:
            "The declared reporting deadlines are slower than EU CRA Article 14: early warning within 48 hours (the law allows 24); final report on a vulnerability within 30 days (the law allows 14); final report on a severe incident within 31 days (the law allows 30).",
        },
      ],
    },
  ],
  silent: [{ name: "no deadlines declared", evidence: [disclosure()], expect: [] }],
});

const support = (data: Record<string, unknown>) =>
  ev(KIND.supportPeriod, { publishedAt: "https://x.example/support", ...data });
const markets = (...m: string[]) => ev(MANIFEST_KIND.markets, { markets: m });

checkTable(supportPeriodMinimum, {
  valid: [
    {
      name: "EU: exactly five years from the declared start",
      evidence: [support({ until: "2030-12-31", from: "2026-01-01" }), markets("EU", "UK")],
      expect: [
        {
          status: "info",
          message:
            "The support period until 2030-12-31, from 2026-01-01, meets the minimum of 5 years that EU CRA Article 13(8) sets for the EU market.",
          requirements: [],
          provisions: ["eu-cra:Art13.8"],
        },
      ],
    },
    {
      name: "EU: a shorter expected use time sets the minimum; a month-only end date is the month's last day",
      evidence: [support({ until: "2028-12", from: "2026-01-01", expectedUseYears: 3 }), markets("EU")],
      expect: [
        {
          status: "info",
          message:
            "The support period until 2028-12-31, from 2026-01-01, meets the minimum of 3 years (the declared expected use time; the technical documentation must justify it) that EU CRA Article 13(8) sets for the EU market.",
        },
      ],
    },
  ],
  invalid: [
    {
      name: "EU: one day short",
      evidence: [support({ until: "2030-12-30", from: "2026-01-01" }), markets("EU")],
      expect: [
        {
          status: "fail",
          message:
            "The support period ends on 2030-12-30, from 2026-01-01; EU CRA Article 13(8) requires at least 5 years for the EU market, that is until 2030-12-31 or later.",
          provisions: ["eu-cra:Art13.8"],
        },
      ],
    },
    {
      name: "EU: counted from the assessment date when no start is declared",
      asOf: "2026-11-25",
      evidence: [support({ until: "2031-11-23" }), markets("EU")],
      expect: [
        {
          status: "fail",
          message:
            "The support period ends on 2031-11-23, from the assessment date 2026-11-25 (support.from is not declared); EU CRA Article 13(8) requires at least 5 years for the EU market, that is until 2031-11-24 or later.",
        },
      ],
    },
    {
      name: "Brazil: two provisions, two years",
      evidence: [support({ until: "2027-06-30", from: "2026-01-01" }), markets("BR")],
      expect: [
        {
          status: "fail",
          message:
            "The support period ends on 2027-06-30, from 2026-01-01; Anatel Act 2436/2023 requires at least 2 years for the BR market, that is until 2027-12-31 or later.",
          provisions: ["br-anatel-act-77:2436-free-updates"],
        },
        {
          status: "fail",
          message:
            "The support period ends on 2027-06-30, from 2026-01-01; the Anatel Act 77 guidance (6.1.4) requires at least 2 years for the BR market, that is until 2027-12-31 or later.",
          provisions: ["br-anatel-act-77:6.1.4"],
        },
      ],
    },
  ],
  silent: [
    {
      name: "markets without a legal minimum",
      evidence: [support({ until: "2027-01-01" }), markets("UK", "US", "SG")],
      expect: [],
    },
    {
      name: "no defined period (support.period-published fails it)",
      evidence: [support({ until: "none" }), markets("EU")],
      expect: [],
    },
    { name: "no support declared", evidence: [markets("EU")], expect: [] },
  ],
});

checkTable(supportPeriodPublished, {
  valid: [
    {
      name: "stated at purchase",
      evidence: [support({ until: "2031-12-31", statedAtPurchase: true })],
      expect: [
        {
          status: "pass",
          message:
            "Security updates are promised until 2031-12-31, published at https://x.example/support and stated at purchase.",
        },
      ],
    },
  ],
  invalid: [
    {
      name: "published, but not shown when buying",
      evidence: [support({ until: "2031-12-31", statedAtPurchase: false })],
      expect: [
        {
          status: "fail",
          message:
            "The support period until 2031-12-31 is published at https://x.example/support but not stated to buyers at the time of purchase.",
          requirements: ["UPD-08"],
        },
      ],
    },
  ],
});

checkTable(disclosurePolicyDeclared, {
  valid: [
    {
      name: "security.txt given as a local file is not judged by its path",
      evidence: [
        ev(KIND.disclosure, {
          policy: "https://x.example/vdp",
          contact: "mailto:s@x.example",
          securityTxt: "web/security.txt",
        }),
      ],
      expect: [
        {
          status: "pass",
          message:
            "Disclosure policy at https://x.example/vdp, contact mailto:s@x.example; no acknowledgement time stated.",
        },
      ],
    },
  ],
  invalid: [
    {
      name: "a security.txt URL over plain HTTP still fails",
      evidence: [
        ev(KIND.disclosure, {
          policy: "https://x.example/vdp",
          contact: "mailto:s@x.example",
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
});

describe("support-period minimums", () => {
  it("name provisions that exist in the catalog, for markets the regime covers", () => {
    const catalog = loadCatalog();
    for (const m of MINIMUMS) {
      const [regime, provision] = m.provision.split(":") as [string, string];
      const r = catalog.regime(regime);
      assert.ok(r, `regime ${regime}`);
      assert.ok(
        r.provisions.some((p) => p.id === provision),
        `${m.provision} exists`,
      );
      assert.ok(r.markets.includes(m.market), `${regime} covers ${m.market}`);
    }
  });
});
