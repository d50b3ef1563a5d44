// Logins inside TLS: lighttpd with mod_openssl asking for Basic authentication (admin/admin works,
// or a unique password does not), mosquitto with a TLS listener and a password file, a TLS server
// with nothing to log in to, a port that does not speak TLS, and the tester inside a whole probe,
// where identification names the service "tls" and the tester finds HTTPS inside.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { runProbe } from "../../../src/collect/probe/run.js";
import type { CredentialsData } from "../../../src/evidence/probe-credentials.js";
import { nodePeer, opensslServer, type Peer } from "../peers.js";
import { creds, headline, judge, logLines } from "./helpers.js";
import { lighttpdTls, mosquittoTls } from "./peers.js";

const peers: Peer[] = [];
after(async () => {
  for (const p of peers) await p.close();
});
const keep = <P extends Peer>(p: P) => (peers.push(p), p);

const MIRAI = "Mirai scanner.c credential table (source leaked October 2016)";

describe("credentials inside TLS", { concurrency: true }, () => {
  it("lighttpd over HTTPS with Basic, admin/admin: found", async () => {
    const p = keep(await lighttpdTls("admin:admin\n"));
    const d = await creds("tls", p.port, { maxLogins: 6 });
    assert.deepEqual(
      { ...headline(d), tls: d.tls },
      {
        service: "http",
        method: "basic",
        attempts: 6,
        tried: 4,
        acceptsAnything: false,
        found: ["admin/admin"],
        lockout: false,
        throttled: false,
        stop: "cap",
        tls: true,
      },
    );
    // The transcripts are the plaintext inside TLS: the HTTP request and lighttpd's answer.
    assert.ok(
      d.transcripts.some(
        (t) =>
          t.sent.includes("Authorization: Basic YWRtaW46YWRtaW4=") &&
          t.received.startsWith("HTTP/1.1 200 OK"),
      ),
    );
    assert.deepEqual(judge(d)[0], [
      "probe.default-credentials",
      "fail",
      `The web login (basic over TLS) on 127.0.0.1 port ${p.port} logs in with default credentials: admin / "admin" (${MIRAI}).`,
    ]);
  });

  it("lighttpd over HTTPS with a unique password: none found", async () => {
    const p = keep(await lighttpdTls("admin:Rk2-unique-per-unit\n"));
    const d = await creds("tls", p.port, { maxLogins: 3 });
    assert.deepEqual([d.service, d.tls, d.found, d.stop, d.tried], ["http", true, [], "cap", 2]);
    assert.deepEqual(judge(d)[0], [
      "probe.default-credentials",
      "pass",
      `None of the 2 default credential pairs tried logs in to the web login (basic over TLS) on 127.0.0.1 port ${p.port}.`,
    ]);
  });

  it("mosquitto with a TLS listener and a password file, admin/admin: found", async () => {
    const p = keep(await mosquittoTls("admin", "admin"));
    const d = await creds("tls", p.port, { maxLogins: 6 });
    assert.deepEqual([d.service, d.tls, d.method], ["mqtt", true, "CONNECT"]);
    assert.deepEqual(logLines(d).slice(3, 6), [
      "dictionary root/admin rejected",
      "dictionary admin/admin accepted",
      "verify admin/(random) rejected",
    ]);
    assert.equal(d.log[0]!.note, "CONNACK 5 (not authorized)");
    assert.deepEqual(judge(d)[0], [
      "probe.default-credentials",
      "fail",
      `The MQTT broker (over TLS) on 127.0.0.1 port ${p.port} logs in with default credentials: admin / "admin" (${MIRAI}).`,
    ]);
  });

  it("a TLS server with nothing inside that answers: no login, and why", async () => {
    const p = keep(await opensslServer());
    const d = await creds("tls", p.port, {}, { timeoutMs: 600 });
    assert.equal(d.stop, "no-login");
    assert.equal(d.service, "tls");
    assert.match(
      d.reason,
      /^neither HTTP nor MQTT answered inside TLS \(HTTP: GET \/ got no answer: .*; MQTT: .*\)$/,
    );
    assert.deepEqual(judge(d), []);
  });

  it("a port that does not speak TLS: the test cannot start, and says so", async () => {
    const p = keep(await nodePeer((s) => s.end("220 not TLS\r\n")));
    const d = await creds("tls", p.port);
    assert.equal(d.stop, "error");
    assert.match(
      d.reason,
      /^could not open a TLS connection \(HTTP: GET \/ got no answer: no TLS handshake \(.+\)\)$/,
    );
    assert.deepEqual(judge(d), [
      [
        "probe.default-credentials",
        "info",
        `Could not try default credentials on the TLS service on 127.0.0.1 port ${p.port}: ${d.reason}.`,
      ],
    ]);
  });
});

describe("the credentials tester on a TLS service in a whole probe", () => {
  it("identification says tls, the tester finds HTTPS with Basic inside", async () => {
    const p = keep(await lighttpdTls("admin:admin\n"));
    const r = await runProbe(["127.0.0.1"], {
      timeoutMs: 1500,
      rate: 500,
      ports: String(p.port),
      bannerWaitMs: 300,
      maxLogins: 6,
      skip: ["tls"],
      at: "2026-01-01T00:00:00.000Z",
    });
    assert.equal(r.services[0]?.service, "tls");
    const e = r.evidence.find((x) => x.kind === "probe.credentials")!;
    const d = e.data as CredentialsData;
    assert.deepEqual(
      [e.source.location, d.service, d.tls, d.method, d.found.map((f) => `${f.user}/${f.password}`)],
      [`127.0.0.1:${p.port}/tcp`, "http", true, "basic", ["admin/admin"]],
    );
  });
});
