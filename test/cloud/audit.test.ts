// The cloud endpoint audit against local peers on 127.0.0.1: a Node HTTPS server (self-signed, or
// issued by a test CA) with an endpoint that answers without credentials and one that returns
// 401, a WebSocket upgrade, and mosquitto with a TLS listener; plus scope refusals and dry runs.
// The host names are resolved by an injected lookup, so no DNS query leaves the machine.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import { after, describe, it } from "node:test";
import { cloudTlsWeak } from "../../src/checks/cloud-tls-weak.js";
import { cloudUnauthenticatedApi } from "../../src/checks/cloud-unauthenticated-api.js";
import type { Check } from "../../src/checks/types.js";
import { auditCloudEndpoints, type CloudAuditOptions } from "../../src/collect/cloud/audit.js";
import { CLOUD, type CloudAuthData, type CloudTlsData } from "../../src/evidence/cloud.js";
import { EvidenceIndex, type Evidence } from "../../src/evidence/types.js";
import { freePort, type Peer } from "../probe/peers.js";
import { caIssued, mosquittoTls, selfSigned, type Certs } from "../probe/tls/peers.js";

const peers: Peer[] = [];
after(async () => {
  for (const p of peers) await p.close();
});
const keep = <P extends Peer>(p: P) => (peers.push(p), p);

const opts = (extra: CloudAuditOptions = {}): CloudAuditOptions => ({
  timeoutMs: 1000,
  rate: 1000,
  lookup: () => Promise.resolve("127.0.0.1"),
  at: "2026-11-25T00:00:00.000Z",
  ...extra,
});

