// VEX statements from CycloneDX (JSON and XML), OpenVEX 0.2 and CSAF 2.0, exactly; and malformed
// VEX documents, each problem naming the record, the field and the position.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

import { parseVex, readVex, type VexStatement } from "../../src/collect/vex/index.js";
import type { SbomProblem } from "../../src/collect/sbom/index.js";
import { errorsOf, validateCycloneDx16 } from "../helpers/schemas.js";

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
const show = (p: SbomProblem) =>
  `${p.line}:${p.col} ${p.field ?? "-"} ${p.fatal ? "FATAL " : ""}${p.message}`;
/** Statements without their source file, which differs per machine. */
const plain = (s: VexStatement[]) =>
  s.map((x) => {
    const source: Partial<VexStatement["source"]> = { ...x.source };
    delete source.file;
    return { ...x, source };
  });

describe("CycloneDX VEX", () => {
  it("JSON: analysis states, justifications, responses; refs resolved to components or BOM-Links; versions split", async () => {
    const r = await readVex(fixture("cdx-vex.json"));
    assert.deepEqual(r.document, {
      file: fixture("cdx-vex.json"),
      format: "cyclonedx",
      id: "urn:uuid:9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f",
      version: "1.6",
      timestamp: "2025-04-01T10:00:00Z",
    });
    assert.deepEqual(r.problems.map(show), [
      '71:30 analysis.state $.vulnerabilities[4].analysis.state: vulnerability CVE-2024-9999: analysis.state "maybe" is not a CycloneDX state (resolved, resolved_with_pedigree, exploitable, in_triage, false_positive, not_affected); skipped',
    ]);
    const openssl = {
      bomRef: "openssl",
      name: "openssl",
      version: "3.0.11-1",
      purl: "pkg:opkg/openssl@3.0.11-1?arch=mipsel_24kc",
    };
    const busybox = {
      bomRef: "busybox",
      name: "busybox",
      version: "1.36.1-1",
      cpe: "cpe:2.3:a:busybox:busybox:1.36.1:*:*:*:*:*:*:*",
    };
    assert.deepEqual(plain(r.statements), [
      {
        vulnerability: "CVE-2023-5678",
        aliases: ["GHSA-9x2r-xxxx-yyyy"],
        impactStatement:
          "DH key generation with excessive parameters is never reached: the firmware uses ECDHE only.",
        timestamp: "2025-04-01T10:00:00Z",
        product: { ...openssl, versions: [{ version: "3.0.11-1" }] },
        status: "not_affected",
        justification: "code_not_reachable",
        source: { format: "cyclonedx", location: "$.vulnerabilities[0].affects[0]", line: 42, col: 9 },
      },
      {
        vulnerability: "CVE-2023-5678",
        aliases: ["GHSA-9x2r-xxxx-yyyy"],
        impactStatement: "affects[0].versions lists this version as unaffected",
        timestamp: "2025-04-01T10:00:00Z",
        product: { ...openssl, versions: [{ range: "vers:opkg/>=3.0.13" }] },
        status: "not_affected",
        source: { format: "cyclonedx", location: "$.vulnerabilities[0].affects[0]", line: 42, col: 9 },
      },
      {
        vulnerability: "CVE-2023-38545",
        aliases: [],
        actionStatement: "Update to firmware 2.4.2, which ships curl 8.4.0.",
        response: ["update"],
        timestamp: "2025-04-02T08:00:00Z",
        product: {
          bomRef: "urn:cdx:6a1f0e2c-8d4b-4b1e-9c3a-2f5e7d9a0b11/3#pkg:opkg/curl@8.3.0-1",
          purl: "pkg:opkg/curl@8.3.0-1",
        },
        status: "affected",
        source: { format: "cyclonedx", location: "$.vulnerabilities[1].affects[0]", line: 56, col: 19 },
      },
      {
        vulnerability: "CVE-2022-48174",
        aliases: [],
        impactStatement: "Patched in the vendor build.",
        timestamp: "2025-04-01T10:00:00Z",
        product: busybox,
        status: "fixed",
        source: { format: "cyclonedx", location: "$.vulnerabilities[2].affects[0]", line: 61, col: 19 },
      },
      {
        vulnerability: "GHSA-2222-3333-4444",
        aliases: ["CVE-2024-0001"],
        timestamp: "2025-04-01T10:00:00Z",
        product: openssl,
        status: "under_investigation",
        source: { format: "cyclonedx", location: "$.vulnerabilities[3].affects[0]", line: 67, col: 19 },
      },
      {
        vulnerability: "GHSA-2222-3333-4444",
        aliases: ["CVE-2024-0001"],
        timestamp: "2025-04-01T10:00:00Z",
        product: busybox,
        status: "under_investigation",
        source: { format: "cyclonedx", location: "$.vulnerabilities[3].affects[1]", line: 67, col: 41 },
      },
    ]);
  });

  it("the JSON fixture is valid CycloneDX 1.6 (official schema)", () => {
    const validate = validateCycloneDx16();
    const doc = JSON.parse(readFileSync(fixture("cdx-vex.json"), "utf8")) as {
      vulnerabilities: { analysis: { state: string } }[];
    };
    doc.vulnerabilities.pop(); // the last entry has a state the schema rejects on purpose
    assert.ok(validate(doc), errorsOf(validate));
  });

  it("XML: the same statement from <vulnerability>, entities decoded, located by element path", async () => {
    const r = await readVex(fixture("cdx-vex.xml"));
    assert.deepEqual(r.problems, []);
    assert.equal(r.document?.version, "1.5");
    assert.deepEqual(
      plain(r.statements).map((s) => [
        s.vulnerability,
        s.status,
        s.justification,
        s.impactStatement,
        s.response,
        s.product.versions,
        s.source.location,
      ]),
      [
        [
          "CVE-2023-5678",
          "not_affected",
          "code_not_reachable",
          "Never reached & never exposed.",
          ["will_not_fix"],
          [{ version: "3.0.11-1" }],
          "/bom/vulnerabilities/vulnerability[1]/affects/target[1]",
        ],
        [
          "CVE-2023-5678",
          "not_affected",
          undefined,
          "affects[0].versions lists this version as unaffected",
          undefined,
          [{ range: "vers:opkg/>=3.0.13" }],
          "/bom/vulnerabilities/vulnerability[1]/affects/target[1]",
        ],
      ],
    );
    assert.equal(r.statements[0]!.product.purl, "pkg:opkg/openssl@3.0.11-1?arch=mipsel_24kc");
  });

  it("versions with an unaffected status become not_affected even when the analysis says exploitable", () => {
    const r = parseVex(
      JSON.stringify({
        bomFormat: "CycloneDX",
        specVersion: "1.6",
        vulnerabilities: [
          {
            id: "CVE-2024-1",
            analysis: { state: "exploitable", justification: "code_not_present" },
            affects: [
              {
                ref: "pkg:generic/foo",
                versions: [
                  { range: "vers:generic/<2.0", status: "affected" },
                  { range: "vers:generic/>=2.0", status: "unaffected" },
                  { version: "3.0-rc1", status: "unknown" },
                ],
              },
            ],
          },
        ],
      }),
      "v.json",
    );
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.statements.map((s) => [s.status, s.justification, s.product.purl, s.product.versions]),
      [
        ["affected", undefined, "pkg:generic/foo", [{ range: "vers:generic/<2.0" }]],
        ["not_affected", undefined, "pkg:generic/foo", [{ range: "vers:generic/>=2.0" }]],
        ["under_investigation", undefined, "pkg:generic/foo", [{ version: "3.0-rc1" }]],
      ],
    );
  });
});

