// The TLS audit against real peers on 127.0.0.1 (openssl s_server weak, hardened and TLS 1.0-only,
// mosquitto with a TLS listener) and against scripted and misbehaving Node peers, with the exact
// versions, suites, certificate facts and check findings. The accepted suites of the OpenSSL peers
// are compared with what `openssl ciphers` says that server configuration supports.
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { after, describe, it } from "node:test";
import { probeTlsCertificate } from "../../../src/checks/probe-tls-certificate.js";
import { probeTlsWeakCiphers } from "../../../src/checks/probe-tls-weak-ciphers.js";
import { probeTlsWeakProtocols } from "../../../src/checks/probe-tls-weak-protocols.js";
import type { Check } from "../../../src/checks/types.js";
import { runProbe } from "../../../src/collect/probe/run.js";
import { Scope } from "../../../src/collect/probe/scope.js";
import { SERVICE_TESTERS, TARGET_TESTERS } from "../../../src/collect/probe/testers.js";
import { auditTls } from "../../../src/collect/probe/tls/audit.js";
import type { TlsAuditData } from "../../../src/evidence/probe-tls.js";
import { PROBE } from "../../../src/evidence/probe.js";
import { EvidenceIndex, makeEvidence } from "../../../src/evidence/types.js";
import { nodePeer, type Peer } from "../peers.js";
import {
  alert,
  caIssued,
  HARDENED_ARGS,
  mosquittoTls,
  record,
  scriptedTls,
  selfSigned,
  serverHello,
  sServer,
  WEAK_ARGS,
} from "./peers.js";

const fast = { timeoutMs: 1000, rate: 1000 };
const peers: Peer[] = [];
after(async () => {
  for (const p of peers) await p.close();
});
const keep = <P extends Peer>(p: P) => (peers.push(p), p);

async function audit(port: number, host = "127.0.0.1", o: Parameters<typeof auditTls>[2] = {}) {
  const scope = await Scope.create([host], { ...fast, lookup: () => Promise.resolve("127.0.0.1") });
  const r = await auditTls(scope, { host, address: "127.0.0.1", port }, o);
  assert.ok(r, "not a dry run");
  return r;
}

const acceptedVersions = (r: TlsAuditData) => r.versions.filter((v) => v.accepted).map((v) => v.version);
const suitesAt = (r: TlsAuditData, v: string) =>
  r.versions
    .find((x) => x.version === v)!
    .suites.map((s) => s.name)
    .sort();

/** What `openssl ciphers` says a server with an RSA key supports at a version for a cipher string. */
function opensslSuites(version: "tls1" | "tls1_1" | "tls1_2", cipherString: string): string[] {
  const r = spawnSync("openssl", ["ciphers", "-stdname", "-s", `-${version}`, cipherString]);
  return r.stdout
    .toString()
    .trim()
    .split("\n")
    .map((l) => l.split(/\s+/)[0]!)
    .filter((n) => !/^TLS_(AES|CHACHA20)_/.test(n) && !/ECDSA|DSS|PSK|SRP/.test(n))
    .sort();
}

function judge(check: Check, r: TlsAuditData, asOf = "2026-11-25") {
  const e = makeEvidence(PROBE.tls, "device", r, {
    collector: "test",
    version: "0",
    at: "2026-11-25T00:00:00Z",
  });
  return check.evaluate(new EvidenceIndex([e]), { asOf }).map((f) => `${f.status}: ${f.message}`);
}

