// VEX statements from CycloneDX, OpenVEX and CSAF, in one shape: which vulnerability, which
// product (by purl, CPE, name and version, or bom-ref), what its status is and why.

import type { SbomProblem } from "../sbom/types.js";

export type VexStatus = "not_affected" | "affected" | "fixed" | "under_investigation";
export type VexFormat = "cyclonedx" | "openvex" | "csaf";

/** A version or a vers range (https://github.com/package-url/purl-spec/blob/master/VERSION-RANGE-SPEC.rst). */
export interface VexVersion {
  version?: string;
  range?: string;
}

export interface VexProduct {
  purl?: string;
  cpe?: string;
  name?: string;
  version?: string;
  /** CycloneDX bom-ref (or BOM-Link "urn:cdx:<serial>/<version>#<bom-ref>"). */
  bomRef?: string;
  /** CycloneDX affects[].versions: the statement covers only these versions. */
  versions?: VexVersion[];
}

export interface VexSource {
  format: VexFormat;
  file: string;
  /** Where the statement was read: "$.vulnerabilities[0].affects[1]". */
  location: string;
  line?: number;
  col?: number;
  /** The document's author or publisher, when it names one. */
  author?: string;
}

export interface VexStatement {
  /** CVE id when the source gives one, else the source's own id. */
  vulnerability: string;
  /** Other ids of the same vulnerability (GHSA, vendor ids). */
  aliases: string[];
  product: VexProduct;
  /** The product the statement's product is part of (OpenVEX subcomponents, CSAF relationships). */
  within?: VexProduct;
  status: VexStatus;
  /** As the source spells it: CycloneDX justification, OpenVEX justification or CSAF flag label. */
  justification?: string;
  impactStatement?: string;
  actionStatement?: string;
  /** CycloneDX analysis.response (can_not_fix, will_not_fix, update, rollback, workaround_available). */
  response?: string[];
  /** When the statement was made (ISO 8601), statement or document time. */
  timestamp?: string;
  source: VexSource;
}

export interface VexDocument {
  file: string;
  format: VexFormat;
  id?: string;
  author?: string;
  timestamp?: string;
  version?: string;
}

export interface VexResult {
  document: VexDocument | undefined;
  statements: VexStatement[];
  problems: SbomProblem[];
}
