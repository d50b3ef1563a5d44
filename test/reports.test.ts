// Every report format from one assessment: SARIF and OSCAL validate against the official schemas,
// HTML and Markdown carry the market table, the heatmap and each finding with its evidence.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { assess } from "../src/assess/run.js";
import type { Assessment } from "../src/assess/types.js";
import { CHECKS } from "../src/checks/index.js";
import { renderHtml } from "../src/report/html.js";
import { renderMarkdown } from "../src/report/markdown.js";
import { renderOscal } from "../src/report/oscal.js";
import { renderSarif } from "../src/report/sarif.js";
import { renderTerminal } from "../src/report/terminal.js";
import { errorsOf, validateOscalAssessmentResults, validateSarif } from "./helpers/schemas.js";

let cam: Assessment;
let thermo: Assessment;
before(async () => {
  cam = await assess("examples/smart-camera", { asOf: "2026-11-25", now: new Date("2026-11-25T09:00:00Z") });
  thermo = await assess("examples/thermostat", { asOf: "2026-11-25", now: new Date("2026-11-25T09:00:00Z") });
});

describe("SARIF 2.1.0", () => {
  it("validates against the official schema", () => {
    const v = validateSarif();
    for (const a of [cam, thermo]) assert.ok(v(JSON.parse(renderSarif(a, CHECKS))), errorsOf(v));
  });
  it("locates a failure at the manifest line its evidence came from", () => {
    const log = JSON.parse(renderSarif(cam, CHECKS)) as {
      runs: {
        results: {
          ruleId: string;
          kind: string;
          level: string;
          locations: {
            physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
          }[];
        }[];
      }[];
    };
    const mqtt = log.runs[0]!.results.find(
      (r) => r.ruleId === "cloud.endpoints-encrypted" && r.kind === "fail",
    )!;
    assert.equal(mqtt.level, "error");
    assert.equal(mqtt.locations[0]!.physicalLocation.artifactLocation.uri, "concord.yaml");
    assert.equal(mqtt.locations[0]!.physicalLocation.region.startLine, 52);
  });
});

describe("OSCAL assessment-results", () => {
  it("validates against the OSCAL 1.0.6 schema", () => {
    const v = validateOscalAssessmentResults();
    for (const a of [cam, thermo]) assert.ok(v(JSON.parse(renderOscal(a))), errorsOf(v));
  });
  it("has one finding per requirement and one observation per check finding", () => {
    const doc = JSON.parse(renderOscal(cam)) as {
      "assessment-results": { results: { findings: unknown[]; observations: unknown[] }[] };
    };
    assert.equal(doc["assessment-results"].results[0]!.findings.length, cam.verdicts.length);
    assert.equal(doc["assessment-results"].results[0]!.observations.length, cam.findings.length);
  });
});

describe("HTML", () => {
  it("is self-contained and shows markets, heatmap and evidence", () => {
    const html = renderHtml(cam);
    assert.ok(!/<script|<link /.test(html), "no scripts or external assets");
    assert.match(html, /<h2>Markets<\/h2>/);
    assert.match(html, /<h2>Requirement × regime<\/h2>/);
    assert.match(
      html,
      /Cloud endpoint mqtt:\/\/telemetry\.acme-devices\.example:1883 uses mqtt, which is not encrypted\./,
    );
    assert.match(html, /<code>cloud\.endpoint<\/code> concord\.yaml:52:7/);
  });
  it("escapes what the manifest says", () => {
    const evil = { ...thermo, product: { ...thermo.product, name: "<img src=x onerror=alert(1)>" } };
    assert.ok(!renderHtml(evil).includes("<img src=x"));
  });
});

describe("Markdown and terminal", () => {
  it("Markdown lists markets, blockers and findings", () => {
    const md = renderMarkdown(cam);
    assert.match(md, /^# Concord assessment: Acme HomeCam 2/);
    assert.match(md, /\| UK \| blocked \|/);
    assert.match(md, /### What blocks UK PSTI/);
  });
  it("the terminal table has one row per market", () => {
    const t = renderTerminal(thermo);
    for (const m of ["UK", "US", "AU"]) assert.match(t, new RegExp(`│ ${m} `));
  });
});

describe("the product's VEX", () => {
  it("is CycloneDX 1.6, valid, with the thermostat's suppressed match as not_affected", async () => {
    const { renderVex } = await import("../src/report/vex.js");
    const { validateCycloneDx16 } = await import("./helpers/schemas.js");
    const doc = JSON.parse(renderVex(thermo)) as {
      vulnerabilities: { id: string; analysis: { state: string } }[];
    };
    const v = validateCycloneDx16();
    assert.ok(v(doc), errorsOf(v));
    assert.deepEqual(
      doc.vulnerabilities.map((x) => [x.id, x.analysis.state]),
      [["CVE-2023-28450", "not_affected"]],
    );
  });
});
