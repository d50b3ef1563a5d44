// The accounts analyzer and its dictionary attack on real images (tar, cpio, squashfs) with planted
// weaknesses and planted non-weaknesses, then the two account checks on the evidence the firmware
// collector makes of them: exact accounts, cracked passwords and findings.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { firmwareDefaultCredentials } from "../../src/checks/firmware-default-credentials.js";
import { firmwareWeakPasswordHash } from "../../src/checks/firmware-weak-password-hash.js";
import { analyzeFirmware } from "../../src/collect/firmware/analyze.js";
import { accountsAnalyzer } from "../../src/collect/firmware/analyzers/accounts.js";
import {
  candidates,
  CRACK_LIMITS,
  crackHash,
  defaultCredentials,
  parseCredentials,
} from "../../src/collect/firmware/analyzers/crack.js";
import { firmwareEvidence } from "../../src/collect/firmware/collector.js";
import { FormatError } from "../../src/collect/firmware/source.js";
import { LimitError } from "../../src/collect/firmware/limits.js";
import type { MountedFs } from "../../src/collect/firmware/unpack.js";
import { VirtualFS } from "../../src/collect/firmware/vfs.js";
import { walk } from "../../src/collect/firmware/walk.js";
import type { AccountData } from "../../src/evidence/firmware.js";
import { EvidenceIndex } from "../../src/evidence/types.js";
import { cpioImage, squashfsImage, tarImage, tmp, writeTree, type Tree } from "../helpers/fwimage.js";

// Reference hashes made with libxcrypt (python3's crypt module).
const H = {
  rootMd5Xc3511: "$1$Hx8vJ2qP$rLx9U6ieNN0OFjHw9EIu2/",
  rootDesVizxv: "QwrkklkH.3e6I",
  supportYescrypt: "$y$j9T$Zk3yQm7tRw1pLs9d$BPWReDsyBbbIoyo3/pz5mhJtbR46X/0pRHfTkCKLOF7",
  strongSha512:
    "$6$uG5mW2rT8yB1nQ4c$olUa/uFM1KdGtmWBeL00NmfxWm/XxwYzAfcmPHU.wvXwB43JwBX/rQzjEjndEX14XICN8Ibw/7xpG/A41dwin1",
  guestSha256: "$5$gU3st5alt$Z6kKkL3b7HNTnzQdvfk3seZBsD48qs0Xp.yYCtZpXCA",
  emptySha512:
    "$6$emptyEmpty$adabtkuDwObWzvZp/6JEnt4KpQOT5Dpi9e/xCmFy2.AO6mY28Muveb7QK2r59iBaM15dCATGSdh3E3D7SwNVc.",
};

const shadowLine = (user: string, field: string) => `${user}:${field}:19700:0:99999:7:::\n`;

/** Planted weaknesses next to planted non-weaknesses. */
const WEAK_PASSWD = [
  "root:x:0:0:root:/root:/bin/sh",
  "admin::0:0:admin:/home/admin:/bin/sh", // empty password, uid 0
  "daemon::1:1:daemon:/usr/sbin:/usr/sbin/nologin", // empty, but cannot log in
  "operator:x:1000:1000:operator:/home/operator:/bin/sh", // strong random sha512
  "nobody:x:65534:65534:nobody:/nonexistent:/bin/false",
  "support:x:1001:1001::/home/support:/bin/ash", // yescrypt of a dictionary password
  "backup:x:34:34:backup:/var/backups:/bin/sh", // locked
  "",
].join("\n");

const WEAK_SHADOW =
  shadowLine("root", H.rootMd5Xc3511) +
  shadowLine("operator", H.strongSha512) +
  shadowLine("nobody", "!") +
  shadowLine("backup", "*") +
  shadowLine("support", H.supportYescrypt);

const WEAK_TREE: Tree = {
  "etc/passwd": WEAK_PASSWD,
  "etc/shadow": WEAK_SHADOW,
  // The backup build tools leave behind: root's old DES hash; operator's unchanged one.
  "etc/shadow-":
    shadowLine("root", H.rootDesVizxv) + shadowLine("operator", H.strongSha512) + shadowLine("nobody", "!"),
  "bin/sh": { content: "#!busybox", mode: 0o755 },
};

