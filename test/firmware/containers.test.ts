// Container and filesystem formats on images built by the real tools (python3 zipfile, mkimage,
// mkfs.jffs2, mkfs.ext2/3/4, debugfs, e2fsck) or, where no Debian tool exists (TRX, hostile ZIP
// and JFFS2 nodes), written here from the published layouts. Each is read back exactly, nested
// in vendor images, damaged on purpose, and put through a deterministic mutation loop.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { crc32 as zlibCrc32, deflateRawSync, gzipSync } from "node:zlib";
import { extFormat } from "../../src/collect/firmware/formats/ext/index.js";
import { fitFormat } from "../../src/collect/firmware/formats/fit/index.js";
import { FORMATS } from "../../src/collect/firmware/formats/index.js";
import { jffs2Format } from "../../src/collect/firmware/formats/jffs2/index.js";
import { rtimeDecompress } from "../../src/collect/firmware/formats/jffs2/rtime.js";
import { trxFormat } from "../../src/collect/firmware/formats/trx.js";
import type { Format, FormatContext } from "../../src/collect/firmware/formats/types.js";
import { uimageFormat } from "../../src/collect/firmware/formats/uimage.js";
import { zipFormat } from "../../src/collect/firmware/formats/zip/index.js";
import { crc32 } from "../../src/collect/firmware/codecs/checksums.js";
import { Budget, DEFAULT_LIMITS, LimitError } from "../../src/collect/firmware/limits.js";
import { bufferSource, FormatError } from "../../src/collect/firmware/source.js";
import { unpack, type UnpackResult } from "../../src/collect/firmware/unpack.js";
import type { VirtualFS } from "../../src/collect/firmware/vfs.js";
import { compress, cpioImage, run, tmp, vendorImage, writeTree, type Tree } from "../helpers/fwimage.js";

// mkimage stamps images with the build time unless told otherwise.
process.env.SOURCE_DATE_EPOCH = "1700000000";

const ALL: readonly Format[] = FORMATS;

const PASSWD = "root:x:0:0:root:/root:/bin/sh\nadmin:x:1000:1000::/home/admin:/bin/sh\n";
const RCS = "#!/bin/sh\ntelnetd -l /bin/sh\n";
// Compressible, and longer than one JFFS2 page (4 KiB) and several ext blocks.
const CONFIG = Array.from({ length: 400 }, (_, i) => `option key${i} 'value-${i % 7}'\n`).join("");
const BUSYBOX = `BusyBox v1.36.1 (2023-01-01) multi-call binary\n${"\0\x7fELF".repeat(3000)}`;
const LONG_TARGET = `../../${"deep/".repeat(20)}target`; // > 60 bytes: a slow symlink in ext

const TREE: Tree = {
  "etc/passwd": PASSWD,
  "etc/init.d/rcS": { content: RCS, mode: 0o755 },
  "etc/config/system": CONFIG,
  "bin/busybox": { content: BUSYBOX, mode: 0o4755 },
  "bin/sh": { symlink: "busybox" },
  "bin/ash": { hardlink: "bin/busybox" },
  "usr/lib/far": { symlink: LONG_TARGET },
  "var/empty": { dir: true, mode: 0o700 },
};

const load = (file: string | Buffer, name = "firmware.bin", budget?: Budget) =>
  unpack(bufferSource(name, typeof file === "string" ? readFileSync(file) : file), { formats: ALL, budget });

function onlyFs(r: UnpackResult, format: string): VirtualFS {
  const found = r.filesystems.filter((f) => f.format === format);
  assert.equal(found.length, 1, `one ${format} filesystem in ${JSON.stringify(r.layers.map((l) => l.path))}`);
  return found[0]!.fs;
}

/** The tree every filesystem test expects back, byte for byte. */
function assertTree(fs: VirtualFS, opts: { hardlinks?: boolean; slowSymlink?: boolean } = {}): void {
  assert.equal(fs.readText("/etc/passwd"), PASSWD);
  assert.equal(fs.readText("/etc/init.d/rcS"), RCS);
  assert.equal(fs.readText("/etc/config/system"), CONFIG);
  assert.equal(fs.readText("/bin/busybox"), BUSYBOX);
  assert.equal(fs.get("/etc/init.d/rcS")?.mode, 0o755);
  assert.equal(fs.get("/bin/busybox")?.mode, 0o4755);
  assert.equal(fs.resolve("/bin/busybox")?.size, Buffer.byteLength(BUSYBOX));
  assert.deepEqual(
    { type: fs.get("/bin/sh")?.type, target: fs.get("/bin/sh")?.linkTarget },
    { type: "symlink", target: "busybox" },
  );
  assert.equal(fs.readText("/bin/sh"), BUSYBOX, "the symlink resolves");
  if (opts.slowSymlink !== false) assert.equal(fs.get("/usr/lib/far")?.linkTarget, LONG_TARGET);
  if (opts.hardlinks !== false) {
    // The first name in path order holds the content; the other links to it.
    assert.deepEqual(
      { type: fs.get("/bin/busybox")?.type, target: fs.get("/bin/busybox")?.linkTarget },
      { type: "hardlink", target: "/bin/ash" },
    );
    assert.equal(fs.readText("/bin/ash"), BUSYBOX);
  }
  assert.equal(fs.get("/var/empty")?.type, "dir");
  assert.equal(fs.get("/var/empty")?.mode, 0o700);
}

const ctxFor = (notes: string[] = [], budget = new Budget()): FormatContext => ({
  budget,
  depth: 0,
  note: (p) => notes.push(p),
});

// ---------------------------------------------------------------------------------------------
// ZIP

interface ZipItem {
  name: string;
  data?: Buffer;
  method?: number;
  /** Stored CRC (defaults to the right one). */
  crc?: number;
  mode?: number;
  flags?: number;
}

