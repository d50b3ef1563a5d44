// Downloading feeds from their public locations, only when the user asks (`concord vulndb update`,
// `import --from-url`). A download goes to a temporary file and is imported from there; where the
// publisher gives a checksum (NVD's .meta files) the download is verified before anything is
// imported. Without network access the error says so and changes nothing.

import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { createGunzip } from "node:zlib";
import { importFile, type FeedSource, type ImportOptions, type ImportResult } from "./import.js";
import type { VulnDb } from "./store.js";

export const KEV_URL = "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json";
export const EPSS_URL = "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz";
export const NVD_FEED_BASE = "https://nvd.nist.gov/feeds/json/cve/2.0/";
export const OSV_BASE = "https://osv-vulnerabilities.storage.googleapis.com/";

/** NVD's CVE 2.0 feeds: "modified", "recent" or a year. */
export const nvdFeedUrl = (name: string) => `${NVD_FEED_BASE}nvdcve-2.0-${name}.json.gz`;
/** OSV's archive of one ecosystem ("Debian", "Alpine", "PyPI"). */
export const osvZipUrl = (ecosystem: string) => `${OSV_BASE}${encodeURIComponent(ecosystem)}/all.zip`;

/** The public location of a feed, for `import --from-url` without a URL. */
export function publicUrl(source: FeedSource): string | undefined {
  switch (source) {
    case "kev":
      return KEV_URL;
    case "epss":
      return EPSS_URL;
    case "nvd":
      return nvdFeedUrl("modified");
    default:
      return undefined; // OSV needs an ecosystem; CSAF documents have no single home
  }
}

export class NetworkError extends Error {
  override name = "NetworkError";
}

export interface FetchOptions {
  /** Replaces globalThis.fetch (tests). */
  fetch?: typeof fetch;
  /** Refuse to touch the network. */
  offline?: boolean;
}

function offlineError(what: string): NetworkError {
  return new NetworkError(
    `${what} needs the network, and --offline was given; nothing was changed. Import feed files you already have with \`concord vulndb import <file|dir...>\``,
  );
}

async function get(url: string, opts: FetchOptions): Promise<Response> {
  if (opts.offline) throw offlineError(`downloading ${url}`);
  const f = opts.fetch ?? globalThis.fetch;
  let res: Response;
  try {
    res = await f(url, { redirect: "follow" });
  } catch (e) {
    const cause = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
    throw new NetworkError(
      `cannot reach ${url} (${cause}): is there network access? Import feed files you already have with \`concord vulndb import <file|dir...>\``,
    );
  }
  if (!res.ok) throw new NetworkError(`${url}: the server answered ${res.status} ${res.statusText}`);
  return res;
}

/** Downloads a URL into a file; returns the sha256 of the bytes. */
export async function download(url: string, file: string, opts: FetchOptions = {}): Promise<string> {
  const res = await get(url, opts);
  if (!res.body) throw new NetworkError(`${url}: empty response`);
  const hash = createHash("sha256");
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>),
      tap,
      createWriteStream(file),
    );
  } catch (e) {
    throw new NetworkError(`${url}: the download stopped (${e instanceof Error ? e.message : String(e)})`);
  }
  return hash.digest("hex");
}

/** The sha256 line of an NVD .meta file ("sha256:ABC…"). */
export function metaSha256(meta: string): string | undefined {
  return /^sha256:([0-9a-f]{64})\s*$/im.exec(meta)?.[1]?.toLowerCase();
}

async function gunzippedSha256(file: string): Promise<string> {
  const hash = createHash("sha256");
  const sink = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done();
    },
  });
  await pipeline(createReadStream(file), createGunzip(), sink);
  return hash.digest("hex");
}

export interface UrlImportOptions extends ImportOptions, FetchOptions {
  /** The publisher's checksum of the content, or a URL of an NVD-style .meta file holding it. */
  sha256?: string;
  metaUrl?: string;
}

/**
 * Downloads a feed and imports it. With a checksum (given, or read from metaUrl) the download must
 * match it, compressed or not, before anything is imported.
 */
export async function importUrl(db: VulnDb, url: string, opts: UrlImportOptions = {}): Promise<ImportResult> {
  const dir = mkdtempSync(join(tmpdir(), "concord-feed-"));
  try {
    let expected = opts.sha256?.toLowerCase();
    if (!expected && opts.metaUrl) {
      const meta = await (await get(opts.metaUrl, opts)).text();
      expected = metaSha256(meta);
      if (!expected) throw new NetworkError(`${opts.metaUrl}: no sha256 line in the .meta file`);
    }
    const name = new URL(url).pathname.split("/").pop() || "feed";
    const file = join(dir, name);
    const got = await download(url, file, opts);
    if (expected && got !== expected) {
      const inner = url.endsWith(".gz") ? await gunzippedSha256(file).catch(() => undefined) : undefined;
      if (inner !== expected) {
        throw new NetworkError(
          `${url}: sha256 ${got}${inner ? ` (uncompressed ${inner})` : ""} does not match the published ${expected}; nothing imported`,
        );
      }
    }
    const result = await importFile(db, file, opts);
    db.prepare("UPDATE imports SET location = ? WHERE id = ?").run(url, result.importId);
    result.errors = result.errors.map((e) => e.split(file).join(url));
    return { ...result, location: url };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface UpdateOptions extends ImportOptions, FetchOptions {
  /** NVD feeds to fetch: "modified" and "recent" by default; years for a first full load. */
  nvd?: string[];
  /** OSV ecosystems to fetch (none by default). */
  osv?: string[];
  /** Skip KEV / EPSS. */
  kev?: boolean;
  epss?: boolean;
}

/** Fetches the public feeds and imports them: CISA KEV, FIRST EPSS, NVD 2.0 feeds, OSV ecosystems. */
export async function updateFromPublic(db: VulnDb, opts: UpdateOptions = {}): Promise<ImportResult[]> {
  if (opts.offline) throw offlineError("`concord vulndb update`");
  const results: ImportResult[] = [];
  if (opts.kev !== false) results.push(await importUrl(db, KEV_URL, { ...opts, source: "kev" }));
  if (opts.epss !== false) results.push(await importUrl(db, EPSS_URL, { ...opts, source: "epss" }));
  for (const name of opts.nvd ?? ["recent", "modified"]) {
    results.push(
      await importUrl(db, nvdFeedUrl(name), {
        ...opts,
        source: "nvd",
        metaUrl: `${NVD_FEED_BASE}nvdcve-2.0-${name}.meta`,
      }),
    );
  }
  for (const eco of opts.osv ?? [])
    results.push(await importUrl(db, osvZipUrl(eco), { ...opts, source: "osv" }));
  return results;
}
