// The bundled examples, assessed end to end, against golden results; and the promise that an
// assessment is reproducible: same inputs, same bytes, but for the timestamps.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assess } from "../src/assess/run.js";
import { renderJson } from "../src/report/json.js";
import { digest, matchGolden } from "./helpers/golden.js";

const AS_OF = "2026-11-25";
const NOW = new Date("2026-11-25T09:00:00.000Z");

describe("examples", () => {
  it("smart-camera: real problems block the UK and EU", async () => {
    const a = await assess("examples/smart-camera", { asOf: AS_OF, now: NOW });
    matchGolden("smart-camera", digest(a));
    const uk = a.markets.find((m) => m.market === "UK")!;
    assert.equal(uk.status, "blocked");
    assert.ok(
      uk.blockers.some((b) => b.startsWith("uk-psti:Sch1-3")),
      "no support period blocks PSTI's update-period duty",
    );
    assert.equal(a.verdicts.find((v) => v.requirement === "UPD-08")!.status, "not-satisfied");
    // An expired attestation decides nothing: the requirement is unknown, and says why.
    const vuln02 = a.verdicts.find((v) => v.requirement === "VULN-02")!;
    assert.equal(vuln02.status, "unknown");
    assert.match(
      vuln02.because,
      /^The attestation for VULN-02 by Sam Patel \(Firmware Lead\) expired on 2025-03-01; it no longer counts\. No evidence decides this yet\./,
    );
    assert.equal(a.verdicts.find((v) => v.requirement === "COMM-03")!.status, "not-satisfied");
    // The firmware image decides what the manifest alone could not.
    assert.ok(
      uk.blockers.includes("uk-psti:Sch1-1(2)"),
      "the Mirai password in the firmware blocks PSTI's password duty",
    );
    assert.match(
      a.verdicts.find((v) => v.requirement === "AUTH-01")!.because,
      /Account root \(uid 0, shell \/bin\/sh\) logs in with the default password "xc3511"/,
    );
    assert.equal(a.verdicts.find((v) => v.requirement === "STOR-03")!.status, "not-satisfied");
    assert.ok(a.inputs.some((i) => i.role === "firmware" && i.path === "firmware/hc200-2.4.1.bin"));
  });

  it("thermostat: a maker that does the work is conformant in the UK", async () => {
    const a = await assess("examples/thermostat", { asOf: AS_OF, now: NOW });
    matchGolden("thermostat", digest(a));
    assert.equal(a.markets.find((m) => m.market === "UK")!.status, "conformant");
    assert.equal(a.summary.findings.fail, 0);
  });

  it("is reproducible: equal bytes for equal inputs, only timestamps change", async () => {
    const one = renderJson(await assess("examples/smart-camera", { asOf: AS_OF, now: NOW }));
    const two = renderJson(await assess("examples/smart-camera", { asOf: AS_OF, now: NOW }));
    assert.equal(one, two);
    const later = renderJson(
      await assess("examples/smart-camera", { asOf: AS_OF, now: new Date("2026-11-26T10:00:00.000Z") }),
    );
    assert.equal(later.replaceAll("2026-11-26T10:00:00.000Z", "2026-11-25T09:00:00.000Z"), one);
  });

  it("--all-regimes assesses the whole catalog", async () => {
    const a = await assess("examples/thermostat", { asOf: AS_OF, now: NOW, allRegimes: true });
    assert.ok(a.regimes.length >= 20);
  });
});
