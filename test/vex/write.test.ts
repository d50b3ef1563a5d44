// The product's own CycloneDX 1.6 VEX: matches plus statements give analyses, valid against the
// official schema, the same bytes for the same inputs (but the timestamp), the latest applicable
// statement deciding.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

import { readSbom } from "../../src/collect/sbom/index.js";
import {
  decidingStatement,
  readVex,
  toCycloneDxVex,
  type VexStatement,
  type VulnerabilityMatch,
} from "../../src/collect/vex/index.js";
import { errorsOf, validateCycloneDx16 } from "../helpers/schemas.js";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

async function inputs(): Promise<{ matches: VulnerabilityMatch[]; statements: VexStatement[] }> {
  const sbom = await readSbom(here("../sbom/fixtures/cdx-1.6.json"));
  const by = (name: string) => {
    const c = sbom.components.find((x) => x.name === name);
    assert.ok(c, name);
    return c;
  };
  const statements: VexStatement[] = [];
  for (const f of ["cdx-vex.json", "openvex.json", "csaf-vex.json"])
    statements.push(...(await readVex(here(`fixtures/${f}`))).statements);
  const curl = {
    name: "curl",
    version: "8.3.0-1",
    purl: "pkg:opkg/curl@8.3.0-1?arch=mipsel_24kc",
    type: "application",
  };
  const matches: VulnerabilityMatch[] = [
    {
      vulnerability: "CVE-2023-5678",
      aliases: ["GHSA-9x2r-xxxx-yyyy"],
      component: by("openssl"),
      reason: "3.0.11 in [3.0.0, 3.0.13)",
    },
    { vulnerability: "CVE-2023-38545", component: curl, description: "SOCKS5 heap buffer overflow." },
    { vulnerability: "CVE-2022-48174", component: by("busybox") },
    { vulnerability: "CVE-2022-48174", component: by("busybox-httpd") },
    { vulnerability: "CVE-2024-0001", component: by("openssl") },
    {
      vulnerability: "CVE-2023-45853",
      component: by("zlib"),
      source: { name: "OSV", url: "https://osv.dev/vulnerability/CVE-2023-45853" },
    },
  ];
  return { matches, statements };
}

const PRODUCT = {
  name: "acme-cam-firmware",
  version: "2.4.1",
  type: "firmware",
  supplier: "Acme Cameras Ltd",
  bomRef: "acme-cam-fw",
};

