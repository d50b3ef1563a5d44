// The SSH algorithm audit against real peers on 127.0.0.1 (OpenSSH sshd with a weak and a
// hardened configuration, Dropbear with an RSA and an Ed25519 host key) and against scripted and
// misbehaving Node peers, with the exact algorithms, verdicts and check findings.
import assert from "node:assert/strict";
import type { Socket } from "node:net";
import { after, describe, it } from "node:test";
import { probeSshWeakAlgorithms } from "../../../src/checks/probe-ssh-weak-algorithms.js";
import { runProbe } from "../../../src/collect/probe/run.js";
import { Scope } from "../../../src/collect/probe/scope.js";
import { auditSsh, CLIENT_ID } from "../../../src/collect/probe/ssh/audit.js";
import { readServerStart } from "../../../src/collect/probe/ssh/kexinit.js";
import { SERVICE_TESTERS, TARGET_TESTERS } from "../../../src/collect/probe/testers.js";
import type { SshAuditData } from "../../../src/evidence/probe-ssh.js";
import { PROBE } from "../../../src/evidence/probe.js";
import { EvidenceIndex, makeEvidence } from "../../../src/evidence/types.js";
import { nodePeer, type Peer } from "../peers.js";
import { dropbear, kexinit, lists, packet, sshd, SSHD_HARDENED, SSHD_WEAK } from "./peers.js";

const fast = { timeoutMs: 1000, rate: 1000 };
const peers: Peer[] = [];
after(async () => {
  for (const p of peers) await p.close();
});
const keep = <P extends Peer>(p: P) => (peers.push(p), p);

async function audit(port: number, timeoutMs = 1000): Promise<SshAuditData> {
  const scope = await Scope.create(["127.0.0.1"], { ...fast, timeoutMs });
  const r = await auditSsh(scope, { host: "127.0.0.1", address: "127.0.0.1", port });
  assert.ok(r, "not a dry run");
  return r;
}

const names = (notes: { category: string; algorithm: string }[]) =>
  notes.map((n) => `${n.category}: ${n.algorithm}`);

function judge(r: SshAuditData): string[] {
  const e = makeEvidence(PROBE.ssh, "device", r, {
    collector: "test",
    version: "0",
    at: "2026-11-25T00:00:00Z",
  });
  return probeSshWeakAlgorithms
    .evaluate(new EvidenceIndex([e]), { asOf: "2026-11-25" })
    .map((f) => `${f.status}: ${f.message}`);
}

/** A Node peer that writes `bytes` when a client connects (and then stays, closes or resets). */
const scripted = (bytes: Buffer, then: (s: Socket) => void = (s) => s.end()) =>
  nodePeer((s) => {
    s.write(bytes);
    then(s);
  });

