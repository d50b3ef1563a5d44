// HTTP and RTSP credential tests: lighttpd with mod_auth (Basic, Digest MD5 and SHA-256; admin/admin
// works, or a unique password does not), Node HTTP peers (no login, an unknown scheme, accepts
// anything, 403 for everything after a while, 429) and Node RTSP peers checking Basic and Digest
// on DESCRIBE with their own RFC 7616 arithmetic (including a stale nonce).
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { after, describe, it } from "node:test";
import { nodePeer, type Peer } from "../peers.js";
import { creds, headline, judge, logLines } from "./helpers.js";
import { lighttpd } from "./peers.js";

const peers: Peer[] = [];
after(async () => {
  for (const p of peers) await p.close();
});
const keep = <P extends Peer>(p: P) => (peers.push(p), p);

async function httpPeer(
  handler: (req: IncomingMessage, res: ServerResponse, n: number) => void,
): Promise<Peer> {
  let n = 0;
  const server = createServer((req, res) => handler(req, res, req.headers.authorization ? ++n : n));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as { port: number }).port,
    accepts: () => n,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const MIRAI = "Mirai scanner.c credential table (source leaked October 2016)";

describe(
  "credentials on HTTP: lighttpd mod_auth (it waits about 1 s before each refusal)",
  { concurrency: true },
  () => {
    it("Basic, admin/admin: found", async () => {
      const p = keep(await lighttpd("basic", "admin:admin\n"));
      const d = await creds("http", p.port, { maxLogins: 6 });
      assert.deepEqual(headline(d), {
        service: "http",
        method: "basic",
        attempts: 6,
        tried: 4,
        acceptsAnything: false,
        found: ["admin/admin"],
        lockout: false,
        throttled: false,
        stop: "cap",
      });
      assert.ok(d.failDelayMs! >= 800, `lighttpd's refusal delay, ${d.failDelayMs} ms`);
      assert.ok(
        d.transcripts.some(
          (t) =>
            t.sent.includes("Authorization: Basic YWRtaW46YWRtaW4=") &&
            t.received.startsWith("HTTP/1.1 200 OK"),
        ),
      );
      assert.deepEqual(judge(d), [
        [
          "probe.default-credentials",
          "fail",
          `The web login (basic) on 127.0.0.1 port ${p.port} logs in with default credentials: admin / "admin" (${MIRAI}).`,
        ],
        [
          "probe.bruteforce-protection",
          "fail",
          `The web login (basic) on 127.0.0.1 port ${p.port}: no limit observed in 6 attempts (5 refused, no lockout, refusal or slowdown; each wrong password was refused in about ${d.failDelayMs} ms).`,
        ],
      ]);
    });

    it("Digest SHA-256, admin/admin: found", async () => {
      const p = keep(await lighttpd("digest", "admin:admin\n", "SHA-256"));
      const d = await creds("http", p.port, { maxLogins: 6 });
      assert.deepEqual(
        [d.method, d.found.map((f) => `${f.user}/${f.password}`), d.stop],
        ["digest SHA-256", ["admin/admin"], "cap"],
      );
      assert.deepEqual(logLines(d).slice(3, 6), [
        "dictionary root/admin rejected",
        "dictionary admin/admin accepted",
        "verify admin/(random) rejected",
      ]);
    });

    it("Digest MD5, a unique password: none found", async () => {
      const p = keep(await lighttpd("digest", "admin:Tq7-unique-per-unit\n", "MD5"));
      const d = await creds("http", p.port, { maxLogins: 3 });
      assert.deepEqual(headline(d), {
        service: "http",
        method: "digest MD5",
        attempts: 3,
        tried: 2,
        acceptsAnything: false,
        found: [],
        lockout: false,
        throttled: false,
        stop: "cap",
      });
      assert.deepEqual(judge(d)[0], [
        "probe.default-credentials",
        "pass",
        `None of the 2 default credential pairs tried logs in to the web login (digest MD5) on 127.0.0.1 port ${p.port}.`,
      ]);
    });
  },
);

