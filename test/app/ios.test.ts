// iOS apps (.ipa) built here: Info.plist from python3's plistlib (binary and XML), a Mach-O from
// macho-writer.ts with string sections and code-signature entitlements, a provisioning profile
// signed by `openssl smime`, zipped by python3. An insecure app and a hardened twin go through the
// collector and the checks; damaged plists and executables must give clear results.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { appAtsExceptions } from "../../src/checks/app-ats-exceptions.js";
import { appCertificatePinning } from "../../src/checks/app-certificate-pinning.js";
import { appDebuggable } from "../../src/checks/app-debuggable.js";
import { appHardcodedSecrets } from "../../src/checks/app-hardcoded-secrets.js";
import { analyzeApkBytes } from "../../src/collect/app/analyze.js";
import { AppError } from "../../src/collect/app/archive.js";
import { analyzeAppFile, anyAppEvidence } from "../../src/collect/app/collector.js";
import { analyzeIpaBytes } from "../../src/collect/app/ios/analyze.js";
import { MachOError, readMachO } from "../../src/collect/app/ios/macho.js";
import { EvidenceIndex } from "../../src/evidence/types.js";
import { writeArsc } from "./arsc-writer.js";
import { writeAxml } from "./axml-writer.js";
import { writeDex } from "./dex-writer.js";
import { fat, writeMachO } from "./macho-writer.js";
import { makeSigner, signBlock, zip } from "./package-tools.js";
import { pyPlist } from "./py-plist.js";

const dir = mkdtempSync(join(tmpdir(), "concord-ipa-"));

const entitlements = (gta: boolean) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0"><dict><key>application-identifier</key><string>TEAM.com.example</string><key>get-task-allow</key>${gta ? "<true/>" : "<false/>"}</dict></plist>\n`;

/** A provisioning profile: a CMS envelope (openssl smime, not detached) around an XML plist. */
function profile(expr: string): Buffer {
  const signer = makeSigner("/O=Apple Inc./CN=Test Provisioning");
  const plistPath = join(dir, `profile-${Math.random().toString(36).slice(2)}.plist`);
  writeFileSync(plistPath, pyPlist(expr, "XML"));
  const out = `${plistPath}.p7`;
  execFileSync(
    "openssl",
    [
      "smime",
      "-sign",
      "-nodetach",
      "-binary",
      "-in",
      plistPath,
      "-signer",
      signer.certPath,
      "-inkey",
      signer.keyPath,
      "-outform",
      "DER",
      "-out",
      out,
    ],
    { stdio: "pipe" },
  );
  return readFileSync(out);
}

const insecureInfo = `{
  "CFBundleIdentifier": "com.example.cam", "CFBundleShortVersionString": "3.1", "CFBundleVersion": "310",
  "CFBundleExecutable": "Cam", "MinimumOSVersion": "12.0",
  "CFBundleURLTypes": [{"CFBundleURLSchemes": ["camapp", "fb12345"]}, {"CFBundleURLSchemes": ["camapp"]}],
  "NSAppTransportSecurity": {
    "NSAllowsArbitraryLoads": True,
    "NSExceptionDomains": {
      "legacy.example.com": {"NSExceptionAllowsInsecureHTTPLoads": True, "NSIncludesSubdomains": True},
      "old-tls.example.com": {"NSExceptionMinimumTLSVersion": "TLSv1.0", "NSExceptionRequiresForwardSecrecy": False}
    }
  }
}`;

const hardenedInfo = `{
  "CFBundleIdentifier": "com.example.safe", "CFBundleShortVersionString": "4.0", "CFBundleVersion": "400",
  "CFBundleExecutable": "Safe", "MinimumOSVersion": "15.0",
  "NSAppTransportSecurity": {
    "NSAllowsArbitraryLoads": True, "NSAllowsArbitraryLoadsInWebContent": False,
    "NSPinnedDomains": {"api.example.com": {"NSPinnedLeafIdentities": [{"SPKI-SHA256-BASE64": "${"B".repeat(43)}="}]}}
  }
}`;

function judge(bytes: Buffer, name = "cam.ipa") {
  const a = analyzeIpaBytes(bytes, name);
  const ev = new EvidenceIndex(anyAppEvidence({ platform: "ios", analysis: a }, "2026-11-25T00:00:00.000Z"));
  const f = [appAtsExceptions, appDebuggable, appHardcodedSecrets, appCertificatePinning].flatMap((c) =>
    c.evaluate(ev, { asOf: "2026-11-25" }).map((x) => [x.check, x.status, x.message] as const),
  );
  return { a, f };
}

