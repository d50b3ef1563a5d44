// SNMP: the BER codec (exact encodings, refusals, fuzzing), then probes against the real net-snmp
// agent on 127.0.0.1 (default community and a hardened twin) and misbehaving peers, with the exact
// findings of probe.snmp-default-community.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { probeSnmpDefaultCommunity } from "../../../src/checks/probe-snmp-default-community.js";
import { Scope } from "../../../src/collect/probe/scope.js";
import { BerError, decode, int, octets, oid, seq, TAG } from "../../../src/collect/probe/udp/ber.js";
import {
  defaultCommunities,
  describeEngineId,
  getRequest,
  parseSnmp,
  probeSnmp,
  SYS_DESCR,
  v3DiscoveryRequest,
} from "../../../src/collect/probe/udp/snmp.js";
import type { SnmpData } from "../../../src/evidence/probe-udp.js";
import { EvidenceIndex, makeEvidence } from "../../../src/evidence/types.js";
import type { Peer } from "../peers.js";
import { fuzz } from "./fuzz.js";
import { freeUdpPort, snmpd, udpResponder, type UdpPeer } from "./peers.js";

const T = { host: "127.0.0.1", address: "127.0.0.1" };
const scope = () => Scope.create(["127.0.0.1"], { timeoutMs: 400, rate: 500 });
const judge = (d: SnmpData) =>
  probeSnmpDefaultCommunity
    .evaluate(
      new EvidenceIndex([
        makeEvidence("probe.snmp", "device", d, { collector: "t", version: "0", at: "2026-01-01T00:00:00Z" }),
      ]),
      { asOf: "2026-01-01" },
    )
    .map((f) => [f.status, f.message]);

const response = (community: string, id: number, value: Buffer) =>
  seq(
    TAG.sequence,
    int(1),
    octets(community),
    seq(TAG.response, int(id), int(0), int(0), seq(TAG.sequence, seq(TAG.sequence, oid(SYS_DESCR), value))),
  );

describe("BER and SNMP messages", () => {
  it("encodes the exact bytes of a v2c GetRequest for sysDescr.0", () => {
    assert.equal(int(0).toString("hex"), "020100");
    assert.equal(int(128).toString("hex"), "02020080");
    assert.equal(int(-1).toString("hex"), "0201ff");
    assert.equal(int(65507).toString("hex"), "020300ffe3");
    assert.equal(oid("1.3.6.1.2.1.1.1.0").toString("hex"), "06082b06010201010100");
    assert.equal(
      getRequest(1, "public", 0x4300, [SYS_DESCR]).toString("hex"),
      "302702010104067075626c6963a01a02024300020100020100300e300c06082b060102010101000500",
    );
  });

  it("reads a response and a v3 report", () => {
    const m = parseSnmp(response("public", 0x4300, octets("Camera OS 2.1")));
    assert.equal(m.version, 1);
    assert.equal(m.community, "public");
    assert.deepEqual(m.pdu, {
      type: TAG.response,
      requestId: 0x4300,
      errorStatus: 0,
      errorIndex: 0,
      varbinds: [{ oid: SYS_DESCR, type: "octets", value: "Camera OS 2.1" }],
    });
    // Our own discovery request parses back: v3, empty engine ID and user.
    const q = parseSnmp(v3DiscoveryRequest(9, 10));
    assert.equal(q.version, 3);
    assert.equal(q.msgId, 9);
    assert.deepEqual(q.usm, { engineId: Buffer.alloc(0), engineBoots: 0, engineTime: 0, userName: "" });
    assert.equal(q.pdu?.requestId, 10);
  });

  it("describes engine IDs (RFC 3411)", () => {
    assert.deepEqual(describeEngineId(Buffer.from("80001f8880144d071e38ad066b00000000", "hex")), {
      enterprise: 8072,
      format: "enterprise-specific (128)",
    });
    assert.deepEqual(describeEngineId(Buffer.from("800000090300aabbccddeeff", "hex")), {
      enterprise: 9,
      format: "mac",
    });
    assert.deepEqual(describeEngineId(Buffer.from("000000090000000000000001", "hex")), {
      enterprise: 9,
      format: "rfc1910",
    });
    assert.deepEqual(describeEngineId(Buffer.from("01", "hex")), {});
  });

  it("refuses lengths it cannot trust, with the reason", () => {
    const cases: [string, RegExp][] = [
      ["3080020100", /indefinite length/],
      ["300a020100", /claims 10 bytes; only 3 are there/],
      ["3085000000000002", /length of 5 octets/],
      ["3f0100", /multi-byte tag/],
      ["30", /truncated header/],
      ["30" + "82ffff", /claims 65535 bytes/],
    ];
    for (const [hex, want] of cases) assert.throws(() => decode(Buffer.from(hex, "hex")), want, hex);
    let deep: Buffer = Buffer.from("0500", "hex");
    for (let i = 0; i < 20; i++) deep = seq(TAG.sequence, deep);
    assert.throws(() => decode(deep), /nested deeper than 12 levels/);
    const wide = seq(TAG.sequence, ...Array.from({ length: 300 }, () => Buffer.from("0500", "hex")));
    assert.throws(() => decode(wide), /more than 256 elements/);
  });

  it("survives garbage: only BerError, never a crash", () => {
    fuzz(parseSnmp, BerError, [
      response("public", 1, octets("x")),
      v3DiscoveryRequest(1, 2),
      getRequest(0, "private", 3, [SYS_DESCR, "1.3.6.1.2.1.1.5.0"]),
    ]);
  });

  it("ships a sourced community list", () => {
    const list = defaultCommunities();
    assert.deepEqual(
      list.map((c) => c.community),
      ["public", "private", "write", ""],
    );
    for (const c of list) assert.match(c.source, /\S{10,}/);
  });
});

