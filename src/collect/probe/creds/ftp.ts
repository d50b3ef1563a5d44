// FTP logins (RFC 959): greeting 220, USER -> 331 (password needed) or 230 (in without one),
// PASS -> 230 (logged in) or 530 (refused). 421 closes the session: with "too many" or a lock
// word it is a limit, otherwise the service is unavailable. A reply may span lines ("230-...")
// and ends with the line that repeats the code followed by a space.
import {
  Conversation,
  LOCK_WORDS,
  silentVerdict,
  type Attempt,
  type AttemptResult,
  type LoginContext,
  type LoginProtocol,
} from "./protocol.js";

/** The final line of the first complete reply in b: its code and text. */
export function ftpReply(b: Buffer): { code: number; text: string } | undefined {
  const text = b.toString("latin1");
  let at = 0;
  for (;;) {
    const nl = text.indexOf("\n", at);
    if (nl < 0) return undefined;
    const line = text.slice(at, nl).replace(/\r$/, "");
    const m = /^(\d{3}) (.*)$/.exec(line) ?? /^(\d{3})$/.exec(line);
    if (m) return { code: Number(m[1]), text: line.slice(0, 200) };
    at = nl + 1;
  }
}

async function attempt(ctx: LoginContext, a: Attempt): Promise<AttemptResult> {
  const c = await Conversation.open(ctx, "credentials: ftp login");
  if (!(c instanceof Conversation)) return c;
  if (a.secret) c.secrets = [Buffer.from(a.password)];
  const result = (r: Omit<AttemptResult, "transcripts">): AttemptResult => ({
    ...r,
    transcripts: c.transcripts,
  });
  const ask = async (step: string, line: string | undefined, waitMs: number) => {
    const r = await c.read(step, line === undefined ? undefined : Buffer.from(`${line}\r\n`), {
      waitMs,
      complete: (b) => ftpReply(b) !== undefined,
    });
    return { r, reply: ftpReply(r.received) };
  };
  /** A reply that is neither the expected next step nor a plain refusal. */
  const other = (reply: { code: number; text: string }, ms: number): AttemptResult => {
    if (reply.code === 421 || LOCK_WORDS.test(reply.text))
      return result({
        verdict: LOCK_WORDS.test(reply.text) ? "locked" : "refused",
        ms,
        note: JSON.stringify(reply.text),
      });
    return result({ verdict: "error", ms, note: `unexpected reply ${JSON.stringify(reply.text)}` });
  };
  try {
    const greet = await ask("greeting", undefined, ctx.timeoutMs);
    if (!greet.reply) return result({ ...silentVerdict(greet.r, "before the FTP greeting"), ms: 0 });
    if (greet.reply.code !== 220) return other(greet.reply, 0);
    const user = await ask("USER", `USER ${a.user}`, ctx.timeoutMs);
    if (!user.reply) return result({ ...silentVerdict(user.r, "after USER"), ms: 0 });
    if (user.reply.code === 230)
      return result({
        verdict: "accepted",
        ms: 0,
        note: `in without a password: ${JSON.stringify(user.reply.text)}`,
      });
    if (user.reply.code === 530 && !LOCK_WORDS.test(user.reply.text))
      return result({ verdict: "rejected", ms: 0, note: JSON.stringify(user.reply.text) });
    if (user.reply.code !== 331 && user.reply.code !== 332) return other(user.reply, 0);
    const t0 = Date.now();
    const pass = await ask("PASS", `PASS ${a.password}`, ctx.loginWaitMs);
    const ms = Date.now() - t0;
    if (!pass.reply) return result({ ...silentVerdict(pass.r, "after PASS"), ms });
    const note = JSON.stringify(pass.reply.text);
    if (pass.reply.code === 230 || pass.reply.code === 202) {
      c.write(Buffer.from("QUIT\r\n"));
      return result({ verdict: "accepted", ms, note });
    }
    if (pass.reply.code === 530 && !LOCK_WORDS.test(pass.reply.text))
      return result({ verdict: "rejected", ms, note });
    return other(pass.reply, ms);
  } finally {
    c.close();
  }
}

export function ftpProtocol(): LoginProtocol {
  return {
    service: "ftp",
    method: "USER/PASS",
    attempt,
    // RFC 1635: the anonymous user, with a mail-address-like password.
    anonymous: { user: "anonymous", password: "concord-probe@example.invalid" },
  };
}
