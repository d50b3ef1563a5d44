// SSH credential tests: in-process ssh2 servers for the password and keyboard-interactive logic
// (a default pair works, publickey only, "none" lets anyone in, any password works), and a real
// dropbear refusing a supplied list, whose passwords must appear nowhere in the record.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { tmp, type Peer } from "../peers.js";
import { creds, headline, judge, logLines } from "./helpers.js";
import { dropbear, sshPeer } from "./peers.js";

const peers: Peer[] = [];
after(async () => {
  for (const p of peers) await p.close();
});
const keep = <P extends Peer>(p: P) => (peers.push(p), p);

describe("credentials on SSH", () => {
  it("password: admin/admin logs in (the fourth pair), verified with a random password", async () => {
    const p = keep(
      await sshPeer({
        methods: ["publickey", "password"],
        accept: (u, pw) => u === "admin" && pw === "admin",
      }),
    );
    const d = await creds("ssh", p.port, { maxLogins: 7 });
    assert.deepEqual(headline(d), {
      service: "ssh",
      method: "password",
      attempts: 7,
      tried: 5,
      acceptsAnything: false,
      found: ["admin/admin"],
      lockout: false,
      throttled: false,
      stop: "cap",
    });
    assert.deepEqual(logLines(d), [
      "canary (random)/(random) rejected",
      "dictionary root/xc3511 rejected",
      "dictionary root/vizxv rejected",
      "dictionary root/admin rejected",
      "dictionary admin/admin accepted",
      "verify admin/(random) rejected",
      "dictionary root/888888 rejected",
    ]);
    // What the server saw: the canary first, then the pairs in order.
    assert.match(p.tries[0]!, /^password concord-[0-9a-f]{8}\//);
    assert.deepEqual(p.tries.slice(1, 5), [
      "password root/xc3511",
      "password root/vizxv",
      "password root/admin",
      "password admin/admin",
    ]);
    assert.deepEqual(judge(d)[0], [
      "probe.default-credentials",
      "fail",
      `SSH on 127.0.0.1 port ${p.port} logs in with default credentials: admin / "admin" (Mirai scanner.c credential table (source leaked October 2016)).`,
    ]);
  });

  it("keyboard-interactive only: every prompt answered with the password", async () => {
    const p = keep(
      await sshPeer({
        methods: ["keyboard-interactive"],
        accept: (u, pw) => u === "root" && pw === "xc3511",
      }),
    );
    const d = await creds("ssh", p.port, { maxLogins: 4 });
    assert.deepEqual(
      [d.method, d.found, d.stop],
      [
        "keyboard-interactive",
        [
          {
            user: "root",
            password: "xc3511",
            source:
              "Mirai scanner.c credential table (source leaked October 2016); https://www.stateward.com/vulnerabilities/INFRA-MIRAI-2016",
          },
        ],
        "cap",
      ],
    );
    assert.equal(p.tries[1], "keyboard-interactive root/xc3511");
    assert.match(p.tries[2]!, /^keyboard-interactive root\/Cx[\w-]{12}$/); // the verification
    assert.ok(d.transcripts.some((t) => t.sent.includes("answers: xc3511")));
  });

  it("publickey only: no password login to test, and the checks stay silent", async () => {
    const p = keep(await sshPeer({ methods: ["publickey"], accept: () => true }));
    const d = await creds("ssh", p.port);
    assert.deepEqual(
      [d.stop, d.reason, d.attempts],
      ["no-login", "no password login offered (methods: publickey)", 0],
    );
    assert.deepEqual(judge(d), []);
  });

  it('"none" lets anyone in: accepts any credentials', async () => {
    const p = keep(await sshPeer({ methods: ["password"], accept: () => false, none: true }));
    const d = await creds("ssh", p.port);
    assert.deepEqual(
      [d.acceptsAnything, d.stop, d.attempts, d.method],
      [true, "accepts-anything", 1, "none (no authentication)"],
    );
    assert.equal(
      d.reason,
      "a random user name and password logged in: logged in with the none method: no credentials needed",
    );
  });

  it("any password works: accepts any credentials, no default pair reported", async () => {
    const p = keep(await sshPeer({ methods: ["password"], accept: () => true }));
    const d = await creds("ssh", p.port);
    assert.deepEqual([d.acceptsAnything, d.found, d.stop, d.attempts], [true, [], "accepts-anything", 1]);
  });

  it("dropbear refuses a supplied list; its passwords appear nowhere in the record", async () => {
    const p = keep(await dropbear());
    const secrets = ["Zr8!unique-a", "Zr8!unique-b", "Zr8!unique-c", "Zr8!unique-d", "Zr8!unique-e"];
    const file = join(tmp(), "ours.csv");
    writeFileSync(
      file,
      `user,password,source\nroot,${secrets[0]},our sheet\nconcord-nobody-1,${secrets[1]},our sheet\nconcord-nobody-2,${secrets[2]},our sheet\nconcord-nobody-3,${secrets[3]},our sheet\nconcord-nobody-4,${secrets[4]},our sheet\n`,
    );
    const d = await creds("ssh", p.port, { credentialsFile: file }, { timeoutMs: 3000 });
    assert.deepEqual(headline(d), {
      service: "ssh",
      method: "password",
      attempts: 6,
      tried: 5,
      acceptsAnything: false,
      found: [],
      lockout: false,
      throttled: false,
      stop: "exhausted",
    });
    assert.equal(d.dictionary, `supplied: ${file} (5 pairs)`);
    const json = JSON.stringify(d);
    for (const s of secrets)
      assert.ok(!json.includes(s), `the supplied password ${s} leaked into the record`);
    assert.deepEqual(
      d.log.slice(1).map((l) => l.password),
      Array(5).fill("(from the supplied list)"),
    );
    assert.ok(d.transcripts.some((t) => t.sent.includes("auth password root / ******")));
    assert.deepEqual(
      judge(d).map(([c, s, m]) => [c, s, m.replace(/about \d+ ms/, "about N ms")]),
      [
        [
          "probe.default-credentials",
          "pass",
          `None of the 5 pairs from the supplied list tried logs in to SSH on 127.0.0.1 port ${p.port}.`,
        ],
        [
          "probe.bruteforce-protection",
          "fail",
          `SSH on 127.0.0.1 port ${p.port}: no limit observed in 6 attempts (6 refused, no lockout, refusal or slowdown; each wrong password was refused in about N ms).`,
        ],
      ],
    );
  });
});
