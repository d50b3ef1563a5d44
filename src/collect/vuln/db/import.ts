// Importing feed files into the database. Each import runs in one transaction: a file that cannot
// be read to its end (truncated, not the format it claims, interrupted) leaves the database as it
// was. Records that fail their checks are skipped with an error naming the file, the record and the
// field, and the rest is imported. Every import is logged in the imports table, outside the
// transaction, so a failed one is on record too.

import { createHash } from "node:crypto";
import {
  createReadStream,
  readFileSync,
  readdirSync,
  statSync,
  openSync,
  readSync,
  closeSync,
} from "node:fs";
import { basename, extname, join } from "node:path";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { createGunzip, gunzipSync } from "node:zlib";
import { ArrayScanner, JsonShapeError, TruncatedError } from "./json-stream.js";
import {
  RecordError,
  csafGroups,
  csafProducts,
  csafVulnerability,
  epssComment,
  epssRecord,
  guessId,
  kevRecord,
  nvdRecord,
  osvRecord,
  type EpssHeader,
} from "./records.js";
import type { VulnDb } from "./store.js";
import { Writer } from "./write.js";
import { ZipError, ZipReader } from "./zip.js";

export type FeedSource = "osv" | "nvd" | "kev" | "epss" | "csaf";
export const FEED_SOURCES: readonly FeedSource[] = ["osv", "nvd", "kev", "epss", "csaf"];

export interface ImportResult {
  importId: number;
  /** "unknown" when the file could not be read far enough to tell. */
  source: FeedSource | "unknown";
  location: string;
  sha256?: string;
  records: number;
  /** One line per skipped record, or the reason the whole import failed. */
  errors: string[];
  status: "ok" | "partial" | "failed";
}

export interface ImportOptions {
  /** The feed; detected from the content when not given. */
  source?: FeedSource;
  now?: () => string;
  /** Called every 1000 records. */
  onProgress?: (records: number, location: string) => void;
  /** Test hook: called after each record is written (throwing aborts the import). */
  afterRecord?: (records: number) => void;
}

export class ImportError extends Error {
  override name = "ImportError";
}

/** Errors kept in the imports log per import (the result carries them all). */
const LOGGED_MESSAGES = 100;

// ---------------------------------------------------------------------------------------------
// detection

function isGzip(path: string): boolean {
  const head = readHead(path, 2);
  return head.length === 2 && head[0] === 0x1f && head[1] === 0x8b;
}

function readHead(path: string, length: number): Buffer {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(length);
    const got = readSync(fd, buf, 0, length, 0);
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** The first bytes of a file's content (decompressed when gzip). */
function peek(path: string, length = 64 * 1024): string {
  const raw = readHead(path, isGzip(path) ? 4 * 1024 * 1024 : length);
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      return gunzipSync(raw, { finishFlush: 2 /* Z_SYNC_FLUSH */ }).toString("utf8", 0, length);
    } catch {
      return "";
    }
  }
  return raw.toString("utf8");
}

