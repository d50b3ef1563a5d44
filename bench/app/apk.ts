// The benchmark APK: a smart-home hub's companion app of realistic size and shape, built from the
// formats into a temp folder (never committed). Four classes*.dex with about 200,000 strings in all
// (class descriptors, method and field names, log messages, URLs), assets (an ML model, fonts, a
// web setup page, a JSON configuration), res/raw files (a hub firmware, a sound), a few hundred
// drawables and layouts, a resources.arsc that names the network security configuration, and a
// v1 + v2 signature made by `apksigner sign` with an RSA key and certificate made by `openssl req`.
//
// What is planted is returned as `truth`, so the benchmark can score each tool against it.
import { createCipheriv } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { writeAxml, type Node } from "../../test/app/axml-writer.js";
import { writeDex } from "./dex.js";
import { resId, writeTable, type TableType } from "./table.js";

export interface Truth {
  package: string;
  versionName: string;
  versionCode: number;
  minSdk: number;
  targetSdk: number;
  debuggable: boolean;
  /** base-config cleartextTrafficPermitted, and the domains a domain-config opens to cleartext. */
  baseCleartext: boolean;
  cleartextDomains: string[];
  signerSubject: string;
  /** Plain-HTTP endpoints planted in the dex files, and in resources and assets. */
  httpInDex: string[];
  httpElsewhere: string[];
  /** http:// strings in the dex files that are not endpoints (namespaces, loopback, templates). */
  httpNotEndpoints: string[];
  /** The planted AWS access key id and configuration password. */
  token: string;
  configPassword: string;
  dexStrings: number;
}

const PACKAGE = "com.lumenhome.hub";
const SUBJECT = "/C=DE/O=LumenHome GmbH/OU=Mobile/CN=LumenHome Android Release";
const TOKEN = "AKIA4LUMENHOMEHUB7Q2";
const CONFIG_PASSWORD = "Lh-8f2kQ9zT4wB";

/** Endpoints planted in code: the hub's local API, vendor services, SDK collectors. */
const HTTP_IN_DEX = [
  "http://lumenhub.local/api/v1/pair",
  "http://lumenhub.local/api/v1/status",
  "http://lumenhub.local:8080/fw/upload",
  "http://192.168.4.1/setup/wifi",
  "http://192.168.4.1/setup/token",
  "http://firmware.lumenhome.example/hub/latest.bin",
  "http://firmware.lumenhome.example/bulb/manifest.json",
  "http://telemetry.lumenhome.example/v2/collect",
  "http://cdn.lumenhome.example/img/scenes/",
  "http://legacy-api.lumenhome.example/v1/login",
  "http://legacy-api.lumenhome.example/v1/devices",
  "http://status.lumenhome.example/ping",
  "http://ota.partner-bulbs.example/check",
  "http://ads.metrics-sdk.example/track",
  "http://config.metrics-sdk.example/sdk.json",
  "http://crash.reports-sdk.example/upload",
  "http://time.lumenhome.example/now",
  "http://weather.lumenhome.example/forecast?city=",
  "http://geo.lumenhome.example/lookup",
  "http://support.lumenhome.example/contact",
  "http://media.lumenhome.example/manuals/hub-v2.pdf",
  "http://mqtt.lumenhome.example:1883",
  "http://172.16.0.10:9000/provision",
  "http://camera-relay.lumenhome.example/stream",
  "http://voice.lumenhome.example/intent",
  "http://scenes.lumenhome.example/shared/",
  "http://old.lumenhome.example/migrate",
  "http://beta.lumenhome.example/feedback",
];
const HTTP_ELSEWHERE = [
  "http://lumenhub.local/setup", // resources.arsc
  "http://help.lumenhome.example/faq", // resources.arsc
  "http://lumenhub.local:8080/api/v1", // assets/config/hub_defaults.json
  "http://setup.lumenhome.example/web/", // assets/web/setup/app.js
];
const HTTP_NOT_ENDPOINTS = [
  "http://schemas.android.com/apk/res/android",
  "http://www.w3.org/2001/XMLSchema-instance",
  "http://www.apache.org/licenses/LICENSE-2.0",
  "http://localhost:8081/debug",
  "http://10.0.2.2:3000/mock",
  "http://%s:8080/api/v1/state",
];

/** A seeded generator (mulberry32) so the same build gives the same bytes. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Incompressible bytes (AES-CTR key stream over a fixed key): images, models, firmware. */
function noise(size: number, label: string): Buffer {
  const key = Buffer.alloc(16);
  key.write(label.slice(0, 16));
  return createCipheriv("aes-128-ctr", key, Buffer.alloc(16)).update(Buffer.alloc(size));
}

