// HTTP and RTSP logins: first a request without credentials (GET / for HTTP, DESCRIBE for RTSP)
// to read the challenge; no 401 means there is no login to test. Then one request per attempt
// with Basic or Digest credentials. 401 refuses (a Digest "stale" nonce is renewed and the
// attempt repeated once); 2xx, 3xx and 404 mean the credentials got past authentication; 403 is
// accepted but ambiguous (authenticated but forbidden, or blocked), unless it names a lock;
// 429 and lock words are a limit.
import type { Transcript } from "../../../evidence/probe.js";
import {
  basicAuthorization,
  chooseChallenge,
  describeChallenge,
  digestAuthorization,
  parseChallenges,
  type Challenge,
} from "./digest.js";
import {
  Conversation,
  LOCK_WORDS,
  silentVerdict,
  type Attempt,
  type AttemptResult,
  type LoginContext,
  type LoginProtocol,
  type Preparation,
} from "./protocol.js";

export interface Response {
  protocol: string;
  status: number;
  reason: string;
  headers: [string, string][];
  body: string;
}

const BODY_KEPT = 4096;

function headerEnd(b: Buffer): number {
  const a = b.indexOf("\r\n\r\n");
  if (a >= 0) return a + 4;
  const n = b.indexOf("\n\n");
  return n >= 0 ? n + 2 : -1;
}

export function parseResponse(b: Buffer): Response | undefined {
  const end = headerEnd(b);
  const head = b.subarray(0, end < 0 ? b.length : end).toString("latin1");
  const lines = head.split(/\r?\n/);
  const m = /^(HTTP|RTSP)\/\d\.\d\s+(\d{3})\s*(.*)$/.exec(lines[0] ?? "");
  if (!m || end < 0) return undefined;
  const headers: [string, string][] = [];
  for (const l of lines.slice(1)) {
    const i = l.indexOf(":");
    if (i > 0) headers.push([l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim()]);
  }
  return {
    protocol: m[1]!,
    status: Number(m[2]),
    reason: m[3]!.slice(0, 80),
    headers,
    body: b.subarray(end, end + BODY_KEPT).toString("latin1"),
  };
}

/** Headers in, and the body up to its Content-Length (or what is kept of it). */
function responseComplete(b: Buffer, rtsp: boolean): boolean {
  const end = headerEnd(b);
  if (end < 0) return false;
  const cl = /\r?\ncontent-length:\s*(\d+)/i.exec(b.subarray(0, end).toString("latin1"));
  if (!cl) return rtsp; // RTSP: no Content-Length, no body; HTTP: read until close or idle
  return b.length - end >= Math.min(Number(cl[1]), BODY_KEPT);
}

const get = (r: Response, name: string) => r.headers.filter(([n]) => n === name).map(([, v]) => v);

class HttpLogin implements LoginProtocol {
  readonly service: "http" | "rtsp";
  private challenge?: Challenge;
  /** Times the current nonce was used. */
  private nc = 0;
  private cseq = 1;

  constructor(service: "http" | "rtsp") {
    this.service = service;
  }

  private target(ctx: LoginContext): { method: string; uri: string } {
    const a = ctx.service.address;
    const host = a.includes(":") ? `[${a}]` : a;
    return this.service === "rtsp"
      ? { method: "DESCRIBE", uri: `rtsp://${host}:${ctx.service.port}/` }
      : { method: "GET", uri: "/" };
  }

  private request(ctx: LoginContext, authorization?: string): Buffer {
    const { method, uri } = this.target(ctx);
    const h = ctx.service.host;
    const lines =
      this.service === "rtsp"
        ? [`${method} ${uri} RTSP/1.0`, `CSeq: ${this.cseq++}`, "Accept: application/sdp"]
        : [
            `${method} ${uri} HTTP/1.1`,
            `Host: ${h.includes(":") ? `[${h}]` : h}:${ctx.service.port}`,
            "Accept: */*",
            "Connection: close",
          ];
    lines.push("User-Agent: concord-probe");
    if (authorization) lines.push(`Authorization: ${authorization}`);
    return Buffer.from(`${lines.join("\r\n")}\r\n\r\n`);
  }

