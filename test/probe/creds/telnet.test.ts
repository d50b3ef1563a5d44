// Telnet credential tests: busybox telnetd running a camera-like login script (a Mirai pair
// works; a hardened twin; a twin that locks after four failures), and Node peers that accept
// everything, accept any password for root, hang, slow down, flood and reset.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { shippedDictionary } from "../../../src/collect/probe/creds/dictionary.js";
import { busyboxWithTelnetd, nodePeer, type Peer } from "../peers.js";
import { creds, headline, judge, logLines } from "./helpers.js";
import { telnetLogin, telnetNodePeer } from "./peers.js";

const peers: Peer[] = [];
after(async () => {
  for (const p of peers) await p.close();
});
const keep = <P extends Peer>(p: P) => (peers.push(p), p);

const MIRAI = "Mirai scanner.c credential table (source leaked October 2016)";
const INCORRECT = "\r\nLogin incorrect\r\nrouter login: ";

/** The dictionary pairs tried in order when `found` users are skipped after their first success. */
function expectedOrder(n: number, found: string[] = []): string[] {
  const out: string[] = [];
  const done = new Set<string>();
  for (const p of shippedDictionary().pairs) {
    if (done.has(p.user)) continue;
    out.push(`${p.user}/${p.password}`);
    if (found.includes(`${p.user}/${p.password}`)) done.add(p.user);
    if (out.length === n) break;
  }
  return out;
}

// Like test/probe/services.test.ts: skipped on a machine without a busybox that has telnetd, but
// never in CI (which provides one as CONCORD_BUSYBOX), where a missing one fails loudly.
const found = busyboxWithTelnetd();
const needsBusybox = {
  skip:
    found || process.env.CI
      ? false
      : "no busybox with telnetd (CI sets CONCORD_BUSYBOX; see test/probe/peers.ts)",
};
function busybox(): string {
  assert.ok(found, "no busybox with telnetd: set CONCORD_BUSYBOX (.ci/run unpacks busybox-static)");
  return found;
}

describe("credentials on telnet: busybox telnetd", () => {
  it(
    "insecure: root/xc3511 logs in, found after the canary; the cap ends the test",
    needsBusybox,
    async () => {
      const p = keep(await telnetLogin(busybox(), { user: "root", password: "xc3511" }));
      const d = await creds("telnet", p.port);
      assert.deepEqual(headline(d), {
        service: "telnet",
        method: "login prompt",
        attempts: 20,
        tried: 18,
        acceptsAnything: false,
        found: ["root/xc3511"],
        lockout: false,
        throttled: false,
        stop: "cap",
      });
      const order = expectedOrder(18, ["root/xc3511"]);
      assert.deepEqual(logLines(d), [
        "canary (random)/(random) rejected",
        "dictionary root/xc3511 accepted",
        "verify root/(random) rejected",
        ...order.slice(1).map((x) => `dictionary ${x} rejected`),
      ]);
      assert.equal(order[1], "admin/admin");
      assert.match(d.log[0]!.user, /^concord-[0-9a-f]{8}$/);
      assert.equal(d.found[0]!.source.startsWith(MIRAI), true);
      // The login transcript of the success is kept and shows the shell prompt.
      assert.ok(
        d.transcripts.some(
          (t) => t.step === "password" && t.sent === "xc3511\\r\\n" && t.received.includes("~ # "),
        ),
      );
      assert.deepEqual(judge(d), [
        [
          "probe.default-credentials",
          "fail",
          `Telnet on 127.0.0.1 port ${p.port} logs in with default credentials: root / "xc3511" (${MIRAI}).`,
        ],
        [
          "probe.bruteforce-protection",
          "fail",
          `Telnet on 127.0.0.1 port ${p.port}: no limit observed in 20 attempts (19 refused, no lockout, refusal or slowdown; each wrong password was refused in about ${d.failDelayMs} ms).`,
        ],
      ]);
    },
  );

  it("hardened twin: no dictionary pair logs in", needsBusybox, async () => {
    const p = keep(await telnetLogin(busybox(), { user: "root", password: "Tq7#v9-unique-per-unit" }));
    const d = await creds("telnet", p.port, { maxLogins: 8 });
    assert.deepEqual(headline(d), {
      service: "telnet",
      method: "login prompt",
      attempts: 8,
      tried: 7,
      acceptsAnything: false,
      found: [],
      lockout: false,
      throttled: false,
      stop: "cap",
    });
    assert.deepEqual(
      logLines(d).slice(1),
      expectedOrder(7).map((x) => `dictionary ${x} rejected`),
    );
    assert.deepEqual(
      judge(d).map(([c, s, m]) => [c, s, m.replace(/about \d+ ms/, "about N ms")]),
      [
        [
          "probe.default-credentials",
          "pass",
          `None of the 7 default credential pairs tried logs in to Telnet on 127.0.0.1 port ${p.port}.`,
        ],
        [
          "probe.bruteforce-protection",
          "fail",
          `Telnet on 127.0.0.1 port ${p.port}: no limit observed in 8 attempts (8 refused, no lockout, refusal or slowdown; each wrong password was refused in about N ms).`,
        ],
      ],
    );
    // Only the first refusals keep their transcripts.
    assert.ok(d.transcriptsOmitted > 0);
  });

  it(
    "a twin that locks after 4 failures: the lockout stops the test and is the evidence of protection",
    needsBusybox,
    async () => {
      const p = keep(await telnetLogin(busybox(), { user: "root", password: "Tq7#v9-unique-per-unit" }, 4));
      const d = await creds("telnet", p.port);
      assert.deepEqual(headline(d), {
        service: "telnet",
        method: "login prompt",
        attempts: 5,
        tried: 4,
        acceptsAnything: false,
        found: [],
        lockout: true,
        throttled: false,
        stop: "lockout",
      });
      assert.equal(
        d.limit,
        'it answered "Account locked: too many failed login attempts" after 4 failed attempts',
      );
      assert.deepEqual(judge(d), [
        [
          "probe.default-credentials",
          "pass",
          `None of the 4 default credential pairs tried logs in to Telnet on 127.0.0.1 port ${p.port}; the test stopped early: the peer locked logins at attempt 5: "Account locked: too many failed login attempts".`,
        ],
        [
          "probe.bruteforce-protection",
          "pass",
          `Telnet on 127.0.0.1 port ${p.port} limits password guessing: it answered "Account locked: too many failed login attempts" after 4 failed attempts.`,
        ],
      ]);
    },
  );
});

