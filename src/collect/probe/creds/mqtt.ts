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

function str(s: string | Buffer): Buffer {
  const b = typeof s === "string" ? Buffer.from(s, "utf8") : s;
  return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
}

/** The remaining-length field: 7 bits per byte, high bit set while more follow. */
function remainingLength(n: number): Buffer {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return Buffer.from(out);
}

/** CONNECT, protocol level 4, clean session, keep-alive 60 s, with user name and password. */
export function mqttConnectWithLogin(clientId: string, user: string, password: string): Buffer {
  const variable = Buffer.concat([str("MQTT"), Buffer.from([0x04, 0xc2, 0x00, 0x3c])]);
  const payload = Buffer.concat([str(clientId), str(user), str(password)]);
  const rest = Buffer.concat([variable, payload]);
  return Buffer.concat([Buffer.from([0x10]), remainingLength(rest.length), rest]);
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
    const req = mqttConnectWithLogin("concord-probe", a.user, a.password);
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
