// MQTT logins (MQTT 3.1.1, sections 3.1 and 3.2): a CONNECT with the user name and password
// flags set; the CONNACK's return code decides: 0 accepted, 4 bad user name or password and
// 5 not authorized are refusals, 3 "server unavailable" after earlier answers is a limit.
import {
  Conversation,
  silentVerdict,
  type Attempt,
  type AttemptResult,
  type LoginContext,
  type LoginProtocol,
} from "./protocol.js";
import { mqttConnect } from "../mqtt-packet.js";

/**
 * Whether an MQTT 3.1.1 broker answers on the service (inside TLS when ctx.tls): the CONNACK
 * return code of an anonymous CONNECT, or why there is none.
 */
export async function mqttAnswers(
  ctx: LoginContext,
): Promise<{ code?: number; note: string; transcripts: AttemptResult["transcripts"] }> {
  const c = await Conversation.open(ctx, "credentials: mqtt connect without credentials");
  if (!(c instanceof Conversation)) return { note: c.note ?? c.verdict, transcripts: [] };
  try {
    const r = await c.read("CONNECT (no credentials)", mqttConnect("concord-probe"), {
      waitMs: ctx.timeoutMs,
      complete: (b) => b.length >= 4,
    });
    const b = r.received;
    if (b.length >= 4 && b[0] === 0x20 && b[1] === 0x02) {
      if (b[3] === 0) c.write(Buffer.from([0xe0, 0x00])); // DISCONNECT
      return {
        code: b[3]!,
        note: `CONNACK ${b[3]} (${CODES[b[3]!] ?? "unknown code"})`,
        transcripts: c.transcripts,
      };
    }
    return {
      note: b.length
        ? `not a CONNACK (${b.length} bytes)`
        : (silentVerdict(r, "after CONNECT").note ?? r.outcome),
      transcripts: c.transcripts,
    };
  } finally {
    c.close();
  }
}

const CODES: Record<number, string> = {
  0: "accepted",
  1: "unacceptable protocol version",
  2: "identifier rejected",
  3: "server unavailable",
  4: "bad user name or password",
  5: "not authorized",
};

async function attempt(ctx: LoginContext, a: Attempt): Promise<AttemptResult> {
  const c = await Conversation.open(ctx, "credentials: mqtt connect");
  if (!(c instanceof Conversation)) return c;
  if (a.secret) c.secrets = [Buffer.from(a.password)];
  try {
    const req = mqttConnect("concord-probe", { user: a.user, password: a.password });
    const t0 = Date.now();
    const r = await c.read("CONNECT", req, { waitMs: ctx.loginWaitMs, complete: (b) => b.length >= 4 });
    const ms = Date.now() - t0;
    const b = r.received;
    const result = (x: Omit<AttemptResult, "transcripts" | "ms">): AttemptResult => ({
      ...x,
      ms,
      transcripts: c.transcripts,
    });
    if (b.length < 4)
      return result(
        b.length
          ? { verdict: "error", note: `${b.length} bytes, not a CONNACK` }
          : silentVerdict(r, "after CONNECT"),
      );
    if (b[0] !== 0x20 || b[1] !== 0x02) return result({ verdict: "error", note: "not a CONNACK" });
    const code = b[3]!;
    const note = `CONNACK ${code} (${CODES[code] ?? "unknown code"})`;
    if (code === 0) {
      c.write(Buffer.from([0xe0, 0x00])); // DISCONNECT
      return result({ verdict: "accepted", note });
    }
    if (code === 4 || code === 5) return result({ verdict: "rejected", note });
    if (code === 3) return result({ verdict: "refused", note });
    return result({ verdict: "error", note });
  } finally {
    c.close();
  }
}

export function mqttProtocol(): LoginProtocol {
  return { service: "mqtt", method: "CONNECT", attempt };
}
