// The compressed-stream codecs and formats on data made by the real tools (xz, xz --format=lzma,
// bzip2, zstd, lzop): exact round trips, exact stream lengths (a payload right after a stream is
// still found), truncated and corrupted streams, decompression bombs refused at the cap, and a
// mutation loop. The xz bomb is 1 GiB of zeros, assembled from one real block repeated.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { crc32 } from "../../src/collect/firmware/codecs/checksums.js";
import { decompress, type Codec } from "../../src/collect/firmware/codecs/index.js";
import { readLzopHeader } from "../../src/collect/firmware/codecs/lzop.js";
import { Budget, DEFAULT_LIMITS, LimitError, type StreamCap } from "../../src/collect/firmware/limits.js";
import { bufferSource, FormatError } from "../../src/collect/firmware/source.js";
import { unpack } from "../../src/collect/firmware/unpack.js";
import { compress, cpioImage, run, tarImage, tmp, vendorImage, writeTree } from "../helpers/fwimage.js";

/** Deterministic bytes: a linear congruential generator, so failures reproduce. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0), s >>> 16);
}

/** 400 KiB that compress somewhat: text lines with random bytes mixed in (several blocks for bzip2 -1 and lzop). */
const BUSYBOX = (() => {
  const rnd = prng(1);
  const out = Buffer.alloc(400 * 1024);
  for (let i = 0; i < out.length; i++)
    out[i] = i % 1024 < 200 ? rnd() & 0xff : "BusyBox v1.36.1 multi-call binary\n".charCodeAt(i % 34);
  return out;
})();

const TREE = {
  "etc/passwd": "root:x:0:0:root:/root:/bin/sh\n",
  "etc/shadow": { content: "root:$1$abc$def:19000:0:99999:7:::\n", mode: 0o600 },
  "bin/busybox": { content: BUSYBOX, mode: 0o755 },
  "bin/sh": { symlink: "busybox" },
};
const AFTER = { "etc/after": "found after the stream\n" };

type Tool = "xz" | "lzma" | "bzip2" | "zstd" | "lzop";
const FORMAT_OF: Record<Tool, { format: string; codec: Codec }> = {
  xz: { format: "xz", codec: "xz" },
  lzma: { format: "lzma", codec: "lzma" },
  bzip2: { format: "bzip2", codec: "bzip2" },
  zstd: { format: "zstd", codec: "zstd" },
  lzop: { format: "lzop", codec: "lzop" },
};
const TOOLS = Object.keys(FORMAT_OF) as Tool[];

const bigCap: StreamCap = { max: 1 << 30, limit: "maxRatio", why: "past the test cap" };
const capOf = (max: number): StreamCap => ({ max, limit: "maxRatio", why: `past ${max} bytes` });

const tarPath = tarImage(writeTree(TREE));
const compressed = new Map(TOOLS.map((t) => [t, readFileSync(compress(tarPath, t))]));
const afterCpio = readFileSync(cpioImage(writeTree(AFTER)));

function sh(script: string): Buffer {
  return run("sh", ["-c", script]);
}

function errorKind(f: () => unknown): string {
  try {
    f();
    return "ok";
  } catch (e) {
    if (e instanceof FormatError) return "FormatError";
    if (e instanceof LimitError) return "LimitError";
    throw e;
  }
}

