// Our ClientHello bytes and the reader of server answers, on crafted records: split records, a
// HelloRetryRequest, the Certificate message, an SSLv2 answer, and every kind of garbage.
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { signatureOid } from "../../../src/collect/probe/tls/certificate.js";
import { clientHello, readServerAnswer } from "../../../src/collect/probe/tls/hello.js";
import { suitesFor, suiteWeaknesses } from "../../../src/collect/probe/tls/suites.js";
import { parseClientHello, record, selfSigned, serverHello } from "./peers.js";

const u24 = (n: number) => Buffer.from([n >> 16, (n >> 8) & 0xff, n & 0xff]);
const handshake = (type: number, body: Buffer) =>
  Buffer.concat([Buffer.from([type]), u24(body.length), body]);

describe("ClientHello", () => {
  it("SSLv3: record version 3.0, no extensions", () => {
    const h = clientHello("SSLv3", [0x0004, 0x000a]);
    assert.deepEqual([...h.subarray(0, 3)], [22, 3, 0]);
    const p = parseClientHello(h)!;
    assert.equal(p.version, 0x0300);
    assert.deepEqual(p.suites, [0x0004, 0x000a]);
    // record header 5 + handshake header 4 + version 2 + random 32 + session id 1 + suites 2+4 + compression 2
    assert.equal(h.length, 5 + 4 + 2 + 32 + 1 + 6 + 2);
  });

  it("TLS 1.2: SNI, padded past 512 bytes, no supported_versions", () => {
    const h = clientHello("TLSv1.2", suitesFor("TLSv1.2").slice(0, 64), { serverName: "camera.local" });
    const p = parseClientHello(h)!;
    assert.equal(p.version, 0x0303);
    assert.equal(p.suites.length, 64);
    assert.deepEqual(p.supportedVersions, []);
    assert.ok(h.includes(Buffer.from("camera.local")));
    assert.ok(h.length - 5 >= 512, `handshake of ${h.length - 5} bytes`);
  });

  it("TLS 1.3: legacy version 1.2, supported_versions 1.3 and an x25519 key share", () => {
    const h = clientHello("TLSv1.3", suitesFor("TLSv1.3"));
    const p = parseClientHello(h)!;
    assert.equal(p.version, 0x0303);
    assert.deepEqual(p.supportedVersions, [0x0304]);
    assert.deepEqual(p.suites, [0x1301, 0x1302, 0x1303, 0x1304, 0x1305]);
  });

  it("older hellos leave out suites that exist only from TLS 1.2 on", () => {
    const v10 = suitesFor("TLSv1.0");
    assert.ok(
      v10.includes(0x002f) && !v10.includes(0xc02f) && !v10.includes(0x003c) && !v10.includes(0x1301),
    );
    assert.ok(suitesFor("TLSv1.2").includes(0xc02f));
  });

  it("weakness reasons read from the suite name", () => {
    assert.deepEqual(suiteWeaknesses("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLSv1.2"), []);
    assert.deepEqual(suiteWeaknesses("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLSv1.2"), []);
    assert.deepEqual(suiteWeaknesses("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLSv1.0"), ["CBC under TLS 1.0"]);
    assert.deepEqual(suiteWeaknesses("TLS_RSA_WITH_IDEA_CBC_SHA", "TLSv1.1"), ["IDEA (64-bit block)"]);
    assert.deepEqual(suiteWeaknesses("TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5", "TLSv1.1"), [
      "export-grade key",
      "RC2",
      "MD5 MAC",
    ]);
    assert.deepEqual(suiteWeaknesses("TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA", "TLSv1.2"), [
      "3DES (64-bit block)",
      "anonymous (no server authentication)",
    ]);
  });
});

