// FTP and MQTT credential tests: vsftpd (anonymous on; anonymous off with local logins, which
// refuse every dictionary pair), Node FTP peers (a Mirai pair works, a lockout after three
// failures, a server that is never available), and mosquitto with a password file (admin/admin
// works; a unique password; anonymous allowed, which accepts anything).
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { mosquitto, nodePeer, type Peer } from "../peers.js";
import { creds, headline, judge, logLines } from "./helpers.js";
import { mosquittoWithUsers, vsftpd } from "./peers.js";

const peers: Peer[] = [];
after(async () => {
  for (const p of peers) await p.close();
});
const keep = <P extends Peer>(p: P) => (peers.push(p), p);

/** A Node FTP server: `pass(user, password, n)` answers PASS (n counts PASS commands from 1). */
function ftpPeer(
  pass: (user: string, password: string, n: number) => string,
  greeting = "220 camera FTP ready",
): Promise<Peer> {
  let n = 0;
  return nodePeer((s) => {
    let user = "";
    let buf = "";
    s.write(`${greeting}\r\n`);
    s.on("data", (d: Buffer) => {
      buf += d.toString("latin1");
      for (let i = buf.indexOf("\r\n"); i >= 0; i = buf.indexOf("\r\n")) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (line.startsWith("USER ")) {
          user = line.slice(5);
          s.write("331 Password required\r\n");
        } else if (line.startsWith("PASS ")) s.write(`${pass(user, line.slice(5), ++n)}\r\n`);
        else if (line === "QUIT") s.end("221 Bye\r\n");
        else s.write("500 ?\r\n");
      }
    });
  });
}

describe("credentials on FTP: vsftpd", () => {
  it("anonymous on: the anonymous login is accepted and reported apart from default passwords", async () => {
    const p = keep(await vsftpd(true));
    const d = await creds("ftp", p.port, { maxLogins: 6 });
    assert.deepEqual(headline(d), {
      service: "ftp",
      method: "USER/PASS",
      attempts: 6,
      tried: 4,
      acceptsAnything: false,
      found: [],
      lockout: false,
      throttled: false,
      stop: "cap",
    });
    assert.equal(d.anonymous, true);
    assert.equal(d.log[0]!.note, '"530 This FTP server is anonymous only."');
    assert.deepEqual(
      judge(d).map(([c, s, m]) => [c, s, m.replace(/about \d+ ms/, "about N ms")]),
      [
        [
          "probe.default-credentials",
          "pass",
          `None of the 4 default credential pairs tried logs in to FTP on 127.0.0.1 port ${p.port}.`,
        ],
        [
          "probe.bruteforce-protection",
          "fail",
          `FTP on 127.0.0.1 port ${p.port}: no limit observed in 6 attempts (5 refused, no lockout, refusal or slowdown; each wrong password was refused in about N ms).`,
        ],
        [
          "probe.ftp-anonymous",
          "fail",
          `The FTP server on 127.0.0.1 port ${p.port} accepts anonymous logins: anyone on the network can read what it serves.`,
        ],
      ],
    );
  });

  it("anonymous off: anonymous and the dictionary are refused", async () => {
    const p = keep(await vsftpd(false));
    const d = await creds("ftp", p.port, { maxLogins: 3 });
    assert.deepEqual(logLines(d), [
      "canary (random)/(random) rejected",
      "anonymous anonymous/concord-probe@example.invalid rejected",
      "dictionary root/xc3511 rejected",
    ]);
    assert.equal(d.anonymous, false);
    assert.deepEqual(judge(d).at(-1), [
      "probe.ftp-anonymous",
      "pass",
      `The FTP server on 127.0.0.1 port ${p.port} refuses anonymous logins.`,
    ]);
  });
});

describe("credentials on FTP: Node peers", () => {
  it("root/xc3511 works", async () => {
    const p = keep(
      await ftpPeer((u, pw) =>
        u === "root" && pw === "xc3511" ? "230 Login successful." : "530 Login incorrect.",
      ),
    );
    const d = await creds("ftp", p.port, { maxLogins: 5 });
    assert.deepEqual(logLines(d), [
      "canary (random)/(random) rejected",
      "anonymous anonymous/concord-probe@example.invalid rejected",
      "dictionary root/xc3511 accepted",
      "verify root/(random) rejected",
      "dictionary admin/admin rejected",
    ]);
    assert.deepEqual(judge(d)[0]![1], "fail");
  });

  it("421 after three failed passwords: a lockout", async () => {
    const p = keep(
      await ftpPeer((_u, _pw, n) =>
        n <= 3 ? "530 Login incorrect." : "421 Too many login failures, try again later.",
      ),
    );
    const d = await creds("ftp", p.port);
    assert.deepEqual([d.stop, d.lockout, d.attempts, d.tried], ["lockout", true, 4, 2]);
    assert.equal(
      d.limit,
      'it answered "421 Too many login failures, try again later." after 3 failed attempts',
    );
  });

  it("never available (421 at the greeting): nothing judged", async () => {
    const p = keep(await ftpPeer(() => "530 no", "421 Service not available, closing control connection."));
    const d = await creds("ftp", p.port);
    assert.deepEqual(
      [d.stop, d.reason],
      ["error", 'attempt 1 could not be judged: "421 Service not available, closing control connection."'],
    );
  });
});