const CLEAN_TREE: Tree = {
  "etc/passwd": [
    "root:x:0:0:root:/root:/bin/sh",
    "daemon::1:1:daemon:/usr/sbin:/usr/sbin/nologin",
    "operator:x:1000:1000:operator:/home/operator:/bin/sh",
    "",
  ].join("\n"),
  "etc/shadow": shadowLine("root", "!") + shadowLine("operator", H.strongSha512),
};

type Brief = Pick<AccountData, "user" | "state" | "from" | "loginShell"> &
  Partial<Pick<AccountData, "scheme" | "password" | "crackLimited">>;

const brief = (a: AccountData): Brief => {
  const out: Brief = { user: a.user, state: a.state, from: a.from, loginShell: a.loginShell };
  if (a.scheme) out.scheme = a.scheme;
  if (a.password !== undefined) out.password = a.password;
  if (a.crackLimited) out.crackLimited = true;
  return out;
};

function assess(image: string) {
  const analysis = analyzeFirmware(image, { cache: false, analyzers: [accountsAnalyzer] });
  const evidence = firmwareEvidence(analysis, "firmware.bin", "2026-11-25T00:00:00.000Z");
  const index = new EvidenceIndex(evidence);
  const ctx = { asOf: "2026-11-25" };
  return {
    analysis,
    fs: analysis.image.filesystems[0]?.id ?? "?",
    accounts: analysis.facts.map((f) => ({ ...brief(f.data as AccountData), at: f.location })),
    defaults: firmwareDefaultCredentials.evaluate(index, ctx).map((f) => [f.status, f.message]),
    weak: firmwareWeakPasswordHash.evaluate(index, ctx).map((f) => [f.status, f.message]),
  };
}

const DICT = "from the default-credential dictionary";
const MD5 = "md5crypt (1000 fast MD5 rounds, tens of millions of guesses a second on one GPU)";
const DES =
  "traditional DES crypt (only 8 characters count, a 12-bit salt, billions of guesses a second on one GPU)";

const saved = { ...CRACK_LIMITS };
after(() => Object.assign(CRACK_LIMITS, saved));

