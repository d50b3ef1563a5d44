// Read a security.txt from a file or from the web, bounded, and turn it into SecurityTxtData: the
// parse result plus the problems of where and how it was served (RFC 9116 section 3).
import { open } from "node:fs/promises";
import { sha256 } from "../../../util/hash.js";
import { FetchError, fetchBounded } from "../fetch.js";
import type { SecurityTxtData, SecurityTxtProblem } from "../../../evidence/disclosure.js";
import type { Certificate } from "../openpgp/keys.js";
import { MAX_BYTES } from "./decode.js";
import { parseSecurityTxt } from "./parse.js";

export interface ReadOptions {
  now: Date;
  certificates?: Certificate[];
  timeoutMs?: number;
  ca?: string | Buffer;
}

/** Read at most `limit` bytes of a file, and whether there was more. */
export async function readHead(
  path: string,
  limit: number,
): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(limit + 1);
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return { bytes: new Uint8Array(buf.subarray(0, Math.min(got, limit))), truncated: got > limit };
  } finally {
    await fh.close();
  }
}

export async function securityTxtFromFile(
  path: string,
  shownAs: string,
  opts: ReadOptions,
): Promise<SecurityTxtData> {
  let head;
  try {
    head = await readHead(path, MAX_BYTES);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return failed(
      { kind: "file", location: shownAs },
      code === "ENOENT" ? `${shownAs} does not exist` : `cannot read ${shownAs} (${code ?? String(e)})`,
      "unreadable",
    );
  }
  const parsed = parseSecurityTxt(head.bytes, {
    now: opts.now,
    certificates: opts.certificates,
    truncated: head.truncated,
  });
  return {
    source: { kind: "file", location: shownAs },
    sha256: head.truncated ? undefined : sha256(head.bytes),
    bytes: head.bytes.length,
    ...parsed,
  };
}

function failed(source: SecurityTxtData["source"], message: string, code: string): SecurityTxtData {
  return {
    source,
    signed: false,
    fields: {
      contact: [],
      encryption: [],
      acknowledgments: [],
      canonical: [],
      policy: [],
      hiring: [],
      csaf: [],
      other: [],
    },
    problems: [{ severity: "error", code, message }],
  };
}

/** Check the Content-Type RFC 9116 section 3 requires: text/plain; charset=utf-8. */
function contentTypeProblem(ct: string | undefined): string | undefined {
  if (!ct) return "the server sent no Content-Type; RFC 9116 requires text/plain; charset=utf-8";
  const [type, ...params] = ct.split(";").map((s) => s.trim().toLowerCase());
  if (type !== "text/plain")
    return `the server sent Content-Type "${ct}"; RFC 9116 requires text/plain; charset=utf-8`;
  const charset = params
    .find((p) => p.startsWith("charset="))
    ?.slice(8)
    .replace(/"/g, "");
  if (charset !== "utf-8")
    return `the server sent Content-Type "${ct}" without charset=utf-8, which RFC 9116 requires`;
  return undefined;
}

export async function securityTxtFromUrl(url: string, opts: ReadOptions): Promise<SecurityTxtData> {
  const http: SecurityTxtProblem[] = [];
  let fetched;
  try {
    fetched = await fetchBounded(url, { maxBytes: MAX_BYTES + 1, timeoutMs: opts.timeoutMs, ca: opts.ca });
  } catch (e) {
    if (!(e instanceof FetchError)) throw e;
    const out = failed({ kind: "url", location: url, redirects: e.redirects }, e.message, "fetch-failed");
    return out;
  }
  const source = {
    kind: "url" as const,
    location: url,
    finalUrl: fetched.finalUrl,
    redirects: fetched.redirects,
    status: fetched.status,
    contentType: fetched.contentType,
  };
  if (fetched.status !== 200)
    return failed(source, `${fetched.finalUrl} answered HTTP ${fetched.status}, not 200`, "http-status");
  const final = new URL(fetched.finalUrl);
  if (final.protocol !== "https:")
    http.push({
      severity: "error",
      code: "insecure-location",
      message: `${fetched.finalUrl} is served over plain HTTP; RFC 9116 requires https`,
    });
  if (final.pathname === "/security.txt")
    http.push({
      severity: "warning",
      code: "legacy-location",
      message: `${fetched.finalUrl} is the legacy location; RFC 9116 places the file at /.well-known/security.txt`,
    });
  else if (final.pathname !== "/.well-known/security.txt")
    http.push({
      severity: "error",
      code: "not-well-known",
      message: `${fetched.finalUrl} is not at /.well-known/security.txt, where RFC 9116 requires it`,
    });
  const first = new URL(url);
  if (final.host !== first.host)
    http.push({
      severity: "warning",
      code: "redirect-other-host",
      message: `${url} redirects to another host (${final.host}); check that it belongs to the maker (RFC 9116 section 5.2)`,
    });
  const ct = contentTypeProblem(fetched.contentType);
  if (ct) http.push({ severity: "error", code: "content-type", message: ct });
  const parsed = parseSecurityTxt(fetched.body, {
    now: opts.now,
    certificates: opts.certificates,
    truncated: fetched.truncated,
    sourceUrl: fetched.finalUrl,
  });
  return {
    source,
    sha256: fetched.truncated ? undefined : sha256(fetched.body),
    bytes: fetched.body.length,
    ...parsed,
    problems: [...http, ...parsed.problems],
  };
}

/**
 * Find a maker's security.txt from its site: /.well-known/security.txt first, then the legacy
 * /security.txt (RFC 9116 section 3: when both exist, the well-known one counts).
 */
export async function discoverSecurityTxt(site: string, opts: ReadOptions): Promise<SecurityTxtData> {
  const origin = new URL(site).origin;
  const wellKnown = await securityTxtFromUrl(`${origin}/.well-known/security.txt`, opts);
  if (wellKnown.source.status === 200) return wellKnown;
  const legacy = await securityTxtFromUrl(`${origin}/security.txt`, opts);
  if (legacy.source.status === 200) return legacy;
  return failed(
    { kind: "url", location: `${origin}/.well-known/security.txt` },
    `no security.txt at ${origin}/.well-known/security.txt (${describe(wellKnown)}) or ${origin}/security.txt (${describe(legacy)})`,
    "not-found",
  );
}

function describe(d: SecurityTxtData): string {
  return d.source.status ? `HTTP ${d.source.status}` : (d.problems[0]?.message ?? "no answer");
}
