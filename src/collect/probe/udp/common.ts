// What the UDP testers share: the ports each protocol is asked on (--udp-ports), and one
// request/answer exchange through Scope.udp with its transcript. Every datagram goes to the
// target's own address (unicast); multicast groups and broadcast are never addressed.
import type { Transcript } from "../../../evidence/probe.js";
import { escapeBytes } from "../exchange.js";
import { isIP } from "node:net";
import { normalizeAddress, ScopeError, type Scope, type UdpExchangeResult } from "../scope.js";
import type { TesterOptions } from "../testers.js";

export const UDP_PROTOCOLS = ["ssdp", "mdns", "snmp", "coap"] as const;
export type UdpProtocol = (typeof UDP_PROTOCOLS)[number];

export const DEFAULT_UDP_PORTS: Record<UdpProtocol, readonly number[]> = {
  ssdp: [1900],
  mdns: [5353],
  snmp: [161],
  coap: [5683],
};

/** "snmp=161,snmp=1161,coap=5683": the protocols named replace their defaults; the others keep theirs. */
export function parseUdpPorts(spec: string): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const part of spec.split(",").map((p) => p.trim())) {
    if (part === "") continue;
    const m = /^([a-z]+)=(\d+)$/.exec(part);
    if (!m || !(UDP_PROTOCOLS as readonly string[]).includes(m[1]!))
      throw new ScopeError(
        `"${part}" is not <protocol>=<port> with a protocol among ${UDP_PROTOCOLS.join(", ")} (e.g. snmp=161)`,
      );
    const port = Number(m[2]);
    if (port < 1 || port > 65535) throw new ScopeError(`"${part}": ${port} is not a port number`);
    const list = (out[m[1]!] ??= []);
    if (!list.includes(port)) list.push(port);
  }
  if (Object.keys(out).length === 0) throw new ScopeError(`"${spec}" names no UDP ports`);
  return out;
}

export function udpPortsFor(opts: TesterOptions, protocol: UdpProtocol): readonly number[] {
  return opts.udpPorts?.[protocol] ?? DEFAULT_UDP_PORTS[protocol];
}

export interface UdpAnswer extends UdpExchangeResult {
  transcript: Transcript;
}

/**
 * Multicast groups (224.0.0.0/4, ff00::/8) and the limited broadcast address are never a device:
 * refused here even when named as a target with --allow-public.
 */
export function assertUnicast(address: string): void {
  const a = normalizeAddress(address).split("%")[0]!;
  const first = Number(a.split(".")[0]);
  if (
    (isIP(a) === 4 && ((first >= 224 && first <= 239) || a === "255.255.255.255")) ||
    (isIP(a) === 6 && /^ff[0-9a-f]{2}:/i.test(a))
  )
    throw new ScopeError(`${address} is a multicast or broadcast address: UDP probes go to one device only`);
}

/** One datagram out, the answers back (bounded by the scope), and the transcript. Undefined in a dry run. */
export async function askUdp(
  scope: Scope,
  address: string,
  port: number,
  payload: Buffer,
  step: string,
  o: { waitMs?: number; maxPackets?: number; maxBytes?: number } = {},
): Promise<UdpAnswer | undefined> {
  assertUnicast(address);
  const r = await scope.udp(address, port, payload, step, {
    waitMs: o.waitMs ?? scope.limits.timeoutMs,
    maxPackets: o.maxPackets ?? 1,
    maxBytes: o.maxBytes ?? 8192,
  });
  if (!r) return undefined;
  return {
    ...r,
    transcript: {
      step,
      sent: escapeBytes(payload),
      received: r.received.map((d) => escapeBytes(d)).join(" || "),
      receivedBytes: r.received.reduce((n, d) => n + d.length, 0),
      outcome: r.outcome,
    },
  };
}

/** Why an exchange gave nothing: "no answer (timeout)", "port unreachable (ICMP)", or the error. */
export function silence(r: UdpExchangeResult): string {
  if (r.outcome === "unreachable") return "port unreachable (ICMP)";
  if (r.outcome === "timeout") return "no answer (timeout)";
  return r.outcome;
}

/** "10.0.0.5:161/udp", with IPv6 addresses in brackets. */
export function udpWhere(address: string, port: number): string {
  return `${address.includes(":") ? `[${address}]` : address}:${port}/udp`;
}
