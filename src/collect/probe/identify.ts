// Service identification on an open port: first listen (SSH, telnet and FTP speak first), then ask
// in turn (HTTP, RTSP, MQTT, TLS), each on a fresh connection through the scope's gate, each read
// bounded in bytes and time. Whatever the peer does (floods, hangs, resets, garbage) the answer is a
// service, or "unknown" with "could not determine: <reason>".
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import type { Socket } from "node:net";
import type { ServiceData, Transcript } from "../../evidence/probe.js";
import { escapeBytes, exchange, transcript, type ExchangeResult } from "./exchange.js";
import { BudgetError, ConnectError, type Scope } from "./scope.js";
import { mqttConnect, MQTT_RETURN_CODES } from "./mqtt-packet.js";

export interface IdentifyOptions {
  /** How long to listen for a banner before asking. */
  bannerWaitMs?: number;
  /** Bytes read per exchange at most. */
  maxBytes?: number;
}

type Result = Pick<ServiceData, "service" | "banner" | "detail">;
interface Step {
  name: string;
  run(ctx: StepContext): Promise<Result | string>;
}
interface StepContext {
  scope: Scope;
  host: string;
  address: string;
  port: number;
  transcripts: Transcript[];
  maxBytes: number;
  bannerWaitMs: number;
}

const TELNET_CMD: Record<number, string> = { 0xfb: "WILL", 0xfc: "WONT", 0xfd: "DO", 0xfe: "DONT" };
const TELNET_OPT: Record<number, string> = {
  0: "BINARY",
  1: "ECHO",
  3: "SUPPRESS-GO-AHEAD",
  5: "STATUS",
  6: "TIMING-MARK",
  24: "TERMINAL-TYPE",
  31: "NAWS",
  32: "TERMINAL-SPEED",
  33: "REMOTE-FLOW-CONTROL",
  34: "LINEMODE",
  35: "X-DISPLAY-LOCATION",
  36: "ENVIRON",
  39: "NEW-ENVIRON",
};

/** Telnet IAC negotiation in the bytes, and the text with IAC sequences removed. */
export function parseTelnet(b: Buffer): { negotiation: string[]; text: string } {
  const negotiation: string[] = [];
  const text: number[] = [];
  for (let i = 0; i < b.length; i++) {
    if (b[i] !== 0xff) {
      text.push(b[i]!);
      continue;
    }
    const cmd = b[i + 1];
    if (cmd !== undefined && TELNET_CMD[cmd] && b[i + 2] !== undefined) {
      negotiation.push(`${TELNET_CMD[cmd]} ${TELNET_OPT[b[i + 2]!] ?? String(b[i + 2])}`);
      i += 2;
    } else if (cmd === 0xfa) {
      const end = b.indexOf(Buffer.from([0xff, 0xf0]), i);
      i = end < 0 ? b.length : end + 1;
    } else i += 1;
  }
  return { negotiation, text: Buffer.from(text).toString("latin1") };
}

function firstLine(s: string): string {
  return (
    s
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => l !== "")
      ?.slice(0, 200) ?? ""
  );
}

