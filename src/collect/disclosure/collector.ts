// The disclosure collector: the maker's security.txt and CSAF provider metadata, read from files
// the manifest names or, only when the user allows network access, fetched from the maker's site.
// Without network access and without local files it has nothing to read and does not run.
import { isAbsolute, join, relative } from "node:path";
import { makeEvidence, type Evidence, type EvidenceSource } from "../../evidence/types.js";
import { sha256 } from "../../util/hash.js";
import type { CollectContext, Collector } from "../types.js";
import { validateProviderMetadata } from "./csaf-provider-metadata.js";
import { FetchError, fetchBounded } from "./fetch.js";
import {
  DISCLOSURE_KIND,
  type CsafProviderMetadataData,
  type SecurityTxtData,
  type SecurityTxtProblem,
} from "../../evidence/disclosure.js";
import { readCertificates, type Certificate } from "./openpgp/keys.js";
import { PgpFormatError } from "./openpgp/reader.js";
import {
  discoverSecurityTxt,
  readHead,
  securityTxtFromFile,
  securityTxtFromUrl,
} from "./securitytxt/read.js";

const ID = "disclosure";
const VERSION = "1.0.0";

export interface DisclosureCollectorOptions {
  /** Fetch security.txt and provider metadata from the web. Off unless the user asks. */
  network?: boolean;
  timeoutMs?: number;
  /** Extra trusted CA certificates (PEM) for fetching, e.g. a test server's. */
  ca?: string | Buffer;
}

const MAX_KEY_BYTES = 1024 * 1024;
const MAX_METADATA_BYTES = 1024 * 1024;

const isUrl = (v: string) => /^[a-z][a-z0-9+.-]*:/i.test(v);

type Where = { file: string } | { url: string };

/**
 * The moment dates are judged at (Expires, signature and key validity): the assessment's own time
 * when it judges as of today, else the end of its as-of day, so that the same inputs and as-of date
 * give the same findings whenever the assessment runs (attestations are judged by the date too).
 */
function judgedAt(ctx: CollectContext): Date {
  if (!ctx.asOf || ctx.asOf === ctx.at.slice(0, 10)) return new Date(ctx.at);
  return new Date(`${ctx.asOf}T23:59:59.999Z`);
}

/** A declared location: a local file is always read; a URL only with network access. */
function declared(value: string | undefined, network: boolean | undefined): Where | undefined {
  if (value === undefined) return undefined;
  if (!isUrl(value)) return { file: value };
  return network ? { url: value } : undefined;
}

function sources(ctx: CollectContext, opts: DisclosureCollectorOptions) {
  const d = ctx.manifest.manifest.disclosure;
  const site = ctx.manifest.manifest.product.maker.url;
  // Without a declared security.txt, look on the maker's site (online only).
  const securityTxt: Where | { site: string } | undefined =
    d?.securityTxt !== undefined
      ? declared(d.securityTxt, opts.network)
      : opts.network && site
        ? { site }
        : undefined;
  return {
    securityTxt,
    metadata: declared(d?.csafProviderMetadata, opts.network),
    signingKey: d?.signingKey,
  };
}

