// Formats read through optional external extractors, and the small ones read natively beside
// them: squashfs variants through unsquashfs (and the exact message without it), CramFS natively,
// the UBI volume table natively with UBIFS handed to ubi_reader (a stand-in script here: Debian
// does not ship it), YAFFS2 through unyaffs; the sandbox that bounds a tool's time, bytes, files
// and output; and hostile images (truncated, corrupted, mutated) that end in a note, never a crash.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { cramfsFormat } from "../../src/collect/firmware/formats/external/cramfs.js";
import { extractionDirs, removeExtractions } from "../../src/collect/firmware/formats/external/sandbox.js";
import { findOnPath } from "../../src/collect/firmware/formats/external/tools.js";
import { squashfsFormat } from "../../src/collect/firmware/formats/squashfs/index.js";
import { Budget, DEFAULT_LIMITS, LimitError, type LimitSettings } from "../../src/collect/firmware/limits.js";
import { bufferSource, FormatError } from "../../src/collect/firmware/source.js";
import { unpack, type UnpackResult } from "../../src/collect/firmware/unpack.js";
import type { VirtualFS } from "../../src/collect/firmware/vfs.js";
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

after(() => removeExtractions());

const load = (bytes: Uint8Array, limits: Partial<LimitSettings> = {}): UnpackResult =>
  unpack(bufferSource("firmware.bin", bytes), { budget: new Budget({ ...DEFAULT_LIMITS, ...limits }) });
const loadFile = (path: string, limits: Partial<LimitSettings> = {}) => load(readFileSync(path), limits);

/** Run `fn` with PATH set to `path` (an empty directory: no external tool at all). */
function withPath<T>(path: string, fn: () => T): T {
  const saved = process.env.PATH;
  process.env.PATH = path;
  try {
    return fn();
  } finally {
    process.env.PATH = saved;
  }
}
const EMPTY_PATH = tmp("concord-nopath-");
const noTools = <T>(fn: () => T) => withPath(EMPTY_PATH, fn);

/** A system tool, also where PATH lacks the sbin directories; a missing one names its package. */
function sbin(tool: string, pkg: string): string {
  const found =
    findOnPath(tool) ?? ["/usr/sbin", "/sbin"].map((d) => join(d, tool)).find((p) => existsSync(p));
  if (!found) throw new Error(`${tool} is not available: apt-get install ${pkg}`);
  return found;
}

/** mulberry32: a deterministic PRNG so every run mutates the same bytes. */
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

function pseudoRandom(n: number, seed: number): Buffer {
  const next = prng(seed);
  return Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256)));
}

/** Every entry as "path type mode [-> target]", and every file's content read (as text). */
function listing(fs: VirtualFS): string[] {
  return fs
    .list()
    .map(
      (e) =>
        `${e.path} ${e.type} ${e.mode.toString(8)}${e.linkTarget !== undefined ? ` -> ${e.linkTarget}` : ""}`,
    );
}

/**
 * Unpack mutated copies of `image` and read every file: only FormatError and LimitError may
 * come out, no format may fail with anything else (the engine notes that as "unreadable"), and
 * each run stays within a few seconds.
 */