describe("firmware accounts", () => {
  const builders: [string, (root: string) => string][] = [
    ["tar", (root) => tarImage(root)],
    ["cpio", (root) => cpioImage(root)],
    ["squashfs", (root) => squashfsImage(root, "gzip")],
  ];
  for (const [format, build] of builders)
    it(`finds and cracks the planted weaknesses in a ${format} image, and nothing else`, () => {
      const r = assess(build(writeTree(WEAK_TREE)));
      const fs = r.fs;
      assert.match(fs, new RegExp(`^${format}@0x0$`));
      assert.deepEqual(r.accounts, [
        {
          user: "root",
          state: "cracked",
          from: "shadow",
          loginShell: true,
          scheme: "md5",
          password: "xc3511",
          at: `${fs}:/etc/shadow:1`,
        },
        {
          user: "root",
          state: "cracked",
          from: "shadow-",
          loginShell: true,
          scheme: "des",
          password: "vizxv",
          at: `${fs}:/etc/shadow-:1`,
        },
        { user: "admin", state: "empty", from: "passwd", loginShell: true, at: `${fs}:/etc/passwd:2` },
        { user: "daemon", state: "empty", from: "passwd", loginShell: false, at: `${fs}:/etc/passwd:3` },
        {
          user: "operator",
          state: "hash",
          from: "shadow",
          loginShell: true,
          scheme: "sha512",
          at: `${fs}:/etc/shadow:2`,
        },
        { user: "nobody", state: "locked", from: "shadow", loginShell: false, at: `${fs}:/etc/shadow:3` },
        {
          user: "support",
          state: "cracked",
          from: "shadow",
          loginShell: true,
          scheme: "yescrypt",
          password: "support",
          at: `${fs}:/etc/shadow:5`,
        },
        { user: "backup", state: "locked", from: "shadow", loginShell: true, at: `${fs}:/etc/shadow:4` },
      ]);
      assert.deepEqual(r.defaults, [
        [
          "fail",
          `Account root (uid 0, shell /bin/sh) logs in with the default password "xc3511" ${DICT} (${fs}:/etc/shadow:1).`,
        ],
        [
          "fail",
          `Account root (uid 0, shell /bin/sh) logs in with the default password "vizxv" ${DICT} (${fs}:/etc/shadow-:1, a backup left in the image).`,
        ],
        ["fail", `Account admin (uid 0, shell /bin/sh) has no password at all (${fs}:/etc/passwd:2).`],
        [
          "fail",
          `Account support (uid 1001, shell /bin/ash) logs in with the default password "support" ${DICT} (${fs}:/etc/shadow:5).`,
        ],
      ]);
      assert.deepEqual(r.weak, [
        ["fail", `Account root stores its password as ${MD5} (${fs}:/etc/shadow:1).`],
        [
          "fail",
          `Account root stores its password as ${DES} (${fs}:/etc/shadow-:1, a backup left in the image).`,
        ],
      ]);
      assert.deepEqual(r.analysis.image.problems, []);
    });

  it("passes a clean image: locked root, a strong sha512 password, a nologin daemon without one", () => {
    const r = assess(tarImage(writeTree(CLEAN_TREE)));
    assert.deepEqual(
      r.accounts.map((a) => [a.user, a.state]),
      [
        ["root", "locked"],
        ["daemon", "empty"],
        ["operator", "hash"],
      ],
    );
    assert.deepEqual(r.defaults, [
      [
        "pass",
        "Firmware firmware.bin: no account logs in with an empty password or one from the default-credential dictionary (3 accounts analyzed).",
      ],
    ]);
    assert.deepEqual(r.weak, [
      ["pass", "Firmware firmware.bin: its only password hash uses a salted, slow scheme (sha512)."],
    ]);
  });

  it("says when the work limit cut the dictionary attack short", () => {
    Object.assign(CRACK_LIMITS, { perHash: 20 });
    try {
      const r = assess(tarImage(writeTree(CLEAN_TREE)));
      assert.deepEqual(r.accounts[2], {
        user: "operator",
        state: "hash",
        from: "shadow",
        loginShell: true,
        scheme: "sha512",
        crackLimited: true,
        at: "tar@0x0:/etc/shadow:2",
      });
      assert.deepEqual(r.defaults, [
        [
          "pass",
          "Firmware firmware.bin: no account logs in with an empty password or one from the default-credential dictionary (3 accounts analyzed). The dictionary attack stopped at its work limit for operator (sha512), so not every candidate was tried.",
        ],
      ]);
    } finally {
      Object.assign(CRACK_LIMITS, saved);
    }
  });

  it("passes an image without account files, and says nothing of an image it could not read", () => {
    const none = assess(tarImage(writeTree({ "etc/hostname": "cam\n" })));
    assert.deepEqual(none.defaults, [
      ["pass", "Firmware firmware.bin has no account files (/etc/passwd, /etc/shadow) to log in with."],
    ]);
    assert.deepEqual(none.weak, []);
    const junk = join(tmp(), "junk.bin");
    writeFileSync(junk, Buffer.alloc(4096, 0x5a));
    const unread = assess(junk);
    assert.deepEqual([unread.defaults, unread.weak], [[], []]);
  });
});

/** Run the accounts analyzer alone over files held in memory. */
function analyzeFiles(
  files: Record<string, string | Uint8Array>,
): { data: AccountData; location?: string }[] {
  const vfs = new VirtualFS("mem");
  for (const [path, content] of Object.entries(files)) {
    const bytes = typeof content === "string" ? Buffer.from(content) : content;
    vfs.add(path, { type: "file", mode: 0o644, uid: 0, gid: 0, size: bytes.length, read: () => bytes });
  }
  const mounted: MountedFs = { id: "mem", format: "test", layer: "/", fs: vfs };
  const out: { data: AccountData; location?: string }[] = [];
  const stats = walk(mounted, [accountsAnalyzer], (fact) =>
    out.push({ data: fact.data as AccountData, location: fact.location }),
  );
  assert.deepEqual(stats.errors, []);
  return out;
}