describe("OpenVEX", () => {
  it("0.2: subcomponents become the product, within the product; statuses, justifications, statements", async () => {
    const r = await readVex(fixture("openvex.json"));
    assert.deepEqual(r.document, {
      file: fixture("openvex.json"),
      format: "openvex",
      id: "https://acme.example/vex/acme-cam-2025-0001",
      author: "Acme Cameras PSIRT",
      timestamp: "2025-04-03T12:00:00Z",
      version: "0.2.0",
    });
    assert.deepEqual(r.problems.map(show), [
      '41:17 status $.statements[4].status: statement for CVE-2024-0002: status "perhaps" is not one of not_affected, affected, fixed, under_investigation; skipped',
    ]);
    const src = (location: string, line: number, col: number) => ({
      format: "openvex",
      location,
      line,
      col,
      author: "Acme Cameras PSIRT",
    });
    assert.deepEqual(plain(r.statements), [
      {
        vulnerability: "CVE-2023-38545",
        aliases: ["GHSA-xxxx-curl-0001"],
        product: { purl: "pkg:opkg/curl@8.3.0-1" },
        within: { purl: "pkg:oci/acme-cam@sha256%3Aa1b2c3" },
        status: "not_affected",
        justification: "vulnerable_code_not_in_execute_path",
        impactStatement: "SOCKS5 proxying is compiled out.",
        timestamp: "2025-04-03T12:00:00Z",
        source: src("$.statements[0].products[0].subcomponents[0]", 14, 29),
      },
      {
        vulnerability: "CVE-2023-5678",
        aliases: [],
        product: { purl: "pkg:opkg/openssl" },
        status: "fixed",
        timestamp: "2025-04-05T00:00:00Z",
        source: src("$.statements[1].products[0]", 24, 20),
      },
      {
        vulnerability: "CVE-2022-48174",
        aliases: [],
        product: { cpe: "cpe:2.3:a:busybox:busybox:1.36.1:*:*:*:*:*:*:*" },
        status: "affected",
        actionStatement: "Disable the httpd applet until firmware 2.4.2.",
        timestamp: "2025-04-03T12:00:00Z",
        source: src("$.statements[2].products[0]", 29, 20),
      },
      {
        vulnerability: "CVE-2023-45853",
        aliases: [],
        product: { purl: "pkg:deb/debian/zlib1g@1.2.13.dfsg-1?arch=amd64" },
        status: "under_investigation",
        timestamp: "2025-04-03T12:00:00Z",
        source: src("$.statements[3].products[0]", 35, 20),
      },
    ]);
  });

  it("0.0.x shapes: a string vulnerability and string products", () => {
    const r = parseVex(
      JSON.stringify({
        "@context": "https://openvex.dev/ns",
        statements: [
          {
            vulnerability: "CVE-2023-1",
            products: ["pkg:apk/alpine/busybox@1.36.1-r0"],
            status: "not_affected",
            justification: "component_not_present",
          },
        ],
      }),
      "old.json",
    );
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.statements.map((s) => [s.vulnerability, s.product, s.status, s.justification]),
      [["CVE-2023-1", { purl: "pkg:apk/alpine/busybox@1.36.1-r0" }, "not_affected", "component_not_present"]],
    );
  });
});