describe("TLS audit against openssl s_server", () => {
  it("weak twin: TLS 1.0-1.2, every suite openssl supports there, weak ones flagged", async () => {
    const certs = selfSigned("/CN=camera.local/O=Concord Test", true);
    const p = keep(await sServer(certs, WEAK_ARGS));
    const r = await audit(p.port);
    assert.equal(r.outcome, "complete");
    assert.deepEqual(acceptedVersions(r), ["TLSv1.0", "TLSv1.1", "TLSv1.2"]);
    const cipherString = "ALL:eNULL:@SECLEVEL=0";
    assert.deepEqual(suitesAt(r, "TLSv1.0"), opensslSuites("tls1", cipherString));
    assert.deepEqual(suitesAt(r, "TLSv1.1"), opensslSuites("tls1_1", cipherString));
    assert.deepEqual(suitesAt(r, "TLSv1.2"), opensslSuites("tls1_2", cipherString));
    assert.equal(suitesAt(r, "TLSv1.2").length, 61);
    const v12 = r.versions.find((v) => v.version === "TLSv1.2")!;
    assert.deepEqual(v12.suites.find((s) => s.name === "TLS_RSA_WITH_NULL_MD5")!.weak, [
      "no encryption (NULL)",
      "MD5 MAC",
    ]);
    assert.deepEqual(v12.suites.find((s) => s.name === "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")!.weak, []);
    const v10 = r.versions.find((v) => v.version === "TLSv1.0")!;
    assert.deepEqual(v10.suites.find((s) => s.name === "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA")!.weak, [
      "CBC under TLS 1.0",
    ]);
    const sslv3 = r.versions.find((v) => v.version === "SSLv3")!;
    assert.equal(sslv3.hello, "alert handshake_failure");
    assert.equal(sslv3.handshake, undefined);
    const v13 = r.versions.find((v) => v.version === "TLSv1.3")!;
    assert.equal(v13.hello, "alert protocol_version");
    assert.equal(v13.handshake, "ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION");
    // The certificate: from the highest version Node completed.
    const cert = r.certificate!;
    assert.equal(cert.from, "TLSv1.2 handshake");
    assert.equal(cert.trusted, false);
    assert.equal(cert.trustError, "DEPTH_ZERO_SELF_SIGNED_CERT");
    assert.equal(cert.hostname, undefined, "reached by address: no name to check");
    const leaf = cert.chain[0]!;
    assert.equal(leaf.subject, "CN=camera.local, O=Concord Test");
    assert.equal(leaf.selfSigned, true);
    assert.equal(leaf.keyType, "rsa");
    assert.equal(leaf.keyBits, 1024);
    assert.equal(leaf.signatureAlgorithm, "sha1WithRSAEncryption");
    assert.equal(leaf.weakSignature, true);
    // Bounded: about one connection per accepted suite plus one per group of 64 and version.
    assert.ok(r.handshakes <= 101 + 4 + 16, `${r.handshakes} connections`);
    assert.deepEqual(judge(probeTlsWeakProtocols, r), [
      "fail: TLS on 127.0.0.1 port " +
        p.port +
        " accepts TLSv1.0 and TLSv1.1, deprecated protocol versions (it accepts TLSv1.0, TLSv1.1 and TLSv1.2).",
    ]);
    const ciphers = judge(probeTlsWeakCiphers, r);
    assert.equal(ciphers.length, 1);
    assert.match(
      ciphers[0]!,
      new RegExp(
        `^fail: TLS on 127\\.0\\.0\\.1 port ${p.port} accepts 27 weak cipher suites: TLS_RSA_WITH_NULL_MD5 \\(TLSv1\\.0, TLSv1\\.1, TLSv1\\.2: no encryption \\(NULL\\), MD5 MAC\\), `,
      ),
    );
    const leafUntil = leaf.validTo.slice(0, 10);
    assert.deepEqual(judge(probeTlsCertificate, r), [
      `fail: The certificate TLS on 127.0.0.1 port ${p.port} presents ("CN=camera.local, O=Concord Test") is self-signed, has an RSA 1024-bit key and is signed with sha1WithRSAEncryption.`,
    ]);
    assert.deepEqual(judge(probeTlsCertificate, r, "2099-01-01"), [
      `fail: The certificate TLS on 127.0.0.1 port ${p.port} presents ("CN=camera.local, O=Concord Test") expired on ${leafUntil}, is self-signed, has an RSA 1024-bit key and is signed with sha1WithRSAEncryption.`,
    ]);
  });

  it("hardened twin: TLS 1.2 and 1.3 with ECDHE AEAD suites, a CA-issued EC certificate for the name", async () => {
    const certs = caIssued("camera.local");
    const p = keep(await sServer(certs, HARDENED_ARGS));
    const r = await audit(p.port, "camera.local", { ca: [readFileSync(certs.ca!, "utf8")] });
    assert.equal(r.outcome, "complete");
    assert.deepEqual(acceptedVersions(r), ["TLSv1.2", "TLSv1.3"]);
    assert.deepEqual(suitesAt(r, "TLSv1.2"), [
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    ]);
    assert.deepEqual(suitesAt(r, "TLSv1.3"), [
      "TLS_AES_128_GCM_SHA256",
      "TLS_AES_256_GCM_SHA384",
      "TLS_CHACHA20_POLY1305_SHA256",
    ]);
    for (const v of ["TLSv1.0", "TLSv1.1"]) {
      const x = r.versions.find((y) => y.version === v)!;
      assert.equal(x.hello, "alert protocol_version");
      assert.equal(x.handshake, "ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION");
    }
    const cert = r.certificate!;
    assert.equal(cert.from, "TLSv1.3 handshake");
    assert.equal(cert.trusted, true, cert.trustError);
    assert.deepEqual(cert.hostname, { name: "camera.local", matches: true });
    assert.deepEqual(
      cert.chain.map((c) => [c.subject, c.issuer, c.selfSigned, c.keyType, c.curve, c.signatureAlgorithm]),
      [
        ["CN=camera.local", "CN=Concord Test CA", false, "ec", "prime256v1", "ecdsa-with-SHA256"],
        ["CN=Concord Test CA", "CN=Concord Test CA", true, "ec", "prime256v1", "ecdsa-with-SHA256"],
      ],
    );
    assert.ok(r.handshakes <= 30, `${r.handshakes} connections`);
    const where = `TLS on camera.local port ${p.port}`;
    assert.deepEqual(judge(probeTlsWeakProtocols, r), [`pass: ${where} accepts only TLSv1.2 and TLSv1.3.`]);
    assert.deepEqual(judge(probeTlsWeakCiphers, r), [
      `pass: ${where} accepts 6 cipher suites and none is weak.`,
    ]);
    assert.deepEqual(judge(probeTlsCertificate, r), [
      `pass: The certificate ${where} presents ("CN=camera.local") is valid until ${cert.chain[0]!.validTo.slice(0, 10)}, with an EC 256-bit (prime256v1) key, signed with ecdsa-with-SHA256 by "CN=Concord Test CA".`,
    ]);
  });

  it("a name the certificate does not cover fails the certificate check", async () => {
    const certs = caIssued("camera.local");
    const p = keep(await sServer(certs, HARDENED_ARGS));
    const r = await audit(p.port, "doorbell.local");
    assert.deepEqual(r.certificate!.hostname, { name: "doorbell.local", matches: false });
    assert.equal(r.certificate!.trusted, false);
    assert.deepEqual(judge(probeTlsCertificate, r), [
      `fail: The certificate TLS on doorbell.local port ${p.port} presents ("CN=camera.local") does not cover the name doorbell.local.`,
    ]);
  });

  it("-tls1 with DEFAULT:@SECLEVEL=0: TLS 1.0 only", async () => {
    const certs = selfSigned("/CN=plug.local");
    const p = keep(await sServer(certs, ["-tls1", "-cipher", "DEFAULT:@SECLEVEL=0"]));
    const r = await audit(p.port);
    assert.deepEqual(acceptedVersions(r), ["TLSv1.0"]);
    assert.deepEqual(suitesAt(r, "TLSv1.0"), opensslSuites("tls1", "DEFAULT:@SECLEVEL=0"));
    // A TLS 1.0-only server answers a TLS 1.2 hello with a TLS 1.0 ServerHello.
    assert.equal(r.versions.find((v) => v.version === "TLSv1.2")!.hello, "the server answered with TLSv1.0");
  });
});