describe("credentials on telnet: misbehaving peers", () => {
  it("accepts everything: reported as such, never as a default password", async () => {
    const p = keep(await telnetNodePeer(() => "\r\nWelcome\r\n# "));
    const d = await creds("telnet", p.port);
    assert.deepEqual(headline(d), {
      service: "telnet",
      method: "login prompt",
      attempts: 1,
      tried: 0,
      acceptsAnything: true,
      found: [],
      lockout: false,
      throttled: false,
      stop: "accepts-anything",
    });
    assert.deepEqual(judge(d), [
      [
        "probe.default-credentials",
        "fail",
        `Telnet on 127.0.0.1 port ${p.port} accepts any credentials (a random user name and password logged in: prompt "#"): every password works, so no default password was judged.`,
      ],
    ]);
  });

  it("accepts any password for root: root/xc3511 is not reported as a default password", async () => {
    const p = keep(await telnetNodePeer((user) => (user === "root" ? "\r\n# " : INCORRECT)));
    const d = await creds("telnet", p.port);
    assert.deepEqual(logLines(d), [
      "canary (random)/(random) rejected",
      "dictionary root/xc3511 accepted",
      "verify root/(random) accepted",
    ]);
    assert.deepEqual([d.acceptsAnything, d.found, d.stop], [true, [], "accepts-anything"]);
    assert.equal(d.reason, 'user root logged in with a random password too: prompt "#"');
  });

  it("hangs after the password: nothing judged, said as such", async () => {
    const p = keep(await telnetNodePeer(() => undefined));
    const d = await creds("telnet", p.port, { loginWaitMs: 300 });
    assert.deepEqual([d.stop, d.attempts, d.tried, d.lockout, d.throttled], ["error", 1, 0, false, false]);
    assert.deepEqual(judge(d), [
      [
        "probe.default-credentials",
        "info",
        `Could not try default credentials on Telnet on 127.0.0.1 port ${p.port}: attempt 1 could not be judged: no answer after the password.`,
      ],
    ]);
  });

  it("stops answering after 4 refusals: throttling", async () => {
    const p = keep(await telnetNodePeer((_u, _p, n) => (n <= 4 ? INCORRECT : undefined)));
    const d = await creds("telnet", p.port, { loginWaitMs: 300 });
    assert.deepEqual([d.stop, d.attempts, d.throttled, d.lockout], ["throttled", 5, true, false]);
    assert.equal(
      d.limit,
      "it stopped answering within 300 ms after 4 attempts (no answer after the password)",
    );
    assert.equal(judge(d)[1]![1], "pass");
  });

  it("slows its refusals markedly after 4: throttling, seen on two slow refusals in a row", async () => {
    const p = keep(
      await telnetNodePeer(
        () => INCORRECT,
        (n) => (n > 4 ? 2500 : 0),
      ),
    );
    const d = await creds("telnet", p.port, { loginWaitMs: 4000 });
    assert.deepEqual([d.stop, d.attempts, d.throttled], ["throttled", 6, true]);
    assert.match(d.limit!, /^its refusals slowed from about \d+ ms to 25\d\d ms after 4 attempts$/);
    assert.deepEqual(
      d.log.map((l) => l.verdict),
      ["rejected", "rejected", "rejected", "rejected", "rejected", "rejected"],
    );
  });

  it("floods after the password: bounded, and nothing judged", async () => {
    const p = keep(await telnetNodePeer(() => "A".repeat(40000)));
    const d = await creds("telnet", p.port);
    assert.deepEqual(
      [d.stop, d.reason],
      ["error", "attempt 1 could not be judged: flooded after the password"],
    );
    assert.ok(d.transcripts.every((t) => t.receivedBytes <= 16384 && t.received.length <= 515));
  });

  it("resets every connection: nothing judged; resets after 5 answered logins: a lockout", async () => {
    const always = keep(await nodePeer((s) => s.resetAndDestroy()));
    const a = await creds("telnet", always.port);
    assert.equal(a.stop, "error");
    assert.match(
      a.reason,
      /^attempt 1 could not be judged: (connect failed \(reset\)|connection (reset|closed) before a login prompt)$/,
    );
    const later = keep(await telnetNodePeer(() => INCORRECT, undefined, 5));
    const d = await creds("telnet", later.port);
    assert.deepEqual([d.stop, d.attempts, d.lockout, d.throttled], ["lockout", 6, true, false]);
    assert.match(
      d.limit!,
      /^it refused the connection after 5 attempts \((connect failed \(reset\)|connection (reset|closed) before a login prompt)\)$/,
    );
    assert.match(judge(d)[1]![2], /limits password guessing: it refused the connection after 5 attempts/);
  });
});
