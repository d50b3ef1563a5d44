// A collector turns one evidence source into typed evidence. It is the only step that touches the
// world (files, network); everything after it is a pure function of the evidence.
import type { LoadedManifest } from "../manifest/load.js";
import type { Evidence, EvidenceIndex } from "../evidence/types.js";

export interface CollectContext {
  manifest: LoadedManifest;
  /** The assessment's single timestamp, stamped on all evidence it collects. */
  at: string;
  /** The date the assessment judges by (YYYY-MM-DD): collectors that judge dates use it, not `at`. */
  asOf?: string;
  /** Evidence the collectors before this one produced (the vulnerability matcher reads components). */
  evidence: EvidenceIndex;
}

export interface Collector {
  id: string;
  version: string;
  /** Whether this collector has anything to read in this manifest; the plan only runs those. */
  applies(ctx: CollectContext): boolean;
  collect(ctx: CollectContext): AsyncIterable<Evidence>;
}
