// Vulnerabilities inside the assessment: the example camera's firmware components match real
// CVEs from the bundled database and fail VULN-04; the thermostat's SBOM has one match that its
// VEX suppresses; `concord sbom scan` as a user runs it.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { assess } from "../../src/assess/run.js";
import { VULN, type VulnMatchData } from "../../src/evidence/vuln.js";

const AS_OF = "2026-11-25";

describe("vulnerabilities in assessments", () => {
  it("the camera's firmware components carry real CVEs, and VULN-04 fails", async () => {
    const a = await assess("examples/smart-camera", { asOf: AS_OF });
    const matches = a.evidence.filter((e) => e.kind === VULN.match).map((e) => e.data as VulnMatchData);
    const ids = matches.map((m) => `${m.component.name} ${m.id}`);
    for (const want of [
      "busybox CVE-2016-2148",
      "dnsmasq CVE-2017-14491",
      "dropbear CVE-2016-7406",
      "libopenssl1.0.0 CVE-2022-0778",
    ])
      assert.ok(ids.includes(want), `${want} in ${ids.join(", ")}`);
    const v = a.verdicts.find((x) => x.requirement === "VULN-04")!;
    assert.equal(v.status, "not-satisfied");
    assert.match(
      v.because,
      /CVE-2017-14491 in dnsmasq 2\.75-1 \(CVSS 3\.1 9\.8\)\. Matched by NVD CVE-2017-14491: cpe thekelleys:dnsmasq, version 2\.75 <= 2\.77 \(including\)\./,
    );
    // The CRA's Annex I (2)(a) rides on VULN-04.
    const cra = a.regimes.find((r) => r.regime === "eu-cra")!;
    assert.equal(cra.provisions.find((p) => p.id === "AnnexI.PI.2a")!.status, "not-satisfied");
  });

  it("a CVE not in KEV is never flagged KEV", async () => {
    const a = await assess("examples/smart-camera", { asOf: AS_OF });
    for (const e of a.evidence.filter((x) => x.kind === VULN.match)) {
      const m = e.data as VulnMatchData;
      if (m.id === "CVE-2017-14491" || m.id === "CVE-2016-2148") assert.equal(m.kev, undefined, m.id);
    }
  });

  it("the thermostat's VEX suppresses its one match, and VULN-04 is satisfied", async () => {
    const a = await assess("examples/thermostat", { asOf: AS_OF });
    const m = a.evidence.filter((e) => e.kind === VULN.match).map((e) => e.data as VulnMatchData);
    assert.deepEqual(
      m.map((x) => [x.component.name, x.id, x.suppressed?.status, x.suppressed?.justification]),
      [["dnsmasq", "CVE-2023-28450", "not_affected", "vulnerable_code_not_in_execute_path"]],
    );
    assert.equal(a.verdicts.find((x) => x.requirement === "VULN-04")!.status, "satisfied");
  });
});

describe("concord sbom scan", () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "sbom", "scan", ...args], {
      encoding: "utf8",
      env: { ...process.env, CONCORD_CACHE_DIR: mkdtempSync(join(tmpdir(), "concord-sbom-")), NO_COLOR: "1" },
    });
  const SBOM = "examples/thermostat/sbom/bw-t3-5.2.0.cdx.json";

  it("lists the open match and exits 1", () => {
    const r = run(SBOM);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /bw-t3-5\.2\.0\.cdx\.json: 5 components, 1 known vulnerabilities/);
    assert.match(r.stdout, /│ dnsmasq 2\.89 +│ CVE-2023-28450 +│ 7\.5 +│ - +│ - +│ 2\.90 +│ open +│/);
  });

  it("with the product's VEX the match is suppressed and the scan passes", () => {
    const r = run(SBOM, "--vex", "examples/thermostat/sbom/bw-t3.openvex.json", "--json");
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { matches: VulnMatchData[]; findings: { status: string }[] };
    assert.equal(out.matches[0]!.suppressed?.status, "not_affected");
    assert.ok(out.findings.some((f) => f.status === "pass"));
  });

  it("a file that is not an SBOM is an input error", () => {
    const r = run("README.md");
    assert.equal(r.status, 2);
    assert.match(r.stderr, /README\.md/);
  });
});