describe("SSH audit against OpenSSH and Dropbear", () => {
  it("sshd with legacy algorithms switched on: each one flagged", async () => {
    const p = keep(await sshd(["rsa", "ed25519"], SSHD_WEAK));
    const r = await audit(p.port);
    assert.equal(r.outcome, "complete");
    assert.match(r.versionLine!, /^SSH-2\.0-OpenSSH_\d/);
    assert.equal(r.protocol, "2.0");
    assert.equal(r.software!.product, "OpenSSH");
    assert.equal(r.strictKex, true);
    assert.ok(r.hostKey!.includes("ssh-ed25519") && r.hostKey!.includes("rsa-sha2-512"));
    assert.deepEqual(names(r.weak), [
      "kex: diffie-hellman-group1-sha1",
      "kex: diffie-hellman-group-exchange-sha1",
      "host key: ssh-rsa",
      "cipher: aes128-cbc",
      "cipher: 3des-cbc",
      "mac: umac-64-etm@openssh.com",
      "mac: umac-64@openssh.com",
      "mac: hmac-md5",
      "mac: hmac-sha1-96",
    ]);
    assert.deepEqual(names(r.caution), [
      "kex: ecdh-sha2-nistp256",
      "kex: ecdh-sha2-nistp384",
      "kex: ecdh-sha2-nistp521",
      "kex: diffie-hellman-group14-sha1",
      "mac: hmac-sha1-etm@openssh.com",
      "mac: hmac-sha1",
    ]);
    assert.deepEqual(r.transcripts[0]!.sent, "SSH-2.0-concord_probe\\r\\n");
    assert.match(
      r.transcripts[0]!.received,
      /^SSH-2\.0-OpenSSH_\S+( \S+)?\\r\\n \[then \d+ bytes of binary packets\]$/,
    );
    assert.deepEqual(judge(r), [
      `fail: SSH on 127.0.0.1 port ${p.port} (OpenSSH ${r.software!.version}) offers weak algorithms: key exchange diffie-hellman-group1-sha1, diffie-hellman-group-exchange-sha1; host key ssh-rsa; ciphers aes128-cbc, 3des-cbc; MACs umac-64-etm@openssh.com, umac-64@openssh.com, hmac-md5, hmac-sha1-96.`,
    ]);
  });

  it("sshd hardened: nothing weak", async () => {
    const p = keep(await sshd(["ed25519"], SSHD_HARDENED));
    const r = await audit(p.port);
    assert.deepEqual(r.hostKey, ["ssh-ed25519"]);
    assert.deepEqual(r.ciphers, [
      "chacha20-poly1305@openssh.com",
      "aes256-gcm@openssh.com",
      "aes128-gcm@openssh.com",
      "aes256-ctr",
    ]);
    assert.deepEqual(r.macs, [
      "hmac-sha2-512-etm@openssh.com",
      "hmac-sha2-256-etm@openssh.com",
      "umac-128-etm@openssh.com",
    ]);
    assert.deepEqual(r.weak, []);
    assert.deepEqual(r.caution, []);
    assert.deepEqual(judge(r), [
      `pass: SSH on 127.0.0.1 port ${p.port} (OpenSSH ${r.software!.version}) offers no weak algorithms.`,
    ]);
  });

  it("dropbear with an RSA host key: ssh-rsa signatures flagged", async () => {
    const p = keep(await dropbear("rsa"));
    const r = await audit(p.port);
    assert.match(r.versionLine!, /^SSH-2\.0-dropbear_\d/);
    assert.equal(r.software!.product, "Dropbear");
    assert.deepEqual(r.hostKey, ["rsa-sha2-256", "ssh-rsa"]);
    assert.deepEqual(names(r.weak), ["host key: ssh-rsa"]);
    assert.deepEqual(judge(r), [
      `fail: SSH on 127.0.0.1 port ${p.port} (Dropbear ${r.software!.version}) offers weak algorithms: host key ssh-rsa.`,
    ]);
  });

  it("dropbear with only an Ed25519 host key", async () => {
    const p = keep(await dropbear("ed25519"));
    const r = await audit(p.port);
    assert.equal(r.hostKey![0], "ssh-ed25519");
    // Dropbear 2022.83 still lists rsa-sha2-256 and ssh-rsa without an RSA key (a client choosing
    // them makes it abort); the audit reports what the server offers.
    const rsa = r.hostKey!.includes("ssh-rsa");
    assert.deepEqual(names(r.weak), rsa ? ["host key: ssh-rsa"] : []);
    assert.ok(r.caution.some((c) => c.algorithm === "hmac-sha1"));
    const where = `SSH on 127.0.0.1 port ${p.port} (Dropbear ${r.software!.version})`;
    const retire = r.caution
      .map((c) => c.algorithm)
      .join(", ")
      .replace(/, ([^,]*)$/, " and $1");
    assert.deepEqual(judge(r), [
      rsa
        ? `fail: ${where} offers weak algorithms: host key ssh-rsa.`
        : `pass: ${where} offers no weak algorithms. Due for retirement: ${retire}.`,
    ]);
  });

  it("through runProbe: identified as ssh, audited by the ssh-algorithms tester", async () => {
    const p = keep(await dropbear("rsa"));
    const skip = [...SERVICE_TESTERS, ...TARGET_TESTERS]
      .map((t) => t.id)
      .filter((id) => id !== "ssh-algorithms");
    const r = await runProbe(["127.0.0.1"], { ...fast, ports: String(p.port), skip, bannerWaitMs: 300 });
    assert.deepEqual(
      r.services.map((s) => s.service),
      ["ssh"],
    );
    const ssh = r.evidence.filter((e) => e.kind === PROBE.ssh);
    assert.equal(ssh.length, 1);
    assert.equal(ssh[0]!.source.version, "0.1.0+ssh-algorithms@1.0.0");
    assert.deepEqual(names((ssh[0]!.data as SshAuditData).weak), ["host key: ssh-rsa"]);
  });
});

