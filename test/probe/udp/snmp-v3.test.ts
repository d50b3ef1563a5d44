// SNMPv3 default users: the USM arithmetic against the test vectors of RFC 3414 appendix A.3, the
// sourced user list, the message reader under garbage, then the probe against the real net-snmp
// agent (a default user without authentication and one with its documented MD5 password; a
// hardened twin with one SHA user and a strong password) and against a Node agent for a clock out
// of the time window, an agent that lets any user in, and a Response without the HMAC. Each case
// ends in the exact findings of probe.snmp-v3-default-user.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { probeSnmpV3DefaultUser } from "../../../src/checks/probe-snmp-v3-default-user.js";
import { Scope } from "../../../src/collect/probe/scope.js";
import { BerError } from "../../../src/collect/probe/udp/ber.js";
import { probeSnmp } from "../../../src/collect/probe/udp/snmp.js";
import {
  defaultV3Users,
  parseV3Users,
  probeV3Users,
  type V3User,
} from "../../../src/collect/probe/udp/snmp-users.js";
import {
  localizeKey,
  passwordToKey,
  readV3,
  userKey,
  v3GetRequest,
  verifyAuth,
} from "../../../src/collect/probe/udp/usm.js";
import type { SnmpData } from "../../../src/evidence/probe-udp.js";
import { EvidenceIndex, makeEvidence } from "../../../src/evidence/types.js";
import type { Peer } from "../peers.js";
import { fuzz } from "./fuzz.js";
import { snmpd, udpResponder, v3Agent, type UdpPeer } from "./peers.js";

const T = { host: "127.0.0.1", address: "127.0.0.1" };
const scope = () => Scope.create(["127.0.0.1"], { timeoutMs: 400, rate: 500 });
const judge = (d: SnmpData) =>
  probeSnmpV3DefaultUser
    .evaluate(
      new EvidenceIndex([
        makeEvidence("probe.snmp", "device", d, { collector: "t", version: "0", at: "2026-01-01T00:00:00Z" }),
      ]),
      { asOf: "2026-01-01" },
    )
    .map((f) => [f.status, f.message]);
/** "user auth verdict report/note" per row. */
const rows = (d: SnmpData) =>
  d.v3Users!.attempts.map((a) =>
    [a.user, a.auth, a.verdict, a.report ?? a.errorStatus ?? a.note ?? a.sysDescr ?? ""].join(" | "),
  );

const EXTREME = "ExtremeWare XOS 10.1 Concepts Guide p.43";
const RFC = "RFC 3414 Appendix A.1 and RFC 3415 Appendix A.1";

