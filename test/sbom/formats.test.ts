// Each SBOM format read to exact component lists: CycloneDX 1.4-1.6 JSON and XML (nested
// components, metadata.component, purl, CPE, hashes, licences, supplier), SPDX 2.3 JSON and
// tag-value (multi-line <text>), the format told from content, JSON fixtures valid against the
// official schemas, and real documents from `npm sbom` read the same as JSON.parse reads them.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

import { SbomReader, parseSbom, readSbom, type SbomComponent } from "../../src/collect/sbom/index.js";
import { toComponentData } from "../../src/collect/sbom/component-data.js";
import { errorsOf, validateCycloneDx16, validateSpdx23 } from "../helpers/schemas.js";

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
const text = (name: string) => readFileSync(fixture(name), "utf8");

/** The component without where it was read. */
function bare(c: SbomComponent): Partial<SbomComponent> {
  const rest: Partial<SbomComponent> = { ...c };
  delete rest.location;
  delete rest.line;
  delete rest.col;
  return rest;
}

const OPENSSL = {
  name: "openssl",
  version: "3.0.11-1",
  purl: "pkg:opkg/openssl@3.0.11-1?arch=mipsel_24kc",
  cpe: "cpe:2.3:a:openssl:openssl:3.0.11:*:*:*:*:*:*:*",
  supplier: "OpenWrt",
  hashes: [
    { alg: "SHA-256", value: "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae" },
    { alg: "SHA-1", value: "0beec7b5ea3f0fdbc95d0dd47f3c5bc275da8a33" },
  ],
  licenses: ["Apache-2.0"],
  bomRef: "pkg:opkg/openssl@3.0.11-1?arch=mipsel_24kc",
  type: "library",
};
const CDX16 = [
  OPENSSL,
  { name: "busybox-httpd", version: "1.36.1", bomRef: "busybox-applet-httpd", type: "library" },
  {
    name: "busybox",
    version: "1.36.1-1",
    purl: "pkg:opkg/busybox@1.36.1-1?arch=mipsel_24kc",
    licenses: ["GPL-2.0-only"],
    bomRef: "pkg:opkg/busybox@1.36.1-1?arch=mipsel_24kc",
    type: "application",
  },
  { name: "acme-linux", version: "5.10.110", bomRef: "os", type: "operating-system" },
  {
    name: "zlib",
    version: "1.2.13",
    purl: "pkg:generic/zlib@1.2.13",
    licenses: ["zlib License"],
    bomRef: "pkg:generic/zlib@1.2.13",
    type: "library",
  },
];
const CDX16_SUBJECT = {
  name: "acme-cam-firmware",
  version: "2.4.1",
  supplier: "Acme Cameras Ltd",
  hashes: [{ alg: "SHA-256", value: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" }],
  bomRef: "acme-cam-fw",
  type: "firmware",
};

describe("CycloneDX", () => {
  it("1.6 JSON: nested components stream out (children before the parent that holds them)", async () => {
    const r = await readSbom(fixture("cdx-1.6.json"));
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.components.map(bare), CDX16);
    assert.deepEqual(
      r.components.map((c) => `${c.location} ${c.line}:${c.col}`),
      [
        "$.components[0].components[0] 32:9",
        "$.components[0].components[1].components[0] 58:13",
        "$.components[0].components[1] 50:9",
        "$.components[0] 25:5",
        "$.components[1] 68:5",
      ],
    );
    const { subject, ...doc } = r.document!;
    assert.deepEqual(doc, {
      file: fixture("cdx-1.6.json"),
      format: "cyclonedx-json",
      specVersion: "1.6",
      serialNumber: "urn:uuid:6a1f0e2c-8d4b-4b1e-9c3a-2f5e7d9a0b11",
      version: 3,
      created: "2025-03-14T09:26:53Z",
      subjectRef: "acme-cam-fw",
    });
    assert.deepEqual(bare(subject!), CDX16_SUBJECT);
    assert.equal(subject!.location, "$.metadata.component");
  });

  it("1.6 XML: the same components and metadata as the JSON, located by element path", async () => {
    const r = await readSbom(fixture("cdx-1.6.xml"));
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.components.map(bare), CDX16);
    assert.deepEqual(
      r.components.map((c) => `${c.location} ${c.line}:${c.col}`),
      [
        "/bom/components/component[1]/components/component[1] 24:9",
        "/bom/components/component[1]/components/component[2]/components/component[1] 43:13",
        "/bom/components/component[1]/components/component[2] 37:9",
        "/bom/components/component[1] 19:5",
        "/bom/components/component[2] 51:5",
      ],
    );
    assert.equal(r.document!.format, "cyclonedx-xml");
    assert.equal(r.document!.specVersion, "1.6");
    assert.equal(r.document!.serialNumber, "urn:uuid:6a1f0e2c-8d4b-4b1e-9c3a-2f5e7d9a0b11");
    assert.equal(r.document!.version, 3);
    assert.equal(r.document!.created, "2025-03-14T09:26:53Z");
    assert.deepEqual(bare(r.document!.subject!), CDX16_SUBJECT);
  });

  it("1.5 JSON and XML (prefixed namespace): metadata.component's own components are components", async () => {
    const want = [
      {
        name: "thermostat-fw",
        version: "1.8.0",
        supplier: "Example Controls",
        bomRef: "thermostat-fw",
        type: "firmware",
      },
      {
        name: "mbedtls",
        version: "2.28.5",
        group: "ARMmbed",
        purl: "pkg:github/ARMmbed/mbedtls@v2.28.5",
        cpe: "cpe:2.3:a:arm:mbed_tls:2.28.5:*:*:*:*:*:*:*",
        licenses: ["Apache-2.0"],
        bomRef: "mbedtls",
        type: "library",
      },
      { name: "lwip", version: "2.1.3", bomRef: "lwip", type: "library" },
    ];
    const json = await readSbom(fixture("cdx-1.5.json"));
    assert.deepEqual(json.problems, []);
    assert.deepEqual(json.components.map(bare), want);
    assert.equal(json.components[0]!.location, "$.metadata.component.components[0]");
    assert.deepEqual(bare(json.document!.subject!), {
      name: "Smart Thermostat",
      version: "T-100 rev 3",
      bomRef: "thermostat",
      type: "device",
    });
    const xml = await readSbom(fixture("cdx-1.5.xml"));
    assert.deepEqual(xml.problems, []);
    const mbedNoLicence: Record<string, unknown> = { ...want[1] };
    delete mbedNoLicence.licenses;
    assert.deepEqual(xml.components.map(bare), [
      { ...want[0], supplier: "Example Controls & Sons" },
      mbedNoLicence,
      want[2],
    ]);
    assert.equal(xml.components[0]!.location, "/bom/metadata/component/components/component[1]");
    assert.equal(xml.document!.specVersion, "1.5");
  });

  it("1.4 JSON and XML", async () => {
    const json = await readSbom(fixture("cdx-1.4.json"));
    assert.deepEqual(json.problems, []);
    assert.deepEqual(json.components.map(bare), [
      {
        name: "left-pad",
        version: "1.3.0",
        group: "@scope",
        purl: "pkg:npm/%40scope/left-pad@1.3.0",
        hashes: [
          {
            alg: "SHA-512",
            value:
              "5f8ab4ecdd76b9bd77a7b0b5bd12e4f1b06e1ec2b9a3d8a27b1f1d4b0c1d2e3f5f8ab4ecdd76b9bd77a7b0b5bd12e4f1b06e1ec2b9a3d8a27b1f1d4b0c1d2e3f",
          },
        ],
        licenses: ["WTFPL"],
        bomRef: "pkg:npm/%40scope/left-pad@1.3.0",
        type: "library",
      },
      {
        name: "requests",
        version: "2.31.0",
        purl: "pkg:pypi/requests@2.31.0",
        bomRef: "pkg:pypi/requests@2.31.0",
        type: "library",
      },
    ]);
    assert.equal(json.document!.specVersion, "1.4");
    const xml = await readSbom(fixture("cdx-1.4.xml"));
    assert.deepEqual(xml.problems, []);
    assert.deepEqual(
      xml.components.map((c) => [c.name, c.version, c.purl, c.bomRef]),
      [
        ["left-pad", "1.3.0", "pkg:npm/%40scope/left-pad@1.3.0", "pkg:npm/%40scope/left-pad@1.3.0"],
        ["requests", "2.31.0", "pkg:pypi/requests@2.31.0", undefined],
      ],
    );
    assert.equal(xml.document!.subject, undefined);
  });

  it("JSON fixtures are valid CycloneDX (checked against the official 1.6 schema)", () => {
    const validate = validateCycloneDx16();
    for (const f of ["cdx-1.4.json", "cdx-1.5.json", "cdx-1.6.json"])
      assert.ok(validate(JSON.parse(text(f))), `${f}: ${errorsOf(validate)}`);
  });
});

