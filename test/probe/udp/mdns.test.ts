// mDNS: the DNS parser (compression, loops, bounds, fuzzing) and the legacy-unicast probe against a
// Node responder on 127.0.0.1 (no mDNS daemon runs unprivileged here: avahi needs D-Bus and the
// multicast group), which answers the way RFC 6762 section 6.7 says: same ID, question repeated,
// answers sent back to the asking port.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { Scope } from "../../../src/collect/probe/scope.js";
import { DnsError, encodeQuery, parseMessage, readName, TYPE } from "../../../src/collect/probe/udp/dns.js";
import { probeMdns, SERVICES_META } from "../../../src/collect/probe/udp/mdns.js";
import { fuzz } from "./fuzz.js";
import { udpResponder, type UdpPeer } from "./peers.js";

const T = { host: "127.0.0.1", address: "127.0.0.1" };
const scope = () => Scope.create(["127.0.0.1"], { timeoutMs: 400, rate: 500 });

/** A DNS response writer for the test responder, with name compression (its own, not the parser's). */
class Writer {
  private parts: Buffer[] = [];
  private size = 0;
  private names = new Map<string, number>();
  push(b: Buffer) {
    this.parts.push(b);
    this.size += b.length;
  }
  name(n: string) {
    const labels = n.split(".");
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join(".").toLowerCase();
      const at = this.names.get(suffix);
      if (at !== undefined) return this.push(Buffer.from([0xc0 | (at >> 8), at & 0xff]));
      if (this.size < 0x3fff) this.names.set(suffix, this.size);
      const l = Buffer.from(labels[i]!);
      this.push(Buffer.concat([Buffer.from([l.length]), l]));
    }
    this.push(Buffer.from([0]));
  }
  u16(...v: number[]) {
    const b = Buffer.alloc(v.length * 2);
    v.forEach((x, i) => b.writeUInt16BE(x, i * 2));
    this.push(b);
  }
  record(name: string, type: number, rdata: (w: Writer) => void) {
    this.name(name);
    this.u16(type, 0x8001, 0, 120);
    const lenAt = this.size;
    this.u16(0);
    const before = this.size;
    rdata(this);
    const b = Buffer.concat(this.parts);
    b.writeUInt16BE(this.size - before, lenAt);
    this.parts = [b];
  }
  done() {
    return Buffer.concat(this.parts);
  }
}

type Rec = [string, number, (w: Writer) => void];
function response(id: number, question: string, answers: Rec[], additional: Rec[] = []): Buffer {
  const w = new Writer();
  w.u16(id, 0x8400, 1, answers.length, 0, additional.length);
  w.name(question);
  w.u16(TYPE.PTR, 1);
  for (const [n, t, f] of [...answers, ...additional]) w.record(n, t, f);
  return w.done();
}

const ptr = (from: string, to: string): Rec => [from, TYPE.PTR, (w) => w.name(to)];
const srv = (name: string, port: number, target: string): Rec => [
  name,
  TYPE.SRV,
  (w) => {
    w.u16(0, 0, port);
    w.name(target);
  },
];
const txt = (name: string, strings: string[]): Rec => [
  name,
  TYPE.TXT,
  (w) => w.push(Buffer.concat(strings.map((s) => Buffer.concat([Buffer.from([s.length]), Buffer.from(s)])))),
];
const a = (name: string, ip: string): Rec => [
  name,
  TYPE.A,
  (w) => w.push(Buffer.from(ip.split(".").map(Number))),
];

/** What the camera announces. */
function camera(q: Buffer): Buffer[] {
  const m = parseMessage(q);
  const name = m.questions[0]?.name.toLowerCase();
  if (name === SERVICES_META.toLowerCase())
    return [
      response(m.id, SERVICES_META, [
        ptr(SERVICES_META, "_http._tcp.local"),
        ptr(SERVICES_META, "_coap._udp.local"),
      ]),
    ];
  if (name === "_http._tcp.local")
    return [
      response(
        m.id,
        "_http._tcp.local",
        [ptr("_http._tcp.local", "Camera Web._http._tcp.local")],
        [
          srv("Camera Web._http._tcp.local", 80, "cam-01.local"),
          txt("Camera Web._http._tcp.local", ["path=/admin", "model=C100"]),
          a("cam-01.local", "127.0.0.1"),
        ],
      ),
    ];
  if (name === "_coap._udp.local")
    return [response(m.id, "_coap._udp.local", [ptr("_coap._udp.local", "Sensor._coap._udp.local")])];
  return [];
}

