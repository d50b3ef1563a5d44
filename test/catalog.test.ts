// The catalog is data; these tests hold it to its promises: it validates, every mandatory
// provision of a complete regime maps or says why, official mappings name their source, checks
// and requirements agree, and the OSCAL exports are valid.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { CHECKS } from "../src/checks/index.js";
import { defaultCatalogDir, loadCatalog } from "../src/catalog/load.js";
import { baselineToOscal, regimeProfile, regimeToOscal } from "../src/catalog/oscal.js";
import { coverage, delta, requirementUsage } from "../src/catalog/query.js";
import { InputError, formatProblem } from "../src/util/problems.js";
import { errorsOf, validateOscalCatalog, validateOscalProfile } from "./helpers/schemas.js";

const catalog = loadCatalog();

const COMPLETE = [
  "etsi-en-303-645",
  "uk-psti",
  "eu-cra",
  "en-18031-1",
  "en-18031-2",
  "en-18031-3",
  "eu-red-da",
  "nist-ir-8259a",
  "nist-ir-8259b",
  "nist-ir-8425",
  "us-fcc-cyber-trust-mark",
  "us-ca-sb327",
  "us-or-hb2395",
  "sg-cls",
  "fi-traficom-label",
  "de-bsi-it-security-label",
  "jp-jc-star",
  "au-smart-device-rules",
  "iec-62443-4-2",
];
const KNOWN = [
  "br-anatel-act-77",
  "kr-kisa-iot-cert",
  "in-iot-security",
  "cn-iot-security",
  "csa-iot-device-security-spec",
  "ioxt",
  "owasp-isvs",
];

describe("catalog", () => {
  it("has a baseline of 40 to 70 requirements, each grounded in a standard", () => {
    const n = catalog.baseline.requirements.length;
    assert.ok(n >= 40 && n <= 75, `${n} requirements`);
    for (const r of catalog.baseline.requirements) assert.ok(r.groundedIn.length > 0, r.id);
  });

  it("has every regime the spine promises, complete where promised", () => {
    for (const id of COMPLETE)
      assert.equal(catalog.regime(id)?.completeness, "complete", `${id} should be complete`);
    for (const id of KNOWN) assert.ok(catalog.regime(id), `${id} should be present`);
  });

  it("lists all 67 provisions of ETSI EN 303 645 V2.1.1", () => {
    const ids = catalog.regime("etsi-en-303-645")!.provisions.map((p) => p.id);
    assert.equal(ids.length, 67);
    for (const id of ["5.1-1", "5.1-5", "5.3-13", "5.3-16", "5.4-4", "5.6-9", "5.13-1", "6-1", "6-5"])
      assert.ok(ids.includes(id), id);
  });

  it("maps every mandatory provision of every complete regime, or says why not", () => {
    const gaps: string[] = [];
    for (const r of catalog.regimes.filter((x) => x.completeness === "complete"))
      for (const p of r.provisions)
        if (p.level === "mandatory" && p.maps.length === 0 && !p.unmapped) gaps.push(`${r.id}:${p.id}`);
    assert.deepEqual(gaps, []);
  });

  it("gives every official mapping a source that says where it is stated", () => {
    let official = 0;
    for (const r of catalog.regimes)
      for (const p of r.provisions)
        for (const m of p.maps.filter((x) => x.confidence === "official")) {
          official++;
          const src = [...r.sources, ...catalog.baseline.sources].find((s) => s.id === m.source);
          assert.ok(
            src?.url ?? /^https?:/.test(m.source),
            `${r.id}:${p.id} -> ${m.requirement} cites "${m.source}" without a URL`,
          );
        }
    assert.ok(official > 10, `only ${official} official mappings`);
  });

  it("carries the official PSTI deemed-compliance mappings", () => {
    const psti = catalog.regime("uk-psti")!;
    const official = psti.provisions.flatMap((p) =>
      p.maps.filter((m) => m.confidence === "official").map((m) => m.requirement),
    );
    for (const req of ["AUTH-01", "VULN-01", "UPD-08"])
      assert.ok(official.includes(req), `PSTI official mapping to ${req}`);
  });

  it("names a source and date for every regime", () => {
    for (const r of catalog.regimes) {
      assert.ok(r.sources.length > 0, r.id);
      assert.ok(r.dates.length > 0, `${r.id} has no dates`);
    }
  });

  it("agrees with the checks: decidedBy names real checks, and each check's requirements list it", () => {
    const checkIds = new Set(CHECKS.map((c) => c.meta.id));
    for (const r of catalog.baseline.requirements)
      for (const c of r.decidedBy.checks) assert.ok(checkIds.has(c), `${r.id} names unknown check ${c}`);
    for (const c of CHECKS)
      for (const req of c.meta.requirements)
        assert.ok(
          catalog.requirement(req)?.decidedBy.checks.includes(c.meta.id),
          `${req} should list ${c.meta.id} in decidedBy.checks`,
        );
  });

  it("answers crosswalk queries", () => {
    const usage = requirementUsage(catalog, "UPD-08")!;
    assert.ok(usage.provisions.some((p) => p.regime === "uk-psti"));
    assert.ok(usage.provisions.some((p) => p.regime === "etsi-en-303-645" && p.provision === "5.3-13"));
    const d = delta(catalog, "etsi-en-303-645", "eu-cra");
    assert.ok(
      d.items.some((i) => i.status === "needs-work" && i.requirements.includes("VULN-08")),
      "the CRA's reporting duty is beyond EN 303 645",
    );
    const cov = coverage(catalog);
    assert.equal(cov.regimes.length, catalog.regimes.length);
  });

  it("exports OSCAL catalogs and profiles valid against the OSCAL 1.0.6 schemas", () => {
    const cat = validateOscalCatalog();
    const prof = validateOscalProfile();
    assert.ok(cat(baselineToOscal(catalog)), errorsOf(cat));
    for (const r of catalog.regimes) {
      assert.ok(cat(regimeToOscal(catalog, r)), `${r.id}: ${errorsOf(cat)}`);
      const p = regimeProfile(catalog, r);
      if (p) assert.ok(prof(p), `${r.id}: ${errorsOf(prof)}`);
    }
  });
});

