// The companion-app collector on APK-shaped files built here: binary XML from test/app/axml-writer.ts,
// zipped by python3's zipfile, as an insecure and a hardened app; hostile AXML must fail clearly.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { generateKeyPairSync } from "node:crypto";
import { appBackupAllowed } from "../../src/checks/app-backup-allowed.js";
import { appCertificatePinning } from "../../src/checks/app-certificate-pinning.js";
import { appHardcodedSecrets } from "../../src/checks/app-hardcoded-secrets.js";
import { appUserCaTrusted } from "../../src/checks/app-user-ca-trusted.js";
import { appCleartextTraffic } from "../../src/checks/app-cleartext-traffic.js";
import { appDebuggable } from "../../src/checks/app-debuggable.js";
import { appExportedComponents } from "../../src/checks/app-exported-components.js";
import { AppError, analyzeApk } from "../../src/collect/app/analyze.js";
import { AxmlError, parseAxml } from "../../src/collect/app/axml.js";
import { appEvidence } from "../../src/collect/app/collector.js";
import { EvidenceIndex } from "../../src/evidence/types.js";
import { writeArsc } from "./arsc-writer.js";
import { writeAxml, type Node } from "./axml-writer.js";
import { writeDex } from "./dex-writer.js";

const dir = mkdtempSync(join(tmpdir(), "concord-app-"));

function apk(name: string, files: Record<string, Uint8Array | string>): string {
  const root = join(dir, name);
  for (const [p, data] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), data);
  }
  const out = join(dir, `${name}.apk`);
  execFileSync("python3", ["-m", "zipfile", "-c", out, ...Object.keys(files).map((p) => p.split("/")[0]!)], {
    cwd: root,
  });
  return out;
}

const launcher: Node = {
  name: "intent-filter",
  children: [
    { name: "action", attrs: { "android:name": "android.intent.action.MAIN" } },
    { name: "category", attrs: { "android:name": "android.intent.category.LAUNCHER" } },
  ],
};

const insecureManifest: Node = {
  name: "manifest",
  attrs: { "android:versionCode": 7, "android:versionName": "1.2.0", package: "com.example.cam" },
  children: [
    { name: "uses-sdk", attrs: { "android:minSdkVersion": 21, "android:targetSdkVersion": 30 } },
    { name: "uses-permission", attrs: { "android:name": "android.permission.CAMERA" } },
    { name: "uses-permission", attrs: { "android:name": "android.permission.INTERNET" } },
    { name: "uses-permission", attrs: { "android:name": "android.permission.ACCESS_FINE_LOCATION" } },
    {
      name: "application",
      attrs: { "android:debuggable": true, "android:usesCleartextTraffic": true },
      children: [
        {
          name: "activity",
          attrs: { "android:name": ".Main", "android:exported": true },
          children: [launcher],
        },
        { name: "service", attrs: { "android:name": ".SyncService", "android:exported": true } },
        {
          name: "receiver",
          attrs: { "android:name": ".Boot" },
          children: [
            { name: "intent-filter", children: [{ name: "action", attrs: { "android:name": "x.BOOT" } }] },
          ],
        },
        {
          name: "service",
          attrs: {
            "android:name": ".Guarded",
            "android:exported": true,
            "android:permission": "com.example.SIG",
          },
        },
      ],
    },
  ],
};

const hardenedManifest: Node = {
  name: "manifest",
  attrs: { "android:versionCode": 8, "android:versionName": "2.0", package: "com.example.safe" },
  children: [
    { name: "uses-sdk", attrs: { "android:minSdkVersion": 26, "android:targetSdkVersion": 34 } },
    {
      name: "application",
      attrs: {
        "android:debuggable": false,
        "android:allowBackup": false,
        "android:networkSecurityConfig": { ref: 0x7f020000 },
      },
      children: [
        {
          name: "activity",
          attrs: { "android:name": ".Main", "android:exported": true },
          children: [launcher],
        },
        { name: "service", attrs: { "android:name": ".Worker", "android:exported": false } },
      ],
    },
  ],
};

const nsc: Node = {
  name: "network-security-config",
  children: [
    { name: "base-config", attrs: { cleartextTrafficPermitted: false } },
    {
      name: "domain-config",
      children: [
        { name: "domain", attrs: { includeSubdomains: "true" }, text: "api.example.com" },
        { name: "pin-set", children: [{ name: "pin", attrs: { digest: "SHA-256" }, text: "AAAA" }] },
      ],
    },
    {
      name: "debug-overrides",
      children: [{ name: "trust-anchors", children: [{ name: "certificates", attrs: { src: "user" } }] }],
    },
  ],
};

