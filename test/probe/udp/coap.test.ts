// CoAP: message codec and link-format parser (exact bytes, bounds, fuzzing), and the discovery
// probe against Node CoAP servers on 127.0.0.1 (no CoAP daemon is packaged for this image):
// an open device, a block-wise one, a secured twin and misbehaving servers, with the exact
// findings of probe.coap-unauthenticated.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { probeCoapUnauthenticated } from "../../../src/checks/probe-coap-unauthenticated.js";
import { Scope } from "../../../src/collect/probe/scope.js";
import {
  ACK,
  CoapError,
  codeString,
  decodeMessage,
  encodeMessage,
  getRequest,
  OPT,
  parseLinkFormat,
  probeCoap,
  RST,
  type CoapMessage,
} from "../../../src/collect/probe/udp/coap.js";
import type { CoapData } from "../../../src/evidence/probe-udp.js";
import { EvidenceIndex, makeEvidence } from "../../../src/evidence/types.js";
import { fuzz } from "./fuzz.js";
import { udpResponder, type UdpPeer } from "./peers.js";

const T = { host: "127.0.0.1", address: "127.0.0.1" };
const scope = () => Scope.create(["127.0.0.1"], { timeoutMs: 400, rate: 500 });
const judge = (d: CoapData) =>
  probeCoapUnauthenticated
    .evaluate(
      new EvidenceIndex([
        makeEvidence("probe.coap", "device", d, { collector: "t", version: "0", at: "2026-01-01T00:00:00Z" }),
      ]),
      { asOf: "2026-01-01" },
    )
    .map((f) => [f.status, f.message]);

const pathOf = (m: CoapMessage) =>
  "/" +
  m.options
    .filter((o) => o.number === OPT.uriPath)
    .map((o) => o.value.toString())
    .join("/");

/** A CoAP server: `routes` maps a path to [code, payload]; answers piggybacked in an ACK. */
function server(routes: Record<string, [number, string]>, blockSize = 0) {
  return (msg: Buffer): Buffer[] => {
    const m = decodeMessage(msg);
    const [code, body] = routes[pathOf(m)] ?? [0x84, ""];
    const options: CoapMessage["options"] = [];
    let payload = Buffer.from(body);
    if (pathOf(m) === "/.well-known/core" && code === 0x45)
      options.push({ number: OPT.contentFormat, value: Buffer.from([40]) });
    if (blockSize && payload.length > blockSize) {
      const b2 = m.options.find((o) => o.number === OPT.block2);
      const num = b2 ? b2.value.reduce((n, x) => n * 256 + x, 0) >> 4 : 0;
      const more = (num + 1) * blockSize < payload.length;
      payload = payload.subarray(num * blockSize, (num + 1) * blockSize);
      const szx = Math.log2(blockSize) - 4;
      options.push({ number: OPT.block2, value: Buffer.from([(num << 4) | (more ? 8 : 0) | szx]) });
    }
    return [encodeMessage({ type: ACK, code, messageId: m.messageId, token: m.token, options, payload })];
  };
}

const DEVICE: Record<string, [number, string]> = {
  "/.well-known/core": [
    0x45,
    '</sensors/temp>;rt="temperature-c";if="sensor",</config>;rt="cfg";obs,</fw%20info>;ct=0,<coap://10.9.9.9/elsewhere>',
  ],
  "/sensors/temp": [0x45, "21.5"],
  "/config": [0x81, ""],
  "/fw info": [0x45, "1.0.7"],
};

describe("CoAP messages and link format", () => {
  it("encodes a confirmable GET /.well-known/core exactly (RFC 7252 section 3)", () => {
    assert.equal(
      getRequest(0x4300, Buffer.from("43434300", "hex"), "/.well-known/core").toString("hex"),
      "44014300" + "43434300" + "bb2e77656c6c2d6b6e6f776e" + "04636f7265",
    );
    // An option number past 12 and a long value use the extended nibbles.
    const big = encodeMessage({
      type: 0,
      code: 1,
      messageId: 1,
      token: Buffer.alloc(0),
      options: [{ number: 300, value: Buffer.alloc(20, 0x61) }],
    });
    assert.equal(big.subarray(4, 8).toString("hex"), "ed001f07");
    assert.deepEqual(decodeMessage(big).options, [{ number: 300, value: Buffer.alloc(20, 0x61) }]);
    assert.equal(codeString(0x45), "2.05");
    assert.equal(codeString(0x81), "4.01");
  });

  it("parses RFC 6690 link format, bounded", () => {
    assert.deepEqual(parseLinkFormat(DEVICE["/.well-known/core"]![1]), [
      { path: "/sensors/temp", attributes: { rt: "temperature-c", if: "sensor" } },
      { path: "/config", attributes: { rt: "cfg", obs: true } },
      { path: "/fw%20info", attributes: { ct: "0" } },
      { path: "coap://10.9.9.9/elsewhere", attributes: {} },
    ]);
    assert.equal(parseLinkFormat("</a>,".repeat(1000)).length, 64);
    assert.deepEqual(parseLinkFormat('</q>;title="a \\"quoted\\" word"'), [
      { path: "/q", attributes: { title: 'a "quoted" word' } },
    ]);
    assert.deepEqual(parseLinkFormat("garbage"), []);
  });

  it("refuses malformed messages with the reason, and survives garbage", () => {
    const cases: [string, RegExp][] = [
      ["44", /shorter than a CoAP header/],
      ["84010000", /version 2, not 1/],
      ["49010000", /token length 9 is reserved/],
      ["40010000ff", /a payload marker with no payload/],
      ["40010000f0", /option nibble 15 is reserved/],
      ["4001000014aa", /option 1 claims 4 bytes past the end/],
    ];
    for (const [hex, want] of cases) assert.throws(() => decodeMessage(Buffer.from(hex, "hex")), want, hex);
    fuzz(decodeMessage, CoapError, [
      getRequest(1, Buffer.from("0102", "hex"), "/.well-known/core", { num: 2, szx: 6 }),
      server(DEVICE)(getRequest(1, Buffer.alloc(0), "/.well-known/core"))[0]!,
    ]);
  });
});

