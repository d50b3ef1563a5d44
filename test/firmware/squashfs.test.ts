// The native SquashFS 4.0 reader on images built by mksquashfs: every compressor, every inode
// type, fragments, sparse blocks, hard links, xattrs and ids; carving between other payloads; and
// hostile images (truncated, corrupted, looping, mutated) that must end in a note, never a hang.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Budget, DEFAULT_LIMITS, LimitError } from "../../src/collect/firmware/limits.js";
import { bufferSource, FormatError, u16le, u64le } from "../../src/collect/firmware/source.js";
import { unpack, type UnpackResult } from "../../src/collect/firmware/unpack.js";
import type { VirtualFS } from "../../src/collect/firmware/vfs.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";

/** Run with no external extractor on PATH, to see the native reader's own message. */
function withoutTools<T>(fn: () => T): T {
  const path = process.env.PATH;
  process.env.PATH = mkdtempSync(join(tmpdir(), "concord-empty-path-"));
  try {
    return fn();
  } finally {
    process.env.PATH = path;
  }
}
import {
  compress,
  cpioImage,
  run,
  squashfsImage,
  tmp,
  vendorImage,
  writeTree,
  type Tree,
} from "../helpers/fwimage.js";

/** mulberry32: a small deterministic PRNG, so every run builds and mutates the same bytes. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function randomBytes(n: number, seed: number): Buffer {
  const next = prng(seed);
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(next() * 256);
  return b;
}

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

// Three full blocks (the middle one all zeros, which mksquashfs stores as a sparse block) and a
// tail that lands in a fragment.
const BIG = Buffer.concat([
  randomBytes(131072, 1),
  Buffer.alloc(131072),
  randomBytes(131072, 2),
  Buffer.from("tail ".repeat(1000)),
]);
const PAGES = 600; // > 256 entries per run and > 8 KiB of listing: an extended dir with an index

const TREE: Tree = {
  "etc/passwd": "root:x:0:0:root:/root:/bin/sh\n",
  "etc/empty": "",
  "etc/localtime": { symlink: "/usr/share/zoneinfo/UTC" },
  "usr/lib/deep/nested/x.conf": "key=value\n",
  "bin/busybox": { content: BIG, mode: 0o755 },
  "bin/sh": { symlink: "busybox" },
  "bin/ash": { hardlink: "bin/busybox" },
  "var/empty": { dir: true },
  dev: { dir: true },
};
for (let i = 0; i < PAGES; i++) TREE[`www/page-${String(i).padStart(3, "0")}.html`] = `<p>page ${i}</p>\n`;

const PSEUDO = [
  "dev/console c 600 0 0 5 1",
  "dev/sda1 b 660 0 6 8 1",
  "dev/initctl i 600 0 0 f",
  "dev/log i 666 0 0 s",
  "etc/passwd M 1600000000 644 0 0",
].join("\n");

const XATTRS: Record<string, Record<string, Buffer>> = {
  "etc/passwd": { "user.comment": Buffer.from("accounts") },
  "bin/busybox": { "user.blob": Buffer.from([1, 0, 0xff, 0x7f]) },
  // The same long value twice: mksquashfs may store it once and reference it ("out of line").
  "www/page-000.html": { "user.long": Buffer.from("L".repeat(300)) },
  "www/page-001.html": { "user.long": Buffer.from("L".repeat(300)) },
  usr: { "user.dir": Buffer.from("on a directory") },
};

/** Set xattrs with python (Node has no setxattr); false when the host cannot. */
function setXattrs(root: string): boolean {
  const script = Object.entries(XATTRS)
    .flatMap(([p, attrs]) =>
      Object.entries(attrs).map(
        ([k, v]) =>
          `os.setxattr(${JSON.stringify(join(root, p))}, ${JSON.stringify(k)}, bytes.fromhex("${v.toString("hex")}"))`,
      ),
    )
    .join("\n");
  const r = spawnSync("python3", ["-c", `import os\n${script}`]);
  return r.status === 0;
}

