// Internet Gateway Device control (UPnP IGD 1.0/2.0, WANIPConnection and WANPPPConnection): read
// the service's SCPD to see whether it offers AddPortMapping and DeletePortMapping, then call ONE
// read-only action without credentials (GetExternalIPAddress, or GetGenericPortMappingEntry with
// index 0) to prove the control URL is reachable by anyone. AddPortMapping is never called.
import type { Scope } from "../scope.js";
import { header, httpRequest, sameTarget, urlPort } from "../http/client.js";
import type { Transcript } from "../../../evidence/probe.js";
import type { IgdControl } from "../../../evidence/probe-upnp.js";
import { parseScpd } from "./description.js";
import { childText, descendants, parseXml } from "./xml.js";

export const WAN_CONNECTION = /^urn:schemas-upnp-org:service:WAN(IP|PPP)Connection:\d+$/;

const READ_ONLY = ["GetExternalIPAddress", "GetGenericPortMappingEntry"] as const;
type ReadOnlyAction = (typeof READ_ONLY)[number];

export function soapEnvelope(serviceType: string, action: ReadOnlyAction): Buffer {
  const args = action === "GetGenericPortMappingEntry" ? "<NewPortMappingIndex>0</NewPortMappingIndex>" : "";
  return Buffer.from(
    '<?xml version="1.0"?>\r\n' +
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">' +
      `<s:Body><u:${action} xmlns:u="${serviceType}">${args}</u:${action}></s:Body></s:Envelope>\r\n`,
  );
}

/** What a control answer says: the action's result, a UPnP error, or an HTTP refusal. */
export function readControlAnswer(
  action: ReadOnlyAction,
  status: number,
  body: string,
): NonNullable<IgdControl["call"]> {
  const root = parseXml(body);
  if (status === 200) {
    const resp = descendants(root, `${action}Response`, 1)[0];
    if (!resp)
      return { action, status, outcome: "no answer", detail: `HTTP 200 without a ${action}Response` };
    const values = resp.children.slice(0, 8).map((c) => `${c.name}=${c.text.trim().slice(0, 100)}`);
    return { action, status, outcome: "answered", detail: values.join("; ") || `${action}Response` };
  }
  const err = descendants(root, "UPnPError", 1)[0];
  if (err) {
    const code = childText(err, "errorCode");
    const desc = childText(err, "errorDescription").slice(0, 100);
    return {
      action,
      status,
      outcome: code === "606" ? "refused" : "answered",
      detail: `UPnP error ${code}${desc ? ` ${desc}` : ""}`,
    };
  }
  if (status === 401 || status === 403)
    return { action, status, outcome: "refused", detail: `HTTP ${status} (authentication required)` };
  return { action, status, outcome: "no answer", detail: `HTTP ${status} without a UPnP error` };
}

/** Fill in the SCPD facts and the one read-only call for a WAN connection service. */
export async function examineIgd(
  scope: Scope,
  target: { host: string; address: string },
  c: IgdControl,
  transcripts: Transcript[],
): Promise<void> {
  const scpd = new URL(c.scpdURL);
  if (scpd.protocol !== "http:" || !sameTarget(scpd, target))
    c.scpdReason = `${c.scpdURL} is not on the target: not fetched`;
  else {
    const r = await httpRequest(
      scope,
      target,
      urlPort(scpd),
      { method: "GET", path: scpd.pathname + scpd.search },
      {
        step: "upnp SCPD",
      },
    );
    if (r?.transcript) transcripts.push(r.transcript);
    if (r?.response?.status === 200) {
      c.actions = parseScpd(r.response.body.toString("utf8"));
      c.addPortMapping = c.actions.includes("AddPortMapping");
      c.deletePortMapping = c.actions.includes("DeletePortMapping");
    } else c.scpdReason = r?.reason ?? (r?.response ? `HTTP ${r.response.status}` : "dry run");
  }
  const ctl = new URL(c.controlURL);
  if (ctl.protocol !== "http:" || !sameTarget(ctl, target)) {
    c.refused = `${c.controlURL} is not on the target: not called`;
    return;
  }
  // Only a read-only action the SCPD offers (or, when the SCPD is unknown, the one every
  // WAN*Connection service must have).
  const action = c.actions ? READ_ONLY.find((a) => c.actions!.includes(a)) : "GetExternalIPAddress";
  if (!action) {
    c.refused = "the SCPD offers neither GetExternalIPAddress nor GetGenericPortMappingEntry: nothing called";
    return;
  }
  if (!/^urn:[\w.:-]+$/.test(c.serviceType)) {
    c.refused = `service type "${c.serviceType.slice(0, 80)}" is not a URN: nothing called`;
    return;
  }
  const r = await httpRequest(
    scope,
    target,
    urlPort(ctl),
    {
      method: "POST",
      path: ctl.pathname + ctl.search,
      version: "1.1",
      headers: {
        "Content-Type": 'text/xml; charset="utf-8"',
        SOAPAction: `"${c.serviceType}#${action}"`,
      },
      body: soapEnvelope(c.serviceType, action),
    },
    { step: `upnp control ${action}` },
  );
  if (!r) return;
  if (r.transcript) transcripts.push(r.transcript);
  if (!r.response) {
    c.call = { action, outcome: "no answer", detail: r.reason ?? "no answer" };
    return;
  }
  c.call = readControlAnswer(action, r.response.status, r.response.body.toString("utf8"));
  const auth = header(r.response, "www-authenticate");
  if (auth && c.call.outcome === "refused") c.call.detail += ` (${auth.split(/\s/)[0]})`;
}
