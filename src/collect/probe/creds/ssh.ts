// SSH logins with the ssh2 client over a socket opened by the scope's gate. Each attempt is one
// connection: the "none" method first (RFC 4252 section 5.2: the server's answer lists the
// methods it accepts, and a server that lets "none" in needs no credentials at all), then
// "password", or "keyboard-interactive" answering every prompt with the password when password
// is not offered. A server offering neither has no password login to test.
import { Client, type AuthenticationType, type NextAuthHandler } from "ssh2";
import type { Transcript } from "../../../evidence/probe.js";
import { escapeBytes } from "../exchange.js";
import { ConnectError } from "../scope.js";
import {
  LOCK_WORDS,
  MASK,
  type Attempt,
  type AttemptResult,
  type LoginContext,
  type LoginProtocol,
  type Preparation,
} from "./protocol.js";

type Method = "password" | "keyboard-interactive";

interface SshOutcome {
  verdict: AttemptResult["verdict"];
  ms: number;
  note: string;
  /** The methods the server listed after "none". */
  methods?: string[];
  log: string[];
}

/** At most this many keyboard-interactive rounds per attempt (a server may ask again and again). */
const KBD_ROUNDS = 3;

/** One connection: "none", then the password by `method`; with "methods" only learn what is offered. */
async function login(
  ctx: LoginContext,
  user: string,
  password: string,
  secret: boolean,
  method: Method | "methods",
): Promise<SshOutcome> {
  const log: string[] = [];
  let sock;
  try {
    sock = await ctx.scope.connect(ctx.service.address, ctx.service.port, "credentials: ssh login");
  } catch (e) {
    if (!(e instanceof ConnectError)) throw e;
    const verdict =
      e.code === "timeout" ? "timeout" : e.code === "refused" || e.code === "reset" ? "refused" : "error";
    return { verdict, ms: 0, note: `connect failed (${e.code})`, log };
  }
  if (!sock) return { verdict: "error", ms: 0, note: "dry run", log };
  const shown = (s: string) => (secret ? MASK : s);
  return new Promise<SshOutcome>((resolve) => {
    const c = new Client();
    let done = false;
    let t0 = 0;
    let methods: string[] | undefined;
    let step = 0;
    const finish = (verdict: SshOutcome["verdict"], note: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ verdict, ms: t0 ? Date.now() - t0 : 0, note, methods, log });
      c.end();
      setTimeout(() => sock.destroy(), 100).unref();
    };
    // The whole attempt: handshake within the connect timeout, the verdict within the login wait.
    const timer = setTimeout(() => finish("timeout", "no verdict in time"), ctx.timeoutMs + ctx.loginWaitMs);
    const authHandler = (
      left: AuthenticationType[] | null,
      _partial: boolean | null,
      next: NextAuthHandler,
    ): void => {
      step++;
      if (step === 1) {
        log.push(`auth none ${user}`);
        return next({ type: "none", username: user });
      }
      if (step > 2) return next(false as unknown as AuthenticationType); // ssh2: false ends authentication
      methods = left ?? [];
      log.push(`methods offered: ${methods.join(",") || "(none)"}`);
      if (method === "methods") return finish("rejected", "methods learned");
      if (!methods.includes(method))
        return finish("error", `${method} login no longer offered (methods: ${methods.join(",") || "none"})`);
      t0 = Date.now();
      if (method === "password") {
        log.push(`auth password ${user} / ${shown(password)}`);
        return next({ type: "password", username: user, password });
      }
      log.push(`auth keyboard-interactive ${user}`);
      let rounds = 0;
      return next({
        type: "keyboard-interactive",
        username: user,
        prompt: (_name, instructions, _lang, prompts, finishPrompts) => {
          const texts = prompts.map((p) => p.prompt.trim());
          log.push(
            `prompts: ${JSON.stringify(texts)}${instructions ? ` (${JSON.stringify(instructions.slice(0, 80))})` : ""}`,
          );
          if (LOCK_WORDS.test(`${instructions} ${texts.join(" ")}`)) {
            finish(
              "locked",
              `keyboard-interactive said ${JSON.stringify(`${instructions} ${texts.join(" ")}`.trim().slice(0, 80))}`,
            );
            return;
          }
          if (++rounds > KBD_ROUNDS) {
            finish("error", `more than ${KBD_ROUNDS} keyboard-interactive rounds`);
            return;
          }
          log.push(`answers: ${prompts.map(() => shown(password)).join(", ") || "(none)"}`);
          finishPrompts(prompts.map(() => password));
        },
      });
    };
    c.on("banner", (msg: string) => {
      log.push(`banner: ${escapeBytes(Buffer.from(msg), 120)}`);
      if (LOCK_WORDS.test(msg)) finish("locked", `banner ${JSON.stringify(msg.trim().slice(0, 80))}`);
    });
    c.on("handshake", () => log.push("key exchange complete"));
    c.on("ready", () => {
      log.push("USERAUTH_SUCCESS");
      finish(
        "accepted",
        step <= 1 ? "logged in with the none method: no credentials needed" : "USERAUTH_SUCCESS",
      );
    });
    c.on("error", (err: Error & { level?: string; code?: string }) => {
      log.push(`error (${err.level ?? err.code ?? "?"}): ${err.message}`);
      if (err.level === "client-authentication") finish("rejected", "USERAUTH_FAILURE");
      else if (LOCK_WORDS.test(err.message))
        finish("locked", `disconnected: ${JSON.stringify(err.message.slice(0, 80))}`);
      else if (err.level === "client-timeout") finish("timeout", "handshake timed out");
      else if (err.level === "client-socket" || err.code === "ECONNRESET")
        finish("refused", `connection ${err.message}`);
      else finish("error", err.message);
    });
    c.on("close", () => finish("refused", t0 ? "closed after the password" : "closed before authentication"));
    try {
      c.connect({
        sock,
        username: user,
        hostVerifier: () => true,
        readyTimeout: ctx.timeoutMs + ctx.loginWaitMs,
        authHandler,
      });
    } catch (e) {
      finish("error", (e as Error).message);
    }
  });
}

