// Reading SBOMs: CycloneDX 1.4-1.6 (JSON and XML) and SPDX 2.2/2.3 (JSON and tag-value), streamed
// component by component, the format told from the content.

export type {
  ComponentSink,
  SbomComponent,
  SbomDocument,
  SbomFormat,
  SbomHash,
  SbomProblem,
  SbomResult,
  SbomSummary,
} from "./types.js";
export {
  SbomReader,
  detectSbomFormat,
  parseSbom,
  readSbom,
  scanSbom,
  type Detected,
  type SbomReaderOptions,
} from "./read.js";
export { toComponentData } from "./component-data.js";
export {
  JsonStream,
  JsonSyntaxError,
  parseJsonWithPositions,
  positionOf,
  formatPath,
  type JsonSink,
  type Pos,
} from "./json-stream.js";
export { XmlStream, XmlSyntaxError, type XmlElement, type XmlHandler } from "./xml-stream.js";
