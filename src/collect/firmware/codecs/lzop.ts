// lzop files: a header (version, method, flags, name, header checksum) then blocks, each with its
// uncompressed and compressed sizes, optional Adler-32/CRC32 checksums and LZO1X data (stored as
// is when it did not compress). Layout from lzop's file format; a zero size ends the file.
import { FormatError } from "../source.js";
import { InputEnded, type OutBuffer } from "./bounded.js";
import { adler32, crc32 } from "./checksums.js";
import { decodeLzo1x } from "./lzo.js";

export const LZOP_MAGIC = [0x89, 0x4c, 0x5a, 0x4f, 0x00, 0x0d, 0x0a, 0x1a, 0x0a];
const F_ADLER32_D = 0x1;
const F_ADLER32_C = 0x2;
const F_H_EXTRA_FIELD = 0x40;
const F_CRC32_D = 0x100;
const F_CRC32_C = 0x200;
const F_H_FILTER = 0x800;
const F_H_CRC32 = 0x1000;
/** lzop never writes blocks above 64 MiB; a larger size is corruption. */
const MAX_BLOCK = 64 * 1024 * 1024;
/** LZO1X-1, LZO1X-1(15) and LZO1X-999: all decoded by the LZO1X decompressor. */
const LZO1X_METHODS = new Set([1, 2, 3]);

const u16be = (b: Uint8Array, o: number) => (b[o]! << 8) | b[o + 1]!;
const u32be = (b: Uint8Array, o: number) =>
  ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;

export interface LzopHeader {
  version: number;
  method: number;
  flags: number;
  name: string;
  /** Offset of the first block. */
  end: number;
}

/** Parse the header; throws InputEnded when it is cut short, FormatError when it is not lzop. */
export function readLzopHeader(input: Uint8Array, what: string): LzopHeader {
  const need = (n: number) => {
    if (n > input.length) throw new InputEnded();
  };
  need(9 + 7);
  for (let i = 0; i < 9; i++)
    if (input[i] !== LZOP_MAGIC[i]) throw new FormatError(`${what}: not an lzop file`);
  let p = 9;
  const version = u16be(input, p);
  p += 4; // version, library version
  if (version < 0x0900) throw new FormatError(`${what}: lzop version 0x${version.toString(16)} is too old`);
  const modern = version >= 0x0940;
  if (modern) p += 2; // version needed to extract
  need(p + 2);
  const method = input[p++]!;
  if (modern) p++; // level
  need(p + 4);
  const flags = u32be(input, p);
  p += 4;
  if (flags & F_H_FILTER) p += 4;
  p += 8; // mode, mtime low
  if (modern) p += 4; // mtime high
  need(p + 1);
  const nameLen = input[p++]!;
  need(p + nameLen + 4);
  const name = Buffer.from(input.subarray(p, p + nameLen)).toString("latin1");
  p += nameLen;
  const sum = flags & F_H_CRC32 ? crc32(input, 9, p) : adler32(input, 9, p);
  if (sum !== u32be(input, p)) throw new FormatError(`${what}: lzop header checksum mismatch`);
  p += 4;
  if (flags & F_H_EXTRA_FIELD) {
    need(p + 4);
    const len = u32be(input, p);
    need(p + 4 + len + 4);
    p += 4 + len + 4;
  }
  if (!LZO1X_METHODS.has(method)) throw new FormatError(`${what}: lzop method ${method} is not LZO1X`);
  if (flags & F_H_FILTER) throw new FormatError(`${what}: lzop filters are not supported`);
  return { version, method, flags, name, end: p };
}

/** Decode an lzop file at input[0]; returns its length through the end-of-file marker. */
export function decodeLzop(input: Uint8Array, out: OutBuffer, what: string, warnings: string[]): number {
  const header = readLzopHeader(input, what);
  const { flags } = header;
  let p = header.end;
  for (let n = 0; ; n++) {
    if (p + 4 > input.length) throw new InputEnded();
    const dstLen = u32be(input, p);
    p += 4;
    if (dstLen === 0) return p;
    if (dstLen > MAX_BLOCK) throw new FormatError(`${what}: lzop block ${n} claims ${dstLen} bytes`);
    if (p + 4 > input.length) throw new InputEnded();
    const srcLen = u32be(input, p);
    p += 4;
    if (srcLen > dstLen) throw new FormatError(`${what}: lzop block ${n} is larger compressed than not`);
    const sums: { kind: "adler" | "crc"; of: "d" | "c"; value: number }[] = [];
    const take = (kind: "adler" | "crc", of: "d" | "c") => {
      if (p + 4 > input.length) throw new InputEnded();
      sums.push({ kind, of, value: u32be(input, p) });
      p += 4;
    };
    if (flags & F_ADLER32_D) take("adler", "d");
    if (flags & F_CRC32_D) take("crc", "d");
    if (srcLen < dstLen) {
      if (flags & F_ADLER32_C) take("adler", "c");
      if (flags & F_CRC32_C) take("crc", "c");
    }
    const blockStart = out.pos;
    if (blockStart + dstLen > out.max) out.refuse();
    if (srcLen === dstLen) {
      const avail = input.subarray(p, Math.min(input.length, p + srcLen));
      out.push(avail);
      if (avail.length < srcLen) throw new InputEnded();
    } else {
      if (p + srcLen > input.length) {
        decodeLzo1x(input, p, out, what);
        throw new InputEnded();
      }
      const end = decodeLzo1x(input.subarray(0, p + srcLen), p, out, what);
      if (end !== p + srcLen) warnings.push(`${what}: lzop block ${n} has bytes after its LZO data`);
      if (out.pos - blockStart !== dstLen)
        throw new FormatError(
          `${what}: lzop block ${n} decodes to ${out.pos - blockStart} bytes, not ${dstLen}`,
        );
    }
    for (const s of sums) {
      const data = s.of === "d" ? out.buf : input;
      const [a, b] = s.of === "d" ? [blockStart, out.pos] : [p, p + srcLen];
      const got = s.kind === "adler" ? adler32(data, a, b) : crc32(data, a, b);
      if (got !== s.value)
        warnings.push(`${what}: lzop block ${n} ${s.kind === "adler" ? "Adler-32" : "CRC32"} mismatch`);
    }
    p += srcLen;
  }
}