const WORDS =
  `device hub light bulb scene schedule account pairing firmware update sensor motion camera stream
  token session config network wifi bluetooth mqtt cloud sync notification user profile settings room group
  energy report automation trigger action timer dimmer color brightness temperature humidity door lock
  alarm siren zone geofence presence voice assistant widget onboarding login logout register password
  reset backup restore history event log chart graph tile list detail card dialog sheet banner toast`
    .trim()
    .split(/\s+/);
const CAP = (w: string) => w[0]!.toUpperCase() + w.slice(1);
const SUFFIXES = [
  "Activity",
  "Fragment",
  "ViewModel",
  "Repository",
  "Adapter",
  "Service",
  "Worker",
  "Kt",
  "Impl",
  "Factory",
  "Module",
  "$1",
  "$2",
  "$Companion",
  "$onCreate$1",
  "$WhenMappings",
];
const PACKAGES = [
  "Lcom/lumenhome/hub/ui/",
  "Lcom/lumenhome/hub/data/",
  "Lcom/lumenhome/hub/net/",
  "Lcom/lumenhome/hub/pairing/",
  "Lcom/lumenhome/hub/scenes/",
  "Lokhttp3/internal/http2/",
  "Lkotlinx/coroutines/flow/",
  "Landroidx/compose/ui/node/",
  "Landroidx/work/impl/",
  "Lcom/google/gson/internal/",
  "Lio/reactivex/rxjava3/internal/operators/",
];
const VERBS = "get set on is has load save fetch update create delete observe emit parse build apply".split(
  " ",
);
const MESSAGES = [
  "Failed to connect to %s: %d",
  "Pairing with hub %s started",
  "Received %d devices from cloud",
  "Scene %s applied in %d ms",
  "Token refresh failed, retrying in %d s",
  "Unexpected response code %d for %s",
  "Firmware %s available for %s",
];

/** About `count` distinct strings of the kinds a real app's dex holds. */
function dexStrings(count: number, seed: number): string[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const out = new Set<string>();
  while (out.size < count) {
    const k = r();
    const a = pick(WORDS);
    const b = pick(WORDS);
    const n = Math.floor(r() * 1000);
    if (k < 0.35) out.add(`${pick(PACKAGES)}${CAP(a)}${CAP(b)}${pick(SUFFIXES)}${n % 7 ? "" : `$${n}`};`);
    else if (k < 0.6) out.add(`${pick(VERBS)}${CAP(a)}${CAP(b)}${n % 5 ? "" : n}`);
    else if (k < 0.75) out.add(`m${CAP(a)}${CAP(b)}${n % 3 ? "" : n}`);
    else if (k < 0.88) out.add(`${pick(MESSAGES)} [${a}.${b}#${n}]`);
    else if (k < 0.95) out.add(`https://api.lumenhome.example/v3/${a}s/${b}/${n}`);
    else out.add(`(L${pick(PACKAGES).slice(1)}${CAP(a)};I)${pick(["V", "Z", "Ljava/lang/String;"])}`);
  }
  return [...out];
}

const launcher: Node = {
  name: "intent-filter",
  children: [
    { name: "action", attrs: { "android:name": "android.intent.action.MAIN" } },
    { name: "category", attrs: { "android:name": "android.intent.category.LAUNCHER" } },
  ],
};

function manifest(truth: Truth, nscId: number): Node {
  const perms = [
    "INTERNET",
    "ACCESS_NETWORK_STATE",
    "ACCESS_WIFI_STATE",
    "CHANGE_WIFI_STATE",
    "ACCESS_FINE_LOCATION",
    "BLUETOOTH_SCAN",
    "BLUETOOTH_CONNECT",
    "CAMERA",
    "RECORD_AUDIO",
    "POST_NOTIFICATIONS",
    "RECEIVE_BOOT_COMPLETED",
    "FOREGROUND_SERVICE",
  ];
  const activities = ["Main", "Pairing", "Scenes", "Rooms", "Settings", "Account", "Camera", "Automation"];
  return {
    name: "manifest",
    attrs: {
      "android:versionCode": truth.versionCode,
      "android:versionName": truth.versionName,
      package: truth.package,
    },
    children: [
      {
        name: "uses-sdk",
        attrs: { "android:minSdkVersion": truth.minSdk, "android:targetSdkVersion": truth.targetSdk },
      },
      ...perms.map((p) => ({
        name: "uses-permission",
        attrs: { "android:name": `android.permission.${p}` },
      })),
      {
        name: "application",
        attrs: {
          "android:debuggable": truth.debuggable,
          "android:allowBackup": true,
          "android:networkSecurityConfig": { ref: nscId },
        },
        children: [
          ...activities.map((a, i) => ({
            name: "activity",
            attrs: { "android:name": `.ui.${a}Activity`, "android:exported": i === 0 },
            ...(i === 0 ? { children: [launcher] } : {}),
          })),
          { name: "service", attrs: { "android:name": ".sync.HubSyncService", "android:exported": false } },
          { name: "service", attrs: { "android:name": ".push.PushService", "android:exported": false } },
          {
            name: "receiver",
            attrs: { "android:name": ".hub.HubDiscoveryReceiver", "android:exported": true },
          },
          {
            name: "receiver",
            attrs: { "android:name": ".boot.BootReceiver", "android:exported": false },
          },
          {
            name: "provider",
            attrs: {
              "android:name": ".data.SceneProvider",
              "android:exported": true,
              "android:permission": "com.lumenhome.hub.permission.SCENES",
            },
          },
        ],
      },
    ],
  };
}

