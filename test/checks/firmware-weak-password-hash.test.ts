import { firmwareWeakPasswordHash } from "../../src/checks/firmware-weak-password-hash.js";
import { FW, type AccountData } from "../../src/evidence/firmware.js";
import { checkTable } from "../helpers/check-table.js";
import { ev } from "../helpers/evidence.js";

const acct = (over: Partial<AccountData>, location = "squashfs@0x0:/etc/shadow:1") =>
  ev<AccountData>(
    FW.account,
    {
      user: "root",
      uid: 0,
      gid: 0,
      shell: "/bin/sh",
      home: "/root",
      loginShell: true,
      state: "hash",
      from: "shadow",
      ...over,
    },
    "device",
    location,
  );

checkTable(firmwareWeakPasswordHash, {
  valid: [
    {
      name: "sha512crypt and yescrypt, a locked account aside",
      evidence: [
        acct({ scheme: "sha512" }),
        acct({ user: "op", scheme: "yescrypt", state: "cracked", password: "support" }),
        acct({ user: "nobody", state: "locked" }),
      ],
      expect: [
        {
          status: "pass",
          message: "The firmware: all 2 password hashes use a salted, slow scheme (sha512, yescrypt).",
          requirements: ["AUTH-03"],
        },
      ],
    },
    {
      name: "one bcrypt hash",
      evidence: [acct({ scheme: "bcrypt" })],
      expect: [
        {
          status: "pass",
          message: "The firmware: its only password hash uses a salted, slow scheme (bcrypt).",
        },
      ],
    },
  ],
  invalid: [
    {
      name: "md5crypt in use and DES in a backup",
      evidence: [
        acct({ scheme: "md5", state: "cracked", password: "xc3511" }),
        acct({ scheme: "des", from: "shadow-" }, "squashfs@0x0:/etc/shadow-:1"),
        acct({ user: "op", scheme: "sha512" }),
      ],
      expect: [
        {
          status: "fail",
          message:
            "Account root stores its password as md5crypt (1000 fast MD5 rounds, tens of millions of guesses a second on one GPU) (squashfs@0x0:/etc/shadow:1).",
          requirements: ["AUTH-03"],
        },
        {
          status: "fail",
          message:
            "Account root stores its password as traditional DES crypt (only 8 characters count, a 12-bit salt, billions of guesses a second on one GPU) (squashfs@0x0:/etc/shadow-:1, a backup left in the image).",
        },
      ],
    },
    {
      name: "apr1 and an unsalted digest",
      evidence: [
        acct({ user: "web", scheme: "apr1" }),
        acct({ user: "cgi", scheme: "md5-unsalted", from: "passwd" }, "tar@0x0:/etc/passwd:3"),
      ],
      expect: [
        { status: "fail", message: /^Account web stores its password as Apache apr1 md5crypt/ },
        {
          status: "fail",
          message:
            "Account cgi stores its password as an unsalted MD5 digest (one fast round, found in precomputed tables) (tar@0x0:/etc/passwd:3).",
        },
      ],
    },
  ],
  silent: [
    { name: "no firmware evidence", evidence: [], expect: [] },
    {
      name: "no password hashes at all",
      evidence: [acct({ state: "locked" }), acct({ user: "admin", state: "empty", from: "passwd" })],
      expect: [],
    },
  ],
});