describe("toCycloneDxVex", () => {
  it("is valid CycloneDX 1.6 with the analysis each match's deciding statement gives", async () => {
    const { matches, statements } = await inputs();
    const doc = toCycloneDxVex(PRODUCT, matches, statements, "2025-05-01T00:00:00Z", {
      toolVersion: "9.9.9",
    });
    const validate = validateCycloneDx16();
    assert.ok(validate(doc), errorsOf(validate));
    assert.equal(doc.specVersion, "1.6");
    assert.deepEqual((doc.metadata as { component: unknown }).component, {
      type: "firmware",
      "bom-ref": "acme-cam-fw",
      supplier: { name: "Acme Cameras Ltd" },
      name: "acme-cam-firmware",
      version: "2.4.1",
    });
    const vulns = doc.vulnerabilities as {
      id: string;
      analysis: Record<string, unknown>;
      affects: { ref: string }[];
      recommendation?: string;
    }[];
    assert.deepEqual(
      vulns.map((v) => [
        v.id,
        v.analysis.state,
        v.analysis.justification,
        v.affects.map((a) => a.ref).join(" "),
      ]),
      [
        // CSAF (2025-04-06) is the latest word on busybox; busybox-httpd has no statement: in triage
        ["CVE-2022-48174", "in_triage", undefined, "busybox-httpd@1.36.1"],
        ["CVE-2022-48174", "exploitable", undefined, "pkg:opkg/busybox@1.36.1-1?arch=mipsel_24kc"],
        // OpenVEX (2025-04-03) is later than the CycloneDX statement (2025-04-02)
        ["CVE-2023-38545", "not_affected", "code_not_reachable", "pkg:opkg/curl@8.3.0-1?arch=mipsel_24kc"],
        // zlib 1.2.13 is not the Debian package the OpenVEX statement names
        ["CVE-2023-45853", "in_triage", undefined, "pkg:generic/zlib@1.2.13"],
        // the CSAF statement (2025-04-06) is later than OpenVEX's fixed (2025-04-05)
        ["CVE-2023-5678", "not_affected", "code_not_reachable", "pkg:opkg/openssl@3.0.11-1?arch=mipsel_24kc"],
        // the GHSA statement names CVE-2024-0001 as an alias
        ["CVE-2024-0001", "in_triage", undefined, "pkg:opkg/openssl@3.0.11-1?arch=mipsel_24kc"],
      ],
    );
    const busybox = vulns[1]!;
    assert.equal(busybox.recommendation, "vendor_fix: Update to firmware 2.4.2.");
    assert.deepEqual(vulns[4], {
      id: "CVE-2023-5678",
      source: { name: "NVD", url: "https://nvd.nist.gov/vuln/detail/CVE-2023-5678" },
      references: [
        {
          id: "GHSA-9x2r-xxxx-yyyy",
          source: { name: "GitHub", url: "https://github.com/advisories/GHSA-9x2r-xxxx-yyyy" },
        },
      ],
      analysis: {
        state: "not_affected",
        justification: "code_not_reachable",
        detail: "Only ECDHE key exchange is enabled.",
      },
      properties: [
        {
          name: "concord:vex:source",
          value: `${here("fixtures/csaf-vex.json")}: $.vulnerabilities[0].product_status.known_not_affected[0] (csaf)`,
        },
        { name: "concord:vex:author", value: "Acme Cameras PSIRT" },
        { name: "concord:vex:justification", value: "vulnerable_code_not_in_execute_path" },
      ],
      affects: [{ ref: "pkg:opkg/openssl@3.0.11-1?arch=mipsel_24kc" }],
    });
    assert.deepEqual(
      (doc.components as { "bom-ref": string }[]).map((c) => c["bom-ref"]),
      [
        "busybox-httpd@1.36.1",
        "pkg:generic/zlib@1.2.13",
        "pkg:opkg/busybox@1.36.1-1?arch=mipsel_24kc",
        "pkg:opkg/curl@8.3.0-1?arch=mipsel_24kc",
        "pkg:opkg/openssl@3.0.11-1?arch=mipsel_24kc",
      ],
    );
  });

  it("matches with the same vulnerability and analysis share one entry", () => {
    const a = { name: "a", version: "1", purl: "pkg:generic/a@1" };
    const b = { name: "b", version: "1", purl: "pkg:generic/b@1" };
    const doc = toCycloneDxVex(
      { name: "p" },
      [
        { vulnerability: "CVE-2024-7", component: b },
        { vulnerability: "CVE-2024-7", component: a },
      ],
      [],
      "2025-01-01T00:00:00Z",
    );
    const validate = validateCycloneDx16();
    assert.ok(validate(doc), errorsOf(validate));
    assert.deepEqual(doc.vulnerabilities, [
      {
        id: "CVE-2024-7",
        source: { name: "NVD", url: "https://nvd.nist.gov/vuln/detail/CVE-2024-7" },
        analysis: { state: "in_triage", detail: "No VEX statement covers this match yet." },
        affects: [{ ref: "pkg:generic/a@1" }, { ref: "pkg:generic/b@1" }],
      },
    ]);
  });

  it("gives the same bytes for the same inputs, whatever their order, but the timestamp", async () => {
    const { matches, statements } = await inputs();
    const one = toCycloneDxVex(PRODUCT, matches, statements, "2025-05-01T00:00:00Z", { toolVersion: "1" });
    const two = toCycloneDxVex(PRODUCT, [...matches].reverse(), statements, "2026-01-01T00:00:00Z", {
      toolVersion: "1",
    });
    const strip = (d: Record<string, unknown>) =>
      JSON.stringify({ ...d, metadata: { ...(d.metadata as object), timestamp: "" } });
    assert.equal(strip(one), strip(two));
    assert.match(
      String(one.serialNumber),
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it("the latest applicable statement decides; of equal times the last given", () => {
    const base = (status: VexStatement["status"], timestamp?: string): VexStatement => {
      const s: VexStatement = {
        vulnerability: "CVE-1",
        aliases: [],
        product: { purl: "pkg:generic/a" },
        status,
        source: { format: "openvex", file: "f", location: status },
      };
      if (timestamp) s.timestamp = timestamp;
      return s;
    };
    const m: VulnerabilityMatch = {
      vulnerability: "CVE-1",
      component: { name: "a", version: "1", purl: "pkg:generic/a@1" },
    };
    const pick = (ss: VexStatement[]) => decidingStatement(m, ss)?.statement.status;
    assert.equal(pick([base("affected", "2025-01-02"), base("not_affected", "2025-01-01")]), "affected");
    assert.equal(pick([base("affected"), base("fixed")]), "fixed");
    assert.equal(pick([base("fixed", "2025-01-01"), base("affected")]), "fixed");
    assert.equal(pick([{ ...base("fixed"), vulnerability: "CVE-2" }]), undefined);
    assert.equal(pick([{ ...base("fixed"), vulnerability: "GHSA-x", aliases: ["cve-1"] }]), "fixed");
  });
});
