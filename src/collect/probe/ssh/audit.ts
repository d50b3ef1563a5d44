// The SSH algorithm audit of one port: one connection through the scope's gate; we send our
// identification line and read the server's line and its KEXINIT, which an SSH server sends
// without waiting for ours. Nothing is negotiated and nothing authenticates: the connection
// closes right after. Reads are bounded in bytes and time, so a peer that floods, hangs, resets or
// talks forever before its identification line gives "could not read the key exchange: <reason>".
import type { Transcript } from "../../../evidence/probe.js";
import { escapeBytes, exchange, type ExchangeResult } from "../exchange.js";
import { ConnectError, type Scope } from "../scope.js";
import { protocolOf, readServerStart } from "./kexinit.js";
import { assess, offerOf, softwareOf } from "./policy.js";
import type { SshAuditData } from "../../../evidence/probe-ssh.js";

/** What we say we are (RFC 4253 4.2: SSH-2.0-softwareversion). */
export const CLIENT_ID = "SSH-2.0-concord_probe\r\n";

const MAX_BYTES = 65536;

function nothing(r: ExchangeResult): string {
  if (r.outcome === "timeout")
    return r.received.length
      ? `incomplete after ${r.received.length} bytes (timeout)`
      : "no answer (timeout)";
  if (r.outcome === "reset") return `connection reset after ${r.received.length} bytes`;
  if (r.outcome === "closed") return `closed after ${r.received.length} bytes`;
  if (r.outcome === "limit") return `more than ${MAX_BYTES} bytes without a KEXINIT`;
  return r.outcome;
}

/**
 * The exchange as text up to the end of the server's identification line; the binary packets
 * after it only by size (the KEXINIT cookie is random, and evidence ids are content hashes).
 */
function summarise(send: Buffer, r: ExchangeResult): Transcript {
  const b = r.received;
  const idAt = b.indexOf("SSH-");
  const nl = idAt < 0 ? -1 : b.indexOf(0x0a, idAt);
  const text = nl < 0 ? b : b.subarray(0, nl + 1);
  const rest = b.length - text.length;
  return {
    step: "kexinit",
    sent: escapeBytes(send),
    received: `${escapeBytes(text)}${rest > 0 ? ` [then ${rest} bytes of binary packets]` : ""}`,
    receivedBytes: b.length,
    outcome: r.outcome,
  };
}

/** Audit SSH on one port; undefined in a dry run. Connection failures become the outcome. */
export async function auditSsh(
  scope: Scope,
  target: { host: string; address: string; port: number },
): Promise<SshAuditData | undefined> {
  const base = { host: target.host, address: target.address, port: target.port };
  const transcripts: Transcript[] = [];
  const failed = (reason: string, versionLine?: string): SshAuditData => ({
    ...base,
    ...(versionLine ? { versionLine, protocol: protocolOf(versionLine) } : {}),
    weak: [],
    caution: [],
    outcome: `could not read the key exchange: ${reason}`,
    transcripts,
  });
  let sock;
  try {
    sock = await scope.connect(target.address, target.port, "ssh audit: identification and KEXINIT");
  } catch (e) {
    if (e instanceof ConnectError) return failed(`connect failed (${e.code})`);
    throw e;
  }
  if (!sock) return undefined;
  const send = Buffer.from(CLIENT_ID);
  let r: ExchangeResult;
  try {
    r = await exchange(sock, {
      send,
      maxBytes: MAX_BYTES,
      waitMs: scope.limits.timeoutMs,
      complete: (b) => readServerStart(b).state !== "more",
    });
  } finally {
    sock.destroy();
  }
  transcripts.push(summarise(send, r));
  const start = readServerStart(r.received);
  if (start.state === "more") return failed(nothing(r));
  if (start.state === "error") return failed(start.reason, start.versionLine);
  const m = /^SSH-([^-\s]*)-(\S+)\s*(.*)$/.exec(start.versionLine);
  const protocol = m?.[1] ?? "";
  const ident = {
    versionLine: start.versionLine.slice(0, 255),
    protocol,
    ...(m?.[2] ? { software: softwareOf(m[2]) } : {}),
    ...(m?.[3] ? { comment: m[3] } : {}),
  };
  if (!start.kexinit) {
    // SSH-1 only: no KEXINIT to read, and the protocol alone is the finding.
    return {
      ...base,
      ...ident,
      ...assess({ kex: [], hostKey: [], ciphers: [], macs: [], compression: [], strictKex: false }, protocol),
      outcome: "complete",
      transcripts,
    };
  }
  const offer = offerOf(start.kexinit);
  return { ...base, ...ident, ...offer, ...assess(offer, protocol), outcome: "complete", transcripts };
}
