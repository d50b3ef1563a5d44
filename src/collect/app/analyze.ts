// An Android package (APK) is a ZIP archive: read it with the firmware ZIP reader (entries are
// inflated on demand, bounded by a Budget), parse AndroidManifest.xml from binary XML, resolve its
// resource references (the network security configuration, boolean flags) through resources.arsc,
// read the signatures (signing.ts), and scan the dex string tables, the resource strings, assets and
// raw resources for plain-HTTP URLs, secrets and certificate pins (scan.ts).
import type {
  AppComponentData,
  AppComponentType,
  AppEndpointData,
  AppManifestData,
  AppNetworkConfigData,
  AppPinningData,
  AppSecretData,
  AppSigningData,
} from "../../evidence/app.js";
import type { VirtualFS } from "../firmware/vfs.js";
import {
  AppError,
  openPackage,
  packageProblems,
  readEntry,
  readPackageFile,
  type OpenedPackage,
} from "./archive.js";
import { ArscError, parseArsc, type ResourceTable } from "./arsc.js";
import { AxmlError, attr, attrNode, boolAttr, parseAxml, TYPE, type AxmlElement } from "./axml.js";
import { DexError, isDex, readDexStrings } from "./dex.js";
import { StringScan } from "./scan.js";
import { readSigning } from "./signing.js";

export { AppError } from "./archive.js";

