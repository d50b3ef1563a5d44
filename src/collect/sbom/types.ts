// What the SBOM readers produce: components one at a time, the document's own metadata, and
// problems naming the file, the place in it (a JSON path, an XML element path or a line) and the
// field.

import type { Problem } from "../../util/problems.js";

export type SbomFormat = "cyclonedx-json" | "cyclonedx-xml" | "spdx-json" | "spdx-tag-value";

export interface SbomHash {
  /** CycloneDX spelling: SHA-1, SHA-256, SHA3-256, MD5, BLAKE2b-256 ... */
  alg: string;
  value: string;
}

export interface SbomComponent {
  name: string;
  /** "" when the document gives none. */
  version: string;
  /** CycloneDX group (a Maven groupId, an npm scope). */
  group?: string;
  purl?: string;
  cpe?: string;
  supplier?: string;
  hashes?: SbomHash[];
  /** SPDX identifiers or expressions, or free licence names. */
  licenses?: string[];
  /** CycloneDX bom-ref or SPDX SPDXID. */
  bomRef?: string;
  /** CycloneDX component type, or SPDX primaryPackagePurpose in lower case. */
  type?: string;
  /** Where it was read: "$.components[3].components[0]", "/bom/components/component[2]", "line 40". */
  location: string;
  line: number;
  col: number;
}

export interface SbomDocument {
  file: string;
  format: SbomFormat;
  /** "1.6", "SPDX-2.3" */
  specVersion?: string;
  /** CycloneDX serialNumber; SPDX documentNamespace. */
  serialNumber?: string;
  /** CycloneDX BOM version. */
  version?: number;
  /** SPDX document name. */
  name?: string;
  /** CycloneDX metadata.timestamp; SPDX creationInfo.created. */
  created?: string;
  /** The component the SBOM describes: CycloneDX metadata.component; the package an SPDX document DESCRIBES. */
  subject?: SbomComponent;
  /** The subject's bom-ref or SPDXID, also when the subject itself could not be read. */
  subjectRef?: string;
}

export interface SbomProblem extends Problem {
  /** The record and field: "$.components[2].purl", "/bom/components/component[1]/name", "line 14". */
  path: string;
  field?: string;
  /** Reading stopped here; components read before are kept. */
  fatal: boolean;
}

export interface SbomSummary {
  /** undefined only when the format could not be recognised. */
  document: SbomDocument | undefined;
  /** Components delivered. */
  count: number;
  problems: SbomProblem[];
}

export interface SbomResult extends SbomSummary {
  components: SbomComponent[];
}

export type ComponentSink = (c: SbomComponent) => void;
