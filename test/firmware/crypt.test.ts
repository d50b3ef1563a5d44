// crypt(3) verification against reference hashes made with libxcrypt (python3's crypt module) and
// `openssl passwd -apr1`: every scheme accepts the right password and rejects a wrong one, and
// hostile or malformed hashes are refused without throwing.
import assert from "node:assert/strict";
import { scryptSync } from "node:crypto";
import { describe, it } from "node:test";
import { bcryptChecksum, piFraction } from "../../src/collect/firmware/crypt/bcrypt.js";
import { desEncryptBlock } from "../../src/collect/firmware/crypt/des.js";
import {
  cryptScheme,
  isWeakScheme,
  MAX_YESCRYPT_BYTES,
  parseHash,
  type Verifier,
} from "../../src/collect/firmware/crypt/index.js";
import {
  parseYescrypt,
  unsupportedYescrypt,
  yescryptRaw,
} from "../../src/collect/firmware/crypt/yescrypt.js";

/** [scheme, password, hash], from libxcrypt 4.4 and OpenSSL 3. */
const REFERENCE: [string, string, string][] = [
  ["des", "xc3511", "ZzdPQjN6FP9j6"],
  ["des", "", "..X8NBuQ4l6uQ"],
  ["des", "longpassword9", "/.fjv18gWI3FQ"],
  ["des", "héllo", "a9.aMoWOsNaY."],
  ["md5", "xc3511", "$1$saltsalt$DZ6tYhO9P.qjI3/IiXhg11"],
  ["md5", "", "$1$$qRPK7m23GJusamGpoGLby/"],
  ["md5", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "$1$ab$cU148AGxT4doatxfHOrbD1"],
  ["md5", "pässwörd", "$1$Q9x/.z$FFQSlFKcmjpMrWTGUY54j1"],
  ["apr1", "xc3511", "$apr1$k2R8.Bq/$uVd8RHfYaUDnsJbkgwiRm0"],
  [
    "apr1",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "$apr1$k2R8.Bq/$kOAn3XMPOFJPpcLvgejSU0",
  ],
  ["sha256", "xc3511", "$5$saltsalt$sU3nvsBsCq1lLM4.cqT4JkW0awDij63SWO5OhkZ4XIC"],
  ["sha256", "", "$5$rounds=1000$0123456789abcdef$xa0HvuaJLNMllIstBuhtBKeAOwj/tbHHFvO6oD8ygT1"],
  [
    "sha256",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "$5$rounds=2000$short$/MT2oRnJXlMb4jkTyVfQt3ABiKMS/.fJlQWJeSkCKB5",
  ],
  [
    "sha512",
    "xc3511",
    "$6$saltsalt$vzMsfNxNQNNP4i2ycDnj0e33Rp2hT280blPmEwqkO1bJxN5D9VKMn7ORCpEb2oUxjldA9pcv6ZtXsR68Gu5y00",
  ],
  [
    "sha512",
    "a-much-longer-password-over-64-bytes-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "$6$rounds=1000$abc$r0g9LU1NE/7msLqS24ouRMBlKqlVBtfqNNRr4kcc0W7coI/f2Byodqt7VuAF8r7zLJa4lV0FtU26N8hsTesqO1",
  ],
  [
    "sha512",
    "",
    "$6$$/chiBau24cE26QQVW3IfIe68Xu5.JQ4E8Ie7lcRLwqxO5cxGuBhqF2HmTL.zWJ9zjChg3yJYFXeGBQ2y3Ba1d1",
  ],
  ["bcrypt", "admin", "$2b$04$5qo7WqB5ZsOkkHtmOJ7xneCNFlxemg5Mc1VpLYy4DvntiQBpUTErC"],
  ["bcrypt", "", "$2b$04$abcdefghijklmnopqrstuubyCG3zY1GIXMyxfivm.ClDiInHzxjiq"],
  ["bcrypt", "root", "$2y$05$abcdefghijklmnopqrstuuJ/uqQnGWb.PIEKF.YYD7e.M1.rwki5y"],
  ["bcrypt", "root", "$2a$05$abcdefghijklmnopqrstuuJ/uqQnGWb.PIEKF.YYD7e.M1.rwki5y"],
  [
    "bcrypt",
    "pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp",
    "$2b$04$zyxwvutsrqponmlkjihgfee0DMoxp3zYWhU7Fab42bxBqA2kYW.Mu",
  ],
  ["yescrypt", "admin", "$y$j9T$abcdefghijklmnop$5MpaJ6mYQgeqLje.dQWuzmjhB.Uwp8kNmSyfdzfZPa5"],
  ["yescrypt", "", "$y$j75$abcdefgh$dnXG1KuMBmwYrnuKh9nriQRakI62k6mwFrGgxhxYD/2"],
  ["yescrypt", "root", "$y$/75$abcdefghijkl$y4eWeY5aKdlastIzVIYKtV3RIk94jIOpzfb.lGMjHVA"],
  ["yescrypt", "root", "$y$.75$abcdefghijkl$nEy9B0vZcs3uiUflvF2gRW2ts9K04PPV0sMTSn6K96B"],
  ["yescrypt", "pw1", "$y$j75/.$abcdefgh$woJHzW0Ax0w/.N.Nwkggr0dJG.MnQpwDTi465pKLLQ4"],
  ["yescrypt", "pw2", "$y$j75..$abcdefgh$y5LOd0MoiPvyOdHW8u8FXM4hWhjgC7LkdTAAkvXzr/8"],
  ["scrypt", "admin", "$7$C6..../....SodiumChloride$rWVHIo5M7T.UsjcnIf5S43nzkTmvqE30s72SlyBJpTB"],
];

