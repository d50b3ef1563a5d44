// The UPnP tester: a unicast SSDP M-SEARCH (ssdp:all and the IGD device type) to the target,
// then, for each LOCATION on the target itself, the device description over HTTP; for an
// Internet Gateway Device, the WAN connection service's SCPD and one read-only control call.
// A LOCATION naming any other host is recorded and never fetched.
import { httpRequest, sameTarget, urlPort } from "../http/client.js";
import type { Scope } from "../scope.js";
import type { TargetTester, TesterOutput } from "../testers.js";
import { askUdp, silence, udpPortsFor, udpWhere } from "../udp/common.js";
import type { SsdpResponse } from "../../../evidence/probe-udp.js";
import { mSearch, parseSsdp, ST_ALL, ST_IGD } from "../udp/ssdp.js";
import type { UpnpData, UpnpDescription } from "../../../evidence/probe-upnp.js";
import { allServices, parseDescription, resolveUrl } from "./description.js";
import { examineIgd, WAN_CONNECTION } from "./igd.js";

const MAX_RESPONSES = 32;
const MAX_LOCATIONS = 4;
const MAX_IGD = 4;

export async function probeUpnp(
  scope: Scope,
  target: { host: string; address: string },
  port: number,
): Promise<UpnpData | undefined> {
  const data: UpnpData = {
    ...target,
    port,
    answered: false,
    responses: [],
    descriptions: [],
    igd: [],
    transcripts: [],
  };
  const answers = await Promise.all(
    [ST_ALL, ST_IGD].map((st) =>
      askUdp(scope, target.address, port, mSearch(target.address, port, st), `ssdp M-SEARCH ${st}`, {
        maxPackets: 16,
        maxBytes: 4096,
      }),
    ),
  );
  if (answers.some((a) => !a)) return undefined; // dry run
  const notSsdp: string[] = [];
  for (const a of answers) {
    data.transcripts.push(a!.transcript);
    for (const d of a!.received) {
      const r = parseSsdp(d);
      if (typeof r === "string") notSsdp.push(r);
      else if (data.responses.length < MAX_RESPONSES && !data.responses.some((x) => same(x, r)))
        data.responses.push(r);
    }
  }
  data.answered = data.responses.length > 0;
  if (!data.answered) {
    data.reason = notSsdp[0] ?? silence(answers[0]!);
    return data;
  }
  const locations = [...new Set(data.responses.map((r) => r.location).filter((l): l is string => !!l))];
  for (const location of locations.slice(0, MAX_LOCATIONS)) {
    const desc = await fetchDescription(scope, target, location, data);
    data.descriptions.push(desc);
  }
  for (const c of data.igd.slice(0, MAX_IGD)) await examineIgd(scope, target, c, data.transcripts);
  data.igd = data.igd.slice(0, MAX_IGD);
  return data;
}

const same = (a: SsdpResponse, b: SsdpResponse) =>
  a.usn === b.usn && a.st === b.st && a.location === b.location;

async function fetchDescription(
  scope: Scope,
  target: { host: string; address: string },
  location: string,
  data: UpnpData,
): Promise<UpnpDescription> {
  const url = resolveUrl(location, "http://invalid./");
  if (!url || url.hostname === "invalid.")
    return { location, fetched: false, refused: "not an absolute URL" };
  if (url.protocol !== "http:") return { location, fetched: false, refused: `${url.protocol} is not http:` };
  if (!sameTarget(url, target))
    return {
      location,
      fetched: false,
      refused: `LOCATION names ${url.hostname}, not the target: not fetched`,
    };
  const r = await httpRequest(
    scope,
    target,
    urlPort(url),
    { method: "GET", path: url.pathname + url.search },
    {
      step: "upnp description",
    },
  );
  if (!r) return { location, fetched: false, refused: "dry run" };
  if (r.transcript) data.transcripts.push(r.transcript);
  if (!r.response) return { location, fetched: false, reason: r.reason };
  const out: UpnpDescription = { location, fetched: true, status: r.response.status };
  if (r.response.status !== 200) return { ...out, reason: `HTTP ${r.response.status}` };
  const d = parseDescription(r.response.body.toString("utf8"), url.href);
  if (!d.device) return { ...out, reason: "no <device> in the description" };
  out.device = d.device;
  for (const s of allServices(d.device)) {
    if (!WAN_CONNECTION.test(s.serviceType)) continue;
    const ctl = resolveUrl(s.controlURL, d.base);
    const scpd = resolveUrl(s.SCPDURL, d.base);
    if (!ctl || !scpd) continue;
    data.igd.push({ location, serviceType: s.serviceType, controlURL: ctl.href, scpdURL: scpd.href });
  }
  return out;
}

export const upnpTester: TargetTester = {
  id: "upnp",
  version: "0.1.0",
  kind: "probe.upnp",
  description:
    "SSDP M-SEARCH to UDP 1900 (unicast), the UPnP device description from the target, and for an IGD whether its WAN connection control answers without authentication",
  async run(scope, target, opts) {
    const out: TesterOutput[] = [];
    for (const port of udpPortsFor(opts, "ssdp")) {
      const data = await probeUpnp(scope, target, port);
      if (data) out.push({ location: udpWhere(target.address, port), data });
    }
    return out;
  },
};
