// The companion-app collector: every app the manifest names (artifacts.apps with a path) becomes
// evidence pointing at the package (sha256). Android packages give app.manifest, their network
// configuration, exported components, signature and pinning; iOS apps give app.ios-bundle and
// pinning; both give plain-HTTP endpoints and secrets.
import { extname, isAbsolute, join, relative } from "node:path";
import { APP, type AppPlatform } from "../../evidence/app.js";
import { makeEvidence, type Evidence } from "../../evidence/types.js";
import { InputError } from "../../util/problems.js";
import type { CollectContext, Collector } from "../types.js";
import { analyzeAndroid, type AppAnalysis } from "./analyze.js";
import { AppError, openPackage, readPackageFile } from "./archive.js";
import { analyzeIos, findBundle, type IosAnalysis } from "./ios/analyze.js";

const ID = "app";
export const APP_COLLECTOR_VERSION = "2.0.0";

function source(path: string, sha256: string, at: string) {
  return (location: string) => ({
    collector: ID,
    version: APP_COLLECTOR_VERSION,
    artifact: { path, sha256 },
    location: `${path}!/${location}`,
    at,
  });
}

export function appEvidence(a: AppAnalysis, at: string): Evidence[] {
  const src = source(a.manifest.path, a.sha256, at);
  const out: Evidence[] = [makeEvidence(APP.manifest, "app", a.manifest, src("AndroidManifest.xml"))];
  if (a.networkConfig)
    out.push(makeEvidence(APP.networkConfig, "app", a.networkConfig, src(a.networkConfig.file)));
  for (const c of a.components) out.push(makeEvidence(APP.component, "app", c, src("AndroidManifest.xml")));
  for (const e of a.endpoints) out.push(makeEvidence(APP.endpoint, "app", e, src(e.file)));
  for (const s of a.secrets) out.push(makeEvidence(APP.secret, "app", s, src(s.file)));
  out.push(makeEvidence(APP.signing, "app", a.signing, src("META-INF")));
  out.push(makeEvidence(APP.pinning, "app", a.pinning, src("AndroidManifest.xml")));
  return out;
}

export function iosEvidence(a: IosAnalysis, at: string): Evidence[] {
  const src = source(a.bundle.path, a.sha256, at);
  const out: Evidence[] = [makeEvidence(APP.iosBundle, "app", a.bundle, src(a.infoPlist))];
  for (const e of a.endpoints) out.push(makeEvidence(APP.endpoint, "app", e, src(e.file)));
  for (const s of a.secrets) out.push(makeEvidence(APP.secret, "app", s, src(s.file)));
  out.push(makeEvidence(APP.pinning, "app", a.pinning, src(a.infoPlist)));
  return out;
}

export type AnyAppAnalysis =
  { platform: "android"; analysis: AppAnalysis } | { platform: "ios"; analysis: IosAnalysis };

/**
 * Analyze the app package at `file`, shown as `shown`. The platform comes from the manifest, else
 * from the extension (.apk, .ipa), else from the content (AndroidManifest.xml or Payload/*.app).
 */
export function analyzeAppFile(file: string, shown: string, platform?: AppPlatform): AnyAppAnalysis {
  const ext = extname(file).toLowerCase();
  const want = platform ?? (ext === ".apk" ? "android" : ext === ".ipa" ? "ios" : undefined);
  const kind = want === "android" ? "APK" : want === "ios" ? "IPA" : "app package";
  const pkg = openPackage(readPackageFile(file, shown), shown, kind);
  if (want === "android" || (!want && pkg.fs.get("AndroidManifest.xml")))
    return { platform: "android", analysis: analyzeAndroid(pkg, shown) };
  if (want === "ios" || findBundle(pkg.fs).length > 0)
    return { platform: "ios", analysis: analyzeIos(pkg, shown) };
  throw new AppError(
    `${shown}: neither AndroidManifest.xml nor Payload/<name>.app/Info.plist; this is not an app package`,
  );
}

export function anyAppEvidence(a: AnyAppAnalysis, at: string): Evidence[] {
  return a.platform === "android" ? appEvidence(a.analysis, at) : iosEvidence(a.analysis, at);
}

export const appCollector: Collector = {
  id: ID,
  version: APP_COLLECTOR_VERSION,
  applies: (ctx) => (ctx.manifest.manifest.artifacts?.apps ?? []).some((a) => a.path !== undefined),
  // eslint-disable-next-line @typescript-eslint/require-await -- analysis is synchronous; the interface is async for network collectors
  async *collect(ctx: CollectContext): AsyncIterable<Evidence> {
    for (const app of ctx.manifest.manifest.artifacts?.apps ?? []) {
      if (!app.path) continue; // an app named by store id only is not downloaded
      const abs = isAbsolute(app.path) ? app.path : join(ctx.manifest.dir, app.path);
      const shown = relative(ctx.manifest.dir, abs) || app.path;
      try {
        yield* anyAppEvidence(analyzeAppFile(abs, shown, app.platform), ctx.at);
      } catch (err) {
        if (err instanceof AppError)
          throw new InputError(
            [
              {
                file: shown,
                message: err.message,
                fix: `check that artifacts.apps[].path names a complete ${app.platform === "ios" ? ".ipa" : ".apk"}`,
              },
            ],
            "cannot read the companion app",
          );
        throw err;
      }
    }
  },
};
