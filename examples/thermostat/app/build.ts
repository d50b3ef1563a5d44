// Rebuilds the example thermostat's companion apps, the good twins of the camera's app:
//   brightwave-t3-3.4.0.apk  a release build: not debuggable, no backup, no cleartext (manifest and
//                            network security configuration), public-key pins for the maker's hosts,
//                            signed with APK Signature Scheme v2 by a release key (not a debug key)
//   brightwave-t3-3.4.0.ipa  App Transport Security on with no exception, pinned domains, a
//                            distribution build (get-task-allow false)
//
//   npx tsx examples/thermostat/app/build.ts [out-dir]    (needs python3: zipfile and plistlib)
//
// The packages are written from the formats by the test writers in test/app. Entries are stored
// uncompressed with a fixed date, and RSA PKCS#1 v1.5 signatures are deterministic, so the same key
// gives the same bytes (test/examples.test.ts rebuilds and compares). The key is a DEMO key committed
// next to this script (demo-release-key.pem), made once with
//   openssl req -x509 -newkey rsa:2048 -nodes -days 10950 \
//     -subj "/C=GB/O=Brightwave Controls Ltd/CN=Brightwave Android Release"
// The committed packages are what `concord assess examples/thermostat` reads: nothing is built on a
// fresh clone.
import { createHash, createPrivateKey, X509Certificate } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeArsc } from "../../../test/app/arsc-writer.js";
import { writeAxml, type Node } from "../../../test/app/axml-writer.js";
import { writeDex } from "../../../test/app/dex-writer.js";
import { writeMachO } from "../../../test/app/macho-writer.js";
import { signBlock, zip, type TestSigner } from "../../../test/app/package-tools.js";
import { pyPlist } from "../../../test/app/py-plist.js";

const here = dirname(fileURLToPath(import.meta.url));
/** Where the packages go: next to this script, or the folder given (tests rebuild into a temp one). */
const out = process.argv[2] ?? here;
const APK = join(out, "brightwave-t3-3.4.0.apk");
const IPA = join(out, "brightwave-t3-3.4.0.ipa");

/** The committed demo release key and its self-signed certificate. */
function releaseSigner(): TestSigner {
  const keyPath = join(here, "demo-release-key.pem");
  const certPath = join(here, "demo-release-cert.pem");
  const keyPem = readFileSync(keyPath, "utf8");
  const certPem = readFileSync(certPath, "utf8");
  const certDer = Buffer.from(new X509Certificate(certPem).raw);
  return { key: createPrivateKey(keyPem), keyPem, certPem, certDer, keyPath, certPath };
}

/**
 * Public-key pins (base64 SHA-256 of a SubjectPublicKeyInfo) for the maker's API and MQTT hosts: a
 * current key and a backup key, as pinning needs. Demo values: digests of fixed labels, not of
 * real keys, since the example's servers do not exist.
 */
const PINS = ["brightwave demo pin: current issuing CA", "brightwave demo pin: backup issuing CA"].map(
  (label) => createHash("sha256").update(label).digest("base64"),
);

const launcher: Node = {
  name: "intent-filter",
  children: [
    { name: "action", attrs: { "android:name": "android.intent.action.MAIN" } },
    { name: "category", attrs: { "android:name": "android.intent.category.LAUNCHER" } },
  ],
};

const androidManifest: Node = {
  name: "manifest",
  attrs: {
    "android:versionCode": 340,
    "android:versionName": "3.4.0",
    package: "com.brightwave.thermostat",
  },
  children: [
    { name: "uses-sdk", attrs: { "android:minSdkVersion": 26, "android:targetSdkVersion": 34 } },
    { name: "uses-permission", attrs: { "android:name": "android.permission.INTERNET" } },
    { name: "uses-permission", attrs: { "android:name": "android.permission.ACCESS_NETWORK_STATE" } },
    { name: "uses-permission", attrs: { "android:name": "android.permission.BLUETOOTH_CONNECT" } },
    {
      name: "application",
      attrs: {
        "android:debuggable": false,
        "android:allowBackup": false,
        "android:usesCleartextTraffic": false,
        // @xml/network_security_config: type 2 (xml), entry 0 in resources.arsc below
        "android:networkSecurityConfig": { ref: 0x7f020000 },
      },
      children: [
        {
          name: "activity",
          attrs: { "android:name": ".MainActivity", "android:exported": true },
          children: [launcher],
        },
        { name: "activity", attrs: { "android:name": ".setup.PairingActivity", "android:exported": false } },
        {
          name: "service",
          attrs: { "android:name": ".sync.ScheduleSyncService", "android:exported": false },
        },
        {
          name: "receiver",
          attrs: {
            "android:name": ".push.PushReceiver",
            "android:exported": true,
            "android:permission": "com.google.android.c2dm.permission.SEND",
          },
        },
      ],
    },
  ],
};

