// VEX: statements from CycloneDX, OpenVEX 0.2 and CSAF 2.0 documents in one shape, whether a
// statement covers a component, and the product's own CycloneDX 1.6 VEX.

export type {
  VexDocument,
  VexFormat,
  VexProduct,
  VexResult,
  VexSource,
  VexStatement,
  VexStatus,
  VexVersion,
} from "./types.js";
export { VexReader, parseVex, readVex } from "./read.js";
export {
  aboutVulnerability,
  applies,
  cpeCovers,
  explainApplies,
  inVers,
  parseVers,
  purlCovers,
  type Applicability,
  type VexComponent,
} from "./applies.js";
export {
  cdxJustification,
  decidingStatement,
  toCycloneDxVex,
  type CycloneDxVexOptions,
  type VexProductInfo,
  type VulnerabilityMatch,
} from "./write.js";
