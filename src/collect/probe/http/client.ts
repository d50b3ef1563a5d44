// A minimal HTTP client for probes: one request per connection through Scope.connect (so the
// scope, rate and time limits apply), optionally inside TLS, "Connection: close", the answer read
// with bounded bytes and time and parsed leniently (status line, headers, Content-Length or
// chunked body). Anything a hostile server does ends as a response or a reason, never a throw.
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import type { Socket } from "node:net";
import type { Transcript } from "../../../evidence/probe.js";
import { escapeBytes, exchange, transcript } from "../exchange.js";
import { ConnectError, normalizeAddress, type Scope } from "../scope.js";

export interface HttpResponse {
  version: string;
  status: number;
  reason: string;
  /** Header names lower-cased, in order; at most 100. */
  headers: [string, string][];
  body: Buffer;
  /** The read stopped at the byte limit, or the body was shorter than announced. */
  truncated: boolean;
}

export function header(r: HttpResponse, name: string): string | undefined {
  return r.headers.find(([k]) => k === name.toLowerCase())?.[1];
}

export interface HttpRequest {
  method: "GET" | "POST";
  /** The request target: "/", "/ctl?x=1". */
  path: string;
  /** HTTP/1.0 for plain fetches; HTTP/1.1 where a server needs it (SOAP control). */
  version?: "1.0" | "1.1";
  headers?: Record<string, string>;
  body?: Buffer;
  tls?: boolean;
}

export interface HttpResult {
  response?: HttpResponse;
  reason?: string;
  transcript?: Transcript;
}

const MAX_HEADERS = 100;

function headEnd(b: Buffer): { at: number; len: number } | undefined {
  const crlf = b.indexOf("\r\n\r\n");
  if (crlf >= 0) return { at: crlf, len: 4 };
  const lf = b.indexOf("\n\n");
  return lf >= 0 ? { at: lf, len: 2 } : undefined;
}

/** Undo chunked transfer coding; stops (truncated) at the first malformed or missing chunk. */
export function dechunk(b: Buffer): { body: Buffer; complete: boolean } {
  const parts: Buffer[] = [];
  let p = 0;
  for (let n = 0; n < 10_000; n++) {
    const eol = b.indexOf("\r\n", p);
    if (eol < 0 || eol - p > 32) return { body: Buffer.concat(parts), complete: false };
    const size = parseInt(b.toString("latin1", p, eol).split(";")[0]!.trim(), 16);
    if (!Number.isFinite(size) || size < 0) return { body: Buffer.concat(parts), complete: false };
    if (size === 0) return { body: Buffer.concat(parts), complete: true };
    const start = eol + 2;
    if (start + size > b.length) {
      parts.push(b.subarray(start));
      return { body: Buffer.concat(parts), complete: false };
    }
    parts.push(b.subarray(start, start + size));
    p = start + size + 2;
  }
  return { body: Buffer.concat(parts), complete: false };
}

/** The status line, headers and body of an HTTP response, or a reason it is not one. */
export function parseResponse(b: Buffer): HttpResponse | string {
  const end = headEnd(b);
  const head = b.toString("latin1", 0, end ? end.at : Math.min(b.length, 8192));
  const lines = head.split(/\r?\n/);
  const m = /^HTTP\/(\d\.\d)\s+(\d{3})\s*(.*)$/.exec(lines[0] ?? "");
  if (!m) return `not HTTP (${escapeBytes(b.subarray(0, 40), 60)})`;
  const headers: [string, string][] = [];
  for (const l of lines.slice(1, MAX_HEADERS + 1)) {
    const c = l.indexOf(":");
    if (c > 0)
      headers.push([
        l.slice(0, c).trim().toLowerCase(),
        l
          .slice(c + 1)
          .trim()
          .slice(0, 2000),
      ]);
  }
  const r: HttpResponse = {
    version: m[1]!,
    status: Number(m[2]),
    reason: m[3]!.slice(0, 200),
    headers,
    body: Buffer.alloc(0),
    truncated: !end,
  };
  if (!end) return r;
  const raw = b.subarray(end.at + end.len);
  if (/chunked/i.test(header(r, "transfer-encoding") ?? "")) {
    const d = dechunk(raw);
    r.body = d.body;
    r.truncated = !d.complete;
  } else {
    const cl = Number(header(r, "content-length") ?? NaN);
    r.body = Number.isInteger(cl) && cl >= 0 ? raw.subarray(0, cl) : raw;
    r.truncated = Number.isInteger(cl) && cl > raw.length;
  }
  return r;
}