describe("CSAF VEX", () => {
  it("product tree identities, product_status lists, flags, impact threats, remediations, groups, relationships", async () => {
    const r = await readVex(fixture("csaf-vex.json"));
    assert.deepEqual(r.document, {
      file: fixture("csaf-vex.json"),
      format: "csaf",
      id: "ACME-VEX-2025-0002",
      author: "Acme Cameras PSIRT",
      timestamp: "2025-04-06T09:00:00Z",
      version: "2.0",
    });
    assert.deepEqual(r.problems.map(show), [
      '129:52 product_id $.vulnerabilities[2].product_status.fixed[1]: vulnerability ACME-2025-17: product_id "NOPE" is not in the product_tree; skipped',
    ]);
    const src = (location: string, line: number, col: number) => ({
      format: "csaf",
      location,
      line,
      col,
      author: "Acme Cameras PSIRT",
    });
    const zlib = { name: "zlib 1.2.13", purl: "pkg:generic/zlib@1.2.13" };
    assert.deepEqual(plain(r.statements), [
      {
        vulnerability: "CVE-2023-5678",
        aliases: ["GHSA-9x2r-xxxx-yyyy"],
        product: { name: "openssl", version: "3.0.11-1", purl: "pkg:opkg/openssl@3.0.11-1" },
        within: {
          name: "Acme Cam",
          version: "2.4.1",
          cpe: "cpe:2.3:o:acme:cam_firmware:2.4.1:*:*:*:*:*:*:*",
        },
        status: "not_affected",
        justification: "vulnerable_code_not_in_execute_path",
        impactStatement: "Only ECDHE key exchange is enabled.",
        timestamp: "2025-04-06T09:00:00Z",
        source: src("$.vulnerabilities[0].product_status.known_not_affected[0]", 106, 50),
      },
      {
        vulnerability: "CVE-2022-48174",
        aliases: [],
        product: { name: "busybox", versions: [{ range: "vers:generic/<1.36.2" }] },
        status: "affected",
        actionStatement: "vendor_fix: Update to firmware 2.4.2.",
        timestamp: "2025-04-06T09:00:00Z",
        source: src("$.vulnerabilities[1].product_status.known_affected[0]", 118, 46),
      },
      {
        vulnerability: "CVE-2022-48174",
        aliases: [],
        product: zlib,
        status: "under_investigation",
        timestamp: "2025-04-06T09:00:00Z",
        source: src("$.vulnerabilities[1].product_status.under_investigation[0]", 118, 92),
      },
      {
        vulnerability: "ACME-2025-17",
        aliases: [],
        product: zlib,
        status: "fixed",
        timestamp: "2025-04-06T09:00:00Z",
        source: src("$.vulnerabilities[2].product_status.fixed[0]", 129, 37),
      },
    ]);
  });
});