describe("USM keys and authentication parameters (RFC 3414)", () => {
  const engine = Buffer.from("000000000000000000000002", "hex");
  it("turns a password into a key and localizes it: the vectors of appendix A.3", () => {
    assert.equal(passwordToKey("maplesyrup", "MD5").toString("hex"), "9faf3283884e92834ebc9847d8edd963");
    assert.equal(
      localizeKey(passwordToKey("maplesyrup", "MD5"), engine, "MD5").toString("hex"),
      "526f5eed9fcce26f8964c2930787d82b",
    );
    assert.equal(
      passwordToKey("maplesyrup", "SHA").toString("hex"),
      "9fb5cc0381497b3793528939ff788d5d79145211",
    );
    assert.equal(
      userKey("maplesyrup", "SHA", engine).toString("hex"),
      "6695febc9288e36282235fc7151f128497b38f3f",
    );
    assert.throws(() => passwordToKey("", "MD5"), /cannot be empty/);
  });

  it("signs a request so that only the right key verifies it", () => {
    const key = userKey("initialmd5", "MD5", engine);
    const msg = v3GetRequest({
      msgId: 7,
      requestId: 8,
      engineId: engine,
      engineBoots: 1,
      engineTime: 2,
      user: "initialmd5",
      auth: { protocol: "MD5", key },
      oids: ["1.3.6.1.2.1.1.1.0"],
    });
    const m = readV3(msg);
    assert.deepEqual(
      [m.msgId, m.flags, m.userName, m.engineBoots, m.engineTime, m.authParams.length, m.pdu?.requestId],
      [7, 0x05, "initialmd5", 1, 2, 12, 8],
    );
    assert.equal(verifyAuth(msg, m, key, "MD5"), true);
    assert.equal(verifyAuth(msg, m, userKey("initialmd6", "MD5", engine), "MD5"), false);
    const tampered = Buffer.from(msg);
    tampered[tampered.length - 3]! ^= 1;
    assert.equal(verifyAuth(tampered, readV3(tampered), key, "MD5"), false);
    const plain = v3GetRequest({
      msgId: 1,
      requestId: 1,
      engineId: engine,
      engineBoots: 0,
      engineTime: 0,
      user: "initial",
      oids: [],
    });
    const p = readV3(plain);
    assert.deepEqual([p.flags, p.authParams.length, verifyAuth(plain, p, key, "MD5")], [0x04, 0, false]);
  });

  it("reads garbage as BerError only", () => {
    const key = userKey("adminsha", "SHA", engine);
    fuzz(readV3, BerError, [
      v3GetRequest({
        msgId: 1,
        requestId: 2,
        engineId: engine,
        engineBoots: 3,
        engineTime: 4,
        user: "adminsha",
        auth: { protocol: "SHA", key },
        oids: ["1.3.6.1.2.1.1.1.0"],
      }),
    ]);
  });
});

describe("the default SNMPv3 users list", () => {
  it("ships sourced rows, a user without authentication before its passwords", () => {
    const list = defaultV3Users();
    assert.deepEqual(
      list.map((u) => `${u.user}/${u.auth}`),
      [
        "initial/none",
        "initial/MD5",
        "initialmd5/MD5",
        "initialsha/SHA",
        "initialmd5Priv/MD5",
        "initialshaPriv/SHA",
        "admin/MD5",
        "admin/SHA",
        "adminmd5/MD5",
        "adminsha/SHA",
        "v1v2only/none",
        "apc snmp profile1/none",
        "apc snmp profile1/MD5",
        "apc snmp profile1/SHA",
        "def_mdsviewer/none",
        "auth_mdsadmin/MD5",
        "auth_mdsviewer/MD5",
      ],
    );
    for (const u of list) assert.match(u.source, /https?:\/\/\S+/, `${u.user} names where it is documented`);
  });

  it("refuses a broken list with the line and what is wrong", () => {
    const head = "user,auth,password,source\n";
    const cases: [string, RegExp][] = [
      ["user,password,source\n", /the header must be user,auth,password,source/],
      [`${head}admin,SHA1,pw,src\n`, /x\.csv:2: auth must be none, MD5 or SHA, not "SHA1"/],
      [`${head}admin,MD5,,src\n`, /x\.csv:2: MD5 needs the documented password/],
      [`${head}admin,none,pw,src\n`, /x\.csv:2: a user without authentication has no password/],
      [`${head}admin,MD5,pw\n`, /x\.csv:2: expected user,auth,password,source/],
      [`${head}"admin,MD5,pw,src\n`, /x\.csv:2: expected/],
    ];
    for (const [text, want] of cases) assert.throws(() => parseV3Users(text, "x.csv"), want);
    assert.deepEqual(parseV3Users(`${head}"a ""b"", c",MD5,"p,w","s"\n`, "x.csv"), [
      { user: 'a "b", c', auth: "MD5", password: "p,w", source: "s" },
    ]);
  });
});

