// HTTP admin: the response parser and page reading (bounds, fuzzing), then the tester against
// lighttpd on 127.0.0.1 (a login page over plain HTTP, and a twin that redirects to its HTTPS
// socket) and Node servers for the cases lighttpd cannot play (Basic challenge, meta refresh,
// redirects to another host, floods, hangs), with the exact findings of probe.http-admin-cleartext.
import assert from "node:assert/strict";
import { createServer, type RequestListener } from "node:http";
import { after, describe, it } from "node:test";
import { probeHttpAdminCleartext } from "../../../src/checks/probe-http-admin-cleartext.js";
import { adminPaths, metaRefresh, probeHttpAdmin } from "../../../src/collect/probe/http/admin.js";
import { dechunk, parseResponse } from "../../../src/collect/probe/http/client.js";
import type { HttpAdminData } from "../../../src/evidence/probe-http.js";
import { Scope } from "../../../src/collect/probe/scope.js";
import type { ServiceData } from "../../../src/evidence/probe.js";
import { EvidenceIndex, makeEvidence } from "../../../src/evidence/types.js";
import { nodePeer, type Peer } from "../peers.js";
import { randomBytes, rng } from "../udp/fuzz.js";
import { lighttpd } from "../udp/peers.js";

const T = { host: "127.0.0.1", address: "127.0.0.1" };
const scope = () => Scope.create(["127.0.0.1"], { timeoutMs: 500, rate: 500 });
const svc = (port: number): ServiceData => ({ ...T, port, service: "http", detail: {}, transcripts: [] });
const judge = (d: HttpAdminData) =>
  probeHttpAdminCleartext
    .evaluate(
      new EvidenceIndex([
        makeEvidence("probe.http-admin", "device", d, {
          collector: "t",
          version: "0",
          at: "2026-01-01T00:00:00Z",
        }),
      ]),
      { asOf: "2026-01-01" },
    )
    .map((f) => [f.status, f.message]);

const LOGIN = `<!DOCTYPE html><html><head><title>Router Login</title></head><body>
<form action="/cgi-bin/login.cgi" method="post">
<input type="text" name="user"><input type="password" name="pass"><input type="submit">
</form><a href="https://vendor.example/support/login">Support</a><a href="/help.html">Help</a></body></html>`;

describe("HTTP responses and pages", () => {
  it("parses status, headers, Content-Length and chunked bodies, bounded", () => {
    const r = parseResponse(
      Buffer.from("HTTP/1.1 200 OK\r\nServer: GoAhead\r\nContent-Length: 5\r\n\r\nhelloEXTRA"),
    );
    assert.ok(typeof r !== "string");
    assert.deepEqual(
      [r.status, r.body.toString(), r.truncated, r.headers[0]],
      [200, "hello", false, ["server", "GoAhead"]],
    );
    const c = parseResponse(
      Buffer.from(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
      ),
    );
    assert.ok(typeof c !== "string");
    assert.equal(c.body.toString(), "hello world");
    assert.deepEqual(dechunk(Buffer.from("zz\r\nabc")), { body: Buffer.alloc(0), complete: false });
    assert.equal(parseResponse(Buffer.from("SSH-2.0-dropbear\r\n")), "not HTTP (SSH-2.0-dropbear\\r\\n)");
    const short = parseResponse(Buffer.from("HTTP/1.0 200 OK\r\nContent-Length: 100\r\n\r\nabc"));
    assert.ok(typeof short !== "string" && short.truncated);
  });

  it("finds admin paths on this device only, and meta refreshes", () => {
    const base = new URL("http://127.0.0.1:8080/");
    assert.deepEqual(adminPaths(LOGIN, base, T), ["/cgi-bin/login.cgi"]);
    assert.deepEqual(
      adminPaths(
        `<a href="/userRpm/Index.htm"></a><script>location.href='/admin/';</script><a href="http://127.0.0.1:8080/setup.cgi?x=1">`,
        base,
        T,
      ),
      ["/userRpm/Index.htm", "/admin/", "/setup.cgi?x=1"],
    );
    assert.equal(
      metaRefresh('<meta http-equiv="refresh" content="0; URL=https://127.0.0.1:8443/">'),
      "https://127.0.0.1:8443/",
    );
    assert.equal(metaRefresh("<p>no refresh</p>"), undefined);
  });

  it("garbage never throws", () => {
    const r = rng(11);
    for (let i = 0; i < 3000; i++) {
      const b = randomBytes(r, 600);
      parseResponse(
        i % 2 ? b : Buffer.concat([Buffer.from("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"), b]),
      );
      dechunk(b);
      adminPaths(b.toString("latin1"), new URL("http://127.0.0.1/"), T);
      metaRefresh(b.toString("latin1"));
    }
  });
});