function mutationLoop(image: Buffer, seed: number, iterations: number, hot: number[] = []): void {
  const next = prng(seed);
  const started = Date.now();
  for (let i = 0; i < iterations; i++) {
    const bytes = Buffer.from(image);
    const flips = 1 + Math.floor(next() * 6);
    for (let f = 0; f < flips; f++) {
      // Half the flips land in the headers and tables, where parsers decide things.
      const at =
        hot.length && next() < 0.5
          ? hot[Math.floor(next() * hot.length)]! + Math.floor(next() * 64)
          : Math.floor(next() * bytes.length);
      bytes[Math.min(at, bytes.length - 1)] = Math.floor(next() * 256);
    }
    const cut = next() < 0.15 ? Math.floor(next() * bytes.length) : bytes.length;
    const one = Date.now();
    const r = load(bytes.subarray(0, cut), { maxMillis: 10_000, maxTotalBytes: 64 * 1024 * 1024 });
    for (const p of r.problems) assert.doesNotMatch(p, /unreadable \(/, `iteration ${i}: ${p}`);
    for (const m of r.filesystems)
      for (const e of m.fs.list())
        if (e.read)
          try {
            e.read();
          } catch (err) {
            assert.ok(
              err instanceof FormatError || err instanceof LimitError,
              `iteration ${i}: ${String(err)}`,
            );
          }
    assert.ok(Date.now() - one < 5000, `iteration ${i} took ${Date.now() - one} ms`);
  }
  assert.ok(Date.now() - started < 15_000);
}

const TREE: Tree = {
  "etc/passwd": "root:x:0:0:root:/root:/bin/sh\n",
  "etc/shadow": { content: "root:$1$abc$xyz:19000:0:99999:7:::\n", mode: 0o600 },
  "etc/init.d/rcS": { content: "#!/bin/sh\ntelnetd -l /bin/sh\n", mode: 0o755 },
  "bin/busybox": { content: pseudoRandom(20000, 7), mode: 0o4755 },
  "bin/sh": { symlink: "busybox" },
  "bin/ash": { hardlink: "bin/busybox" },
  "etc/localtime": { symlink: "/usr/share/zoneinfo/UTC" },
  "var/empty": { dir: true },
  "usr/lib/empty.so": "",
};
const BUSYBOX = pseudoRandom(20000, 7);

function assertTree(fs: VirtualFS): void {
  assert.equal(fs.readText("/etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
  assert.equal(fs.readText("/etc/shadow"), "root:$1$abc$xyz:19000:0:99999:7:::\n");
  assert.equal(fs.get("/etc/shadow")?.mode, 0o600);
  assert.equal(fs.readText("/etc/init.d/rcS"), "#!/bin/sh\ntelnetd -l /bin/sh\n");
  assert.deepEqual(Buffer.from(fs.readFile("/bin/busybox")!), BUSYBOX);
  assert.deepEqual(Buffer.from(fs.readFile("/bin/ash")!), BUSYBOX);
  assert.equal(fs.get("/bin/sh")?.type, "symlink");
  assert.equal(fs.get("/bin/sh")?.linkTarget, "busybox");
  assert.deepEqual(Buffer.from(fs.readFile("/bin/sh")!), BUSYBOX);
  assert.equal(fs.get("/etc/localtime")?.linkTarget, "/usr/share/zoneinfo/UTC");
  assert.equal(fs.get("/var/empty")?.type, "dir");
  assert.equal(fs.readText("/usr/lib/empty.so"), "");
}

// unsquashfs -version exits with status 1, so read its output directly.
const unsquashfsVersion = () =>
  /version (\S+)/.exec(spawnSync("unsquashfs", ["-version"]).stdout.toString())![1]!;

describe("squashfs variants through unsquashfs", () => {
  const lz4 = squashfsImage(writeTree(TREE), "lz4");
  const LZ4_MESSAGE =
    "firmware.bin squashfs@0x0: lz4-compressed squashfs cannot be read natively (no lz4 decoder); extract it with the external tool unsquashfs (squashfs-tools)";

  it("extracts lz4 squashfs with unsquashfs when it is installed, and records which version did", () => {
    const r = loadFile(lz4);
    assert.deepEqual(r.problems, []);
    assert.equal(r.filesystems.length, 1);
    assert.equal(r.filesystems[0]!.id, "squashfs@0x0");
    assertTree(r.filesystems[0]!.fs);
    const hard = ["/bin/ash", "/bin/busybox"].map((p) => r.filesystems[0]!.fs.get(p)!);
    assert.equal(hard.filter((e) => e.type === "hardlink").length, 1, "one of the two names is the link");
    assert.equal(r.filesystems[0]!.fs.resolve("/bin/busybox")?.mode, 0o4755);
    assert.equal(r.layers[0]!.length, readFileSync(lz4).length);
    assert.deepEqual(r.layers[0]!.detail, {
      version: "4.0",
      endian: "little",
      compression: "lz4",
      bytesUsed: readFileSync(lz4).readUInt32LE(40),
      extractedBy: { tool: "unsquashfs", version: unsquashfsVersion(), package: "squashfs-tools" },
    });
    assert.match(
      squashfsFormat.version,
      new RegExp(`^1\\+unsquashfs-${unsquashfsVersion().replace(/\./g, "\\.")}`),
    );
  });

  it("without unsquashfs on PATH, says to install squashfs-tools, exactly as before", () => {
    const r = noTools(() => loadFile(lz4));
    assert.equal(r.filesystems.length, 0);
    assert.deepEqual(r.problems, [LZ4_MESSAGE]);
    assert.equal(
      noTools(() => squashfsFormat.version),
      "1",
    );
  });

  it("finds an lz4 squashfs behind a vendor header and the payload right after it", () => {
    const sqfs = squashfsImage(writeTree({ "etc/version": "4.2.0\n" }), "lz4", undefined, ["-nopad"]);
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

  it("names every tool it tried when none can read a squashfs 3 header", () => {
    const old = Buffer.from(readFileSync(squashfsImage(writeTree({ a: "x" }), "gzip")));
    old.writeUInt16LE(3, 28);
    old.writeUInt16LE(1, 30);
    old.writeUInt16LE(17, 34);
    const r = load(old);
    assert.equal(r.filesystems.length, 0);
    assert.equal(r.problems.length, 1);
    const [problem] = r.problems as [string];
    assert.ok(
      problem.startsWith(
        "firmware.bin squashfs@0x0: squashfs 3.1 is not supported natively (only 4.0); extract it with the external unsquashfs (squashfs-tools) or sasquatch for vendor variants; " +
          `unsquashfs ${unsquashfsVersion()} (squashfs-tools) could not extract it: `,
      ),
      problem,
    );
    for (const [tool, pkg] of [
      ["7zz", "7zip"],
      ["7z", "p7zip-full"],
    ] as const)
      if (findOnPath(tool))
        assert.match(problem, new RegExp(`; ${tool} [0-9.]+ \\(${pkg}\\) could not extract it: `));
    assert.doesNotMatch(problem, /concord-extract-/, "the private directory's name stays out of messages");
  });
});

/** mkfs.cramfs (util-linux) on a tree; extra options such as -N big or -p. */
function cramfsImage(tree: Tree, extra: string[] = [], prepare?: (root: string) => void): Buffer {
  const root = writeTree(tree);
  prepare?.(root);
  const out = join(tmp(), "rootfs.cramfs");
  run(sbin("mkfs.cramfs", "util-linux"), [...extra, "-n", "camera-root", root, out]);
  return readFileSync(out);
}

describe("cramfs, read natively", () => {
  const isRoot = process.getuid?.() === 0;
  const owned = (root: string) => {
    // Owners and device nodes need root to create; cramfs keeps 16 bits of uid and 8 of gid.
    if (!isRoot) return;
    chownSync(join(root, "etc/shadow"), 1000, 0x1234);
    run("mknod", [join(root, "dev-ttyS0"), "c", "4", "64"]);
    run("mkfifo", [join(root, "run-fifo")]);
  };
  const little = cramfsImage(TREE, [], owned);

  it("reads a little-endian image: contents, modes, links, owners and devices", () => {
    const r = noTools(() => load(little));
    assert.deepEqual(r.problems, []);
    assert.equal(r.filesystems[0]!.id, "cramfs@0x0");
    const fs = r.filesystems[0]!.fs;
    assertTree(fs);
    assert.equal(fs.get("/bin/busybox")?.mode, 0o4755);
    if (isRoot) {
      assert.deepEqual([fs.get("/etc/shadow")?.uid, fs.get("/etc/shadow")?.gid], [1000, 0x34]);
      assert.deepEqual(fs.get("/dev-ttyS0")?.device, { major: 4, minor: 64 });
      assert.equal(fs.get("/dev-ttyS0")?.type, "char");
      assert.equal(fs.get("/run-fifo")?.type, "fifo");
    }
    assert.equal(r.layers[0]!.length, little.length);
    const detail = r.layers[0]!.detail!;
    assert.deepEqual(
      { ...detail, blocks: undefined, files: undefined },
      {
        endian: "little",
        size: little.length,
        blockSize: 4096,
        edition: 0,
        blocks: undefined,
        files: undefined,
        name: "camera-root",
        flags: ["fsid-v2", "sorted-dirs"],
        crc: "ok",
      },
    );
    assert.equal(detail.files, little.readUInt32LE(44));
  });

  it("reads a big-endian image with 512 bytes of boot padding", () => {
    const big = cramfsImage(TREE, ["-N", "big", "-p"]);
    assert.equal(big.readUInt32BE(512), 0x28cd3d45);
    const r = load(big);
    assert.deepEqual(r.problems, []);
    assert.equal(r.filesystems[0]!.id, "cramfs@0x200");
    assertTree(r.filesystems[0]!.fs);
    assert.equal(r.layers[0]!.detail!.endian, "big");
    assert.equal(r.layers[0]!.detail!.bootPadding, 512);
    assert.equal(r.layers[0]!.detail!.crc, "ok");
    assert.equal(r.layers[0]!.length, big.length - 512);
  });

  it("reads explicit holes as zeros", () => {
    const sparse = Buffer.concat([Buffer.alloc(12288), Buffer.from("tail\n")]);
    const r = load(cramfsImage({ "data/sparse": { content: sparse } }, ["-z"]));
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.layers[0]!.detail!.flags, ["fsid-v2", "sorted-dirs", "holes"]);
    assert.deepEqual(Buffer.from(r.filesystems[0]!.fs.readFile("/data/sparse")!), sparse);
  });

  it("is found inside a vendor image, and a damaged CRC is reported", () => {
    const image = readFileSync(vendorImage([writeFileAt(little)]));
    const r = load(image);
    assert.equal(r.filesystems[0]!.id, "cramfs@0x10000");
    assert.deepEqual(r.problems, []);
    const damaged = Buffer.from(little);
    damaged[damaged.length - 1] = damaged.at(-1)! ^ 0xff; // padding: the tree still reads, the CRC no longer matches
    const d = load(damaged);
    assert.deepEqual(d.problems, [
      "firmware.bin cramfs@0x0: CRC does not match; the image is damaged or was modified",
    ]);
    assertTree(d.filesystems[0]!.fs);
  });

  it("keeps what a truncated image holds, and says what is missing", () => {
    const cut = little.subarray(0, 600);
    const r = noTools(() => load(cut));
    assert.equal(
      r.problems[0],
      `firmware.bin cramfs@0x0: image is truncated (600 of ${little.length} bytes present)`,
    );
    const fs = r.filesystems[0]!.fs;
    assert.equal(fs.get("/etc/passwd")?.type, "file", "the directory entries are before the cut");
    assert.throws(() => fs.readFile("/bin/busybox"), FormatError);
  });

  it("refuses unknown feature flags and does not follow a directory that loops", () => {
    const flagged = Buffer.from(little);
    flagged.writeUInt32LE(flagged.readUInt32LE(8) | 0x10000, 8);
    assert.deepEqual(load(flagged).problems, ["firmware.bin cramfs@0x0: unknown feature flags 0x10000"]);
    // Point the first subdirectory ("bin") at the root's entries: a loop.
    const loop = Buffer.from(little);
    const rootWord = loop.readUInt32LE(72);
    const first = 76; // the root's first entry, "bin"
    const w2 = loop.readUInt32LE(first + 8);
    loop.writeUInt32LE((w2 & 0x3f) | (rootWord & ~0x3f), first + 8);
    loop.writeUInt32LE(
      (loop.readUInt32LE(first + 4) & 0xff000000) | (loop.readUInt32LE(68) & 0xffffff),
      first + 4,
    );
    const r = noTools(() => load(loop));
    assert.ok(
      r.problems.includes(
        'firmware.bin cramfs@0x0: directory "/bin" reuses the entries of another; not followed',
      ),
      r.problems.join("\n"),
    );
    assert.ok(
      r.problems.includes(
        "firmware.bin cramfs@0x0: CRC does not match; the image is damaged or was modified",
      ),
    );
  });

  it("survives hundreds of mutations of both byte orders", () => {
    const small = cramfsImage({
      "etc/passwd": "root:x:0:0::/:/bin/sh\n",
      "bin/tool": { content: pseudoRandom(9000, 3), mode: 0o755 },
      "bin/link": { symlink: "tool" },
      "a/b/c/d": "deep\n",
    });
    const bigSmall = cramfsImage({ "x/y": pseudoRandom(5000, 4).toString("latin1"), z: "z\n" }, [
      "-N",
      "big",
    ]);
    noTools(() => {
      mutationLoop(small, 11, 250, [0, 64, 76, 128]);
      mutationLoop(bigSmall, 12, 100, [0, 64, 76]);
    });
  });
});

/** The bytes written to a temp file (vendorImage takes paths). */
function writeFileAt(bytes: Uint8Array): string {
  const p = join(tmp(), "part.bin");
  writeFileSync(p, bytes);
  return p;
}

const UBI_SEQ = 0x1234abcd;

/** ubinize (mtd-utils) from an .ini; PEB 128 KiB, 2 KiB pages unless told otherwise. */
function ubiImage(ini: string, args = ["-p", "128KiB", "-m", "2048", "-s", "2048"]): Buffer {
  const dir = tmp();
  writeFileSync(join(dir, "ubi.ini"), ini);
  run(sbin("ubinize", "mtd-utils"), [
    "-o",
    join(dir, "ubi.img"),
    "-Q",
    String(UBI_SEQ),
    ...args,
    join(dir, "ubi.ini"),
  ]);
  return readFileSync(join(dir, "ubi.img"));
}

function ubifsImage(tree: Tree): string {
  const out = join(tmp(), "data.ubifs");
  run(sbin("mkfs.ubifs", "mtd-utils"), [
    "-r",
    writeTree(tree),
    "-m",
    "2048",
    "-e",
    "126976",
    "-c",
    "64",
    "-x",
    "zlib",
    "-o",
    out,
  ]);
  return out;
}

/** A stand-in for ubi_reader's ubireader_extract_files; $FAKE_UBIREADER picks its behaviour. */
function fakeUbireader(): string {
  const bin = tmp("concord-fakebin-");
  const script = `#!/bin/sh
umask 022
if [ "$1" = "--version" ]; then echo "ubireader_extract_files 0.8.9"; exit 0; fi
out=""; input=""
while [ $# -gt 0 ]; do case "$1" in -o) out="$2"; shift 2;; -k) shift;; *) input="$1"; shift;; esac; done
magic=$(head -c 4 "$input" | od -An -tx1 | tr -d ' \\n')
[ "$magic" = "31181006" ] || { echo "not a UBIFS image: $magic" >&2; exit 1; }
mkdir -p "$out"
case "$FAKE_UBIREADER" in
  ok)
    mkdir -p "$out/etc" "$out/bin"
    printf 'root:x:0:0::/root:/bin/sh\\n' > "$out/etc/passwd"
    ln -s /etc/shadow "$out/etc/shadow-link"
    ln -s / "$out/rootlink"
    ln -s ../../../../../../etc/passwd "$out/bin/up"
    mkfifo "$out/bin/fifo"
    printf 'x' > "$out/bin/suid"; chmod 4755 "$out/bin/suid";;
  partial) echo data > "$out/kept"; echo "bad node at LEB 3" >&2; exit 1;;
  fail) echo "boom" >&2; exit 3;;
  slow) sleep 30;;
  files) i=0; while :; do i=$((i+1)); : > "$out/f$i"; sleep 0.005; done;;
  bytes) dd if=/dev/zero of="$out/big" bs=65536 count=64 2>/dev/null; exit $?;;
  noisy) yes "warning: noise";;
  spawn) sleep 29.7 & echo started;;
esac
`;
  writeFileSync(join(bin, "ubireader_extract_files"), script);
  chmodSync(join(bin, "ubireader_extract_files"), 0o755);
  return bin;
}

describe("UBI volumes (native) and UBIFS (ubi_reader)", () => {
  const rootfs = squashfsImage(
    writeTree({ "etc/passwd": "root:x:0:0::/root:/bin/sh\n", "etc/banner": "OpenWrt\n" }),
    "gzip",
  );
  const data = ubifsImage({ "etc/config/network": "config interface 'lan'\n" });
  const factory = writeFileAt(Buffer.from("MAC=00:11:22:33:44:55\n".padEnd(3000, "\0")));
  const ini = `[rootfs]
mode=ubi
image=${rootfs}
vol_id=0
vol_type=static
vol_name=rootfs
[rootfs_data]
mode=ubi
image=${data}
vol_id=1
vol_type=dynamic
vol_size=4MiB
vol_name=rootfs_data
vol_flags=autoresize
[factory]
mode=ubi
image=${factory}
vol_id=5
vol_type=static
vol_name=factory
`;
  const ubi = ubiImage(ini);
  const UBIFS_MESSAGE =
    "UBIFS (13 blocks of 126976 bytes, zlib compression) cannot be read natively, and no Debian package reads it without the kernel's MTD layer; install ubi_reader elsewhere (pip install ubi_reader) so that ubireader_extract_files is on PATH";

  it("lists the volumes from the volume table and reads the squashfs inside", () => {
    const r = noTools(() => load(ubi));
    assert.equal(r.layers[0]!.format, "ubi");
    assert.equal(r.layers[0]!.length, ubi.length);
    const usable = 126976;
    assert.deepEqual(r.layers[0]!.detail, {
      pebSize: 131072,
      lebSize: usable,
      vidHeaderOffset: 2048,
      dataOffset: 4096,
      imageSeq: UBI_SEQ,
      pebs: ubi.length / 131072,
      volumes: [
        {
          id: 0,
          name: "rootfs",
          type: "static",
          reservedPebs: 1,
          reservedBytes: usable,
          dataBytes: readFileSync(rootfs).length,
          flags: [],
          file: "/rootfs.img",
        },
        {
          id: 1,
          name: "rootfs_data",
          type: "dynamic",
          reservedPebs: 34,
          reservedBytes: 34 * usable,
          dataBytes: 13 * usable,
          flags: ["autoresize"],
          file: "/rootfs_data.img",
        },
        {
          id: 5,
          name: "factory",
          type: "static",
          reservedPebs: 1,
          reservedBytes: usable,
          dataBytes: 3000,
          flags: [],
          file: "/factory.img",
        },
      ],
    });
    const volumes = r.filesystems[0]!.fs;
    assert.deepEqual(Buffer.from(volumes.readFile("/rootfs.img")!), readFileSync(rootfs));
    assert.deepEqual(Buffer.from(volumes.readFile("/rootfs_data.img")!), readFileSync(data));
    assert.equal(volumes.readText("/factory.img")?.slice(0, 22), "MAC=00:11:22:33:44:55\n");
    assert.deepEqual(
      r.filesystems.map((f) => `${f.id} ${f.layer}`),
      ["ubi@0x0 firmware.bin > ubi@0x0", "squashfs@0x0 firmware.bin > ubi@0x0:/rootfs.img > squashfs@0x0"],
    );
    assert.equal(r.filesystems[1]!.fs.readText("/etc/banner"), "OpenWrt\n");
    assert.deepEqual(r.problems, [`firmware.bin > ubi@0x0:/rootfs_data.img ubifs@0x0: ${UBIFS_MESSAGE}`]);
  });

  it("says what a bare UBIFS is and where to get a tool for it, at the start or inside an image", () => {
    assert.deepEqual(noTools(() => loadFile(data)).problems, [`firmware.bin ubifs@0x0: ${UBIFS_MESSAGE}`]);
    const inside = noTools(() => loadFile(vendorImage([data])));
    assert.deepEqual(inside.problems, [`firmware.bin ubifs@0x10000: ${UBIFS_MESSAGE}`]);
  });

  it("hands UBIFS to ubireader_extract_files when it is installed, inside UBI too, following no link", () => {
    const bin = fakeUbireader();
    process.env.FAKE_UBIREADER = "ok";
    const r = withPath(`${bin}:${EMPTY_PATH}`, () => load(ubi));
    delete process.env.FAKE_UBIREADER;
    assert.deepEqual(r.problems, []);
    const ubifs = r.filesystems.find((f) => f.format === "ubifs")!;
    assert.equal(ubifs.layer, "firmware.bin > ubi@0x0:/rootfs_data.img > ubifs@0x0");
    assert.deepEqual(listing(ubifs.fs), [
      "/ dir 755",
      "/bin dir 755",
      "/bin/fifo fifo 644",
      "/bin/suid file 4755",
      "/bin/up symlink 777 -> ../../../../../../etc/passwd",
      "/etc dir 755",
      "/etc/passwd file 644",
      "/etc/shadow-link symlink 777 -> /etc/shadow",
      "/rootlink symlink 777 -> /",
    ]);
    assert.equal(ubifs.fs.readText("/etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
    assert.equal(
      ubifs.fs.readFile("/etc/shadow-link"),
      undefined,
      "a link out of the tree resolves inside it",
    );
    assert.equal(
      ubifs.fs.readText("/rootlink/etc/passwd"),
      "root:x:0:0::/root:/bin/sh\n",
      "/ is the image root",
    );
    const layer = r.layers.find((l) => l.format === "ubifs")!;
    assert.deepEqual(layer.detail, {
      minIoSize: 2048,
      lebSize: 126976,
      lebCount: 13,
      fmtVersion: 4,
      compression: "zlib",
      extractedBy: {
        tool: "ubireader_extract_files",
        version: "0.8.9",
        package: "ubi_reader (pip install ubi_reader)",
      },
    });
  });

  it("falls back to the second copy of a damaged volume table, and to numbers without one", () => {
    const layoutData = (peb: number) => peb * 131072 + 4096;
    const oneBad = Buffer.from(ubi);
    oneBad[layoutData(0) + 20] = oneBad[layoutData(0) + 20]! ^ 0xff; // the name of volume 0 in the first copy
    const r1 = noTools(() => load(oneBad));
    assert.ok(r1.problems.includes("firmware.bin ubi@0x0: 1 records of volume table copy 0 are damaged"));
    assert.deepEqual(
      (r1.layers[0]!.detail!.volumes as { name: string }[]).map((v) => v.name),
      ["rootfs", "rootfs_data", "factory"],
    );
    const bothBad = Buffer.from(oneBad);
    bothBad[layoutData(1) + 20] = bothBad[layoutData(1) + 20]! ^ 0xff;
    bothBad.fill(0xff, 0 * 131072 + 2048, 0 * 131072 + 2048 + 64); // and erase one layout block's VID header
    const r2 = noTools(() => load(bothBad));
    assert.deepEqual(
      (r2.layers[0]!.detail!.volumes as { file: string }[]).map((v) => v.file),
      ["/volume0.img", "/rootfs_data.img", "/factory.img"],
    );
  });

  it("refuses an image without a second erase block and keeps a truncated one", () => {
    assert.deepEqual(noTools(() => load(ubi.subarray(0, 100_000))).problems, [
      "firmware.bin ubi@0x0: no second erase block header found, so the erase block size is unknown",
    ]);
    const cut = noTools(() => load(ubi.subarray(0, 3 * 131072 + 500)));
    assert.equal(cut.layers[0]!.length, 3 * 131072);
    assert.equal(cut.filesystems[0]!.fs.get("/rootfs.img")?.size, readFileSync(rootfs).length);
  });

  it("survives hundreds of mutations of the headers and the volume table", () => {
    const small = ubiImage(
      `[rootfs]\nmode=ubi\nimage=${squashfsImage(writeTree({ a: "a\n", "b/c": "c\n" }), "gzip", undefined, ["-nopad"])}\nvol_id=0\nvol_type=static\nvol_name=rootfs\n[cfg]\nmode=ubi\nimage=${cpioImage(writeTree({ "etc/x": "x\n" }))}\nvol_id=1\nvol_type=dynamic\nvol_name=cfg\n`,
      ["-p", "16KiB", "-m", "512", "-s", "512"],
    );
    const pebs = small.length / 16384;
    const hot = Array.from({ length: pebs }, (_, i) => [
      i * 16384,
      i * 16384 + 512,
      i * 16384 + 1024,
      i * 16384 + 1024 + 172,
    ]).flat();
    noTools(() => mutationLoop(small, 21, 300, hot));
  });
});

interface YaffsObject {
  id: number;
  type: 1 | 2 | 3 | 4 | 5;
  parent: number;
  name: string;
  mode: number;
  data?: Buffer;
  alias?: string;
  equiv?: number;
}

/**
 * A YAFFS2 image as mkyaffs2image lays it out (Debian has no builder): 2048-byte chunks, each
 * followed by a 64-byte spare whose packed tags name the object and chunk; an object header,
 * then its data chunks; erased blocks of 64 chunks.
 */
function yaffs2Image(objects: YaffsObject[], chunk = 2048, spare = 64): Buffer {
  const chunks: Buffer[] = [];
  const tags = (obj: number, chunkId: number, bytes: number) => {
    const s = Buffer.alloc(spare, 0xff);
    s.writeUInt32LE(0x1000, 0);
    s.writeUInt32LE(obj, 4);
    s.writeUInt32LE(chunkId, 8);
    s.writeUInt32LE(bytes, 12);
    return s;
  };
  for (const o of objects) {
    const h = Buffer.alloc(chunk, 0xff);
    h.writeUInt32LE(o.type, 0);
    h.writeUInt32LE(o.parent, 4);
    h.fill(0, 10, 266);
    h.write(o.name, 10, "utf8");
    h.writeUInt32LE(o.mode, 268);
    h.writeUInt32LE(0, 272);
    h.writeUInt32LE(0, 276);
    for (const at of [280, 284, 288]) h.writeUInt32LE(1_700_000_000, at);
    h.writeUInt32LE(o.data?.length ?? 0, 292);
    h.writeInt32LE(o.equiv ?? -1, 296);
    h.fill(0, 300, 460);
    if (o.alias) h.write(o.alias, 300, "utf8");
    chunks.push(Buffer.concat([h, tags(o.id, 0, 0xffff)]));
    const body = o.data ?? Buffer.alloc(0);
    for (let at = 0, n = 1; at < body.length; at += chunk, n++) {
      const part = body.subarray(at, at + chunk);
      const d = Buffer.alloc(chunk, 0xff);
      part.copy(d);
      chunks.push(Buffer.concat([d, tags(o.id, n, part.length)]));
    }
  }
  while (chunks.length % 64) chunks.push(Buffer.alloc(chunk + spare, 0xff));
  return Buffer.concat(chunks);
}

const BIG = pseudoRandom(5000, 9);
const YAFFS_OBJECTS: YaffsObject[] = [
  { id: 0x100, type: 3, parent: 1, name: "etc", mode: 0o40755 },
  {
    id: 0x101,
    type: 1,
    parent: 0x100,
    name: "passwd",
    mode: 0o100644,
    data: Buffer.from("root:x:0:0::/root:/bin/sh\n"),
  },
  {
    id: 0x102,
    type: 1,
    parent: 0x100,
    name: "shadow",
    mode: 0o100600,
    data: Buffer.from("root:*:1::::::\n"),
  },
  { id: 0x103, type: 3, parent: 1, name: "bin", mode: 0o40755 },
  { id: 0x104, type: 1, parent: 0x103, name: "busybox", mode: 0o100755, data: BIG },
  { id: 0x105, type: 2, parent: 0x103, name: "sh", mode: 0o120777, alias: "busybox" },
  { id: 0x106, type: 4, parent: 0x103, name: "ash", mode: 0, equiv: 0x104 },
  { id: 0x107, type: 2, parent: 1, name: "tmp", mode: 0o120777, alias: "/var/tmp" },
];

describe("YAFFS2 through unyaffs", () => {
  const image = yaffs2Image(YAFFS_OBJECTS);
  const unyaffs = () => {
    if (!findOnPath("unyaffs")) throw new Error("unyaffs is not available: apt-get install unyaffs");
  };

  it("detects the chunk layout and extracts with unyaffs: exact contents and links", () => {
    unyaffs();
    const r = load(image);
    assert.deepEqual(r.problems, []);
    assert.equal(r.filesystems[0]!.id, "yaffs2@0x0");
    const fs = r.filesystems[0]!.fs;
    assert.equal(fs.readText("/etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
    assert.equal(fs.readText("/etc/shadow"), "root:*:1::::::\n");
    assert.equal(fs.get("/etc/shadow")?.mode, 0o600);
    assert.deepEqual(Buffer.from(fs.readFile("/bin/busybox")!), BIG);
    assert.deepEqual(Buffer.from(fs.readFile("/bin/ash")!), BIG);
    assert.equal(fs.get("/bin/sh")?.linkTarget, "busybox");
    assert.equal(fs.get("/tmp")?.linkTarget, "/var/tmp");
    const version = /V(\S+)/.exec(run("unyaffs", ["-V"]).toString())![1]!;
    assert.deepEqual(r.layers[0]!.detail, {
      chunkSize: 2048,
      spareSize: 64,
      tagsOffset: 0,
      objects: 8,
      files: 3,
      directories: 2,
      symlinks: 2,
      extractedBy: { tool: "unyaffs", version, package: "unyaffs" },
    });
    assert.equal(r.layers[0]!.length, 13 * 2112, "through the last written chunk");
  });

  it("without unyaffs, says to install it; 4 KiB chunks behind a header are found too", () => {
    assert.deepEqual(noTools(() => load(image)).problems, [
      "firmware.bin yaffs2@0x0: YAFFS2 (2048-byte chunks, 64-byte spare, 8 objects) cannot be read natively; install unyaffs (Debian package unyaffs) to extract it",
    ]);
    const big = yaffs2Image(YAFFS_OBJECTS, 4096, 128);
    const inside = noTools(() => load(Buffer.concat([Buffer.alloc(0x800, 0xff), big])));
    assert.deepEqual(inside.problems, [
      "firmware.bin yaffs2@0x800: YAFFS2 (4096-byte chunks, 128-byte spare, 8 objects) cannot be read natively; install unyaffs (Debian package unyaffs) to extract it",
    ]);
  });

  it("refuses two entries of one name in a directory (a symlink could redirect the second)", () => {
    const hostile = yaffs2Image([
      { id: 0x100, type: 2, parent: 1, name: "x", mode: 0o120777, alias: "/etc/passwd" },
      { id: 0x101, type: 1, parent: 1, name: "x", mode: 0o100644, data: Buffer.from("owned\n") },
    ]);
    assert.deepEqual(load(hostile).problems, [
      'firmware.bin yaffs2@0x0: objects 256 and 257 are both named "x" in directory 1; not extracted (the second would be written through the first)',
    ]);
  });

  it("survives mutations, natively and through unyaffs", () => {
    const hot = Array.from({ length: 12 }, (_, i) => [i * 2112, i * 2112 + 2048]).flat();
    noTools(() => mutationLoop(image, 31, 300, hot));
    unyaffs();
    mutationLoop(image, 32, 25, hot);
  });
});

describe("the sandbox around an external tool", () => {
  const data = readFileSync(ubifsImage({ a: "a\n" }));
  const bin = fakeUbireader();
  const withFake = <T>(mode: string, fn: () => T): T => {
    process.env.FAKE_UBIREADER = mode;
    try {
      return withPath(`${bin}:${EMPTY_PATH}`, fn);
    } finally {
      delete process.env.FAKE_UBIREADER;
    }
  };
  const TOOL = "ubireader_extract_files 0.8.9 (ubi_reader (pip install ubi_reader))";

  it("keeps what a failing tool extracted, with a note; reports a tool that extracted nothing", () => {
    const partial = withFake("partial", () => load(data));
    assert.deepEqual(partial.problems, [
      "firmware.bin ubifs@0x0: ubireader_extract_files reported errors (bad node at LEB 3); kept the 1 entries it extracted",
    ]);
    assert.equal(partial.filesystems[0]!.fs.readText("/kept"), "data\n");
    assert.deepEqual(withFake("fail", () => load(data)).problems, [
      `firmware.bin ubifs@0x0: ${TOOL} could not extract it: boom`,
    ]);
  });

  it("stops a tool at the time limit, the file limit, the byte limit and the output limit", () => {
    let t = Date.now();
    const slow = withFake("slow", () => load(data, { maxMillis: 1500 }));
    assert.equal(
      slow.stoppedBy,
      "firmware.bin ubifs@0x0: time limit of 2 s reached while ubireader_extract_files ran",
    );
    assert.ok(Date.now() - t < 5000, `stopped after ${Date.now() - t} ms`);
    t = Date.now();
    const files = withFake("files", () => load(data, { maxFiles: 40 }));
    assert.equal(
      files.stoppedBy,
      "firmware.bin ubifs@0x0: ubireader_extract_files wrote more than the 40 files allowed",
    );
    assert.ok(Date.now() - t < 5000);
    const bytes = withFake("bytes", () => load(data, { maxTotalBytes: 1024 * 1024 }));
    assert.equal(
      bytes.stoppedBy,
      "firmware.bin ubifs@0x0: ubireader_extract_files wrote past the 1 MiB limit on unpacked data in total",
    );
    const noisy = withFake("noisy", () => load(data));
    assert.deepEqual(noisy.problems, [
      `firmware.bin ubifs@0x0: ${TOOL} printed more than 1 MiB and was stopped`,
    ]);
  });

  it("leaves no process behind, and removes its directories", () => {
    const spawned = withFake("spawn", () => load(data));
    assert.deepEqual(spawned.problems, []);
    const ps = run("ps", ["-eo", "args"]).toString();
    assert.doesNotMatch(ps, /^sleep 29\.7$/m, "the tool's background child was stopped with it");
    removeExtractions();
    const ok = withFake("ok", () => load(data));
    const fs = ok.filesystems[0]!.fs;
    // One private directory (mode 0700) holding only the tree: the payload copy is gone.
    const dirs = extractionDirs();
    assert.equal(dirs.length, 1);
    assert.equal(statSync(dirs[0]!).mode & 0o777, 0o700);
    assert.deepEqual(readdirSync(dirs[0]!), ["tree-0"]);
    removeExtractions();
    assert.deepEqual(extractionDirs(), []);
    assert.equal(existsSync(dirs[0]!), false);
    assert.throws(
      () => fs.readFile("/etc/passwd"),
      /the extracted copy of \/etc\/passwd cannot be opened \(ENOENT\)/,
    );
  });
});

// A superblock with the signature but no root directory is not cramfs.
it("cramfs probe rejects a signature without a root directory", () => {
  const h = Buffer.alloc(76);
  h.writeUInt32LE(0x28cd3d45, 0);
  h.writeUInt32LE(4096, 4);
  h.write("Compressed ROMFS", 16, "latin1");
  h.writeUInt32LE(0o100644, 64);
  assert.equal(cramfsFormat.probe(bufferSource("x", h), 0), false);
  h.writeUInt32LE(0o40755, 64);
  assert.equal(cramfsFormat.probe(bufferSource("x", h), 0), true);
});
