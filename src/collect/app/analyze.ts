// An Android package (APK) is a ZIP archive: read it with the firmware ZIP reader (entries are
// inflated on demand, bounded by a Budget), parse AndroidManifest.xml and the network security
// configuration from binary XML, and scan classes*.dex and assets for plain-HTTP URLs and tokens.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type {
  AppComponentData,
  AppComponentType,
  AppEndpointData,
  AppManifestData,
  AppNetworkConfigData,
  AppSecretData,
} from "../../evidence/app.js";
import { findShapedTokens } from "../firmware/analyzers/secrets/tokens.js";
import { zipFormat } from "../firmware/formats/zip/index.js";
import { Budget, DEFAULT_LIMITS, LimitError } from "../firmware/limits.js";
import { FormatError, bufferSource } from "../firmware/source.js";
import type { VEntry, VirtualFS } from "../firmware/vfs.js";
import { AxmlError, attr, boolAttr, parseAxml, type AxmlElement } from "./axml.js";

/** A package Concord cannot read; the message names the APK and what is wrong where. */
export class AppError extends Error {
  override name = "AppError";
}

export interface AppAnalysis {
  sha256: string;
  manifest: AppManifestData;
  networkConfig?: AppNetworkConfigData;
  components: AppComponentData[];
  endpoints: AppEndpointData[];
  secrets: AppSecretData[];
}

const R = {
  name: 0x01010003,
  permission: 0x01010006,
  readPermission: 0x01010007,
  writePermission: 0x01010008,
  exported: 0x01010010,
  debuggable: 0x0101000f,
  versionCode: 0x0101021b,
  versionName: 0x0101021c,
  minSdkVersion: 0x0101020c,
  targetSdkVersion: 0x01010270,
  allowBackup: 0x01010280,
  usesCleartextTraffic: 0x010104ec,
  fullBackupContent: 0x01010473,
  networkSecurityConfig: 0x01010527,
  dataExtractionRules: 0x0101063e,
} as const;

/** Permissions of protection level "dangerous" (Android platform manifest). */
const DANGEROUS = new Set(
  [
    "READ_CALENDAR",
    "WRITE_CALENDAR",
    "CAMERA",
    "READ_CONTACTS",
    "WRITE_CONTACTS",
    "GET_ACCOUNTS",
    "ACCESS_FINE_LOCATION",
    "ACCESS_COARSE_LOCATION",
    "ACCESS_BACKGROUND_LOCATION",
    "RECORD_AUDIO",
    "READ_PHONE_STATE",
    "READ_PHONE_NUMBERS",
    "CALL_PHONE",
    "ANSWER_PHONE_CALLS",
    "READ_CALL_LOG",
    "WRITE_CALL_LOG",
    "ADD_VOICEMAIL",
    "USE_SIP",
    "PROCESS_OUTGOING_CALLS",
    "BODY_SENSORS",
    "BODY_SENSORS_BACKGROUND",
    "ACTIVITY_RECOGNITION",
    "SEND_SMS",
    "RECEIVE_SMS",
    "READ_SMS",
    "RECEIVE_WAP_PUSH",
    "RECEIVE_MMS",
    "READ_EXTERNAL_STORAGE",
    "WRITE_EXTERNAL_STORAGE",
    "ACCESS_MEDIA_LOCATION",
    "BLUETOOTH_SCAN",
    "BLUETOOTH_CONNECT",
    "BLUETOOTH_ADVERTISE",
    "NEARBY_WIFI_DEVICES",
    "UWB_RANGING",
    "POST_NOTIFICATIONS",
    "READ_MEDIA_IMAGES",
    "READ_MEDIA_VIDEO",
    "READ_MEDIA_AUDIO",
  ].map((p) => `android.permission.${p}`),
);