export function disclosureCollector(opts: DisclosureCollectorOptions = {}): Collector {
  return {
    id: ID,
    version: VERSION,
    applies: (ctx) => {
      const s = sources(ctx, opts);
      return s.securityTxt !== undefined || s.metadata !== undefined;
    },
    async *collect(ctx: CollectContext): AsyncIterable<Evidence> {
      const dir = ctx.manifest.dir;
      const abs = (p: string) => (isAbsolute(p) ? p : join(dir, p));
      const shown = (p: string) => relative(dir, abs(p)) || p;
      const now = judgedAt(ctx);
      const s = sources(ctx, opts);
      const read = { now, timeoutMs: opts.timeoutMs, ca: opts.ca };
      const source = (path: string, hash: string | undefined, location: string): EvidenceSource => ({
        collector: ID,
        version: VERSION,
        artifact: hash ? { path, sha256: hash } : undefined,
        location,
        at: ctx.at,
      });

      let keyProblem: SecurityTxtProblem | undefined;
      let certificates: Certificate[] | undefined;
      if (s.signingKey) {
        try {
          const head = await readHead(abs(s.signingKey), MAX_KEY_BYTES);
          if (head.truncated) throw new PgpFormatError(`larger than ${MAX_KEY_BYTES / 1024} KiB`);
          certificates = readCertificates(head.bytes);
        } catch (e) {
          const reason =
            e instanceof PgpFormatError ? e.message : ((e as NodeJS.ErrnoException).code ?? String(e));
          keyProblem = {
            severity: "error",
            code: "key-unreadable",
            message: `the signing key ${shown(s.signingKey)} cannot be used: ${reason}`,
          };
        }
      }

      let txt: SecurityTxtData | undefined;
      if (s.securityTxt) {
        const opt = { ...read, certificates };
        txt =
          "file" in s.securityTxt
            ? await securityTxtFromFile(abs(s.securityTxt.file), shown(s.securityTxt.file), opt)
            : "url" in s.securityTxt
              ? await securityTxtFromUrl(s.securityTxt.url, opt)
              : await discoverSecurityTxt(s.securityTxt.site, opt);
        if (keyProblem) txt.problems.unshift(keyProblem);
        const where = txt.source.finalUrl ?? txt.source.location;
        yield makeEvidence(
          DISCLOSURE_KIND.securityTxt,
          "organisation",
          txt,
          source(where, txt.sha256, where),
        );
      }

      // Provider metadata: the declared one, else (online) the first CSAF field of the security.txt.
      const metadata =
        s.metadata ?? (opts.network && txt?.fields.csaf[0] ? { url: txt.fields.csaf[0].value } : undefined);
      if (metadata) {
        const data = await readProviderMetadata(metadata, abs, shown, { ...read });
        const where = data.source.finalUrl ?? data.source.location;
        yield makeEvidence(
          DISCLOSURE_KIND.csafProviderMetadata,
          "organisation",
          data,
          source(where, data.sha256, where),
        );
      }
    },
  };
}

async function readProviderMetadata(
  from: { file: string } | { url: string },
  abs: (p: string) => string,
  shown: (p: string) => string,
  opts: { timeoutMs?: number; ca?: string | Buffer },
): Promise<CsafProviderMetadataData> {
  const fail = (
    source: CsafProviderMetadataData["source"],
    code: string,
    message: string,
  ): CsafProviderMetadataData => ({
    source,
    distributions: 0,
    problems: [{ severity: "error", code, message }],
  });
  let bytes: Uint8Array;
  let source: CsafProviderMetadataData["source"];
  if ("file" in from) {
    source = { kind: "file", location: shown(from.file) };
    try {
      const head = await readHead(abs(from.file), MAX_METADATA_BYTES);
      if (head.truncated)
        return fail(
          source,
          "too-large",
          `${source.location} is larger than ${MAX_METADATA_BYTES / 1024} KiB`,
        );
      bytes = head.bytes;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return fail(
        source,
        "unreadable",
        code === "ENOENT"
          ? `${source.location} does not exist`
          : `cannot read ${source.location} (${code ?? String(e)})`,
      );
    }
  } else {
    source = { kind: "url", location: from.url };
    try {
      const r = await fetchBounded(from.url, { maxBytes: MAX_METADATA_BYTES + 1, ...opts });
      source.finalUrl = r.finalUrl;
      if (r.status !== 200)
        return fail(source, "http-status", `${r.finalUrl} answered HTTP ${r.status}, not 200`);
      if (r.truncated)
        return fail(source, "too-large", `${r.finalUrl} is larger than ${MAX_METADATA_BYTES / 1024} KiB`);
      bytes = r.body;
    } catch (e) {
      if (e instanceof FetchError) return fail(source, "fetch-failed", e.message);
      throw e;
    }
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return {
      ...fail(source, "invalid-utf8", "the document is not UTF-8 (JSON must be)"),
      sha256: sha256(bytes),
    };
  }
  return { source, sha256: sha256(bytes), ...validateProviderMetadata(text.replace(/^\uFEFF/, "")) };
}
