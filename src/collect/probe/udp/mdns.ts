// mDNS service discovery, asked of one device directly (RFC 6762 section 6.7, "legacy unicast"):
// a query from an ordinary port to the device's own address on 5353, never to the multicast
// group. First the DNS-SD meta-query (_services._dns-sd._udp.local PTR, RFC 6763 section 9) for
// the service types it announces, then one PTR query per type (bounded) for the instances, with
// the SRV, TXT and address records responders add to their answers.
import type { Scope } from "../scope.js";
import type { TargetTester, TesterOutput } from "../testers.js";
import { askUdp, silence, udpPortsFor, udpWhere } from "./common.js";
import type { MdnsData, MdnsService } from "../../../evidence/probe-udp.js";
import { encodeQuery, parseMessage, TYPE, type DnsMessage, type DnsRecord } from "./dns.js";

export const SERVICES_META = "_services._dns-sd._udp.local";
const MAX_TYPES = 8;
const MAX_INSTANCES = 16;

const key = (n: string) => n.toLowerCase().replace(/\.$/, "");

async function query(
  scope: Scope,
  target: { address: string },
  port: number,
  id: number,
  name: string,
  data: MdnsData,
): Promise<DnsMessage | string | undefined> {
  const r = await askUdp(
    scope,
    target.address,
    port,
    encodeQuery(id, name, TYPE.PTR, true),
    `mdns PTR ${name}`,
  );
  if (!r) return undefined;
  data.transcripts.push(r.transcript);
  const d = r.received[0];
  if (!d) return silence(r);
  try {
    const m = parseMessage(d);
    if (m.id !== id) return `an answer with id ${m.id}, not ${id}`;
    if ((m.flags & 0x8000) === 0) return "a query, not a response";
    return m;
  } catch (e) {
    return `not DNS: ${(e as Error).message}`;
  }
}

export async function probeMdns(
  scope: Scope,
  target: { host: string; address: string },
  port: number,
): Promise<MdnsData | undefined> {
  const data: MdnsData = { ...target, port, answered: false, services: [], addresses: [], transcripts: [] };
  const meta = await query(scope, target, port, 0x4301, SERVICES_META, data);
  if (meta === undefined) return undefined;
  if (typeof meta === "string") return { ...data, reason: meta };
  data.answered = true;
  const records: DnsRecord[] = [];
  const types: string[] = [];
  for (const r of [...meta.answers, ...meta.additional]) {
    records.push(r);
    if (r.type === "PTR" && key(r.name) === SERVICES_META && r.data.name && !types.includes(r.data.name))
      types.push(r.data.name);
  }
  data.services = types.slice(0, MAX_TYPES).map((type) => ({ type, instances: [] }));
  for (const [i, svc] of data.services.entries()) {
    const m = await query(scope, target, port, 0x4310 + i, svc.type, data);
    if (m && typeof m !== "string") records.push(...m.answers, ...m.additional);
  }
  fill(data.services, records);
  const seen = new Set<string>();
  for (const r of records)
    if ((r.type === "A" || r.type === "AAAA") && r.data.address) {
      const line = `${r.name} ${r.type} ${r.data.address}`;
      if (!seen.has(line) && seen.size < 32) seen.add(line);
    }
  data.addresses = [...seen];
  return data;
}

/** Instances per service type from the PTR records, then their SRV and TXT. */
function fill(services: MdnsService[], records: DnsRecord[]): void {
  for (const svc of services) {
    for (const r of records) {
      if (r.type !== "PTR" || key(r.name) !== key(svc.type) || !r.data.name) continue;
      if (
        svc.instances.length >= MAX_INSTANCES ||
        svc.instances.some((x) => key(x.name) === key(r.data.name!))
      )
        continue;
      svc.instances.push({ name: r.data.name });
    }
    for (const inst of svc.instances) {
      const srv = records.find((r) => r.type === "SRV" && key(r.name) === key(inst.name));
      if (srv) Object.assign(inst, { target: srv.data.name, port: srv.data.port });
      const txt = records.find((r) => r.type === "TXT" && key(r.name) === key(inst.name));
      if (txt?.data.txt?.length) inst.txt = txt.data.txt;
    }
  }
}

export const mdnsTester: TargetTester = {
  id: "mdns",
  version: "0.1.0",
  kind: "probe.mdns",
  description:
    "mDNS on UDP 5353, asked unicast: the DNS-SD service types the device announces and their instances",
  async run(scope, target, opts) {
    const out: TesterOutput[] = [];
    for (const port of udpPortsFor(opts, "mdns")) {
      const data = await probeMdns(scope, target, port);
      if (data) out.push({ location: udpWhere(target.address, port), data });
    }
    return out;
  },
};
