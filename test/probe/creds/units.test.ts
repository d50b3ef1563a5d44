// The pure parts of the credentials tester: HTTP challenges and Digest (RFC 7616 section 3.9.1
// examples), Basic (RFC 7617 section 2), FTP replies, telnet negotiation answers and verdicts,
// the MQTT CONNECT with a login, masking, and the --max-logins / --credentials flags.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { shippedDictionary, suppliedDictionary } from "../../../src/collect/probe/creds/dictionary.js";
import {
  basicAuthorization,
  chooseChallenge,
  digestAuthorization,
  parseChallenges,
} from "../../../src/collect/probe/creds/digest.js";
import { ftpReply } from "../../../src/collect/probe/creds/ftp.js";
import { mqttConnect } from "../../../src/collect/probe/mqtt-packet.js";
import { credentialOptions } from "../../../src/collect/probe/creds/options.js";
import { maskBytes } from "../../../src/collect/probe/creds/protocol.js";
import { judgeAfterPassword, refusals } from "../../../src/collect/probe/creds/telnet.js";
import { UsageError } from "../../../src/util/problems.js";
import { tmp } from "../peers.js";

// RFC 7616 section 3.9.1: the same request answered for MD5 and for SHA-256.
const RFC = {
  realm: "http-auth@example.org",
  nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
  opaque: "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS",
  cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
};