describe("accounts analyzer on awkward account files", () => {
  it("reads hashes kept in passwd itself, CRLF line ends, and skips lines that are not accounts", () => {
    const got = analyzeFiles({
      "/etc/passwd": `guest:${H.guestSha256}:1002:1002::/home/guest:\r\n# comment\r\nbroken:x:abc:0::/:/bin/sh\r\ntoo:short\r\n`,
    });
    assert.deepEqual(
      got.map((f) => [brief(f.data), f.location]),
      [
        [
          {
            user: "guest",
            state: "cracked",
            from: "passwd",
            loginShell: true,
            scheme: "sha256",
            password: "guest",
          },
          "/etc/passwd:1",
        ],
      ],
    );
    assert.equal(got[0]!.data.shell, "", "an empty shell field means /bin/sh, so it logs in");
  });

  it("falls back to backups when the live files are missing, and prefers the live passwd", () => {
    const got = analyzeFiles({
      "/etc/passwd-": "root:x:0:0:old root:/root:/bin/sh\nold:x:5:5::/:/bin/sh\n",
      "/etc/passwd": "root:x:0:0:root:/root:/bin/ash\n",
      "/etc/shadow.old": shadowLine("root", H.emptySha512),
    });
    assert.deepEqual(
      got.map((f) => [f.data.user, f.data.shell, f.data.state, f.data.password, f.data.from, f.location]),
      [
        ["root", "/bin/ash", "cracked", "", "shadow.old", "/etc/shadow.old:1"],
        ["old", "/bin/sh", "unknown", undefined, "passwd-", "/etc/passwd-:2"],
      ],
    );
  });

  it("reports hashes it cannot verify by scheme, without cracking them", () => {
    const got = analyzeFiles({
      "/etc/passwd": "a:x:0:0::/:/bin/sh\nb:x:0:0::/:/bin/sh\n",
      "/etc/shadow":
        shadowLine("a", "$gy$j9T$salt$hash") +
        shadowLine("b", "$y$jH/$abcdefgh$woJHzW0Ax0w/.N.Nwkggr0dJG.MnQpwDTi465pKLLQ4"),
    });
    assert.deepEqual(
      got.map((f) => brief(f.data)),
      [
        { user: "a", state: "hash", from: "shadow", loginShell: true, scheme: "gost-yescrypt" },
        { user: "b", state: "hash", from: "shadow", loginShell: true, scheme: "yescrypt" },
      ],
    );
  });

  it("bounds hostile account files: huge, binary and many-line", () => {
    const many = Array.from({ length: 30_000 }, (_, i) => `u${i}:x:${i}:0::/:/bin/false`).join("\n");
    const got = analyzeFiles({
      "/etc/passwd": many,
      "/etc/shadow": Buffer.alloc(5 * 1024 * 1024, 0x3a),
      "/etc/shadow-": Buffer.from([0xff, 0xfe, 0x3a, 0x00, 0x0a, 0x3a, 0x3a]),
    });
    assert.equal(got.length, 10_000, "at most 10,000 accounts per file");
  });

  it("survives a bounded mutation loop over passwd and shadow text", () => {
    Object.assign(CRACK_LIMITS, { perHash: 5, perImage: 10 });
    try {
      const passwd = WEAK_PASSWD;
      const shadow = WEAK_SHADOW;
      let seed = 42;
      const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
      const mutate = (s: string) => {
        const b = Buffer.from(s);
        for (let m = 1 + rnd(6); m > 0; m--)
          b[rnd(b.length)] = [0x3a, 0x0a, 0x24, 0x00, 0x21, rnd(256)][rnd(6)]!;
        return b;
      };
      for (let i = 0; i < 250; i++) {
        const got = analyzeFiles({ "/etc/passwd": mutate(passwd), "/etc/shadow": mutate(shadow) });
        for (const f of got)
          assert.ok(["empty", "locked", "hash", "cracked", "unknown"].includes(f.data.state));
      }
    } finally {
      Object.assign(CRACK_LIMITS, saved);
    }
  });

  it("survives a bounded mutation loop over a whole tar image", () => {
    Object.assign(CRACK_LIMITS, { perHash: 5, perImage: 10 });
    try {
      const good = readFileSync(tarImage(writeTree(WEAK_TREE)));
      const path = join(tmp(), "mutant.tar");
      let seed = 7;
      const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
      for (let i = 0; i < 150; i++) {
        const bytes = Buffer.from(good);
        for (let m = 1 + rnd(8); m > 0; m--) bytes[rnd(bytes.length)] = rnd(256);
        writeFileSync(path, rnd(10) === 0 ? bytes.subarray(0, 1 + rnd(bytes.length)) : bytes);
        try {
          analyzeFirmware(path, { cache: false, analyzers: [accountsAnalyzer], limits: { maxMillis: 5000 } });
        } catch (e) {
          assert.ok(e instanceof FormatError || e instanceof LimitError, String(e));
        }
      }
    } finally {
      Object.assign(CRACK_LIMITS, saved);
    }
  });
});