describe("HTTP admin probes", () => {
  const peers: Peer[] = [];
  after(() => Promise.all(peers.map((p) => p.close())));
  const keep = <P extends Peer>(p: P) => (peers.push(p), p);
  const node = async (handler: RequestListener) => {
    const server = createServer(handler);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    keep({
      port,
      accepts: () => 0,
      close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
    });
    return port;
  };

  it("lighttpd serving a login page over plain HTTP: fail", async () => {
    const p = keep(await lighttpd({ files: { "index.html": LOGIN } }));
    const d = (await probeHttpAdmin(await scope(), svc(p.port)))!;
    assert.deepEqual(d.first, {
      url: `http://127.0.0.1:${p.port}/`,
      status: 200,
      server: d.first.server,
      title: "Router Login",
      passwordField: true,
      adminPaths: ["/cgi-bin/login.cgi"],
      bytes: Buffer.byteLength(LOGIN),
    });
    assert.match(d.first.server ?? "", /^lighttpd/);
    assert.equal(d.redirect, undefined);
    assert.deepEqual(judge(d), [
      [
        "fail",
        `The web interface on 127.0.0.1 port ${p.port} serves a login over plain HTTP (a password field on http://127.0.0.1:${p.port}/; admin paths (/cgi-bin/login.cgi) on http://127.0.0.1:${p.port}/): passwords cross the network in clear text.`,
      ],
    ]);
  });

  it("lighttpd redirecting plain HTTP to its HTTPS socket: followed once over TLS; pass", async () => {
    const p = keep(await lighttpd({ files: { "index.html": LOGIN }, redirectToTls: true }));
    const d = (await probeHttpAdmin(await scope(), svc(p.port)))!;
    assert.equal(d.first.status, 301);
    assert.deepEqual(d.redirect, {
      via: "location",
      to: `https://127.0.0.1:${p.tlsPort}/`,
      https: true,
      sameTarget: true,
      followed: true,
    });
    assert.equal(d.final?.status, 200);
    assert.equal(d.final?.passwordField, true, "the login is there, over HTTPS");
    assert.deepEqual(d.cleartextLogin, []);
    assert.deepEqual(judge(d), [
      [
        "pass",
        `The web interface on 127.0.0.1 port ${p.port} redirects plain HTTP to HTTPS (https://127.0.0.1:${p.tlsPort}/).`,
      ],
    ]);
  });

  it("a Basic challenge over HTTP fails; a plain page says nothing", async () => {
    const basic = await node((_q, res) =>
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="cam"' }).end("no"),
    );
    const d = (await probeHttpAdmin(await scope(), svc(basic)))!;
    assert.deepEqual(judge(d), [
      [
        "fail",
        `The web interface on 127.0.0.1 port ${basic} serves a login over plain HTTP (HTTP Basic authentication on http://127.0.0.1:${basic}/): passwords cross the network in clear text.`,
      ],
    ]);
    const plain = await node((_q, res) => res.writeHead(200).end("<h1>It works</h1>"));
    assert.deepEqual(judge((await probeHttpAdmin(await scope(), svc(plain)))!), []);
  });

  it("one redirect at most, on the same target only", async () => {
    let hits = 0;
    const hop = await node((q, res) => {
      hits++;
      if (q.url === "/") res.writeHead(302, { Location: "/login.html" }).end();
      else res.writeHead(302, { Location: "/again" }).end();
    });
    const d = (await probeHttpAdmin(await scope(), svc(hop)))!;
    assert.deepEqual(
      [d.redirect?.to, d.redirect?.followed, d.final?.status, hits],
      [`http://127.0.0.1:${hop}/login.html`, true, 302, 2],
    );
    const away = await node((_q, res) => res.writeHead(302, { Location: "http://10.9.9.9/admin" }).end());
    const e = (await probeHttpAdmin(await scope(), svc(away)))!;
    assert.deepEqual(e.redirect, {
      via: "location",
      to: "http://10.9.9.9/admin",
      https: false,
      sameTarget: false,
      followed: false,
      reason: "another host: not followed",
    });
    const meta = await node((q, res) =>
      res
        .writeHead(200)
        .end(q.url === "/" ? '<meta http-equiv="refresh" content="0;url=/login.asp">' : LOGIN),
    );
    const m = (await probeHttpAdmin(await scope(), svc(meta)))!;
    assert.equal(m.redirect?.via, "meta refresh");
    assert.deepEqual(judge(m), [
      [
        "fail",
        `The web interface on 127.0.0.1 port ${meta} serves a login over plain HTTP (a password field on http://127.0.0.1:${meta}/login.asp; admin paths (/cgi-bin/login.cgi) on http://127.0.0.1:${meta}/login.asp): passwords cross the network in clear text.`,
      ],
    ]);
  });

  it("a flood is cut at 64 KiB, a hang times out, garbage is a reason", async () => {
    const flood = keep(
      await nodePeer((s) => {
        s.write("HTTP/1.0 200 OK\r\n\r\n");
        const chunk = Buffer.alloc(16384, 0x61);
        const pump = () => {
          while (!s.destroyed && s.write(chunk));
          if (!s.destroyed) s.once("drain", pump);
        };
        pump();
      }),
    );
    const f = (await probeHttpAdmin(await scope(), svc(flood.port)))!;
    assert.equal(f.first.truncated, true);
    assert.ok(f.first.bytes <= 65536);
    assert.equal(f.transcripts[0]!.outcome, "limit");
    const hang = keep(await nodePeer(() => {}));
    const h = (await probeHttpAdmin(await scope(), svc(hang.port)))!;
    assert.equal(h.first.reason, "no answer (timeout)");
    const junk = keep(await nodePeer((s) => s.end("\x16\x03\x01garbage")));
    const j = (await probeHttpAdmin(await scope(), svc(junk.port)))!;
    assert.equal(j.first.reason, "not HTTP (\\x16\\x03\\x01garbage)");
    for (const d of [f, h, j]) assert.deepEqual(judge(d), []);
  });
});