describe("credentials on FTP: logins in parallel (--login-concurrency)", () => {
  /** Answers PASS after 150 ms, counting how many sessions are open at once. */
  async function slowPeer(accept: (u: string, pw: string, n: number) => string) {
    let open = 0;
    let most = 0;
    let n = 0;
    const p = keep(
      await nodePeer((s) => {
        open++;
        most = Math.max(most, open);
        s.on("close", () => open--);
        let user = "";
        let buf = "";
        s.write("220 camera FTP ready\r\n");
        s.on("data", (d: Buffer) => {
          buf += d.toString("latin1");
          for (let i = buf.indexOf("\r\n"); i >= 0; i = buf.indexOf("\r\n")) {
            const line = buf.slice(0, i);
            buf = buf.slice(i + 2);
            if (line.startsWith("USER ")) {
              user = line.slice(5);
              s.write("331 Password required\r\n");
            } else if (line.startsWith("PASS ")) {
              const answer = accept(user, line.slice(5), ++n);
              setTimeout(() => s.write(`${answer}\r\n`), 150);
            } else if (line === "QUIT") s.end("221 Bye\r\n");
          }
        });
      }),
    );
    return { p, most: () => most };
  }

  it("four at a time: the pair is found, the cap holds, and no more than four sessions are open", async () => {
    const { p, most } = await slowPeer((u, pw) =>
      u === "admin" && pw === "admin" ? "230 Login successful." : "530 Login incorrect.",
    );
    const d = await creds("ftp", p.port, { maxLogins: 12, loginConcurrency: 4 });
    assert.deepEqual(
      d.found.map((f) => `${f.user}/${f.password}`),
      ["admin/admin"],
    );
    assert.ok(d.attempts <= 13, `attempts ${d.attempts} within the cap (+1 verification)`);
    assert.equal(d.stop, "cap");
    assert.equal(most(), 4);
  });

  it("a lockout in the middle of a wave still ends the test, judged in dictionary order", async () => {
    const { p } = await slowPeer((_u, _pw, n) =>
      n <= 3 ? "530 Login incorrect." : "421 Too many login failures, try again later.",
    );
    const d = await creds("ftp", p.port, { loginConcurrency: 4 });
    assert.deepEqual([d.stop, d.lockout], ["lockout", true]);
    assert.ok(d.attempts <= 2 + 4, `at most one wave past the anonymous login: ${d.attempts}`);
  });
});

describe("credentials on MQTT: mosquitto", () => {
  it("a password file with admin/admin: found", async () => {
    const p = keep(await mosquittoWithUsers("admin", "admin"));
    const d = await creds("mqtt", p.port, { maxLogins: 6 });
    assert.deepEqual(headline(d), {
      service: "mqtt",
      method: "CONNECT",
      attempts: 6,
      tried: 4,
      acceptsAnything: false,
      found: ["admin/admin"],
      lockout: false,
      throttled: false,
      stop: "cap",
    });
    assert.equal(d.log[0]!.note, "CONNACK 5 (not authorized)");
    assert.deepEqual(judge(d)[0], [
      "probe.default-credentials",
      "fail",
      `The MQTT broker on 127.0.0.1 port ${p.port} logs in with default credentials: admin / "admin" (Mirai scanner.c credential table (source leaked October 2016)).`,
    ]);
  });

  it("a unique password: none found", async () => {
    const p = keep(await mosquittoWithUsers("admin", "Tq7-unique-per-unit"));
    const d = await creds("mqtt", p.port, { maxLogins: 5 });
    assert.deepEqual([d.found, d.tried, d.stop], [[], 4, "cap"]);
    assert.equal(judge(d)[0]![1], "pass");
  });

  it("anonymous allowed and no password file: any credentials are accepted", async () => {
    const p = keep(await mosquitto(true));
    const d = await creds("mqtt", p.port);
    assert.deepEqual(
      [d.acceptsAnything, d.stop, d.reason],
      [true, "accepts-anything", "a random user name and password logged in: CONNACK 0 (accepted)"],
    );
  });
});