function buildRoot(): { root: string; pseudo: string; xattrs: boolean } {
  const root = writeTree(TREE);
  const pseudo = join(tmp(), "pseudo.txt");
  writeFileSync(pseudo, `${PSEUDO}\n`);
  return { root, pseudo, xattrs: setXattrs(root) };
}

const BUILT = buildRoot();

const load = (bytes: Uint8Array, budget?: Budget) => unpack(bufferSource("firmware.bin", bytes), { budget });
const loadFile = (p: string) => load(readFileSync(p));

function readAllFiles(fs: VirtualFS): number {
  let n = 0;
  for (const e of fs.list())
    if (e.type === "file" && e.read) {
      try {
        n += e.read().length;
      } catch (err) {
        if (!(err instanceof FormatError) && !(err instanceof LimitError)) throw err;
      }
    }
  return n;
}

function assertTree(r: UnpackResult, comp: string, xattrs: boolean, blockSize = 131072): void {
  assert.deepEqual(r.problems, []);
  assert.equal(r.filesystems.length, 1);
  const layer = r.layers[0]!;
  assert.equal(layer.format, "squashfs");
  assert.equal(layer.detail?.compression, comp);
  assert.equal(layer.detail?.blockSize, blockSize);
  const fs = r.filesystems[0]!.fs;
  const shape = fs
    .list()
    .filter((e) => !e.path.startsWith("/www/"))
    .map((e) => `${e.path} ${e.type}${e.linkTarget !== undefined ? ` -> ${e.linkTarget}` : ""}`);
  assert.deepEqual(shape, [
    "/ dir",
    "/bin dir",
    "/bin/ash file",
    "/bin/busybox hardlink -> /bin/ash",
    "/bin/sh symlink -> busybox",
    "/dev dir",
    "/dev/console char",
    "/dev/initctl fifo",
    "/dev/log socket",
    "/dev/sda1 block",
    "/etc dir",
    "/etc/empty file",
    "/etc/localtime symlink -> /usr/share/zoneinfo/UTC",
    "/etc/passwd file",
    "/usr dir",
    "/usr/lib dir",
    "/usr/lib/deep dir",
    "/usr/lib/deep/nested dir",
    "/usr/lib/deep/nested/x.conf file",
    "/var dir",
    "/var/empty dir",
    "/www dir",
  ]);
  assert.equal(fs.readText("/etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
  assert.equal(fs.get("/etc/passwd")?.mtime, 1600000000);
  assert.equal(fs.get("/etc/passwd")?.mode, 0o644);
  assert.equal(fs.readText("/etc/empty"), "");
  assert.equal(fs.get("/etc/empty")?.size, 0);
  assert.equal(fs.readText("/usr/lib/deep/nested/x.conf"), "key=value\n");
  const ash = fs.get("/bin/ash")!;
  assert.equal(ash.size, BIG.length);
  assert.equal(ash.mode, 0o755);
  assert.equal(sha256(ash.read!()), sha256(BIG));
  assert.equal(sha256(fs.readFile("/bin/busybox")!), sha256(BIG), "the hard link reads the same bytes");
  assert.equal(sha256(fs.readFile("/bin/sh")!), sha256(BIG), "the symlink resolves");
  assert.deepEqual(fs.get("/dev/console")?.device, { major: 5, minor: 1 });
  assert.equal(fs.get("/dev/console")?.mode, 0o600);
  assert.deepEqual(fs.get("/dev/sda1")?.device, { major: 8, minor: 1 });
  assert.equal(fs.get("/dev/sda1")?.mode, 0o660);
  assert.equal(fs.get("/dev/log")?.mode, 0o666);
  assert.deepEqual(fs.children("/var/empty"), []);
  const pages = fs.children("/www");
  assert.equal(pages.length, PAGES);
  for (let i = 0; i < PAGES; i++)
    assert.equal(fs.readText(`/www/page-${String(i).padStart(3, "0")}.html`), `<p>page ${i}</p>\n`);
  for (const e of fs.list()) assert.deepEqual([e.uid, e.gid], [0, 0], `${e.path} is root's (-all-root)`);
  if (xattrs) {
    assert.deepEqual(fs.get("/etc/passwd")?.xattrs, { "user.comment": "accounts" });
    assert.deepEqual(fs.get("/bin/ash")?.xattrs, { "user.blob": "0x0100ff7f" });
    assert.deepEqual(fs.get("/www/page-000.html")?.xattrs, { "user.long": "L".repeat(300) });
    assert.deepEqual(fs.get("/www/page-001.html")?.xattrs, { "user.long": "L".repeat(300) });
    assert.deepEqual(fs.get("/usr")?.xattrs, { "user.dir": "on a directory" });
    assert.equal(fs.get("/www/page-002.html")?.xattrs, undefined);
  }
}

describe("squashfs", () => {
  for (const comp of ["gzip", "xz", "lzma", "lzo", "zstd"] as const)
    it(`reads every entry type, exact contents and metadata (${comp})`, (t) => {
      if (!BUILT.xattrs) t.diagnostic("python3 os.setxattr unavailable here: xattrs not checked");
      // -always-use-fragments puts the big file's tail in a fragment instead of a short block.
      const image = squashfsImage(BUILT.root, comp, undefined, [
        "-pf",
        BUILT.pseudo,
        "-always-use-fragments",
      ]);
      const r = loadFile(image);
      assertTree(r, comp, BUILT.xattrs);
      assert.equal(r.layers[0]!.length, readFileSync(image).length, "consumed includes the 4K padding");
    });

  it("reads an image with nothing compressed and one without fragments", () => {
    for (const extra of [
      ["-noI", "-noD", "-noF", "-noX"],
      ["-no-fragments", "-b", "4096"],
    ]) {
      const image = squashfsImage(BUILT.root, "gzip", undefined, ["-pf", BUILT.pseudo, ...extra]);
      const r = loadFile(image);
      assertTree(r, "gzip", BUILT.xattrs, extra.includes("-b") ? 4096 : 131072);
    }
  });

  it("reports lz4 as unsupported and names unsquashfs, at the start or inside an image", () => {
    const image = squashfsImage(writeTree({ a: "x" }), "lz4");
    // Without any external extractor on PATH (with one, test/firmware/external.test.ts applies).
    const alone = withoutTools(() => loadFile(image));
    assert.equal(alone.filesystems.length, 0);
    assert.deepEqual(alone.problems, [
      "firmware.bin squashfs@0x0: lz4-compressed squashfs cannot be read natively (no lz4 decoder); extract it with the external tool unsquashfs (squashfs-tools)",
    ]);
    const inside = withoutTools(() => loadFile(vendorImage([image])));
    assert.match(inside.problems.join("\n"), /squashfs@0x10000: lz4-compressed .* unsquashfs/);
  });

  it("reads uid and gid through the id table", () => {
    const root = writeTree({ "etc/shadow": "root:*:1::::::\n", "home/user": { dir: true } });
    const pf = join(tmp(), "ids.txt");
    writeFileSync(
      pf,
      [
        "etc/shadow m 640 0 42",
        "home/user m 700 1000 1000",
        "dev d 755 0 0",
        "dev/ttyS0 c 620 0 5 4 64",
        "run d 755 0 0",
        "run/fifo i 600 33 44 f",
      ]
        .map((l) => `${l}\n`)
        .join(""),
    );
    const out = join(tmp(), "ids.sqfs");
    run("mksquashfs", [root, out, "-noappend", "-quiet", "-no-progress", "-pf", pf]);
    const r = loadFile(out);
    assert.deepEqual(r.problems, []);
    const fs = r.filesystems[0]!.fs;
    const ids = (p: string) => {
      const e = fs.get(p)!;
      return [e.uid, e.gid, e.mode.toString(8)];
    };
    assert.deepEqual(ids("/etc/shadow"), [0, 42, "640"]);
    assert.deepEqual(ids("/home/user"), [1000, 1000, "700"]);
    assert.deepEqual(ids("/dev/ttyS0"), [0, 5, "620"]);
    assert.deepEqual(fs.get("/dev/ttyS0")?.device, { major: 4, minor: 64 });
    assert.deepEqual(ids("/run/fifo"), [33, 44, "600"]);
    assert.equal(fs.readText("/etc/shadow"), "root:*:1::::::\n");
  });

  it("carves a squashfs behind a vendor header and finds the payload right after it", () => {
    const sqfs = squashfsImage(writeTree({ "etc/version": "4.2.0\n" }), "gzip", undefined, ["-nopad"]);
    const size = readFileSync(sqfs).length;
    const next = compress(cpioImage(writeTree({ "etc/passwd": "admin:x:0:0::/:/bin/sh\n" })), "gzip");
    const r = loadFile(vendorImage([sqfs, next], undefined, 1));
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.layers.map((l) => `${l.format}@${l.offset}+${l.length}`),
      [
        `squashfs@64+${size}`,
        `gzip@${64 + size}+${readFileSync(next).length}`,
        `cpio@0+${r.layers[2]!.length}`,
      ],
    );
    assert.equal(r.filesystems[0]!.fs.readText("/etc/version"), "4.2.0\n");
    assert.equal(r.filesystems[1]!.fs.readText("/etc/passwd"), "admin:x:0:0::/:/bin/sh\n");
  });

  it("names the big-endian vendor variant, squashfs 3, and the tools that read them", () => {
    const original = readFileSync(squashfsImage(writeTree({ a: "x" }), "gzip"));
    const big = Buffer.from(original);
    big.write("sqsh", 0, "latin1");
    big.writeUInt16BE(4, 28);
    big.writeUInt16BE(0, 30);
    big.writeUInt32BE(131072, 12);
    big.writeUInt16BE(17, 22);
    assert.deepEqual(withoutTools(() => load(big)).problems, [
      "firmware.bin squashfs@0x0: big-endian squashfs 4.0 (a vendor variant) is not supported natively; extract it with the external unsquashfs (squashfs-tools) or sasquatch for vendor variants",
    ]);
    // Squashfs 3.x keeps its block log at 34; behind a header, the note still names the offset.
    const old = Buffer.from(original);
    old.writeUInt16LE(3, 28);
    old.writeUInt16LE(1, 30);
    old.writeUInt16LE(17, 34);
    assert.deepEqual(withoutTools(() => load(Buffer.concat([Buffer.alloc(0x200, 0xff), old]))).problems, [
      "firmware.bin squashfs@0x200: squashfs 3.1 is not supported natively (only 4.0); extract it with the external unsquashfs (squashfs-tools) or sasquatch for vendor variants",
    ]);
  });
});

/** A small image for the hostile cases: fast to unpack hundreds of times. */
function smallImage(extra: string[] = []): Buffer {
  const tree: Tree = {
    "top/mid/loopdir/inner": "inner\n",
    "top/aa1": "one\n",
    "top/aa2": "two\n",
    "bin/big": { content: randomBytes(140000, 3) },
    "etc/passwd": "root:x:0:0::/root:/bin/sh\n",
    "bin/sh": { symlink: "big" },
  };
  return readFileSync(squashfsImage(writeTree(tree), "gzip", undefined, extra));
}

/** Position of a directory entry named `name` in an uncompressed (-noI) image's directory table. */
function entryOf(img: Buffer, name: string): number {
  const dirTable = u64le(img, 72);
  const at = img.indexOf(Buffer.from(name, "latin1"), dirTable);
  assert.ok(at > 0 && u16le(img, at - 2) + 1 === name.length, `entry ${name} found`);
  return at - 8;
}

describe("squashfs on hostile input", () => {
  it("reports a truncated image, at the start and behind a header", () => {
    const img = smallImage();
    const r = load(img.subarray(0, Math.floor(img.length * 0.6)));
    assert.equal(r.filesystems.length, 0);
    assert.match(
      r.problems.join("\n"),
      /squashfs@0x0: .* beyond the image \(\d+ bytes, truncated from \d+\)/,
    );
    const header = Buffer.from("ACME-FW\0".padEnd(64, "\0"), "latin1");
    const inside = load(Buffer.concat([header, img.subarray(0, img.length - 5000)]));
    assert.match(inside.problems.join("\n"), /squashfs@0x40: .*beyond the image/);
  });

  it("reports a root inode that is not a directory, and a corrupt compressed inode table", () => {
    const plain = smallImage(["-noI"]);
    const inodeTable = u64le(plain, 64);
    const rootRef = u64le(plain, 32);
    // -noI: blocks are stored raw behind a 2-byte header, so the root inode sits at a known place.
    const rootAt = inodeTable + Math.floor(rootRef / 65536) + 2 + (rootRef % 65536);
    const bad = Buffer.from(plain);
    bad.writeUInt16LE(2, rootAt);
    assert.deepEqual(load(bad).problems, [
      "firmware.bin squashfs@0x0: the root inode is a file, not a directory",
    ]);

    const packed = smallImage();
    const flipped = Buffer.from(packed);
    const start = u64le(packed, 64);
    flipped[start + 40] = flipped[start + 40]! ^ 0xff;
    const r = load(flipped);
    assert.ok(r.problems.length > 0, "the corruption is reported");
    assert.ok(!r.problems.some((p) => /unreadable \(/.test(p)), r.problems.join("\n"));
  });

  it("does not follow a directory entry patched to point at its ancestor", () => {
    const img = Buffer.from(smallImage(["-noI"]));
    const top = entryOf(img, "top");
    const loop = entryOf(img, "loopdir");
    // All inodes of this small image live in inode block 0, so the offset alone moves the entry.
    img.writeUInt16LE(u16le(img, top), loop);
    img.writeUInt16LE(1, loop + 4);
    const r = load(img);
    assert.deepEqual(r.problems, [
      "firmware.bin squashfs@0x0: /top/mid/loopdir points back at directory /top (a loop); not followed",
    ]);
    const fs = r.filesystems[0]!.fs;
    assert.equal(fs.get("/top/mid/loopdir"), undefined);
    assert.equal(fs.readText("/top/aa1"), "one\n");
  });

  it("skips entries whose inode lies outside the inode table", () => {
    const img = Buffer.from(smallImage(["-noI"]));
    // The run header (count, inode block, base number) sits just before the run's first entry.
    img.writeUInt32LE(0x100000, entryOf(img, "aa1") - 12 + 4);
    const r = load(img);
    const past = (u64le(img, 64) + 0x100000).toString(16);
    assert.deepEqual(
      r.problems,
      ["aa1", "aa2", "mid"].map(
        (n) =>
          `firmware.bin squashfs@0x0: inode table runs past its end (0x${past}) (the inode of /top/${n}); skipped`,
      ),
    );
    assert.equal(r.filesystems[0]!.fs.readText("/etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
  });

  it("keeps the first of two entries with the same name", () => {
    const img = Buffer.from(smallImage(["-noI"]));
    img.write("aa1", entryOf(img, "aa2") + 8, "latin1");
    const r = load(img);
    assert.deepEqual(r.problems, [
      "firmware.bin squashfs@0x0: /top/aa1 appears twice in its directory; the first is kept",
    ]);
    assert.equal(r.filesystems[0]!.fs.readText("/top/aa1"), "one\n");
  });

  it("survives an absurd fragment count and keeps the files that need no fragment", () => {
    const img = Buffer.from(smallImage(["-noI"]));
    img.writeUInt32LE(0xffffffff, 16);
    const r = load(img);
    assert.match(r.problems[0] ?? "", /fragment table index at 0x[0-9a-f]+ \(\+\d+\) is beyond the image/);
    const fs = r.filesystems[0]!.fs;
    assert.equal(fs.get("/bin/big")?.size, 140000);
    assert.throws(() => fs.readText("/etc/passwd"), /no fragment table/);
    assert.equal(fs.get("/bin/sh")?.linkTarget, "big");
  });

  it("keeps the part of the tree read before the file limit", () => {
    const budget = new Budget({ ...DEFAULT_LIMITS, maxFiles: 4 });
    const r = load(smallImage(), budget);
    assert.deepEqual(r.problems, ["firmware.bin squashfs@0x0: more than 4 files; the tree is partial"]);
    const fs = r.filesystems[0]!.fs;
    assert.deepEqual(
      fs.list().map((e) => e.path),
      ["/", "/bin", "/bin/big", "/bin/sh", "/etc"],
    );
    assert.equal(fs.get("/bin/big")?.size, 140000);
  });

  it("survives hundreds of mutations without crashing or hanging", () => {
    const seeds = [smallImage(), smallImage(["-noI"])];
    const next = prng(42);
    const started = Date.now();
    for (let i = 0; i < 400; i++) {
      const base = seeds[i % 2]!;
      const img = Buffer.from(base);
      const inodeTable = u64le(base, 64);
      const flips = 1 + Math.floor(next() * 8);
      for (let f = 0; f < flips; f++) {
        // Aim mostly at the tables (where the structure is), sometimes anywhere, the superblock too.
        const anywhere = next() < 0.3;
        const from = anywhere ? 0 : inodeTable;
        const at = from + Math.floor(next() * (img.length - from));
        img[at] = Math.floor(next() * 256);
      }
      const cut = next() < 0.1 ? Math.floor(next() * img.length) : img.length;
      const t0 = Date.now();
      const budget = new Budget({ ...DEFAULT_LIMITS, maxTotalBytes: 64 * 1024 * 1024, maxMillis: 5000 });
      const r = load(img.subarray(0, cut), budget);
      assert.ok(!r.problems.some((p) => /unreadable \(/.test(p)), `mutation ${i}: ${r.problems.join("\n")}`);
      for (const m of r.filesystems) readAllFiles(m.fs);
      assert.ok(Date.now() - t0 < 2000, `mutation ${i} took ${Date.now() - t0} ms`);
    }
    assert.ok(Date.now() - started < 15000);
  });
});

/** ~`total` bytes of text-like files (compressible about 3:1, like a real root filesystem). */
function bulkTree(total: number): Tree {
  const next = prng(7);
  const words = Array.from({ length: 2000 }, () =>
    Array.from({ length: 2 + Math.floor(next() * 8) }, () =>
      String.fromCharCode(97 + Math.floor(next() * 26)),
    ).join(""),
  );
  const tree: Tree = {};
  let made = 0;
  for (let f = 0; made < total; f++) {
    const size = f % 10 === 0 ? 2_000_000 : 2000 + Math.floor(next() * 300_000);
    const parts: string[] = [];
    let n = 0;
    while (n < size) {
      const w = words[Math.floor(next() * words.length)]!;
      parts.push(w);
      n += w.length + 1;
    }
    tree[`d${f % 17}/sub${f % 5}/file${f}.txt`] = parts.join(" ");
    made += n;
  }
  return tree;
}

// 50 MB makes the comparison meaningful but takes tens of seconds with xz on a busy machine, so
// the default run measures a smaller image; CONCORD_BENCH=1 measures the full size.
const BENCH_MB = process.env.CONCORD_BENCH ? 50 : 8;

describe("squashfs speed", () => {
  it(`unpacks and reads every file of a ~${BENCH_MB} MB image (printed next to unsquashfs -d)`, (t) => {
    const root = writeTree(bulkTree(BENCH_MB * 1024 * 1024));
    for (const comp of ["gzip", "xz"] as const) {
      const image = squashfsImage(root, comp);
      const bytes = readFileSync(image);
      const t0 = process.hrtime.bigint();
      const r = load(bytes);
      const read = r.filesystems.reduce((n, m) => n + readAllFiles(m.fs), 0);
      const ours = Number(process.hrtime.bigint() - t0) / 1e6;
      assert.deepEqual(r.problems, []);
      assert.ok(read >= BENCH_MB * 1024 * 1024, "every byte was read");
      const out = join(tmp(), "out");
      const t1 = process.hrtime.bigint();
      run("unsquashfs", ["-q", "-n", "-d", out, image]);
      const theirs = Number(process.hrtime.bigint() - t1) / 1e6;
      t.diagnostic(
        `${comp}: ${(bytes.length / 2 ** 20).toFixed(1)} MiB image, ${(read / 2 ** 20).toFixed(1)} MiB of files: ` +
          `concord ${ours.toFixed(0)} ms, unsquashfs -d ${theirs.toFixed(0)} ms`,
      );
    }
  });
});
