// What every login protocol of the credentials tester provides, and the connection helper they
// share: a socket opened through the scope's gate (inside TLS when the service is TLS-wrapped),
// bounded reads, and transcripts in which the secrets of the attempt (a password from a user's
// list, its base64 or digest) are masked.
import type { Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import type { ServiceData, Transcript } from "../../../evidence/probe.js";
import { exchange, transcript, type ExchangeOptions, type ExchangeResult } from "../exchange.js";
import { ConnectError, type Scope } from "../scope.js";
import type { AttemptVerdict, LoginService } from "../../../evidence/probe-credentials.js";

export interface LoginContext {
  scope: Scope;
  service: ServiceData;
  /** How long to wait for a prompt or a greeting. */
  timeoutMs: number;
  /** How long to wait for the verdict after the password (login programs pause on failure). */
  loginWaitMs: number;
  /** Bytes read per attempt at most. */
  maxBytes: number;
  /** Speak the protocol inside TLS (HTTPS, MQTT over TLS): every connection is wrapped. */
  tls?: boolean;
}

/** One login attempt: the pair, and the byte strings that must never appear in a transcript. */
export interface Attempt {
  user: string;
  password: string;
  /** Secrets to mask (the password and its encodings) when the password came from the user. */
  secret: boolean;
}

export interface AttemptResult {
  verdict: AttemptVerdict;
  /** Time from sending the password to the verdict, in ms (0 when it was never sent). */
  ms: number;
  note?: string;
  transcripts: Transcript[];
  /** Accepted, but the same answer could also mean "blocked" (an HTTP 403). */
  ambiguous?: boolean;
}

/** What prepare() learned: how to log in, or why there is nothing to log in to. */
export type Preparation =
  | { ok: true; method: string; transcripts: Transcript[]; form?: FormInfo }
  | { ok: false; stop: "no-login" | "error"; reason: string; transcripts: Transcript[] };

export interface LoginProtocol {
  service: LoginService;
  /** Learn how to log in (the HTTP challenge, the SSH methods); absent when there is nothing to learn. */
  prepare?(ctx: LoginContext): Promise<Preparation>;
  /** The method when prepare() is absent. */
  method?: string;
  attempt(ctx: LoginContext, a: Attempt): Promise<AttemptResult>;
  /** FTP: the anonymous login tried after the canary (RFC 1635: user anonymous, any password). */
  anonymous?: { user: string; password: string };
}

/** What prepare() learned about an HTML login form, for the record. */
export interface FormInfo {
  /** The page the form was read from. */
  page: string;
  /** Where it is sent, and how. */
  action: string;
  method: "GET" | "POST";
  userField: string;
  passwordField: string;
  /** Other fields sent as the page set them (hidden inputs, checked boxes, the submit button). */
  otherFields: string[];
}

export const MASK = "******";

/** Replace every occurrence of each secret in b by ******. */
export function maskBytes(b: Buffer, secrets: readonly Buffer[]): Buffer {
  let out = b;
  for (const s of secrets) {
    if (s.length === 0) continue;
    const parts: Buffer[] = [];
    let from = 0;
    for (let at = out.indexOf(s); at >= 0; at = out.indexOf(s, from)) {
      parts.push(out.subarray(from, at), Buffer.from(MASK));
      from = at + s.length;
    }
    if (from > 0) out = Buffer.concat([...parts, out.subarray(from)]);
  }
  return out;
}

/** A transcript with the secrets masked in what was sent and what came back. */
export function maskedTranscript(
  step: string,
  sent: Buffer | undefined,
  r: ExchangeResult,
  secrets: readonly Buffer[],
): Transcript {
  return transcript(step, sent && maskBytes(sent, secrets), {
    ...r,
    received: maskBytes(r.received, secrets),
  });
}

/** A connection for one attempt: every read bounded, every exchange written to the transcripts. */
export class Conversation {
  readonly transcripts: Transcript[] = [];
  /** Secrets masked in every transcript of this conversation. */
  secrets: Buffer[] = [];
  private used = 0;

  private constructor(
    private readonly sock: Socket,
    private readonly maxBytes: number,
    /** The TCP socket under a TLS one, destroyed with it. */
    private readonly raw?: Socket,
  ) {}

  /**
   * Open through the scope's gate, and inside TLS when the context says so; a refused, reset or
   * timed-out connect, or a failed handshake, becomes a result.
   */
  static async open(ctx: LoginContext, purpose: string): Promise<Conversation | AttemptResult> {
    let sock: Socket | undefined;
    try {
      sock = await ctx.scope.connect(ctx.service.address, ctx.service.port, purpose);
    } catch (e) {
      if (!(e instanceof ConnectError)) throw e;
      const verdict =
        e.code === "timeout" ? "timeout" : e.code === "refused" || e.code === "reset" ? "refused" : "error";
      return { verdict, ms: 0, note: `connect failed (${e.code})`, transcripts: [] };
    }
    if (!sock) return { verdict: "error", ms: 0, note: "dry run", transcripts: [] };
    if (!ctx.tls) return new Conversation(sock, ctx.maxBytes);
    const t = await wrapTls(sock, ctx);
    if (typeof t === "string") {
      sock.destroy();
      // A peer that had answered before and now fails the handshake is refusing us, as a reset is.
      return {
        verdict: /ECONNRESET|closed/.test(t) ? "refused" : t.includes("timeout") ? "timeout" : "error",
        ms: 0,
        note: t,
        transcripts: [],
      };
    }
    return new Conversation(t, ctx.maxBytes, sock);
  }

  /** Send (optionally) and read, within what is left of the attempt's byte allowance. */
  async read(
    step: string,
    send: Buffer | undefined,
    o: Omit<ExchangeOptions, "send" | "maxBytes">,
  ): Promise<ExchangeResult> {
    const left = Math.max(1, this.maxBytes - this.used);
    const r = await exchange(this.sock, { ...o, send, maxBytes: left });
    this.used += r.received.length;
    this.transcripts.push(maskedTranscript(step, send, r, this.secrets));
    return r;
  }

  write(b: Buffer): void {
    if (!this.sock.destroyed) this.sock.write(b);
  }

  /** End politely (a last write such as QUIT still goes out), then make sure the socket is gone. */
  close(): void {
    this.sock.end();
    setTimeout(() => {
      this.sock.destroy();
      this.raw?.destroy();
    }, 100).unref();
  }
}

/**
 * The TLS client of a login over HTTPS or MQTT over TLS: any certificate (a device's is usually
 * self-signed; the tls tester judges it), any protocol version and cipher the peer still offers
 * (SECLEVEL=0), the target's name as SNI when it was named by one. A string says why not.
 */
export function wrapTls(raw: Socket, ctx: LoginContext): Promise<Socket | string> {
  const host = ctx.service.host;
  return new Promise((resolve) => {
    const t = tlsConnect({
      socket: raw,
      rejectUnauthorized: false,
      minVersion: "TLSv1",
      ciphers: "DEFAULT@SECLEVEL=0",
      servername: /^[a-z]/i.test(host) && !host.includes(":") ? host : undefined,
    });
    let done = false;
    const end = (r: Socket | string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (typeof r === "string") t.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => end("no TLS handshake (timeout)"), ctx.timeoutMs);
    t.once("secureConnect", () => {
      // A permanent handler: a late TLS error must not crash the process; readers see "close".
      t.on("error", () => {});
      end(t);
    });
    t.once("error", (e: NodeJS.ErrnoException) => end(`no TLS handshake (${e.code ?? e.message})`));
    t.once("close", () => end("no TLS handshake (closed)"));
  });
}

/** The words a peer uses when it has locked an account or is limiting attempts. */
export const LOCK_WORDS =
  /\b(locked|lock(ed)?[ -]?out|too many|try again later|temporarily (blocked|disabled|unavailable|banned)|blocked|banned|rate limit(ed)?)\b/i;

/** The words a peer uses to refuse a login. */
export const FAIL_WORDS =
  /\b(incorrect|invalid|fail(ed|ure)?|denied|wrong|bad (password|user|credentials)|not (allowed|authori[sz]ed|permitted)|unauthori[sz]ed)\b/i;

/** How an exchange that gave no usable answer ends up as a verdict. */
export function silentVerdict(r: ExchangeResult, waiting: string): Pick<AttemptResult, "verdict" | "note"> {
  if (r.outcome === "limit")
    return { verdict: "error", note: `flooded: more than ${r.received.length} bytes ${waiting}` };
  if (r.outcome === "timeout") return { verdict: "timeout", note: `no answer ${waiting}` };
  if (r.outcome === "reset") return { verdict: "refused", note: `connection reset ${waiting}` };
  if (r.outcome === "closed") return { verdict: "refused", note: `connection closed ${waiting}` };
  return { verdict: "error", note: `${r.outcome} ${waiting}` };
}
