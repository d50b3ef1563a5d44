// A unicast SSDP responder and a UPnP Internet Gateway Device description for the demo device.
// No Debian package offers one that runs without a WAN interface and firewall rights, so this is a
// small stand-in: it answers M-SEARCH datagrams sent to it (never multicasts), serves the device
// and service descriptions over HTTP, and answers the read-only SOAP action GetExternalIPAddress
// without authentication, as many consumer routers do. AddPortMapping is described but refused.
//   node ssdp-responder.mjs <bind-address> [http-port] [ssdp-port]
import { createSocket } from "node:dgram";
import { createServer } from "node:http";

const address = process.argv[2] ?? "127.0.0.1";
const httpPort = Number(process.argv[3] ?? 49152);
const uuid = "uuid:2f402f80-da50-11e1-9b23-0017880a1b2c";
const ssdpPort = Number(process.argv[4] ?? 1900);
const base = `http://${address}:${httpPort}`;

const device = `<?xml version="1.0"?>
<root xmlns="urn:schemas-upnp-org:device-1-0">
  <specVersion><major>1</major><minor>0</minor></specVersion>
  <device>
    <deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType>
    <friendlyName>HC200 Camera Gateway</friendlyName>
    <manufacturer>Example Cameras Ltd</manufacturer>
    <modelName>HC200</modelName>
    <UDN>${uuid}</UDN>
    <deviceList><device>
      <deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType>
      <UDN>${uuid}-wan</UDN>
      <deviceList><device>
        <deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1</deviceType>
        <UDN>${uuid}-wanconn</UDN>
        <serviceList><service>
          <serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType>
          <serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId>
          <controlURL>/ctl/IPConn</controlURL>
          <eventSubURL>/evt/IPConn</eventSubURL>
          <SCPDURL>/WANIPCn.xml</SCPDURL>
        </service></serviceList>
      </device></deviceList>
    </device></deviceList>
  </device>
</root>
`;

const action = (name, args) =>
  `<action><name>${name}</name><argumentList>${args
    .map(([n, d]) => `<argument><name>${n}</name><direction>${d}</direction></argument>`)
    .join("")}</argumentList></action>`;
const scpd = `<?xml version="1.0"?>
<scpd xmlns="urn:schemas-upnp-org:service-1-0">
  <specVersion><major>1</major><minor>0</minor></specVersion>
  <actionList>
    ${action("GetExternalIPAddress", [["NewExternalIPAddress", "out"]])}
    ${action("AddPortMapping", [["NewExternalPort", "in"], ["NewInternalClient", "in"], ["NewInternalPort", "in"]])}
    ${action("DeletePortMapping", [["NewExternalPort", "in"]])}
    ${action("GetGenericPortMappingEntry", [["NewPortMappingIndex", "in"]])}
  </actionList>
</scpd>
`;

const soap = (body) => `<?xml version="1.0"?>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>${body}</s:Body></s:Envelope>`;

createServer((req, res) => {
  let size = 0;
  req.on("data", (d) => {
    size += d.length;
    if (size > 65536) req.destroy();
  });
  req.on("end", () => {
    const send = (status, type, body) => {
      res.writeHead(status, { "Content-Type": type, Server: "Linux/4.9 UPnP/1.0 MiniUPnPd/2.1" });
      res.end(body);
    };
    if (req.method === "GET" && req.url === "/rootDesc.xml") return send(200, "text/xml", device);
    if (req.method === "GET" && req.url === "/WANIPCn.xml") return send(200, "text/xml", scpd);
    if (req.method === "POST" && req.url === "/ctl/IPConn") {
      const act = String(req.headers.soapaction ?? "");
      if (act.includes("#GetExternalIPAddress"))
        return send(
          200,
          'text/xml; charset="utf-8"',
          soap(
            `<u:GetExternalIPAddressResponse xmlns:u="urn:schemas-upnp-org:service:WANIPConnection:1"><NewExternalIPAddress>198.51.100.7</NewExternalIPAddress></u:GetExternalIPAddressResponse>`,
          ),
        );
      return send(500, "text/xml", soap("<s:Fault><faultstring>UPnPError</faultstring></s:Fault>"));
    }
    send(404, "text/plain", "not found\n");
  });
}).listen(httpPort, address);

const udp = createSocket("udp4");
udp.on("message", (msg, rinfo) => {
  const text = msg.subarray(0, 2048).toString("latin1");
  if (!/^M-SEARCH \* HTTP\/1\.1\r?\n/i.test(text) || !/MAN:\s*"ssdp:discover"/i.test(text)) return;
  const st = /^ST:\s*(.+?)\s*$/im.exec(text)?.[1] ?? "ssdp:all";
  const types =
    st === "ssdp:all" || st === "upnp:rootdevice"
      ? ["upnp:rootdevice", "urn:schemas-upnp-org:device:InternetGatewayDevice:1"]
      : st === "urn:schemas-upnp-org:device:InternetGatewayDevice:1" ||
          st === "urn:schemas-upnp-org:service:WANIPConnection:1"
        ? [st]
        : [];
  for (const t of types)
    udp.send(
      Buffer.from(
        `HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nST: ${t}\r\nUSN: ${uuid}::${t}\r\nEXT:\r\nSERVER: Linux/4.9 UPnP/1.0 MiniUPnPd/2.1\r\nLOCATION: ${base}/rootDesc.xml\r\n\r\n`,
      ),
      rinfo.port,
      rinfo.address,
    );
});
udp.bind(ssdpPort, address);
