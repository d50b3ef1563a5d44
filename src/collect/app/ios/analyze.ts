// An iOS app (.ipa) is a ZIP archive holding Payload/<Name>.app: read its Info.plist (binary or
// XML) for the bundle identity, URL schemes and App Transport Security settings, the executable
// (Mach-O) for its string sections and code-signature entitlements, the embedded provisioning
// profile for the kind of build, and the bundle's configuration resources for endpoints and
// secrets. Frameworks and plug-ins are not scanned: their strings belong to their own vendors.
import type {
  AppEndpointData,
  AppPinningData,
  AppSecretData,
  IosAtsData,
  IosBundleData,
} from "../../../evidence/app.js";
import type { VirtualFS } from "../../firmware/vfs.js";
import {
  AppError,
  openPackage,
  packageProblems,
  readEntry,
  readPackageFile,
  type OpenedPackage,
} from "../archive.js";
import { StringScan } from "../scan.js";
import { isMachO, MachOError, readMachO } from "./macho.js";
import {
  parsePlist,
  parseXmlPlist,
  pArray,
  pBool,
  pDict,
  PlistError,
  plistStrings,
  pStr,
  type PlistDict,
  type PlistValue,
} from "./plist.js";

export interface IosAnalysis {
  sha256: string;
  bundle: IosBundleData;
  /** Where the Info.plist is inside the IPA ("Payload/Cam.app/Info.plist"). */
  infoPlist: string;
  endpoints: AppEndpointData[];
  secrets: AppSecretData[];
  pinning: AppPinningData;
}

const MAX_RESOURCE = 4 * 1024 * 1024;
const MAX_RESOURCES = 2000;
/** Bytes of bundle resources scanned per app. */
const MAX_RESOURCE_TOTAL = 128 * 1024 * 1024;
const MAX_DOMAINS = 1000;
const RESOURCE = /\.(json|plist|xml|txt|js|html?|strings|conf|cfg|ini|properties|ya?ml|env)$/i;
const SKIP_DIRS = /\/(Frameworks|PlugIns|Watch|_CodeSignature|SC_Info)\//;

/** Analyze the IPA at `file`; `displayPath` names it in evidence and errors. */
export function analyzeIpa(file: string, displayPath = file): IosAnalysis {
  return analyzeIpaBytes(readPackageFile(file, displayPath), displayPath);
}

export function analyzeIpaBytes(bytes: Uint8Array, path: string): IosAnalysis {
  return analyzeIos(openPackage(bytes, path, "IPA"), path);
}

/** The bundle directory: the one Payload/<name>.app with an Info.plist. */
export function findBundle(fs: VirtualFS): string[] {
  return fs
    .list()
    .map((e) => /^\/(Payload\/[^/]+\.app)\/Info\.plist$/.exec(e.path)?.[1])
    .filter((x): x is string => x !== undefined)
    .sort();
}

function readPlistEntry(fs: VirtualFS, path: string, rel: string): PlistValue {
  const e = fs.get(rel);
  const where = `${path}!/${rel}`;
  if (!e || e.type !== "file") throw new AppError(`${where}: missing`);
  try {
    return parsePlist(readEntry(e, where), where);
  } catch (err) {
    if (err instanceof PlistError) throw new AppError(err.message);
    throw err;
  }
}

const majorOf = (v: string | undefined) => (v && /^\d+/.test(v) ? Number(/^\d+/.exec(v)![0]) : undefined);