/** Which feed a file holds, from its first bytes; undefined when it is none Concord reads. */
export function detectSource(path: string): FeedSource | undefined {
  const head = readHead(path, 4);
  if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) return "osv"; // an OSV all.zip
  const text = peek(path).replace(/^\uFEFF/, "");
  const start = text.trimStart();
  if (/^#\s*model_version/.test(start) || /^cve,epss,percentile/i.test(start)) return "epss";
  if (!start.startsWith("{") && !start.startsWith("[")) return undefined;
  if (/"csaf_version"\s*:/.test(text)) return "csaf";
  if (/"catalogVersion"\s*:/.test(text) || /"cveID"\s*:/.test(text)) return "kev";
  if (/"format"\s*:\s*"NVD_CVE"/.test(text) || /"vulnerabilities"\s*:\s*\[\s*\{\s*"cve"\s*:/.test(text)) {
    return "nvd";
  }
  if (/"CVE_Items"\s*:/.test(text)) return undefined; // NVD 1.1 feeds, retired in 2023
  if (/"schema_version"\s*:/.test(text) || (/"modified"\s*:/.test(text) && /"id"\s*:/.test(text)))
    return "osv";
  return undefined;
}

function detectOrFail(path: string): FeedSource {
  const s = detectSource(path);
  if (s) return s;
  const hint = /"CVE_Items"\s*:/.test(peek(path))
    ? "it looks like an NVD 1.1 feed, which NVD retired in 2023: use CVE API 2.0 JSON (the nvdcve-2.0-*.json.gz feeds)"
    : "expected OSV JSON or zip, NVD CVE API 2.0 JSON, CISA KEV JSON, FIRST EPSS CSV or CSAF 2.0 JSON; pass --source to say which";
  throw new ImportError(`${path}: cannot tell which feed this is: ${hint}`);
}

// ---------------------------------------------------------------------------------------------
// the import log and transaction

interface Run {
  db: VulnDb;
  writer: Writer;
  location: string;
  records: number;
  errors: string[];
  opts: ImportOptions;
  /** sha256 of the bytes read, when the importer reads one file. */
  hash?: ReturnType<typeof createHash>;
}

function recordError(run: Run, file: string, id: string | undefined, e: unknown, index: number): void {
  const who = id ? `record ${id}` : `record #${index + 1}`;
  if (e instanceof RecordError) run.errors.push(`${file}: ${who}: field ${e.field}: ${e.message}`);
  else if (e instanceof SyntaxError) run.errors.push(`${file}: ${who}: invalid JSON: ${e.message}`);
  else throw e;
}

function counted(run: Run): void {
  run.records++;
  run.opts.afterRecord?.(run.records);
  if (run.records % 1000 === 0) run.opts.onProgress?.(run.records, run.location);
}

async function logged(
  db: VulnDb,
  source: FeedSource | "unknown",
  location: string,
  opts: ImportOptions,
  body: (run: Run) => Promise<void> | void,
): Promise<ImportResult> {
  const now = opts.now ?? (() => new Date().toISOString());
  const started = now();
  const importId = Number(
    db
      .prepare("INSERT INTO imports (source, location, started, status) VALUES (?, ?, ?, 'running')")
      .run(source, location, started).lastInsertRowid,
  );
  const run: Run = { db, writer: new Writer(db), location, records: 0, errors: [], opts };
  let failure: string | undefined;
  db.exec("BEGIN IMMEDIATE");
  try {
    await body(run);
    db.exec("COMMIT");
  } catch (e) {
    if (db.inTransaction) db.exec("ROLLBACK");
    if (e instanceof TruncatedError || e instanceof JsonShapeError || e instanceof ZipError) {
      failure = `${location}: ${e.message}; nothing imported from it`;
    } else if (e instanceof ImportError) {
      failure = `${e.message}; nothing imported from it`;
    } else if (e instanceof Error && /** fs errors */ "code" in e) {
      failure = `${location}: ${e.message}`;
    } else {
      failure = `${location}: import stopped: ${e instanceof Error ? e.message : String(e)}; nothing imported from it`;
    }
  }
  const sha256 = run.hash?.digest("hex");
  const status = failure ? "failed" : run.errors.length ? "partial" : "ok";
  const errors = failure ? [...run.errors, failure] : run.errors;
  db.prepare(
    "UPDATE imports SET finished = ?, records = ?, errors = ?, messages = ?, status = ?, sha256 = ? WHERE id = ?",
  ).run(
    now(),
    failure ? 0 : run.records,
    errors.length,
    JSON.stringify(errors.slice(0, LOGGED_MESSAGES)),
    status,
    sha256 ?? null,
    importId,
  );
  return { importId, source, location, sha256, records: failure ? 0 : run.records, errors, status };
}

// ---------------------------------------------------------------------------------------------
// reading

/** The file's text in chunks, gunzipped when it is gzip, hashing the bytes on disk. */
async function* textChunks(path: string, run: Run): AsyncGenerator<string> {
  const hash = createHash("sha256");
  run.hash = hash;
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  raw.on("data", (b) => hash.update(b as Buffer));
  const stream: Readable = isGzip(path) ? raw.pipe(createGunzip()) : raw;
  const decoder = new StringDecoder("utf8");
  let first = true;
  for await (const chunk of stream) {
    let s = decoder.write(chunk as Buffer);
    if (first) {
      s = s.replace(/^\uFEFF/, "");
      first = false;
    }
    if (s) yield s;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

async function streamArray(
  path: string,
  run: Run,
  key: string | null,
  onRecord: (value: unknown, index: number) => void,
): Promise<ArrayScanner> {
  const scanner = new ArrayScanner({
    key,
    onElement: (text, index) => {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        recordError(run, path, guessId(text), e, index);
        return;
      }
      onRecord(value, index);
    },
  });
  try {
    for await (const chunk of textChunks(path, run)) scanner.push(chunk);
  } catch (e) {
    if (e instanceof Error && "code" in e && String(e.code).startsWith("Z_")) {
      throw new TruncatedError(`the gzip stream is damaged or cut short (${e.message})`);
    }
    throw e;
  }
  scanner.end();
  return scanner;
}

// ---------------------------------------------------------------------------------------------
// the feeds

async function importNvd(path: string, run: Run): Promise<void> {
  const scanner = await streamArray(path, run, "vulnerabilities", (value, index) => {
    let rows;
    try {
      rows = nvdRecord(value);
    } catch (e) {
      const id = (value as { cve?: { id?: unknown } } | null)?.cve?.id;
      recordError(run, path, typeof id === "string" ? id : undefined, e, index);
      return;
    }
    run.writer.vulnerability(rows.vuln, rows.affected);
    counted(run);
  });
  const h = scanner.header();
  if (!scanner.foundArray)
    throw new ImportError(`${path}: no "vulnerabilities" array: not NVD CVE API 2.0 JSON`);
  if (h.format !== undefined && h.format !== "NVD_CVE") {
    throw new ImportError(`${path}: format ${JSON.stringify(h.format)} is not NVD_CVE`);
  }
}

async function importKev(path: string, run: Run): Promise<void> {
  // The catalog version is a header member: the rows get it once the whole file has been read.
  const seen: string[] = [];
  const scanner = await streamArray(path, run, "vulnerabilities", (value, index) => {
    try {
      const row = kevRecord(value);
      run.writer.kev(row);
      seen.push(row.cve);
      counted(run);
    } catch (e) {
      const id = (value as { cveID?: unknown } | null)?.cveID;
      recordError(run, path, typeof id === "string" ? id : undefined, e, index);
    }
  });
  if (!scanner.foundArray)
    throw new ImportError(`${path}: no "vulnerabilities" array: not a CISA KEV catalog`);
  const version = scanner.header().catalogVersion;
  const catalogVersion = typeof version === "string" ? version : undefined;
  if (catalogVersion) {
    const fix = run.db.prepare("UPDATE kev SET catalog_version = ? WHERE cve = ?");
    for (const cve of seen) fix.run(catalogVersion, cve);
  }
}

async function importEpss(path: string, run: Run): Promise<void> {
  const hash = createHash("sha256");
  run.hash = hash;
  const raw = createReadStream(path);
  raw.on("data", (b) => hash.update(b as Buffer));
  const stream: Readable = isGzip(path) ? raw.pipe(createGunzip()) : raw;
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let header: EpssHeader = {};
  let columns: string[] | undefined;
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    const l = lineNo === 1 ? line.replace(/^\uFEFF/, "") : line;
    if (l.trim() === "") continue;
    if (l.startsWith("#")) {
      header = { ...header, ...epssComment(l) };
      continue;
    }
    const cells = l.split(",");
    if (!columns) {
      columns = cells.map((c) => c.trim().toLowerCase());
      for (const need of ["cve", "epss", "percentile"]) {
        if (!columns.includes(need))
          throw new ImportError(`${path}: line ${lineNo}: no "${need}" column: not a FIRST EPSS CSV`);
      }
      continue;
    }
    try {
      run.writer.epss(epssRecord(cells, columns, header));
      counted(run);
    } catch (e) {
      const id = cells[columns.indexOf("cve")]?.trim();
      if (e instanceof RecordError)
        run.errors.push(`${path}: line ${lineNo}: record ${id || "(no id)"}: field ${e.field}: ${e.message}`);
      else throw e;
    }
  }
  if (!columns) throw new ImportError(`${path}: no header line: not a FIRST EPSS CSV`);
}

function importCsaf(path: string, run: Run): void {
  const bytes = readFileSync(path);
  run.hash = createHash("sha256").update(bytes);
  const text = (isGzip(path) ? gunzipSync(bytes) : bytes).toString("utf8").replace(/^\uFEFF/, "");
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new TruncatedError(`not valid JSON (${(e as Error).message}); truncated?`);
  }
  const d = doc as {
    document?: { tracking?: { id?: unknown }; csaf_version?: unknown };
    product_tree?: unknown;
    vulnerabilities?: unknown;
  };
  const trackingId = d.document?.tracking?.id;
  if (typeof trackingId !== "string" || trackingId === "") {
    throw new ImportError(`${path}: field document.tracking.id: missing: not a CSAF 2.0 document`);
  }
  const products = csafProducts(d.product_tree);
  const groups = csafGroups(d.product_tree);
  const vulns = Array.isArray(d.vulnerabilities) ? (d.vulnerabilities as unknown[]) : [];
  for (const [i, v] of vulns.entries()) {
    try {
      const { cve, rows } = csafVulnerability(v, i, products, groups);
      run.writer.vex(trackingId, cve, rows);
      counted(run);
    } catch (e) {
      const cve = (v as { cve?: unknown } | null)?.cve;
      recordError(run, path, typeof cve === "string" ? cve : undefined, e, i);
    }
  }
}

function osvOne(run: Run, file: string, value: unknown, index: number): void {
  try {
    const rows = osvRecord(value);
    run.writer.vulnerability(rows.vuln, rows.affected);
    counted(run);
  } catch (e) {
    const id = (value as { id?: unknown } | null)?.id;
    recordError(run, file, typeof id === "string" ? id : undefined, e, index);
  }
}

async function importOsvFile(path: string, run: Run): Promise<void> {
  const head = readHead(path, 4);
  if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) {
    run.hash = createHash("sha256");
    for await (const b of createReadStream(path)) run.hash.update(b as Buffer);
    const zip = new ZipReader(path);
    try {
      let i = 0;
      for (const e of zip.entries) {
        if (!e.name.endsWith(".json")) continue;
        const where = `${path}!${e.name}`;
        let value: unknown;
        try {
          value = JSON.parse(zip.readEntry(e).toString("utf8"));
        } catch (err) {
          if (err instanceof ZipError) throw err;
          if (err instanceof Error && "code" in err) throw new ZipError(`${e.name}: ${err.message}`);
          recordError(run, where, basename(e.name, ".json"), err, i);
          continue;
        }
        osvOne(run, where, value, i++);
      }
    } finally {
      zip.close();
    }
    return;
  }
  const text = peek(path, 256).trimStart();
  if (text.startsWith("[")) {
    await streamArray(path, run, null, (value, index) => osvOne(run, path, value, index));
    return;
  }
  const bytes = readFileSync(path);
  run.hash = createHash("sha256").update(bytes);
  const body = (isGzip(path) ? gunzipSync(bytes) : bytes).toString("utf8");
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    recordError(run, path, guessId(body), e, 0);
    return;
  }
  osvOne(run, path, value, 0);
}