describe("SNMPv3 default users on real and scripted agents", () => {
  let open: Peer;
  let hardened: Peer;
  const fakes: UdpPeer[] = [];
  const strong = `Zq8-${Math.random().toString(36).slice(2)}-unique`;
  before(async () => {
    [open, hardened] = await Promise.all([
      snmpd(`c-${Math.random().toString(36).slice(2)}`, "Concord test camera", [
        "createUser initial",
        "rouser initial noauth",
        "createUser initialmd5 MD5 initialmd5",
        "rouser initialmd5",
      ]),
      snmpd(`c-${Math.random().toString(36).slice(2)}`, "Hardened camera", [
        `createUser admin SHA ${strong}`,
        "rouser admin",
      ]),
    ]);
  });
  after(async () => {
    await Promise.all([open?.close(), hardened?.close(), ...fakes.map((f) => f.close())]);
  });

  it("snmpd with the users initial (no authentication) and initialmd5/initialmd5: both found, fail", async () => {
    const d = (await probeSnmp(await scope(), T, open.port))!;
    assert.equal(d.v3Users?.acceptsAnything, false);
    assert.equal(d.v3Users?.canary, "usmStatsUnknownUserNames");
    assert.deepEqual(rows(d), [
      "initial | none | accepted | Concord test camera",
      "initial | MD5 | skipped | the user already answered",
      "initialmd5 | MD5 | accepted | Concord test camera",
      "initialsha | SHA | refused | usmStatsUnknownUserNames",
      "initialmd5Priv | MD5 | refused | usmStatsUnknownUserNames",
      "initialshaPriv | SHA | refused | usmStatsUnknownUserNames",
      "admin | MD5 | refused | usmStatsUnknownUserNames",
      "admin | SHA | skipped | the agent does not know this user",
      "adminmd5 | MD5 | refused | usmStatsUnknownUserNames",
      "adminsha | SHA | refused | usmStatsUnknownUserNames",
      "v1v2only | none | refused | usmStatsUnknownUserNames",
      "apc snmp profile1 | none | refused | usmStatsUnknownUserNames",
      "apc snmp profile1 | MD5 | skipped | the agent does not know this user",
      "apc snmp profile1 | SHA | skipped | the agent does not know this user",
      "def_mdsviewer | none | refused | usmStatsUnknownUserNames",
      "auth_mdsadmin | MD5 | refused | usmStatsUnknownUserNames",
      "auth_mdsviewer | MD5 | refused | usmStatsUnknownUserNames",
    ]);
    assert.equal(
      d.v3Users?.sent,
      14,
      "the random user and one request per user name the agent knew or refused",
    );
    const signed = d.transcripts.find(
      (t) => t.step === 'snmp v3 get sysDescr.0 as "initialmd5" (authNoPriv MD5)',
    );
    assert.match(signed!.received, /Concord test camera/);
    assert.deepEqual(judge(d), [
      [
        "fail",
        `The SNMPv3 agent on 127.0.0.1 port ${open.port}/udp answers the default users "initial" without authentication (${RFC}) and "initialmd5" with the MD5 password "initialmd5" (${EXTREME}) (sysDescr "Concord test camera"): anyone who reads the vendor's manual can query it.`,
      ],
    ]);
  });

  it("snmpd with one SHA user and a strong password: wrong digests and unknown users, pass", async () => {
    const d = (await probeSnmp(await scope(), T, hardened.port))!;
    assert.deepEqual(rows(d).slice(6, 8), [
      "admin | MD5 | refused | usmStatsWrongDigests",
      "admin | SHA | refused | usmStatsWrongDigests",
    ]);
    assert.ok(d.v3Users!.attempts.every((a) => a.verdict === "refused" || a.verdict === "skipped"));
    assert.deepEqual(judge(d), [
      [
        "pass",
        `The SNMPv3 agent on 127.0.0.1 port ${hardened.port}/udp let in none of the 13 default users tried (14 requests refused: 12 usmStatsUnknownUserNames, 2 usmStatsWrongDigests).`,
      ],
    ]);
    // The strong password itself authenticates: the refusals above are the passwords', not the code's.
    const engine = Buffer.from(d.v3!.engineId, "hex");
    const own: V3User[] = [{ user: "admin", auth: "SHA", password: strong, source: "test" }];
    const r = await probeV3Users(
      await scope(),
      "127.0.0.1",
      hardened.port,
      { id: engine, boots: d.v3!.engineBoots, time: d.v3!.engineTime },
      own,
    );
    assert.deepEqual(
      r!.users.attempts.map((a) => [a.verdict, a.sysDescr]),
      [["accepted", "Hardened camera"]],
    );
  });

  it("an agent whose discovery leaves its clock at zero: one resend after notInTimeWindow", async () => {
    const agent = await v3Agent({ users: { initialsha: { auth: "SHA", password: "initialsha" } } });
    fakes.push(agent);
    const d = (await probeSnmp(await scope(), T, agent.port, []))!;
    assert.equal(rows(d)[3], "initialsha | SHA | accepted | Node v3 agent");
    assert.equal(d.v3Users?.sent, 15, "the random user, 13 user names and one resend");
    assert.deepEqual(judge(d), [
      [
        "fail",
        `The SNMPv3 agent on 127.0.0.1 port ${agent.port}/udp answers the default user "initialsha" with the SHA password "initialsha" (${EXTREME}) (sysDescr "Node v3 agent"): anyone who reads the vendor's manual can query it.`,
      ],
    ]);
  });

  it("an agent that answers any user name: accepts anything, nothing else tried", async () => {
    const agent = await v3Agent({ users: {}, anyUser: true });
    fakes.push(agent);
    const d = (await probeSnmp(await scope(), T, agent.port, []))!;
    assert.deepEqual([d.v3Users?.acceptsAnything, d.v3Users?.sent, d.v3Users?.attempts], [true, 1, []]);
    assert.deepEqual(judge(d), [
      [
        "fail",
        `The SNMPv3 agent on 127.0.0.1 port ${agent.port}/udp answers a random user name without authentication: any user is let in, so no default user was judged.`,
      ],
    ]);
  });

  it("a Response without the HMAC of the password is not a login", async () => {
    const agent = await v3Agent({
      users: { adminmd5: { auth: "MD5", password: "adminmd5" } },
      forgeHmac: true,
    });
    fakes.push(agent);
    const d = (await probeSnmp(await scope(), T, agent.port, []))!;
    assert.equal(rows(d)[8], "adminmd5 | MD5 | error | a Response without the HMAC of this password");
    assert.deepEqual(judge(d), [
      [
        "info",
        `Could not judge 1 of the 13 default SNMPv3 user requests on 127.0.0.1 port ${agent.port}/udp: a Response without the HMAC of this password.`,
      ],
    ]);
  });

  it("garbage after the discovery: every request an error with the reason, nothing judged", async () => {
    const agent = await v3Agent({ users: {}, garbage: Buffer.from("HTTP/1.1 200 OK\r\n\r\n") });
    fakes.push(agent);
    const d = (await probeSnmp(await scope(), T, agent.port, []))!;
    assert.equal(d.v3Users?.canary, "not SNMPv3: element at offset 0 claims 84 bytes; only 17 are there");
    assert.ok(d.v3Users?.attempts.every((a) => a.verdict === "error"));
    assert.deepEqual(judge(d), [
      [
        "info",
        `Could not judge 17 of the 17 default SNMPv3 user requests on 127.0.0.1 port ${agent.port}/udp: not SNMPv3: element at offset 0 claims 84 bytes; only 17 are there.`,
      ],
    ]);
  });

  it("no engine ID, no user tried; a dry run plans every request", async () => {
    const silent = await udpResponder();
    fakes.push(silent);
    const d = (await probeSnmp(await scope(), T, silent.port, []))!;
    assert.equal(d.v3Users, undefined);
    assert.equal(silent.received.length, 1, "the discovery only");
    const s = await Scope.create(["127.0.0.1"], { dryRun: true });
    assert.equal(await probeSnmp(s, T, silent.port, []), undefined);
    assert.equal(s.planned.length, 1 + 1 + 17, "the discovery, the random user and every row");
    assert.equal(silent.received.length, 1);
  });
});