function lastLine(s: string): string {
  const lines = s
    .split(/\r?\n|\r/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
  return lines[lines.length - 1]?.slice(0, 200) ?? "";
}

const LOGIN_PROMPT = /(login|username|user name|password)\s*:\s*$/i;

/** What a server that speaks first said; a string when it is not recognised. */
export function classifyBanner(b: Buffer): Result | string {
  const s = b.toString("latin1");
  if (s.startsWith("SSH-")) {
    const banner = firstLine(s);
    const m = /^SSH-([\d.]+)-(\S+)\s*(.*)$/.exec(banner);
    return {
      service: "ssh",
      banner,
      detail: { protocol: m?.[1] ?? "", software: m?.[2] ?? "", comment: m?.[3] ?? "" },
    };
  }
  const t = parseTelnet(b);
  if (t.negotiation.length > 0 || LOGIN_PROMPT.test(t.text.trim())) {
    const prompt = lastLine(t.text);
    return {
      service: "telnet",
      banner: firstLine(t.text) || undefined,
      detail: { negotiation: t.negotiation, prompt, loginPrompt: LOGIN_PROMPT.test(prompt) },
    };
  }
  if (/^220[ -]/.test(s)) {
    const banner = firstLine(s);
    if (/E?SMTP/i.test(banner)) return { service: "smtp", banner, detail: {} };
    return { service: "ftp", banner, detail: {} };
  }
  return `sent ${b.length} bytes of unrecognised data unasked (${escapeBytes(b, 40)})`;
}

function headers(text: string): { statusLine: string; get(name: string): string | undefined } {
  const [head = ""] = text.split(/\r?\n\r?\n/);
  const lines = head.split(/\r?\n/);
  return {
    statusLine: lines[0] ?? "",
    get(name: string) {
      const l = lines.find((x) => x.toLowerCase().startsWith(`${name.toLowerCase()}:`));
      return l?.slice(name.length + 1).trim();
    },
  };
}

const headersDone = (b: Buffer) => b.includes("\r\n\r\n") || b.includes("\n\n");

function classifyHttpLike(b: Buffer): Result | undefined {
  const text = b.toString("latin1");
  const m = /^(HTTP|RTSP)\/(\d\.\d)\s+(\d{3})\s*(.*)$/.exec(firstLine(text));
  if (!m) return undefined;
  const h = headers(text);
  const detail: Record<string, unknown> = { version: m[2], status: Number(m[3]), reason: m[4] };
  const server = h.get("server");
  if (server !== undefined) detail.server = server;
  if (m[1] === "RTSP") {
    const pub = h.get("public");
    if (pub !== undefined) detail.methods = pub.split(",").map((x) => x.trim());
  } else {
    const auth = h.get("www-authenticate");
    if (auth !== undefined) detail.authenticate = auth.split(/\s/)[0];
  }
  return { service: m[1] === "RTSP" ? "rtsp" : "http", banner: h.statusLine.slice(0, 200), detail };
}

/** Open a connection through the gate; a ConnectError becomes a reason string. */
async function open(ctx: StepContext, purpose: string): Promise<Socket | string> {
  try {
    const s = await ctx.scope.connect(ctx.address, ctx.port, purpose);
    return s ?? "dry run";
  } catch (e) {
    if (e instanceof ConnectError) return `connect failed (${e.code})`;
    throw e;
  }
}

async function ask(
  ctx: StepContext,
  step: string,
  send: Buffer | undefined,
  opts: { waitMs: number; idleMs?: number; complete?: (b: Buffer) => boolean },
): Promise<ExchangeResult | string> {
  const sock = await open(ctx, `identify: ${step}`);
  if (typeof sock === "string") return sock;
  try {
    const r = await exchange(sock, { send, maxBytes: ctx.maxBytes, ...opts });
    ctx.transcripts.push(transcript(step, send, r));
    return r;
  } finally {
    sock.destroy();
  }
}

function nothing(r: ExchangeResult): string {
  if (r.outcome === "timeout") return "no answer (timeout)";
  if (r.outcome === "reset") return "connection reset";
  if (r.outcome === "closed") return "closed without answering";
  return r.outcome;
}

const banner: Step = {
  name: "banner",
  async run(ctx) {
    const r = await ask(ctx, "banner", undefined, { waitMs: ctx.bannerWaitMs, idleMs: 300 });
    if (typeof r === "string") return r;
    if (r.received.length === 0) return `no banner (${nothing(r)})`;
    const c = classifyBanner(r.received);
    if (typeof c !== "string" && r.outcome === "limit") c.detail.truncated = true;
    return c;
  },
};

const http: Step = {
  name: "http",
  async run(ctx) {
    const req = Buffer.from(
      `HEAD / HTTP/1.0\r\nHost: ${ctx.host.includes(":") ? `[${ctx.host}]` : ctx.host}:${ctx.port}\r\nUser-Agent: concord-probe\r\nConnection: close\r\n\r\n`,
    );
    const r = await ask(ctx, "http", req, { waitMs: ctx.scope.limits.timeoutMs, complete: headersDone });
    if (typeof r === "string") return r;
    return (
      classifyHttpLike(r.received) ??
      (r.received.length ? `not HTTP (${r.received.length} bytes)` : nothing(r))
    );
  },
};

const rtsp: Step = {
  name: "rtsp",
  async run(ctx) {
    const host = ctx.address.includes(":") ? `[${ctx.address}]` : ctx.address;
    const req = Buffer.from(
      `OPTIONS rtsp://${host}:${ctx.port}/ RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: concord-probe\r\n\r\n`,
    );
    const r = await ask(ctx, "rtsp", req, { waitMs: ctx.scope.limits.timeoutMs, complete: headersDone });
    if (typeof r === "string") return r;
    const c = classifyHttpLike(r.received);
    return c?.service === "rtsp"
      ? c
      : r.received.length
        ? `not RTSP (${r.received.length} bytes)`
        : nothing(r);
  },
};

const mqtt: Step = {
  name: "mqtt",
  async run(ctx) {
    const sock = await open(ctx, "identify: mqtt");
    if (typeof sock === "string") return sock;
    try {
      const req = mqttConnect("concord-probe");
      const r = await exchange(sock, {
        send: req,
        maxBytes: ctx.maxBytes,
        waitMs: ctx.scope.limits.timeoutMs,
        complete: (b) => b.length >= 4,
      });
      ctx.transcripts.push(transcript("mqtt", req, r));
      const b = r.received;
      if (b.length >= 4 && b[0] === 0x20 && b[1] === 0x02 && b[3]! <= 5) {
        const code = b[3]!;
        if (code === 0) sock.write(Buffer.from([0xe0, 0x00])); // DISCONNECT, politely
        return {
          service: "mqtt",
          banner: `CONNACK ${MQTT_RETURN_CODES[code]}`,
          detail: {
            anonymous: code === 0,
            returnCode: code,
            meaning: MQTT_RETURN_CODES[code],
            protocol: "3.1.1",
          },
        };
      }
      return b.length ? `not MQTT (${b.length} bytes)` : nothing(r);
    } finally {
      sock.end();
      setTimeout(() => sock.destroy(), 100).unref();
    }
  },
};

const tls: Step = {
  name: "tls",
  async run(ctx) {
    const raw = await open(ctx, "identify: tls");
    if (typeof raw === "string") return raw;
    return new Promise<Result | string>((resolve) => {
      let finished = false;
      const done = (r: Result | string, outcome: string) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        ctx.transcripts.push({
          step: "tls",
          sent: "TLS ClientHello",
          received: typeof r === "string" ? "" : `${String(r.detail.protocol)} handshake`,
          receivedBytes: 0,
          outcome,
        });
        t.destroy();
        raw.destroy();
        resolve(r);
      };
      const timer = setTimeout(
        () => done("no TLS handshake (timeout)", "timeout"),
        ctx.scope.limits.timeoutMs,
      );
      const t: TLSSocket = tlsConnect({
        socket: raw,
        rejectUnauthorized: false,
        minVersion: "TLSv1",
        ciphers: "DEFAULT@SECLEVEL=0",
        servername: /^[a-z]/i.test(ctx.host) && !ctx.host.includes(":") ? ctx.host : undefined,
      });
      t.once("secureConnect", () => {
        const cert = t.getPeerX509Certificate();
        const detail: Record<string, unknown> = {
          protocol: t.getProtocol() ?? "unknown",
          cipher: t.getCipher().name,
        };
        if (cert) {
          const selfSigned =
            cert.subject === cert.issuer && cert.checkIssued(cert) && cert.verify(cert.publicKey);
          Object.assign(detail, {
            subject: cert.subject.replace(/\n/g, ", "),
            issuer: cert.issuer.replace(/\n/g, ", "),
            selfSigned,
            validFrom: new Date(cert.validFrom).toISOString(),
            validTo: new Date(cert.validTo).toISOString(),
            expired: new Date(cert.validTo).getTime() < Date.now(),
            fingerprint256: cert.fingerprint256,
          });
        }
        done({ service: "tls", banner: String(detail.protocol), detail }, "complete");
      });
      t.once("error", (e: NodeJS.ErrnoException) =>
        done(`no TLS handshake (${e.code ?? e.message})`, `error: ${e.code ?? e.message}`),
      );
      t.once("close", () => done("no TLS handshake (closed)", "closed"));
    });
  },
};