describe("a broken catalog file", () => {
  const broken = (edit: (text: string) => string, file = "regimes/uk-psti.yaml") => {
    const dir = mkdtempSync(join(tmpdir(), "concord-catalog-"));
    cpSync(defaultCatalogDir(), dir, { recursive: true });
    const path = join(dir, file);
    writeFileSync(path, edit(readFileSync(path, "utf8")));
    try {
      loadCatalog(dir);
    } catch (e) {
      assert.ok(e instanceof InputError);
      return e.problems.map((p) => formatProblem({ ...p, file: file }));
    }
    return [];
  };

  it("points at an unknown requirement with file:line:col", () => {
    const got = broken((t) => t.replace(/requirement: VULN-01/, "requirement: VULN-77"));
    assert.equal(got.length, 1);
    assert.match(
      got[0]!,
      /^regimes\/uk-psti\.yaml:\d+:\d+: unknown core requirement "VULN-77"\n {2}fix: use a requirement id from catalog\/baseline\.yaml$/,
    );
  });

  it("points at a schema violation", () => {
    const got = broken((t) => t.replace(/relation: subset/, "relation: overlaps"));
    assert.match(
      got[0]!,
      /^regimes\/uk-psti\.yaml:\d+:\d+: provisions\[\d+\]\.maps\[\d+\]\.relation: Invalid option: expected one of "equal"\|"subset"\|"superset"\|"intersects"/,
    );
  });

  it("points at a baseline syntax error", () => {
    const got = broken((t) => t.replace("requirements:", "requirements:\n  - id: [oops"), "baseline.yaml");
    assert.match(got[0]!, /^baseline\.yaml:\d+:\d+: YAML syntax/);
  });
});
