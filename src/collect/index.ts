// Every collector Concord has. The plan picks those whose source the manifest names.
import type { AnalyzeOptions } from "./firmware/analyze.js";
import { firmwareCollector } from "./firmware/collector.js";
import { manifestCollector } from "./manifest/collector.js";
import type { Collector } from "./types.js";

export interface CollectorOptions {
  firmware?: AnalyzeOptions;
}

export function makeCollectors(opts: CollectorOptions = {}): Collector[] {
  return [manifestCollector, firmwareCollector(opts.firmware)];
}

export const COLLECTORS: readonly Collector[] = makeCollectors();
