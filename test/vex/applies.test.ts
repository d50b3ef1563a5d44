// applies(statement, component): tables of statements that cover a component and statements that
// do not, by purl (qualifiers only where the statement has them), CPE, name and version, bom-ref,
// and version lists and vers ranges; then the fixtures' statements against a real SBOM.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

import { readSbom } from "../../src/collect/sbom/index.js";
import {
  applies,
  explainApplies,
  inVers,
  readVex,
  type VexComponent,
  type VexProduct,
  type VexStatement,
} from "../../src/collect/vex/index.js";

function st(product: VexProduct): VexStatement {
  return {
    vulnerability: "CVE-2024-0001",
    aliases: [],
    product,
    status: "not_affected",
    source: { format: "openvex", file: "t.json", location: "$.statements[0]" },
  };
}

const OPENSSL: VexComponent = {
  name: "openssl",
  version: "3.0.11-1",
  purl: "pkg:opkg/openssl@3.0.11-1?arch=mipsel_24kc",
};
const BUSYBOX: VexComponent = {
  name: "busybox",
  version: "1.36.1",
  cpe: "cpe:2.3:a:busybox:busybox:1.36.1:*:*:*:*:*:*:*",
};

type Row = [string, VexProduct, VexComponent, boolean, string];

const TABLE: Row[] = [
  // purl
  [
    "qualifiers absent from the statement are ignored",
    { purl: "pkg:opkg/openssl@3.0.11-1" },
    OPENSSL,
    true,
    "purl pkg:opkg/openssl@3.0.11-1 names pkg:opkg/openssl@3.0.11-1?arch=mipsel_24kc",
  ],
  [
    "a qualifier in the statement must match",
    { purl: "pkg:opkg/openssl@3.0.11-1?arch=x86_64" },
    OPENSSL,
    false,
    "purl qualifier arch=mipsel_24kc is not arch=x86_64",
  ],
  [
    "equal qualifiers",
    { purl: "pkg:opkg/openssl@3.0.11-1?arch=mipsel_24kc" },
    OPENSSL,
    true,
    "purl pkg:opkg/openssl@3.0.11-1?arch=mipsel_24kc names pkg:opkg/openssl@3.0.11-1?arch=mipsel_24kc",
  ],
  [
    "a purl without a version covers every version",
    { purl: "pkg:opkg/openssl" },
    OPENSSL,
    true,
    "purl pkg:opkg/openssl (every version) covers pkg:opkg/openssl@3.0.11-1?arch=mipsel_24kc",
  ],
  [
    "another version",
    { purl: "pkg:opkg/openssl@3.0.12-1" },
    OPENSSL,
    false,
    "version 3.0.11-1 is not the statement's 3.0.12-1",
  ],
  [
    "another purl type",
    { purl: "pkg:deb/debian/openssl@3.0.11-1" },
    OPENSSL,
    false,
    "purl type opkg is not deb",
  ],
  [
    "another package",
    { purl: "pkg:opkg/libopenssl3@3.0.11-1" },
    OPENSSL,
    false,
    "purl pkg:opkg/openssl@3.0.11-1?arch=mipsel_24kc names another package than pkg:opkg/libopenssl3@3.0.11-1",
  ],
  [
    "percent-encoding is decoded",
    { purl: "pkg:npm/%40scope/left-pad@1.3.0" },
    { name: "left-pad", version: "1.3.0", purl: "pkg:npm/@scope/left-pad@1.3.0" },
    true,
    "purl pkg:npm/%40scope/left-pad@1.3.0 names pkg:npm/@scope/left-pad@1.3.0",
  ],
  [
    "PyPI names are normalised",
    { purl: "pkg:pypi/Django_Rest@1.0" },
    { name: "django-rest", version: "1.0", purl: "pkg:pypi/django-rest@1.0" },
    true,
    "purl pkg:pypi/Django_Rest@1.0 names pkg:pypi/django-rest@1.0",
  ],
  [
    "Maven names keep their case",
    { purl: "pkg:maven/org.Example/Lib@1" },
    { name: "lib", version: "1", purl: "pkg:maven/org.example/lib@1" },
    false,
    "purl pkg:maven/org.example/lib@1 names another package than pkg:maven/org.Example/Lib@1",
  ],
  [
    "a subpath in the statement must match",
    { purl: "pkg:github/acme/fw@1#drivers/net" },
    { name: "fw", version: "1", purl: "pkg:github/acme/fw@1" },
    false,
    "purl subpath (none) is not drivers/net",
  ],
  [
    "a component without a purl is compared by the purl's name and version",
    { purl: "pkg:opkg/zlib@1.2.13" },
    { name: "zlib", version: "1.2.13" },
    true,
    "purl pkg:opkg/zlib@1.2.13 names zlib 1.2.13 (the component has no purl)",
  ],
  [
    "... and another version does not match",
    { purl: "pkg:opkg/zlib@1.2.13" },
    { name: "zlib", version: "1.2.12" },
    false,
    "purl pkg:opkg/zlib@1.2.13 does not name zlib 1.2.12",
  ],
  // CPE
  [
    "equal CPE names",
    { cpe: "cpe:2.3:a:busybox:busybox:1.36.1:*:*:*:*:*:*:*" },
    BUSYBOX,
    true,
    "CPE cpe:2.3:a:busybox:busybox:1.36.1:*:*:*:*:*:*:* covers cpe:2.3:a:busybox:busybox:1.36.1:*:*:*:*:*:*:*",
  ],
  [
    "a CPE with any version covers every version",
    { cpe: "cpe:2.3:a:busybox:busybox:*:*:*:*:*:*:*:*" },
    BUSYBOX,
    true,
    "CPE cpe:2.3:a:busybox:busybox:*:*:*:*:*:*:*:* covers cpe:2.3:a:busybox:busybox:1.36.1:*:*:*:*:*:*:*",
  ],
  [
    "a CPE of another version",
    { cpe: "cpe:2.3:a:busybox:busybox:1.36.0:*:*:*:*:*:*:*" },
    BUSYBOX,
    false,
    "CPE cpe:2.3:a:busybox:busybox:1.36.0:*:*:*:*:*:*:* does not cover cpe:2.3:a:busybox:busybox:1.36.1:*:*:*:*:*:*:*",
  ],
  [
    "a CPE 2.2 URI",
    { cpe: "cpe:/a:haxx:curl:8.4.0" },
    { name: "curl", version: "8.4.0", cpe: "cpe:2.3:a:haxx:curl:8.4.0:*:*:*:*:*:*:*" },
    true,
    "CPE cpe:/a:haxx:curl:8.4.0 covers cpe:2.3:a:haxx:curl:8.4.0:*:*:*:*:*:*:*",
  ],
  [
    "a component without a CPE gets one from the alias table",
    { cpe: "cpe:2.3:a:openssl:openssl:3.0.11:*:*:*:*:*:*:*" },
    { name: "openssl", version: "3.0.11-1", method: "opkg" },
    true,
    "CPE cpe:2.3:a:openssl:openssl:3.0.11:*:*:*:*:*:*:* covers cpe:2.3:a:openssl:openssl:3.0.11:*:*:*:*:*:*:*",
  ],
  // name and version
  [
    "name (any case) and version",
    { name: "zlib", version: "1.2.13" },
    { name: "ZLIB", version: "1.2.13" },
    true,
    "name zlib 1.2.13",
  ],
  [
    "name and another version",
    { name: "zlib", version: "1.2.13" },
    { name: "zlib", version: "1.2.12" },
    false,
    "zlib 1.2.12 is not version 1.2.13",
  ],
  [
    "a name alone covers every version",
    { name: "zlib" },
    { name: "zlib", version: "1.0" },
    true,
    "name zlib",
  ],
  ["another name", { name: "zlib" }, { name: "zlib-ng", version: "1.0" }, false, "name zlib-ng is not zlib"],
  // bom-ref
  ["the same bom-ref", { bomRef: "openssl" }, { ...OPENSSL, bomRef: "openssl" }, true, "bom-ref openssl"],
  [
    "a BOM-Link to the bom-ref",
    { bomRef: "urn:cdx:6a1f0e2c-8d4b-4b1e-9c3a-2f5e7d9a0b11/1#openssl" },
    { ...OPENSSL, bomRef: "openssl" },
    true,
    "bom-ref openssl",
  ],
  [
    "another bom-ref and nothing else",
    { bomRef: "openssl" },
    { name: "zlib", version: "1", bomRef: "zlib" },
    false,
    "bom-ref openssl is not the component's zlib",
  ],
  [
    "another bom-ref, but the purl decides",
    { bomRef: "x", purl: "pkg:opkg/openssl" },
    { ...OPENSSL, bomRef: "y" },
    true,
    "purl pkg:opkg/openssl (every version) covers pkg:opkg/openssl@3.0.11-1?arch=mipsel_24kc",
  ],
  [
    "nothing in common",
    { purl: "pkg:opkg/openssl" },
    BUSYBOX,
    false,
    "purl pkg:opkg/openssl does not name busybox 1.36.1",
  ],
  // version lists and ranges
  [
    "in a vers range",
    { purl: "pkg:opkg/openssl", versions: [{ range: "vers:opkg/>=3.0.0|<3.0.12" }] },
    OPENSSL,
    true,
    "purl pkg:opkg/openssl (every version) covers pkg:opkg/openssl@3.0.11-1?arch=mipsel_24kc; version 3.0.11-1 is in vers:opkg/>=3.0.0|<3.0.12",
  ],
  [
    "past a vers range",
    { purl: "pkg:opkg/openssl", versions: [{ range: "vers:opkg/>=3.0.0|<3.0.11-1" }] },
    OPENSSL,
    false,
    "purl pkg:opkg/openssl (every version) covers pkg:opkg/openssl@3.0.11-1?arch=mipsel_24kc; version 3.0.11-1 is not among vers:opkg/>=3.0.0|<3.0.11-1",
  ],
  [
    "a listed version",
    { bomRef: "o", versions: [{ version: "3.0.11-1" }] },
    { ...OPENSSL, bomRef: "o" },
    true,
    "bom-ref o; version 3.0.11-1 is listed",
  ],
  [
    "an unlisted version",
    { bomRef: "o", versions: [{ version: "3.0.11-2" }, { range: "vers:opkg/>=3.1" }] },
    { ...OPENSSL, bomRef: "o" },
    false,
    "bom-ref o; version 3.0.11-1 is not among 3.0.11-2, vers:opkg/>=3.1",
  ],
  [
    "a range below a bound (CSAF product_version_range)",
    { name: "busybox", versions: [{ range: "vers:generic/<1.36.2" }] },
    BUSYBOX,
    true,
    "name busybox; version 1.36.1 is in vers:generic/<1.36.2",
  ],
  [
    "at the bound",
    { name: "busybox", versions: [{ range: "vers:generic/<1.36.2" }] },
    { name: "busybox", version: "1.36.2" },
    false,
    "name busybox; version 1.36.2 is not among vers:generic/<1.36.2",
  ],
  [
    "no version to compare",
    { name: "busybox", versions: [{ range: "vers:generic/<1.36.2" }] },
    { name: "busybox", version: "" },
    false,
    "name busybox; the component has no version to compare",
  ],
];

