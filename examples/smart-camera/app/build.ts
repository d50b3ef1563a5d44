// Rebuilds homecam-1.9.2.apk, the example camera's Android companion app, with the weaknesses an
// app review would look for planted in it: a debuggable build, cleartext permitted and the account
// API called over http://, backup allowed without rules, a hard-coded cloud API token in an asset,
// and a signature by an Android SDK-style debug certificate (CN=Android Debug), not a release key.
//
//   npx tsx examples/smart-camera/app/build.ts [out-dir]      (needs python3: zipfile writes the ZIP)
//
// The package is written from the formats by the test writers in test/app. Entries are stored
// uncompressed with a fixed date, and RSA PKCS#1 v1.5 signatures are deterministic, so the same key
// gives the same bytes (test/examples.test.ts rebuilds and compares). The key is a DEMO key committed
// next to this script (demo-debug-key.pem), made once with
//   openssl req -x509 -newkey rsa:2048 -nodes -days 10950 -subj "/C=US/O=Android/CN=Android Debug"
// (the subject the SDK gives its debug key). The committed package is what
// `concord assess examples/smart-camera` reads: nothing is built on a fresh clone.
import { createHash, createPrivateKey, X509Certificate } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeAxml, type Node } from "../../../test/app/axml-writer.js";
import { writeDex } from "../../../test/app/dex-writer.js";
import { signBlock, zip, type TestSigner } from "../../../test/app/package-tools.js";

const here = dirname(fileURLToPath(import.meta.url));
/** Where the package goes: next to this script, or the folder given (the tests rebuild into a temp one). */
const APK = join(process.argv[2] ?? here, "homecam-1.9.2.apk");

/** The committed demo debug key and its self-signed certificate. */
function debugSigner(): TestSigner {
  const keyPath = join(here, "demo-debug-key.pem");
  const certPath = join(here, "demo-debug-cert.pem");
  const keyPem = readFileSync(keyPath, "utf8");
  const certPem = readFileSync(certPath, "utf8");
  const certDer = Buffer.from(new X509Certificate(certPem).raw);
  return { key: createPrivateKey(keyPem), keyPem, certPem, certDer, keyPath, certPath };
}

const launcher: Node = {
  name: "intent-filter",
  children: [
    { name: "action", attrs: { "android:name": "android.intent.action.MAIN" } },
    { name: "category", attrs: { "android:name": "android.intent.category.LAUNCHER" } },
  ],
};

const androidManifest: Node = {
  name: "manifest",
  attrs: { "android:versionCode": 192, "android:versionName": "1.9.2", package: "com.acmedevices.homecam" },
  children: [
    { name: "uses-sdk", attrs: { "android:minSdkVersion": 24, "android:targetSdkVersion": 30 } },
    { name: "uses-permission", attrs: { "android:name": "android.permission.INTERNET" } },
    { name: "uses-permission", attrs: { "android:name": "android.permission.CAMERA" } },
    { name: "uses-permission", attrs: { "android:name": "android.permission.RECORD_AUDIO" } },
    { name: "uses-permission", attrs: { "android:name": "android.permission.ACCESS_FINE_LOCATION" } },
    {
      // No android:allowBackup: Android's default lets adb backup and cloud backup copy the app's data.
      name: "application",
      attrs: { "android:debuggable": true, "android:usesCleartextTraffic": true },
      children: [
        {
          name: "activity",
          attrs: { "android:name": ".MainActivity", "android:exported": true },
          children: [launcher],
        },
        { name: "activity", attrs: { "android:name": ".LiveViewActivity", "android:exported": true } },
        {
          // Exported by its intent filter (target SDK 30 < 31), with no permission.
          name: "receiver",
          attrs: { "android:name": ".BootReceiver" },
          children: [
            {
              name: "intent-filter",
              children: [
                { name: "action", attrs: { "android:name": "android.intent.action.BOOT_COMPLETED" } },
              ],
            },
          ],
        },
      ],
    },
  ],
};

const dex = writeDex([
  "Lcom/acmedevices/homecam/BootReceiver;",
  "Lcom/acmedevices/homecam/LiveViewActivity;",
  "Lcom/acmedevices/homecam/MainActivity;",
  "Lcom/acmedevices/homecam/api/AccountApi;",
  "http://api.acme-devices.example/v1/login",
  "http://schemas.android.com/apk/res/android",
  "mqtt://telemetry.acme-devices.example:1883",
]);

/** The asset the app reads at start: the cloud API token every installation shares. */
const cloudConfig = `{
  "api_base": "http://api.acme-devices.example/v1/",
  "mqtt_host": "telemetry.acme-devices.example",
  "cloud_api_token": "hc2-4f9b27e1c05d48a3b6e2",
  "log_level": "debug"
}
`;

const bytes = signBlock(
  zip(
    [
      ["AndroidManifest.xml", writeAxml(androidManifest)],
      ["classes.dex", dex],
      ["assets/cloud.json", cloudConfig],
    ],
    { stored: true },
  ),
  debugSigner(),
);
writeFileSync(APK, bytes);
console.log(
  `wrote ${APK} (${bytes.length} bytes, sha256 ${createHash("sha256").update(bytes).digest("hex")})`,
);