const DROPBEAR = {
  name: "dropbear",
  version: "2022.83-1",
  purl: "pkg:opkg/dropbear@2022.83-1?arch=arm_cortex-a7",
  cpe: "cpe:2.3:a:dropbear_ssh_project:dropbear_ssh:2022.83:*:*:*:*:*:*:*",
  supplier: "OpenWrt",
  hashes: [{ alg: "SHA-256", value: "bc5a121ffbc94b5171ad5ebe01be42746d50aa797c9549a4639894a16749443b" }],
  licenses: ["MIT"],
  bomRef: "SPDXRef-Package-dropbear",
  type: "application",
};
const FIRMWARE = {
  name: "acme-router-fw",
  version: "3.1.0",
  supplier: "Acme Networks",
  bomRef: "SPDXRef-Package-firmware",
  type: "firmware",
};

describe("SPDX", () => {
  it("2.3 JSON: purl and cpe23Type (else cpe22Type) external refs, checksums, supplier; DESCRIBES after the packages", async () => {
    const r = await readSbom(fixture("spdx-2.3.json"));
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.components.map(bare), [
      DROPBEAR,
      {
        name: "curl",
        version: "8.4.0",
        cpe: "cpe:/a:haxx:curl:8.4.0",
        hashes: [
          { alg: "SHA-1", value: "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
          { alg: "SHA3-256", value: "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a" },
        ],
        licenses: ["curl"],
        bomRef: "SPDXRef-Package-curl",
      },
      FIRMWARE,
    ]);
    assert.deepEqual(
      r.components.map((c) => `${c.location} ${c.line}:${c.col}`),
      ["$.packages[0] 12:5", "$.packages[1] 41:5", "$.packages[2] 63:5"],
    );
    const { subject, ...doc } = r.document!;
    assert.deepEqual(doc, {
      file: fixture("spdx-2.3.json"),
      format: "spdx-json",
      specVersion: "SPDX-2.3",
      name: "acme-router-fw-3.1.0",
      serialNumber: "https://acme.example/spdxdocs/acme-router-fw-3.1.0-5e2c",
      created: "2025-01-20T12:00:00Z",
      subjectRef: "SPDXRef-Package-firmware",
    });
    // the DESCRIBES relationship comes after the packages: a second pass finds the subject
    assert.deepEqual(bare(subject!), FIRMWARE);
    const inMemory = parseSbom(text("spdx-2.3.json"), "doc.json");
    assert.deepEqual(bare(inMemory.document!.subject!), FIRMWARE);
  });

  it("2.3 tag-value: multi-line <text> values, a tag-like line inside one, files and relationships", async () => {
    const r = await readSbom(fixture("spdx-2.3.spdx"));
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.components.map(bare), [
      FIRMWARE,
      DROPBEAR,
      {
        name: "curl",
        version: "8.4.0",
        cpe: "cpe:/a:haxx:curl:8.4.0",
        hashes: [{ alg: "SHA-1", value: "da39a3ee5e6b4b0d3255bfef95601890afd80709" }],
        licenses: ["curl"],
        bomRef: "SPDXRef-Package-curl",
      },
    ]);
    assert.deepEqual(
      r.components.map((c) => c.location),
      ["line 20", "line 27", "line 42"],
    );
    assert.equal(r.document!.format, "spdx-tag-value");
    assert.equal(r.document!.name, "acme-router-fw-3.1.0");
    assert.equal(r.document!.created, "2025-01-20T12:00:00Z");
    assert.deepEqual(bare(r.document!.subject!), FIRMWARE);
  });

  it("the JSON fixture is valid SPDX 2.3 (official schema)", () => {
    const validate = validateSpdx23();
    assert.ok(validate(JSON.parse(text("spdx-2.3.json"))), errorsOf(validate));
  });
});