function networkSecurityConfig(truth: Truth): Node {
  return {
    name: "network-security-config",
    children: [
      {
        name: "base-config",
        attrs: { cleartextTrafficPermitted: truth.baseCleartext },
        children: [
          {
            name: "trust-anchors",
            children: [
              { name: "certificates", attrs: { src: "system" } },
              { name: "certificates", attrs: { src: "user" } },
            ],
          },
        ],
      },
      {
        name: "domain-config",
        attrs: { cleartextTrafficPermitted: true },
        children: truth.cleartextDomains.map((d) => ({
          name: "domain",
          attrs: { includeSubdomains: "true" },
          text: d,
        })),
      },
    ],
  };
}

/**
 * Write the unsigned entries into `work/apk`, zip them with python3's zipfile (images, sounds and
 * resources.arsc stored as aapt2 leaves them, the rest deflated) and sign with apksigner.
 */
export function buildApk(work: string): { apk: string; truth: Truth } {
  const truth: Truth = {
    package: PACKAGE,
    versionName: "5.2.1",
    versionCode: 50201,
    minSdk: 23,
    targetSdk: 33,
    debuggable: true,
    baseCleartext: false,
    cleartextDomains: ["lumenhub.local", "setup.lumenhome.example"],
    signerSubject: "CN=LumenHome Android Release, OU=Mobile, O=LumenHome GmbH, C=DE",
    httpInDex: HTTP_IN_DEX,
    httpElsewhere: HTTP_ELSEWHERE,
    httpNotEndpoints: HTTP_NOT_ENDPOINTS,
    token: TOKEN,
    configPassword: CONFIG_PASSWORD,
    dexStrings: 0,
  };
  const files: [string, Buffer, "stored" | "deflated"][] = [];
  const add = (name: string, data: Buffer | string, method: "stored" | "deflated" = "deflated") =>
    files.push([name, Buffer.from(data), method]);

  // Resources: drawables, layouts, raw files, the network security configuration, strings, bools.
  const r = rng(7);
  const drawables = Array.from({ length: 260 }, (_, i) => `ic_${WORDS[i % WORDS.length]}_${i}`);
  const layouts = Array.from({ length: 60 }, (_, i) => `fragment_${WORDS[(i * 7) % WORDS.length]}_${i}`);
  const png = Buffer.from("89504e470d0a1a0a", "hex");
  for (const d of drawables)
    add(
      `res/drawable-xxhdpi-v4/${d}.png`,
      Buffer.concat([png, noise(2048 + Math.floor(r() * 36_000), d)]),
      "stored",
    );
  for (const l of layouts)
    add(
      `res/layout/${l}.xml`,
      writeAxml({
        name: "LinearLayout",
        children: [{ name: "TextView" }, { name: "androidx.recyclerview.widget.RecyclerView" }],
      }),
    );
  const raws = [
    ["hub_firmware_2_4_1", "bin", 5 * 1024 * 1024],
    ["chime", "ogg", 420_000],
  ] as const;
  for (const [name, ext, size] of raws) add(`res/raw/${name}.${ext}`, noise(size, name), "stored");
  add("res/xml/network_security_config.xml", writeAxml(networkSecurityConfig(truth)));
  const uiStrings = Array.from({ length: 3000 }, (_, i) => {
    const w = (k: number) => WORDS[(i * k) % WORDS.length]!;
    return { key: `${w(3)}_${w(5)}_${i}`, value: { string: `${CAP(w(7))} your ${w(11)} and ${w(13)}` } };
  });
  const types: TableType[] = [
    {
      name: "drawable",
      entries: drawables.map((d) => ({ key: d, value: { string: `res/drawable-xxhdpi-v4/${d}.png` } })),
    },
    { name: "layout", entries: layouts.map((l) => ({ key: l, value: { string: `res/layout/${l}.xml` } })) },
    { name: "raw", entries: raws.map(([n, e]) => ({ key: n, value: { string: `res/raw/${n}.${e}` } })) },
    {
      name: "xml",
      entries: [{ key: "network_security_config", value: { string: "res/xml/network_security_config.xml" } }],
    },
    {
      name: "string",
      entries: [
        { key: "app_name", value: { string: "LumenHome" } },
        { key: "hub_setup_url", value: { string: HTTP_ELSEWHERE[0]! } },
        { key: "help_url", value: { string: HTTP_ELSEWHERE[1]! } },
        ...uiStrings,
      ],
    },
    { name: "bool", entries: [{ key: "enable_analytics", value: { bool: true } }] },
  ];
  add("resources.arsc", writeTable(PACKAGE, types), "stored");
  add("AndroidManifest.xml", writeAxml(manifest(truth, resId(4, 0))));

  // Code: four dex files, about 200,000 strings, with the planted endpoints and the token.
  const sizes = [62_000, 56_000, 50_000, 34_000];
  sizes.forEach((n, i) => {
    const strings = dexStrings(n, 100 + i);
    strings.push(...HTTP_IN_DEX.filter((_, j) => j % sizes.length === i));
    strings.push(...HTTP_NOT_ENDPOINTS.filter((_, j) => j % sizes.length === i));
    if (i === 2) strings.push(TOKEN);
    const chars = strings.reduce((s, x) => s + x.length, 0);
    const dex = writeDex(strings, Math.floor(chars * 1.3), 0x9e3779b9 + i);
    truth.dexStrings += dex.readUInt32LE(56);
    add(i === 0 ? "classes.dex" : `classes${i + 1}.dex`, dex);
  });

  // Assets: a model, fonts, the web setup page, the configuration with a password.
  add("assets/models/presence_detector.tflite", noise(7 * 1024 * 1024, "tflite"));
  add("assets/fonts/Inter-Regular.ttf", noise(340_000, "inter-regular"));
  add("assets/fonts/Inter-Bold.ttf", noise(350_000, "inter-bold"));
  add(
    "assets/config/hub_defaults.json",
    JSON.stringify(
      {
        cloud: "https://api.lumenhome.example/v3/",
        localApi: HTTP_ELSEWHERE[2],
        mqtt: {
          host: "mqtt.lumenhome.example",
          port: 8883,
          mqtt_user: "hub",
          mqtt_password: CONFIG_PASSWORD,
        },
        retries: 3,
      },
      null,
      2,
    ),
  );
  const js = Array.from(
    { length: 12_000 },
    (_, i) => `function ${VERBS[i % VERBS.length]}${CAP(WORDS[i % WORDS.length]!)}${i}(a){return a+${i};}`,
  );
  js.splice(6000, 0, `const SETUP_BASE = "${HTTP_ELSEWHERE[3]}";`);
  add("assets/web/setup/app.js", js.join("\n"));
  add("assets/web/setup/index.html", '<!doctype html><script src="app.js"></script>\n');

  // Zip, then sign (apksigner aligns stored entries and writes the v1 files and the v2 block).
  const dir = join(work, "apk");
  const spec: [string, string, string][] = [];
  for (const [name, data, method] of files) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, data);
    spec.push([name, path, method]);
  }
  writeFileSync(join(work, "spec.json"), JSON.stringify(spec));
  const unsigned = join(work, "unsigned.apk");
  execFileSync("python3", [
    "-c",
    `import json, sys, zipfile
with zipfile.ZipFile(sys.argv[2], "w") as z:
    for name, path, method in json.load(open(sys.argv[1])):
        info = zipfile.ZipInfo(name, (2025, 6, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_STORED if method == "stored" else zipfile.ZIP_DEFLATED
        z.writestr(info, open(path, "rb").read())`,
    join(work, "spec.json"),
    unsigned,
  ]);
  const key = join(work, "release-key.pem");
  const cert = join(work, "release-cert.pem");
  const pk8 = join(work, "release-key.pk8");
  execFileSync(
    "openssl",
    // 30 years, as Google Play asks of a release key
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "10950",
      "-keyout",
      key,
      "-out",
      cert,
      "-subj",
      SUBJECT,
    ],
    { stdio: "pipe" },
  );
  execFileSync("openssl", ["pkcs8", "-topk8", "-nocrypt", "-in", key, "-outform", "DER", "-out", pk8]);
  const apk = join(work, "lumenhome-hub-5.2.1.apk");
  execFileSync(
    "apksigner",
    [
      "sign",
      "--key",
      pk8,
      "--cert",
      cert,
      "--v1-signing-enabled",
      "true",
      "--v2-signing-enabled",
      "true",
      "--v3-signing-enabled",
      "false",
      "--v4-signing-enabled",
      "false",
      "--out",
      apk,
      unsigned,
    ],
    { stdio: "pipe" },
  );
  return { apk, truth };
}
