// The companion-app collector: every Android package the manifest names (artifacts.apps with a
// path, platform android) becomes app.manifest evidence plus its network configuration, exported
// components, plain-HTTP endpoints and shaped tokens, each pointing at the APK (sha256).
import { isAbsolute, join, relative } from "node:path";
import { APP } from "../../evidence/app.js";
import { makeEvidence, type Evidence } from "../../evidence/types.js";
import { InputError } from "../../util/problems.js";
import type { CollectContext, Collector } from "../types.js";
import { AppError, analyzeApk, type AppAnalysis } from "./analyze.js";

const ID = "app";
export const APP_COLLECTOR_VERSION = "1.0.0";

export function appEvidence(a: AppAnalysis, at: string): Evidence[] {
  const artifact = { path: a.manifest.path, sha256: a.sha256 };
  const src = (location: string) => ({
    collector: ID,
    version: APP_COLLECTOR_VERSION,
    artifact,
    location: `${a.manifest.path}!/${location}`,
    at,
  });
  const out: Evidence[] = [makeEvidence(APP.manifest, "app", a.manifest, src("AndroidManifest.xml"))];
  if (a.networkConfig)
    out.push(makeEvidence(APP.networkConfig, "app", a.networkConfig, src(a.networkConfig.file)));
  for (const c of a.components) out.push(makeEvidence(APP.component, "app", c, src("AndroidManifest.xml")));
  for (const e of a.endpoints) out.push(makeEvidence(APP.endpoint, "app", e, src(e.file)));
  for (const s of a.secrets) out.push(makeEvidence(APP.secret, "app", s, src(s.file)));
  return out;
}

export const appCollector: Collector = {
  id: ID,
  version: APP_COLLECTOR_VERSION,
  applies: (ctx) =>
    (ctx.manifest.manifest.artifacts?.apps ?? []).some(
      (a) => a.platform === "android" && a.path !== undefined,
    ),
  // eslint-disable-next-line @typescript-eslint/require-await -- analysis is synchronous; the interface is async for network collectors
  async *collect(ctx: CollectContext): AsyncIterable<Evidence> {
    for (const app of ctx.manifest.manifest.artifacts?.apps ?? []) {
      if (app.platform !== "android" || !app.path) continue; // iOS packages are not read yet
      const abs = isAbsolute(app.path) ? app.path : join(ctx.manifest.dir, app.path);
      const shown = relative(ctx.manifest.dir, abs) || app.path;
      try {
        yield* appEvidence(analyzeApk(abs, shown), ctx.at);
      } catch (err) {
        if (err instanceof AppError)
          throw new InputError(
            [
              {
                file: shown,
                message: err.message,
                fix: "check that artifacts.apps[].path names a complete .apk",
              },
            ],
            "cannot read the companion app",
          );
        throw err;
      }
    }
  },
};
