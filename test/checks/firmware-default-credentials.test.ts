import { firmwareDefaultCredentials } from "../../src/checks/firmware-default-credentials.js";
import { FW, type AccountData, type FirmwareImageData } from "../../src/evidence/firmware.js";
import { makeEvidence } from "../../src/evidence/types.js";
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
      state: "locked",
      from: "shadow",
      ...over,
    },
    "device",
    location,
  );

const image = (over: Partial<FirmwareImageData> = {}) =>
  ev<FirmwareImageData>(
    FW.image,
    {
      path: "fw.bin",
      sha256: "0".repeat(64),
      bytes: 1,
      layers: [],
      filesystems: [{ id: "squashfs@0x0", format: "squashfs", files: 12 }],
      problems: [],
      analyzers: { accounts: "2" },
      ...over,
    },
    "device",
    "fw.bin",
  );

/** Evidence from a named image file, as the firmware collector records it. */
const fromImage = <T>(kind: string, data: T, path: string, location: string) =>
  makeEvidence(kind, "device", data, {
    collector: "firmware/accounts",
    version: "2",
    artifact: { path, sha256: path.padEnd(64, "0") },
    location,
    at: "2026-11-25T00:00:00.000Z",
  });

const NONE = "no account logs in with an empty password or one from the default-credential dictionary";

checkTable(firmwareDefaultCredentials, {
  valid: [
    {
      name: "locked root, strong hash, a nologin daemon with an empty password",
      evidence: [
        acct({}),
        acct({ user: "operator", uid: 1000, state: "hash", scheme: "sha512" }, "squashfs@0x0:/etc/shadow:2"),
        acct({
          user: "daemon",
          uid: 1,
          shell: "/usr/sbin/nologin",
          loginShell: false,
          state: "empty",
          from: "passwd",
        }),
      ],
      expect: [
        {
          status: "pass",
          message: `The firmware: ${NONE} (3 accounts analyzed).`,
          requirements: ["AUTH-01"],
        },
      ],
    },
    {
      name: "a cracked account that cannot log in is not a default login",
      evidence: [
        acct({
          user: "ftp",
          uid: 21,
          shell: "/bin/false",
          loginShell: false,
          state: "cracked",
          scheme: "md5",
          password: "ftp",
        }),
      ],
      expect: [{ status: "pass", message: `The firmware: ${NONE} (1 account analyzed).` }],
    },
    {
      name: "the attack was cut short",
      evidence: [acct({ user: "op", uid: 1000, state: "hash", scheme: "yescrypt", crackLimited: true })],
      expect: [
        {
          status: "pass",
          message: `The firmware: ${NONE} (1 account analyzed). The dictionary attack stopped at its work limit for op (yescrypt), so not every candidate was tried.`,
        },
      ],
    },
    {
      name: "the analyzer read the filesystem and found no account files",
      evidence: [image()],
      expect: [
        {
          status: "pass",
          message: "The firmware has no account files (/etc/passwd, /etc/shadow) to log in with.",
        },
      ],
    },
  ],
  invalid: [
    {
      name: "root cracks against the Mirai table",
      evidence: [acct({ state: "cracked", scheme: "md5", password: "xc3511" })],
      expect: [
        {
          status: "fail",
          message:
            'Account root (uid 0, shell /bin/sh) logs in with the default password "xc3511" from the default-credential dictionary (squashfs@0x0:/etc/shadow:1).',
          requirements: ["AUTH-01"],
        },
      ],
    },
    {
      name: "uid 0 without a password fails even with a nologin shell; an empty shell field means /bin/sh",
      evidence: [
        acct(
          { user: "toor", shell: "/sbin/nologin", loginShell: false, state: "empty", from: "passwd" },
          "cpio@0x0:/etc/passwd:4",
        ),
        acct(
          { user: "admin", uid: 500, shell: "", state: "empty", from: "passwd" },
          "cpio@0x0:/etc/passwd:5",
        ),
      ],
      expect: [
        {
          status: "fail",
          message:
            "Account toor (uid 0, shell /sbin/nologin) has no password at all (cpio@0x0:/etc/passwd:4).",
        },
        {
          status: "fail",
          message: "Account admin (uid 500, shell /bin/sh) has no password at all (cpio@0x0:/etc/passwd:5).",
        },
      ],
    },
    {
      name: "a hash of the empty password, and an old hash in a backup",
      evidence: [
        acct({ state: "cracked", scheme: "sha512", password: "" }),
        acct(
          { state: "cracked", scheme: "des", password: "vizxv", from: "shadow-" },
          "tar@0x0:/etc/shadow-:1",
        ),
      ],
      expect: [
        {
          status: "fail",
          message:
            "Account root (uid 0, shell /bin/sh) has a password hash of the empty password (squashfs@0x0:/etc/shadow:1).",
        },
        {
          status: "fail",
          message:
            'Account root (uid 0, shell /bin/sh) logs in with the default password "vizxv" from the default-credential dictionary (tar@0x0:/etc/shadow-:1, a backup left in the image).',
        },
      ],
    },
    {
      name: "two images: one fails, the other passes on its own",
      evidence: [
        fromImage(
          FW.account,
          acct({ state: "cracked", scheme: "md5", password: "admin" }).data,
          "cam.bin",
          "squashfs@0x0:/etc/shadow:1",
        ),
        fromImage(FW.account, acct({}).data, "hub.bin", "tar@0x0:/etc/shadow:1"),
      ],
      expect: [
        {
          status: "fail",
          message:
            'Account root (uid 0, shell /bin/sh) logs in with the default password "admin" from the default-credential dictionary (squashfs@0x0:/etc/shadow:1).',
        },
        { status: "pass", message: `Firmware hub.bin: ${NONE} (1 account analyzed).` },
      ],
    },
  ],
  silent: [
    { name: "no firmware evidence", evidence: [], expect: [] },
    {
      name: "an image whose filesystems could not be read",
      evidence: [image({ filesystems: [] })],
      expect: [],
    },
    {
      name: "an image analyzed without the accounts analyzer",
      evidence: [image({ analyzers: {} })],
      expect: [],
    },
  ],
});
