// The manifest fields this feature adds: accepted when right, refused with line and column when not.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { vocabularyOf } from "../../src/assess/run.js";
import { loadCatalog } from "../../src/catalog/load.js";
import { loadManifest } from "../../src/manifest/load.js";
import { formatProblem, InputError } from "../../src/util/problems.js";

const vocab = vocabularyOf(loadCatalog());
const HEAD = "concord: 1\nproduct:\n  name: X\n  maker: { name: M }\n  category: hub\nmarkets: [EU]\n";

function load(body: string) {
  const dir = mkdtempSync(join(tmpdir(), "concord-fields-"));
  writeFileSync(join(dir, "concord.yaml"), HEAD + body);
  try {
    return { manifest: loadManifest(dir, vocab).manifest };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { problems: e.problems.map((p) => formatProblem({ ...p, file: "concord.yaml", fix: undefined })) };
  }
}

describe("manifest: disclosure and support fields", () => {
  it("accepts them all", () => {
    const r = load(`support:
  until: "2031-12"
  from: "2026-12-11"
  expectedUseYears: 3.5
  statedAtPurchase: true
disclosure:
  securityTxt: web/.well-known/security.txt
  signingKey: keys/psirt.asc
  csafProviderMetadata: https://x.example/.well-known/csaf/provider-metadata.json
  reporting: { earlyWarningHours: 24, notificationHours: 72, finalReportDays: 14, incidentFinalReportDays: 30 }
attestationsFile: compliance/attestations.yaml
`);
    assert.deepEqual(r.problems, undefined);
    const m = r.manifest;
    assert.ok(m);
    assert.equal(m.support?.expectedUseYears, 3.5);
    assert.equal(m.disclosure?.securityTxt, "web/.well-known/security.txt");
    assert.equal(m.attestationsFile, "compliance/attestations.yaml");
  });

  it("refuses wrong values where they are", () => {
    const r = load(`support:
  until: "2031-12-31"
  expectedUseYears: -1
  statedAtPurchase: "yes"
disclosure:
  securityTxt: "https://"
  reporting: { earlyWarningHours: 24.5, notificationHours: 72 }
attestations:
  - requirement: VULN-08
    statement: s
    evidence: [concord.yaml]
    evidenceSha256: { concord.yaml: "abc" }
    by: { name: A }
    date: "2026-01-01"
`);
    assert.deepEqual(r.problems, [
      "concord.yaml:9:21: support.expectedUseYears: Too small: expected number to be >0",
      "concord.yaml:10:21: support.statedAtPurchase: Invalid input: expected boolean, received string",
      "concord.yaml:12:16: disclosure.securityTxt: expected an https:// URL or a file path relative to the manifest",
      "concord.yaml:13:35: disclosure.reporting.earlyWarningHours: Invalid input: expected int, received number",
      "concord.yaml:13:14: disclosure.reporting.finalReportDays: Invalid input: expected number, received undefined",
      "concord.yaml:18:37: attestations[0].evidenceSha256.concord.yaml: expected a sha256 in hex",
    ]);
  });
});
