// `concord assess --live` of the example camera, whose manifest names the insecure demo device as
// its address: the live findings join the firmware and manifest evidence and show in the markets.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { concordInLab, labUnavailable, labUp, type Lab } from "./lab.js";

interface Out {
  findings: { check: string; status: string; message: string; requirements: string[] }[];
  verdicts: { requirement: string; status: string; findings?: string[] }[];
  markets: { market: string; status: string; blockers?: { requirement?: string }[] }[];
  collection: { collector: string; evidence: number; error?: string }[];
}

describe("assess --live", { skip: labUnavailable() ?? false }, () => {
  let lab: Lab;
  before(() => {
    lab = labUp("assess");
  });
  after(() => lab?.down());

  it("probes artifacts.device and judges the live findings with the rest", async () => {
    const r = await concordInLab(lab, [
      "assess",
      "examples/smart-camera",
      "--live",
      "--json",
      "--format",
      "none",
      "--as-of",
      "2026-11-25",
    ]);
    assert.equal(r.status, 0, r.stderr);
    const a = JSON.parse(r.stdout) as Out;
    const probe = a.collection.find((c) => c.collector === "probe");
    assert.ok(probe && probe.evidence > 10 && !probe.error, JSON.stringify(a.collection));
    const live = a.findings.filter((f) => f.check.startsWith("probe.") && f.status === "fail");
    const ids = [...new Set(live.map((f) => f.check))].sort();
    assert.ok(ids.includes("probe.insecure-services"), ids.join(","));
    assert.ok(ids.includes("probe.mqtt-anonymous"), ids.join(","));
    const telnet = live.find((f) => f.check === "probe.insecure-services" && /Telnet/.test(f.message));
    assert.equal(
      telnet?.message,
      'Telnet answers on 10.231.1.2 port 23 ("HC200 IP Camera"): it sends logins in clear text.',
    );
  });

  it("without --live nothing is probed and the assessment says so", async () => {
    const r = await concordInLab(lab, ["assess", "examples/smart-camera", "--format", "none"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /note: the device at 10\.231\.1\.2 was not tested live; pass --live to probe it/);
  });
});