export interface AppAnalysis {
  sha256: string;
  manifest: AppManifestData;
  networkConfig?: AppNetworkConfigData;
  components: AppComponentData[];
  endpoints: AppEndpointData[];
  secrets: AppSecretData[];
  signing: AppSigningData;
  pinning: AppPinningData;
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

const MAX_SCAN = 64 * 1024 * 1024;
/** Bytes scanned over all dex files, assets and raw resources of one APK. */
const MAX_SCAN_TOTAL = 512 * 1024 * 1024;
const COMPONENTS: AppComponentType[] = ["activity", "activity-alias", "service", "receiver", "provider"];

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const int = (v: unknown): number | undefined =>
  typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined;

/** A boolean attribute, following a reference (@bool/x) through the resource table. */
type BoolOf = (el: AxmlElement, name: string, resId?: number) => boolean | undefined;

function boolReader(table: ResourceTable | undefined, problems: string[], path: string): BoolOf {
  return (el, name, resId) => {
    const a = attrNode(el, name, resId);
    if (a?.type === TYPE.reference && typeof a.value === "number" && table) {
      try {
        const v = table.resolve(a.value);
        if (v?.type === TYPE.bool) return v.data !== 0;
      } catch (err) {
        if (!(err instanceof ArscError)) throw err;
        problems.push(err.message);
      }
      problems.push(
        `${path}: android:${name} refers to resource 0x${a.value.toString(16)}, which is not a boolean`,
      );
      return undefined;
    }
    return boolAttr(el, name, resId);
  };
}

function parseManifestXml(root: AxmlElement, path: string, bool: BoolOf) {
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
    const declared = bool(c, "exported", R.exported);
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
  const allowBackupDeclared = app ? bool(app, "allowBackup", R.allowBackup) : undefined;
  return {
    fields: {
      package: str(attr(root, "package")) ?? "",
      versionName: str(attr(root, "versionName", R.versionName)),
      versionCode: int(attr(root, "versionCode", R.versionCode)),
      minSdk,
      targetSdk,
      debuggable: (app && bool(app, "debuggable", R.debuggable)) ?? false,
      allowBackup: allowBackupDeclared ?? true,
      allowBackupDeclared: allowBackupDeclared !== undefined,
      backupRules:
        app !== undefined &&
        (attr(app, "fullBackupContent", R.fullBackupContent) !== undefined ||
          attr(app, "dataExtractionRules", R.dataExtractionRules) !== undefined) &&
        boolAttr(app, "fullBackupContent", R.fullBackupContent) !== true,
      usesCleartextTrafficDeclared: app
        ? bool(app, "usesCleartextTraffic", R.usesCleartextTraffic)
        : undefined,
      networkSecurityConfig: app
        ? attr(app, "networkSecurityConfig", R.networkSecurityConfig) !== undefined
        : false,
      dangerousPermissions: [...new Set(permissions)].sort(),
    },
    components,
  };
}

function parseNetworkConfig(
  root: AxmlElement,
  file: string,
  resolvedBy: AppNetworkConfigData["resolvedBy"],
): AppNetworkConfigData {
  const out: AppNetworkConfigData = {
    file,
    resolvedBy,
    cleartextDomains: [],
    trustsUserCerts: false,
    baseTrustAnchors: false,
    pinSets: 0,
    pinnedDomains: [],
    pins: 0,
  };
  const domains = (el: AxmlElement) =>
    el.children.filter((c) => c.name === "domain").map((d) => d.text.trim());
  // A nested domain-config inherits its parent's pin-set unless it declares its own.
  const walk = (el: AxmlElement, inDebug: boolean, pinnedParent: boolean, depth: number) => {
    if (depth > 64) return;
    const debug = inDebug || el.name === "debug-overrides";
    let pinned = pinnedParent;
    if (el.name === "base-config") {
      out.baseCleartext = boolAttr(el, "cleartextTrafficPermitted");
      out.baseTrustAnchors = el.children.some((c) => c.name === "trust-anchors");
    }
    if (el.name === "domain-config") {
      if (boolAttr(el, "cleartextTrafficPermitted") === true) out.cleartextDomains.push(...domains(el));
      const pinSet = el.children.find((c) => c.name === "pin-set");
      if (pinSet) {
        pinned = true;
        out.pins += pinSet.children.filter((c) => c.name === "pin").length;
      }
      if (pinned && !debug) out.pinnedDomains.push(...domains(el));
    }
    if (el.name === "pin-set") out.pinSets++;
    if (el.name === "certificates" && !debug && attr(el, "src") === "user") out.trustsUserCerts = true;
    for (const c of el.children) walk(c, debug, pinned, depth + 1);
  };
  walk(root, false, false, 0);
  out.cleartextDomains = [...new Set(out.cleartextDomains)].sort();
  out.pinnedDomains = [...new Set(out.pinnedDomains)].sort();
  return out;
}

/** Parse a res/xml file and keep it if it is a network security configuration. */
function readNetworkConfig(
  fs: VirtualFS,
  path: string,
  file: string,
  resolvedBy: AppNetworkConfigData["resolvedBy"],
): AppNetworkConfigData | undefined {
  const e = fs.get(file);
  if (!e || e.type !== "file") return undefined;
  const where = `${path}!/${file}`;
  const x = parseAxml(readEntry(e, where), where);
  return x.name === "network-security-config" ? parseNetworkConfig(x, file, resolvedBy) : undefined;
}

/**
 * The network security configuration the manifest names: its resource id resolved through
 * resources.arsc to a res/xml file; when that fails, the res/xml file whose root element is
 * <network-security-config> (network_security_config.xml first), with a problem saying why.
 */
function findNetworkConfig(
  app: AxmlElement | undefined,
  fs: VirtualFS,
  table: ResourceTable | undefined,
  path: string,
  problems: string[],
): AppNetworkConfigData | undefined {
  const ref = app && attrNode(app, "networkSecurityConfig", R.networkSecurityConfig);
  if (!ref) return undefined;
  const tryRead = (file: string, by: AppNetworkConfigData["resolvedBy"]) => {
    try {
      return readNetworkConfig(fs, path, file, by);
    } catch (err) {
      if (err instanceof AxmlError || err instanceof AppError) problems.push(err.message);
      else throw err;
      return undefined;
    }
  };
  let why: string;
  if (ref.type !== TYPE.reference || typeof ref.value !== "number")
    why = "android:networkSecurityConfig is not a resource reference";
  else if (!table) why = "there is no readable resources.arsc";
  else {
    const id = ref.value;
    let file: string | undefined;
    try {
      file = table.resolve(id)?.string;
    } catch (err) {
      if (!(err instanceof ArscError)) throw err;
      problems.push(err.message);
    }
    const hex = `0x${id.toString(16)}`;
    if (!file) why = `resources.arsc does not resolve ${hex} to a file`;
    else {
      const found = tryRead(file.replace(/^\/+/, ""), "resources.arsc");
      if (found) return found;
      why = `resources.arsc resolves ${hex} to ${file}, which is not a readable <network-security-config>`;
    }
  }
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
    const found = tryRead(e.path.slice(1), "root-element");
    if (found) {
      problems.push(
        `${path}: ${why}; took ${found.file}, the res/xml file whose root is <network-security-config>`,
      );
      return found;
    }
  }
  problems.push(
    `${path}: android:networkSecurityConfig is set but ${why}, and no res/xml file holds a <network-security-config>`,
  );
  return undefined;
}

