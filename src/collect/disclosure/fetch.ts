// Fetch a small text resource over HTTP(S), bounded in bytes, time and redirects, recording every
// hop (RFC 9116 section 5.2: redirects can lead somewhere an attacker controls). Only ever called
// when the user allowed network access.
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

export interface FetchOptions {
  /** Stop reading after this many bytes (the result says it was truncated). */
  maxBytes: number;
  /** For the whole exchange, redirects included. */
  timeoutMs?: number;
  maxRedirects?: number;
  /** Extra trusted CA certificates (PEM), e.g. a test server's self-signed one. */
  ca?: string | Buffer;
}

export interface Fetched {
  url: string;
  finalUrl: string;
  redirects: string[];
  status: number;
  contentType?: string;
  body: Uint8Array;
  truncated: boolean;
}

export class FetchError extends Error {
  override name = "FetchError";
  constructor(
    message: string,
    readonly redirects: string[] = [],
  ) {
    super(message);
  }
}

function once(
  url: URL,
  opts: FetchOptions,
  signal: AbortSignal,
): Promise<Omit<Fetched, "url" | "finalUrl" | "redirects"> & { location?: string }> {
  return new Promise((resolve, reject) => {
    const req = (url.protocol === "https:" ? httpsRequest : httpRequest)(
      url,
      {
        method: "GET",
        signal,
        headers: { "user-agent": "concord", accept: "text/plain, application/json;q=0.9, */*;q=0.1" },
        ca: opts.ca,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers["content-type"],
            location: res.headers.location,
            body: new Uint8Array(Buffer.concat(chunks)),
            truncated,
          });
        };
        res.on("data", (c: Buffer) => {
          if (truncated) return;
          if (size + c.length > opts.maxBytes) {
            chunks.push(c.subarray(0, opts.maxBytes - size));
            size = opts.maxBytes;
            truncated = true;
            res.destroy(); // stop downloading: the rest is not wanted
            finish();
            return;
          }
          chunks.push(c);
          size += c.length;
        });
        res.on("end", finish);
        res.on("error", (e) => (done ? undefined : reject(e)));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

export async function fetchBounded(url: string, opts: FetchOptions): Promise<Fetched> {
  const redirects: string[] = [];
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), opts.timeoutMs ?? 10_000);
  try {
    let current = new URL(url);
    for (let hop = 0; ; hop++) {
      if (current.protocol !== "https:" && current.protocol !== "http:")
        throw new FetchError(`cannot fetch ${current.href}: only http and https are supported`, redirects);
      let r;
      try {
        r = await once(current, opts, controller.signal);
      } catch (e) {
        const reason = controller.signal.aborted
          ? `no answer within ${opts.timeoutMs ?? 10_000} ms`
          : (e as Error).message;
        throw new FetchError(`cannot fetch ${current.href}: ${reason}`, redirects);
      }
      if (r.status >= 300 && r.status < 400 && r.location) {
        if (hop >= (opts.maxRedirects ?? 5))
          throw new FetchError(`more than ${opts.maxRedirects ?? 5} redirects from ${url}`, redirects);
        const next = new URL(r.location, current);
        redirects.push(next.href);
        if (current.protocol === "https:" && next.protocol === "http:")
          throw new FetchError(
            `${current.href} redirects to plain HTTP (${next.href}); not followed`,
            redirects,
          );
        current = next;
        continue;
      }
      return {
        url,
        finalUrl: current.href,
        redirects,
        status: r.status,
        contentType: r.contentType,
        body: r.body,
        truncated: r.truncated,
      };
    }
  } finally {
    clearTimeout(timer);
  }
}