/** A ZIP written from APPNOTE: local headers, central directory, (zip64) end records. */
function makeZip(items: ZipItem[], opts: { zip64?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const it of items) {
    const name = Buffer.from(it.name);
    const raw = it.data ?? Buffer.alloc(0);
    const method = it.method ?? 8;
    const body = method === 8 ? deflateRawSync(raw) : raw;
    const crc = it.crc ?? zlibCrc32(raw);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(opts.zip64 ? 45 : 20, 4);
    local.writeUInt16LE(it.flags ?? 0, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    const extra = Buffer.alloc(opts.zip64 ? 28 : 0);
    if (opts.zip64) {
      extra.writeUInt16LE(1, 0);
      extra.writeUInt16LE(24, 2);
      extra.writeBigUInt64LE(BigInt(raw.length), 4);
      extra.writeBigUInt64LE(BigInt(body.length), 12);
      extra.writeBigUInt64LE(BigInt(offset), 20);
    }
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 45, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(it.flags ?? 0, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(opts.zip64 ? 0xffffffff : body.length, 20);
    central.writeUInt32LE(opts.zip64 ? 0xffffffff : raw.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(((it.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(opts.zip64 ? 0xffffffff : offset, 42);
    centrals.push(central, name, extra);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const tail: Buffer[] = [];
  if (opts.zip64) {
    const z = Buffer.alloc(56);
    z.writeUInt32LE(0x06064b50, 0);
    z.writeBigUInt64LE(44n, 4);
    z.writeUInt16LE(45, 12);
    z.writeUInt16LE(45, 14);
    z.writeBigUInt64LE(BigInt(items.length), 24);
    z.writeBigUInt64LE(BigInt(items.length), 32);
    z.writeBigUInt64LE(BigInt(cd.length), 40);
    z.writeBigUInt64LE(BigInt(offset), 48);
    const loc = Buffer.alloc(20);
    loc.writeUInt32LE(0x07064b50, 0);
    loc.writeBigUInt64LE(BigInt(offset + cd.length), 8);
    loc.writeUInt32LE(1, 16);
    tail.push(z, loc);
  }
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(opts.zip64 ? 0xffff : items.length, 8);
  eocd.writeUInt16LE(opts.zip64 ? 0xffff : items.length, 10);
  eocd.writeUInt32LE(opts.zip64 ? 0xffffffff : cd.length, 12);
  eocd.writeUInt32LE(opts.zip64 ? 0xffffffff : offset, 16);
  return Buffer.concat([...locals, cd, ...tail, eocd]);
}

function python(script: string, cwd?: string): void {
  run("python3", ["-c", script], { cwd });
}

describe("zip", () => {
  it("reads an archive made by python3 zipfile, behind a vendor header", () => {
    const root = writeTree(TREE);
    const out = join(tmp(), "update.zip");
    run("python3", ["-m", "zipfile", "-c", out, "etc", "bin", "usr", "var"], { cwd: root });
    const r = load(vendorImage([out]));
    const layer = r.layers.find((l) => l.format === "zip");
    assert.deepEqual(
      { offset: layer?.offset, length: layer?.length },
      { offset: 0x10000, length: readFileSync(out).length },
    );
    const fs = onlyFs(r, "zip");
    assert.equal(fs.readText("/etc/passwd"), PASSWD);
    assert.equal(fs.readText("/etc/config/system"), CONFIG);
    // zipfile follows links and stores the mode of what it read.
    assert.equal(fs.readText("/bin/sh"), BUSYBOX);
    assert.equal(fs.readText("/bin/ash"), BUSYBOX);
    assert.equal(fs.get("/etc/init.d/rcS")?.mode, 0o755);
    assert.equal(fs.get("/var/empty")?.type, "dir");
    assert.deepEqual(r.problems, []);
  });

  it("reads bzip2 and LZMA entries (python3 zipfile) through the shared codecs", () => {
    const dir = tmp();
    python(
      [
        "import zipfile",
        "z = zipfile.ZipFile('m.zip', 'w')",
        `z.writestr(zipfile.ZipInfo('etc/config/system'), ${JSON.stringify(CONFIG)}, zipfile.ZIP_BZIP2)`,
        `z.writestr(zipfile.ZipInfo('etc/passwd'), ${JSON.stringify(PASSWD)}, zipfile.ZIP_LZMA)`,
        "z.close()",
      ].join("\n"),
      dir,
    );
    const r = load(join(dir, "m.zip"));
    const fs = onlyFs(r, "zip");
    assert.equal(fs.readText("/etc/config/system"), CONFIG);
    assert.equal(fs.readText("/etc/passwd"), PASSWD);
    assert.deepEqual(r.problems, []);
  });

  it("finds the directory of a self-extractor whose offsets count from the file start", () => {
    const dir = tmp();
    const out = join(dir, "sfx.bin");
    writeFileSync(out, Buffer.alloc(5000, 0x90));
    python(
      "import zipfile; z=zipfile.ZipFile('sfx.bin','a',zipfile.ZIP_DEFLATED); z.writestr('setup.ini','[fw]\\nversion=2.4.1\\n'); z.close()",
      dir,
    );
    const fs = onlyFs(load(out), "zip");
    assert.equal(fs.readText("/setup.ini"), "[fw]\nversion=2.4.1\n");
  });

  it("reads zip64 end records and extra fields, stored and deflated entries, symlinks", () => {
    const zip = makeZip(
      [
        { name: "etc/passwd", data: Buffer.from(PASSWD), method: 8 },
        { name: "etc/config/system", data: Buffer.from(CONFIG), method: 0 },
        { name: "bin/sh", data: Buffer.from("busybox"), method: 0, mode: 0o120777 },
        { name: "www/", mode: 0o40755 },
      ],
      { zip64: true },
    );
    const r = load(zip, "ota.zip");
    const fs = onlyFs(r, "zip");
    assert.equal(fs.readText("/etc/passwd"), PASSWD);
    assert.equal(fs.readText("/etc/config/system"), CONFIG);
    assert.deepEqual(
      { type: fs.get("/bin/sh")?.type, target: fs.get("/bin/sh")?.linkTarget },
      {
        type: "symlink",
        target: "busybox",
      },
    );
    assert.equal(fs.get("/www")?.type, "dir");
    assert.deepEqual(r.layers[0]?.detail, { entries: 4, zip64: true, encrypted: 0, unsupported: {} });
    assert.deepEqual(r.problems, []);
  });

  it("keeps ../, absolute and drive-letter names inside the root and says so", () => {
    const zip = makeZip([
      { name: "../../etc/evil", data: Buffer.from("slip") },
      { name: "/etc/abs", data: Buffer.from("abs") },
      { name: "C:\\Windows\\x.dll", data: Buffer.from("dll") },
    ]);
    const r = load(zip, "slip.zip");
    const fs = onlyFs(r, "zip");
    assert.equal(fs.readText("/etc/evil"), "slip");
    assert.equal(fs.readText("/etc/abs"), "abs");
    assert.equal(fs.readText("/Windows/x.dll"), "dll");
    assert.deepEqual(r.problems, [
      'slip.zip zip@0x0: entry "/etc/abs" is absolute; kept inside the image root',
      'slip.zip zip@0x0: entry "C:\\Windows\\x.dll" has a drive letter; kept inside the image root',
      "zip@0x0: ../../etc/evil: name climbs above the image root; kept inside it",
    ]);
  });

  it("notes bad CRCs, unsupported methods and encrypted entries, and reads the rest", () => {
    const zip = makeZip([
      { name: "good", data: Buffer.from("fine") },
      { name: "bad-crc", data: Buffer.from("tampered"), crc: 1234 },
      { name: "ppmd", data: Buffer.from("..."), method: 98 },
      { name: "secret", data: Buffer.from("xx"), flags: 1, method: 0 },
    ]);
    const notes: string[] = [];
    const x = zipFormat.extract(bufferSource("z.zip", zip), 0, ctxFor(notes));
    assert.equal(x.kind, "filesystem");
    if (x.kind !== "filesystem") return;
    assert.equal(x.fs.readText("/good"), "fine");
    assert.equal(x.fs.readText("/bad-crc"), "tampered");
    assert.equal(x.fs.get("/ppmd")?.read, undefined);
    assert.equal(x.fs.get("/secret")?.read, undefined);
    assert.deepEqual(notes, [
      "z.zip zip@0x0: entries compressed with methods Concord does not read (98 ppmd: 1)",
      "z.zip zip@0x0: 1 encrypted entries not read",
      'z.zip zip@0x0 "bad-crc": CRC-32 does not match; the content is damaged',
    ]);
  });

  it("refuses a truncated archive and a directory outside the image", () => {
    const zip = makeZip([{ name: "a", data: Buffer.from("a".repeat(100)) }]);
    assert.throws(
      () => zipFormat.extract(bufferSource("cut.zip", zip.subarray(0, zip.length - 30)), 0, ctxFor()),
      new FormatError(
        "cut.zip zip@0x0: no end-of-central-directory record after the entries (truncated archive?)",
      ),
    );
    const lying = Buffer.from(zip);
    lying.writeUInt32LE(0x7fffffff, lying.length - 10); // central directory size
    assert.throws(() => zipFormat.extract(bufferSource("lie.zip", lying), 0, ctxFor()), FormatError);
    // A local header offset pointing past the end leaves the entry listed but unreadable.
    const far = Buffer.from(zip);
    far.writeUInt32LE(0x7ffffff0, zip.length - 22 - 46 - 1 + 42);
    const notes: string[] = [];
    const x = zipFormat.extract(bufferSource("far.zip", far), 0, ctxFor(notes));
    assert.deepEqual(notes, ['far.zip zip@0x0: "a" has no local header at 0x7ffffff0']);
    assert.equal(x.kind === "filesystem" && x.fs.get("/a")?.read, undefined);
  });

  it("stops an entry that inflates past its recorded size", () => {
    const bomb = makeZip([{ name: "bomb", data: Buffer.alloc(4 * 1024 * 1024) }]);
    // Claim 10 bytes in the central directory.
    const cdStart = bomb.length - 22 - 46 - 4;
    bomb.writeUInt32LE(10, cdStart + 24);
    const x = zipFormat.extract(bufferSource("bomb.zip", bomb), 0, ctxFor());
    assert.throws(
      () => (x.kind === "filesystem" ? x.fs.readFile("/bomb") : undefined),
      new FormatError(
        'bomb.zip zip@0x0 "bomb": inflates to more than the 10 bytes its central directory records',
      ),
    );
    // An honest entry past the ratio limit is a bomb: the limit stops it.
    const honest = makeZip([{ name: "bomb", data: Buffer.alloc(4 * 1024 * 1024) }]);
    const budget = new Budget({ ...DEFAULT_LIMITS, maxRatio: 100 });
    const y = zipFormat.extract(bufferSource("bomb.zip", honest), 0, ctxFor([], budget));
    assert.throws(
      () => (y.kind === "filesystem" ? y.fs.readFile("/bomb") : undefined),
      new LimitError(
        "maxRatio",
        'bomb.zip zip@0x0 "bomb": stopped decompressing more than 100 times its compressed size (a decompression bomb?)',
      ),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// U-Boot legacy images

describe("uimage", () => {
  let dir: string;
  let kernelGz: string;
  let ramdisk: string;
  const KERNEL = Buffer.from("Linux version 4.14.180 (builder@acme) #1 SMP\n".repeat(2000));
  before(() => {
    dir = tmp();
    writeFileSync(join(dir, "kernel"), KERNEL);
    kernelGz = compress(join(dir, "kernel"), "gzip");
    ramdisk = compress(cpioImage(writeTree(TREE)), "gzip");
  });
  const mkimage = (args: string[], out: string) => {
    run("mkimage", [...args, out]);
    return out;
  };

  it("reads the header and carves the gzip'd kernel, behind a vendor header", () => {
    const img = mkimage(
      [
        "-A",
        "mips",
        "-O",
        "linux",
        "-T",
        "kernel",
        "-C",
        "gzip",
        "-a",
        "0x80000000",
        "-e",
        "0x80000400",
      ].concat(["-n", "Linux-4.14.180", "-d", kernelGz]),
      join(dir, "uImage"),
    );
    const r = load(vendorImage([img]));
    assert.deepEqual(
      r.layers.map((l) => `${l.format}@${l.offset}+${l.length}`),
      [`uimage@65536+${readFileSync(img).length}`, `gzip@0+${readFileSync(kernelGz).length}`],
    );
    assert.deepEqual(r.layers[0]!.detail, {
      name: "Linux-4.14.180",
      type: "kernel",
      arch: "mips",
      os: "linux",
      compression: "gzip",
      load: "0x80000000",
      entry: "0x80000400",
      time: 1700000000,
      size: readFileSync(kernelGz).length,
      dataCrcOk: true,
    });
    assert.equal(r.layers[1]!.path, "firmware.bin > uimage@0x10000:kernel > gzip@0x0");
    assert.deepEqual(r.problems, []);
  });

  it("reads a ramdisk image down to its files", () => {
    const img = mkimage(
      ["-A", "arm", "-O", "linux", "-T", "ramdisk", "-C", "gzip", "-n", "rd", "-d", ramdisk],
      join(dir, "uRamdisk"),
    );
    assertTree(onlyFs(load(img), "cpio"), { hardlinks: false });
  });

  it("splits a multi-file image into its images", () => {
    const img = mkimage(
      [
        "-A",
        "arm",
        "-O",
        "linux",
        "-T",
        "multi",
        "-C",
        "none",
        "-n",
        "multi",
        "-d",
        `${kernelGz}:${ramdisk}`,
      ],
      join(dir, "multi.img"),
    );
    const r = load(img);
    assert.deepEqual(
      r.layers.map((l) => l.path),
      [
        "firmware.bin > uimage@0x0",
        "firmware.bin > uimage@0x0:image0 > gzip@0x0",
        "firmware.bin > uimage@0x0:image1 > gzip@0x0",
        "firmware.bin > uimage@0x0:image1 > gzip@0x0 > cpio@0x0",
      ],
    );
    assert.equal(onlyFs(r, "cpio").readText("/etc/passwd"), PASSWD);
  });

  it("hands a script image's text out as one part", () => {
    writeFileSync(join(dir, "boot.txt"), "setenv bootargs console=ttyS0\nbootm\n");
    const img = mkimage(
      ["-A", "arm", "-O", "linux", "-T", "script", "-C", "none", "-d", join(dir, "boot.txt")],
      join(dir, "boot.scr"),
    );
    const x = uimageFormat.extract(bufferSource("boot.scr", readFileSync(img)), 0, ctxFor());
    assert.deepEqual(x.kind === "container" && x.parts, [{ offset: 72, length: 36, label: "image0" }]);
  });

  it("rejects a bad header CRC, and notes a bad data CRC and truncation", () => {
    const good = readFileSync(
      mkimage(
        ["-A", "arm", "-O", "linux", "-T", "kernel", "-C", "gzip", "-n", "k", "-d", kernelGz],
        join(dir, "k.img"),
      ),
    );
    const badHeader = Buffer.from(good);
    badHeader[40] = badHeader[40]! ^ 1; // inside the name
    assert.deepEqual(load(badHeader, "bad.img").problems, [
      "bad.img uimage@0x0: header CRC-32 does not match",
    ]);

    const badData = Buffer.from(good);
    badData[good.length - 1] = badData[good.length - 1]! ^ 0xff; // the gzip size trailer
    const r = load(badData, "data.img");
    assert.equal(r.layers[0]?.detail?.dataCrcOk, false);
    assert.deepEqual(r.problems, [
      "data.img uimage@0x0: data CRC-32 does not match the header",
      "data.img > uimage@0x0:kernel gzip@0x0: size in the trailer does not match the data",
    ]);

    const notes: string[] = [];
    const cut = uimageFormat.extract(bufferSource("cut.img", good.subarray(0, 264)), 0, ctxFor(notes));
    assert.deepEqual(notes, [
      `cut.img uimage@0x0: header says ${good.length - 64} bytes of data but only 200 follow; kept what is there`,
    ]);
    assert.deepEqual(cut.kind === "container" && cut.parts, [{ offset: 64, length: 200, label: "kernel" }]);
  });
});

// ---------------------------------------------------------------------------------------------
// FIT images

const ITS = (signed: boolean) => `/dts-v1/;
/ {
  description = "ACME camera firmware";
  #address-cells = <1>;
  images {
    kernel-1 {
      description = "Linux kernel";
      data = /incbin/("kernel.gz");
      type = "kernel"; arch = "arm"; os = "linux"; compression = "gzip";
      load = <0x80008000>; entry = <0x80008000>;
      hash-1 { algo = "sha256"; };
    };
    ramdisk-1 {
      description = "initramfs";
      data = /incbin/("ramdisk.cpio.gz");
      type = "ramdisk"; arch = "arm"; os = "linux"; compression = "gzip";
      hash-1 { algo = "crc32"; };
    };
    fdt-1 {
      description = "board";
      data = /incbin/("board.dtb");
      type = "flat_dt"; arch = "arm"; compression = "none";
      hash-1 { algo = "sha1"; };
    };
  };
  configurations {
    default = "conf-1";
    conf-1 {
      description = "boot";
      kernel = "kernel-1"; ramdisk = "ramdisk-1"; fdt = "fdt-1";
      ${signed ? 'signature-1 { algo = "sha256,rsa2048"; key-name-hint = "dev"; sign-images = "kernel", "ramdisk", "fdt"; };' : ""}
    };
  };
};
`;

describe("fit", () => {
  let dir: string;
  const KERNEL = Buffer.from("Linux version 6.1.0 (builder@acme)\n".repeat(3000));
  before(() => {
    dir = tmp();
    writeFileSync(join(dir, "kernel"), KERNEL);
    compress(join(dir, "kernel"), "gzip");
    writeFileSync(join(dir, "ramdisk.cpio.gz"), readFileSync(compress(cpioImage(writeTree(TREE)), "gzip")));
    writeFileSync(join(dir, "board.dts"), '/dts-v1/;\n/ { model = "acme,cam"; compatible = "acme,cam"; };\n');
    run("dtc", ["-I", "dts", "-O", "dtb", "-o", "board.dtb", "board.dts"], { cwd: dir });
    writeFileSync(join(dir, "signed.its"), ITS(true));
    writeFileSync(join(dir, "plain.its"), ITS(false));
    run("mkdir", ["-p", "keys"], { cwd: dir });
    run(
      "openssl",
      ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "keys/dev.key"],
      { cwd: dir },
    );
    run(
      "openssl",
      ["req", "-batch", "-new", "-x509", "-key", "keys/dev.key", "-out", "keys/dev.crt", "-subj", "/CN=dev"],
      {
        cwd: dir,
      },
    );
  });
  const build = (its: string, out: string, extra: string[] = []) => {
    run("mkimage", [...extra, "-f", its, out], { cwd: dir });
    return join(dir, out);
  };
  const images = [
    {
      name: "kernel-1",
      description: "Linux kernel",
      type: "kernel",
      arch: "arm",
      os: "linux",
      compression: "gzip",
      hashes: ["sha256"],
      signatures: [],
    },
    {
      name: "ramdisk-1",
      description: "initramfs",
      type: "ramdisk",
      arch: "arm",
      os: "linux",
      compression: "gzip",
      hashes: ["crc32"],
      signatures: [],
    },
    {
      name: "fdt-1",
      description: "board",
      type: "flat_dt",
      arch: "arm",
      os: undefined,
      compression: "none",
      hashes: ["sha1"],
      signatures: [],
    },
  ];

  it("lists the images of a signed FIT, carves them, and marks it signed", () => {
    const img = build(join(dir, "signed.its"), "signed.itb", ["-k", join(dir, "keys")]);
    const r = load(vendorImage([img]));
    const fit = r.layers.find((l) => l.format === "fit");
    assert.equal(fit?.offset, 0x10000);
    assert.deepEqual(fit?.detail, {
      description: "ACME camera firmware",
      timestamp: 1700000000,
      images,
      configurations: [{ name: "conf-1", description: "boot", signatures: ["sha256,rsa2048"] }],
      defaultConfiguration: "conf-1",
      signed: true,
    });
    assert.deepEqual(
      r.layers.map((l) => l.path),
      [
        "firmware.bin > fit@0x10000",
        "firmware.bin > fit@0x10000:kernel-1 > gzip@0x0",
        "firmware.bin > fit@0x10000:ramdisk-1 > gzip@0x0",
        "firmware.bin > fit@0x10000:ramdisk-1 > gzip@0x0 > cpio@0x0",
      ],
    );
    assertTree(onlyFs(r, "cpio"), { hardlinks: false });
    assert.deepEqual(r.problems, [], "the board DTB inside is not a FIT and says nothing");
  });

  it("reads external data (mkimage -E) and an unsigned FIT", () => {
    const img = build(join(dir, "plain.its"), "ext.itb", ["-E"]);
    const x = fitFormat.extract(bufferSource("ext.itb", readFileSync(img)), 0, ctxFor());
    assert.equal(x.kind, "container");
    if (x.kind !== "container") return;
    assert.equal(x.detail?.signed, false);
    // The tree, then each image's data; mkimage pads the file to 4 bytes after the last one.
    assert.equal(x.consumed, Math.max(...x.parts.map((p) => p.offset + p.length)));
    assert.equal(Math.ceil(x.consumed / 4) * 4, readFileSync(img).length);
    const kernel = x.parts.find((p) => p.label === "kernel-1")!;
    const bytes = readFileSync(img).subarray(kernel.offset, kernel.offset + kernel.length);
    assert.deepEqual(bytes, readFileSync(join(dir, "kernel.gz")));
    assert.equal(onlyFs(load(img), "cpio").readText("/etc/config/system"), CONFIG);
  });

  it("notes data placed beyond the image and rejects broken trees", () => {
    writeFileSync(
      join(dir, "far.dts"),
      '/dts-v1/;\n/ { images { k { type = "kernel"; data-position = <0x100000>; data-size = <0x1000>; }; }; };\n',
    );
    run("dtc", ["-I", "dts", "-O", "dtb", "-o", "far.dtb", "far.dts"], { cwd: dir });
    const notes: string[] = [];
    const x = fitFormat.extract(
      bufferSource("far.itb", readFileSync(join(dir, "far.dtb"))),
      0,
      ctxFor(notes),
    );
    assert.deepEqual(x.kind === "container" && x.parts, []);
    assert.deepEqual(notes, ['far.itb fit@0x0: data of image "k" lies beyond the end of the image']);

    const good = readFileSync(build(join(dir, "plain.its"), "p.itb"));
    const cut = bufferSource("cut.itb", good.subarray(0, 2000));
    assert.equal(fitFormat.probe(cut, 0), false);
    assert.throws(
      () => fitFormat.extract(cut, 0, ctxFor()),
      new FormatError(`cut.itb fit@0x0: total size ${good.length} is beyond the image`),
    );
    const badToken = Buffer.from(good);
    badToken.writeUInt32BE(77, badToken.readUInt32BE(8)); // the first structure token
    assert.throws(
      () => fitFormat.extract(bufferSource("tok.itb", badToken), 0, ctxFor()),
      new FormatError("tok.itb fit@0x0: unknown token 77 at 0x38"),
    );
    const dtb = bufferSource("board.dtb", readFileSync(join(dir, "board.dtb")));
    assert.equal(fitFormat.probe(dtb, 0), false, "a plain device tree is not a FIT");
  });
});

// ---------------------------------------------------------------------------------------------
// Broadcom TRX

/** A TRX image from the header layout: "HDR0", length, CRC, flags/version, partition offsets. */
function makeTrx(parts: Buffer[], version: 1 | 2 = 1): Buffer {
  const headerLen = version === 1 ? 28 : 32;
  const chunks: Buffer[] = [Buffer.alloc(headerLen)];
  const offsets: number[] = [];
  let size = headerLen;
  for (const p of parts) {
    const pad = (4 - (size % 4)) % 4;
    chunks.push(Buffer.alloc(pad));
    size += pad;
    offsets.push(size);
    chunks.push(p);
    size += p.length;
  }
  const pad = (4096 - (size % 4096)) % 4096;
  chunks.push(Buffer.alloc(pad));
  const img = Buffer.concat(chunks);
  img.write("HDR0", 0, "latin1");
  img.writeUInt32LE(img.length, 4);
  img.writeUInt32LE((version << 16) | 0, 12);
  offsets.forEach((o, i) => img.writeUInt32LE(o, 16 + 4 * i));
  // Broadcom's CRC: all-ones start, no final inversion (the inverse of the usual CRC-32).
  img.writeUInt32LE((zlibCrc32(img.subarray(12)) ^ 0xffffffff) >>> 0, 8);
  return img;
}

describe("trx", () => {
  let kernelGz: Buffer;
  let rootfs: Buffer;
  before(() => {
    const dir = tmp();
    writeFileSync(join(dir, "vmlinux"), Buffer.from("Linux version 2.6.36.4brcmarm\n".repeat(500)));
    kernelGz = readFileSync(compress(join(dir, "vmlinux"), "gzip"));
    run("mkfs.jffs2", ["-l", "-r", writeTree(TREE), "-o", join(dir, "root.jffs2")]);
    rootfs = readFileSync(join(dir, "root.jffs2"));
  });

  for (const version of [1, 2] as const)
    it(`splits a version ${version} image into its partitions and reads them`, () => {
      const loader = Buffer.from("LZMA loader stub\0");
      const trx = makeTrx([loader, kernelGz, rootfs], version);
      const path = join(tmp(), "fw.trx");
      writeFileSync(path, trx);
      const r = load(vendorImage([path], undefined, 0x1000));
      assert.deepEqual(r.layers[0]?.detail, { version, flags: 0, length: trx.length, crcOk: true });
      assert.deepEqual(
        r.layers.map((l) => l.path),
        [
          "firmware.bin > trx@0x1000",
          "firmware.bin > trx@0x1000:part1 > gzip@0x0",
          "firmware.bin > trx@0x1000:part2 > jffs2@0x0",
        ],
      );
      assertTree(onlyFs(r, "jffs2"));
      assert.deepEqual(r.problems, []);
    });

  it("notes a bad CRC, offsets outside the image and truncation", () => {
    const trx = makeTrx([kernelGz, rootfs]);
    trx[trx.length - 100] = trx[trx.length - 100]! ^ 1;
    trx.writeUInt32LE(0x7fffffff, 24); // a third partition far away
    const notes: string[] = [];
    const x = trxFormat.extract(bufferSource("bad.trx", trx), 0, ctxFor(notes));
    assert.deepEqual(notes, [
      "bad.trx trx@0x0: CRC-32 does not match the header",
      "bad.trx trx@0x0: partition 2 offset 0x7fffffff is outside the image",
    ]);
    assert.deepEqual(x.detail, { version: 1, flags: 0, length: trx.length, crcOk: false });
    assert.deepEqual(x.kind === "container" && x.parts.map((p) => p.label), ["part0", "part1"]);
    const cutNotes: string[] = [];
    const cut = trxFormat.extract(bufferSource("cut.trx", trx.subarray(0, 2000)), 0, ctxFor(cutNotes));
    assert.deepEqual(cutNotes, [
      `cut.trx trx@0x0: header says ${trx.length} bytes but only 2000 follow`,
      "cut.trx trx@0x0: partition 2 offset 0x7fffffff is outside the image",
    ]);
    assert.deepEqual(cut.kind === "container" && cut.parts, [
      { offset: 28, length: kernelGz.length, label: "part0" },
      { offset: trx.readUInt32LE(20), length: 2000 - trx.readUInt32LE(20), label: "part1" },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// JFFS2

const jffs2Crc = (b: Buffer) => ~zlibCrc32(b, 0xffffffff) >>> 0;

/** One JFFS2 node, little-endian, written from the kernel's struct layouts. */
function jffs2Node(type: number, body: Buffer, crcs: (node: Buffer) => void): Buffer {
  const node = Buffer.concat([Buffer.alloc(12), body]);
  node.writeUInt16LE(0x1985, 0);
  node.writeUInt16LE(type, 2);
  node.writeUInt32LE(node.length, 4);
  node.writeUInt32LE(jffs2Crc(node.subarray(0, 8)), 8);
  crcs(node);
  return Buffer.concat([node, Buffer.alloc((4 - (node.length % 4)) % 4, 0xff)]);
}

function jffs2Dirent(pino: number, version: number, ino: number, name: string): Buffer {
  const body = Buffer.alloc(28 + name.length);
  body.writeUInt32LE(pino, 0);
  body.writeUInt32LE(version, 4);
  body.writeUInt32LE(ino, 8);
  body[16] = name.length;
  body[17] = 8;
  body.write(name, 28, "latin1");
  return jffs2Node(0xe001, body, (n) => {
    n.writeUInt32LE(jffs2Crc(n.subarray(0, 32)), 32);
    n.writeUInt32LE(jffs2Crc(n.subarray(40)), 36);
  });
}

function jffs2Inode(
  ino: number,
  version: number,
  isize: number,
  offset: number,
  data: Buffer,
  opts: { type?: number; badCrc?: boolean; compr?: number; dsize?: number } = {},
): Buffer {
  const body = Buffer.alloc(56 + data.length);
  body.writeUInt32LE(ino, 0);
  body.writeUInt32LE(version, 4);
  body.writeUInt32LE(0o100644, 8);
  body.writeUInt32LE(isize, 16);
  body.writeUInt32LE(offset, 32);
  body.writeUInt32LE(data.length, 36);
  body.writeUInt32LE(opts.dsize ?? data.length, 40);
  body[44] = opts.compr ?? 0;
  data.copy(body, 56);
  return jffs2Node(opts.type ?? 0xe002, body, (n) => {
    n.writeUInt32LE(jffs2Crc(n.subarray(68)), 60);
    n.writeUInt32LE((jffs2Crc(n.subarray(0, 60)) ^ (opts.badCrc ? 1 : 0)) >>> 0, 64);
  });
}

/** name -> inode number, as mtd-utils' jffs2dump lists the directory entries. */
function jffs2Inodes(image: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of run("jffs2dump", ["-c", image])
    .toString()
    .matchAll(/#ino\s+(\d+), nsize\s+\d+, name (\S+)/g))
    out.set(m[2]!, Number(m[1]));
  return out;
}

describe("jffs2", () => {
  let root: string;
  let devtable: string;
  before(() => {
    root = writeTree(TREE);
    devtable = join(tmp(), "devtable");
    writeFileSync(
      devtable,
      "/dev d 755 0 0 - - - - -\n/dev/console c 600 0 5 5 1 - - -\n/dev/mtdblock3 b 640 0 6 31 3 - - -\n/etc/passwd f 644 0 42 - - - - -\n",
    );
  });
  const mkfs = (args: string[]) => {
    const out = join(tmp(), "root.jffs2");
    run("mkfs.jffs2", ["-r", root, "-o", out, "-D", devtable, ...args]);
    return out;
  };
  const cases: { name: string; args: string[]; compression: string[]; endian: string }[] = [
    {
      name: "zlib, little-endian (the default)",
      args: ["-l"],
      compression: ["none", "zlib"],
      endian: "little",
    },
    { name: "zlib, big-endian", args: ["-b"], compression: ["none", "zlib"], endian: "big" },
    {
      name: "rtime (zlib disabled)",
      args: ["-l", "-x", "zlib"],
      compression: ["none", "rtime"],
      endian: "little",
    },
    {
      name: "no compression",
      args: ["-l", "-x", "zlib", "-x", "rtime"],
      compression: ["none"],
      endian: "little",
    },
  ];
  for (const c of cases)
    it(`reads ${c.name}: contents, modes, owners, links and devices`, () => {
      const img = mkfs(c.args);
      const r = load(img);
      const fs = onlyFs(r, "jffs2");
      assertTree(fs);
      assert.deepEqual(r.layers[0]?.detail, { endian: c.endian, inodes: 17, compressions: c.compression });
      assert.deepEqual(
        { gid: fs.get("/etc/passwd")?.gid, uid: fs.get("/etc/passwd")?.uid },
        { gid: 42, uid: 0 },
      );
      assert.deepEqual(
        ["console", "mtdblock3"].map((n) => {
          const e = fs.get(`/dev/${n}`);
          return [e?.type, e?.device, e?.mode, e?.gid];
        }),
        [
          ["char", { major: 5, minor: 1 }, 0o600, 5],
          ["block", { major: 31, minor: 3 }, 0o640, 6],
        ],
      );
      assert.equal(r.layers[0]?.length, readFileSync(img).length);
      assert.deepEqual(r.problems, []);
    });

  it("reads LZO-compressed nodes (mkfs.jffs2 -X lzo) through the lzo codec", () => {
    const r = load(mkfs(["-l", "-X", "lzo", "-x", "zlib", "-x", "rtime"]));
    assert.deepEqual(r.layers[0]?.detail?.compressions, ["lzo", "none"]);
    assertTree(onlyFs(r, "jffs2"));
    assert.deepEqual(r.problems, []);
  });

  it("reads OpenWrt's LZMA nodes (raw LZMA, lc=lp=pb=0)", () => {
    // mtd-utils has no LZMA compressor; python3's lzma writes the same raw stream.
    const dir = tmp();
    writeFileSync(join(dir, "plain"), CONFIG.slice(0, 4096));
    python(
      "import lzma; d=open('plain','rb').read(); open('packed','wb').write(lzma.compress(d, format=lzma.FORMAT_RAW, filters=[{'id': lzma.FILTER_LZMA1, 'lc': 0, 'lp': 0, 'pb': 0, 'dict_size': 8192}]))",
      dir,
    );
    const packed = readFileSync(join(dir, "packed"));
    const node = jffs2Inode(2, 1, 4096, 0, packed, { compr: 8, dsize: 4096 });
    const image = Buffer.concat([jffs2Dirent(1, 1, 2, "config"), node]);
    const fs = onlyFs(load(image, "lzma.jffs2"), "jffs2");
    assert.equal(fs.readText("/config"), CONFIG.slice(0, 4096));
  });

  it("skips erase-block padding between nodes and after the log", () => {
    const img = mkfs(["-l", "-e", "0x2000", "-p"]);
    const bytes = readFileSync(img);
    assert.ok(
      bytes.subarray(0x2000 - 64, 0x2000).includes(0xff),
      "padding at the end of the first erase block",
    );
    const r = load(vendorImage([img]));
    assertTree(onlyFs(r, "jffs2"));
    assert.equal(
      r.layers[0]?.length,
      bytes.length + 4096,
      "the vendor image's trailing 0xFF counts as erased flash",
    );
  });

  it("builds each file from the newest nodes: updates, deletions, truncation; ignores obsolete and bad nodes", () => {
    const img = mkfs(["-l", "-x", "zlib", "-x", "rtime"]);
    const ino = jffs2Inodes(img);
    const updated = "root::0:0:root:/root:/bin/sh\n";
    const base = readFileSync(img);
    const appended = Buffer.concat([
      Buffer.alloc((4 - (base.length % 4)) % 4, 0xff),
      jffs2Inode(ino.get("passwd")!, 100, updated.length, 0, Buffer.from(updated)),
      jffs2Dirent(ino.get("init.d")!, 100, 0, "rcS"),
      jffs2Inode(ino.get("system")!, 100, 10, 0, Buffer.alloc(0)),
      jffs2Inode(ino.get("ash")!, 200, 4, 0, Buffer.from("EVIL"), { type: 0xc002 }),
      jffs2Inode(ino.get("passwd")!, 300, 4, 0, Buffer.from("BAD!"), { badCrc: true }),
      jffs2Dirent(1, 1, 999, "new"),
      jffs2Inode(999, 1, 6, 0, Buffer.from("fresh\n")),
    ]);
    const r = load(Buffer.concat([base, appended]), "log.jffs2");
    const fs = onlyFs(r, "jffs2");
    assert.equal(fs.readText("/etc/passwd"), updated);
    assert.equal(fs.get("/etc/init.d/rcS"), undefined);
    assert.equal(fs.readText("/etc/config/system"), CONFIG.slice(0, 10));
    assert.equal(fs.readText("/bin/ash"), BUSYBOX);
    assert.equal(fs.readText("/new"), "fresh\n");
    assert.deepEqual(r.problems, ["log.jffs2 jffs2@0x0: 1 nodes with bad CRCs ignored"]);
  });

  it("resynchronises after damaged bytes and keeps the rest", () => {
    const path = mkfs(["-l", "-x", "zlib", "-x", "rtime"]);
    const img = readFileSync(path);
    const at = img.indexOf(Buffer.from(PASSWD));
    const damaged = Buffer.from(img);
    damaged.fill(0x00, at - 68, at + 8); // wipe passwd's inode node header
    const r = load(damaged, "dmg.jffs2");
    const fs = onlyFs(r, "jffs2");
    assert.equal(fs.readText("/etc/init.d/rcS"), RCS);
    assert.equal(fs.readText("/bin/busybox"), BUSYBOX);
    assert.deepEqual(fs.get("/etc/passwd")?.read, undefined, "its inode is gone");
    assert.deepEqual(r.problems, [
      "dmg.jffs2 jffs2@0x0: skipped 1 unreadable regions between nodes",
      'dmg.jffs2 jffs2@0x0: "/etc/passwd" has no inode (' +
        String(jffs2Inodes(path).get("passwd")) +
        "); listed without content",
    ]);
  });

  it("keeps what precedes a cut in the middle of a node", () => {
    const path = mkfs(["-l", "-x", "zlib", "-x", "rtime"]);
    const img = readFileSync(path);
    const at = img.indexOf(Buffer.from(BUSYBOX.slice(0, 40)));
    const r = load(img.subarray(0, at + 100), "cut.jffs2");
    const fs = onlyFs(r, "jffs2");
    assert.equal(fs.get("/bin/busybox"), undefined, "its directory entry came after the cut");
    assert.equal(fs.get("/bin/ash")?.read, undefined, "its first data node is the one cut");
    assert.deepEqual(
      fs.list().map((e) => e.path),
      ["/", "/bin", "/bin/ash", "/dev", "/etc", "/usr", "/var"],
    );
    assert.equal(r.layers[0]?.length, at + 100, "the cut node belongs to this log");
    assert.deepEqual(r.problems, [
      `cut.jffs2 jffs2@0x0: the log ends inside a node at +0x${(at - 68).toString(16)} (truncated image?)`,
      `cut.jffs2 jffs2@0x0: "/bin/ash" has no inode (${jffs2Inodes(path).get("ash")}); listed without content`,
    ]);
  });

  it("decodes rtime from its definition", () => {
    // "abcabcabc": a, b, c, then 'a' again repeats 5 bytes from after the first 'a'.
    assert.equal(
      Buffer.from(rtimeDecompress(Uint8Array.from([97, 0, 98, 0, 99, 0, 97, 5]), 9, "t")).toString(),
      "abcabcabc",
    );
    assert.throws(() => rtimeDecompress(Uint8Array.from([97, 200]), 10, "t"), FormatError);
    assert.throws(() => rtimeDecompress(Uint8Array.from([97]), 10, "t"), FormatError);
  });
});

// ---------------------------------------------------------------------------------------------
// ext2/3/4

describe("ext", () => {
  let root: string;
  const isRoot = process.getuid?.() === 0;
  before(() => {
    root = writeTree({ ...TREE, "loop/a": { symlink: "b" }, "loop/b": { symlink: "a" } });
    if (isRoot) {
      run("chown", ["1000:1000", join(root, "etc/passwd")]);
      run("mknod", [join(root, "console"), "c", "5", "1"]);
      run("mkfifo", [join(root, "fifo")]);
    }
  });
  const mkfs = (tool: string, size: string, args: string[] = []) => {
    const out = join(tmp(), "rootfs.img");
    run(tool, ["-q", "-F", ...args, "-d", root, out, size]);
    return out;
  };
  const assertExtras = (fs: VirtualFS) => {
    assert.equal(fs.get("/loop/a")?.linkTarget, "b");
    assert.equal(fs.resolve("/loop/a"), undefined, "a symlink loop resolves to nothing");
    assert.equal(fs.get("/lost+found")?.type, "dir");
    if (!isRoot) return;
    assert.deepEqual([fs.get("/etc/passwd")?.uid, fs.get("/etc/passwd")?.gid], [1000, 1000]);
    assert.deepEqual(
      [fs.get("/console")?.type, fs.get("/console")?.device],
      ["char", { major: 5, minor: 1 }],
    );
    assert.equal(fs.get("/fifo")?.type, "fifo");
  };

  const cases: {
    name: string;
    tool: string;
    size: string;
    args?: string[];
    variant: string;
    blockSize: number;
  }[] = [
    {
      name: "ext4 with extents (1 KiB blocks)",
      tool: "mkfs.ext4",
      size: "2M",
      variant: "ext4",
      blockSize: 1024,
    },
    {
      name: "ext4 with 4 KiB blocks",
      tool: "mkfs.ext4",
      size: "8M",
      args: ["-b", "4096"],
      variant: "ext4",
      blockSize: 4096,
    },
    {
      name: "ext4 with inline data",
      tool: "mkfs.ext4",
      size: "2M",
      args: ["-O", "inline_data"],
      variant: "ext4",
      blockSize: 1024,
    },
    {
      name: "ext4 with meta_bg",
      tool: "mkfs.ext4",
      size: "4M",
      args: ["-O", "meta_bg,^resize_inode"],
      variant: "ext4",
      blockSize: 1024,
    },
    { name: "ext3", tool: "mkfs.ext3", size: "4M", variant: "ext3", blockSize: 1024 },
    { name: "ext2 with block maps", tool: "mkfs.ext2", size: "2M", variant: "ext2", blockSize: 1024 },
  ];
  for (const c of cases)
    it(`reads ${c.name}`, () => {
      const img = mkfs(c.tool, c.size, c.args);
      const r = load(img, "rootfs.img");
      const fs = onlyFs(r, "ext");
      assertTree(fs);
      assertExtras(fs);
      assert.deepEqual(
        { variant: r.layers[0]?.detail?.variant, blockSize: r.layers[0]?.detail?.blockSize },
        { variant: c.variant, blockSize: c.blockSize },
      );
      assert.equal(r.layers[0]?.length, readFileSync(img).length);
      assert.deepEqual(r.problems, []);
    });

  it("reads double-indirect block maps (ext2) and a two-level extent tree (ext4)", () => {
    const big = Buffer.alloc(400_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 2654435761) >>> 24;
    const dir = tmp();
    writeFileSync(join(dir, "big"), big);
    const ext2 = join(dir, "e2.img");
    run("mkfs.ext2", ["-q", "-b", "1024", "-d", writeTree({ "big.bin": { content: big } }), ext2, "2M"]);
    assert.deepEqual(onlyFs(load(ext2), "ext").readFile("/big.bin"), new Uint8Array(big));

    // Fragment free space so the file's extents overflow the inode into an index block.
    const frag = join(dir, "frag.img");
    const many: Tree = {};
    for (let i = 0; i < 60; i++) many[`f${i}`] = "a".repeat(4096);
    run("mkfs.ext4", ["-q", "-b", "1024", "-d", writeTree(many), frag, "1M"]);
    const rm = Array.from({ length: 30 }, (_, i) => `rm /f${2 * i}`).join("\n");
    run("debugfs", ["-w", "-f", "-", frag], { input: Buffer.from(`${rm}\n`) });
    run("debugfs", ["-w", "-R", `write ${join(dir, "big")} big`, frag]);
    const slice = big.subarray(0, 100_000);
    writeFileSync(join(dir, "big"), slice);
    run("debugfs", ["-w", "-R", "rm big", frag]);
    run("debugfs", ["-w", "-R", `write ${join(dir, "big")} big`, frag]);
    assert.match(run("debugfs", ["-R", "ex big", frag]).toString(), /^\s*0\/\s*1\s/m, "depth-1 extent tree");
    const fs = onlyFs(load(frag), "ext");
    assert.deepEqual(fs.readFile("/big"), new Uint8Array(slice));
    assert.equal(fs.readText("/f1"), "a".repeat(4096));
  });

  it("finds inodes whose group descriptors live in a later meta_bg group", () => {
    // 1 KiB blocks and 64-byte descriptors: 16 per block, so groups 16+ have their own block.
    const many: Tree = {};
    for (let i = 0; i < 80; i++) many[`many/f${i}`] = `file ${i}\n`;
    const img = join(tmp(), "meta.img");
    run("mkfs.ext4", [
      "-q",
      "-b",
      "1024",
      "-g",
      "256",
      "-N",
      "128",
      "-O",
      "meta_bg,^resize_inode",
      "-d",
      writeTree(many),
      img,
      "8M",
    ]);
    const inode = Number(/Inode: (\d+)/.exec(run("debugfs", ["-R", "stat /many/f79", img]).toString())?.[1]);
    assert.ok(inode > 16 * 4, `inode ${inode} is in group 16 or later`);
    const fs = onlyFs(load(img), "ext");
    for (let i = 0; i < 80; i++) assert.equal(fs.readText(`/many/f${i}`), `file ${i}\n`);
  });

  it("lists hashed (htree) directories linearly", () => {
    const many: Tree = {};
    for (let i = 0; i < 300; i++) many[`www/cgi-bin/handler-with-a-long-name-${i}.cgi`] = `#${i}\n`;
    const img = join(tmp(), "htree.img");
    run("mkfs.ext4", ["-q", "-b", "1024", "-d", writeTree(many), img, "4M"]);
    spawnE2fsck(img);
    assert.match(run("debugfs", ["-R", "htree /www/cgi-bin", img]).toString(), /Root node dump/);
    const fs = onlyFs(load(img), "ext");
    const names = fs.children("/www/cgi-bin").map((e) => e.path);
    assert.equal(names.length, 300);
    assert.equal(fs.readText("/www/cgi-bin/handler-with-a-long-name-299.cgi"), "#299\n");
  });

  it("finds ext2 gzip'd in a vendor image and ext4 inside a uImage", () => {
    const e2 = mkfs("mkfs.ext2", "2M");
    assertTree(onlyFs(load(vendorImage([compress(e2, "gzip")])), "ext"));
    const u = join(tmp(), "rootfs.uimg");
    run("mkimage", [
      "-A",
      "arm",
      "-O",
      "linux",
      "-T",
      "filesystem",
      "-C",
      "none",
      "-n",
      "rootfs",
      "-d",
      mkfs("mkfs.ext4", "2M"),
      u,
    ]);
    const r = load(u);
    assert.equal(r.filesystems[0]?.layer, "firmware.bin > uimage@0x0:filesystem > ext@0x0");
    assertTree(onlyFs(r, "ext"));
  });

  it("does not follow a directory hard-linked into itself, and notes a truncated image", () => {
    const img = mkfs("mkfs.ext4", "2M");
    run("debugfs", ["-w", "-R", "ln /etc /etc/init.d/up", img]);
    const r = load(img, "loop.img");
    assert.equal(onlyFs(r, "ext").readText("/etc/passwd"), PASSWD);
    assert.deepEqual(r.problems, [
      'loop.img ext@0x0: directory "/etc/init.d/up" is reached twice (a loop?); not followed',
    ]);

    const whole = readFileSync(mkfs("mkfs.ext2", "2M"));
    const cut = load(whole.subarray(0, 300 * 1024), "cut.img");
    assert.ok(
      cut.problems.includes(
        `cut.img ext@0x0: filesystem is ${whole.length} bytes but the image holds ${300 * 1024}`,
      ),
    );
  });

  it("rejects superblocks with impossible geometry", () => {
    const img = readFileSync(mkfs("mkfs.ext2", "2M"));
    const bad = (at: number, value: number, width: 2 | 4) => {
      const b = Buffer.from(img);
      if (width === 2) b.writeUInt16LE(value, 1024 + at);
      else b.writeUInt32LE(value, 1024 + at);
      return extFormat.probe(bufferSource("x", b), 0);
    };
    assert.equal(extFormat.probe(bufferSource("x", img), 0), true);
    assert.equal(bad(24, 20, 4), false, "block size 2^30");
    assert.equal(bad(88, 100, 2), false, "inode size 100");
    assert.equal(bad(40, 0, 4), false, "no inodes per group");
    assert.equal(bad(0, 0x7fffffff, 4), false, "more inodes than groups hold");
  });
});

function spawnE2fsck(img: string): void {
  // e2fsck -D rebuilds directories as hashed indexes; exit status 1 means "fixed", which is the point.
  try {
    run("e2fsck", ["-fyD", img]);
  } catch (e) {
    if (!/failed/.test((e as Error).message)) throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Mutation loop

describe("mutations", () => {
  it("never throws anything but FormatError or LimitError, and never hangs", () => {
    const root = writeTree(TREE);
    const dir = tmp();
    const zipPath = join(dir, "t.zip");
    run("python3", ["-m", "zipfile", "-c", zipPath, "etc", "bin"], { cwd: root });
    const gz = compress(cpioImage(root), "gzip");
    const uimg = join(dir, "u.img");
    run("mkimage", ["-A", "arm", "-O", "linux", "-T", "multi", "-C", "none", "-d", `${gz}:${gz}`, uimg]);
    writeFileSync(
      join(dir, "fit.dts"),
      `/dts-v1/;\n/ { images { k { type = "kernel"; data = /incbin/("${gz}"); hash-1 { algo = "crc32"; }; }; }; configurations { c { signature-1 { algo = "x"; }; }; }; };\n`,
    );
    run("dtc", ["-I", "dts", "-O", "dtb", "-o", join(dir, "fit.itb"), join(dir, "fit.dts")]);
    const jffs = join(dir, "j.img");
    run("mkfs.jffs2", ["-l", "-r", root, "-o", jffs, "-e", "0x2000"]);
    const e4 = join(dir, "e4.img");
    run("mkfs.ext4", ["-q", "-d", root, e4, "1M"]);
    const e2 = join(dir, "e2.img");
    run("mkfs.ext2", ["-q", "-d", root, e2, "1M"]);
    const samples: [Format, Buffer][] = [
      [zipFormat, readFileSync(zipPath)],
      [uimageFormat, readFileSync(uimg)],
      [fitFormat, readFileSync(join(dir, "fit.itb"))],
      [trxFormat, makeTrx([readFileSync(gz), readFileSync(jffs)])],
      [jffs2Format, readFileSync(jffs)],
      [extFormat, readFileSync(e4)],
      [extFormat, readFileSync(e2)],
    ];
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const allowed = (e: unknown) => {
      if (e instanceof FormatError || e instanceof LimitError) return;
      throw e;
    };
    let runs = 0;
    for (const [format, good] of samples)
      for (let i = 0; i < 45; i++) {
        const b = Buffer.from(good);
        const hits = 1 + rnd(8);
        for (let k = 0; k < hits; k++) {
          // Headers and tables live near the start: aim half of the damage there.
          const at = rnd(2) ? rnd(Math.min(b.length, 8192)) : rnd(b.length);
          b[at] = rnd(4) === 0 ? 0xff : rnd(256);
        }
        const image = rnd(5) === 0 ? b.subarray(0, rnd(b.length)) : b;
        const started = Date.now();
        const budget = new Budget({ ...DEFAULT_LIMITS, maxTotalBytes: 64 * 1024 * 1024, maxMillis: 5000 });
        const src = bufferSource(`m${runs}`, image);
        try {
          if (format.probe(src, 0)) {
            const x = format.extract(src, 0, ctxFor([], budget));
            if (x.kind === "filesystem")
              for (const e of x.fs.list())
                try {
                  e.read?.();
                  x.fs.resolve(e.path);
                } catch (err) {
                  allowed(err);
                }
          }
        } catch (err) {
          allowed(err);
        }
        const r = unpack(src, {
          formats: ALL,
          budget: new Budget({ ...DEFAULT_LIMITS, maxTotalBytes: 64 * 1024 * 1024 }),
        });
        assert.ok(Array.isArray(r.problems));
        assert.ok(
          Date.now() - started < 3000,
          `mutation ${runs} of ${format.id} took ${Date.now() - started} ms`,
        );
        runs++;
      }
    assert.equal(runs, 315);
  });
});

describe("registry", () => {
  it("lists every container and filesystem format", () => {
    for (const f of [zipFormat, uimageFormat, fitFormat, trxFormat, jffs2Format, extFormat])
      assert.ok(FORMATS.includes(f), f.id);
  });
});

// The CRC-32 the formats share, against zlib's.
describe("crc32", () => {
  it("matches zlib", () => {
    for (const s of ["", "123456789", CONFIG]) assert.equal(crc32(Buffer.from(s)), zlibCrc32(Buffer.from(s)));
    assert.equal(crc32(gzipSync(Buffer.from(CONFIG))), zlibCrc32(gzipSync(Buffer.from(CONFIG))));
  });
});
