// The bundled examples, assessed end to end, against golden results; and the promise that an
// assessment is reproducible: same inputs, same bytes, but for the timestamps. Each example also
// carries companion apps, a security.txt and disclosure-process attestations: their findings must
// reach the verdicts and the markets. The committed apps must be what their build scripts make.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { assess } from "../src/assess/run.js";
import type { Assessment } from "../src/assess/types.js";
import { renderJson } from "../src/report/json.js";
import { digest, matchGolden } from "./helpers/golden.js";

const AS_OF = "2026-11-25";
const NOW = new Date("2026-11-25T09:00:00.000Z");

/** `<status> <message>` of every finding of the checks `check` matches, in report order. */
const findingsOf = (a: Assessment, check: RegExp | string) =>
  a.findings
    .filter((f) => (typeof check === "string" ? f.check === check : check.test(f.check)))
    .map((f) => `${f.status} ${f.message}`);
const verdictOf = (a: Assessment, id: string) => a.verdicts.find((v) => v.requirement === id)!;
const marketOf = (a: Assessment, code: string) => a.markets.find((m) => m.market === code)!;
const provisionOf = (a: Assessment, id: string) => {
  const [regime, provision] = [id.slice(0, id.indexOf(":")), id.slice(id.indexOf(":") + 1)];
  return a.regimes.find((r) => r.regime === regime)!.provisions.find((p) => p.id === provision)!;
};

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

  it("smart-camera: its app, stale security.txt and slow reporting deadlines show in its markets", async () => {
    const a = await assess("examples/smart-camera", { asOf: AS_OF, now: NOW });
    const app = "The app com.acmedevices.homecam";
    assert.deepEqual(findingsOf(a, /^app\./), [
      `fail ${app} can send data in clear text: it declares android:usesCleartextTraffic="true"; it holds 2 plain-HTTP endpoints (http://api.acme-devices.example/v1/, http://api.acme-devices.example/v1/login).`,
      `fail ${app} is built debuggable (android:debuggable="true").`,
      `fail ${app} allows backup of all its data: allowBackup is not declared (Android's default is true), with no backup rules.`,
      "info The activity .LiveViewActivity is exported without a permission: any app on the phone can invoke it.",
      "info The receiver .BootReceiver is exported (implied by its intent filters) without a permission: any app on the phone can invoke it.",
      `pass ${app} trusts only the system CA certificates, not user-added ones.`,
      `info ${app} pins no certificates (no pin-set, NSPinnedDomains, TrustKit configuration or sha256/ pins in code): any CA the phone trusts can vouch for its servers.`,
      `fail ${app} holds 1 hard-coded secret: assignment "cloud_api_token" hc… (24 chars) in assets/cloud.json.`,
      `fail ${app} is signed with the Android debug certificate (C=US, O=Android, CN=Android Debug; schemes v2): a development key, not a release key under the maker's control.`,
      `pass ${app} is signed with scheme v2 (RSASSA-PKCS1-v1_5 with SHA2-256, RSA 2048-bit key), and every signature verifies.`,
    ]);
    // The app alone decides COMM-02 and DATA-06; it adds its reason to four requirements the firmware failed.
    const comm02 = verdictOf(a, "COMM-02");
    assert.equal(comm02.status, "not-satisfied");
    assert.match(comm02.because, /^The app com\.acmedevices\.homecam can send data in clear text/);
    assert.equal(verdictOf(a, "DATA-06").status, "not-satisfied");
    assert.match(verdictOf(a, "DATA-06").because, /allows backup of all its data/);
    assert.match(verdictOf(a, "STOR-02").because, / holds 1 hard-coded secret: assignment "cloud_api_token"/);
    assert.match(verdictOf(a, "UPD-02").because, / is signed with the Android debug certificate/);
    assert.match(verdictOf(a, "SURF-04").because, / is built debuggable \(android:debuggable="true"\)\.$/);

    const securityTxt =
      'The security.txt at security.txt does not conform to RFC 9116 (3 errors): line 1: there is no Contact field; RFC 9116 requires at least one (mailto:, tel: or https:); line 3: the file expired on 2025-06-30T00:00:00Z: its contents are stale and researchers should not use them; line 4: Policy "http://acme-devices.example/security" uses http: web addresses in security.txt must begin with https://.';
    assert.deepEqual(findingsOf(a, "disclosure.security-txt"), [`fail ${securityTxt}`]);
    assert.equal(verdictOf(a, "VULN-01").status, "not-satisfied");
    assert.ok(verdictOf(a, "VULN-01").because.endsWith(securityTxt));

    const deadlines =
      "The declared reporting deadlines are slower than EU CRA Article 14: early warning within 72 hours (the law allows 24); notification within 168 hours (the law allows 72); final report on a vulnerability within 30 days (the law allows 14).";
    assert.deepEqual(findingsOf(a, "disclosure.reporting-deadlines"), [`fail ${deadlines}`]);
    assert.deepEqual(
      [verdictOf(a, "VULN-08").status, verdictOf(a, "VULN-08").because],
      ["not-satisfied", deadlines],
    );

    // Markets: CRA Article 14 has bound since 2026-09-11, so the slow deadlines block the EU now;
    // the cleartext and backup failures block CRA Annex I (2)(e) from 2027-12-11.
    const eu = marketOf(a, "EU");
    assert.equal(eu.status, "blocked");
    for (const p of ["eu-cra:Art14.1", "eu-cra:Art14.3", "eu-cra:Art14.8", "eu-cra:AnnexI.PI.2e"])
      assert.ok(eu.blockers.includes(p), p);
    const cra = a.regimes.find((r) => r.regime === "eu-cra")!;
    assert.deepEqual(
      cra.blockers
        .filter((b) => b.provision.startsWith("Art14") || b.provision === "AnnexI.PI.2e")
        .map((b) => `${b.provision}${b.from ? ` from ${b.from}` : ""}`),
      ["AnnexI.PI.2e from 2027-12-11", "Art14.1", "Art14.3", "Art14.8"],
    );
    assert.deepEqual(
      provisionOf(a, "eu-cra:Art14.1").requirements.map((r) => `${r.id} ${r.status}`),
      ["VULN-08 not-satisfied"],
    );
    // The app's unprotected backup fails the US "reasonable security features" duties (DATA-06).
    const us = marketOf(a, "US");
    for (const p of ["us-ca-sb327:1798.91.04(a)", "us-or-hb2395:646A.813(2)"]) {
      assert.ok(us.blockers.includes(p), p);
      assert.ok(
        provisionOf(a, p).requirements.some((r) => r.id === "DATA-06" && r.status === "not-satisfied"),
        p,
      );
    }
    assert.ok(a.inputs.some((i) => i.role === "app" && i.path === "app/homecam-1.9.2.apk"));
  });

  it("thermostat: a maker that does the work is conformant in the UK", async () => {
    const a = await assess("examples/thermostat", { asOf: AS_OF, now: NOW });
    matchGolden("thermostat", digest(a));
    assert.equal(a.markets.find((m) => m.market === "UK")!.status, "conformant");
    assert.equal(a.summary.findings.fail, 0);
  });

  it("thermostat: its release apps, security.txt and disclosure attestations show in its verdicts", async () => {
    const a = await assess("examples/thermostat", { asOf: AS_OF, now: NOW });
    const app = "The app com.brightwave.thermostat";
    assert.deepEqual(findingsOf(a, /^app\./), [
      `pass ${app} permits no cleartext traffic and holds no plain-HTTP endpoints.`,
      `pass ${app} is not debuggable.`,
      "pass The iOS app com.brightwave.thermostat does not grant get-task-allow (its code signature says so).",
      `pass ${app} disallows backup of its data.`,
      "pass The iOS app com.brightwave.thermostat keeps App Transport Security in force with no cleartext exceptions and holds no plain-HTTP endpoints.",
      `pass ${app} trusts only the system CA certificates, not user-added ones.`,
      `info ${app} pins certificates: pin-set for api.brightwave.example, iot.brightwave.example (4 pins) (res/xml/network_security_config.xml).`,
      `info ${app} pins certificates: NSPinnedDomains for api.brightwave.example, iot.brightwave.example (Payload/Brightwave.app/Info.plist).`,
      `pass ${app} holds no hard-coded secrets in its code, resources or assets.`,
      `pass ${app} holds no hard-coded secrets in its code, resources or assets.`,
      `pass ${app} is signed with a release certificate (C=GB, O=Brightwave Controls Ltd, CN=Brightwave Android Release, valid to 2056-11-17).`,
      `pass ${app} is signed with scheme v2 (RSASSA-PKCS1-v1_5 with SHA2-256, RSA 2048-bit key), and every signature verifies.`,
    ]);
    // app.backup-allowed alone decides DATA-06; the other app checks share their requirements with
    // live and firmware checks this example has no evidence for, so those stay partial.
    assert.deepEqual(
      ["DATA-06", "COMM-02", "COMM-03", "STOR-02", "UPD-02"].map((id) => `${id} ${verdictOf(a, id).status}`),
      ["DATA-06 satisfied", "COMM-02 partial", "COMM-03 partial", "STOR-02 partial", "UPD-02 satisfied"],
    );
    assert.equal(
      verdictOf(a, "COMM-02").because,
      "app.cleartext-traffic, app.ats-exceptions passed; probe.http-admin-cleartext had no evidence to judge.",
    );

    // security.txt: valid, expiring within a year of the as-of date (no warning), so it passes VULN-01.
    const securityTxt =
      "The security.txt at security.txt conforms to RFC 9116: contact mailto:psirt@brightwave.example, expires 2027-10-31T23:59:59Z, not signed.";
    assert.deepEqual(findingsOf(a, "disclosure.security-txt"), [`pass ${securityTxt}`]);
    assert.equal(verdictOf(a, "VULN-01").status, "satisfied");
    assert.ok(verdictOf(a, "VULN-01").because.endsWith(securityTxt));

    // The deadlines meet CRA Article 14 but only inform; the attestation in attestations.yaml decides.
    assert.deepEqual(findingsOf(a, "disclosure.reporting-deadlines"), [
      "info The declared reporting deadlines (early warning 24 h, notification 72 h, final report 14 days) meet EU CRA Article 14. An attestation of the reporting procedure decides VULN-08.",
    ]);
    for (const id of ["VULN-07", "VULN-08"]) {
      const v = verdictOf(a, id);
      assert.equal(v.status, "satisfied", id);
      assert.match(
        v.because,
        new RegExp(`^Priya Shah \\(Head of Product Security\\) attests ${id} on 2026-11-02: `),
      );
    }
    assert.ok(
      a.inputs.some((i) => i.role === "attestation-evidence" && i.path === "evidence/reporting-procedure.md"),
    );
    assert.deepEqual(findingsOf(a, "support.period-published"), [
      "pass Security updates are promised until 2032-12-31, published at https://brightwave.example/t3/support-period and stated at purchase.",
    ]);

    // None of it fails, so every market stays where the maker's work put it.
    assert.deepEqual(
      a.markets.map((m) => `${m.market} ${m.status}`),
      ["UK conformant", "US conformant", "AU conformant", "SG voluntary-only"],
    );
    assert.deepEqual(
      a.inputs.filter((i) => i.role === "app").map((i) => i.path),
      ["app/brightwave-t3-3.4.0.apk", "app/brightwave-t3-3.4.0.ipa"],
    );
  });

  it("the committed apps are the bytes their build scripts make", () => {
    for (const [example, files] of [
      ["thermostat", ["brightwave-t3-3.4.0.apk", "brightwave-t3-3.4.0.ipa"]],
      ["smart-camera", ["homecam-1.9.2.apk"]],
    ] as const) {
      const out = mkdtempSync(join(tmpdir(), `concord-${example}-app-`));
      const r = spawnSync(process.execPath, ["--import", "tsx", `examples/${example}/app/build.ts`, out], {
        encoding: "utf8",
      });
      try {
        assert.equal(r.status, 0, r.stderr);
        for (const f of files)
          assert.ok(
            readFileSync(join(out, f)).equals(readFileSync(`examples/${example}/app/${f}`)),
            `examples/${example}/app/${f} differs from what build.ts makes`,
          );
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    }
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

  it("judges security.txt as of the as-of date, not the day the assessment runs", async () => {
    // Run in 2031, after the thermostat's security.txt expires (2027-10-31), as of 2026-11-25:
    // the file is judged as of that date, as attestations are, so nothing changes but the timestamps.
    const later = new Date("2031-01-02T23:59:59.000Z");
    const a = await assess("examples/thermostat", { asOf: AS_OF, now: later });
    assert.deepEqual(findingsOf(a, "disclosure.security-txt"), [
      "pass The security.txt at security.txt conforms to RFC 9116: contact mailto:psirt@brightwave.example, expires 2027-10-31T23:59:59Z, not signed.",
    ]);
    const one = renderJson(await assess("examples/thermostat", { asOf: AS_OF, now: NOW }));
    assert.equal(renderJson(a).replaceAll(later.toISOString(), NOW.toISOString()), one);
    // Judged as of a later day, the same file has expired.
    const expired = await assess("examples/thermostat", { asOf: "2027-11-01", now: NOW });
    assert.match(
      findingsOf(expired, "disclosure.security-txt")[0]!,
      /^fail The security\.txt at security\.txt does not conform to RFC 9116 \(1 error\): line 5: the file expired on 2027-10-31T23:59:59Z/,
    );
  });

  it("--all-regimes assesses the whole catalog", async () => {
    const a = await assess("examples/thermostat", { asOf: AS_OF, now: NOW, allRegimes: true });
    assert.ok(a.regimes.length >= 20);
  });
});