describe("TLS audit through runProbe", () => {
  it("mosquitto with a TLS listener: identified as tls, audited by the tls tester", async () => {
    const certs = selfSigned("/CN=broker.local");
    const p = keep(await mosquittoTls(certs, true));
    const skip = [...SERVICE_TESTERS, ...TARGET_TESTERS].map((t) => t.id).filter((id) => id !== "tls");
    const r = await runProbe(["127.0.0.1"], { ...fast, ports: String(p.port), skip, bannerWaitMs: 300 });
    assert.deepEqual(
      r.services.map((s) => s.service),
      ["tls"],
    );
    const tls = r.evidence.filter((e) => e.kind === PROBE.tls);
    assert.equal(tls.length, 1);
    assert.equal(tls[0]!.source.location, `127.0.0.1:${p.port}/tcp`);
    assert.equal(tls[0]!.source.version, "0.1.0+tls@1.0.0");
    const d = tls[0]!.data as TlsAuditData;
    assert.deepEqual(acceptedVersions(d), ["TLSv1.2", "TLSv1.3"]);
    assert.equal(d.certificate!.chain[0]!.subject, "CN=broker.local");
    assert.equal(r.scan.testerErrors, undefined);
  });
});

describe("TLS audit against scripted and misbehaving peers", () => {
  it("a legacy stack: SSLv3 and TLS 1.0 with RC4, export, DES and 3DES suites", async () => {
    const suites = [0x0005, 0x0004, 0x0003, 0x0009, 0x000a, 0x0014, 0x002f];
    const p = keep(await scriptedTls([0x0300, 0x0301], suites));
    const r = await audit(p.port);
    assert.equal(r.outcome, "complete");
    assert.deepEqual(acceptedVersions(r), ["SSLv3", "TLSv1.0"]);
    const names = [
      "TLS_RSA_WITH_RC4_128_SHA",
      "TLS_RSA_WITH_RC4_128_MD5",
      "TLS_RSA_EXPORT_WITH_RC4_40_MD5",
      "TLS_RSA_WITH_DES_CBC_SHA",
      "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
      "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA",
      "TLS_RSA_WITH_AES_128_CBC_SHA",
    ];
    for (const v of ["SSLv3", "TLSv1.0"])
      assert.deepEqual(
        r.versions.find((x) => x.version === v)!.suites.map((s) => s.name),
        names,
        `${v}: the server's preference order`,
      );
    const v3 = r.versions.find((x) => x.version === "SSLv3")!;
    assert.deepEqual(
      v3.suites.map((s) => s.weak),
      [
        ["RC4"],
        ["RC4", "MD5 MAC"],
        ["export-grade key", "RC4", "MD5 MAC"],
        ["DES", "CBC under SSLv3"],
        ["3DES (64-bit block)", "CBC under SSLv3"],
        ["export-grade key", "DES", "CBC under SSLv3"],
        ["CBC under SSLv3"],
      ],
    );
    // Node cannot complete a handshake with a peer that stops after its ServerHello.
    assert.equal(r.versions.find((x) => x.version === "TLSv1.0")!.handshake !== "accepted", true);
    assert.equal(r.certificate, undefined);
    assert.equal(r.versions.find((x) => x.version === "TLSv1.2")!.hello, "alert protocol_version");
    assert.deepEqual(judge(probeTlsWeakProtocols, r), [
      `fail: TLS on 127.0.0.1 port ${p.port} accepts SSLv3 and TLSv1.0, deprecated protocol versions (it accepts SSLv3 and TLSv1.0).`,
    ]);
    assert.deepEqual(judge(probeTlsWeakCiphers, r), [
      `fail: TLS on 127.0.0.1 port ${p.port} accepts 7 weak cipher suites: TLS_RSA_WITH_RC4_128_SHA (SSLv3, TLSv1.0: RC4), TLS_RSA_WITH_RC4_128_MD5 (SSLv3, TLSv1.0: RC4, MD5 MAC), TLS_RSA_EXPORT_WITH_RC4_40_MD5 (SSLv3, TLSv1.0: export-grade key, RC4, MD5 MAC), TLS_RSA_WITH_DES_CBC_SHA (SSLv3, TLSv1.0: DES, CBC under SSLv3, CBC under TLS 1.0), TLS_RSA_WITH_3DES_EDE_CBC_SHA (SSLv3, TLSv1.0: 3DES (64-bit block), CBC under SSLv3, CBC under TLS 1.0), TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA (SSLv3, TLSv1.0: export-grade key, DES, CBC under SSLv3, CBC under TLS 1.0) and 1 more.`,
    ]);
  });

  it("when Node cannot handshake, the certificate comes from the raw hello's Certificate message", async () => {
    const certs = selfSigned("/CN=legacy.local", true);
    const der = new X509Certificate(readFileSync(certs.cert)).raw;
    const p = keep(await scriptedTls([0x0300, 0x0301], [0x0005], der));
    const r = await audit(p.port);
    assert.deepEqual(acceptedVersions(r), ["SSLv3", "TLSv1.0"]);
    assert.equal(r.certificate!.from, "SSLv3 ClientHello");
    assert.equal(r.certificate!.trusted, false);
    assert.equal(r.certificate!.trustError, "not checked: only a raw ClientHello reached the certificate");
    assert.deepEqual(
      r.certificate!.chain.map((c) => [c.subject, c.keyBits, c.signatureAlgorithm, c.selfSigned]),
      [["CN=legacy.local", 1024, "sha1WithRSAEncryption", true]],
    );
  });

  it("the time budget runs out mid-audit: what was found is kept, the rest says why", async () => {
    const p = keep(await scriptedTls([0x0300, 0x0301], [0x0005, 0x0004, 0x0003, 0x0009, 0x000a]));
    const scope = await Scope.create(["127.0.0.1"], { timeoutMs: 1000, rate: 25, budgetMs: 400 });
    const r = (await auditTls(scope, { host: "127.0.0.1", address: "127.0.0.1", port: p.port }))!;
    assert.equal(r.outcome, "time budget of 400 ms spent");
    assert.ok(
      r.handshakes >= 1 && r.handshakes <= 11,
      `${r.handshakes} connections at 25 per second in 400 ms`,
    );
    const last = r.versions[r.versions.length - 1]!;
    assert.equal(last.incomplete, "time budget of 400 ms spent");
    assert.equal(last.hello, "not tried");
  });

  it("a stack that closes instead of alerting: the later groups of suites are still asked", async () => {
    const p = keep(await scriptedTls([0x0301], [0x0005, 0xc014], undefined, "close"));
    const r = await audit(p.port);
    assert.deepEqual(
      r.versions.find((v) => v.version === "TLSv1.0")!.suites.map((s) => s.name),
      ["TLS_RSA_WITH_RC4_128_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"],
    );
    assert.equal(r.versions.find((v) => v.version === "TLSv1.0")!.incomplete, undefined);
  });

  it("a peer that picks a suite it was not offered: enumeration stops with the reason", async () => {
    const p = keep(
      await nodePeer((s) => {
        s.once("data", () => s.end(serverHello(0x0303, 0x1234)));
      }),
    );
    const r = await audit(p.port);
    const v12 = r.versions.find((v) => v.version === "TLSv1.2")!;
    assert.equal(v12.accepted, false);
    assert.equal(v12.hello, "the server chose 0x1234, which was not offered");
    assert.equal(v12.incomplete, "the server chose 0x1234, which was not offered");
  });

  it("garbage: every version refused with the reason, a handful of connections", async () => {
    const p = keep(await nodePeer((s) => s.end(Buffer.from("\x00\xffgarbage\r\n", "latin1"))));
    const r = await audit(p.port);
    assert.deepEqual(acceptedVersions(r), []);
    assert.deepEqual(
      r.versions.map((v) => v.hello),
      Array(5).fill("not TLS (not a TLS record)"),
    );
    assert.equal(r.handshakes, 9);
    assert.deepEqual(judge(probeTlsWeakProtocols, r), []);
    assert.deepEqual(judge(probeTlsWeakCiphers, r), []);
  });

  it("reset in the middle of a ServerHello", async () => {
    const p = keep(
      await nodePeer((s) => {
        s.once("data", () => {
          s.write(serverHello(0x0303, 0xc02f).subarray(0, 20));
          setTimeout(() => s.resetAndDestroy(), 20);
        });
      }),
    );
    const r = await audit(p.port);
    assert.deepEqual(acceptedVersions(r), []);
    assert.equal(
      r.versions.find((v) => v.version === "TLSv1.2")!.hello,
      "an incomplete answer of 20 bytes (reset)",
    );
  });

  it("an endless stream of handshake records: stopped at the byte limit", async () => {
    const p = keep(
      await nodePeer((s) => {
        s.once("data", () => {
          // A handshake message announcing 16 MB, then records that never complete it.
          s.write(record(22, 0x0303, Buffer.from([2, 0xff, 0xff, 0xff])));
          const chunk = record(22, 0x0303, Buffer.alloc(16000, 0x41));
          const pump = () => {
            while (!s.destroyed && s.write(chunk));
            if (!s.destroyed) s.once("drain", pump);
          };
          pump();
        });
      }),
    );
    const r = await audit(p.port);
    assert.deepEqual(acceptedVersions(r), []);
    assert.match(
      r.versions.find((v) => v.version === "TLSv1.2")!.hello,
      /^an incomplete answer of \d+ bytes \(limit\)$/,
    );
  });

  it("a hanging peer costs one timeout per version, and the handshake limit holds", async () => {
    const p = keep(await nodePeer(() => {}));
    const scope = await Scope.create(["127.0.0.1"], { timeoutMs: 200, rate: 1000 });
    const r = (await auditTls(scope, { host: "127.0.0.1", address: "127.0.0.1", port: p.port }))!;
    assert.deepEqual(
      r.versions.map((v) => v.hello),
      Array(5).fill("no answer (timeout)"),
    );
    assert.equal(r.handshakes, 9);
    const limited = (await auditTls(
      await Scope.create(["127.0.0.1"], { timeoutMs: 200, rate: 1000 }),
      { host: "127.0.0.1", address: "127.0.0.1", port: p.port },
      { maxHandshakes: 3 },
    ))!;
    assert.equal(limited.outcome, "handshake limit of 3 reached");
    assert.equal(limited.handshakes, 3);
    assert.deepEqual(
      limited.versions.map((v) => v.incomplete),
      Array(5).fill("handshake limit of 3 reached"),
    );
  });

  it("an alert answer is read as the server's refusal", async () => {
    const p = keep(await nodePeer((s) => s.once("data", () => s.end(alert(40)))));
    const r = await audit(p.port);
    assert.deepEqual(
      r.versions.map((v) => v.hello),
      Array(5).fill("alert handshake_failure"),
    );
  });

  it("dry run: no connection, the first one planned", async () => {
    const scope = await Scope.create(["127.0.0.1"], { dryRun: true });
    const r = await auditTls(scope, { host: "127.0.0.1", address: "127.0.0.1", port: 8443 });
    assert.equal(r, undefined);
    assert.deepEqual(scope.planned, [
      { address: "127.0.0.1", port: 8443, purpose: "tls audit: handshake TLSv1.3" },
    ]);
    assert.equal(scope.connections, 0);
  });
});
