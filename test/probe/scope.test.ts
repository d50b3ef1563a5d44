// Scope first: only named targets, private/loopback only unless --allow-public, one gate that
// re-checks every address, dry runs that connect nowhere, and the politeness limits.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { identify } from "../../src/collect/probe/identify.js";
import { parsePorts } from "../../src/collect/probe/ports.js";
import { runProbe } from "../../src/collect/probe/run.js";
import { parseTarget, rangeOf, Scope, ScopeError } from "../../src/collect/probe/scope.js";
import { nodePeer, type Peer } from "./peers.js";

const noDns = (host: string) =>
  Promise.resolve(
    ({ "camera.lan": "192.168.1.20", "evil.example": "93.184.216.34" } as Record<string, string>)[host] ??
      "0.0.0.0",
  );

describe("probe scope", () => {
  it("classifies addresses", () => {
    const table: [string, string][] = [
      ["127.0.0.1", "loopback"],
      ["127.255.0.9", "loopback"],
      ["10.1.2.3", "private"],
      ["172.16.0.1", "private"],
      ["172.31.255.255", "private"],
      ["172.32.0.1", "public"],
      ["192.168.0.1", "private"],
      ["192.169.0.1", "public"],
      ["8.8.8.8", "public"],
      ["0.0.0.0", "unspecified"],
      ["239.255.255.250", "multicast"],
      ["224.0.0.251", "multicast"],
      ["255.255.255.255", "broadcast"],
      ["ff02::c", "multicast"],
      ["::1", "loopback"],
      ["::ffff:10.0.0.1", "private"],
      ["::ffff:8.8.8.8", "public"],
      ["fd00::1", "unique-local"],
      ["fe80::1%eth0", "link-local"],
      ["2001:db8::1", "public"],
      ["::", "unspecified"],
    ];
    for (const [a, want] of table) assert.equal(rangeOf(a), want, a);
  });

  it("takes only hosts named one by one", () => {
    assert.equal(parseTarget("[::1]"), "::1");
    assert.equal(parseTarget("camera.lan"), "camera.lan");
    for (const bad of ["10.0.0.0/24", "http://camera.lan", "camera.lan:80", "10.0.0.*", "a b"])
      assert.throws(() => parseTarget(bad), ScopeError, bad);
  });

  it("never takes a multicast, broadcast or unspecified address, even with --allow-public", async () => {
    const s = await Scope.create(["239.255.255.250", "255.255.255.255", "ff02::fb", "0.0.0.0"], {
      allowPublic: true,
      dryRun: true,
    });
    assert.deepEqual(s.targets(), []);
    assert.deepEqual(
      s.decisions.map((d) => d.reason.split(":")[0]),
      ["multicast address", "broadcast address", "multicast address", "unspecified address"],
    );
  });

  it("refuses public targets unless --allow-public, and resolves a name once", async () => {
    const s = await Scope.create(["127.0.0.1", "8.8.8.8", "camera.lan", "evil.example", "10.0.0.0/8"], {
      lookup: noDns,
      dryRun: true,
    });
    assert.deepEqual(
      s.decisions.map((d) => [d.target, d.address, d.allowed]),
      [
        ["127.0.0.1", "127.0.0.1", true],
        ["8.8.8.8", "8.8.8.8", false],
        ["camera.lan", "192.168.1.20", true],
        ["evil.example", "93.184.216.34", false],
        ["10.0.0.0/8", undefined, false],
      ],
    );
    assert.match(s.decisions[1]!.reason, /refused without --allow-public/);
    const open = await Scope.create(["8.8.8.8"], { allowPublic: true, dryRun: true });
    assert.deepEqual(open.targets(), [{ host: "8.8.8.8", address: "8.8.8.8" }]);
  });

  describe("the gate", () => {
    let peer: Peer;
    before(async () => (peer = await nodePeer((s) => s.end())));
    after(() => peer.close());

    it("refuses an address that was not named, or is public, even when a probe asks for it", async () => {
      const s = await Scope.create(["127.0.0.1"], { timeoutMs: 500 });
      await assert.rejects(s.connect("127.0.0.2", peer.port, "test"), /not a target named/);
      await assert.rejects(s.connect("8.8.8.8", 53, "test"), ScopeError);
      await assert.rejects(s.connect("::ffff:8.8.8.8", 53, "test"), ScopeError);
      await assert.rejects(identify(s, { host: "8.8.8.8", address: "8.8.8.8" }, 80), ScopeError);
      await assert.rejects(identify(s, { host: "127.0.0.1", address: "127.0.0.3" }, peer.port), ScopeError);
      const pub = await Scope.create(["127.0.0.1"], { allowPublic: true });
      await assert.rejects(pub.connect("1.1.1.1", 443, "test"), /not a target named/);
      assert.equal(s.connections + pub.connections, 0);
      const sock = await s.connect("127.0.0.1", peer.port, "test");
      sock!.destroy();
      assert.equal(s.connections, 1);
    });

    it("dry run prints every connection and makes none", async () => {
      const before = peer.accepts();
      const planned: string[] = [];
      const r = await runProbe(["127.0.0.1"], {
        ports: `${peer.port},${peer.port === 65535 ? 65534 : peer.port + 1}`,
        dryRun: true,
        onPlan: (c) => planned.push(`${c.address}:${c.port}/${c.proto ?? "tcp"} ${c.purpose}`),
      });
      await new Promise((res) => setTimeout(res, 100));
      assert.equal(peer.accepts(), before, "no connection reached the server");
      assert.equal(r.scope.connections, 0);
      // The UDP testers plan their datagrams too, all to the one target.
      const udp = planned.filter((p) => p.includes("/udp "));
      assert.ok(udp.length > 0 && udp.every((p) => p.startsWith("127.0.0.1:")), udp.join("\n"));
      planned.splice(0, planned.length, ...planned.filter((p) => p.includes("/tcp ")));
      assert.equal(planned.length, 2);
      assert.equal(planned[0], `127.0.0.1:${peer.port}/tcp tcp connect scan`);
      assert.deepEqual(r.ports, []);
      assert.equal(r.scan.dryRun, true);
    });
  });

  it("paces connections and bounds how many are open at once", async () => {
    let open = 0;
    let most = 0;
    const peer = await nodePeer((s) => {
      open++;
      most = Math.max(most, open);
      s.on("close", () => open--);
      setTimeout(() => s.destroy(), 150);
    });
    try {
      const s = await Scope.create(["127.0.0.1"], { rate: 20, concurrency: 2, timeoutMs: 1000 });
      const t0 = Date.now();
      await Promise.all(
        Array.from({ length: 6 }, async () => {
          const sock = await s.connect("127.0.0.1", peer.port, "test");
          await new Promise((r) => sock!.once("close", r));
        }),
      );
      assert.ok(
        Date.now() - t0 >= 250,
        `6 connections at 20/s take at least 250 ms, took ${Date.now() - t0}`,
      );
      assert.ok(most <= 2, `at most 2 at once, saw ${most}`);
      assert.equal(peer.accepts(), 6);
    } finally {
      await peer.close();
    }
  });

  it("stops at the time budget", async () => {
    const peer = await nodePeer(() => {});
    try {
      const r = await runProbe(["127.0.0.1"], {
        ports: `${peer.port}`,
        timeoutMs: 300,
        bannerWaitMs: 300,
        budgetMs: 500,
      });
      assert.match(r.scan.stoppedBy ?? "", /time budget of 500 ms spent/);
      assert.equal(r.services[0]?.service ?? "unknown", "unknown");
    } finally {
      await peer.close();
    }
  });

  it("parses port lists", () => {
    assert.deepEqual(parsePorts("22,1-3,22,8080"), [1, 2, 3, 22, 8080]);
    assert.equal(parsePorts("1-1024").length, 1024);
    for (const bad of ["0", "70000", "5-1", "http", ""])
      assert.throws(() => parsePorts(bad), ScopeError, bad);
  });
});
