// Vulnerability intelligence, the pure core: version orderings, CPE names, identities and range
// matching. No I/O: the store that holds NVD and OSV records calls these.

export * from "./versions/index.js";
export {
  ANY,
  NA,
  CPE_ATTRIBUTES,
  CpeError,
  compareAttribute,
  compareCpe,
  cpeMatches,
  formatCpe23,
  formatCpeUri,
  makeWfn,
  parseCpe,
  parseCpe23,
  parseCpeUri,
  quoteValue,
  tryParseCpe,
  unquoteValue,
  type CpeAttribute,
  type CpeComparison,
  type Relation,
  type Wfn,
} from "./cpe.js";
export { ALIASES, findAlias, type Alias, type CpeProduct } from "./aliases.js";
export {
  ecosystemForComponent,
  ecosystemForName,
  identify,
  parsePurl,
  type Identity,
  type Purl,
} from "./identity.js";
export {
  evaluateNvd,
  evaluateNvdConfigurations,
  evaluateOsv,
  matchesNvd,
  matchesOsv,
  type MatchResult,
  type NvdConfiguration,
  type NvdCpeMatch,
  type NvdNode,
  type OsvAffected,
  type OsvEvent,
  type OsvRange,
} from "./ranges.js";