describe("reading the server's answer", () => {
  it("a ServerHello, whole or split across reads and records", () => {
    const sh = serverHello(0x0303, 0xc02f);
    assert.deepEqual(readServerAnswer(sh), { kind: "hello", version: 0x0303, suite: 0xc02f, retry: false });
    for (let cut = 1; cut < sh.length; cut++) assert.equal(readServerAnswer(sh.subarray(0, cut)), undefined);
    // The handshake message split over two records.
    const hs = sh.subarray(5);
    const split = Buffer.concat([
      record(22, 0x0303, hs.subarray(0, 10)),
      record(22, 0x0303, hs.subarray(10)),
    ]);
    assert.deepEqual(readServerAnswer(split), {
      kind: "hello",
      version: 0x0303,
      suite: 0xc02f,
      retry: false,
    });
  });

  it("TLS 1.3: the version from supported_versions, and a HelloRetryRequest", () => {
    const random = Buffer.from("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c", "hex");
    const exts = Buffer.from([0x00, 0x06, 0x00, 0x2b, 0x00, 0x02, 0x03, 0x04]);
    const body = Buffer.concat([Buffer.from([3, 3]), random, Buffer.from([0, 0x13, 0x02, 0]), exts]);
    const r = record(22, 0x0303, handshake(2, body));
    assert.deepEqual(readServerAnswer(r), { kind: "hello", version: 0x0304, suite: 0x1302, retry: true });
  });

  it("the Certificate message after the ServerHello, when asked for", () => {
    const certs = selfSigned("/CN=reader.local");
    const der = new X509Certificate(readFileSync(certs.cert)).raw;
    const entry = Buffer.concat([u24(der.length), der]);
    const msg = handshake(11, Buffer.concat([u24(entry.length), entry]));
    const flight = Buffer.concat([serverHello(0x0303, 0x002f), record(22, 0x0303, msg)]);
    const a = readServerAnswer(flight, { certificates: true });
    assert.equal(a?.kind, "hello");
    assert.equal(a?.kind === "hello" && a.certificates?.[0]?.equals(der), true);
    assert.equal(signatureOid(der), "1.2.840.113549.1.1.11");
    // Without the certificate yet, the answer is still coming; a ServerHelloDone ends it (anonymous suite).
    assert.equal(readServerAnswer(serverHello(0x0303, 0x002f), { certificates: true }), undefined);
    const anon = Buffer.concat([
      serverHello(0x0303, 0x0034),
      record(22, 0x0303, handshake(14, Buffer.alloc(0))),
    ]);
    assert.deepEqual(readServerAnswer(anon, { certificates: true }), {
      kind: "hello",
      version: 0x0303,
      suite: 0x0034,
      retry: false,
    });
  });

  it("an alert", () => {
    assert.deepEqual(readServerAnswer(Buffer.from([21, 3, 1, 0, 2, 2, 70])), {
      kind: "alert",
      level: 2,
      description: 70,
    });
  });

  it("garbage of every kind, with the reason", () => {
    const g = (b: Buffer) => {
      const a = readServerAnswer(b);
      return a?.kind === "garbage" ? a.reason : a;
    };
    assert.equal(g(Buffer.from("HTTP/1.1 400 Bad Request\r\n\r\n")), "not a TLS record");
    assert.equal(g(Buffer.from([0x80, 0x2e, 0x04, 0x00, 0x01])), "an SSLv2 ServerHello");
    assert.equal(g(Buffer.from([22, 3, 3, 0x50, 0x00])), "a TLS record of 20480 bytes");
    assert.equal(g(Buffer.from([21, 3, 3, 0, 1, 2])), "an alert record too short");
    assert.equal(g(record(23, 0x0303, Buffer.alloc(4))), "a record of type 23 before any ServerHello");
    assert.equal(
      g(record(22, 0x0303, handshake(11, Buffer.alloc(3)))),
      "handshake message 11 before any ServerHello",
    );
    assert.equal(
      g(record(22, 0x0303, handshake(2, Buffer.alloc(10)))),
      "ServerHello of 10 bytes is too short",
    );
    const cut = Buffer.concat([Buffer.from([3, 3]), Buffer.alloc(32), Buffer.from([32]), Buffer.alloc(5)]);
    assert.equal(g(record(22, 0x0303, handshake(2, cut))), "ServerHello cut inside its session id");
  });
});
