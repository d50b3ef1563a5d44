// Logins inside TLS: identification names a TLS service by its handshake only, so the first step
// learns what speaks inside it, over TLS connections opened by the Conversation (ctx.tls): HTTP
// (GET /: a 401, a login form, or a page without a login) or MQTT (an anonymous CONNECT answered
// with a CONNACK). Port 8883 is asked MQTT first, every other port HTTP first. The protocol that
// answers then runs the test as it would in clear text; the record says tls: true.
import type { LoginService } from "../../../evidence/probe-credentials.js";
import type { Transcript } from "../../../evidence/probe.js";
import { httpProtocol } from "./httpauth.js";
import { mqttAnswers, mqttProtocol } from "./mqtt.js";
import type { Attempt, AttemptResult, LoginContext, LoginProtocol, Preparation } from "./protocol.js";

/** Ports where MQTT over TLS is expected (IANA secure-mqtt, and the common WebSocket-less alternative). */
const MQTT_FIRST = new Set([8883, 8884]);

class TlsWrapped implements LoginProtocol {
  private inner?: LoginProtocol;

  get service(): LoginService {
    return this.inner?.service ?? "tls";
  }

  get method(): string | undefined {
    return this.inner?.method;
  }

  async prepare(ctx: LoginContext): Promise<Preparation> {
    if (!ctx.tls) throw new Error("a TLS-wrapped login needs ctx.tls");
    const transcripts: Transcript[] = [];
    const tried: string[] = [];
    const order = MQTT_FIRST.has(ctx.service.port)
      ? (["mqtt", "http"] as const)
      : (["http", "mqtt"] as const);
    for (const name of order) {
      if (name === "http") {
        const http = httpProtocol();
        const p = await http.prepare!(ctx);
        transcripts.push(...p.transcripts);
        if (p.ok || p.stop === "no-login") {
          this.inner = http;
          return { ...p, transcripts };
        }
        tried.push(`HTTP: ${p.reason}`);
        // No TLS at all now (a reset, a closed port): asking MQTT would only repeat it.
        if (/no TLS handshake|connect failed/.test(p.reason)) break;
      } else {
        const m = await mqttAnswers(ctx);
        transcripts.push(...m.transcripts);
        if (m.code !== undefined) {
          this.inner = mqttProtocol();
          return { ok: true, method: "CONNECT", transcripts };
        }
        tried.push(`MQTT: ${m.note}`);
        if (/no TLS handshake|connect failed/.test(m.note)) break;
      }
    }
    const noTls = tried.every((t) => /no TLS handshake|connect failed/.test(t));
    return {
      ok: false,
      stop: noTls ? "error" : "no-login",
      reason: noTls
        ? `could not open a TLS connection (${tried.join("; ")})`
        : `neither HTTP nor MQTT answered inside TLS (${tried.join("; ")})`,
      transcripts,
    };
  }

  attempt(ctx: LoginContext, a: Attempt): Promise<AttemptResult> {
    if (!this.inner) throw new Error("attempt() before prepare() found a protocol");
    return this.inner.attempt(ctx, a);
  }
}

export function tlsProtocol(): LoginProtocol {
  return new TlsWrapped();
}