const IMPORTERS: Record<FeedSource, (path: string, run: Run) => Promise<void> | void> = {
  nvd: importNvd,
  osv: importOsvFile,
  kev: importKev,
  epss: importEpss,
  csaf: importCsaf,
};

// ---------------------------------------------------------------------------------------------
// entry points

/** Imports one feed file. */
export async function importFile(db: VulnDb, path: string, opts: ImportOptions = {}): Promise<ImportResult> {
  let source: FeedSource;
  try {
    source = opts.source ?? detectOrFail(path);
  } catch (e) {
    if (!(e instanceof ImportError) && !(e instanceof Error && "code" in e)) throw e;
    return logged(db, opts.source ?? "unknown", path, opts, () => Promise.reject(e));
  }
  return logged(db, source, path, opts, (run) => IMPORTERS[source](path, run));
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith(".")) continue;
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...listFiles(p));
    else if (st.isFile()) out.push(p);
  }
  return out;
}

const FEED_EXTENSIONS = new Set([".json", ".gz", ".zip", ".csv"]);

/**
 * Imports files and directories. A directory's OSV records (one JSON file each, as OSV publishes
 * them) are one import; its other feed files are imported one by one.
 */
export async function importPaths(
  db: VulnDb,
  paths: string[],
  opts: ImportOptions = {},
): Promise<ImportResult[]> {
  const results: ImportResult[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      results.push(
        await logged(db, opts.source ?? "unknown", p, opts, () =>
          Promise.reject(new ImportError(`${p}: no such file or directory`)),
        ),
      );
      continue;
    }
    if (!st.isDirectory()) {
      results.push(await importFile(db, p, opts));
      continue;
    }
    const files = listFiles(p).filter((f) => FEED_EXTENSIONS.has(extname(f).toLowerCase()));
    const osvRecords: string[] = [];
    const others: string[] = [];
    for (const f of files) {
      const s = opts.source ?? detectSource(f);
      const single =
        s === "osv" && extname(f).toLowerCase() === ".json" && !peek(f, 256).trimStart().startsWith("[");
      (single ? osvRecords : others).push(f);
    }
    if (osvRecords.length) {
      results.push(
        await logged(db, "osv", p, opts, (run) => {
          const hash = createHash("sha256");
          run.hash = hash;
          for (const [i, f] of osvRecords.entries()) {
            const bytes = readFileSync(f);
            hash.update(bytes);
            let value: unknown;
            try {
              value = JSON.parse(bytes.toString("utf8").replace(/^\uFEFF/, ""));
            } catch (e) {
              recordError(run, f, guessId(bytes.toString("utf8")) ?? basename(f, ".json"), e, i);
              continue;
            }
            osvOne(run, f, value, i);
          }
        }),
      );
    }
    for (const f of others) results.push(await importFile(db, f, opts));
  }
  return results;
}