/** Endpoints, secrets and pins in the dex string tables, the resource strings, assets and raw resources. */
function scanApk(
  fs: VirtualFS,
  path: string,
  table: ResourceTable | undefined,
  problems: string[],
): StringScan {
  const found = new StringScan();
  let scanned = 0;
  for (const e of fs.list()) {
    if (e.type !== "file") continue;
    const rel = e.path.slice(1);
    const dex = /^classes\d*\.dex$/.test(rel);
    if (!dex && !rel.startsWith("assets/") && !rel.startsWith("res/raw/")) continue;
    found.file(rel, e.size);
    if (e.size > MAX_SCAN) {
      problems.push(`${path}!/${rel}: ${e.size} bytes, larger than the ${MAX_SCAN} scanned; skipped`);
      continue;
    }
    if ((scanned += e.size) > MAX_SCAN_TOTAL) {
      problems.push(
        `${path}!/${rel}: the ${MAX_SCAN_TOTAL} bytes scanned per package are spent; the rest is skipped`,
      );
      break;
    }
    let bytes: Uint8Array;
    try {
      bytes = readEntry(e, `${path}!/${rel}`);
    } catch (err) {
      if (err instanceof AppError) {
        problems.push(err.message);
        continue;
      }
      throw err;
    }
    if (dex) {
      try {
        const d = readDexStrings(bytes, `${path}!/${rel}`);
        if (d.truncated)
          problems.push(`${path}!/${rel}: ${d.truncated} strings beyond the character budget not scanned`);
        found.text(d.strings.join("\n"), rel, { config: false });
        continue;
      } catch (err) {
        if (!(err instanceof DexError)) throw err;
        // A damaged table: keep what the bytes show, and say so.
        problems.push(`${err.message}; scanned as raw bytes instead`);
      }
    } else if (isDex(bytes)) {
      // dex files hidden in assets (packers, plugins) get the same treatment
      try {
        found.text(readDexStrings(bytes, `${path}!/${rel}`).strings.join("\n"), rel, { config: false });
        continue;
      } catch (err) {
        if (!(err instanceof DexError)) throw err;
      }
    }
    found.text(Buffer.from(bytes).toString("latin1"), rel, { config: dex ? false : undefined });
  }
  if (table)
    try {
      found.text(table.allStrings(1_000_000).join("\n"), "resources.arsc", { config: false });
    } catch (err) {
      if (!(err instanceof ArscError)) throw err;
      problems.push(`${err.message}; its strings were not scanned`);
    }
  return found;
}

/** Analyze the APK at `file`; `displayPath` names it in evidence and errors. */
export function analyzeApk(file: string, displayPath = file): AppAnalysis {
  return analyzeApkBytes(readPackageFile(file, displayPath), displayPath);
}

export function analyzeApkBytes(bytes: Uint8Array, path: string): AppAnalysis {
  return analyzeAndroid(openPackage(bytes, path, "APK"), path);
}

export function analyzeAndroid(pkg: OpenedPackage, path: string): AppAnalysis {
  const { fs } = pkg;
  const problems: string[] = [];
  const manifestEntry = fs.get("AndroidManifest.xml");
  if (!manifestEntry || manifestEntry.type !== "file")
    throw new AppError(`${path}: no AndroidManifest.xml; this is not an Android package`);
  let root: AxmlElement;
  try {
    const where = `${path}!/AndroidManifest.xml`;
    root = parseAxml(readEntry(manifestEntry, where), where);
  } catch (err) {
    if (err instanceof AxmlError) throw new AppError(err.message);
    throw err;
  }
  let table: ResourceTable | undefined;
  const arsc = fs.get("resources.arsc");
  if (arsc?.type === "file") {
    try {
      const where = `${path}!/resources.arsc`;
      table = parseArsc(readEntry(arsc, where), where);
    } catch (err) {
      if (err instanceof ArscError || err instanceof AppError) problems.push(err.message);
      else throw err;
    }
  }
  const { fields, components } = parseManifestXml(root, path, boolReader(table, problems, path));
  const app = root.children.find((c) => c.name === "application");
  const networkConfig = findNetworkConfig(app, fs, table, path, problems);
  const found = scanApk(fs, path, table, problems);
  const endpoints = found.endpointList();
  const signing: AppSigningData = {
    ...readSigning(pkg.bytes, fs, path),
    ...(fields.package ? { package: fields.package } : {}),
    ...(fields.minSdk !== undefined ? { minSdk: fields.minSdk } : {}),
  };
  const defaultCleartext = (fields.targetSdk ?? 1) < 28;
  const cleartextPermitted = networkConfig
    ? (networkConfig.baseCleartext ?? defaultCleartext)
    : (fields.usesCleartextTrafficDeclared ?? defaultCleartext);
  // Android 7 (API 24) stopped trusting user-added CAs by default; a base-config with its own
  // trust-anchors replaces the default either way.
  const userCAs: AppManifestData["userCAs"] = networkConfig?.trustsUserCerts
    ? "trusted-by-config"
    : (fields.targetSdk ?? 1) <= 23 && !networkConfig?.baseTrustAnchors
      ? "trusted-by-default"
      : "not-trusted";
  const exportedUnprotected = components.filter((c) => c.exported && !c.permission && !c.launcher).length;
  const pinning: AppPinningData = { path, platform: "android", mechanisms: [] };
  if (networkConfig && networkConfig.pinSets > 0)
    pinning.mechanisms.push({
      kind: "network-security-config",
      detail: `pin-set for ${networkConfig.pinnedDomains.join(", ") || "no domain"} (${networkConfig.pins} pin${networkConfig.pins === 1 ? "" : "s"})`,
      file: networkConfig.file,
    });
  pinning.mechanisms.push(...found.pinMechanisms());
  return {
    sha256: pkg.sha256,
    manifest: {
      path,
      platform: "android",
      ...fields,
      cleartextPermitted,
      userCAs,
      secrets: found.secrets.length,
      httpEndpoints: endpoints.length,
      exportedUnprotected,
      problems: [...problems, ...packageProblems(pkg)],
    },
    networkConfig,
    components: components.filter((c) => c.exported),
    endpoints,
    secrets: found.secrets,
    signing,
    pinning,
  };
}
