// The UDP, UPnP and HTTP-admin testers inside a whole `runProbe`: registered, located, fed to the
// checks; --udp-ports parsing; dry runs that plan unicast datagrams only; and the refusal of
// multicast and broadcast addresses even when named with --allow-public.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CHECKS } from "../../../src/checks/index.js";
import { runProbe } from "../../../src/collect/probe/run.js";
import { Scope, ScopeError } from "../../../src/collect/probe/scope.js";
import { SERVICE_TESTERS, TARGET_TESTERS } from "../../../src/collect/probe/testers.js";
import { parseUdpPorts } from "../../../src/collect/probe/udp/common.js";
import { probeSnmp } from "../../../src/collect/probe/udp/snmp.js";
import { EvidenceIndex } from "../../../src/evidence/types.js";
import type { Peer } from "../peers.js";
import { igdPeer, type IgdPeer } from "../upnp/igd-peer.js";
import { lighttpd, snmpd, udpResponder, type UdpPeer } from "./peers.js";

const MINE = ["probe.snmp", "probe.mdns", "probe.coap", "probe.upnp", "probe.http-admin"];

describe("UDP testers in a whole probe", () => {
  let agent: Peer;
  let web: Peer;
  let igd: IgdPeer;
  let coap: UdpPeer;
  let silent: UdpPeer;
  before(async () => {
    [agent, web, igd, silent] = await Promise.all([
      snmpd("public", "Camera OS 4.2"),
      lighttpd({ files: { "index.html": '<form><input type="password" name="p"></form>' } }),
      igdPeer({ control: "open" }),
      udpResponder(),
    ]);
    // A CoAP device with one readable resource (hand-made bytes: ACK 2.05, same message ID and token).
    coap = await udpResponder((m) => {
      const wellKnown = m.includes(Buffer.from("core"));
      const payload = Buffer.from(wellKnown ? "</temp>" : "21.5");
      return [
        Buffer.concat([
          Buffer.from([0x60 | (m[0]! & 0x0f), 0x45, m[2]!, m[3]!]),
          m.subarray(4, 4 + (m[0]! & 0x0f)),
          Buffer.from([0xff]),
          payload,
        ]),
      ];
    });
  });
  after(() => Promise.all([agent?.close(), web?.close(), igd?.close(), coap?.close(), silent?.close()]));

  it("registers the testers", () => {
    assert.deepEqual(
      TARGET_TESTERS.filter((t) => ["upnp", "mdns", "snmp", "coap"].includes(t.id)).map((t) => [
        t.id,
        t.kind,
      ]),
      [
        ["upnp", "probe.upnp"],
        ["mdns", "probe.mdns"],
        ["snmp", "probe.snmp"],
        ["coap", "probe.coap"],
      ],
    );
    assert.ok(SERVICE_TESTERS.some((t) => t.id === "http-admin" && t.kind === "probe.http-admin"));
  });

  it("evidence located per UDP port, and the checks' findings", async () => {
    const r = await runProbe(["127.0.0.1"], {
      ports: String(web.port),
      timeoutMs: 500,
      rate: 500,
      bannerWaitMs: 300,
      udpPorts: { snmp: [agent.port], coap: [coap.port], mdns: [silent.port], ssdp: [igd.ssdp.port] },
      at: "2026-01-01T00:00:00.000Z",
    });
    assert.equal(r.scan.testerErrors, undefined, JSON.stringify(r.scan.testerErrors));
    const mine = r.evidence.filter((e) => MINE.includes(e.kind));
    assert.deepEqual(mine.map((e) => [e.kind, e.source.location, e.source.version]).sort(), [
      ["probe.coap", `127.0.0.1:${coap.port}/udp`, "0.1.0+coap@0.1.0"],
      ["probe.http-admin", `127.0.0.1:${web.port}/tcp`, "0.1.0+http-admin@0.1.0"],
      ["probe.mdns", `127.0.0.1:${silent.port}/udp`, "0.1.0+mdns@0.1.0"],
      ["probe.snmp", `127.0.0.1:${agent.port}/udp`, "0.1.0+snmp@0.2.0"],
      ["probe.upnp", `127.0.0.1:${igd.ssdp.port}/udp`, "0.1.0+upnp@0.1.0"],
    ]);
    const index = new EvidenceIndex(r.evidence);
    const findings = CHECKS.filter((c) =>
      [
        "probe.snmp-default-community",
        "probe.snmp-v3-default-user",
        "probe.upnp-igd-unauthenticated",
        "probe.http-admin-cleartext",
        "probe.coap-unauthenticated",
      ].includes(c.meta.id),
    ).flatMap((c) =>
      c.evaluate(index, { asOf: "2026-01-01" }).map((f) => [f.check, f.status, f.requirements.join()]),
    );
    assert.deepEqual(findings, [
      ["probe.snmp-default-community", "fail", "AUTH-01"],
      ["probe.snmp-v3-default-user", "pass", "AUTH-01"],
      ["probe.upnp-igd-unauthenticated", "fail", "AUTH-08"],
      ["probe.http-admin-cleartext", "fail", "COMM-02"],
      ["probe.coap-unauthenticated", "fail", "AUTH-06"],
    ]);
  });

  it("a dry run plans every datagram to the target only, and sends none", async () => {
    const before = silent.received.length;
    const r = await runProbe(["127.0.0.1"], {
      ports: "1",
      dryRun: true,
      udpPorts: { snmp: [silent.port], coap: [silent.port], mdns: [silent.port], ssdp: [silent.port] },
    });
    const udp = r.scope.planned.filter((p) => p.proto === "udp");
    assert.deepEqual([...new Set(udp.map((p) => p.purpose.split(" ")[0]))].sort(), [
      "coap",
      "mdns",
      "snmp",
      "ssdp",
    ]);
    assert.ok(udp.every((p) => p.address === "127.0.0.1" && p.port === silent.port));
    assert.equal(
      udp.length,
      2 + 1 + 9 + 18 + 1,
      "2 M-SEARCH, 1 mDNS query, 9 SNMP, 18 SNMPv3 users (a random one and every row), 1 CoAP GET",
    );
    await new Promise((res) => setTimeout(res, 50));
    assert.equal(silent.received.length, before);
  });

  it("never sends to a multicast group or broadcast, even when named with --allow-public", async () => {
    for (const group of ["239.255.255.250", "224.0.0.251", "255.255.255.255", "ff02::fb"]) {
      const s = await Scope.create([group], { allowPublic: true, dryRun: true });
      await assert.rejects(
        probeSnmp(s, { host: group, address: group }, 161),
        (e: Error) => e instanceof ScopeError && /multicast or broadcast/.test(e.message),
        group,
      );
      assert.equal(s.planned.length, 0);
    }
  });

  it("parses --udp-ports", () => {
    assert.deepEqual(parseUdpPorts("snmp=161, snmp=1161,coap=5683,snmp=161"), {
      snmp: [161, 1161],
      coap: [5683],
    });
    for (const bad of ["snmp", "dns=53", "snmp=0", "snmp=70000", ","])
      assert.throws(() => parseUdpPorts(bad), ScopeError, bad);
  });
});