describe("default-credential dictionary", () => {
  it("loads every row with a source, Mirai's table first", () => {
    const dict = defaultCredentials();
    assert.ok(dict.length >= 60);
    assert.deepEqual(dict[0], {
      user: "root",
      password: "xc3511",
      source:
        "Mirai scanner.c credential table (source leaked October 2016); https://www.stateward.com/vulnerabilities/INFRA-MIRAI-2016",
    });
    assert.ok(
      dict.every((c) => /https?:\/\//.test(c.source)),
      "every pair names where it is documented",
    );
    assert.equal(
      new Set(dict.map((c) => `${c.user}\0${c.password}`)).size,
      dict.length,
      "no duplicate pairs",
    );
    assert.ok(dict.some((c) => c.user === "pi" && c.password === "raspberry"));
  });

  it("tries the user's own pairs first, then the rest, then the user name and empty-ish variants", () => {
    const list = candidates("root", defaultCredentials());
    assert.deepEqual(list.slice(0, 6), ["xc3511", "vizxv", "admin", "888888", "xmhdipc", "default"]);
    assert.deepEqual(list.slice(-4), [" ", "root1", "root123", "root1234"]);
    assert.equal(new Set(list).size, list.length);
    assert.deepEqual(candidates("zed", []), ["zed", "", " ", "zed1", "zed123", "zed1234"]);
  });

  it("parses quoted CSV fields and rejects rows without a source", () => {
    assert.deepEqual(parseCredentials('user,password,source\nadmin,"a,""b""",manual p.3\n'), [
      { user: "admin", password: 'a,"b"', source: "manual p.3" },
    ]);
    assert.throws(
      () => parseCredentials("user,password,source\nadmin,admin,\n"),
      /default-credentials.csv:2: expected/,
    );
    assert.throws(() => parseCredentials("name,pw\n"), /header must be user,password,source/);
  });

  it("stops at its budget and says so", () => {
    const r = crackHash(H.strongSha512, "operator", { perHash: 30 });
    assert.deepEqual(r, { password: undefined, attempts: 3, limited: true });
    const budget = { remaining: 5 };
    assert.deepEqual(crackHash(H.strongSha512, "operator", { budget }), {
      password: undefined,
      attempts: 0,
      limited: true,
    });
    assert.equal(budget.remaining, 5);
    // A hostile round count gets no attempt at all, with or without a budget.
    assert.deepEqual(crackHash(`$6$rounds=999999999$salt$${"a".repeat(86)}`, "root"), {
      password: undefined,
      attempts: 0,
      limited: true,
    });
    assert.deepEqual(crackHash("$gy$x", "a"), {
      attempts: 0,
      limited: false,
      unsupported: "no verifier for gost-yescrypt hashes",
    });
  });
});
