// UPnP: the XML reader and SSDP parser (hostile input, fuzzing), then the probe against the IGD
// peer on 127.0.0.1: an open gateway, locked ones, one without AddPortMapping, a LOCATION or
// URLBase naming another host (never fetched), and misbehaving SSDP answers; with the exact
// findings of probe.upnp-igd-unauthenticated.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { probeUpnpIgdUnauthenticated } from "../../../src/checks/probe-upnp-igd-unauthenticated.js";
import { Scope } from "../../../src/collect/probe/scope.js";
import { mSearch, parseSsdp, ST_IGD } from "../../../src/collect/probe/udp/ssdp.js";
import type { UpnpData } from "../../../src/evidence/probe-upnp.js";
import { parseDescription, parseScpd } from "../../../src/collect/probe/upnp/description.js";
import { readControlAnswer, soapEnvelope } from "../../../src/collect/probe/upnp/igd.js";
import { probeUpnp } from "../../../src/collect/probe/upnp/tester.js";
import { parseXml } from "../../../src/collect/probe/upnp/xml.js";
import { EvidenceIndex, makeEvidence } from "../../../src/evidence/types.js";
import { rng, randomBytes } from "../udp/fuzz.js";
import { udpResponder, type UdpPeer } from "../udp/peers.js";
import { igdDescription, igdPeer, type IgdOptions, type IgdPeer } from "./igd-peer.js";

const T = { host: "127.0.0.1", address: "127.0.0.1" };
const scope = () => Scope.create(["127.0.0.1"], { timeoutMs: 400, rate: 500 });
const judge = (d: UpnpData) =>
  probeUpnpIgdUnauthenticated
    .evaluate(
      new EvidenceIndex([
        makeEvidence("probe.upnp", "device", d, { collector: "t", version: "0", at: "2026-01-01T00:00:00Z" }),
      ]),
      { asOf: "2026-01-01" },
    )
    .map((f) => [f.status, f.message]);

describe("UPnP documents", () => {
  it("reads a device description with embedded devices", () => {
    const d = parseDescription(igdDescription(), "http://127.0.0.1:5000/rootDesc.xml");
    assert.equal(d.base, "http://127.0.0.1:5000/rootDesc.xml");
    assert.equal(d.device?.friendlyName, "Home Router & Gateway");
    assert.equal(d.device?.modelName, "HR-100");
    assert.equal(d.device?.UDN, "uuid:11111111-2222-3333-4444-555555555555");
    const conn = d.device?.devices[0]?.devices[0]?.services[0];
    assert.deepEqual(conn, {
      serviceType: "urn:schemas-upnp-org:service:WANIPConnection:1",
      serviceId: "urn:upnp-org:serviceId:WANIPConn1",
      controlURL: "/ctl/IPConn",
      SCPDURL: "/WANIPCn.xml",
      eventSubURL: "/evt/IPConn",
    });
    assert.equal(
      parseDescription(igdDescription("http://10.9.9.9:80/"), "http://127.0.0.1/").base,
      "http://10.9.9.9:80/",
    );
  });

  it("never expands entities from a DOCTYPE, and bounds depth, count and text", () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>' +
      "<root><device><friendlyName>&lol2;</friendlyName></device></root>";
    assert.equal(parseDescription(laughs, "http://127.0.0.1/").device?.friendlyName, "&lol2;");
    const deep = "<a>".repeat(10000);
    assert.ok(JSON.stringify(parseXml(deep)).length < 10000);
    const wide = "<a/>".repeat(100000);
    assert.equal(parseXml(wide).children.length, 5000);
    const long = `<root><device><friendlyName>${"x".repeat(100000)}</friendlyName></device></root>`;
    assert.equal(parseDescription(long, "http://127.0.0.1/").device?.friendlyName.length, 4096);
    assert.equal(
      parseXml("<a>&#x41;&#66;&amp;&bogus;&#xFFFFFFF;</a>").children[0]?.text,
      "AB&&bogus;&#xFFFFFFF;",
    );
  });

  it("garbage never throws", () => {
    const r = rng(7);
    for (let i = 0; i < 2000; i++) {
      const b = randomBytes(r, 400);
      const s =
        i % 2
          ? b.toString("latin1")
          : igdDescription().slice(0, Math.floor(r() * 2000)) + b.toString("latin1");
      parseDescription(s, "http://127.0.0.1/");
      parseScpd(s);
      parseSsdp(b);
      readControlAnswer("GetExternalIPAddress", 500, s);
    }
  });

  it("a unicast M-SEARCH names the device in HOST and leaves MX out", () => {
    assert.equal(
      mSearch("127.0.0.1", 1900, ST_IGD).toString(),
      `M-SEARCH * HTTP/1.1\r\nHOST: 127.0.0.1:1900\r\nMAN: "ssdp:discover"\r\nST: ${ST_IGD}\r\nUSER-AGENT: concord-probe UPnP/1.1\r\n\r\n`,
    );
    assert.equal(mSearch("::1", 1900, "ssdp:all").toString().split("\r\n")[1], "HOST: [::1]:1900");
    assert.equal(
      soapEnvelope("urn:x", "GetGenericPortMappingEntry").includes(
        "<NewPortMappingIndex>0</NewPortMappingIndex>",
      ),
      true,
    );
  });
});

