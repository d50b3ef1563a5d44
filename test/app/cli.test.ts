// `concord app` and `concord assess` with companion apps, run as a user runs them: an APK and an
// IPA built here, a damaged file, and a manifest listing both apps.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { writeAxml } from "./axml-writer.js";
import { writeMachO } from "./macho-writer.js";
import { makeSigner, signBlock, zip } from "./package-tools.js";
import { pyPlist } from "./py-plist.js";

function concord(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), "concord-app-cli-"));
const debugKey = makeSigner("/C=US/O=Android/CN=Android Debug");
const manifest = writeAxml({
  name: "manifest",
  attrs: { package: "com.example.plug", "android:versionName": "1.4" },
  children: [
    { name: "uses-sdk", attrs: { "android:minSdkVersion": 24, "android:targetSdkVersion": 34 } },
    { name: "application", attrs: { "android:allowBackup": false } },
  ],
});
writeFileSync(
  join(dir, "plug.apk"),
  signBlock(zip([["AndroidManifest.xml", manifest]]), debugKey, { v3: true }),
);
writeFileSync(
  join(dir, "plug.ipa"),
  zip([
    [
      "Payload/Plug.app/Info.plist",
      pyPlist(
        `{"CFBundleIdentifier": "com.example.plug", "CFBundleShortVersionString": "1.4", "CFBundleExecutable": "Plug", "NSAppTransportSecurity": {"NSExceptionDomains": {"plug.local": {"NSExceptionAllowsInsecureHTTPLoads": True}}}}`,
        "BINARY",
      ),
    ],
    ["Payload/Plug.app/Plug", writeMachO({ cstrings: ["https://api.example.com/"] })],
  ]),
);
// A local header and no central directory: a truncated download.
writeFileSync(
  join(dir, "broken.apk"),
  Buffer.concat([
    Buffer.from("504b03041400", "hex"),
    Buffer.alloc(20),
    Buffer.from("05000000", "hex"),
    Buffer.from("abcde"),
  ]),
);

describe("concord app", () => {
  it("reports an APK's signature and exits 1 on a failing check", () => {
    const r = concord("app", join(dir, "plug.apk"), "--as-of", "2026-11-25");
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /^ {2}signed: v2, v3$/m);
    assert.match(
      r.out,
      /^ {4}C=US, O=Android, CN=Android Debug \(rsa 2048, RSASSA-PKCS1-v1_5 with SHA2-256, valid to \d{4}-\d\d-\d\d\)$/m,
    );
    assert.match(
      r.out,
      /^FAIL {2}app\.debug-certificate \(UPD-02\) {2}The app com\.example\.plug is signed with the Android debug certificate/m,
    );
    assert.match(r.out, /^pass {2}app\.user-ca-trusted \(COMM-03\)/m);
  });

  it("reads an IPA as JSON", () => {
    const r = concord("app", join(dir, "plug.ipa"), "--json");
    assert.equal(r.code, 1, r.err);
    const out = JSON.parse(r.out) as {
      evidence: { kind: string }[];
      findings: { check: string; status: string; message: string }[];
    };
    assert.deepEqual([...new Set(out.evidence.map((e) => e.kind))].sort(), ["app.ios-bundle", "app.pinning"]);
    assert.deepEqual(
      out.findings.find((f) => f.check === "app.ats-exceptions"),
      {
        ...out.findings.find((f) => f.check === "app.ats-exceptions"),
        status: "fail",
        message:
          "The iOS app com.example.plug can send data in clear text: NSExceptionAllowsInsecureHTTPLoads permits plain HTTP for plug.local.",
      },
    );
  });

  it("names a damaged package and exits 2", () => {
    const r = concord("app", join(dir, "broken.apk"));
    assert.equal(r.code, 2);
    assert.match(
      r.err,
      /\/broken\.apk: broken\.apk zip@0x0: no end-of-central-directory record after the entries \(truncated archive\?\)$/m,
    );
  });
});

describe("concord assess with companion apps", () => {
  it("collects both platforms from artifacts.apps", () => {
    writeFileSync(
      join(dir, "concord.yaml"),
      `concord: 1
product:
  name: Example Plug
  maker: { name: Example Ltd }
  category: smart-plug
markets: [UK]
artifacts:
  apps:
    - platform: android
      path: plug.apk
    - platform: ios
      path: plug.ipa
`,
    );
    const out = join(dir, "out");
    const r = concord("assess", dir, "--output", out, "-q", "--as-of", "2026-11-25");
    assert.ok(r.code === 0 || r.code === 1, r.err);
    const a = JSON.parse(readFileSync(join(out, "assessment.json"), "utf8")) as {
      findings: { check: string; status: string }[];
    };
    const got = (check: string) => a.findings.filter((f) => f.check === check).map((f) => f.status);
    assert.deepEqual(got("app.debug-certificate"), ["fail"]);
    assert.deepEqual(got("app.ats-exceptions"), ["fail"]);
    assert.deepEqual(got("app.certificate-pinning"), ["info", "info"]);
    assert.deepEqual(got("app.hardcoded-secrets"), ["pass", "pass"]);
  });
});
