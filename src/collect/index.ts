// Every collector Concord has. The plan picks those whose source the manifest names.
import { firmwareCollector } from "./firmware/collector.js";
import { manifestCollector } from "./manifest/collector.js";
import type { Collector } from "./types.js";

export const COLLECTORS: readonly Collector[] = [manifestCollector, firmwareCollector()];
