// SBOMs from firmware components: CycloneDX 1.6 and SPDX 2.3 documents validated against the
// official schemas (test/schemas), with exact content for a small image, the same bytes for the
// same input in any order, and one component per package even when two filesystems carry it.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { analyzeFirmware } from "../../src/collect/firmware/analyze.js";
import { componentsAnalyzer } from "../../src/collect/firmware/analyzers/components/index.js";
import { firmwareEvidence } from "../../src/collect/firmware/collector.js";
import { FW, type ComponentData, type FirmwareImageData } from "../../src/evidence/firmware.js";
import type { Evidence } from "../../src/evidence/types.js";
import { toCycloneDx } from "../../src/report/sbom/cyclonedx.js";
import { toSpdx } from "../../src/report/sbom/spdx.js";
import { sha256 } from "../../src/util/hash.js";
import { squashfsImage, tarImage, vendorImage, writeTree, type Tree } from "../helpers/fwimage.js";
import { errorsOf, validateCycloneDx16, validateSpdx23 } from "../helpers/schemas.js";

const AT = "2025-01-02T03:04:05.678Z";
const OPTS = { toolVersion: "9.9.9" };

const elf = (...strings: string[]) =>
  Buffer.concat([
    Buffer.from("\x7fELF\x01\x01\x01", "latin1"),
    Buffer.alloc(57),
    ...strings.map((s) => Buffer.from(`${s}\0`, "latin1")),
  ]);

const BUSYBOX = elf("BusyBox v1.36.1 (2023-11-13 14:45:12 UTC) multi-call binary.");
const DNSMASQ = elf("dnsmasq-2.90");

const SMALL: Tree = {
  "usr/lib/opkg/status":
    "Package: busybox\nVersion: 1.36.1-1\nStatus: install user installed\nArchitecture: mipsel_24kc\n",
  "usr/lib/opkg/info/busybox.control":
    "Package: busybox\nVersion: 1.36.1-1\nLicense: GPL-2.0-only\nMaintainer: Felix Fietkau <nbd@nbd.name>\n",
  "usr/lib/opkg/info/busybox.list": "/bin/busybox\n",
  "bin/busybox": { content: BUSYBOX, mode: 0o755 },
  "usr/sbin/dnsmasq": { content: DNSMASQ, mode: 0o755 },
};

function evidenceOf(image: string): { image: FirmwareImageData; components: Evidence<ComponentData>[] } {
  const analysis = analyzeFirmware(image, { cache: false, analyzers: [componentsAnalyzer] });
  const all = firmwareEvidence(analysis, "firmware.bin", AT);
  return {
    image: all.find((e) => e.kind === FW.image)!.data as FirmwareImageData,
    components: all.filter((e) => e.kind === FW.component) as Evidence<ComponentData>[],
  };
}

