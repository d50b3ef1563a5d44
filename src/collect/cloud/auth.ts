// Does a cloud endpoint answer without credentials? One request over TLS with none: HTTP GET of
// the URL (with a WebSocket upgrade for wss), or an MQTT CONNECT without user name for mqtts.
// 401/403 (MQTT 4 or 5) means it refuses; 2xx with a body, an accepted upgrade, or MQTT 0 means
// it answers; anything else (redirects, 404, empty answers) does not tell. Reads are bounded.
import type { Socket } from "node:net";
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import { exchange, transcript, type ExchangeResult } from "../probe/exchange.js";
import { BudgetError, ConnectError, type Scope } from "../probe/scope.js";
import type { CloudAuthData } from "../../evidence/cloud.js";
import { mqttConnect, MQTT_RETURN_CODES } from "../probe/mqtt-packet.js";

export interface AuthTarget {
  url: URL;
  host: string;
  address: string;
  port: number;
  serverName?: string;
}

type AuthResult = Omit<CloudAuthData, "url" | "purpose">;

const MAX_BYTES = 65536;
/** A fixed Sec-WebSocket-Key (base64 of 16 bytes), so the request is the same every run. */
const WS_KEY = Buffer.from("concord-probe-ws").toString("base64");

/** TLS over a socket from the gate; resolves once the handshake is done, or with why not. */
function startTls(
  raw: Socket,
  serverName: string | undefined,
  alpn: string[],
  timeoutMs: number,
): Promise<TLSSocket | string> {
  return new Promise((resolve) => {
    const t = tlsConnect({
      socket: raw,
      servername: serverName,
      // The question here is authentication, not TLS quality (cloud.tls judges that): talk to any server.
      rejectUnauthorized: false,
      minVersion: "TLSv1",
      ciphers: "DEFAULT@SECLEVEL=0",
      ALPNProtocols: alpn,
    });
    const timer = setTimeout(() => {
      t.destroy();
      resolve("no TLS handshake (timeout)");
    }, timeoutMs);
    t.once("secureConnect", () => {
      clearTimeout(timer);
      resolve(t);
    });
    t.once("error", (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      t.destroy();
      resolve(`no TLS handshake (${e.code ?? e.message})`);
    });
  });
}

interface HttpAnswer {
  status: number;
  statusText: string;
  headers: Map<string, string>;
  body: Buffer;
  /** The body arrived whole (by Content-Length, chunked end, or close). */
  whole: boolean;
}

/** The bytes of a chunked body, decoded as far as they go; `end` once the last chunk came. */
function dechunk(b: Buffer): { body: Buffer; end: boolean } {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const nl = b.indexOf("\r\n", at);
    if (nl < 0) return { body: Buffer.concat(parts), end: false };
    const size = Number.parseInt(b.subarray(at, nl).toString("latin1"), 16);
    if (!Number.isFinite(size)) return { body: Buffer.concat(parts), end: false };
    if (size === 0) return { body: Buffer.concat(parts), end: true };
    parts.push(b.subarray(nl + 2, nl + 2 + size));
    at = nl + 2 + size + 2;
    if (at > b.length) return { body: Buffer.concat(parts), end: false };
  }
}

export function parseHttpAnswer(b: Buffer, closed: boolean): HttpAnswer | undefined {
  const end = b.indexOf("\r\n\r\n");
  if (end < 0) return undefined;
  const lines = b.subarray(0, end).toString("latin1").split("\r\n");
  const m = /^HTTP\/\d(?:\.\d)?\s+(\d{3})\s*(.*)$/.exec(lines[0] ?? "");
  if (!m) return undefined;
  const headers = new Map<string, string>();
  for (const l of lines.slice(1)) {
    const i = l.indexOf(":");
    if (i > 0) headers.set(l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim());
  }
  const status = Number(m[1]);
  const raw = b.subarray(end + 4);
  if (status === 101 || status === 204 || status === 304)
    return { status, statusText: m[2]!, headers, body: Buffer.alloc(0), whole: true };
  if (/chunked/i.test(headers.get("transfer-encoding") ?? "")) {
    const c = dechunk(raw);
    return { status, statusText: m[2]!, headers, body: c.body, whole: c.end || closed };
  }
  const length = headers.get("content-length");
  if (length !== undefined && /^\d+$/.test(length)) {
    const n = Number(length);
    return { status, statusText: m[2]!, headers, body: raw.subarray(0, n), whole: raw.length >= n };
  }
  return { status, statusText: m[2]!, headers, body: raw, whole: closed };
}

function nothing(r: ExchangeResult): string {
  if (r.received.length) return `${r.received.length} bytes that are not an answer (${r.outcome})`;
  if (r.outcome === "timeout") return "no answer (timeout)";
  if (r.outcome === "closed") return "the connection closed without an answer";
  if (r.outcome === "reset") return "the connection was reset";
  return r.outcome;
}