describe("SNMP probes of real and misbehaving agents", () => {
  let open: Peer;
  let hardened: Peer;
  const fakes: UdpPeer[] = [];
  before(async () => {
    [open, hardened] = await Promise.all([
      snmpd("public", "Concord test camera"),
      snmpd(`c-${Math.random().toString(36).slice(2)}`, "Hardened camera"),
    ]);
  });
  after(async () => {
    await Promise.all([open?.close(), hardened?.close(), ...fakes.map((f) => f.close())]);
  });

  it("snmpd with rocommunity public: v1 and v2c accepted, v3 engine read, fail", async () => {
    const d = (await probeSnmp(await scope(), T, open.port))!;
    assert.equal(d.answered, true);
    assert.deepEqual(
      d.communities.map((c) => [c.version, c.community, c.accepted, c.sysDescr ?? c.reason]),
      [
        ["v2c", "public", true, "Concord test camera"],
        ["v2c", "private", false, "no answer (timeout)"],
        ["v2c", "write", false, "no answer (timeout)"],
        ["v2c", "", false, "no answer (timeout)"],
        ["v1", "public", true, "Concord test camera"],
        ["v1", "private", false, "no answer (timeout)"],
        ["v1", "write", false, "no answer (timeout)"],
        ["v1", "", false, "no answer (timeout)"],
      ],
    );
    assert.equal(d.v3?.enterprise, 8072, "net-snmp's enterprise number");
    assert.equal(d.v3?.report, "usmStatsUnknownEngineIDs");
    // The discovery, 8 GetRequests, then the random v3 user and one request per default user name.
    assert.equal(d.transcripts.length, 9 + 14);
    assert.equal(d.transcripts[0]!.step, "snmp v3 discovery");
    assert.match(d.transcripts[1]!.received, /Concord test camera/);
    assert.deepEqual(judge(d), [
      [
        "fail",
        `The SNMP agent on 127.0.0.1 port ${open.port}/udp answers the default community "public" (v1, v2c) (sysDescr "Concord test camera"): anyone on the network can read its management data with a password every unit shares.`,
      ],
    ]);
  });

  it("snmpd with a random community: nothing accepted, pass on the v3 proof of life", async () => {
    const d = (await probeSnmp(await scope(), T, hardened.port))!;
    assert.equal(d.answered, true);
    assert.ok(d.communities.every((c) => !c.accepted && c.reason === "no answer (timeout)"));
    assert.equal(d.communities.length, 8);
    assert.deepEqual(judge(d), [
      [
        "pass",
        `The SNMP agent on 127.0.0.1 port ${hardened.port}/udp answered an SNMPv3 discovery but none of the 4 default communities tried in v1 and v2c.`,
      ],
    ]);
  });

  it("a closed port: ICMP unreachable, no community sent, no finding", async () => {
    const port = await freeUdpPort();
    const d = (await probeSnmp(await scope(), T, port))!;
    assert.deepEqual(
      [d.answered, d.reason, d.communities, d.transcripts.length],
      [false, "port unreachable (ICMP)", [], 1],
    );
    assert.deepEqual(judge(d), []);
  });

  it("a silent peer: every request times out, no finding", async () => {
    const peer = await udpResponder();
    fakes.push(peer);
    const d = (await probeSnmp(await scope(), T, peer.port))!;
    assert.equal(d.answered, false);
    assert.equal(d.reason, "no answer (timeout)");
    assert.equal(peer.received.length, 9, "one discovery and eight GetRequests");
    assert.deepEqual(judge(d), []);
  });

  it("garbage, floods and replays are reasons, not crashes", async () => {
    const garbage = await udpResponder(() => [Buffer.from("HTTP/1.1 200 OK\r\n\r\n")]);
    const flood = await udpResponder(() => [seq(TAG.sequence, octets(Buffer.alloc(60000, 0x41)))]);
    // Answers every request with a well-formed response to some other request.
    const replay = await udpResponder(() => [response("public", 1, octets("stale"))]);
    fakes.push(garbage, flood, replay);
    const g = (await probeSnmp(await scope(), T, garbage.port))!;
    assert.equal(g.answered, false);
    assert.equal(g.reason, "not SNMP: element at offset 0 claims 84 bytes; only 17 are there");
    const f = (await probeSnmp(await scope(), T, flood.port))!;
    assert.equal(f.reason, "not SNMP: element at offset 0 claims 60004 bytes; only 8188 are there");
    assert.equal(f.transcripts[0]!.receivedBytes, 8192, "each datagram is cut at 8 KiB");
    const r = (await probeSnmp(await scope(), T, replay.port))!;
    assert.ok(r.communities.every((c) => c.reason === "an SNMP message that does not answer the request"));
    assert.equal(r.answered, false);
    for (const d of [g, f, r]) assert.deepEqual(judge(d), []);
  });

  it("dry run: plans the discovery and every GetRequest, sends nothing", async () => {
    const peer = await udpResponder();
    fakes.push(peer);
    const s = await Scope.create(["127.0.0.1"], { dryRun: true });
    assert.equal(await probeSnmp(s, T, peer.port), undefined);
    assert.equal(s.planned.length, 9 + 18, "and the random v3 user and every default v3 user row");
    assert.ok(s.planned.every((p) => p.proto === "udp" && p.address === "127.0.0.1" && p.port === peer.port));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(peer.received.length, 0);
  });
});
