// Evidence kinds of the SBOM and vulnerability collectors.
import type { ComponentData } from "./firmware.js";

export const VULN = {
  /** A component read from an SBOM the manifest names (data: ComponentData). */
  sbomComponent: "sbom.component",
  /** One per matching run: which components were matched against which database. */
  scan: "vuln.scan",
  /** A known vulnerability of a shipped component. */
  match: "vuln.match",
} as const;

export type SbomComponentData = ComponentData;

export interface VulnScanData {
  components: number;
  /** Records per source in the database, and when each was last imported. */
  database: { path: string; sources: Record<string, { records: number; importedAt?: string }> };
  vexStatements: number;
  problems: string[];
}

export interface VulnMatchData {
  component: {
    name: string;
    version: string;
    purl?: string;
    cpe?: string;
    evidence: string;
    from: "firmware" | "sbom";
  };
  id: string;
  aliases: string[];
  summary?: string;
  severity?: { score?: number; version: string; vector: string };
  epss?: { score: number; percentile: number; date?: string };
  kev?: { dateAdded: string; ransomware: boolean; dueDate?: string };
  fixedVersions: string[];
  confidence: number;
  reason: string;
  /** Set when a VEX statement says the product is not affected or the flaw is fixed. */
  suppressed?: { status: string; justification?: string; source: string };
}
