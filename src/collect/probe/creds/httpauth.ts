// HTTP and RTSP logins: first a request without credentials (GET / for HTTP, DESCRIBE for RTSP).
// A 401 names the scheme: one request per attempt with Basic or Digest credentials; 401 refuses
// (a Digest "stale" nonce is renewed and the attempt repeated once); 2xx, 3xx and 404 mean the
// credentials got past authentication; 403 is accepted but ambiguous (authenticated but
// forbidden, or blocked), unless it names a lock; 429 and lock words are a limit.
// Without a 401, an HTTP page may hold an HTML login form (form.ts): GET / follows at most one
// redirect on the same origin (scheme, host and port) to find it, and each attempt submits the
// form to its action, which must be on the same origin too. No script is run. Over HTTPS every
// connection is wrapped in TLS by the Conversation (ctx.tls).
import type { Transcript } from "../../../evidence/probe.js";
import {
  basicAuthorization,
  chooseChallenge,
  describeChallenge,
  digestAuthorization,
  parseChallenges,
  type Challenge,
} from "./digest.js";
import { cookiesOf, fillForm, findLoginForm, FORM_PAGE_BYTES, judgeForm, type LoginForm } from "./form.js";
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

/** Body kept of an answer to an attempt; a login page is kept up to FORM_PAGE_BYTES. */
const BODY_KEPT = 4096;

function headerEnd(b: Buffer): number {
  const a = b.indexOf("\r\n\r\n");
  if (a >= 0) return a + 4;
  const n = b.indexOf("\n\n");
  return n >= 0 ? n + 2 : -1;
}

export function parseResponse(b: Buffer, bodyKept = BODY_KEPT): Response | undefined {
  const end = headerEnd(b);
  const head = b.subarray(0, end < 0 ? b.length : end).toString("latin1");
  const lines = head.split(/\r?\n/);
  const m = /^(HTTP|RTSP)\/\d\.\d\s+(\d{3})\s*(.*)$/.exec(lines[0] ?? "");
  if (!m || end < 0) return undefined;
  const headers: [string, string][] = [];
  for (const l of lines.slice(1, 101)) {
    const i = l.indexOf(":");
    if (i > 0)
      headers.push([
        l.slice(0, i).trim().toLowerCase(),
        l
          .slice(i + 1)
          .trim()
          .slice(0, 2000),
      ]);
  }
  return {
    protocol: m[1]!,
    status: Number(m[2]),
    reason: m[3]!.slice(0, 80),
    headers,
    body: b.subarray(end, end + bodyKept).toString("latin1"),
  };
}

/** Headers in, and the body up to its Content-Length (or what is kept of it). */
function responseComplete(b: Buffer, rtsp: boolean, bodyKept: number): boolean {
  const end = headerEnd(b);
  if (end < 0) return false;
  const cl = /\r?\ncontent-length:\s*(\d+)/i.exec(b.subarray(0, end).toString("latin1"));
  if (!cl) return rtsp; // RTSP: no Content-Length, no body; HTTP: read until close or idle
  return b.length - end >= Math.min(Number(cl[1]), bodyKept);
}

const get = (r: Response, name: string) => r.headers.filter(([n]) => n === name).map(([, v]) => v);

class HttpLogin implements LoginProtocol {
  readonly service: "http" | "rtsp";
  private challenge?: Challenge;
  /** Times the current nonce was used. */
  private nc = 0;
  private cseq = 1;
  /** The path Basic and Digest are sent to: "/", or where GET / redirected. */
  private path = "/";
  private form?: LoginForm;
  /** The login page, its cookies (sent back with every attempt) and the paths that mean "the login page again". */
  private page?: URL;
  private cookies: string[] = [];
  private loginPaths: string[] = [];

  constructor(service: "http" | "rtsp") {
    this.service = service;
  }

  private origin(ctx: LoginContext): URL {
    const a = ctx.service.address;
    return new URL(`${ctx.tls ? "https" : "http"}://${a.includes(":") ? `[${a}]` : a}:${ctx.service.port}/`);
  }