export function readAts(d: PlistDict | undefined, minimumOS: string | undefined): IosAtsData {
  const allowsArbitraryLoads = pBool(d?.NSAllowsArbitraryLoads) ?? false;
  // From iOS 10, NSAllowsArbitraryLoads is ignored when any of the finer keys is present.
  const finer = [
    "NSAllowsArbitraryLoadsForMedia",
    "NSAllowsArbitraryLoadsInWebContent",
    "NSAllowsLocalNetworking",
  ];
  const overridden = d !== undefined && finer.some((k) => d[k] !== undefined);
  const os = majorOf(minimumOS);
  const exceptionDomains: IosAtsData["exceptionDomains"] = [];
  const domains = pDict(d?.NSExceptionDomains);
  for (const [domain, v] of Object.entries(domains ?? {}).slice(0, MAX_DOMAINS)) {
    const x = pDict(v);
    if (!x) continue;
    const either = (name: string) =>
      x[`NSException${name}`] ?? x[`NSTemporaryException${name}`] ?? x[`NSThirdPartyException${name}`];
    const tls = pStr(either("MinimumTLSVersion"));
    exceptionDomains.push({
      domain: domain.toLowerCase(),
      includesSubdomains: pBool(x.NSIncludesSubdomains) ?? false,
      allowsInsecureHTTPLoads: pBool(either("AllowsInsecureHTTPLoads")) ?? false,
      ...(tls ? { minimumTLSVersion: tls } : {}),
      requiresForwardSecrecy: pBool(either("RequiresForwardSecrecy")) ?? true,
    });
  }
  exceptionDomains.sort((a, b) => (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0));
  return {
    declared: d !== undefined,
    allowsArbitraryLoads,
    arbitraryLoadsEffective: allowsArbitraryLoads && !(overridden && (os === undefined || os >= 10)),
    allowsArbitraryLoadsForMedia: pBool(d?.NSAllowsArbitraryLoadsForMedia) ?? false,
    allowsArbitraryLoadsInWebContent: pBool(d?.NSAllowsArbitraryLoadsInWebContent) ?? false,
    allowsLocalNetworking: pBool(d?.NSAllowsLocalNetworking) ?? false,
    exceptionDomains,
    pinnedDomains: Object.keys(pDict(d?.NSPinnedDomains) ?? {})
      .slice(0, MAX_DOMAINS)
      .map((x) => x.toLowerCase())
      .sort(),
  };
}

/** The XML plist inside a provisioning profile (a CMS envelope around it). */
function profilePlist(b: Uint8Array, where: string): PlistDict | undefined {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  let start = buf.indexOf("<?xml");
  if (start < 0) start = buf.indexOf("<plist");
  const end = buf.indexOf("</plist>", Math.max(0, start));
  if (start < 0 || end < 0 || end - start > 1024 * 1024) return undefined;
  return pDict(parseXmlPlist(buf.toString("utf8", start, end + 8), where));
}

function profileKind(p: PlistDict): NonNullable<IosBundleData["provisioning"]> {
  if (pBool(p.ProvisionsAllDevices)) return "enterprise";
  if (Array.isArray(p.ProvisionedDevices))
    return pBool(pDict(p.Entitlements)?.["get-task-allow"]) ? "development" : "ad-hoc";
  return "app-store";
}