describe("CoAP probes", () => {
  const peers: UdpPeer[] = [];
  after(() => Promise.all(peers.map((p) => p.close())));
  const peer = async (answer: (m: Buffer) => Buffer[]) => {
    const p = await udpResponder(answer);
    peers.push(p);
    return p;
  };

  it("an open device: discovery, its own resources read, another host's never; fail", async () => {
    const p = await peer(server(DEVICE));
    const d = (await probeCoap(await scope(), T, p.port))!;
    assert.equal(d.code, "2.05");
    assert.equal(d.contentFormat, 40);
    assert.equal(d.resources.length, 4);
    assert.deepEqual(d.reads, [
      { path: "/sensors/temp", code: "2.05", bytes: 4 },
      { path: "/config", code: "4.01", bytes: 0 },
      { path: "/fw%20info", code: "2.05", bytes: 5 },
    ]);
    assert.equal(p.received.length, 4, "discovery and three reads; nothing for coap://10.9.9.9");
    assert.deepEqual(judge(d), [
      [
        "fail",
        `The CoAP server on 127.0.0.1 port ${p.port}/udp serves 2 resources to an anonymous client without DTLS (/sensors/temp, /fw%20info).`,
      ],
    ]);
  });

  it("a block-wise answer is read block by block, bounded", async () => {
    const many = Array.from({ length: 40 }, (_, i) => `</sensor/${i}>;rt="reading"`).join(",");
    const p = await peer(server({ "/.well-known/core": [0x45, many] }, 256));
    const d = (await probeCoap(await scope(), T, p.port))!;
    assert.equal(d.blocks, Math.ceil(many.length / 256));
    assert.equal(d.truncated, undefined);
    assert.equal(d.resources.length, 40);
    assert.equal(d.reads.length, 8, "at most 8 resources read");
    assert.ok(d.reads.every((r) => r.code === "4.04"));
    assert.deepEqual(judge(d), []);
    const huge = Array.from({ length: 200 }, (_, i) => `</s/${i}>`).join(",");
    const q = await peer(server({ "/.well-known/core": [0x45, huge] }, 64));
    const e = (await probeCoap(await scope(), T, q.port))!;
    assert.deepEqual([e.blocks, e.truncated], [8, true]);
  });

  it("a secured twin: discovery refused; pass", async () => {
    const p = await peer(server({ "/.well-known/core": [0x81, ""] }));
    const d = (await probeCoap(await scope(), T, p.port))!;
    assert.deepEqual([d.answered, d.code, d.resources, d.reads], [true, "4.01", [], []]);
    assert.deepEqual(judge(d), [
      [
        "pass",
        `The CoAP server on 127.0.0.1 port ${p.port}/udp refuses anonymous resource discovery (4.01).`,
      ],
    ]);
    const q = await peer(
      server({ "/.well-known/core": [0x45, "</a>,</b>"], "/a": [0x81, ""], "/b": [0x83, ""] }),
    );
    assert.deepEqual(judge((await probeCoap(await scope(), T, q.port))!), [
      [
        "pass",
        `The CoAP server on 127.0.0.1 port ${q.port}/udp refuses every listed resource to an anonymous client (2 read, 4.01/4.03).`,
      ],
    ]);
  });

  it("RST, empty ACK, garbage, a stranger's answer and silence are reasons", async () => {
    const reply =
      (type: number, code: number, sameId = true) =>
      (msg: Buffer) => {
        const m = decodeMessage(msg);
        return [
          encodeMessage({
            type,
            code,
            messageId: sameId ? m.messageId : m.messageId + 1,
            token: m.token,
            options: [],
          }),
        ];
      };
    const cases: [(m: Buffer) => Buffer[], string][] = [
      [reply(RST, 0), "reset by the server (RST)"],
      [reply(ACK, 0), "acknowledged with a separate response to follow (not awaited)"],
      [reply(ACK, 0x45, false), "an answer to some other request"],
      [() => [Buffer.from("\xff\xff\xff\xff", "latin1")], "not CoAP: version 3, not 1"],
      [() => [], "no answer (timeout)"],
    ];
    for (const [answer, want] of cases) {
      const p = await peer(answer);
      const d = (await probeCoap(await scope(), T, p.port))!;
      assert.deepEqual([d.answered, d.reason], [false, want]);
      assert.deepEqual(judge(d), []);
    }
  });
});
