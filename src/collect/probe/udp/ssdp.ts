// SSDP (UPnP Device Architecture 1.1 section 1.3.2): a unicast M-SEARCH to the device's own
// address on UDP 1900 (never the 239.255.255.250 group), and the HTTPU answers it sends back.
// In a unicast M-SEARCH the HOST header names the device itself and MX is left out.
import { escapeBytes } from "../exchange.js";
import type { SsdpResponse } from "../../../evidence/probe-udp.js";

export const ST_ALL = "ssdp:all";
export const ST_IGD = "urn:schemas-upnp-org:device:InternetGatewayDevice:1";

export function mSearch(address: string, port: number, st: string): Buffer {
  const host = address.includes(":") ? `[${address}]` : address;
  return Buffer.from(
    [
      "M-SEARCH * HTTP/1.1",
      `HOST: ${host}:${port}`,
      'MAN: "ssdp:discover"',
      `ST: ${st}`,
      "USER-AGENT: concord-probe UPnP/1.1",
      "",
      "",
    ].join("\r\n"),
  );
}

/** One HTTPU answer: a status line and headers; a string when it is not one. */
export function parseSsdp(b: Buffer): SsdpResponse | string {
  const text = b.toString("latin1", 0, Math.min(b.length, 8192));
  const lines = text.split(/\r?\n/);
  const m = /^HTTP\/1\.\d\s+(\d{3})\s*(.*)$/.exec(lines[0] ?? "");
  if (!m) return `not an SSDP answer (${escapeBytes(b.subarray(0, 40), 60)})`;
  const r: SsdpResponse = { status: `${m[1]} ${m[2]!.trim()}`.trim() };
  const want: Record<string, keyof SsdpResponse> = {
    st: "st",
    usn: "usn",
    location: "location",
    server: "server",
  };
  for (const l of lines.slice(1, 60)) {
    const c = l.indexOf(":");
    if (c <= 0) continue;
    const k = want[l.slice(0, c).trim().toLowerCase()];
    if (k && r[k] === undefined)
      r[k] = l
        .slice(c + 1)
        .trim()
        .slice(0, 500);
  }
  return r;
}