describe("CycloneDX 1.6", () => {
  const small = evidenceOf(tarImage(writeTree(SMALL)));
  const bom = toCycloneDx(small.image, small.components, AT, OPTS);

  it("is valid against the official schema", () => {
    const validate = validateCycloneDx16();
    assert.ok(validate(bom), errorsOf(validate));
  });

  it("describes the image and each component with its evidence, exactly", () => {
    const { serialNumber, ...rest } = bom;
    assert.match(
      serialNumber as string,
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const fw = `firmware:${small.image.sha256.slice(0, 16)}`;
    const bb = "pkg:opk/openwrt/busybox@1.36.1-1?arch=mipsel_24kc";
    const dm = "pkg:generic/dnsmasq@2.90";
    assert.deepEqual(rest, {
      bomFormat: "CycloneDX",
      specVersion: "1.6",
      version: 1,
      metadata: {
        timestamp: AT,
        tools: { components: [{ type: "application", name: "concord", version: "9.9.9" }] },
        component: {
          type: "firmware",
          "bom-ref": fw,
          name: "firmware.bin",
          hashes: [{ alg: "SHA-256", content: small.image.sha256 }],
        },
      },
      components: [
        {
          type: "application",
          "bom-ref": dm,
          name: "dnsmasq",
          version: "2.90",
          hashes: [{ alg: "SHA-256", content: sha256(DNSMASQ) }],
          cpe: "cpe:2.3:a:thekelleys:dnsmasq:2.90:*:*:*:*:*:*:*",
          purl: dm,
          evidence: {
            identity: [
              {
                field: "purl",
                confidence: 0.8,
                concludedValue: dm,
                methods: [{ technique: "binary-analysis", confidence: 0.8, value: "dnsmasq-2.90" }],
              },
            ],
            occurrences: [
              {
                location: "tar@0x0:/usr/sbin/dnsmasq",
                offset: 64,
                additionalContext: `sha256:${sha256(DNSMASQ)}; matched: dnsmasq-2.90`,
              },
            ],
          },
        },
        {
          type: "application",
          "bom-ref": bb,
          supplier: { name: "Felix Fietkau <nbd@nbd.name>" },
          name: "busybox",
          version: "1.36.1-1",
          hashes: [{ alg: "SHA-256", content: sha256(BUSYBOX) }],
          licenses: [{ license: { id: "GPL-2.0-only" } }],
          cpe: "cpe:2.3:a:busybox:busybox:1.36.1:*:*:*:*:*:*:*",
          purl: bb,
          evidence: {
            identity: [
              {
                field: "purl",
                confidence: 1,
                concludedValue: bb,
                methods: [
                  {
                    technique: "manifest-analysis",
                    confidence: 1,
                    value: "Package: busybox / Version: 1.36.1-1",
                  },
                  {
                    technique: "binary-analysis",
                    confidence: 0.9,
                    value: "BusyBox v1.36.1 (2023-11-13 14:45:12 UTC) multi-call binary.",
                  },
                ],
              },
            ],
            occurrences: [
              {
                location: "tar@0x0:/bin/busybox",
                offset: 64,
                additionalContext: `sha256:${sha256(BUSYBOX)}; matched: BusyBox v1.36.1 (2023-11-13 14:45:12 UTC) multi-call binary.`,
              },
            ],
          },
        },
      ],
      dependencies: [{ ref: fw, dependsOn: [dm, bb] }, { ref: dm }, { ref: bb }],
    });
  });

  it("gives the same bytes for the same components in any order; only the timestamp follows the clock", () => {
    const again = toCycloneDx(small.image, [...small.components].reverse(), AT, OPTS);
    assert.equal(JSON.stringify(again), JSON.stringify(bom));
    const later = toCycloneDx(small.image, small.components, "2026-06-07T08:09:10.000Z", OPTS);
    assert.equal(later.serialNumber, bom.serialNumber);
    assert.equal(
      JSON.stringify({ ...later, metadata: { ...(later.metadata as object), timestamp: AT } }),
      JSON.stringify(bom),
    );
  });

  it("makes one component of a package two filesystems carry, with both places", () => {
    const a = squashfsImage(writeTree({ "bin/busybox": { content: BUSYBOX, mode: 0o755 } }));
    const b = squashfsImage(writeTree({ "bin/busybox": { content: BUSYBOX, mode: 0o755 }, "etc/x": "x" }));
    const { image, components } = evidenceOf(vendorImage([a, b]));
    assert.equal(image.filesystems.length, 2);
    assert.equal(components.length, 2, "one component per filesystem in the evidence");
    const doc = toCycloneDx(image, components, AT, OPTS);
    const validate = validateCycloneDx16();
    assert.ok(validate(doc), errorsOf(validate));
    const comps = doc.components as { name: string; evidence: { occurrences: { location: string }[] } }[];
    assert.deepEqual(
      comps.map((c) => [c.name, c.evidence.occurrences.map((o) => o.location)]),
      [["busybox", image.filesystems.map((f) => `${f.id}:/bin/busybox`).sort()]],
    );
  });

  it("carries real Debian binaries with their versions and validates", () => {
    const tree: Tree = {
      "bin/busybox": { content: readFileSync("/bin/busybox"), mode: 0o755 },
      "lib/libc.so.6": { content: readFileSync("/usr/lib/x86_64-linux-gnu/libc.so.6") },
    };
    const { image, components } = evidenceOf(tarImage(writeTree(tree)));
    const doc = toCycloneDx(image, components, AT, OPTS);
    const validate = validateCycloneDx16();
    assert.ok(validate(doc), errorsOf(validate));
    const comps = doc.components as { name: string; purl: string; type: string }[];
    assert.deepEqual(
      comps.map((c) => [c.name, c.type]),
      [
        ["busybox", "application"],
        ["glibc", "library"],
      ],
    );
    assert.match(comps[0]!.purl, /^pkg:generic\/busybox@1\.\d+\.\d+$/);
  });
});

describe("SPDX 2.3", () => {
  const small = evidenceOf(tarImage(writeTree(SMALL)));
  const doc = toSpdx(small.image, small.components, AT, OPTS);

  it("is valid against the official schema", () => {
    const validate = validateSpdx23();
    assert.ok(validate(doc), errorsOf(validate));
  });

  it("has the firmware package, one package per component with purl and CPE, and CONTAINS relationships", () => {
    const pkgs = doc.packages as Record<string, unknown>[];
    const root = pkgs[0]!;
    assert.equal(root.name, "firmware.bin");
    assert.equal(root.primaryPackagePurpose, "FIRMWARE");
    assert.deepEqual(root.checksums, [{ algorithm: "SHA256", checksumValue: small.image.sha256 }]);
    assert.deepEqual(doc.creationInfo, {
      created: "2025-01-02T03:04:05Z",
      creators: ["Tool: concord-9.9.9"],
    });
    assert.match(
      doc.documentNamespace as string,
      /^https:\/\/spdx\.org\/spdxdocs\/concord-firmware\.bin-[0-9a-f-]{36}$/,
    );

    const bb = pkgs.find((p) => p.name === "busybox")!;
    assert.deepEqual(bb, {
      SPDXID: bb.SPDXID,
      name: "busybox",
      versionInfo: "1.36.1-1",
      downloadLocation: "NOASSERTION",
      filesAnalyzed: false,
      checksums: [{ algorithm: "SHA256", checksumValue: sha256(BUSYBOX) }],
      sourceInfo:
        "identified by opkg (manifest-analysis, confidence 1): Package: busybox / Version: 1.36.1-1; " +
        "fingerprint (binary-analysis, confidence 0.9): BusyBox v1.36.1 (2023-11-13 14:45:12 UTC) multi-call binary.; " +
        "found at tar@0x0:/bin/busybox",
      licenseConcluded: "NOASSERTION",
      licenseDeclared: "GPL-2.0-only",
      copyrightText: "NOASSERTION",
      externalRefs: [
        {
          referenceCategory: "PACKAGE-MANAGER",
          referenceType: "purl",
          referenceLocator: "pkg:opk/openwrt/busybox@1.36.1-1?arch=mipsel_24kc",
        },
        {
          referenceCategory: "SECURITY",
          referenceType: "cpe23Type",
          referenceLocator: "cpe:2.3:a:busybox:busybox:1.36.1:*:*:*:*:*:*:*",
        },
      ],
      primaryPackagePurpose: "APPLICATION",
    });
    assert.match(bb.SPDXID as string, /^SPDXRef-Package-busybox-[0-9a-f]{12}$/);

    const ids = pkgs
      .slice(1)
      .map((p) => p.SPDXID as string)
      .sort();
    assert.deepEqual(doc.relationships, [
      { spdxElementId: "SPDXRef-DOCUMENT", relationshipType: "DESCRIBES", relatedSpdxElement: root.SPDXID },
      ...ids.map((id) => ({
        spdxElementId: root.SPDXID,
        relationshipType: "CONTAINS",
        relatedSpdxElement: id,
      })),
    ]);
    assert.equal(ids.length, 2);
  });

  it("is deterministic and rejects a timestamp that is not a date", () => {
    const again = toSpdx(small.image, [...small.components].reverse(), AT, OPTS);
    assert.equal(JSON.stringify(again), JSON.stringify(doc));
    assert.throws(
      () => toSpdx(small.image, small.components, "yesterday"),
      /generatedAt is not a date: "yesterday"/,
    );
  });

  it("declares no licence it cannot name as SPDX", () => {
    const c = small.components.map((e) => ({
      ...e,
      data: { ...e.data, licenses: ["GPL-2.0-only", "Custom Vendor Licence"] },
    }));
    const d = toSpdx(small.image, c, AT, OPTS);
    const validate = validateSpdx23();
    assert.ok(validate(d), errorsOf(validate));
    assert.deepEqual(
      (d.packages as { licenseDeclared: string }[]).map((p) => p.licenseDeclared),
      ["NOASSERTION", "NOASSERTION", "NOASSERTION"],
    );
    const bom = toCycloneDx(small.image, c, AT, OPTS);
    const v = validateCycloneDx16();
    assert.ok(v(bom), errorsOf(v));
    assert.deepEqual((bom.components as { licenses: unknown }[])[0]!.licenses, [
      { license: { name: "Custom Vendor Licence" } },
      { license: { id: "GPL-2.0-only" } },
    ]);
  });
});
