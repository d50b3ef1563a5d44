// Live evidence inside `concord assess`: the device address the manifest names is probed (scan,
// identification and every tester), and its cloud endpoints get the TLS audit and an
// unauthenticated request, only when the user asked for live testing (--live). Without it nothing
// on the network is touched, and the live checks stay unknown.
import { auditCloudEndpoints } from "../cloud/audit.js";
import { DEFAULT_LOGIN_CONCURRENCY } from "../probe/creds/options.js";
import { runProbe, type ProbeOptions } from "../probe/run.js";
import type { CollectContext, Collector } from "../types.js";

export interface LiveOptions {
  /** Probe options (limits, --allow-public, testers to skip). Absent: no live testing. */
  probe?: ProbeOptions;
}

export function liveDeviceCollector(opts: LiveOptions = {}): Collector {
  return {
    id: "probe",
    version: "0.2.0",
    applies: (ctx) => opts.probe !== undefined && ctx.manifest.manifest.artifacts?.device !== undefined,
    async *collect(ctx: CollectContext) {
      const device = ctx.manifest.manifest.artifacts!.device!;
      const r = await runProbe([device.address], {
        loginConcurrency: DEFAULT_LOGIN_CONCURRENCY,
        ...opts.probe,
        ports: device.ports?.join(",") ?? opts.probe?.ports,
        at: ctx.at,
      });
      const refused = r.scan.targets.filter((t) => !t.allowed);
      if (refused.length > 0)
        throw new Error(
          `artifacts.device.address ${device.address} was not probed: ${refused.map((t) => t.reason).join("; ")}`,
        );
      yield* r.evidence;
    },
  };
}

/** The manifest's cloud endpoints, audited with the same scope rules (public hosts need --allow-public). */
export function liveCloudCollector(opts: LiveOptions = {}): Collector {
  return {
    id: "cloud",
    version: "0.1.0",
    applies: (ctx) => opts.probe !== undefined && (ctx.manifest.manifest.artifacts?.cloud ?? []).length > 0,
    async *collect(ctx: CollectContext) {
      const endpoints = ctx.manifest.manifest.artifacts!.cloud!;
      const r = await auditCloudEndpoints(endpoints, {
        allowPublic: opts.probe?.allowPublic,
        rate: opts.probe?.rate,
        concurrency: opts.probe?.concurrency,
        timeoutMs: opts.probe?.timeoutMs,
        budgetMs: opts.probe?.budgetMs,
        at: ctx.at,
      });
      yield* r.evidence;
    },
  };
}