describe("DNS messages", () => {
  it("encodes a QU query for the DNS-SD meta-query", () => {
    assert.equal(
      encodeQuery(0x4301, SERVICES_META, TYPE.PTR, true).toString("hex"),
      "430100000001000000000000" +
        "095f7365727669636573075f646e732d7364045f756470056c6f63616c00" +
        "000c8001",
    );
  });

  it("decompresses names and reads PTR, SRV, TXT and A", () => {
    const m = parseMessage(camera(encodeQuery(7, "_http._tcp.local", TYPE.PTR, true))[0]!);
    assert.equal(m.id, 7);
    assert.deepEqual(
      [...m.answers, ...m.additional].map((r) => [r.name, r.type, r.data]),
      [
        ["_http._tcp.local", "PTR", { name: "Camera Web._http._tcp.local" }],
        ["Camera Web._http._tcp.local", "SRV", { port: 80, name: "cam-01.local" }],
        ["Camera Web._http._tcp.local", "TXT", { txt: ["path=/admin", "model=C100"] }],
        ["cam-01.local", "A", { address: "127.0.0.1" }],
      ],
    );
  });

  it("refuses compression loops, forward pointers, huge counts and overlong names", () => {
    const header = (an: number) => Buffer.from([0, 1, 0x84, 0, 0, 0, an >> 8, an & 0xff, 0, 0, 0, 0]);
    // A name that points at itself, one that points forwards, and a two-step loop.
    assert.throws(
      () => parseMessage(Buffer.concat([header(1), Buffer.from("c00c", "hex")])),
      /does not point backwards/,
    );
    assert.throws(() => readName(Buffer.from("016100c005016200", "hex"), 3), /does not point backwards/);
    assert.throws(() => readName(Buffer.from("c002c000", "hex"), 2), /does not point backwards/);
    assert.throws(() => parseMessage(header(65535)), /exceed 64 records/);
    const long = Buffer.concat([
      ...Array.from({ length: 5 }, () => Buffer.concat([Buffer.from([63]), Buffer.alloc(63, 0x61)])),
      Buffer.from([0]),
    ]);
    assert.throws(() => readName(long, 0), /longer than 255 octets/);
    assert.throws(() => parseMessage(Buffer.alloc(5)), /shorter than a DNS header/);
  });

  it("survives garbage: only DnsError", () => {
    fuzz(parseMessage, DnsError, [
      camera(encodeQuery(7, "_http._tcp.local", TYPE.PTR, true))[0]!,
      camera(encodeQuery(8, SERVICES_META, TYPE.PTR, true))[0]!,
    ]);
  });
});

describe("mDNS probes", () => {
  const peers: UdpPeer[] = [];
  after(() => Promise.all(peers.map((p) => p.close())));

  it("lists the service types and instances a device announces", async () => {
    const peer = await udpResponder(camera);
    peers.push(peer);
    const d = (await probeMdns(await scope(), T, peer.port))!;
    assert.equal(d.answered, true);
    assert.deepEqual(d.services, [
      {
        type: "_http._tcp.local",
        instances: [
          {
            name: "Camera Web._http._tcp.local",
            target: "cam-01.local",
            port: 80,
            txt: ["path=/admin", "model=C100"],
          },
        ],
      },
      { type: "_coap._udp.local", instances: [{ name: "Sensor._coap._udp.local" }] },
    ]);
    assert.deepEqual(d.addresses, ["cam-01.local A 127.0.0.1"]);
    assert.deepEqual(
      d.transcripts.map((t) => [t.step, t.outcome]),
      [
        [`mdns PTR ${SERVICES_META}`, "complete"],
        ["mdns PTR _http._tcp.local", "complete"],
        ["mdns PTR _coap._udp.local", "complete"],
      ],
    );
    // Each query asked for a unicast answer (the QU bit).
    for (const q of peer.received) assert.equal(q.readUInt16BE(q.length - 2), 0x8001);
  });

  it("a compression loop, a wrong id, garbage and silence are reasons", async () => {
    const loop = await udpResponder((q) => [
      Buffer.concat([q.subarray(0, 2), Buffer.from("84000000000100000000c00c", "hex")]),
    ]);
    const wrongId = await udpResponder(() => [response(0xbeef, SERVICES_META, [])]);
    const garbage = await udpResponder(() => [Buffer.from([1, 2, 3])]);
    const silent = await udpResponder();
    peers.push(loop, wrongId, garbage, silent);
    const reason = async (p: UdpPeer) => (await probeMdns(await scope(), T, p.port))!.reason;
    assert.equal(await reason(loop), "not DNS: compression pointer at offset 12 does not point backwards");
    assert.equal(await reason(wrongId), "an answer with id 48879, not 17153");
    assert.equal(await reason(garbage), "not DNS: 3 bytes is shorter than a DNS header");
    assert.equal(await reason(silent), "no answer (timeout)");
  });
});