function judgeHttp(a: HttpAnswer, request: string, websocket: boolean): AuthResult {
  const contentType = a.headers.get("content-type");
  const base = {
    tested: true,
    request,
    status: a.status,
    statusText: a.statusText,
    ...(contentType ? { contentType } : {}),
    bodyBytes: a.body.length,
  };
  const got = `${a.status}${a.statusText ? ` ${a.statusText}` : ""}`;
  if (a.status === 401 || a.status === 403)
    return { ...base, verdict: "refuses", detail: `${request} without credentials got ${got}` };
  if (websocket && a.status === 101)
    return {
      ...base,
      verdict: "answers",
      detail: `${request} without credentials got 101: the WebSocket upgrade was accepted`,
    };
  if (a.status >= 200 && a.status < 300 && a.body.length > 0)
    return {
      ...base,
      verdict: "answers",
      detail: `${request} without credentials got ${got} with ${a.body.length} bytes${contentType ? ` of ${contentType}` : ""}`,
    };
  const location = a.headers.get("location");
  return {
    ...base,
    verdict: "undetermined",
    detail: `${request} without credentials got ${got}${a.status >= 200 && a.status < 300 ? " with an empty body" : ""}${location ? ` (to ${location.slice(0, 200)})` : ""}`,
  };
}

/** Send one request without credentials to the endpoint and judge the answer. */
export async function testUnauthenticated(scope: Scope, t: AuthTarget): Promise<AuthResult | undefined> {
  const scheme = t.url.protocol;
  const mqtt = scheme === "mqtts:";
  const websocket = scheme === "wss:";
  let raw: Socket | undefined;
  try {
    raw = await scope.connect(
      t.address,
      t.port,
      `cloud: ${mqtt ? "MQTT CONNECT" : "GET"} without credentials`,
    );
  } catch (e) {
    if (e instanceof ConnectError) return { tested: false, reason: `connect failed (${e.code})` };
    if (e instanceof BudgetError) return { tested: false, reason: e.message };
    throw e;
  }
  if (!raw) return undefined;
  const tls = await startTls(raw, t.serverName, mqtt ? ["mqtt"] : ["http/1.1"], scope.limits.timeoutMs);
  if (typeof tls === "string") {
    raw.destroy();
    return { tested: false, reason: tls };
  }
  try {
    if (mqtt) {
      const r = await exchange(tls, {
        send: mqttConnect("concord-probe"),
        maxBytes: 64,
        waitMs: scope.limits.timeoutMs,
        complete: (b) => b.length >= 4,
      });
      const b = r.received;
      const base = {
        tested: true,
        request: "MQTT CONNECT",
        transcript: transcript("mqtt connect", mqttConnect("concord-probe"), r),
      };
      if (b.length >= 4 && b[0] === 0x20 && b[1] === 0x02 && b[3]! <= 5) {
        const code = b[3]!;
        if (code === 0) tls.write(Buffer.from([0xe0, 0x00])); // DISCONNECT, politely
        const meaning = MQTT_RETURN_CODES[code]!;
        return {
          ...base,
          status: code,
          statusText: meaning,
          verdict: code === 0 ? "answers" : code === 4 || code === 5 ? "refuses" : "undetermined",
          detail: `an MQTT CONNECT without user name got CONNACK ${code} (${meaning})`,
        };
      }
      return {
        ...base,
        verdict: "undetermined",
        detail: `an MQTT CONNECT without user name got ${nothing(r)}`,
      };
    }
    const path = `${t.url.pathname || "/"}${t.url.search}`;
    const defaultPort = t.port === 443;
    const hostHeader = `${t.url.hostname}${defaultPort ? "" : `:${t.port}`}`;
    const lines = [`GET ${path} HTTP/1.1`, `Host: ${hostHeader}`, "User-Agent: concord-probe", "Accept: */*"];
    if (websocket)
      lines.push(
        "Connection: Upgrade",
        "Upgrade: websocket",
        "Sec-WebSocket-Version: 13",
        `Sec-WebSocket-Key: ${WS_KEY}`,
      );
    else lines.push("Connection: close");
    const send = Buffer.from(`${lines.join("\r\n")}\r\n\r\n`);
    const r = await exchange(tls, {
      send,
      maxBytes: MAX_BYTES,
      waitMs: scope.limits.timeoutMs,
      idleMs: 500,
      complete: (b) => parseHttpAnswer(b, false)?.whole ?? false,
    });
    const request = `GET ${path.slice(0, 200)}`;
    const a = parseHttpAnswer(r.received, r.outcome !== "complete");
    const tr = transcript("http get", send, r);
    if (!a)
      return {
        tested: true,
        request,
        verdict: "undetermined",
        detail: `${request} without credentials got ${nothing(r)}`,
        transcript: tr,
      };
    return { ...judgeHttp(a, request, websocket), transcript: tr };
  } finally {
    tls.destroy();
    raw.destroy();
  }
}