describe("HTTP authentication", () => {
  it("parses several challenges in one header and in several", () => {
    const cs = parseChallenges([
      `Digest realm="${RFC.realm}", qop="auth, auth-int", algorithm=SHA-256, nonce="${RFC.nonce}", opaque="${RFC.opaque}", Basic realm="cam \\"1\\""`,
      "Negotiate abc==, Bearer",
    ]);
    assert.deepEqual(
      cs.map((c) => [c.scheme, c.params]),
      [
        [
          "digest",
          {
            realm: RFC.realm,
            qop: "auth, auth-int",
            algorithm: "SHA-256",
            nonce: RFC.nonce,
            opaque: RFC.opaque,
          },
        ],
        ["basic", { realm: 'cam "1"' }],
        ["negotiate", {}],
        ["bearer", {}],
      ],
    );
    assert.equal(chooseChallenge(cs)?.params.algorithm, "SHA-256");
    assert.equal(
      chooseChallenge(parseChallenges(['Basic realm="x"', 'Digest realm="x", nonce="n"']))?.scheme,
      "digest",
    );
    assert.equal(
      chooseChallenge(parseChallenges(['Digest realm="x", nonce="n", algorithm=SHA-512-256'])),
      undefined,
    );
    assert.deepEqual(parseChallenges(['=garbage, "', ""]), []);
  });

  for (const [algorithm, response] of [
    ["MD5", "8ca523f5e9506fed4657c9700eebdbec"],
    ["SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"],
  ]) {
    it(`Digest ${algorithm}: the RFC 7616 example response`, () => {
      const [challenge] = parseChallenges([
        `Digest realm="${RFC.realm}", qop="auth, auth-int", algorithm=${algorithm}, nonce="${RFC.nonce}", opaque="${RFC.opaque}"`,
      ]);
      const d = digestAuthorization({
        challenge: challenge!,
        user: "Mufasa",
        password: "Circle of Life",
        method: "GET",
        uri: "/dir/index.html",
        nc: 0,
        cnonce: RFC.cnonce,
      });
      assert.equal(d.response, response);
      assert.equal(
        d.header,
        `Digest username="Mufasa", realm="${RFC.realm}", nonce="${RFC.nonce}", uri="/dir/index.html", algorithm=${algorithm}, response="${response}", opaque="${RFC.opaque}", qop=auth, nc=00000001, cnonce="${RFC.cnonce}"`,
      );
    });
  }

  it("Basic: the RFC 7617 example", () => {
    assert.equal(basicAuthorization("Aladdin", "open sesame"), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  });
});

describe("FTP replies", () => {
  it("reads the final line of a multi-line reply, and waits for a whole line", () => {
    assert.deepEqual(ftpReply(Buffer.from("220-Welcome\r\n220-to the camera\r\n220 ready\r\n")), {
      code: 220,
      text: "220 ready",
    });
    assert.equal(ftpReply(Buffer.from("230-Logged in\r\n230 ")), undefined);
    assert.equal(ftpReply(Buffer.from("\x00\x01garbage\n")), undefined);
    assert.deepEqual(ftpReply(Buffer.from("530\r\n")), { code: 530, text: "530" });
  });
});

describe("telnet", () => {
  it("answers DO with WONT and WILL with DONT, each option once, and ignores escaped 0xff", () => {
    const answered = new Set<string>();
    const b = Buffer.from([
      0xff, 0xfd, 0x18, 0xff, 0xfb, 0x01, 0xff, 0xff, 0xfd, 0xff, 0xfc, 0x03, 0xff, 0xfd, 0x18,
    ]);
    assert.deepEqual([...refusals(b, answered)], [0xff, 0xfc, 0x18, 0xff, 0xfe, 0x01]);
    assert.deepEqual([...refusals(b, answered)], []);
  });

  it("judges what follows the password", () => {
    const j = (t: string, o: "complete" | "closed" | "timeout" | "idle" = "complete") =>
      judgeAfterPassword(t, o);
    assert.deepEqual(j("\r\nLogin incorrect\r\ncamera login: "), {
      verdict: "rejected",
      note: 'prompted again ("camera login:")',
    });
    assert.deepEqual(j("\r\nLogin incorrect\r\n"), { verdict: "rejected", note: '"Login incorrect"' });
    assert.deepEqual(j("\r\nBusyBox v1.35\r\n~ # "), { verdict: "accepted", note: 'prompt "~ #"' });
    assert.deepEqual(j("Account locked: too many failures\r\nlogin: "), {
      verdict: "locked",
      note: '"Account locked: too many failures"',
    });
    assert.deepEqual(j("", "closed"), {
      verdict: "rejected",
      note: "closed the connection after the password",
    });
    assert.deepEqual(j("", "timeout"), { verdict: "timeout", note: "no answer after the password" });
    assert.deepEqual(j("Welcome to the router", "idle"), {
      verdict: "accepted",
      note: 'no refusal, session open ("Welcome to the router")',
    });
    assert.deepEqual(j("Welcome", "closed"), { verdict: "rejected", note: 'closed after "Welcome"' });
  });
});

describe("MQTT CONNECT with a login", () => {
  it("sets the user name and password flags and encodes a long remaining length in two bytes", () => {
    const b = mqttConnect("c", { user: "admin", password: "admin" });
    assert.equal(b.toString("hex"), "101b00044d51545404c2003c000163000561646d696e000561646d696e");
    const long = mqttConnect("c", { user: "u", password: "p".repeat(200) });
    assert.deepEqual([...long.subarray(0, 3)], [0x10, 0xda, 0x01]); // 218 = 0x5a + 1 * 128
    assert.equal(long.length, 3 + 218);
  });
});

describe("masking and dictionaries", () => {
  it("masks every occurrence of every secret", () => {
    assert.equal(
      maskBytes(Buffer.from("PASS s3cret\r\nPASS s3cret and YWRtaW4="), [
        Buffer.from("s3cret"),
        Buffer.from("YWRtaW4="),
      ]).toString(),
      "PASS ******\r\nPASS ****** and ******",
    );
    assert.equal(maskBytes(Buffer.from("x"), [Buffer.alloc(0)]).toString(), "x");
  });

  it("the shipped dictionary starts with the Mirai table, each pair once", () => {
    const d = shippedDictionary();
    assert.deepEqual(d.pairs[0], {
      user: "root",
      password: "xc3511",
      source:
        "Mirai scanner.c credential table (source leaked October 2016); https://www.stateward.com/vulnerabilities/INFRA-MIRAI-2016",
    });
    assert.equal(new Set(d.pairs.map((p) => `${p.user}:${p.password}`)).size, d.pairs.length);
    assert.equal(d.label, `shipped (${d.pairs.length} pairs)`);
    assert.equal(d.secret, false);
  });

  it("flags: --max-logins and --login-concurrency must be whole numbers, --credentials a readable list", () => {
    const dir = tmp();
    const good = join(dir, "mine.csv");
    writeFileSync(good, "user,password,source\nroot,hunter2,our factory sheet\n");
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, "root:hunter2\n");
    assert.deepEqual(credentialOptions({ maxLogins: "7", credentials: good }), {
      loginConcurrency: 4,
      maxLogins: 7,
      credentialsFile: good,
    });
    assert.equal(credentialOptions({ loginConcurrency: "1" }).loginConcurrency, 1);
    assert.throws(
      () => credentialOptions({ loginConcurrency: "0" }),
      new UsageError('--login-concurrency takes a whole number of at least 1, not "0"'),
    );
    assert.deepEqual(suppliedDictionary(good).label, `supplied: ${good} (1 pairs)`);
    assert.throws(
      () => credentialOptions({ maxLogins: "2.5" }),
      new UsageError('--max-logins takes a whole number of at least 1, not "2.5"'),
    );
    assert.throws(() => credentialOptions({ maxLogins: "0" }), UsageError);
    assert.throws(
      () => credentialOptions({ credentials: bad }),
      new UsageError(`${bad}: header must be user,password,source`),
    );
    assert.throws(
      () => credentialOptions({ credentials: join(dir, "missing.csv") }),
      new UsageError(`--credentials ${join(dir, "missing.csv")}: cannot read it (ENOENT)`),
    );
  });
});