const HINTS: Record<number, string> = {
  80: "http",
  81: "http",
  5000: "http",
  7547: "http",
  8000: "http",
  8008: "http",
  8080: "http",
  8081: "http",
  8888: "http",
  9000: "http",
  554: "rtsp",
  8554: "rtsp",
  1883: "mqtt",
  443: "tls",
  8443: "tls",
  8883: "tls",
};

export async function identify(
  scope: Scope,
  target: { host: string; address: string },
  port: number,
  opts: IdentifyOptions = {},
): Promise<ServiceData> {
  const ctx: StepContext = {
    scope,
    ...target,
    port,
    transcripts: [],
    maxBytes: opts.maxBytes ?? 16384,
    bannerWaitMs: opts.bannerWaitMs ?? Math.min(1500, scope.limits.timeoutMs),
  };
  const active = [http, rtsp, mqtt, tls];
  const hint = active.find((s) => s.name === HINTS[port]);
  const steps = [banner, ...(hint ? [hint] : []), ...active.filter((s) => s !== hint)];
  const reasons: string[] = [];
  for (const step of steps) {
    let r: Result | string;
    try {
      r = await step.run(ctx);
    } catch (e) {
      if (e instanceof BudgetError) {
        reasons.push(e.message);
        break;
      }
      throw e;
    }
    if (typeof r !== "string")
      return { host: target.host, address: target.address, port, ...r, transcripts: ctx.transcripts };
    reasons.push(`${step.name}: ${r}`);
  }
  return {
    host: target.host,
    address: target.address,
    port,
    service: "unknown",
    detail: { reason: `could not determine: ${reasons.join("; ")}` },
    transcripts: ctx.transcripts,
  };
}