describe("companion app (iOS)", () => {
  it("reads an insecure app: ATS off, insecure domains, old TLS, development build, secrets", () => {
    const exe = writeMachO({
      cstrings: [
        "http://api.example.com/v1/status",
        "https://ok.example.com",
        "AKIAQWERTYUIOPASDFGH",
        "http://www.apple.com/DTDs/x",
      ],
      ustring: "http://\u00fcber.example.com/x http://stream.example.net:8554/live",
      entitlements: entitlements(true),
    });
    const ipa = zip([
      ["Payload/Cam.app/Info.plist", pyPlist(insecureInfo, "BINARY")],
      ["Payload/Cam.app/Cam", exe],
      [
        "Payload/Cam.app/GoogleService-Info.plist",
        pyPlist(`{"API_KEY": "AIzaSyA1234567890abcdefghijklmnopqrstuv"}`, "XML"),
      ],
      ["Payload/Cam.app/Frameworks/Ads.framework/Ads", writeMachO({ cstrings: ["http://ads.example.com/"] })],
    ]);
    const { a, f } = judge(ipa);
    const b = a.bundle;
    assert.deepEqual(
      [
        b.bundleId,
        b.version,
        b.build,
        b.minimumOS,
        b.executable,
        b.urlSchemes,
        b.getTaskAllow,
        b.entitlementsFrom,
        b.encrypted,
      ],
      ["com.example.cam", "3.1", "310", "12.0", "Cam", ["camapp", "fb12345"], true, "code-signature", false],
    );
    assert.deepEqual(b.ats, {
      declared: true,
      allowsArbitraryLoads: true,
      arbitraryLoadsEffective: true,
      allowsArbitraryLoadsForMedia: false,
      allowsArbitraryLoadsInWebContent: false,
      allowsLocalNetworking: false,
      exceptionDomains: [
        {
          domain: "legacy.example.com",
          includesSubdomains: true,
          allowsInsecureHTTPLoads: true,
          requiresForwardSecrecy: true,
        },
        {
          domain: "old-tls.example.com",
          includesSubdomains: false,
          allowsInsecureHTTPLoads: false,
          minimumTLSVersion: "TLSv1.0",
          requiresForwardSecrecy: false,
        },
      ],
      pinnedDomains: [],
    });
    assert.deepEqual(
      a.endpoints.map((e) => [e.url, e.file]),
      [
        ["http://api.example.com/v1/status", "Payload/Cam.app/Cam"],
        ["http://stream.example.net:8554/live", "Payload/Cam.app/Cam"],
      ],
    );
    assert.deepEqual(
      a.secrets.map((s) => [s.format, s.file]),
      [
        ["aws-access-key-id", "Payload/Cam.app/Cam"],
        ["google-api-key", "Payload/Cam.app/GoogleService-Info.plist"],
      ],
    );
    assert.deepEqual(b.problems, []);
    assert.deepEqual(f, [
      [
        "app.ats-exceptions",
        "fail",
        "The iOS app com.example.cam can send data in clear text: NSAllowsArbitraryLoads switches App Transport Security off; NSExceptionAllowsInsecureHTTPLoads permits plain HTTP for legacy.example.com and its subdomains; NSExceptionMinimumTLSVersion lets old-tls.example.com use TLSv1.0; it holds 2 plain-HTTP endpoints (http://api.example.com/v1/status, http://stream.example.net:8554/live).",
      ],
      [
        "app.debuggable",
        "fail",
        "The iOS app com.example.cam is a development build: its code signature grants get-task-allow, so a debugger can attach to it.",
      ],
      [
        "app.hardcoded-secrets",
        "fail",
        "The app com.example.cam holds 1 hard-coded secret: aws-access-key-id AKIA… (20 chars) in Payload/Cam.app/Cam.",
      ],
      [
        "app.certificate-pinning",
        "info",
        "The app com.example.cam pins no certificates (no pin-set, NSPinnedDomains, TrustKit configuration or sha256/ pins in code): any CA the phone trusts can vouch for its servers.",
      ],
    ]);
  });

  it("reads a hardened twin: XML Info.plist, fat executable, App Store profile, pinned domains", () => {
    const exe = fat([
      writeMachO({ cstrings: ["https://api.example.com/v2"] }),
      writeMachO({ cstrings: ["https://api.example.com/v2", "Safe"] }),
    ]);
    const ipa = zip([
      ["Payload/Safe.app/Info.plist", pyPlist(hardenedInfo, "XML")],
      ["Payload/Safe.app/Safe", exe],
      [
        "Payload/Safe.app/embedded.mobileprovision",
        profile(`{"Name": "Store", "Entitlements": {"get-task-allow": False}}`),
      ],
    ]);
    const { a, f } = judge(ipa, "safe.ipa");
    assert.equal(a.bundle.provisioning, "app-store");
    assert.equal(a.bundle.getTaskAllow, false);
    assert.equal(a.bundle.entitlementsFrom, "provisioning-profile");
    assert.equal(a.bundle.ats.arbitraryLoadsEffective, false);
    assert.deepEqual(a.bundle.ats.pinnedDomains, ["api.example.com"]);
    assert.deepEqual(a.bundle.problems, []);
    assert.deepEqual(f, [
      [
        "app.ats-exceptions",
        "pass",
        "The iOS app com.example.safe keeps App Transport Security in force with no cleartext exceptions (it declares NSAllowsArbitraryLoads, which iOS 10 and later ignore next to the finer ATS keys) and holds no plain-HTTP endpoints.",
      ],
      [
        "app.debuggable",
        "pass",
        "The iOS app com.example.safe does not grant get-task-allow (its provisioning profile says so).",
      ],
      [
        "app.hardcoded-secrets",
        "pass",
        "The app com.example.safe holds no hard-coded secrets in its code, resources or assets.",
      ],
      [
        "app.certificate-pinning",
        "info",
        "The app com.example.safe pins certificates: NSPinnedDomains for api.example.com (Payload/Safe.app/Info.plist).",
      ],
    ]);
  });

  it("says when the executable is encrypted, and reads a development profile", () => {
    const ipa = zip([
      [
        "Payload/Enc.app/Info.plist",
        pyPlist(
          `{"CFBundleIdentifier": "com.example.enc", "CFBundleExecutable": "Enc", "NSAppTransportSecurity": {"NSAllowsLocalNetworking": True}}`,
          "BINARY",
        ),
      ],
      ["Payload/Enc.app/Enc", writeMachO({ cstrings: ["http://hidden.example.com/"], encrypted: true })],
      [
        "Payload/Enc.app/embedded.mobileprovision",
        profile(`{"ProvisionedDevices": ["00008101-0001"], "Entitlements": {"get-task-allow": True}}`),
      ],
    ]);
    const { a, f } = judge(ipa, "enc.ipa");
    assert.equal(a.bundle.encrypted, true);
    assert.equal(a.bundle.provisioning, "development");
    assert.deepEqual(a.endpoints, []);
    assert.deepEqual(a.bundle.problems, [
      "enc.ipa!/Payload/Enc.app/Enc: FairPlay-encrypted (an App Store download); its strings were not read",
    ]);
    assert.deepEqual(
      f.map((x) => [x[0], x[1]]),
      [
        ["app.ats-exceptions", "fail"],
        ["app.debuggable", "fail"],
        ["app.hardcoded-secrets", "info"],
        ["app.certificate-pinning", "info"],
      ],
    );
    assert.equal(
      f[0]![2],
      "The iOS app com.example.enc can send data in clear text: NSAllowsLocalNetworking permits plain HTTP to hosts on the local network.",
    );
    assert.equal(
      f[2]![2],
      "The iOS app com.example.enc holds no secrets in its resources, but its executable is encrypted and was not read.",
    );
  });

  it("names the IPA and the plist for a malformed Info.plist, and refuses non-apps", () => {
    const cyclic = Buffer.from(pyPlist(`{"a": ["x"]}`, "BINARY"));
    const arr = cyclic.indexOf(Buffer.from([0xa1]));
    cyclic[arr + 1] = 0; // the array's element is the top dictionary: a cycle
    const ipa = zip([["Payload/Bad.app/Info.plist", cyclic]]);
    assert.throws(
      () => analyzeIpaBytes(ipa, "bad.ipa"),
      (e: unknown) => {
        assert.ok(e instanceof AppError);
        assert.match(
          e.message,
          /^bad\.ipa!\/Payload\/Bad\.app\/Info\.plist: object 0 contains itself \(a reference cycle\) at offset 0x[0-9a-f]+$/,
        );
        return true;
      },
    );
    const top = zip([["Payload/Arr.app/Info.plist", pyPlist(`["not", "a", "dict"]`, "XML")]]);
    assert.throws(
      () => analyzeIpaBytes(top, "arr.ipa"),
      /^AppError: arr\.ipa!\/Payload\/Arr\.app\/Info\.plist: the top-level object is not a dictionary$/,
    );
    const none = zip([["README", "hello"]]);
    assert.throws(
      () => analyzeIpaBytes(none, "x.ipa"),
      /^AppError: x\.ipa: no Payload\/<name>\.app\/Info\.plist; this is not an iOS app$/,
    );
    const file = join(dir, "mystery.zip");
    writeFileSync(file, none);
    assert.throws(
      () => analyzeAppFile(file, "mystery.zip"),
      /^AppError: mystery\.zip: neither AndroidManifest\.xml nor Payload\/<name>\.app\/Info\.plist; this is not an app package$/,
    );
    writeFileSync(
      join(dir, "cam.zip"),
      zip([["Payload/Cam.app/Info.plist", pyPlist(`{"CFBundleIdentifier": "c"}`, "XML")]]),
    );
    const any = analyzeAppFile(join(dir, "cam.zip"), "cam.zip");
    assert.equal(any.platform, "ios");
    assert.deepEqual(any.platform === "ios" && any.analysis.bundle.problems, [
      "cam.zip: the executable (CFBundleExecutable is not set) is missing",
    ]);
  });

  it("keeps a damaged executable to a problem naming it", () => {
    const exe = writeMachO({ cstrings: ["http://a.example.com/"], entitlements: entitlements(false) });
    exe.writeUInt32LE(0xffff, 16); // ncmds
    const ipa = zip([
      [
        "Payload/Cam.app/Info.plist",
        pyPlist(`{"CFBundleIdentifier": "c", "CFBundleExecutable": "Cam"}`, "BINARY"),
      ],
      ["Payload/Cam.app/Cam", exe],
    ]);
    const { a } = judge(ipa);
    assert.deepEqual(a.bundle.problems, [
      "cam.ipa!/Payload/Cam.app/Cam: header claims 65535 load commands at offset 0x10",
    ]);
    assert.equal(a.bundle.getTaskAllow, undefined);
  });

  it("survives a Mach-O mutation loop", () => {
    const good = fat([
      writeMachO({
        cstrings: ["http://a.example.com/", "x"],
        ustring: "y",
        entitlements: entitlements(true),
      }),
    ]);
    let seed = 5;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed);
    let errors = 0;
    for (let i = 0; i < 2000; i++) {
      const b = Buffer.from(good);
      for (let k = 0; k <= rand() % 3; k++) {
        const at = rand() % b.length;
        if (rand() % 2) b[at] = rand() & 0xff;
        else b.writeUInt32LE(0xffffffff - (rand() & 0xffff), Math.min(at, b.length - 4));
      }
      try {
        readMachO(rand() % 10 === 0 ? b.subarray(0, rand() % b.length) : b, "fuzz");
      } catch (e) {
        assert.ok(e instanceof MachOError, `mutation ${i}: ${String(e)}`);
        assert.match(e.message, /^fuzz( slice \d+)?: .* at offset 0x[0-9a-f]+$/);
        errors++;
      }
    }
    assert.ok(errors > 100, `${errors} mutations failed`);
  });
});