/** The answer is all there: headers, then Content-Length bytes or the last chunk. */
function complete(b: Buffer): boolean {
  const end = headEnd(b);
  if (!end) return false;
  const head = b.toString("latin1", 0, end.at);
  const raw = b.subarray(end.at + end.len);
  if (/^transfer-encoding:\s*chunked/im.test(head)) return dechunk(raw).complete;
  const cl = /^content-length:\s*(\d+)/im.exec(head);
  return cl ? raw.length >= Number(cl[1]) : false;
}

/** "Host:" value for a target: the address (bracketed when IPv6) and the port. */
export function hostHeader(address: string, port: number): string {
  return `${address.includes(":") ? `[${address}]` : address}:${port}`;
}

function startTls(raw: Socket, servername: string | undefined, waitMs: number): Promise<TLSSocket | string> {
  return new Promise((resolve) => {
    const t = tlsConnect({ socket: raw, rejectUnauthorized: false, servername });
    const timer = setTimeout(() => {
      t.destroy();
      resolve("no TLS handshake (timeout)");
    }, waitMs);
    t.once("secureConnect", () => {
      clearTimeout(timer);
      // A permanent handler: a late TLS error must not crash the process; readers see "close".
      t.on("error", () => {});
      resolve(t);
    });
    t.once("error", (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      t.destroy();
      resolve(`no TLS handshake (${e.code ?? e.message})`);
    });
  });
}

/** One request to target:port. Undefined in a dry run. */
export async function httpRequest(
  scope: Scope,
  target: { host: string; address: string },
  port: number,
  req: HttpRequest,
  o: { maxBytes?: number; waitMs?: number; step: string },
): Promise<HttpResult | undefined> {
  let raw: Socket | undefined;
  try {
    raw = await scope.connect(target.address, port, o.step);
  } catch (e) {
    if (e instanceof ConnectError) return { reason: `connect failed (${e.code})` };
    throw e;
  }
  if (!raw) return undefined;
  let sock: Socket = raw;
  try {
    const waitMs = o.waitMs ?? scope.limits.timeoutMs * 2;
    if (req.tls) {
      const servername = /^[a-z]/i.test(target.host) && !target.host.includes(":") ? target.host : undefined;
      const t = await startTls(raw, servername, scope.limits.timeoutMs);
      if (typeof t === "string") return { reason: t };
      sock = t;
    }
    const lines = [
      `${req.method} ${req.path} HTTP/${req.version ?? "1.0"}`,
      `Host: ${hostHeader(normalizeAddress(target.address), port)}`,
      "User-Agent: concord-probe",
      "Connection: close",
      ...Object.entries(req.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    ];
    if (req.body) lines.push(`Content-Length: ${req.body.length}`);
    const send = Buffer.concat([
      Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1"),
      req.body ?? Buffer.alloc(0),
    ]);
    const r = await exchange(sock, { send, maxBytes: o.maxBytes ?? 65536, waitMs, complete });
    const t = transcript(o.step, send, r);
    if (r.received.length === 0)
      return {
        transcript: t,
        reason: r.outcome === "timeout" ? "no answer (timeout)" : `no answer (${r.outcome})`,
      };
    const parsed = parseResponse(r.received);
    if (typeof parsed === "string") return { transcript: t, reason: parsed };
    if (r.outcome === "limit") parsed.truncated = true;
    return { transcript: t, response: parsed };
  } finally {
    sock.destroy();
    raw.destroy();
  }
}

/**
 * Whether a URL's host is the target itself (its address, or the name the user gave), so a
 * probe may follow it. Anything else is recorded and not fetched.
 */
export function sameTarget(url: URL, target: { host: string; address: string }): boolean {
  const h = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === target.host.toLowerCase()) return true;
  try {
    return normalizeAddress(h) === normalizeAddress(target.address);
  } catch {
    return false;
  }
}

/** The port of an http(s) URL, with the scheme's default. */
export function urlPort(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
}