describe("credentials on HTTP: Node peers", () => {
  it("no login asked, or a scheme the tester does not speak: nothing to test, checks silent", async () => {
    const open = keep(await httpPeer((_q, res) => res.end("hello")));
    const a = await creds("http", open.port);
    assert.deepEqual(
      [a.stop, a.reason, a.attempts],
      [
        "no-login",
        "GET / answered 200 OK without credentials and shows no login form (no <form> in the page): no login asked",
        0,
      ],
    );
    assert.deepEqual(judge(a), []);
    const bearer = keep(
      await httpPeer((_q, res) => res.writeHead(401, { "WWW-Authenticate": 'Bearer realm="api"' }).end()),
    );
    const b = await creds("http", bearer.port);
    assert.deepEqual(
      [b.stop, b.reason],
      ["no-login", "GET / asks for bearer authentication, which the tester does not speak"],
    );
  });

  it("accepts any Basic credentials", async () => {
    const p = keep(
      await httpPeer((req, res) =>
        req.headers.authorization
          ? res.end("ok")
          : res.writeHead(401, { "WWW-Authenticate": 'Basic realm="x"' }).end(),
      ),
    );
    const d = await creds("http", p.port);
    assert.deepEqual(
      [d.acceptsAnything, d.stop, d.attempts, d.reason],
      [true, "accepts-anything", 1, "a random user name and password logged in: 200 OK"],
    );
  });

  it("403 for every login after three: read as a block, not as a working pair", async () => {
    const p = keep(
      await httpPeer((req, res, n) =>
        !req.headers.authorization || n <= 3
          ? res.writeHead(401, { "WWW-Authenticate": 'Basic realm="x"' }).end()
          : res.writeHead(403).end("Forbidden"),
      ),
    );
    const d = await creds("http", p.port);
    assert.deepEqual(logLines(d), [
      "canary (random)/(random) rejected",
      "dictionary root/xc3511 rejected",
      "dictionary root/vizxv rejected",
      "dictionary root/admin accepted",
      "verify root/(random) accepted",
    ]);
    assert.deepEqual([d.acceptsAnything, d.found, d.lockout, d.stop], [false, [], true, "lockout"]);
    assert.equal(
      d.limit,
      "it answered a dictionary pair and a random password alike (403 Forbidden after the credentials) after 3 attempts",
    );
  });

  it("429 after three refusals: a limit", async () => {
    const p = keep(
      await httpPeer((req, res, n) =>
        !req.headers.authorization || n <= 3
          ? res.writeHead(401, { "WWW-Authenticate": 'Basic realm="x"' }).end()
          : res.writeHead(429).end(),
      ),
    );
    const d = await creds("http", p.port);
    assert.deepEqual(
      [d.stop, d.lockout, d.attempts, d.limit],
      ["lockout", true, 4, "it answered 429 Too Many Requests after 3 failed attempts"],
    );
  });
});