describe("UPnP probes", () => {
  const peers: (IgdPeer | UdpPeer)[] = [];
  after(() => Promise.all(peers.map((p) => p.close())));
  const run = async (o: IgdOptions) => {
    const p = await igdPeer(o);
    peers.push(p);
    return { p, d: (await probeUpnp(await scope(), T, p.ssdp.port))! };
  };

  it("an open IGD: description, SCPD, GetExternalIPAddress answered; fail; AddPortMapping never called", async () => {
    const { p, d } = await run({ control: "open" });
    assert.equal(d.answered, true);
    assert.equal(d.responses.length, 3);
    assert.deepEqual(d.responses[1], {
      status: "200 OK",
      st: "urn:schemas-upnp-org:device:InternetGatewayDevice:1",
      usn: "uuid:11111111-2222-3333-4444-555555555555::urn:schemas-upnp-org:device:InternetGatewayDevice:1",
      location: `http://127.0.0.1:${p.httpPort}/rootDesc.xml`,
      server: "Linux/5.4 UPnP/1.1 MiniUPnPd/2.3",
    });
    // The M-SEARCHes went to the device itself, not the multicast group.
    for (const m of p.ssdp.received)
      assert.match(m.toString(), new RegExp(`HOST: 127\\.0\\.0\\.1:${p.ssdp.port}\\r\\n`));
    assert.equal(d.descriptions.length, 1);
    assert.equal(
      d.descriptions[0]?.device?.deviceType,
      "urn:schemas-upnp-org:device:InternetGatewayDevice:1",
    );
    assert.deepEqual(d.igd, [
      {
        location: `http://127.0.0.1:${p.httpPort}/rootDesc.xml`,
        serviceType: "urn:schemas-upnp-org:service:WANIPConnection:1",
        controlURL: `http://127.0.0.1:${p.httpPort}/ctl/IPConn`,
        scpdURL: `http://127.0.0.1:${p.httpPort}/WANIPCn.xml`,
        actions: [
          "AddPortMapping",
          "DeletePortMapping",
          "GetExternalIPAddress",
          "GetGenericPortMappingEntry",
        ],
        addPortMapping: true,
        deletePortMapping: true,
        call: {
          action: "GetExternalIPAddress",
          status: 200,
          outcome: "answered",
          detail: "NewExternalIPAddress=203.0.113.7",
        },
      },
    ]);
    assert.deepEqual(
      p.requests.map((r) => [r.method, r.url, r.soapAction]),
      [
        ["GET", "/rootDesc.xml", undefined],
        ["GET", "/WANIPCn.xml", undefined],
        ["POST", "/ctl/IPConn", '"urn:schemas-upnp-org:service:WANIPConnection:1#GetExternalIPAddress"'],
      ],
    );
    assert.ok(!p.requests.some((r) => /AddPortMapping/.test(r.body + (r.soapAction ?? ""))));
    assert.deepEqual(judge(d), [
      [
        "fail",
        `The UPnP gateway on 127.0.0.1 (WANIPConnection:1 at http://127.0.0.1:${p.httpPort}/ctl/IPConn) answers GetExternalIPAddress without authentication (NewExternalIPAddress=203.0.113.7) and offers AddPortMapping: any program on the network can open ports through the device's firewall.`,
      ],
    ]);
  });

  it("locked gateways pass: HTTP 401 and UPnP error 606", async () => {
    const a = await run({ control: "locked" });
    assert.deepEqual(judge(a.d), [
      [
        "pass",
        `The UPnP gateway on 127.0.0.1 (WANIPConnection:1 at http://127.0.0.1:${a.p.httpPort}/ctl/IPConn) refuses an unauthenticated GetExternalIPAddress (HTTP 401 (authentication required) (Digest)).`,
      ],
    ]);
    const b = await run({ control: "forbidden" });
    assert.deepEqual(judge(b.d), [
      [
        "pass",
        `The UPnP gateway on 127.0.0.1 (WANIPConnection:1 at http://127.0.0.1:${b.p.httpPort}/ctl/IPConn) refuses an unauthenticated GetExternalIPAddress (UPnP error 606 Action not authorized).`,
      ],
    ]);
  });

  it("no AddPortMapping offered: the port-mapping read is answered, and passes", async () => {
    const { p, d } = await run({
      control: "fault-713",
      actions: ["GetGenericPortMappingEntry", "GetStatusInfo"],
    });
    assert.equal(d.igd[0]?.call?.action, "GetGenericPortMappingEntry");
    assert.match(p.requests[2]!.body, /<NewPortMappingIndex>0<\/NewPortMappingIndex>/);
    assert.deepEqual(judge(d), [
      [
        "pass",
        `The UPnP gateway on 127.0.0.1 (WANIPConnection:1 at http://127.0.0.1:${p.httpPort}/ctl/IPConn) answers GetGenericPortMappingEntry without authentication (UPnP error 713 SpecifiedArrayIndexInvalid) but offers no AddPortMapping.`,
      ],
    ]);
  });

  it("a LOCATION or URLBase on another host is recorded, never fetched or called", async () => {
    const a = await run({ locationHost: "10.9.9.9" });
    assert.deepEqual(a.d.descriptions, [
      {
        location: `http://10.9.9.9:${a.p.httpPort}/rootDesc.xml`,
        fetched: false,
        refused: "LOCATION names 10.9.9.9, not the target: not fetched",
      },
    ]);
    assert.equal(a.p.requests.length, 0);
    const b = await run({ urlBase: "http://10.9.9.9:49000/" });
    assert.deepEqual(
      b.d.igd.map((c) => [c.scpdReason, c.refused, c.call]),
      [
        [
          "http://10.9.9.9:49000/WANIPCn.xml is not on the target: not fetched",
          "http://10.9.9.9:49000/ctl/IPConn is not on the target: not called",
          undefined,
        ],
      ],
    );
    assert.deepEqual(
      b.p.requests.map((r) => r.url),
      ["/rootDesc.xml"],
    );
    assert.deepEqual([...judge(a.d), ...judge(b.d)], []);
  });

  it("garbage, a bad description and silence are reasons", async () => {
    const garbage = await udpResponder(() => [Buffer.from("\x00\x01garbage")]);
    const silent = await udpResponder();
    peers.push(garbage, silent);
    const g = (await probeUpnp(await scope(), T, garbage.port))!;
    assert.deepEqual([g.answered, g.reason], [false, "not an SSDP answer (\\x00\\x01garbage)"]);
    const s = (await probeUpnp(await scope(), T, silent.port))!;
    assert.deepEqual([s.answered, s.reason], [false, "no answer (timeout)"]);
    const { d } = await run({ description: "<html>not a device</html>" });
    assert.deepEqual(
      d.descriptions.map((x) => [x.fetched, x.status, x.reason]),
      [[true, 200, "no <device> in the description"]],
    );
    assert.deepEqual(d.igd, []);
  });
});
