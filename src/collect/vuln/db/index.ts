// The local vulnerability database: NVD, OSV, CISA KEV, FIRST EPSS and CSAF/VEX in one SQLite file,
// its importers, and the queries the matcher uses. See data/vulndb/README.md for the bundled data.

export { defaultVulnDbPath, openVulnDb, resolveVulnDbPath, type OpenOptions, type VulnDb } from "./store.js";
export { MIGRATIONS, SCHEMA_VERSION, SchemaError, migrate, schemaVersion } from "./schema.js";
export {
  FEED_SOURCES,
  ImportError,
  detectSource,
  importFile,
  importPaths,
  type FeedSource,
  type ImportOptions,
  type ImportResult,
} from "./import.js";
export {
  EPSS_URL,
  KEV_URL,
  NVD_FEED_BASE,
  NetworkError,
  importUrl,
  nvdFeedUrl,
  osvZipUrl,
  publicUrl,
  updateFromPublic,
  type FetchOptions,
  type UpdateOptions,
  type UrlImportOptions,
} from "./feeds.js";
export {
  candidatesByCpe,
  candidatesByPackage,
  epss,
  kev,
  status,
  vexStatements,
  vulnerability,
  type Candidate,
  type DbStatus,
  type EpssEntry,
  type KevEntry,
  type SourceStatus,
  type VexStatement,
  type VulnRecord,
} from "./query.js";
export { matchComponent, type VulnMatch } from "./match.js";
export { bundledDir, bundledFiles, ensureBundledDb, type EnsureResult } from "./bundled.js";
export { cvss3BaseScore } from "./cvss.js";