/** A Node RTSP server: DESCRIBE needs `scheme` credentials for user/password; Digest nonces go stale once. */
function rtspPeer(scheme: "basic" | "digest", user: string, password: string, seen: string[]): Promise<Peer> {
  const realm = "IP Camera";
  const md5 = (s: string) => createHash("md5").update(s).digest("hex");
  let nonce = randomBytes(8).toString("hex");
  let staleSent = false;
  const param = (h: string, k: string) => new RegExp(`${k}="?([^",]*)"?`).exec(h)?.[1] ?? "";
  const authorized = (h: string | undefined, uri: string): boolean | "stale" => {
    if (!h) return false;
    if (scheme === "basic") return h === `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
    if (!h.startsWith("Digest ")) return false;
    if (param(h, "nonce") !== nonce) return false;
    if (!staleSent) {
      staleSent = true;
      return "stale";
    }
    const ha1 = md5(`${param(h, "username")}:${realm}:${password}`);
    const ha2 = md5(`DESCRIBE:${uri}`);
    const want = md5(`${ha1}:${nonce}:${param(h, "nc")}:${param(h, "cnonce")}:${param(h, "qop")}:${ha2}`);
    return param(h, "username") === user && param(h, "response") === want;
  };
  return nodePeer((s) => {
    let buf = "";
    s.on("data", (d: Buffer) => {
      buf += d.toString("latin1");
      for (let end = buf.indexOf("\r\n\r\n"); end >= 0; end = buf.indexOf("\r\n\r\n")) {
        const req = buf.slice(0, end);
        buf = buf.slice(end + 4);
        const [line = "", ...hs] = req.split("\r\n");
        const [method = "", uri = ""] = line.split(" ");
        const h = (n: string) =>
          hs
            .find((x) => x.toLowerCase().startsWith(`${n}:`))
            ?.slice(n.length + 1)
            .trim();
        const cseq = h("cseq") ?? "0";
        seen.push(`${method} ${h("authorization")?.split(" ")[0] ?? "-"}`);
        const ok = method === "DESCRIBE" ? authorized(h("authorization"), uri) : true;
        if (ok === true) {
          s.write(
            `RTSP/1.0 200 OK\r\nCSeq: ${cseq}\r\nContent-Type: application/sdp\r\nContent-Length: 3\r\n\r\nv=0`,
          );
          continue;
        }
        const stale = ok === "stale" ? ", stale=TRUE" : "";
        if (ok === "stale") nonce = randomBytes(8).toString("hex");
        const challenge =
          scheme === "basic"
            ? `Basic realm="${realm}"`
            : `Digest realm="${realm}", nonce="${nonce}", qop="auth"${stale}`;
        s.write(`RTSP/1.0 401 Unauthorized\r\nCSeq: ${cseq}\r\nWWW-Authenticate: ${challenge}\r\n\r\n`);
      }
    });
  });
}

describe("credentials on RTSP", () => {
  it("Basic on DESCRIBE: admin/admin found", async () => {
    const seen: string[] = [];
    const p = keep(await rtspPeer("basic", "admin", "admin", seen));
    const d = await creds("rtsp", p.port, { maxLogins: 7 });
    assert.deepEqual(
      [d.method, d.found.map((f) => `${f.user}/${f.password}`), d.attempts],
      ["basic", ["admin/admin"], 7],
    );
    assert.deepEqual(seen.slice(0, 2), ["DESCRIBE -", "DESCRIBE Basic"]);
    assert.deepEqual(judge(d)[0], [
      "probe.default-credentials",
      "fail",
      `The RTSP server (basic) on 127.0.0.1 port ${p.port} logs in with default credentials: admin / "admin" (${MIRAI}).`,
    ]);
  });

  it("Digest MD5 on DESCRIBE with a stale nonce renewed once: root/xc3511 found", async () => {
    const seen: string[] = [];
    const p = keep(await rtspPeer("digest", "root", "xc3511", seen));
    const d = await creds("rtsp", p.port, { maxLogins: 4 });
    assert.deepEqual(logLines(d), [
      "canary (random)/(random) rejected",
      "dictionary root/xc3511 accepted",
      "verify root/(random) rejected",
      "dictionary admin/admin rejected",
    ]);
    // The challenge, the canary answered "stale", the canary again, then one request per attempt.
    assert.deepEqual(seen, ["DESCRIBE -", ...Array<string>(5).fill("DESCRIBE Digest")]);
    assert.equal(d.method, "digest MD5");
  });

  it("a stream served without credentials: no login to test", async () => {
    const p = keep(
      await nodePeer((s) =>
        s.on("data", () => s.write("RTSP/1.0 200 OK\r\nCSeq: 1\r\nContent-Length: 0\r\n\r\n")),
      ),
    );
    const d = await creds("rtsp", p.port);
    assert.equal(d.stop, "no-login");
    assert.match(
      d.reason,
      /^DESCRIBE rtsp:\/\/127\.0\.0\.1:\d+\/ answered 200 OK without credentials: no login asked$/,
    );
  });
});