describe("whole packages under mutation", () => {
  it("an IPA and an APK: every mutation analyzes or fails with an AppError naming the package", () => {
    const ipa = zip(
      [
        ["Payload/Cam.app/Info.plist", pyPlist(insecureInfo, "BINARY")],
        [
          "Payload/Cam.app/Cam",
          writeMachO({ cstrings: ["http://a.example.com/"], entitlements: entitlements(true) }),
        ],
      ],
      { stored: true },
    );
    const signer = makeSigner("/CN=Fuzz");
    const apk = signBlock(
      zip(
        [
          [
            "AndroidManifest.xml",
            writeAxml({
              name: "manifest",
              attrs: { package: "x" },
              children: [
                { name: "application", attrs: { "android:networkSecurityConfig": { ref: 0x7f010000 } } },
              ],
            }),
          ],
          [
            "resources.arsc",
            writeArsc([{ name: "xml", entries: [{ key: "n", value: { string: "res/xml/n.xml" } }] }]),
          ],
          ["res/xml/n.xml", writeAxml({ name: "network-security-config" })],
          ["classes.dex", writeDex(["http://b.example.com/"])],
        ],
        { stored: true },
      ),
      signer,
    );
    let seed = 23;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed);
    let failed = 0;
    for (let i = 0; i < 1000; i++) {
      const ios = i % 2 === 0;
      const b = Buffer.from(ios ? ipa : apk);
      for (let k = 0; k <= rand() % 4; k++) b[rand() % b.length] = rand() & 0xff;
      try {
        if (ios) analyzeIpaBytes(b, "fuzz.ipa");
        else analyzeApkBytes(b, "fuzz.apk");
      } catch (e) {
        assert.ok(e instanceof AppError, `mutation ${i}: ${String(e)}`);
        assert.match(e.message, /^fuzz\.(ipa|apk)/);
        failed++;
      }
    }
    assert.ok(failed > 20, `${failed} mutations failed`);
  });
});