  /** One request on a fresh connection; the response, or an attempt result saying why there is none. */
  private async send(
    ctx: LoginContext,
    step: string,
    req: Buffer,
    waitMs: number,
    secrets: Buffer[],
  ): Promise<{ response?: Response; result?: Omit<AttemptResult, "ms">; transcripts: Transcript[] }> {
    const c = await Conversation.open(ctx, `credentials: ${this.service} ${step}`);
    if (!(c instanceof Conversation)) return { result: c, transcripts: [] };
    c.secrets = secrets;
    try {
      const rtsp = this.service === "rtsp";
      const r = await c.read(step, req, { waitMs, idleMs: 500, complete: (b) => responseComplete(b, rtsp) });
      const response = parseResponse(r.received);
      if (response) return { response, transcripts: c.transcripts };
      const none = r.received.length
        ? {
            verdict: "error" as const,
            note: `not an ${this.service.toUpperCase()} response (${r.received.length} bytes)`,
          }
        : silentVerdict(r, `after the ${this.target(ctx).method} request`);
      return { result: { ...none, transcripts: c.transcripts }, transcripts: c.transcripts };
    } finally {
      c.close();
    }
  }

  async prepare(ctx: LoginContext): Promise<Preparation> {
    const { method, uri } = this.target(ctx);
    const what = `${method} ${uri}`;
    const s = await this.send(ctx, "challenge", this.request(ctx), ctx.timeoutMs, []);
    if (!s.response)
      return {
        ok: false,
        stop: "error",
        reason: `${what} got no answer: ${s.result?.note ?? ""}`,
        transcripts: s.transcripts,
      };
    const r = s.response;
    if (r.status !== 401)
      return {
        ok: false,
        stop: "no-login",
        reason: `${what} answered ${r.status} ${r.reason} without credentials: no login asked`,
        transcripts: s.transcripts,
      };
    const offered = parseChallenges(get(r, "www-authenticate"));
    const chosen = chooseChallenge(offered);
    if (!chosen)
      return {
        ok: false,
        stop: "no-login",
        reason: `${what} asks for ${offered.map((c) => c.scheme).join(", ") || "an unnamed"} authentication, which the tester does not speak`,
        transcripts: s.transcripts,
      };
    this.challenge = chosen;
    this.nc = 0;
    return { ok: true, method: describeChallenge(chosen), transcripts: s.transcripts };
  }

  async attempt(ctx: LoginContext, a: Attempt): Promise<AttemptResult> {
    const transcripts: Transcript[] = [];
    for (let renewed = 0; ; renewed++) {
      const ch = this.challenge!;
      const { method, uri } = this.target(ctx);
      let authorization: string;
      const secrets: Buffer[] = [];
      if (ch.scheme === "basic") {
        authorization = basicAuthorization(a.user, a.password);
        if (a.secret) secrets.push(Buffer.from(a.password), Buffer.from(authorization.slice(6)));
      } else {
        const d = digestAuthorization({
          challenge: ch,
          user: a.user,
          password: a.password,
          method,
          uri,
          nc: this.nc++,
        });
        authorization = d.header;
        if (a.secret) secrets.push(Buffer.from(a.password), Buffer.from(d.response));
      }
      const t0 = Date.now();
      const s = await this.send(
        ctx,
        `${describeChallenge(ch)} ${a.user}`,
        this.request(ctx, authorization),
        ctx.loginWaitMs,
        secrets,
      );
      const ms = Date.now() - t0;
      transcripts.push(...s.transcripts);
      if (!s.response) return { ...s.result!, ms, transcripts };
      const r = s.response;
      const note = `${r.status} ${r.reason}`.trim();
      if (r.status === 401) {
        const next = chooseChallenge(parseChallenges(get(r, "www-authenticate")));
        if (next) {
          this.challenge = next;
          this.nc = 0;
        }
        if (next?.params.stale?.toLowerCase() === "true" && renewed === 0) continue;
        const lock = LOCK_WORDS.exec(r.body);
        return lock
          ? { verdict: "locked", ms, note: `${note}: ${lock[0]}`, transcripts }
          : { verdict: "rejected", ms, note, transcripts };
      }
      if (r.status === 429) return { verdict: "locked", ms, note, transcripts };
      const lock = LOCK_WORDS.exec(`${r.reason} ${r.body}`);
      if (r.status >= 500) return { verdict: lock ? "locked" : "error", ms, note, transcripts };
      if (r.status === 403)
        return lock
          ? { verdict: "locked", ms, note: `${note}: ${lock[0]}`, transcripts }
          : { verdict: "accepted", ms, note: `${note} after the credentials`, transcripts, ambiguous: true };
      return { verdict: "accepted", ms, note, transcripts };
    }
  }
}

export function httpProtocol(): LoginProtocol {
  return new HttpLogin("http");
}

export function rtspProtocol(): LoginProtocol {
  return new HttpLogin("rtsp");
}