export function analyzeIos(pkg: OpenedPackage, path: string): IosAnalysis {
  const { fs } = pkg;
  const problems: string[] = [];
  const bundles = findBundle(fs);
  if (bundles.length === 0)
    throw new AppError(`${path}: no Payload/<name>.app/Info.plist; this is not an iOS app`);
  if (bundles.length > 1)
    problems.push(`${path}: ${bundles.length} app bundles under Payload/; read ${bundles[0]}`);
  const dir = bundles[0]!;
  const infoPlist = `${dir}/Info.plist`;
  const info = pDict(readPlistEntry(fs, path, infoPlist));
  if (!info) throw new AppError(`${path}!/${infoPlist}: the top-level object is not a dictionary`);
  const minimumOS = pStr(info.MinimumOSVersion);
  const executable = pStr(info.CFBundleExecutable);
  const urlSchemes = [
    ...new Set(
      // Bounded: a binary plist can make every entry share one huge array.
      pArray(info.CFBundleURLTypes)
        .slice(0, 100)
        .flatMap((t) =>
          pArray(pDict(t)?.CFBundleURLSchemes)
            .slice(0, 100)
            .flatMap((s) => (typeof s === "string" ? [s] : [])),
        ),
    ),
  ].sort();
  const ats = readAts(pDict(info.NSAppTransportSecurity), minimumOS);
  const found = new StringScan();
  const pinning: AppPinningData = { path, platform: "ios", mechanisms: [] };
  if (ats.pinnedDomains.length)
    pinning.mechanisms.push({
      kind: "ats-pinned-domains",
      detail: `NSPinnedDomains for ${ats.pinnedDomains.join(", ")}`,
      file: infoPlist,
    });
  const tsk = pDict(pDict(info.TSKConfiguration)?.TSKPinnedDomains);
  if (tsk)
    pinning.mechanisms.push({
      kind: "trustkit",
      detail: `TrustKit pins for ${Object.keys(tsk).slice(0, 20).join(", ")}`,
      file: infoPlist,
    });

  const bundle: IosBundleData = {
    path,
    platform: "ios",
    bundleId: pStr(info.CFBundleIdentifier) ?? "",
    ...(pStr(info.CFBundleShortVersionString) ? { version: pStr(info.CFBundleShortVersionString) } : {}),
    ...(pStr(info.CFBundleVersion) ? { build: pStr(info.CFBundleVersion) } : {}),
    ...(minimumOS ? { minimumOS } : {}),
    ...(executable ? { executable } : {}),
    urlSchemes,
    ats,
    encrypted: false,
    httpEndpoints: 0,
    secrets: 0,
    problems,
  };

  // The executable: string sections and entitlements.
  const exeRel = executable && !executable.includes("/") ? `${dir}/${executable}` : undefined;
  const exe = exeRel ? fs.get(exeRel) : undefined;
  if (!exeRel || !exe || exe.type !== "file")
    problems.push(
      `${path}: the executable ${executable ? `${dir}/${executable}` : "(CFBundleExecutable is not set)"} is missing`,
    );
  else {
    const where = `${path}!/${exeRel}`;
    try {
      const bytes = readEntry(exe, where);
      if (!isMachO(bytes)) throw new MachOError(`${where}: not a Mach-O executable`);
      for (const slice of readMachO(bytes, where)) {
        if (slice.encrypted) bundle.encrypted = true;
        for (const s of slice.strings) found.text(s.text, exeRel, { config: false });
        if (slice.entitlements && bundle.getTaskAllow === undefined) {
          const ent = pDict(parsePlist(slice.entitlements, `${where} entitlements`));
          const gta = pBool(ent?.["get-task-allow"]);
          bundle.getTaskAllow = gta ?? false;
          bundle.entitlementsFrom = "code-signature";
        }
      }
      if (bundle.encrypted)
        problems.push(`${where}: FairPlay-encrypted (an App Store download); its strings were not read`);
    } catch (err) {
      if (err instanceof MachOError || err instanceof PlistError || err instanceof AppError)
        problems.push(err.message);
      else throw err;
    }
  }

  // The provisioning profile: the kind of build, and get-task-allow when the signature did not say.
  const profileRel = `${dir}/embedded.mobileprovision`;
  const profile = fs.get(profileRel);
  if (profile?.type === "file") {
    const where = `${path}!/${profileRel}`;
    try {
      const p = profilePlist(readEntry(profile, where), where);
      if (!p) problems.push(`${where}: no property list inside the profile`);
      else {
        bundle.provisioning = profileKind(p);
        if (bundle.getTaskAllow === undefined) {
          bundle.getTaskAllow = pBool(pDict(p.Entitlements)?.["get-task-allow"]) ?? false;
          bundle.entitlementsFrom = "provisioning-profile";
        }
      }
    } catch (err) {
      if (err instanceof PlistError || err instanceof AppError) problems.push(err.message);
      else throw err;
    }
  }

  // Configuration resources of the main bundle.
  let resources = 0;
  let resourceBytes = 0;
  for (const e of fs.list()) {
    if (e.type !== "file" || !e.path.startsWith(`/${dir}/`) || SKIP_DIRS.test(e.path.slice(dir.length + 1)))
      continue;
    const rel = e.path.slice(1);
    found.file(rel, e.size);
    if (!RESOURCE.test(rel) || rel === infoPlist) continue;
    if (e.size > MAX_RESOURCE) continue;
    if (++resources > MAX_RESOURCES || (resourceBytes += e.size) > MAX_RESOURCE_TOTAL) {
      problems.push(
        `${path}: more resources than the ${MAX_RESOURCES} files or ${MAX_RESOURCE_TOTAL} bytes scanned; the rest is skipped`,
      );
      break;
    }
    try {
      found.text(Buffer.from(readEntry(e, `${path}!/${rel}`)).toString("latin1"), rel);
    } catch (err) {
      if (err instanceof AppError) problems.push(err.message);
      else throw err;
    }
  }
  // The Info.plist itself: API keys and endpoints are often written there.
  found.text(plistStrings(info).join("\n"), infoPlist, { config: false });
  pinning.mechanisms.push(...found.pinMechanisms());
  const endpoints = found.endpointList();
  bundle.httpEndpoints = endpoints.length;
  bundle.secrets = found.secrets.length;
  bundle.problems = [...problems, ...packageProblems(pkg)];
  return { sha256: pkg.sha256, bundle, infoPlist, endpoints, secrets: found.secrets, pinning };
}