function transcriptOf(o: SshOutcome): Transcript {
  return {
    step: "ssh login",
    sent: o.log.filter((l) => l.startsWith("auth") || l.startsWith("answers")).join("; "),
    received: o.log
      .filter((l) => !l.startsWith("auth") && !l.startsWith("answers"))
      .join("; ")
      .slice(0, 512),
    receivedBytes: 0,
    outcome: `${o.verdict}: ${o.note}`,
  };
}

class SshLogin implements LoginProtocol {
  readonly service = "ssh" as const;
  private chosen?: Method;

  /** Learn the methods from the answer to "none" (not a login attempt: no password is sent). */
  async prepare(ctx: LoginContext): Promise<Preparation> {
    const o = await login(ctx, "concord-probe", "", false, "methods");
    const methods = o.methods ?? [];
    const transcripts = [transcriptOf(o)];
    if (o.verdict === "accepted") return { ok: true, method: "none (no authentication)", transcripts };
    if (!o.methods)
      return {
        ok: false,
        stop: "error",
        reason: `could not learn the login methods: ${o.note}`,
        transcripts,
      };
    this.chosen = methods.includes("password")
      ? "password"
      : methods.includes("keyboard-interactive")
        ? "keyboard-interactive"
        : undefined;
    if (!this.chosen)
      return {
        ok: false,
        stop: "no-login",
        reason: `no password login offered (methods: ${methods.join(",") || "none"})`,
        transcripts,
      };
    return { ok: true, method: this.chosen, transcripts };
  }

  async attempt(ctx: LoginContext, a: Attempt): Promise<AttemptResult> {
    const o = await login(ctx, a.user, a.password, a.secret, this.chosen ?? "password");
    return { verdict: o.verdict, ms: o.ms, note: o.note, transcripts: [transcriptOf(o)] };
  }
}

export function sshProtocol(): LoginProtocol {
  return new SshLogin();
}