const pinnedDomain = (domain: string): Node => ({
  name: "domain-config",
  children: [
    { name: "domain", attrs: { includeSubdomains: "false" }, text: domain },
    {
      name: "pin-set",
      children: PINS.map((pin) => ({ name: "pin", attrs: { digest: "SHA-256" }, text: pin })),
    },
  ],
});

const networkSecurityConfig: Node = {
  name: "network-security-config",
  children: [
    {
      name: "base-config",
      attrs: { cleartextTrafficPermitted: false },
      children: [{ name: "trust-anchors", children: [{ name: "certificates", attrs: { src: "system" } }] }],
    },
    pinnedDomain("api.brightwave.example"),
    pinnedDomain("iot.brightwave.example"),
  ],
};

const resources = writeArsc([
  { name: "attr", entries: [] },
  {
    name: "xml",
    entries: [{ key: "network_security_config", value: { string: "res/xml/network_security_config.xml" } }],
  },
  {
    name: "string",
    entries: [
      { key: "app_name", value: { string: "Brightwave" } },
      { key: "api_base_url", value: { string: "https://api.brightwave.example/v2/" } },
      { key: "mqtt_url", value: { string: "mqtts://iot.brightwave.example:8883" } },
    ],
  },
]);

const dex = writeDex([
  "Lcom/brightwave/thermostat/MainActivity;",
  "Lcom/brightwave/thermostat/api/ThermostatApi;",
  "Lcom/brightwave/thermostat/push/PushReceiver;",
  "Lcom/brightwave/thermostat/setup/PairingActivity;",
  "Lcom/brightwave/thermostat/sync/ScheduleSyncService;",
  "Lokhttp3/OkHttpClient;",
  "https://api.brightwave.example/v2/",
  "https://brightwave.example/t3/support-period",
  "mqtts://iot.brightwave.example:8883",
]);

function buildApk(): Buffer {
  const files: [string, Uint8Array | string][] = [
    ["AndroidManifest.xml", writeAxml(androidManifest)],
    ["classes.dex", dex],
    ["res/xml/network_security_config.xml", writeAxml(networkSecurityConfig)],
    ["resources.arsc", resources],
  ];
  return signBlock(zip(files, { stored: true }), releaseSigner());
}

const infoPlist = `{
  "CFBundleIdentifier": "com.brightwave.thermostat",
  "CFBundleShortVersionString": "3.4.0",
  "CFBundleVersion": "340",
  "CFBundleExecutable": "Brightwave",
  "MinimumOSVersion": "15.0",
  "CFBundleURLTypes": [{"CFBundleURLSchemes": ["brightwave"]}],
  "NSAppTransportSecurity": {
    "NSPinnedDomains": {
      "api.brightwave.example": {"NSPinnedCAIdentities": [{"SPKI-SHA256-BASE64": "${PINS[0]}"}, {"SPKI-SHA256-BASE64": "${PINS[1]}"}]},
      "iot.brightwave.example": {"NSPinnedCAIdentities": [{"SPKI-SHA256-BASE64": "${PINS[0]}"}, {"SPKI-SHA256-BASE64": "${PINS[1]}"}]}
    }
  }
}`;

const entitlements = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict><key>application-identifier</key><string>BWT3EXAMPL.com.brightwave.thermostat</string><key>aps-environment</key><string>production</string><key>get-task-allow</key><false/></dict></plist>
`;

function buildIpa(): Buffer {
  const exe = writeMachO({
    cstrings: [
      "Brightwave",
      "https://api.brightwave.example/v2/",
      "mqtts://iot.brightwave.example:8883",
      "https://brightwave.example/t3/support-period",
    ],
    entitlements,
  });
  return zip(
    [
      ["Payload/Brightwave.app/Info.plist", pyPlist(infoPlist, "BINARY")],
      ["Payload/Brightwave.app/Brightwave", exe],
      [
        "Payload/Brightwave.app/Config.json",
        '{"apiBaseUrl": "https://api.brightwave.example/v2/", "mqttUrl": "mqtts://iot.brightwave.example:8883"}\n',
      ],
    ],
    { stored: true },
  );
}

for (const [path, bytes] of [
  [APK, buildApk()],
  [IPA, buildIpa()],
] as const) {
  writeFileSync(path, bytes);
  console.log(
    `wrote ${path} (${bytes.length} bytes, sha256 ${createHash("sha256").update(bytes).digest("hex")})`,
  );
}
