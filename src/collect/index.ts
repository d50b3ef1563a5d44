// Every collector Concord has. The plan picks those whose source the manifest names.
import { appCollector } from "./app/collector.js";
import type { AnalyzeOptions } from "./firmware/analyze.js";
import { firmwareCollector } from "./firmware/collector.js";
import { manifestCollector } from "./manifest/collector.js";
import { sbomCollector } from "./sbom/collector.js";
import { vulnCollector, type VulnCollectorOptions } from "./vuln/collector.js";
import type { Collector } from "./types.js";

export interface CollectorOptions {
  firmware?: AnalyzeOptions;
  vuln?: VulnCollectorOptions;
}

export function makeCollectors(opts: CollectorOptions = {}): Collector[] {
  // Order matters: the vulnerability matcher reads the components the others found.
  return [
    manifestCollector,
    firmwareCollector(opts.firmware),
    sbomCollector,
    appCollector,
    vulnCollector(opts.vuln),
  ];
}

export const COLLECTORS: readonly Collector[] = makeCollectors();