/** The hardened app's resource table: @xml/nsc_release (0x7f020000) is its network security configuration. */
const hardenedArsc = writeArsc([
  { name: "attr", entries: [] },
  { name: "xml", entries: [{ key: "nsc_release", value: { string: "res/xml/nsc_release.xml" } }] },
  { name: "string", entries: [{ key: "base_url", value: { string: "https://api.example.com/" } }] },
]);

/** A network security configuration that permits cleartext: a decoy the resource table does not name. */
const decoyNsc: Node = {
  name: "network-security-config",
  children: [{ name: "base-config", attrs: { cleartextTrafficPermitted: true } }],
};

function run(path: string) {
  const a = analyzeApk(path, "app.apk");
  const ev = new EvidenceIndex(appEvidence(a, "2026-11-25T00:00:00.000Z"));
  const f = [appCleartextTraffic, appDebuggable, appBackupAllowed, appExportedComponents].flatMap((c) =>
    c.evaluate(ev, { asOf: "2026-11-25" }).map((x) => [x.check, x.status, x.message] as const),
  );
  return { a, f };
}

describe("companion app (Android)", () => {
  it("reads an insecure app: debuggable, cleartext, exported service, http endpoint", () => {
    const path = apk("insecure", {
      "AndroidManifest.xml": writeAxml(insecureManifest),
      "classes.dex": writeDex([
        "Lcom/example/cam/Api;",
        "http://api.example.com/v1/login",
        "http://schemas.android.com/apk/res/android",
        "http://www.w3.org/2001/XMLSchema",
        "https://ok.example.com",
      ]),
      "assets/config.json": '{"fw": "http://fw.example.net:8080/update.bin", "k": "AKIAQWERTYUIOPASDFGH"}',
    });
    const { a, f } = run(path);
    const m = a.manifest;
    assert.equal(m.package, "com.example.cam");
    assert.equal(m.versionName, "1.2.0");
    assert.equal(m.versionCode, 7);
    assert.equal(m.minSdk, 21);
    assert.equal(m.targetSdk, 30);
    assert.equal(m.debuggable, true);
    assert.equal(m.allowBackup, true);
    assert.equal(m.allowBackupDeclared, false);
    assert.equal(m.usesCleartextTrafficDeclared, true);
    assert.equal(m.cleartextPermitted, true);
    assert.deepEqual(m.dangerousPermissions, [
      "android.permission.ACCESS_FINE_LOCATION",
      "android.permission.CAMERA",
    ]);
    assert.deepEqual(
      a.endpoints.map((e) => [e.url, e.file]),
      [
        ["http://fw.example.net:8080/update.bin", "assets/config.json"],
        ["http://api.example.com/v1/login", "classes.dex"],
      ],
    );
    assert.deepEqual(
      a.secrets.map((s) => s.format),
      ["aws-access-key-id"],
    );
    assert.deepEqual(
      a.components.map((c) => [c.type, c.name, c.exportedBy, c.permission ?? null, c.launcher]),
      [
        ["activity", ".Main", "declared", null, true],
        ["service", ".SyncService", "declared", null, false],
        ["receiver", ".Boot", "intent-filter", null, false],
        ["service", ".Guarded", "declared", "com.example.SIG", false],
      ],
    );
    assert.deepEqual(f, [
      [
        "app.cleartext-traffic",
        "fail",
        'The app com.example.cam can send data in clear text: it declares android:usesCleartextTraffic="true"; it holds 2 plain-HTTP endpoints (http://fw.example.net:8080/update.bin, http://api.example.com/v1/login).',
      ],
      ["app.debuggable", "fail", 'The app com.example.cam is built debuggable (android:debuggable="true").'],
      [
        "app.backup-allowed",
        "fail",
        "The app com.example.cam allows backup of all its data: allowBackup is not declared (Android's default is true), with no backup rules.",
      ],
      [
        "app.exported-components",
        "info",
        "The service .SyncService is exported without a permission: any app on the phone can invoke it.",
      ],
      [
        "app.exported-components",
        "info",
        "The receiver .Boot is exported (implied by its intent filters) without a permission: any app on the phone can invoke it.",
      ],
    ]);
  });

  it("reads a hardened app with a UTF-8 string pool and a network security configuration", () => {
    const path = apk("hardened", {
      "AndroidManifest.xml": writeAxml(hardenedManifest, { utf8: true }),
      "resources.arsc": hardenedArsc,
      "res/xml/nsc_release.xml": writeAxml(nsc, { utf8: true }),
      "res/xml/network_security_config.xml": writeAxml(decoyNsc),
      "classes.dex": writeDex(["https://api.example.com/v2", "http://schemas.android.com/apk/res/android"]),
    });
    const { a, f } = run(path);
    assert.equal(a.manifest.package, "com.example.safe");
    assert.equal(a.manifest.targetSdk, 34);
    assert.equal(a.manifest.debuggable, false);
    assert.equal(a.manifest.allowBackup, false);
    assert.equal(a.manifest.networkSecurityConfig, true);
    assert.equal(a.manifest.cleartextPermitted, false);
    assert.deepEqual(a.manifest.problems, []);
    assert.deepEqual(a.networkConfig, {
      file: "res/xml/nsc_release.xml",
      resolvedBy: "resources.arsc",
      baseCleartext: false,
      cleartextDomains: [],
      trustsUserCerts: false,
      baseTrustAnchors: false,
      pinSets: 1,
      pinnedDomains: ["api.example.com"],
      pins: 1,
    });
    assert.equal(a.manifest.userCAs, "not-trusted");
    assert.deepEqual(a.pinning.mechanisms, [
      {
        kind: "network-security-config",
        detail: "pin-set for api.example.com (1 pin)",
        file: "res/xml/nsc_release.xml",
      },
    ]);
    assert.deepEqual(a.endpoints, []);
    assert.deepEqual(f, [
      [
        "app.cleartext-traffic",
        "pass",
        "The app com.example.safe permits no cleartext traffic and holds no plain-HTTP endpoints.",
      ],
      ["app.debuggable", "pass", "The app com.example.safe is not debuggable."],
      ["app.backup-allowed", "pass", "The app com.example.safe disallows backup of its data."],
    ]);
  });

  it("fails on per-domain cleartext and reports user-trusted certificates", () => {
    const cfg: Node = {
      name: "network-security-config",
      children: [
        {
          name: "domain-config",
          attrs: { cleartextTrafficPermitted: "true" },
          children: [{ name: "domain", text: "cam.local" }],
        },
        {
          name: "base-config",
          children: [{ name: "trust-anchors", children: [{ name: "certificates", attrs: { src: "user" } }] }],
        },
      ],
    };
    const path = apk("domain", {
      "AndroidManifest.xml": writeAxml(hardenedManifest),
      "res/xml/nsc.xml": writeAxml(cfg),
    });
    const { a, f } = run(path);
    assert.equal(a.networkConfig?.trustsUserCerts, true);
    assert.equal(a.networkConfig?.baseTrustAnchors, true);
    assert.equal(a.manifest.userCAs, "trusted-by-config");
    assert.deepEqual(a.networkConfig?.cleartextDomains, ["cam.local"]);
    // No resources.arsc: the reference cannot be resolved, so the file is found by its root element.
    assert.equal(a.networkConfig?.resolvedBy, "root-element");
    assert.deepEqual(a.manifest.problems, [
      "app.apk: there is no readable resources.arsc; took res/xml/nsc.xml, the res/xml file whose root is <network-security-config>",
    ]);
    assert.equal(f[0]![1], "fail");
    assert.match(f[0]![2], /cleartext is permitted for cam\.local/);
  });

  it("resolves @bool references through resources.arsc and trusts user CAs below SDK 24", () => {
    const m: Node = {
      name: "manifest",
      attrs: { package: "com.example.old" },
      children: [
        { name: "uses-sdk", attrs: { "android:minSdkVersion": 19, "android:targetSdkVersion": 23 } },
        {
          name: "application",
          attrs: {
            "android:usesCleartextTraffic": { ref: 0x7f010000 },
            "android:debuggable": { ref: 0x7f010001 },
          },
        },
      ],
    };
    const arsc = writeArsc([
      {
        name: "bool",
        entries: [
          { key: "cleartext", value: { bool: false } },
          { key: "debug", value: { bool: true } },
        ],
      },
    ]);
    const a = analyzeApk(
      apk("boolref", { "AndroidManifest.xml": writeAxml(m), "resources.arsc": arsc }),
      "old.apk",
    );
    assert.equal(a.manifest.usesCleartextTrafficDeclared, false);
    assert.equal(a.manifest.cleartextPermitted, false);
    assert.equal(a.manifest.debuggable, true);
    assert.equal(a.manifest.userCAs, "trusted-by-default");
    const ev = new EvidenceIndex(appEvidence(a, "2026-11-25T00:00:00.000Z"));
    assert.deepEqual(
      appUserCaTrusted.evaluate(ev, { asOf: "2026-11-25" }).map((x) => [x.status, x.message]),
      [
        [
          "fail",
          "The app com.example.old trusts user-added CA certificates by default: it targets SDK 23 (23 or lower) and no base-config replaces the trust anchors, so a CA installed on the phone can intercept its TLS connections.",
        ],
      ],
    );
  });

  it("finds secrets and pins in dex strings, resource strings, raw resources and assets", () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }) as string;
    const pin = "sha256/" + "A".repeat(43) + "=";
    const arsc = writeArsc([
      { name: "attr", entries: [] },
      {
        name: "string",
        entries: [
          { key: "google_api_key", value: { string: "AIzaSyA1234567890abcdefghijklmnopqrstuv" } },
          { key: "mqtt_url", value: { string: "http://mqtt.example.org:1883/" } },
        ],
      },
    ]);
    const path = apk("secrets", {
      "AndroidManifest.xml": writeAxml(hardenedManifest),
      "resources.arsc": arsc,
      "classes.dex": writeDex([
        "Lokhttp3/CertificatePinner;",
        pin,
        "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
      ]),
      "res/raw/client.pem": pem,
      "assets/device.p12": Buffer.from([0x30, 0x82, 0x01, 0x00]),
      "assets/settings.json": '{"mqtt_password": "s3cr3t-Pa55", "user": "cam"}',
    });
    const a = analyzeApk(path, "s.apk");
    assert.deepEqual(
      a.secrets.map((x) => [x.format, x.file, x.redacted, x.name ?? null]),
      [
        ["keystore-file", "assets/device.p12", "key store (4 bytes)", null],
        ["assignment", "assets/settings.json", "s3… (11 chars)", "mqtt_password"],
        ["github-token", "classes.dex", "ghp_… (40 chars)", null],
        ["private-key", "res/raw/client.pem", "ec 256-bit private key", null],
        ["google-api-key", "resources.arsc", "AIza… (39 chars)", null],
      ],
    );
    assert.deepEqual(
      a.endpoints.map((e) => [e.url, e.file]),
      [["http://mqtt.example.org:1883/", "resources.arsc"]],
    );
    assert.equal(a.manifest.secrets, 5);
    assert.deepEqual(a.pinning.mechanisms, [
      { kind: "code-pins", detail: "1 public-key pin (sha256/… form) in code", file: "classes.dex" },
    ]);
    const ev = new EvidenceIndex(appEvidence(a, "2026-11-25T00:00:00.000Z"));
    const f = [appHardcodedSecrets, appCertificatePinning].flatMap((c) =>
      c.evaluate(ev, { asOf: "2026-11-25" }).map((x) => [x.status, x.message]),
    );
    assert.deepEqual(f, [
      [
        "fail",
        'The app com.example.safe holds 4 hard-coded secrets: keystore-file key store (4 bytes) in assets/device.p12; assignment "mqtt_password" s3… (11 chars) in assets/settings.json; github-token ghp_… (40 chars) in classes.dex; ....',
      ],
      [
        "info",
        "The app com.example.safe pins certificates: 1 public-key pin (sha256/… form) in code (classes.dex).",
      ],
    ]);
  });

  it("keeps going past a damaged resources.arsc and dex file, saying so", () => {
    const badArsc = Buffer.from(hardenedArsc);
    badArsc.writeUInt32LE(0x7fffffff, 12 + 8); // the global pool's string count
    const badDex = writeDex(["http://raw.example.com/x"]);
    badDex.writeUInt32LE(0x7fffff, 56);
    const a = analyzeApk(
      apk("damaged", {
        "AndroidManifest.xml": writeAxml(hardenedManifest),
        "resources.arsc": badArsc,
        "res/xml/nsc_release.xml": writeAxml(nsc),
        "classes.dex": badDex,
      }),
      "d.apk",
    );
    assert.equal(a.networkConfig?.file, "res/xml/nsc_release.xml");
    assert.equal(a.networkConfig?.resolvedBy, "root-element");
    assert.deepEqual(
      a.endpoints.map((e) => e.url),
      ["http://raw.example.com/x"],
    );
    assert.deepEqual(a.manifest.problems, [
      "d.apk!/resources.arsc: string pool claims 2147483647 strings and 0 styles, more than its 92 bytes hold at offset 0xc",
      "d.apk: there is no readable resources.arsc; took res/xml/nsc_release.xml, the res/xml file whose root is <network-security-config>",
      "d.apk!/classes.dex: string table claims 8388607 strings at offset 0x38; scanned as raw bytes instead",
    ]);
  });

  it("reports a resource table whose strings are damaged and falls back for the configuration", () => {
    const arsc = Buffer.from(hardenedArsc);
    arsc.writeUInt32LE(0x00ffffff, 12 + 28); // offset of global string 0, far outside the pool
    const a = analyzeApk(
      apk("badstrings", {
        "AndroidManifest.xml": writeAxml(hardenedManifest),
        "resources.arsc": arsc,
        "res/xml/nsc_release.xml": writeAxml(nsc),
      }),
      "b.apk",
    );
    assert.equal(a.networkConfig?.resolvedBy, "root-element");
    assert.deepEqual(a.manifest.problems, [
      "b.apk!/resources.arsc: string 0 offset 16777215 is outside the pool at offset 0x28",
      "b.apk: resources.arsc does not resolve 0x7f020000 to a file; took res/xml/nsc_release.xml, the res/xml file whose root is <network-security-config>",
      "b.apk!/resources.arsc: string 0 offset 16777215 is outside the pool at offset 0x28; its strings were not scanned",
    ]);
  });

  it("rejects a manifest that is text XML, not AXML", () => {
    const path = apk("textxml", { "AndroidManifest.xml": '<?xml version="1.0"?><manifest package="x"/>' });
    assert.throws(
      () => analyzeApk(path, "t.apk"),
      /^AppError: t\.apk!\/AndroidManifest\.xml: text XML, not binary XML \(AXML\) as an APK carries it at offset 0x0$/,
    );
  });

  it("names the APK and offset for damaged manifests, and rejects non-APKs", () => {
    const good = writeAxml(insecureManifest);
    const truncated = apk("truncated", { "AndroidManifest.xml": good.subarray(0, good.length - 30) });
    assert.throws(
      () => analyzeApk(truncated, "truncated.apk"),
      (e: unknown) => {
        assert.ok(e instanceof AppError);
        assert.match(e.message, /^truncated\.apk!\/AndroidManifest\.xml: .* at offset 0x[0-9a-f]+$/);
        return true;
      },
    );
    const noManifest = apk("nomanifest", { "classes.dex": writeDex([]) });
    assert.throws(() => analyzeApk(noManifest, "x.apk"), /x\.apk: no AndroidManifest\.xml/);
    const notZip = join(dir, "plain.apk");
    writeFileSync(notZip, "hello");
    assert.throws(() => analyzeApk(notZip, "plain.apk"), /plain\.apk: not an APK/);
  });

  it("rejects bad string pool offsets and huge counts with the offset", () => {
    const good = writeAxml(insecureManifest);
    const hugeCount = Buffer.from(good);
    hugeCount.writeUInt32LE(0x7fffffff, 8 + 8); // string count
    assert.throws(
      () => parseAxml(hugeCount, "m.xml"),
      /m\.xml: string pool claims 2147483647 strings.* at offset 0x8$/,
    );
    const badOffset = Buffer.from(good);
    badOffset.writeUInt32LE(0x00ffffff, 8 + 28); // offset of string 0
    assert.throws(
      () => parseAxml(badOffset, "m.xml"),
      /m\.xml: string 0 offset 16777215 is outside the pool at offset 0x24$/,
    );
    const badType = Buffer.from(good);
    badType.writeUInt16LE(0x0002, 0);
    assert.throws(() => parseAxml(badType, "m.xml"), /not binary XML/);
  });

  it("survives a bounded mutation loop: every damaged document parses or fails with an AxmlError", () => {
    const good = writeAxml(insecureManifest);
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed);
    let errors = 0;
    for (let i = 0; i < 2000; i++) {
      const b = Buffer.from(good);
      for (let k = 0; k <= rand() % 4; k++) {
        const at = rand() % b.length;
        const mode = rand() % 3;
        if (mode === 0) b[at] = rand() & 0xff;
        else if (mode === 1) b.writeUInt32LE(0xffffffff - (rand() & 0xff), Math.min(at, b.length - 4) & ~3);
        else b[at] = b[at]! ^ (1 << (rand() % 8));
      }
      const cut = rand() % 10 === 0 ? b.subarray(0, rand() % b.length) : b;
      try {
        parseAxml(cut, "fuzz.xml");
      } catch (e) {
        assert.ok(e instanceof AxmlError, `mutation ${i}: ${String(e)}`);
        assert.match(e.message, /^fuzz\.xml: .* at offset 0x[0-9a-f]+$/);
        errors++;
      }
    }
    assert.ok(errors > 100, `${errors} mutations failed`);
  });
});