/** http:// URLs that are names, not endpoints: XML namespaces, schemas, DTDs, licences, loopback. */
const NOT_ENDPOINTS =
  /^http:\/\/(?:schemas\.android\.com|www\.w3\.org|ns\.adobe\.com|xmlpull\.org|xml\.org|www\.xml\.org|purl\.org|java\.sun\.com|xmlns\.jcp\.org|www\.apache\.org|apache\.org|www\.apple\.com\/DTDs|schemas\.xmlsoap\.org|schemas\.microsoft\.com|localhost|127\.0\.0\.1|\[::1\]|10\.0\.2\.2)(?=[/:?#]|$)/i;
const HTTP_URL = /http:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?(?:[/?#][\x21-\x7e]*)?/g;
const MAX_SCAN = 64 * 1024 * 1024;
const MAX_HITS = 200;
const COMPONENTS: AppComponentType[] = ["activity", "activity-alias", "service", "receiver", "provider"];

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const int = (v: unknown): number | undefined =>
  typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined;

function readEntry(e: VEntry, where: string): Uint8Array {
  if (!e.read)
    throw new AppError(`${where}: the entry cannot be read (encrypted or unsupported compression)`);
  return e.read();
}

function parseManifestXml(root: AxmlElement, path: string) {
  if (root.name !== "manifest")
    throw new AppError(`${path}: AndroidManifest.xml has root <${root.name}>, not <manifest>`);
  const child = (el: AxmlElement, name: string) => el.children.find((c) => c.name === name);
  const sdk = child(root, "uses-sdk");
  const app = child(root, "application");
  const minSdk = sdk ? int(attr(sdk, "minSdkVersion", R.minSdkVersion)) : undefined;
  const targetSdk = (sdk ? int(attr(sdk, "targetSdkVersion", R.targetSdkVersion)) : undefined) ?? minSdk;
  const components: AppComponentData[] = [];
  for (const c of app?.children ?? []) {
    if (!COMPONENTS.includes(c.name as AppComponentType)) continue;
    const declared = boolAttr(c, "exported", R.exported);
    const filters = c.children.filter((f) => f.name === "intent-filter");
    const launcher = filters.some(
      (f) =>
        f.children.some(
          (a) => a.name === "action" && attr(a, "name", R.name) === "android.intent.action.MAIN",
        ) &&
        f.children.some(
          (a) => a.name === "category" && attr(a, "name", R.name) === "android.intent.category.LAUNCHER",
        ),
    );
    let exported = declared ?? false;
    let exportedBy: AppComponentData["exportedBy"] = "declared";
    if (declared === undefined && filters.length > 0 && (targetSdk ?? 1) < 31) {
      exported = true;
      exportedBy = "intent-filter";
    } else if (declared === undefined && c.name === "provider" && (targetSdk ?? 1) < 17) {
      exported = true;
      exportedBy = "provider-default";
    }
    const permission =
      str(attr(c, "permission", R.permission)) ??
      (c.name === "provider"
        ? (str(attr(c, "readPermission", R.readPermission)) ??
          str(attr(c, "writePermission", R.writePermission)))
        : undefined) ??
      (exported ? str(app ? attr(app, "permission", R.permission) : undefined) : undefined);
    components.push({
      type: c.name as AppComponentType,
      name: str(attr(c, "name", R.name)) ?? "",
      exported,
      exportedBy,
      ...(permission ? { permission } : {}),
      launcher,
    });
  }
  const permissions = root.children
    .filter((c) => c.name === "uses-permission" || c.name === "uses-permission-sdk-23")
    .map((c) => str(attr(c, "name", R.name)) ?? "")
    .filter((p) => DANGEROUS.has(p));
  const allowBackupDeclared = app ? boolAttr(app, "allowBackup", R.allowBackup) : undefined;
  return {
    fields: {
      package: str(attr(root, "package")) ?? "",
      versionName: str(attr(root, "versionName", R.versionName)),
      versionCode: int(attr(root, "versionCode", R.versionCode)),
      minSdk,
      targetSdk,
      debuggable: (app && boolAttr(app, "debuggable", R.debuggable)) ?? false,
      allowBackup: allowBackupDeclared ?? true,
      allowBackupDeclared: allowBackupDeclared !== undefined,
      backupRules:
        app !== undefined &&
        (attr(app, "fullBackupContent", R.fullBackupContent) !== undefined ||
          attr(app, "dataExtractionRules", R.dataExtractionRules) !== undefined) &&
        boolAttr(app, "fullBackupContent", R.fullBackupContent) !== true,
      usesCleartextTrafficDeclared: app
        ? boolAttr(app, "usesCleartextTraffic", R.usesCleartextTraffic)
        : undefined,
      networkSecurityConfig: app
        ? attr(app, "networkSecurityConfig", R.networkSecurityConfig) !== undefined
        : false,
      dangerousPermissions: [...new Set(permissions)].sort(),
    },
    components,
  };
}

function parseNetworkConfig(root: AxmlElement, file: string): AppNetworkConfigData {
  const out: AppNetworkConfigData = { file, cleartextDomains: [], trustsUserCerts: false, pinSets: 0 };
  const walk = (el: AxmlElement, inDebug: boolean, depth: number) => {
    if (depth > 64) return;
    const debug = inDebug || el.name === "debug-overrides";
    if (el.name === "base-config") out.baseCleartext = boolAttr(el, "cleartextTrafficPermitted");
    if (el.name === "domain-config" && boolAttr(el, "cleartextTrafficPermitted") === true)
      for (const d of el.children.filter((c) => c.name === "domain"))
        out.cleartextDomains.push(d.text.trim());
    if (el.name === "pin-set") out.pinSets++;
    if (el.name === "certificates" && !debug && attr(el, "src") === "user") out.trustsUserCerts = true;
    for (const c of el.children) walk(c, debug, depth + 1);
  };
  walk(root, false, 0);
  out.cleartextDomains = [...new Set(out.cleartextDomains)].sort();
  return out;
}

function scan(fs: VirtualFS, path: string, problems: string[]) {
  const endpoints = new Map<string, AppEndpointData>();
  const secrets: AppSecretData[] = [];
  for (const e of fs.list()) {
    if (e.type !== "file") continue;
    const rel = e.path.slice(1);
    if (!/^classes\d*\.dex$/.test(rel) && !rel.startsWith("assets/") && !rel.startsWith("res/raw/")) continue;
    if (e.size > MAX_SCAN) {
      problems.push(`${rel}: ${e.size} bytes, larger than the ${MAX_SCAN} scanned; skipped`);
      continue;
    }
    let text: string;
    try {
      text = Buffer.from(readEntry(e, `${path}!/${rel}`)).toString("latin1");
    } catch (err) {
      if (err instanceof FormatError || err instanceof AppError) {
        problems.push(err.message);
        continue;
      }
      throw err;
    }
    HTTP_URL.lastIndex = 0;
    for (let m = HTTP_URL.exec(text); m && endpoints.size < MAX_HITS; m = HTTP_URL.exec(text)) {
      const url = m[0].replace(/[.,;:)'"\]}>]+$/, "");
      if (NOT_ENDPOINTS.test(url) || url.length <= "http://".length + 3) continue;
      if (!endpoints.has(url)) endpoints.set(url, { url, scheme: "http", file: rel });
    }
    for (const t of findShapedTokens(text, 20))
      if (secrets.length < MAX_HITS)
        secrets.push({
          format: t.format,
          redacted: `${t.value.slice(0, 4)}… (${t.value.length} chars)`,
          file: rel,
        });
  }
  return { endpoints: [...endpoints.values()], secrets };
}

/** Analyze the APK at `file`; `displayPath` names it in evidence and errors. */
export function analyzeApk(file: string, displayPath = file): AppAnalysis {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new AppError(`${displayPath}: cannot read the file (${(err as Error).message})`);
  }
  return analyzeApkBytes(bytes, displayPath);
}

export function analyzeApkBytes(bytes: Uint8Array, path: string): AppAnalysis {
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const problems: string[] = [];
  const budget = new Budget({
    ...DEFAULT_LIMITS,
    maxTotalBytes: 1024 ** 3,
    maxFiles: 200_000,
    maxMillis: 120_000,
  });
  let fs: VirtualFS;
  try {
    if (!zipFormat.probe(bufferSource(path, bytes), 0))
      throw new AppError(`${path}: not an APK (no ZIP header at offset 0x0)`);
    const x = zipFormat.extract(bufferSource(path, bytes), 0, {
      budget,
      depth: 0,
      note: (p) => problems.push(p),
    });
    if (x.kind !== "filesystem") throw new AppError(`${path}: not an APK (no ZIP directory)`);
    fs = x.fs;
  } catch (err) {
    if (err instanceof FormatError || err instanceof LimitError)
      throw new AppError(`${path}: ${err.message}`);
    throw err;
  }
  const manifestEntry = fs.get("AndroidManifest.xml");
  if (!manifestEntry || manifestEntry.type !== "file")
    throw new AppError(`${path}: no AndroidManifest.xml; this is not an Android package`);
  let root: AxmlElement;
  try {
    root = parseAxml(
      readEntry(manifestEntry, `${path}!/AndroidManifest.xml`),
      `${path}!/AndroidManifest.xml`,
    );
  } catch (err) {
    if (err instanceof AxmlError || err instanceof FormatError || err instanceof LimitError)
      throw new AppError(err.message.startsWith(path) ? err.message : `${path}: ${err.message}`);
    throw err;
  }
  const { fields, components } = parseManifestXml(root, path);

  // Without resources.arsc the reference cannot be resolved by id: read res/xml files and take the
  // one whose root is <network-security-config> (network_security_config.xml first).
  let networkConfig: AppNetworkConfigData | undefined;
  if (fields.networkSecurityConfig) {
    const candidates = fs
      .list()
      .filter((e) => e.type === "file" && /^\/res\/xml[^/]*\/[^/]+\.xml$/.test(e.path))
      .sort(
        (a, b) =>
          Number(b.path.endsWith("/network_security_config.xml")) -
          Number(a.path.endsWith("/network_security_config.xml")),
      )
      .slice(0, 200);
    for (const e of candidates) {
      const where = `${path}!${e.path}`;
      try {
        const x = parseAxml(readEntry(e, where), where);
        if (x.name === "network-security-config") {
          networkConfig = parseNetworkConfig(x, e.path.slice(1));
          break;
        }
      } catch (err) {
        if (err instanceof AxmlError || err instanceof FormatError || err instanceof AppError)
          problems.push(err.message);
        else throw err;
      }
    }
    if (!networkConfig)
      problems.push(
        `${path}: android:networkSecurityConfig is set but no res/xml file holds a <network-security-config>`,
      );
  }
  const { endpoints, secrets } = scan(fs, path, problems);
  const defaultCleartext = (fields.targetSdk ?? 1) < 28;
  const cleartextPermitted = networkConfig
    ? (networkConfig.baseCleartext ?? defaultCleartext)
    : (fields.usesCleartextTrafficDeclared ?? defaultCleartext);
  const exportedUnprotected = components.filter((c) => c.exported && !c.permission && !c.launcher).length;
  return {
    sha256,
    manifest: {
      path,
      platform: "android",
      ...fields,
      cleartextPermitted,
      httpEndpoints: endpoints.length,
      exportedUnprotected,
      problems: [...problems, ...fs.problems.map((p) => `${p.path}: ${p.problem}`)],
    },
    networkConfig,
    components: components.filter((c) => c.exported),
    endpoints,
    secrets,
  };
}