describe("applies", () => {
  for (const [what, product, component, want, reason] of TABLE) {
    it(`${want ? "applies" : "does not apply"}: ${what}`, () => {
      const a = explainApplies(st(product), component);
      assert.equal(a.applies, want, a.reason);
      assert.equal(a.reason, reason);
      assert.equal(applies(st(product), component), want);
    });
  }
});

describe("vers ranges", () => {
  const table: [string, string, boolean | undefined][] = [
    ["vers:generic/*", "0.1", true],
    ["vers:semver/>=1.0.0|<1.5.0|>=2.0.0|<2.3.0", "2.1.0", true],
    ["vers:semver/>=1.0.0|<1.5.0|>=2.0.0|<2.3.0", "1.7.0", false],
    ["vers:semver/>=1.0.0|<1.5.0|>=2.0.0|<2.3.0", "0.9.0", false],
    ["vers:semver/<=1.0.0|>=2.0.0", "0.5.0", true],
    ["vers:semver/<=1.0.0|>=2.0.0", "1.5.0", false],
    ["vers:semver/<=1.0.0|>=2.0.0", "3.0.0", true],
    ["vers:generic/!=1.2.3", "1.2.3", false],
    ["vers:generic/!=1.2.3", "1.2.4", true],
    ["vers:generic/1.2.3|1.2.5", "1.2.5", true],
    ["vers:generic/1.2.3|1.2.5", "1.2.4", false],
    ["vers:deb/>=1.2.13.dfsg-1|<1.2.13.dfsg-3", "1:1.2.13.dfsg-1", false],
    ["vers:deb/>=1.2.13.dfsg-1|<1.2.13.dfsg-3", "1.2.13.dfsg-2", true],
    ["vers:pypi/>=2.0|<2.31.1", "2.31.0", true],
    ["vers:pypi/>=2.0|<2.31.1", "2.31.1", false],
    ["not a range", "1", undefined],
  ];
  for (const [range, version, want] of table)
    it(`${version} in ${range}: ${String(want)}`, () => assert.equal(inVers(range, version), want));
});

