// A UPnP Internet Gateway Device on 127.0.0.1 for the tests: a unicast SSDP responder (Node dgram)
// and an HTTP server with the device description, the WANIPConnection SCPD and its control URL.
// No Debian daemon fits an unprivileged offline test (miniupnpd needs root, iptables and a WAN
// interface), so this in-process fake stands in, as the issue allows. It records every request so
// tests can prove what was (and was not) asked, e.g. that AddPortMapping is never called.
import { createServer, type IncomingMessage } from "node:http";
import { udpResponder, type UdpPeer } from "../udp/peers.js";

export interface IgdOptions {
  /** The control URL's answer: open (200 with the IP), locked (401), forbidden (UPnP error 606). */
  control?: "open" | "locked" | "forbidden" | "fault-713";
  /** Actions the SCPD lists. */
  actions?: string[];
  /** Override the LOCATION host (a foreign host must never be fetched). */
  locationHost?: string;
  /** A URLBase element in the description. */
  urlBase?: string;
  /** Replace the description body. */
  description?: string;
}

export interface IgdPeer {
  ssdp: UdpPeer;
  httpPort: number;
  requests: { method: string; url: string; soapAction?: string; body: string }[];
  close: () => Promise<void>;
}

const IGD = "urn:schemas-upnp-org:device:InternetGatewayDevice:1";
const WANIP = "urn:schemas-upnp-org:service:WANIPConnection:1";

export function igdDescription(urlBase?: string): string {
  return `<?xml version="1.0"?>
<root xmlns="urn:schemas-upnp-org:device-1-0">
  <specVersion><major>1</major><minor>0</minor></specVersion>
  ${urlBase ? `<URLBase>${urlBase}</URLBase>` : ""}
  <device>
    <deviceType>${IGD}</deviceType>
    <friendlyName>Home Router &amp; Gateway</friendlyName>
    <manufacturer>Concord Test</manufacturer>
    <modelName>HR-100</modelName>
    <modelNumber>1.0</modelNumber>
    <UDN>uuid:11111111-2222-3333-4444-555555555555</UDN>
    <serviceList>
      <service>
        <serviceType>urn:schemas-upnp-org:service:Layer3Forwarding:1</serviceType>
        <serviceId>urn:upnp-org:serviceId:L3Forwarding1</serviceId>
        <controlURL>/ctl/L3F</controlURL><eventSubURL>/evt/L3F</eventSubURL><SCPDURL>/L3F.xml</SCPDURL>
      </service>
    </serviceList>
    <deviceList>
      <device>
        <deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType>
        <friendlyName>WAN</friendlyName><manufacturer>Concord Test</manufacturer><modelName>HR-100</modelName>
        <deviceList>
          <device>
            <deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1</deviceType>
            <friendlyName>WAN connection</friendlyName><manufacturer>Concord Test</manufacturer><modelName>HR-100</modelName>
            <serviceList>
              <service>
                <serviceType>${WANIP}</serviceType>
                <serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId>
                <controlURL>/ctl/IPConn</controlURL><eventSubURL>/evt/IPConn</eventSubURL><SCPDURL>/WANIPCn.xml</SCPDURL>
              </service>
            </serviceList>
          </device>
        </deviceList>
      </device>
    </deviceList>
  </device>
</root>`;
}

function scpd(actions: string[]): string {
  return `<?xml version="1.0"?><scpd xmlns="urn:schemas-upnp-org:service-1-0"><actionList>${actions
    .map((a) => `<action><name>${a}</name><argumentList/></action>`)
    .join("")}</actionList><serviceStateTable/></scpd>`;
}

const soap = (inner: string) =>
  `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>${inner}</s:Body></s:Envelope>`;

const fault = (code: number, desc: string) =>
  soap(
    `<s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail><UPnPError xmlns="urn:schemas-upnp-org:control-1-0"><errorCode>${code}</errorCode><errorDescription>${desc}</errorDescription></UPnPError></detail></s:Fault>`,
  );

export async function igdPeer(o: IgdOptions = {}): Promise<IgdPeer> {
  const requests: IgdPeer["requests"] = [];
  const actions = o.actions ?? [
    "AddPortMapping",
    "DeletePortMapping",
    "GetExternalIPAddress",
    "GetGenericPortMappingEntry",
  ];
  const http = createServer((req: IncomingMessage, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      const soapAction = req.headers.soapaction as string | undefined;
      requests.push({ method: req.method!, url: req.url!, soapAction, body });
      if (req.url === "/rootDesc.xml")
        return res.writeHead(200).end(o.description ?? igdDescription(o.urlBase));
      if (req.url === "/WANIPCn.xml") return res.writeHead(200).end(scpd(actions));
      if (req.url === "/ctl/IPConn" && req.method === "POST") {
        if (o.control === "locked")
          return res.writeHead(401, { "WWW-Authenticate": 'Digest realm="igd"' }).end();
        if (o.control === "forbidden") return res.writeHead(500).end(fault(606, "Action not authorized"));
        if (o.control === "fault-713")
          return res.writeHead(500).end(fault(713, "SpecifiedArrayIndexInvalid"));
        if (soapAction?.includes("#GetExternalIPAddress"))
          return res
            .writeHead(200)
            .end(
              soap(
                `<u:GetExternalIPAddressResponse xmlns:u="${WANIP}"><NewExternalIPAddress>203.0.113.7</NewExternalIPAddress></u:GetExternalIPAddressResponse>`,
              ),
            );
        return res.writeHead(500).end(fault(401, "Invalid Action"));
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  const httpPort = (http.address() as { port: number }).port;
  const ssdp = await udpResponder((msg) => {
    const text = msg.toString();
    if (!text.startsWith("M-SEARCH * HTTP/1.1\r\n")) return [];
    const st = /^ST:\s*(.*)$/im.exec(text)?.[1]?.trim() ?? "";
    const location = `http://${o.locationHost ?? "127.0.0.1"}:${httpPort}/rootDesc.xml`;
    const answer = (t: string) =>
      Buffer.from(
        `HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nST: ${t}\r\nUSN: uuid:11111111-2222-3333-4444-555555555555::${t}\r\nEXT:\r\nSERVER: Linux/5.4 UPnP/1.1 MiniUPnPd/2.3\r\nLOCATION: ${location}\r\n\r\n`,
      );
    if (st === "ssdp:all") return [answer("upnp:rootdevice"), answer(IGD), answer(WANIP)];
    if (st === IGD) return [answer(IGD)];
    return [];
  });
  return {
    ssdp,
    httpPort,
    requests,
    close: async () => {
      await ssdp.close();
      http.closeAllConnections();
      await new Promise((r) => http.close(r));
    },
  };
}