describe("format detection", () => {
  it("is by content: the file name and extension play no part", () => {
    const dir = mkdtempSync(join(tmpdir(), "concord-sbom-"));
    try {
      for (const [f, format] of [
        ["cdx-1.6.json", "cyclonedx-json"],
        ["cdx-1.6.xml", "cyclonedx-xml"],
        ["spdx-2.3.json", "spdx-json"],
        ["spdx-2.3.spdx", "spdx-tag-value"],
      ] as const) {
        const misnamed = join(dir, `${f}.txt`);
        writeFileSync(misnamed, `\uFEFF${text(f)}`);
        const r = parseSbom(readFileSync(misnamed, "utf8"), misnamed);
        assert.equal(r.document?.format, format, f);
        assert.deepEqual(r.problems, [], f);
        assert.ok(r.components.length >= 3, f);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("any chunking gives the same components", () => {
    for (const f of ["cdx-1.6.json", "cdx-1.6.xml", "spdx-2.3.json", "spdx-2.3.spdx"]) {
      const whole = parseSbom(text(f), f).components;
      for (const size of [1, 5, 64]) {
        const got: SbomComponent[] = [];
        const r = new SbomReader(f, (c) => got.push(c));
        const t = text(f);
        for (let i = 0; i < t.length; i += size) r.write(t.slice(i, i + size));
        const s = r.end();
        assert.deepEqual(s.problems, [], `${f} / ${size}`);
        assert.deepEqual(got, whole, `${f} / ${size}`);
      }
    }
  });
});

describe("real documents", () => {
  it("npm sbom's CycloneDX and SPDX for this repository read as JSON.parse sees them", (t) => {
    const root = fileURLToPath(new URL("../../", import.meta.url));
    let cdx: string;
    let spdx: string;
    try {
      const run = (format: string) =>
        execFileSync("npm", ["sbom", "--sbom-format", format, "--omit", "dev"], {
          cwd: root,
          encoding: "utf8",
          stdio: ["ignore", "pipe", "ignore"],
          maxBuffer: 64 << 20,
        });
      cdx = run("cyclonedx");
      spdx = run("spdx");
    } catch {
      t.skip("npm sbom is not available");
      return;
    }
    const c = parseSbom(cdx, "npm-cdx.json");
    assert.deepEqual(c.problems, []);
    const cj = JSON.parse(cdx) as {
      specVersion: string;
      components: { name: string; version: string; purl?: string }[];
    };
    assert.equal(c.document!.specVersion, cj.specVersion);
    assert.deepEqual(
      c.components.map((x) => [x.name, x.version, x.purl]),
      cj.components.map((x) => [x.name, x.version, x.purl]),
    );
    assert.ok(c.components.length > 10);
    assert.ok(validateCycloneDx16()(cj));

    const s = parseSbom(spdx, "npm-spdx.json");
    assert.deepEqual(s.problems, []);
    const sj = JSON.parse(spdx) as { packages: { name: string; versionInfo: string }[] };
    assert.deepEqual(
      s.components.map((x) => [x.name, x.version]),
      sj.packages.map((x) => [x.name, x.versionInfo]),
    );
    assert.equal(s.document!.subject?.name, "concord");
  });
});

describe("toComponentData", () => {
  it("gives the firmware.component shape the vulnerability matcher reads", () => {
    const r = parseSbom(text("cdx-1.6.json"), "fw.cdx.json");
    assert.deepEqual(toComponentData(r.components[0]!, "fw.cdx.json", "cyclonedx-json"), {
      name: "openssl",
      version: "3.0.11-1",
      method: "sbom",
      match: "fw.cdx.json (cyclonedx-json): $.components[0].components[0]",
      confidence: 1,
      purl: "pkg:opkg/openssl@3.0.11-1?arch=mipsel_24kc",
      cpe: "cpe:2.3:a:openssl:openssl:3.0.11:*:*:*:*:*:*:*",
      supplier: "OpenWrt",
      licenses: ["Apache-2.0"],
      role: "library",
    });
  });
});
