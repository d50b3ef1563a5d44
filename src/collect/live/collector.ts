// Live evidence inside `concord assess`: the device address the manifest names is probed (scan,
// identification and every tester) only when the user asked for live testing (--live). Without
// it nothing on the network is touched, and the live checks stay unknown.
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