describe("stream formats behind a vendor header", () => {
  for (const tool of TOOLS)
    it(`unpacks a ${tool} tar and finds the cpio right after the stream`, () => {
      const z = compressed.get(tool)!;
      const dir = tmp();
      writeFileSync(join(dir, "z"), z);
      writeFileSync(join(dir, "after.cpio"), afterCpio);
      const image = vendorImage([join(dir, "z"), join(dir, "after.cpio")], join(dir, "fw.bin"), 1);
      const r = unpack(bufferSource("fw.bin", readFileSync(image)));
      const { format } = FORMAT_OF[tool];
      assert.deepEqual(r.problems, []);
      assert.deepEqual(
        r.layers.map((l) => `${l.format}@${l.offset}`),
        [`${format}@64`, "tar@0", `cpio@${64 + z.length}`],
      );
      assert.equal(r.layers[0]!.length, z.length, "the stream claims exactly its own bytes");
      const tar = r.filesystems.find((f) => f.format === "tar")!.fs;
      assert.equal(tar.readText("/etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
      assert.equal(tar.readText("/etc/shadow"), "root:$1$abc$def:19000:0:99999:7:::\n");
      assert.equal(tar.get("/etc/shadow")?.mode, 0o600);
      assert.ok(Buffer.from(tar.readFile("/bin/busybox")!).equals(BUSYBOX));
      assert.equal(tar.resolve("/bin/sh")?.path, "/bin/busybox");
      const cpio = r.filesystems.find((f) => f.format === "cpio")!.fs;
      assert.equal(cpio.readText("/etc/after"), "found after the stream\n");
    });
});

describe("codecs against the tools", () => {
  const input = (() => {
    // Real machine code for the BCJ filters, text and random bytes for the rest.
    const dir = tmp();
    const rnd = prng(7);
    const noise = Buffer.from(Array.from({ length: 300_000 }, () => rnd() & 0xff));
    const data = Buffer.concat([
      readFileSync(process.execPath).subarray(0, 300_000),
      BUSYBOX.subarray(0, 150_000),
      noise,
    ]);
    writeFileSync(join(dir, "data"), data);
    return { dir, file: join(dir, "data"), data };
  })();
  const roundTrip = (codec: Codec, z: Buffer, label: string) => {
    const r = decompress(codec, z, bigCap, label);
    assert.ok(Buffer.from(r.data).equals(input.data), `${label}: decoded bytes differ`);
    assert.equal(r.consumed, z.length, `${label}: consumed`);
    assert.equal(r.warnings, undefined, `${label}: warnings`);
  };

  it("decodes xz with every check type, BCJ and delta filters, and multiple blocks", () => {
    const variants: [string, string][] = [
      ["default (CRC64)", "-6"],
      ["none", "-1 --check=none"],
      ["crc32", "-1 --check=crc32"],
      ["sha256", "-1 --check=sha256"],
      ["x86", "--x86 --lzma2=preset=1"],
      ["x86 start offset", "--x86=start=4096 --lzma2=preset=1"],
      ["arm", "--arm --lzma2=preset=1"],
      ["armthumb", "--armthumb --lzma2=preset=1"],
      ["powerpc", "--powerpc --lzma2=preset=1"],
      ["sparc", "--sparc --lzma2=preset=1"],
      ["arm64", "--arm64 --lzma2=preset=1"],
      ["delta", "--delta=dist=4 --lzma2=preset=1"],
      ["multi-block", "-1 -T2 --block-size=100000"],
      ["preset 0", "-0"],
    ];
    for (const [label, flags] of variants) roundTrip("xz", sh(`xz -c ${flags} ${input.file}`), `xz ${label}`);
  });

  it("decodes LZMA-alone with unknown size, known size plus end marker, and known size without one", () => {
    const alone = sh(`xz -c --format=lzma ${input.file}`);
    roundTrip("lzma", alone, "lzma unknown size");
    const known = Buffer.from(alone);
    known.writeBigUInt64LE(BigInt(input.data.length), 5);
    roundTrip("lzma", known, "lzma known size and marker");
    // SquashFS lzma blocks: known size, no end marker (made by a literal-only encoder below).
    const plain = literalOnlyLzma(BUSYBOX.subarray(0, 20000));
    const r = decompress("lzma", Buffer.concat([plain, Buffer.from("trailing payload")]), bigCap, "lzma");
    assert.ok(Buffer.from(r.data).equals(BUSYBOX.subarray(0, 20000)));
    assert.equal(r.consumed, plain.length);
    const raw = decompress("lzma-raw", plain.subarray(13), bigCap, "raw", {
      size: 20000,
      lzma: { lc: 3, lp: 0, pb: 2, dictSize: 65536 },
    });
    assert.ok(Buffer.from(raw.data).equals(BUSYBOX.subarray(0, 20000)));
    assert.equal(raw.consumed, plain.length - 13);
  });

  it("decodes zstd levels, long windows, streamed frames and concatenated frames", () => {
    for (const flags of ["-1", "-3", "-19", "--long=27 -3"])
      roundTrip("zstd", sh(`zstd -q -c ${flags} ${input.file}`), `zstd ${flags}`);
    roundTrip("zstd", sh(`cat ${input.file} | zstd -q -c`), "zstd without content size");
    const half = input.data.length >> 1;
    writeFileSync(join(input.dir, "a"), input.data.subarray(0, half));
    writeFileSync(join(input.dir, "b"), input.data.subarray(half));
    const skippable = Buffer.from([0x50, 0x2a, 0x4d, 0x18, 4, 0, 0, 0, 1, 2, 3, 4]);
    const two = Buffer.concat([sh(`zstd -q -c ${input.dir}/a`), skippable, sh(`zstd -q -c ${input.dir}/b`)]);
    roundTrip("zstd", two, "zstd two frames");
  });

  it("decodes bzip2 at every block size and concatenated streams (pbzip2)", () => {
    for (const level of [1, 5, 9])
      roundTrip("bzip2", sh(`bzip2 -c -${level} ${input.file}`), `bzip2 -${level}`);
    const half = input.data.length >> 1;
    writeFileSync(join(input.dir, "a"), input.data.subarray(0, half));
    writeFileSync(join(input.dir, "b"), input.data.subarray(half));
    roundTrip(
      "bzip2",
      Buffer.concat([sh(`bzip2 -c ${input.dir}/a`), sh(`bzip2 -c ${input.dir}/b`)]),
      "bzip2 x2",
    );
  });

  it("decodes LZO1X from lzop -1, -9 (LZO1X-999), with CRC32 and stored blocks", () => {
    for (const flags of ["-1", "-9", "--crc32 -3"])
      roundTrip("lzop", sh(`lzop -c ${flags} ${input.file}`), `lzop ${flags}`);
    // Raw LZO1X as SquashFS stores it: each lzop block decoded alone with the size it records.
    const file = sh(`lzop -c -9 ${input.file}`);
    let p = readLzopHeader(file, "lzop").end;
    let at = 0;
    let blocks = 0;
    let stored = 0;
    for (;;) {
      const dst = file.readUInt32BE(p);
      if (dst === 0) break;
      const src = file.readUInt32BE(p + 4);
      p += 12; // sizes and the Adler-32 of the uncompressed data
      const block = file.subarray(p, p + src);
      const expected = input.data.subarray(at, at + dst);
      if (src < dst) {
        const r = decompress("lzo", block, bigCap, "lzo block", { size: dst });
        assert.ok(Buffer.from(r.data).equals(expected), `block ${blocks}`);
        assert.equal(r.consumed, src);
        assert.equal(
          errorKind(() => decompress("lzo", block, bigCap, "lzo block", { size: dst - 1 })),
          "FormatError",
        );
        blocks++;
      } else stored++;
      p += src;
      at += dst;
    }
    assert.deepEqual([blocks, stored], [2, 1]);
  });
});

describe("truncated and corrupted streams", () => {
  for (const tool of TOOLS)
    it(`${tool}: truncation keeps the decoded prefix with a note, or fails with a FormatError`, () => {
      const z = compressed.get(tool)!;
      const { codec, format } = FORMAT_OF[tool];
      for (const cut of [z.length - 1, Math.floor(z.length * 0.7), Math.floor(z.length / 3), 20]) {
        const part = z.subarray(0, cut);
        assert.throws(
          () => decompress(codec, part, bigCap, "cut"),
          (e) => e instanceof FormatError && /^cut: \w+ stream is truncated$/.test(e.message),
        );
        const r = unpack(bufferSource("cut.bin", part));
        assert.equal(r.stoppedBy, undefined);
        // 20 bytes do not hold a whole lzop header, which its probe insists on: nothing is found.
        if (tool === "lzop" && cut === 20) assert.deepEqual([r.layers, r.problems], [[], []]);
        else
          assert.ok(
            r.problems.some((p) => new RegExp(`^cut\\.bin ${format}@0x0: stream is truncated`).test(p)),
            `${tool} cut at ${cut}: ${r.problems.join("; ")}`,
          );
      }
      // Cut just before the end: everything decoded is kept, so the tar is whole.
      const r = unpack(bufferSource("cut.bin", z.subarray(0, z.length - 2)));
      const tar = r.filesystems.find((f) => f.format === "tar");
      assert.ok(Buffer.from(tar!.fs.readFile("/bin/busybox")!).equals(BUSYBOX));
    });

  it("reports checks that do not match as notes, not failures", () => {
    // Damage inside an xz stored (uncompressed) LZMA2 chunk: decoding succeeds, the check fails.
    const z = Buffer.from(sh(`head -c 5000 /dev/urandom | xz -c --check=crc32 -0`));
    z[12 + 12 + 3 + 100] = z[12 + 12 + 3 + 100]! ^ 0xff; // past the stream header, block header and chunk header
    const r = unpack(bufferSource("bad.xz", z));
    assert.ok(
      r.problems.some((p) => /bad\.xz xz@0x0: xz CRC32 check of block at \+0xc does not match/.test(p)),
    );
    assert.equal(r.layers[0]?.format, "xz");
    const bz = Buffer.from(compressed.get("bzip2")!);
    bz.writeUInt32BE((bz.readUInt32BE(10) ^ 1) >>> 0, 10); // the first block's stored CRC
    const rb = decompress("bzip2", bz, bigCap, "bz");
    assert.deepEqual(rb.warnings, ["bz: bzip2 block 0 CRC does not match"]);
  });

  it("refuses a bzip2 block whose run (32 RUNA symbols) is longer than the block", () => {
    const bz = hostileBzip2();
    assert.throws(
      () => decompress("bzip2", bz, bigCap, "runs"),
      /runs: corrupt bzip2 block \(run longer than the block\)/,
    );
  });

  it("decodes a zstd frame of 20000 one-byte blocks under a 128 MiB window in linear time", () => {
    // fzstd copies its whole window once per block: 200 such blocks already take it 2 s.
    const frame = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x88])]; // window 2^27, no size
    for (let i = 0; i < 20000; i++) frame.push(Buffer.from([1 << 3, 0, 0, 0x41])); // raw, 1 byte
    frame.push(Buffer.from([1, 0, 0])); // last block, empty
    const started = Date.now();
    const r = decompress("zstd", Buffer.concat(frame), bigCap, "window");
    assert.equal(Buffer.from(r.data).toString(), "A".repeat(20000));
    assert.equal(r.consumed, 6 + 20000 * 4 + 3);
    assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms`);
  });

  it("refuses xz filters it cannot undo and zstd frames that need a dictionary", () => {
    assert.throws(
      () => decompress("xz", sh(`echo hi | xz -c --ia64 --lzma2`), bigCap, "ia64"),
      /unsupported xz filter ia64/,
    );
    const z = Buffer.from(sh("echo hi | zstd -q -c"));
    // Set the dictionary-id flag to one byte and insert an id of 7 after the window descriptor.
    const at = z[4]! & 0x20 ? 5 : 6;
    const withDict = Buffer.concat([
      z.subarray(0, 4),
      Buffer.from([z[4]! | 1]),
      z.subarray(5, at),
      Buffer.from([7]),
      z.subarray(at),
    ]);
    assert.throws(() => decompress("zstd", withDict, bigCap, "dict"), /dict: zstd frame needs dictionary 7/);
  });
});

describe("decompression bombs", () => {
  const zeros64 = (() => {
    const file = join(tmp(), "zeros");
    writeFileSync(file, Buffer.alloc(64 * 1024 * 1024));
    return file;
  })();
  const ratio = (r: number) => new Budget({ ...DEFAULT_LIMITS, maxRatio: r });

  it("refuses 1 GiB of zeros in xz at the ratio cap without allocating it", () => {
    const block = sh(`xz -c -0 -T1 ${zeros64}`);
    const bomb = repeatXzBlock(block, 16, 64 * 1024 * 1024); // 16 blocks of 64 MiB
    assert.ok(bomb.length < 300_000, `${bomb.length} bytes`);
    const before = process.resourceUsage().maxRSS;
    const r = unpack(bufferSource("bomb.xz", bomb), { budget: ratio(100) });
    assert.equal(
      r.stoppedBy,
      "bomb.xz xz@0x0: stopped decompressing more than 100 times its compressed size (a decompression bomb?)",
    );
    const peakMiB = process.resourceUsage().maxRSS / 1024;
    assert.ok(peakMiB < 900, `peak RSS ${peakMiB} MiB (was ${before / 1024} MiB)`);
    // An index that lies (claims 1 KiB a block) does not help: the output buffer is the bound.
    const liar = repeatXzBlock(block, 16, 1024);
    assert.equal(
      errorKind(() => decompress("xz", liar, capOf(8 << 20), "liar")),
      "LimitError",
    );
    // Block headers that record their size (multi-threaded xz) are refused before decoding.
    const mt = sh(`xz -c -0 -T2 --block-size=16MiB ${zeros64}`);
    assert.throws(
      () => decompress("xz", mt, capOf(1 << 20), "mt"),
      /mt: stopped decompressing past 1048576 bytes/,
    );
  });

  it("refuses LZMA-alone bombs, streamed and declared", () => {
    const z = sh(`xz -c --format=lzma -0 ${zeros64}`);
    const r = unpack(bufferSource("bomb.lzma", z), { budget: ratio(100) });
    assert.match(r.stoppedBy ?? "", /^bomb\.lzma lzma@0x0: stopped decompressing more than 100 times/);
    const declared = Buffer.from(z);
    declared.writeBigUInt64LE(1n << 30n, 5);
    assert.throws(() => decompress("lzma", declared, capOf(1 << 20), "declared"), LimitError);
  });

  it("refuses 1 GiB of zeros in bzip2 (16 concatenated streams)", () => {
    const one = sh(`bzip2 -c -9 ${zeros64}`);
    const bomb = Buffer.concat(Array.from({ length: 16 }, () => one));
    const r = unpack(bufferSource("bomb.bz2", bomb));
    assert.match(r.stoppedBy ?? "", /^bomb\.bz2 bzip2@0x0: stopped decompressing more than 1000 times/);
  });

  it("refuses 1 GiB of zeros in zstd frames, and a frame declaring too much up front", () => {
    const frame = sh(`cat ${zeros64} | zstd -q -c -1`);
    const bomb = Buffer.concat(Array.from({ length: 16 }, () => frame));
    const r = unpack(bufferSource("bomb.zst", bomb));
    assert.match(r.stoppedBy ?? "", /^bomb\.zst zstd@0x0: stopped decompressing more than 1000 times/);
    const declared = sh(`zstd -q -c -1 ${zeros64}`); // content size 64 MiB in the header
    assert.throws(
      () => decompress("zstd", declared, capOf(1 << 20), "declared"),
      /declared: stopped decompressing/,
    );
  });

  it("refuses lzop and raw LZO bombs", () => {
    const z = sh(`lzop -c ${zeros64}`);
    const r = unpack(bufferSource("bomb.lzo", z), { budget: ratio(100) });
    assert.match(r.stoppedBy ?? "", /^bomb\.lzo lzop@0x0: stopped decompressing more than 100 times/);
    const block = z.subarray(readLzopHeader(z, "z").end + 12);
    assert.throws(
      () => decompress("lzo", block, capOf(100_000), "lzo"),
      /lzo: stopped decompressing past 100000 bytes/,
    );
  });
});

describe("mutation loop", () => {
  it("survives 300 mutated streams with only FormatError or LimitError", () => {
    const rnd = prng(42);
    const small = tarImage(
      writeTree({
        "etc/passwd": "root:x:0:0::/:/bin/sh\n",
        "bin/x": { content: BUSYBOX.subarray(0, 30000) },
      }),
    );
    const seeds = TOOLS.map((t) => ({ tool: t, z: readFileSync(compress(small, t)) }));
    const started = Date.now();
    const kinds: Record<string, number> = {};
    for (let i = 0; i < 300; i++) {
      const { tool, z } = seeds[i % seeds.length]!;
      const m = Buffer.from(z);
      const op = rnd() % 3;
      let data: Buffer = m;
      if (op === 0)
        for (let k = 0; k <= rnd() % 4; k++) {
          const at = rnd() % m.length;
          m[at] = m[at]! ^ (1 << (rnd() % 8));
        }
      else if (op === 1) data = m.subarray(0, rnd() % m.length);
      else {
        const at = rnd() % m.length;
        data = Buffer.concat([m.subarray(0, at), Buffer.from([rnd() & 0xff, rnd() & 0xff]), m.subarray(at)]);
      }
      const kind = errorKind(() => decompress(FORMAT_OF[tool].codec, data, capOf(4 << 20), "m"));
      kinds[kind] = (kinds[kind] ?? 0) + 1;
      const r = unpack(bufferSource("m", data), {
        budget: new Budget({ ...DEFAULT_LIMITS, maxTotalBytes: 64 << 20 }),
      });
      assert.ok(Array.isArray(r.problems));
    }
    assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
    assert.ok((kinds.FormatError ?? 0) > 50, JSON.stringify(kinds));
  });
});

/** An xz stream of `count` copies of the single block in `xz`, its index claiming `claimed` each. */
function repeatXzBlock(xz: Buffer, count: number, claimed: number): Buffer {
  const footer = xz.length - 12;
  const indexSize = (xz.readUInt32LE(footer + 4) + 1) * 4;
  const indexStart = footer - indexSize;
  const block = xz.subarray(12, indexStart);
  const [records, p1] = readVarint(xz, indexStart + 1);
  assert.equal(records, 1);
  const [unpadded] = readVarint(xz, p1);
  const body = [0, ...varint(count)];
  for (let i = 0; i < count; i++) body.push(...varint(unpadded), ...varint(claimed));
  while (body.length % 4) body.push(0);
  const index = Buffer.from(body);
  const indexCrc = Buffer.alloc(4);
  indexCrc.writeUInt32LE(crc32(index));
  const foot = Buffer.alloc(12);
  foot.writeUInt32LE((index.length + 4) / 4 - 1, 4);
  xz.copy(foot, 8, 6, 8);
  foot.write("YZ", 10, "latin1");
  foot.writeUInt32LE(crc32(foot, 4, 10), 0);
  return Buffer.concat([
    xz.subarray(0, 12),
    ...Array.from({ length: count }, () => block),
    index,
    indexCrc,
    foot,
  ]);
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

function readVarint(b: Buffer, p: number): [number, number] {
  let v = 0;
  for (let i = 0; ; i++) {
    v += (b[p + i]! & 0x7f) * 2 ** (7 * i);
    if (!(b[p + i]! & 0x80)) return [v, p + i + 1];
  }
}

/**
 * LZMA-alone with the size in the header and no end marker, as SquashFS and the LZMA SDK write
 * it: a literal-only encoder (range coder and literal model from the LZMA specification).
 */
function literalOnlyLzma(data: Uint8Array): Buffer {
  const out: number[] = [];
  let low = 0;
  let range = 0xffffffff;
  let cache = 0;
  let cacheSize = 1;
  const shiftLow = () => {
    if (low < 0xff000000 || low >= 2 ** 32) {
      const carry = low >= 2 ** 32 ? 1 : 0;
      let temp = cache;
      do {
        out.push((temp + carry) & 0xff);
        temp = 0xff;
      } while (--cacheSize !== 0);
      cache = Math.floor(low / 2 ** 24) & 0xff;
    }
    cacheSize++;
    low = (low % 2 ** 24) * 256;
  };
  const probs = new Uint16Array(0x300 * 8 + 256).fill(1024); // literal coders, then isMatch
  const bit = (i: number, b: number) => {
    const bound = (range >>> 11) * probs[i]!;
    if (b === 0) {
      range = bound;
      probs[i] = probs[i]! + ((2048 - probs[i]!) >>> 5);
    } else {
      low += bound;
      range -= bound;
      probs[i] = probs[i]! - (probs[i]! >>> 5);
    }
    while (range < 2 ** 24) {
      range = (range * 256) >>> 0;
      shiftLow();
    }
  };
  for (let pos = 0; pos < data.length; pos++) {
    bit(0x300 * 8 + (pos & 3), 0); // isMatch[state 0][posState] = literal
    const base = 0x300 * ((pos > 0 ? data[pos - 1]! : 0) >>> 5);
    let m = 1;
    for (let k = 7; k >= 0; k--) {
      const b = (data[pos]! >>> k) & 1;
      bit(base + m, b);
      m = (m << 1) | b;
    }
  }
  for (let i = 0; i < 5; i++) shiftLow();
  const header = Buffer.alloc(13);
  header[0] = 0x5d;
  header.writeUInt32LE(65536, 1);
  header.writeBigUInt64LE(BigInt(data.length), 5);
  return Buffer.concat([header, Buffer.from(out)]);
}

/** bzip2 stream whose block holds 32 RUNA symbols then end-of-block: a run length of 2^32 - 1. */
function hostileBzip2(): Buffer {
  const bits: number[] = [];
  const put = (v: number, n: number) => {
    for (let i = n - 1; i >= 0; i--) bits.push(Math.floor(v / 2 ** i) & 1);
  };
  put(0x314159, 24);
  put(0x265359, 24);
  put(0, 32); // block CRC
  put(0, 1); // not randomised
  put(0, 24); // origPtr
  put(0x8000, 16); // byte group 0 used
  put(0x8000, 16); // byte 0 used: alphabet RUNA, RUNB, EOB
  put(2, 3); // two Huffman groups
  put(1, 15); // one selector
  put(0, 1); // selector 0
  for (let g = 0; g < 2; g++) {
    put(1, 5); // RUNA: length 1
    put(0, 1);
    put(0b10, 2); // RUNB: length 2
    put(0, 1);
    put(0, 1); // EOB: length 2
  }
  for (let i = 0; i < 32; i++) put(0, 1); // RUNA is code "0"
  put(0b11, 2); // EOB
  put(0x177245, 24);
  put(0x385090, 24);
  put(0, 32);
  while (bits.length % 8) bits.push(0);
  const bytes = [0x42, 0x5a, 0x68, 0x39];
  for (let i = 0; i < bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8).join(""), 2));
  return Buffer.from(bytes);
}
