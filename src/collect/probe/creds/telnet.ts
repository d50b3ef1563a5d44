// Telnet logins (RFC 854): refuse every option the server offers or asks for (DO x -> WONT x,
// WILL x -> DONT x) so the session stays a plain byte stream, wait for the login prompt, send
// the user, wait for the password prompt, send the password, and judge what comes back: a
// lock message, a new login prompt or a refusal word means no; a shell prompt, or text without
// any refusal on a connection that stays open, means the login worked.
import { parseTelnet } from "../identify.js";
import type { ExchangeResult } from "../exchange.js";
import {
  Conversation,
  FAIL_WORDS,
  LOCK_WORDS,
  silentVerdict,
  type Attempt,
  type AttemptResult,
  type LoginContext,
  type LoginProtocol,
} from "./protocol.js";

const IAC = 0xff;
const [WILL, WONT, DO, DONT] = [0xfb, 0xfc, 0xfd, 0xfe];

export const USER_PROMPT = /(login|username|user name|user)\s*:\s*$/i;
export const PASSWORD_PROMPT = /(password|passwd|passcode)\s*:\s*$/i;
export const SHELL_PROMPT = /[#$%>]\s*$/;

/** The answers to the server's DO and WILL requests in b: WONT and DONT, each option once. */
export function refusals(b: Buffer, answered: Set<string>): Buffer {
  const out: number[] = [];
  for (let i = 0; i + 2 < b.length; i++) {
    if (b[i] !== IAC) continue;
    const cmd = b[i + 1]!;
    if (cmd === IAC) {
      i++; // an escaped 0xff data byte
      continue;
    }
    if (cmd !== DO && cmd !== WILL && cmd !== WONT && cmd !== DONT) continue;
    const opt = b[i + 2]!;
    i += 2;
    if (cmd !== DO && cmd !== WILL) continue; // WONT/DONT need no answer
    const key = `${cmd}:${opt}`;
    if (answered.has(key)) continue;
    answered.add(key);
    out.push(IAC, cmd === DO ? WONT : DONT, opt);
  }
  return Buffer.from(out);
}

function lastLine(text: string): string {
  const lines = text.split(/\r\n|\n|\r|\0/).filter((l) => l.trim() !== "");
  return lines[lines.length - 1] ?? "";
}

/** Read, answering negotiation as it comes, until done(text) or the time, bytes or peer end it. */
async function readText(
  c: Conversation,
  step: string,
  send: Buffer | undefined,
  waitMs: number,
  done: (text: string) => boolean,
  answered: Set<string>,
): Promise<{ text: string; r: ExchangeResult }> {
  const end = Date.now() + waitMs;
  let raw = Buffer.alloc(0);
  let r: ExchangeResult;
  let toSend = send;
  for (let round = 0; ; round++) {
    const before = raw;
    r = await c.read(round === 0 ? step : `${step} (continued)`, toSend, {
      waitMs: Math.max(1, end - Date.now()),
      complete: (b) => b.includes(IAC) || done(parseTelnet(Buffer.concat([before, b])).text),
    });
    raw = Buffer.concat([raw, r.received]);
    const reply = refusals(r.received, answered);
    const text = parseTelnet(raw).text;
    if (r.outcome !== "complete" || done(text) || Date.now() >= end || round >= 20) return { text, r };
    toSend = reply.length ? reply : undefined;
  }
}

/** What the text after the password says. */
export function judgeAfterPassword(
  text: string,
  outcome: ExchangeResult["outcome"],
): Pick<AttemptResult, "verdict" | "note"> {
  const t = text.trim();
  const last = lastLine(t).trim();
  const quote = (s: string) => JSON.stringify(s.slice(0, 80));
  const lock = LOCK_WORDS.exec(t);
  if (lock) return { verdict: "locked", note: quote(lineWith(t, lock.index)) };
  if (USER_PROMPT.test(last) || PASSWORD_PROMPT.test(last))
    return { verdict: "rejected", note: `prompted again (${quote(last)})` };
  if (SHELL_PROMPT.test(last)) return { verdict: "accepted", note: `prompt ${quote(last)}` };
  const fail = FAIL_WORDS.exec(t);
  if (fail) return { verdict: "rejected", note: quote(lineWith(t, fail.index)) };
  if (t === "") {
    if (outcome === "closed" || outcome === "reset")
      return { verdict: "rejected", note: "closed the connection after the password" };
    return { verdict: "timeout", note: "no answer after the password" };
  }
  if (outcome === "limit") return { verdict: "error", note: "flooded after the password" };
  if (outcome === "closed" || outcome === "reset")
    return { verdict: "rejected", note: `closed after ${quote(last)}` };
  return { verdict: "accepted", note: `no refusal, session open (${quote(last)})` };
}

function lineWith(t: string, index: number): string {
  const start = Math.max(t.lastIndexOf("\n", index), t.lastIndexOf("\r", index)) + 1;
  const nl = t.slice(index).search(/[\r\n]/);
  return t.slice(start, nl < 0 ? t.length : index + nl).trim();
}

const verdictVisible = (t: string) => {
  const last = lastLine(t.trim()).trim();
  return (
    LOCK_WORDS.test(t) ||
    USER_PROMPT.test(last) ||
    PASSWORD_PROMPT.test(last) ||
    SHELL_PROMPT.test(last) ||
    FAIL_WORDS.test(t)
  );
};

async function attempt(ctx: LoginContext, a: Attempt): Promise<AttemptResult> {
  const c = await Conversation.open(ctx, "credentials: telnet login");
  if (!(c instanceof Conversation)) return c;
  if (a.secret) c.secrets = [Buffer.from(a.password)];
  const answered = new Set<string>();
  const result = (r: Omit<AttemptResult, "transcripts">): AttemptResult => ({
    ...r,
    transcripts: c.transcripts,
  });
  try {
    const prompted = (t: string) => {
      const last = lastLine(t.trim()).trim();
      return USER_PROMPT.test(last) || PASSWORD_PROMPT.test(last) || SHELL_PROMPT.test(last);
    };
    const greet = await readText(c, "login prompt", undefined, ctx.timeoutMs, prompted, answered);
    let last = lastLine(greet.text.trim()).trim();
    if (!prompted(greet.text))
      return result(
        greet.text.trim()
          ? {
              verdict: "error",
              ms: 0,
              note: `no login prompt (last line ${JSON.stringify(last.slice(0, 80))})`,
            }
          : { ...silentVerdict(greet.r, "before a login prompt"), ms: 0 },
      );
    if (!PASSWORD_PROMPT.test(last) && !USER_PROMPT.test(last))
      return result({
        verdict: "accepted",
        ms: 0,
        note: `a shell prompt without any login (${JSON.stringify(last)})`,
      });
    if (USER_PROMPT.test(last)) {
      const afterUser = await readText(
        c,
        "user",
        Buffer.from(`${a.user}\r\n`),
        ctx.timeoutMs,
        (t) => PASSWORD_PROMPT.test(lastLine(t.trim()).trim()) || verdictVisible(t),
        answered,
      );
      last = lastLine(afterUser.text.trim()).trim();
      if (!PASSWORD_PROMPT.test(last)) {
        // No password asked: the user name alone decided.
        const rest = afterUser.text.replace(a.user, "");
        if (rest.trim() === "")
          return result({ ...silentVerdict(afterUser.r, "after the user name"), ms: 0 });
        const j = judgeAfterPassword(rest, afterUser.r.outcome);
        return result({ ...j, ms: 0, note: `no password asked, ${j.note ?? ""}` });
      }
    }
    const t0 = Date.now();
    const afterPassword = await readText(
      c,
      "password",
      Buffer.from(`${a.password}\r\n`),
      ctx.loginWaitMs,
      verdictVisible,
      answered,
    );
    const ms = Date.now() - t0;
    const j = judgeAfterPassword(afterPassword.text, afterPassword.r.outcome);
    if (j.verdict === "accepted") c.write(Buffer.from("exit\r\n"));
    return result({ ...j, ms });
  } finally {
    c.close();
  }
}

export function telnetProtocol(): LoginProtocol {
  return { service: "telnet", method: "login prompt", attempt };
}