const ID = Buffer.from("SSH-2.0-Scripted_1.0\r\n");
const WEAK_LISTS = lists(
  ["diffie-hellman-group1-sha1", "ext-info-s"],
  ["ssh-dss"],
  ["arcfour", "des-cbc", "chacha20-poly1305@openssh.com", "none"],
  ["hmac-md5-96", "none"],
);

describe("SSH audit against scripted and misbehaving peers", () => {
  it("an old stack: SSH-1.99, DSA, RC4, DES, no cipher, Terrapin without strict kex", async () => {
    const p = keep(
      await scripted(
        Buffer.concat([Buffer.from("SSH-1.99-RomSShell_4.31\r\n"), packet(kexinit(WEAK_LISTS))]),
        () => {},
      ),
    );
    const r = await audit(p.port);
    assert.deepEqual(r.software, { product: "RomSShell", version: "4.31" });
    assert.equal(r.strictKex, false);
    assert.deepEqual(names(r.weak), [
      "protocol: SSH-1.99",
      "kex: diffie-hellman-group1-sha1",
      "host key: ssh-dss",
      "cipher: arcfour",
      "cipher: des-cbc",
      "cipher: none",
      "mac: hmac-md5-96",
      "mac: none",
      "kex: chacha20-poly1305@openssh.com",
    ]);
    assert.deepEqual(judge(r), [
      `fail: SSH on 127.0.0.1 port ${p.port} (RomSShell 4.31) offers weak algorithms: protocol SSH-1.99; key exchange diffie-hellman-group1-sha1, chacha20-poly1305@openssh.com without strict key exchange (Terrapin); host key ssh-dss; ciphers arcfour, des-cbc, none; MACs hmac-md5-96, none.`,
    ]);
  });

  it("text lines before the identification line, and an IGNORE packet before KEXINIT", async () => {
    const ignore = packet(Buffer.from([2, 0, 0, 0, 3, 0x61, 0x62, 0x63]));
    const ok = lists(
      ["curve25519-sha256", "kex-strict-s-v00@openssh.com"],
      ["ssh-ed25519"],
      ["aes128-ctr"],
      ["hmac-sha2-256"],
    );
    const p = keep(
      await scripted(
        Buffer.concat([Buffer.from("Welcome\r\nto the camera\r\n"), ID, ignore, packet(kexinit(ok))]),
        () => {},
      ),
    );
    const r = await audit(p.port);
    assert.equal(r.outcome, "complete");
    assert.equal(r.versionLine, "SSH-2.0-Scripted_1.0");
    assert.deepEqual(r.kex, ["curve25519-sha256", "kex-strict-s-v00@openssh.com"]);
    assert.equal(r.strictKex, true);
    assert.deepEqual(r.weak, []);
  });

  it("SSH-1 only: the protocol alone is the finding", async () => {
    const p = keep(await scripted(Buffer.from("SSH-1.5-OldBox\n"), () => {}));
    const r = await audit(p.port);
    assert.equal(r.outcome, "complete");
    assert.equal(r.kex, undefined);
    assert.deepEqual(judge(r), [
      `fail: SSH on 127.0.0.1 port ${p.port} (OldBox) offers weak algorithms: protocol SSH-1.5.`,
    ]);
  });

  const cases: [string, () => Promise<Peer>, string | RegExp, number?][] = [
    [
      "garbage",
      () => scripted(Buffer.from("\x00\x01\x02garbage", "latin1")),
      "could not read the key exchange: closed after 10 bytes",
    ],
    [
      "reset after the identification line",
      () => scripted(ID, (s) => setTimeout(() => s.resetAndDestroy(), 20)),
      "could not read the key exchange: connection reset after 22 bytes",
    ],
    [
      "endless text lines, never an identification line",
      () =>
        nodePeer((s) => {
          const t = setInterval(
            () => (s.destroyed ? clearInterval(t) : s.write("hello there\r\n".repeat(20))),
            5,
          );
        }),
      /^could not read the key exchange: no SSH identification line in the first 65 lines \(845 bytes\)$/,
    ],
    [
      "one endless line",
      () =>
        nodePeer((s) => {
          const t = setInterval(() => (s.destroyed ? clearInterval(t) : s.write("x".repeat(1000))), 5);
        }),
      "could not read the key exchange: no SSH identification line in the first 8192 bytes",
    ],
    [
      "an identification line too long",
      () => scripted(Buffer.from(`SSH-2.0-${"A".repeat(300)}`), () => {}),
      "could not read the key exchange: an identification line longer than 255 bytes",
    ],
    [
      "a 2 GB packet length",
      () => scripted(Buffer.concat([ID, Buffer.from([0x7f, 0xff, 0xff, 0xff, 4])]), () => {}),
      "could not read the key exchange: a packet length of 2147483647 bytes",
    ],
    [
      "a name-list longer than its packet",
      () => {
        const k = kexinit(lists(["curve25519-sha256"], ["ssh-ed25519"], ["aes128-ctr"], ["hmac-sha2-256"]));
        k.writeUInt32BE(5000, 17);
        return scripted(Buffer.concat([ID, packet(k)]), () => {});
      },
      "could not read the key exchange: KEXINIT name-list 1 claims 5000 bytes, beyond the packet",
    ],
    [
      "a disconnect instead of KEXINIT",
      () => {
        const msg = Buffer.from("too many connections");
        const p = Buffer.concat([
          Buffer.from([1, 0, 0, 0, 2, 0, 0, 0, msg.length]),
          msg,
          Buffer.from([0, 0, 0, 0]),
        ]);
        return scripted(Buffer.concat([ID, packet(p)]), () => {});
      },
      "could not read the key exchange: the server disconnected: too many connections",
    ],
    [
      "a peer that hangs",
      () => nodePeer(() => {}),
      "could not read the key exchange: no answer (timeout)",
      300,
    ],
  ];
  for (const [name, make, want, timeoutMs] of cases)
    it(`${name}: a clear reason, no crash`, async () => {
      const p = keep(await make());
      const r = await audit(p.port, timeoutMs);
      if (typeof want === "string") assert.equal(r.outcome, want);
      else assert.match(r.outcome, want);
      assert.deepEqual(r.weak, []);
      assert.deepEqual(judge(r), [
        `info: SSH on 127.0.0.1 port ${p.port}${r.software ? ` (${r.software.product})` : ""}: ${r.outcome}.`,
      ]);
    });

  it("the exchange starts with our identification line", async () => {
    let got = "";
    const p = keep(
      await nodePeer((s) => {
        s.on("data", (d: Buffer) => (got += d.toString("latin1")));
        s.write(Buffer.concat([ID, packet(kexinit(WEAK_LISTS))]));
      }),
    );
    await audit(p.port);
    for (let i = 0; i < 50 && got.length < CLIENT_ID.length; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(got, CLIENT_ID);
  });

  it("refused and dry-run connections", async () => {
    const closed = keep(await nodePeer());
    await closed.close();
    const r = await audit(closed.port);
    assert.equal(r.outcome, "could not read the key exchange: connect failed (refused)");
    const scope = await Scope.create(["127.0.0.1"], { dryRun: true });
    assert.equal(await auditSsh(scope, { host: "127.0.0.1", address: "127.0.0.1", port: 22 }), undefined);
    assert.equal(scope.planned.length, 1);
  });
});

describe("readServerStart", () => {
  it("waits for more until the KEXINIT is whole", () => {
    const all = Buffer.concat([ID, packet(kexinit(WEAK_LISTS))]);
    for (let cut = 0; cut < all.length; cut++)
      assert.equal(readServerStart(all.subarray(0, cut)).state, "more", `cut at ${cut}`);
    assert.equal(readServerStart(all).state, "done");
  });

  it("refuses names that are not printable ASCII", () => {
    const k = kexinit(lists(["curve25519-sha256"], ["ssh-ed25519"], ["aes128-ctr"], ["hmac-sha2-256"]));
    k[21] = 0x00;
    const r = readServerStart(Buffer.concat([ID, packet(k)]));
    assert.deepEqual(r, {
      state: "error",
      reason: "KEXINIT name-list 1 holds bytes that are not algorithm names",
      versionLine: "SSH-2.0-Scripted_1.0",
    });
  });
});
