// Service identification against real peers on 127.0.0.1 (mosquitto, openssl s_server, busybox
// telnetd, Node HTTP) and misbehaving ones (flood, hang, reset), with the exact evidence and findings.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, describe, it } from "node:test";
import { probeInsecureServices } from "../../src/checks/probe-insecure-services.js";
import { probeMqttAnonymous } from "../../src/checks/probe-mqtt-anonymous.js";
import { identify } from "../../src/collect/probe/identify.js";
import { runProbe } from "../../src/collect/probe/run.js";
import { Scope } from "../../src/collect/probe/scope.js";
import { EvidenceIndex } from "../../src/evidence/types.js";
import { busyboxWithTelnetd, mosquitto, nodePeer, opensslServer, telnetd, type Peer } from "./peers.js";

const T = { host: "127.0.0.1", address: "127.0.0.1" };
const fast = { timeoutMs: 800, rate: 200 };
const peers: Peer[] = [];
after(async () => {
  for (const p of peers) await p.close();
});
const keep = <P extends Peer>(p: P) => (peers.push(p), p);
const idOne = async (port: number) =>
  identify(await Scope.create(["127.0.0.1"], fast), T, port, { bannerWaitMs: 400 });

describe("probe service identification", () => {
  it("mosquitto allowing anonymous: mqtt, anonymous accepted", async () => {
    const p = keep(await mosquitto(true));
    const s = await idOne(p.port);
    assert.equal(s.service, "mqtt");
    assert.deepEqual(s.detail, { anonymous: true, returnCode: 0, meaning: "accepted", protocol: "3.1.1" });
    const mqtt = s.transcripts.find((t) => t.step === "mqtt")!;
    assert.equal(mqtt.sent, "\\x10\\x19\\x00\\x04MQTT\\x04\\x02\\x00<\\x00\\rconcord-probe");
    assert.equal(mqtt.received, " \\x02\\x00\\x00");
  });

  it("mosquitto refusing anonymous: mqtt, not authorized", async () => {
    const p = keep(await mosquitto(false));
    const s = await idOne(p.port);
    assert.equal(s.service, "mqtt");
    assert.equal(s.detail.anonymous, false);
    assert.equal(s.detail.returnCode, 5);
  });

  it("openssl s_server: tls with a self-signed certificate", async () => {
    const p = keep(await opensslServer());
    const s = await idOne(p.port);
    assert.equal(s.service, "tls", JSON.stringify(s.detail));
    assert.equal(s.detail.protocol, "TLSv1.3");
    assert.equal(s.detail.subject, "CN=camera.local, O=Concord Test");
    assert.equal(s.detail.issuer, "CN=camera.local, O=Concord Test");
    assert.equal(s.detail.selfSigned, true);
    assert.equal(s.detail.expired, false);
  });

  const bb = busyboxWithTelnetd();
  it(
    "busybox telnetd: telnet with IAC negotiation and a login prompt",
    { skip: bb ? false : "no busybox with telnetd (see deps.md)" },
    async () => {
      const p = keep(await telnetd(bb!));
      const s = await idOne(p.port);
      assert.equal(s.service, "telnet");
      assert.deepEqual(s.detail.negotiation, ["DO ECHO", "DO NAWS", "WILL ECHO", "WILL SUPPRESS-GO-AHEAD"]);
      assert.equal(s.detail.prompt, "camera login:");
    },
  );

  it("HTTP: status and Server header", async () => {
    const server = createServer((_req, res) => {
      res.setHeader("Server", "GoAhead-Webs");
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="cam"' }).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    keep({ port: 0, accepts: () => 0, close: () => new Promise((r) => server.close(() => r())) });
    const s = await idOne((server.address() as { port: number }).port);
    assert.equal(s.service, "http");
    assert.equal(s.banner, "HTTP/1.1 401 Unauthorized");
    assert.deepEqual(s.detail, {
      version: "1.1",
      status: 401,
      reason: "Unauthorized",
      server: "GoAhead-Webs",
      authenticate: "Basic",
    });
  });

  it("SSH, FTP and RTSP from their greetings and answers", async () => {
    const ssh = keep(await nodePeer((s) => s.write("SSH-2.0-dropbear_2022.83\r\n")));
    const ftp = keep(await nodePeer((s) => s.write("220 (vsFTPd 3.0.3)\r\n")));
    const rtsp = keep(
      await nodePeer((s) =>
        s.on("data", (d) => {
          if (d.toString().startsWith("OPTIONS"))
            s.end("RTSP/1.0 200 OK\r\nCSeq: 1\r\nPublic: OPTIONS, DESCRIBE, PLAY\r\n\r\n");
          else s.destroy();
        }),
      ),
    );
    const a = await idOne(ssh.port);
    assert.deepEqual(
      [a.service, a.banner, a.detail.software],
      ["ssh", "SSH-2.0-dropbear_2022.83", "dropbear_2022.83"],
    );
    const b = await idOne(ftp.port);
    assert.deepEqual([b.service, b.banner], ["ftp", "220 (vsFTPd 3.0.3)"]);
    const c = await idOne(rtsp.port);
    assert.deepEqual(
      [c.service, c.detail.status, c.detail.methods],
      ["rtsp", 200, ["OPTIONS", "DESCRIBE", "PLAY"]],
    );
  });

  it("a peer that floods, hangs or resets: could not determine", async () => {
    const flood = keep(
      await nodePeer((s) => {
        const junk = Buffer.alloc(65536, 0x41);
        const pump = () => {
          while (!s.destroyed && s.write(junk));
          if (!s.destroyed) s.once("drain", pump);
        };
        pump();
      }),
    );
    const hang = keep(await nodePeer(() => {}));
    const reset = keep(await nodePeer((s) => s.resetAndDestroy()));
    const f = await idOne(flood.port);
    assert.equal(f.service, "unknown");
    assert.match(
      String(f.detail.reason),
      /^could not determine: banner: sent 16384 bytes of unrecognised data unasked/,
    );
    assert.ok(f.transcripts.every((t) => t.receivedBytes <= 16384 && t.received.length <= 515));
    const h = await idOne(hang.port);
    assert.equal(
      h.detail.reason,
      "could not determine: banner: no banner (no answer (timeout)); http: no answer (timeout); rtsp: no answer (timeout); mqtt: no answer (timeout); tls: no TLS handshake (timeout)",
    );
    const r = await idOne(reset.port);
    assert.equal(r.service, "unknown");
    assert.match(
      String(r.detail.reason),
      /^could not determine: banner: (connect failed \(reset\)|no banner \((connection reset|closed without answering)\))/,
    );
  });

  it("a whole probe: evidence and findings", async () => {
    const broker = keep(await mosquitto(true));
    const ftp = keep(await nodePeer((s) => s.write("220 (vsFTPd 3.0.3)\r\n")));
    const r = await runProbe(["127.0.0.1"], {
      ...fast,
      ports: `${broker.port},${ftp.port}`,
      bannerWaitMs: 400,
      at: "2026-01-01T00:00:00.000Z",
    });
    assert.deepEqual(r.scan.counts, { open: 2, closed: 0, filtered: 0, notScanned: 0 });
    assert.deepEqual(
      r.evidence
        .filter((e) => ["probe.scan", "probe.port", "probe.service"].includes(e.kind))
        .map((e) => [e.kind, e.source.location]),
      [
        ["probe.scan", "probe:127.0.0.1"],
        ...[broker.port, ftp.port].sort((a, b) => a - b).map((p) => ["probe.port", `127.0.0.1:${p}/tcp`]),
        ...[broker.port, ftp.port].sort((a, b) => a - b).map((p) => ["probe.service", `127.0.0.1:${p}/tcp`]),
      ],
    );
    const index = new EvidenceIndex(r.evidence);
    const insecure = probeInsecureServices.evaluate(index, { asOf: "2026-01-01" });
    assert.deepEqual(
      insecure.map((f) => [f.status, f.message]),
      [
        [
          "fail",
          `FTP answers on 127.0.0.1 port ${ftp.port} ("220 (vsFTPd 3.0.3)"): it sends logins in clear text.`,
        ],
      ],
    );
    const mqtt = probeMqttAnonymous.evaluate(index, { asOf: "2026-01-01" });
    assert.deepEqual(
      mqtt.map((f) => [f.status, f.requirements, f.message]),
      [
        [
          "fail",
          ["AUTH-06"],
          `The MQTT broker on 127.0.0.1 port ${broker.port} accepts an anonymous CONNECT: anyone on the network can subscribe and publish.`,
        ],
      ],
    );
  });
});