describe("the fixtures' statements against a real SBOM", () => {
  // busybox 1.36.1-1 has no CPE in the SBOM: the alias table gives it cpe:...:busybox:busybox:1.36.1,
  // which the CPE statements name; busybox-httpd is not in the table and shares no identifier.
  it("each statement covers exactly the components it names", async () => {
    const sbom = await readSbom(fileURLToPath(new URL("../sbom/fixtures/cdx-1.6.json", import.meta.url)));
    const components = [
      ...sbom.components,
      // a component the SBOM does not have, to be named by the curl statements
      {
        name: "curl",
        version: "8.3.0-1",
        purl: "pkg:opkg/curl@8.3.0-1?arch=mipsel_24kc",
        location: "",
        line: 1,
        col: 1,
      },
    ];
    const table: string[] = [];
    for (const f of ["cdx-vex.json", "openvex.json", "csaf-vex.json"]) {
      const r = await readVex(fileURLToPath(new URL(`fixtures/${f}`, import.meta.url)));
      for (const s of r.statements) {
        const hits = components.filter((c) => applies(s, c)).map((c) => `${c.name}@${c.version}`);
        table.push(`${f} ${s.source.location} ${s.vulnerability} ${s.status}: ${hits.join(", ") || "-"}`);
      }
    }
    assert.deepEqual(table, [
      "cdx-vex.json $.vulnerabilities[0].affects[0] CVE-2023-5678 not_affected: openssl@3.0.11-1",
      "cdx-vex.json $.vulnerabilities[0].affects[0] CVE-2023-5678 not_affected: -",
      "cdx-vex.json $.vulnerabilities[1].affects[0] CVE-2023-38545 affected: curl@8.3.0-1",
      "cdx-vex.json $.vulnerabilities[2].affects[0] CVE-2022-48174 fixed: busybox@1.36.1-1",
      "cdx-vex.json $.vulnerabilities[3].affects[0] GHSA-2222-3333-4444 under_investigation: openssl@3.0.11-1",
      "cdx-vex.json $.vulnerabilities[3].affects[1] GHSA-2222-3333-4444 under_investigation: busybox@1.36.1-1",
      "openvex.json $.statements[0].products[0].subcomponents[0] CVE-2023-38545 not_affected: curl@8.3.0-1",
      "openvex.json $.statements[1].products[0] CVE-2023-5678 fixed: openssl@3.0.11-1",
      "openvex.json $.statements[2].products[0] CVE-2022-48174 affected: busybox@1.36.1-1",
      "openvex.json $.statements[3].products[0] CVE-2023-45853 under_investigation: -",
      "csaf-vex.json $.vulnerabilities[0].product_status.known_not_affected[0] CVE-2023-5678 not_affected: openssl@3.0.11-1",
      "csaf-vex.json $.vulnerabilities[1].product_status.known_affected[0] CVE-2022-48174 affected: busybox@1.36.1-1",
      "csaf-vex.json $.vulnerabilities[1].product_status.under_investigation[0] CVE-2022-48174 under_investigation: zlib@1.2.13",
      "csaf-vex.json $.vulnerabilities[2].product_status.fixed[0] ACME-2025-17 fixed: zlib@1.2.13",
    ]);
  });
});
