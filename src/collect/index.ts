// Every collector Concord has. The plan picks those whose source the manifest names.
import { appCollector } from "./app/collector.js";
import { disclosureCollector, type DisclosureCollectorOptions } from "./disclosure/collector.js";
import type { AnalyzeOptions } from "./firmware/analyze.js";
import { firmwareCollector } from "./firmware/collector.js";
import { liveCloudCollector, liveDeviceCollector, type LiveOptions } from "./live/collector.js";
import { manifestCollector } from "./manifest/collector.js";
import { sbomCollector } from "./sbom/collector.js";
import { vulnCollector, type VulnCollectorOptions } from "./vuln/collector.js";
import type { Collector } from "./types.js";

export interface CollectorOptions {
  firmware?: AnalyzeOptions;
  vuln?: VulnCollectorOptions;
  /** Live testing of the manifest's device address (and cloud endpoints); off unless given. */
  live?: LiveOptions;
  /** security.txt and CSAF provider metadata; fetched from the web only with { network: true }. */
  disclosure?: DisclosureCollectorOptions;
}

export function makeCollectors(opts: CollectorOptions = {}): Collector[] {
  // Order matters: the vulnerability matcher reads the components the others found.
  return [
    manifestCollector,
    firmwareCollector(opts.firmware),
    sbomCollector,
    appCollector,
    liveDeviceCollector(opts.live),
    liveCloudCollector(opts.live),
    disclosureCollector(opts.disclosure),
    vulnCollector(opts.vuln),
  ];
}

export const COLLECTORS: readonly Collector[] = makeCollectors();