  private target(ctx: LoginContext): { method: string; uri: string } {
    const a = ctx.service.address;
    const host = a.includes(":") ? `[${a}]` : a;
    return this.service === "rtsp"
      ? { method: "DESCRIBE", uri: `rtsp://${host}:${ctx.service.port}/` }
      : { method: "GET", uri: this.path };
  }

  private request(
    ctx: LoginContext,
    o: { method?: string; uri?: string; authorization?: string; headers?: string[]; body?: Buffer } = {},
  ): Buffer {
    const t = this.target(ctx);
    const method = o.method ?? t.method;
    const uri = o.uri ?? t.uri;
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
    lines.push("User-Agent: concord-probe", ...(o.headers ?? []));
    if (o.authorization) lines.push(`Authorization: ${o.authorization}`);
    if (o.body) lines.push(`Content-Length: ${o.body.length}`);
    return Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\n\r\n`), o.body ?? Buffer.alloc(0)]);
  }

  /** One request on a fresh connection; the response, or an attempt result saying why there is none. */
  private async send(
    ctx: LoginContext,
    step: string,
    req: Buffer,
    waitMs: number,
    secrets: Buffer[],
    bodyKept = BODY_KEPT,
  ): Promise<{ response?: Response; result?: Omit<AttemptResult, "ms">; transcripts: Transcript[] }> {
    const c = await Conversation.open(ctx, `credentials: ${this.service} ${step}`);
    if (!(c instanceof Conversation)) return { result: c, transcripts: [] };
    c.secrets = secrets;
    try {
      const rtsp = this.service === "rtsp";
      const r = await c.read(step, req, {
        waitMs,
        idleMs: 500,
        complete: (b) => responseComplete(b, rtsp, bodyKept),
      });
      const response = parseResponse(r.received, bodyKept);
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

  /** A 401's challenge adopted, or why it cannot be. */
  private adopt(r: Response, what: string, transcripts: Transcript[]): Preparation {
    const offered = parseChallenges(get(r, "www-authenticate"));
    const chosen = chooseChallenge(offered);
    if (!chosen)
      return {
        ok: false,
        stop: "no-login",
        reason: `${what} asks for ${offered.map((c) => c.scheme).join(", ") || "an unnamed"} authentication, which the tester does not speak`,
        transcripts,
      };
    this.challenge = chosen;
    this.nc = 0;
    return { ok: true, method: describeChallenge(chosen), transcripts };
  }

  async prepare(ctx: LoginContext): Promise<Preparation> {
    const { method, uri } = this.target(ctx);
    let what = `${method} ${uri}`;
    // The page is read in full (up to FORM_PAGE_BYTES) in case it holds a login form.
    const big = { ...ctx, maxBytes: Math.max(ctx.maxBytes, FORM_PAGE_BYTES) };
    const kept = this.service === "http" ? FORM_PAGE_BYTES : BODY_KEPT;
    const s = await this.send(big, "challenge", this.request(ctx), ctx.timeoutMs, [], kept);
    const transcripts = [...s.transcripts];
    if (!s.response)
      return {
        ok: false,
        stop: "error",
        reason: `${what} got no answer: ${s.result?.note ?? ""}`,
        transcripts,
      };
    let r = s.response;
    if (r.status === 401) return this.adopt(r, what, transcripts);
    if (this.service === "rtsp")
      return {
        ok: false,
        stop: "no-login",
        reason: `${what} answered ${r.status} ${r.reason} without credentials: no login asked`,
        transcripts,
      };
    const origin = this.origin(ctx);
    let page = origin;
    const location = r.status >= 300 && r.status < 400 ? get(r, "location")[0] : undefined;
    if (location) {
      let to: URL | undefined;
      try {
        to = new URL(location, origin);
      } catch {
        to = undefined;
      }
      if (!to || to.origin !== origin.origin)
        return {
          ok: false,
          stop: "no-login",
          reason: `${what} redirects to ${(to?.href ?? location).slice(0, 200)}, another origin: a login there is tested on its own port`,
          transcripts,
        };
      page = to;
      this.path = to.pathname + to.search;
      what = `GET ${this.path} (redirected from /)`;
      this.cookies = cookiesOf(get(r, "set-cookie"));
      const s2 = await this.send(
        big,
        "redirect",
        this.request(ctx, { headers: this.cookieHeader() }),
        ctx.timeoutMs,
        [],
        kept,
      );
      transcripts.push(...s2.transcripts);
      if (!s2.response)
        return {
          ok: false,
          stop: "error",
          reason: `${what} got no answer: ${s2.result?.note ?? ""}`,
          transcripts,
        };
      r = s2.response;
      if (r.status === 401) return this.adopt(r, what, transcripts);
    }
    if (r.status !== 200)
      return {
        ok: false,
        stop: "no-login",
        reason: `${what} answered ${r.status} ${r.reason} without credentials: no login asked`,
        transcripts,
      };
    const form = findLoginForm(r.body, page);
    if (typeof form === "string")
      return {
        ok: false,
        stop: "no-login",
        reason: `${what} answered ${r.status} ${r.reason} without credentials and shows no login form (${form}): no login asked`,
        transcripts,
      };
    if (form.action.origin !== origin.origin)
      return {
        ok: false,
        stop: "no-login",
        reason: `the login form of ${what} is sent to ${form.action.href.slice(0, 200)}, another origin: not tried`,
        transcripts,
      };
    this.form = form;
    this.page = page;
    this.cookies = [...new Set([...this.cookies, ...cookiesOf(get(r, "set-cookie"))])];
    this.loginPaths = [...new Set([page.pathname, form.action.pathname])];
    const action = form.action.pathname + form.action.search;
    return {
      ok: true,
      method: `form ${form.method} ${action.slice(0, 80)}`,
      transcripts,
      form: {
        page: page.pathname + page.search,
        action: action.slice(0, 200),
        method: form.method,
        userField: form.userField,
        passwordField: form.passwordField,
        otherFields: form.fields.map(([k]) => k),
      },
    };
  }

  private cookieHeader(): string[] {
    return this.cookies.length ? [`Cookie: ${this.cookies.join("; ")}`] : [];
  }

  private async formAttempt(ctx: LoginContext, a: Attempt, form: LoginForm): Promise<AttemptResult> {
    const filled = fillForm(form, a.user, a.password);
    const secrets = a.secret
      ? [
          a.password,
          encodeURIComponent(a.password),
          new URLSearchParams([["", a.password]]).toString().slice(1),
        ].map((x) => Buffer.from(x))
      : [];
    const page = this.page!;
    const req = this.request(ctx, {
      method: form.method,
      uri: filled.path,
      headers: [
        ...(filled.contentType ? [`Content-Type: ${filled.contentType}`] : []),
        // Some embedded servers refuse a login without them (a cross-site request check).
        `Referer: ${page.href}`,
        `Origin: ${page.origin}`,
        ...this.cookieHeader(),
      ],
      ...(filled.body ? { body: filled.body } : {}),
    });
    const t0 = Date.now();
    const s = await this.send(ctx, `form ${a.user}`, req, ctx.loginWaitMs, secrets);
    const ms = Date.now() - t0;
    if (!s.response) return { ...s.result!, ms, transcripts: s.transcripts };
    const r = s.response;
    const j = judgeForm(
      {
        status: r.status,
        reason: r.reason,
        location: get(r, "location")[0],
        setCookie: get(r, "set-cookie"),
        body: r.body,
      },
      page,
      this.loginPaths,
      this.cookies,
    );
    return { ...j, ms, transcripts: s.transcripts };
  }

  async attempt(ctx: LoginContext, a: Attempt): Promise<AttemptResult> {
    if (this.form) return this.formAttempt(ctx, a, this.form);
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
        this.request(ctx, { authorization, headers: this.cookieHeader() }),
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