describe("malformed VEX", () => {
  it("a truncated OpenVEX document: the exact position, no statements from a document read in part", () => {
    const r = parseVex(
      '{\n  "@context": "https://openvex.dev/ns/v0.2.0",\n  "statements": [\n    {"vulnerability": {"name": "CVE-1"},',
      "t.json",
    );
    assert.deepEqual(r.problems.map(show), [
      "4:41 - FATAL $.statements[0]: unexpected end of input: the object opened at 4:5 is not closed; reading stopped, what came before is kept",
    ]);
    assert.deepEqual(r.statements, []);
  });

  it("missing fields are named; the other statements are kept", () => {
    const r = parseVex(
      JSON.stringify(
        {
          "@context": "https://openvex.dev/ns/v0.2.0",
          statements: [
            { products: [{ "@id": "pkg:generic/a@1" }], status: "fixed" },
            { vulnerability: { name: "CVE-2" }, status: "fixed" },
            { vulnerability: { name: "CVE-3" }, products: [{}], status: "fixed" },
            {
              vulnerability: { name: "CVE-4" },
              products: [{ "@id": "pkg:generic/a@1" }],
              status: "not_affected",
            },
            { vulnerability: { name: "CVE-5" }, products: [{ "@id": "pkg:generic/a@1" }], status: "fixed" },
          ],
        },
        null,
        1,
      ),
      "m.json",
    );
    assert.deepEqual(r.problems.map(show), [
      "4:3 vulnerability $.statements[0].vulnerability: statement names no vulnerability; skipped",
      "12:3 products $.statements[1]: statement for CVE-2 names no products; skipped",
      "23:5 products $.statements[2].products[0]: statement for CVE-3: product {} has no @id or identifiers; skipped",
      "27:3 justification $.statements[3]: statement for CVE-4: not_affected needs a justification or an impact_statement; kept",
    ]);
    assert.deepEqual(
      r.statements.map((s) => s.vulnerability),
      ["CVE-4", "CVE-5"],
    );
  });

  it("not a VEX document, an SPDX document", () => {
    assert.deepEqual(parseVex('{"hello": "world"}', "x.json").problems.map(show), [
      "1:1 - FATAL $: not a VEX document: expected CycloneDX (bomFormat, vulnerabilities), OpenVEX (@context) or CSAF (document.csaf_version)",
    ]);
    assert.deepEqual(parseVex("SPDXVersion: SPDX-2.3\n", "x.spdx").problems.map(show), [
      "1:1 - FATAL line 1: an SPDX document carries no VEX statements",
    ]);
  });
});