/** The vendor API: /v1/status answers anyone, /v1/devices wants a token, /v1/stream upgrades to WebSocket. */
async function api(certs: Certs): Promise<Peer> {
  const server: Server = createServer(
    { key: readFileSync(certs.key), cert: readFileSync(certs.cert) },
    (req, res) => {
      if (req.url === "/v1/status")
        res.writeHead(200, { "Content-Type": "application/json" }).end('{"ok":true,"fw":"1.2.3"}');
      else if (req.url === "/v1/devices")
        res.writeHead(401, { "WWW-Authenticate": 'Bearer realm="api"' }).end('{"error":"unauthorized"}');
      else if (req.url === "/v1/empty") res.writeHead(204).end();
      else res.writeHead(302, { Location: "/login" }).end();
    },
  );
  server.on("upgrade", (_req, socket) => {
    socket.end("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as { port: number }).port,
    accepts: () => -1,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

const findings = (check: Check, evidence: Evidence[]) =>
  check.evaluate(new EvidenceIndex(evidence), { asOf: "2026-11-25" }).map((f) => `${f.status}: ${f.message}`);

const ofKind = <T>(evidence: Evidence[], kind: string) =>
  evidence.filter((e) => e.kind === kind) as Evidence<T>[];

describe("cloud endpoint audit", () => {
  it("an HTTPS API with a self-signed certificate: one TLS audit, one unauthenticated request per URL", async () => {
    const certs = selfSigned("/CN=api.vendor.test");
    const p = keep(await api(certs));
    const base = `https://api.vendor.test:${p.port}`;
    const { evidence, scope } = await auditCloudEndpoints(
      [
        { url: `${base}/v1/status`, purpose: "telemetry" },
        { url: `${base}/v1/devices` },
        { url: `${base}/v1/empty` },
        { url: `${base}/` },
      ],
      opts(),
    );
    const tls = ofKind<CloudTlsData>(evidence, CLOUD.tls);
    const auth = ofKind<CloudAuthData>(evidence, CLOUD.auth);
    assert.equal(tls.length, 4);
    assert.equal(auth.length, 4);
    assert.ok(evidence.every((e) => e.subject === "cloud" && e.source.collector === "cloud"));
    assert.equal(tls[0]!.source.location, `${base}/v1/status`);
    assert.equal(tls[0]!.data.purpose, "telemetry");
    // The same host and port are audited once.
    const audit = tls[0]!.data.audit!;
    assert.ok(tls.every((e) => e.data.audit === audit));
    assert.equal(scope.connections, audit.handshakes + 4);
    assert.deepEqual(
      audit.versions.filter((v) => v.accepted).map((v) => v.version),
      ["TLSv1.2", "TLSv1.3"],
    );
    assert.deepEqual(audit.certificate!.hostname, { name: "api.vendor.test", matches: true });
    assert.equal(audit.certificate!.trustError, "DEPTH_ZERO_SELF_SIGNED_CERT");
    assert.deepEqual(findings(cloudTlsWeak, tls.slice(0, 1)), [
      `fail: Cloud endpoint ${base}/v1/status presents a certificate ("CN=api.vendor.test") that is self-signed.`,
    ]);
    assert.deepEqual(
      auth.map((e) => [e.data.verdict, e.data.status, e.data.bodyBytes]),
      [
        ["answers", 200, 24],
        ["refuses", 401, 24],
        ["undetermined", 204, 0],
        ["undetermined", 302, 0],
      ],
    );
    assert.match(
      auth[0]!.data.transcript!.sent,
      /^GET \/v1\/status HTTP\/1\.1\\r\\nHost: api\.vendor\.test:\d+\\r\\n/,
    );
    assert.deepEqual(findings(cloudUnauthenticatedApi, auth), [
      `fail: Cloud endpoint ${base}/v1/status answers without authentication: GET /v1/status without credentials got 200 OK with 24 bytes of application/json.`,
      `pass: Cloud endpoint ${base}/v1/devices refuses a request without credentials: GET /v1/devices without credentials got 401 Unauthorized.`,
      `info: Cloud endpoint ${base}/v1/empty: GET /v1/empty without credentials got 204 No Content with an empty body, which does not show whether it requires authentication.`,
      `info: Cloud endpoint ${base}/: GET / without credentials got 302 Found (to /login), which does not show whether it requires authentication.`,
    ]);
  });

  it("a CA-issued certificate the caller trusts passes cloud.tls-weak; a WebSocket upgrade without credentials fails", async () => {
    const certs = caIssued("api.vendor.test");
    const p = keep(await api(certs));
    const url = `wss://api.vendor.test:${p.port}/v1/stream`;
    const { evidence } = await auditCloudEndpoints(
      [{ url }],
      opts({ ca: [readFileSync(certs.ca!, "utf8")] }),
    );
    const tls = ofKind<CloudTlsData>(evidence, CLOUD.tls);
    const until = tls[0]!.data.audit!.certificate!.chain[0]!.validTo.slice(0, 10);
    assert.deepEqual(findings(cloudTlsWeak, tls), [
      `pass: Cloud endpoint ${url} accepts TLSv1.2 and TLSv1.3 with no weak cipher suite and presents a trusted certificate valid until ${until}, with an EC 256-bit (prime256v1) key, signed with ecdsa-with-SHA256 by "CN=Concord Test CA".`,
    ]);
    assert.deepEqual(findings(cloudUnauthenticatedApi, ofKind(evidence, CLOUD.auth)), [
      `fail: Cloud endpoint ${url} answers without authentication: GET /v1/stream without credentials got 101: the WebSocket upgrade was accepted.`,
    ]);
  });

  it("an MQTT broker over TLS: anonymous CONNECT accepted fails, refused passes", async () => {
    const certs = selfSigned("/CN=mqtt.vendor.test");
    const open = keep(await mosquittoTls(certs, true));
    const closed = keep(await mosquittoTls(certs, false));
    const urls = [`mqtts://mqtt.vendor.test:${open.port}`, `mqtts://mqtt.vendor.test:${closed.port}`];
    const { evidence } = await auditCloudEndpoints(
      urls.map((url) => ({ url })),
      opts(),
    );
    assert.deepEqual(findings(cloudUnauthenticatedApi, ofKind(evidence, CLOUD.auth)), [
      `fail: Cloud endpoint ${urls[0]} answers without authentication: an MQTT CONNECT without user name got CONNACK 0 (accepted).`,
      `pass: Cloud endpoint ${urls[1]} refuses a request without credentials: an MQTT CONNECT without user name got CONNACK 5 (not authorized).`,
    ]);
    const audit = ofKind<CloudTlsData>(evidence, CLOUD.tls)[0]!.data.audit!;
    assert.deepEqual(
      audit.versions.filter((v) => v.accepted).map((v) => v.version),
      ["TLSv1.2", "TLSv1.3"],
    );
  });

  it("a public address is refused without allowPublic, and nothing is sent", async () => {
    const url = "https://api.vendor.example/v1/status";
    const { evidence, scope } = await auditCloudEndpoints(
      [{ url }],
      opts({ lookup: () => Promise.resolve("203.0.113.10") }),
    );
    assert.equal(scope.connections, 0);
    const reason = "public address: refused without --allow-public (probe only devices you own or may test)";
    assert.deepEqual(findings(cloudTlsWeak, evidence), [
      `info: Cloud endpoint ${url} was not tested: ${reason}.`,
    ]);
    assert.deepEqual(findings(cloudUnauthenticatedApi, evidence), [
      `info: Cloud endpoint ${url} was not tested for authentication: ${reason}.`,
    ]);
  });

  it("inputs it cannot test say why; clear-text schemes are left to cloud.endpoints-encrypted", async () => {
    const port = await freePort(); // nothing listens there
    const { evidence } = await auditCloudEndpoints(
      [
        { url: "not a url" },
        { url: "http://api.vendor.test/v1" },
        { url: "coaps://coap.vendor.test/telemetry" },
        { url: `https://127.0.0.1:${port}/v1` },
      ],
      opts(),
    );
    assert.deepEqual(findings(cloudTlsWeak, evidence), [
      'info: Cloud endpoint not a url was not tested: "not a url" is not a URL.',
      "info: Cloud endpoint coaps://coap.vendor.test/telemetry was not tested: coaps (DTLS over UDP) is not audited.",
      `info: Cloud endpoint https://127.0.0.1:${port}/v1 was not tested: no TLS version was accepted (TLS 1.2: connect failed (refused)).`,
    ]);
    assert.deepEqual(findings(cloudUnauthenticatedApi, evidence), [
      `info: Cloud endpoint https://127.0.0.1:${port}/v1 was not tested for authentication: connect failed (refused).`,
    ]);
  });

  it("dry run: no connection, no evidence, the first connection of each audit planned", async () => {
    const { evidence, scope } = await auditCloudEndpoints(
      [{ url: "https://api.vendor.test/v1" }, { url: "mqtts://api.vendor.test" }],
      opts({ dryRun: true }),
    );
    assert.deepEqual(evidence, []);
    assert.equal(scope.connections, 0);
    assert.deepEqual(scope.planned, [
      { address: "127.0.0.1", port: 443, purpose: "tls audit: handshake TLSv1.3" },
      { address: "127.0.0.1", port: 8883, purpose: "tls audit: handshake TLSv1.3" },
    ]);
  });
});
