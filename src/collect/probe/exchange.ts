// Bounded exchanges over a connected socket: write (optionally), then read until the peer closes,
// a completion test passes, the byte limit is hit (a flood), or the time runs out (a hang).
import type { Socket } from "node:net";
import type { Transcript } from "../../evidence/probe.js";

export interface ExchangeOptions {
  send?: Buffer;
  /** Stop reading after this many bytes. */
  maxBytes: number;
  /** Stop waiting after this long in total. */
  waitMs: number;
  /** Once some data came, stop after this long without more. */
  idleMs?: number;
  /** Stop as soon as this is true of what came back. */
  complete?: (received: Buffer) => boolean;
}

export interface ExchangeResult {
  received: Buffer;
  outcome: "complete" | "closed" | "reset" | "timeout" | "idle" | "limit" | `error: ${string}`;
}

export function exchange(sock: Socket, o: ExchangeOptions): Promise<ExchangeResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    let idle: NodeJS.Timeout | undefined;
    const finish = (outcome: ExchangeResult["outcome"]) => {
      if (done) return;
      done = true;
      clearTimeout(total);
      clearTimeout(idle);
      sock.removeListener("data", onData);
      sock.removeListener("close", onClose);
      sock.removeListener("error", onError);
      resolve({ received: Buffer.concat(chunks).subarray(0, o.maxBytes), outcome });
    };
    const total = setTimeout(() => finish(size > 0 && o.idleMs ? "idle" : "timeout"), o.waitMs);
    const onData = (d: Buffer) => {
      chunks.push(d);
      size += d.length;
      if (size >= o.maxBytes) return finish("limit");
      if (o.complete?.(Buffer.concat(chunks))) return finish("complete");
      if (o.idleMs) {
        clearTimeout(idle);
        idle = setTimeout(() => finish("idle"), o.idleMs);
      }
    };
    const onError = (e: NodeJS.ErrnoException) =>
      finish(e.code === "ECONNRESET" ? "reset" : `error: ${e.code ?? e.message}`);
    const onClose = () => finish("closed");
    sock.on("data", onData);
    sock.on("error", onError);
    sock.on("close", onClose);
    if (o.send) sock.write(o.send);
  });
}

const SHOWN = 512;

/** Printable ASCII as is (with \r \n \t escaped), everything else as \xNN; cut at 512 characters. */
export function escapeBytes(b: Buffer, limit = SHOWN): string {
  let s = "";
  for (const c of b) {
    if (s.length >= limit) return `${s}...`;
    if (c === 0x0a) s += "\\n";
    else if (c === 0x0d) s += "\\r";
    else if (c === 0x09) s += "\\t";
    else if (c === 0x5c) s += "\\\\";
    else if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += `\\x${c.toString(16).padStart(2, "0")}`;
  }
  return s;
}

export function transcript(step: string, sent: Buffer | undefined, r: ExchangeResult): Transcript {
  return {
    step,
    sent: sent ? escapeBytes(sent) : "",
    received: escapeBytes(r.received),
    receivedBytes: r.received.length,
    outcome: r.outcome,
  };
}
