// AUTH-08 from a live probe: a UPnP Internet Gateway Device whose WAN connection service answers
// control requests without authentication lets any program on the network add port mappings,
// that is, open the firewall. The probe proves reachability with one read-only action and reads
// the SCPD for AddPortMapping; it never adds a mapping.
import { PROBE } from "../evidence/probe.js";
import type { IgdControl, UpnpData } from "../evidence/probe-upnp.js";
import { finding, type Check, type CheckMeta, type Finding } from "./types.js";

const meta: CheckMeta = {
  id: "probe.upnp-igd-unauthenticated",
  title: "UPnP port mapping control requires authentication",
  description:
    "Reads the UPnP probes of the device (unicast SSDP, the device description from the device itself, the SCPD of each WANIPConnection/WANPPPConnection service, and one read-only control call without credentials). Fails when the control URL answers and the service offers AddPortMapping; passes when it refuses the unauthenticated call or offers no AddPortMapping.",
  requirements: ["AUTH-08"],
  severity: "high",
  reads: [PROBE.upnp],
  remediation:
    "Ship UPnP IGD off (or offer it only on the LAN side with a user opt-in), and where port mapping control stays, require authentication (UPnP DeviceProtection) and restrict mappings to the requesting host.",
};

const short = (t: string) => t.replace(/^urn:schemas-upnp-org:service:/, "");

function judge(e: { id: string; data: UpnpData }, c: IgdControl): Finding | undefined {
  if (!c.call) return undefined;
  const what = `The UPnP gateway on ${e.data.host} (${short(c.serviceType)} at ${c.controlURL})`;
  if (c.call.outcome === "refused")
    return finding(meta, "pass", `${what} refuses an unauthenticated ${c.call.action} (${c.call.detail}).`, [
      e.id,
    ]);
  if (c.call.outcome !== "answered") return undefined;
  const answered = `${what} answers ${c.call.action} without authentication (${c.call.detail})`;
  if (c.addPortMapping === false)
    return finding(meta, "pass", `${answered} but offers no AddPortMapping.`, [e.id]);
  const offers =
    c.addPortMapping === true
      ? "and offers AddPortMapping"
      : "and its service type requires AddPortMapping (the SCPD could not be read)";
  return finding(
    meta,
    "fail",
    `${answered} ${offers}: any program on the network can open ports through the device's firewall.`,
    [e.id],
  );
}

export const probeUpnpIgdUnauthenticated: Check = {
  meta,
  evaluate(evidence) {
    return evidence
      .ofKind<UpnpData>(PROBE.upnp)
      .flatMap((e) => e.data.igd.map((c) => judge(e, c)).filter((f): f is Finding => !!f));
  },
};