function verifier(hash: string): Verifier {
  const parsed = parseHash(hash);
  assert.ok("verifier" in parsed, `${hash}: ${"unsupported" in parsed ? parsed.unsupported : ""}`);
  return parsed.verifier;
}

describe("crypt(3) verification", () => {
  for (const [scheme, password, hash] of REFERENCE)
    it(`${scheme}: ${hash.slice(0, 24)}... accepts ${JSON.stringify(password.slice(0, 12))} and rejects a near miss`, () => {
      const v = verifier(hash);
      assert.equal(v.scheme, scheme);
      assert.equal(cryptScheme(hash), scheme);
      assert.equal(v.verify(password), true);
      const truncated =
        (scheme === "des" && password.length >= 8) || (scheme === "bcrypt" && password.length >= 72);
      assert.equal(v.verify(`${password}x`), truncated, "DES ignores past 8 bytes, bcrypt past 72");
    });

  it("DES tables reproduce the FIPS 81 worked example", () => {
    const out = desEncryptBlock(
      Buffer.from("133457799BBCDFF1", "hex"),
      Buffer.from("0123456789ABCDEF", "hex"),
    );
    assert.equal(Buffer.from(out).toString("hex"), "85e813540f0ab405");
  });

  it("Blowfish's initial state is pi's hexadecimal digits", () => {
    const pi = piFraction();
    assert.equal(pi.length, 1042);
    assert.deepEqual(
      [pi[0], pi[1], pi[17], pi[18], pi[1041]],
      [0x243f6a88, 0x85a308d3, 0x8979fb1b, 0xd1310ba6, 0x3ac372e6],
    );
  });

  it("bcrypt keys stop at 72 bytes", () => {
    const salt = Buffer.alloc(16, 7);
    assert.equal(bcryptChecksum("a".repeat(72), 4, salt), bcryptChecksum(`${"a".repeat(72)}tail`, 4, salt));
    assert.notEqual(bcryptChecksum("a".repeat(71), 4, salt), bcryptChecksum("a".repeat(72), 4, salt));
  });

  it("classic scrypt (yescrypt flags 0) equals node's scrypt", () => {
    const params = { flags: 0, N: 256, r: 4, p: 3, t: 0, g: 0, NROM: 0 };
    assert.deepEqual(
      yescryptRaw("pleaseletmein", Buffer.from("SodiumChloride"), params),
      scryptSync("pleaseletmein", "SodiumChloride", 32, { N: 256, r: 4, p: 3 }),
    );
  });

  it("names schemes and says which are weak", () => {
    const cases: [string, string, boolean][] = [
      ["abOV.DfJmdnYw", "des", true],
      ["_J9..rasmBYk8r9AiWNc", "bsdi-des", true],
      ["$1$ab$rn6aQS/o7141mj179E/zA.", "md5", true],
      ["$apr1$k2R8.Bq/$uVd8RHfYaUDnsJbkgwiRm0", "apr1", true],
      ["21232f297a57a5a743894a0e4a801fc3", "md5-unsalted", true],
      ["$5$x$y", "sha256", false],
      ["$6$x$y", "sha512", false],
      ["$2b$10$x", "bcrypt", false],
      ["$y$j9T$x$y", "yescrypt", false],
      ["$7$x", "scrypt", false],
      ["$gy$j9T$x$y", "gost-yescrypt", false],
      ["plain text", "other", false],
    ];
    for (const [hash, scheme, weak] of cases) {
      assert.equal(cryptScheme(hash), scheme, hash);
      assert.equal(isWeakScheme(scheme), weak, scheme);
    }
    assert.equal(verifier("21232f297a57a5a743894a0e4a801fc3").verify("admin"), true);
  });

  it("refuses hashes it cannot or should not compute, without throwing", () => {
    const refused: [string, RegExp][] = [
      ["$1$ab$short", /malformed md5crypt/],
      ["$6$salt$", /malformed sha-crypt/],
      ["$2b$99$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz12345", /malformed bcrypt/],
      ["$2b$03$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz12345", /malformed bcrypt/],
      // N = 2^40 would need 128 TiB.
      ["$y$jH/$abcdefgh$woJHzW0Ax0w/.N.Nwkggr0dJG.MnQpwDTi465pKLLQ4", /more memory than allowed/],
      // A ROM-based hash (have = 8, NROM = 2^10).
      ["$y$j7557$abcdefgh$woJHzW0Ax0w/.N.Nwkggr0dJG.MnQpwDTi465pKLLQ4", /ROM/],
      // An unsupported pwxform flavour.
      ["$y$i75$abcdefgh$woJHzW0Ax0w/.N.Nwkggr0dJG.MnQpwDTi465pKLLQ4", /flavour/],
      // Salt bits left over.
      ["$y$j75$abcdefghij$woJHzW0Ax0w/.N.Nwkggr0dJG.MnQpwDTi465pKLLQ4", /malformed yescrypt/],
      ["$gy$j9T$abcdefgh$woJHzW0Ax0w/.N.Nwkggr0dJG.MnQpwDTi465pKLLQ4", /no verifier for gost-yescrypt/],
    ];
    for (const [hash, why] of refused) {
      const parsed = parseHash(hash);
      assert.ok("unsupported" in parsed, hash);
      assert.match(parsed.unsupported, why, hash);
    }
    assert.equal(parseYescrypt("$y$j9T$$"), undefined);
    // Half a million pwxform S-box sets (12 KiB each) would take 6 GiB.
    const manyLanes = { flags: 0xb6, N: 2 ** 20, r: 1, p: 2 ** 19, t: 0, g: 0, NROM: 0 };
    assert.equal(unsupportedYescrypt(manyLanes, MAX_YESCRYPT_BYTES), "needs more memory than allowed");
  });

  it("prices hostile round counts instead of running them", () => {
    assert.ok(verifier("$6$rounds=999999999$salt$" + "a".repeat(86)).cost > 1e6);
    assert.equal(
      verifier("$6$rounds=10$salt$" + "a".repeat(86)).cost,
      verifier("$6$rounds=1000$s$x").cost,
      "clamped to 1000",
    );
    assert.ok(verifier("$2b$31$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz12345").cost > 1e8);
  });

  it("survives a bounded mutation loop over every reference hash", () => {
    let seed = 0x5eed;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    const alphabet = "$./0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ=:\0\xff";
    let verified = 0;
    for (let i = 0; i < 600; i++) {
      const [, , base] = REFERENCE[rnd(REFERENCE.length)]!;
      const chars = [...base];
      for (let m = 1 + rnd(3); m > 0; m--) {
        const at = rnd(chars.length + 1);
        const op = rnd(3);
        if (op === 0) chars[at] = alphabet[rnd(alphabet.length)]!;
        else if (op === 1) chars.splice(at, 1);
        else chars.splice(at, 0, alphabet[rnd(alphabet.length)]!);
      }
      const parsed = parseHash(chars.join(""));
      // Only cheap attempts run: the loop checks parsing, and that a verifier never throws.
      if ("verifier" in parsed && parsed.verifier.cost < 60) {
        assert.equal(typeof parsed.verifier.verify("admin"), "boolean");
        verified++;
      }
    }
    assert.ok(verified > 100, `only ${verified} mutants were verifiable`);
  });
});
