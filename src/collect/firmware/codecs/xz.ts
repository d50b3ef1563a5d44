// The xz container (xz-file-format-1.2.0): stream header, blocks of LZMA2 behind optional
// BCJ/delta filters, each with an integrity check, then the index and the stream footer. Decoding
// walks it front to back, so the exact stream length is known when the footer is read; the index
// is compared with what the blocks really held. Sizes a block header records are enforced before
// decoding, and the output buffer bounds everything else.
import { createHash } from "node:crypto";
import { FormatError } from "../source.js";
import { InputEnded, type OutBuffer } from "./bounded.js";
import { FILTER_NAMES, isSupportedFilter, unfilter } from "./bcj.js";
import { crc32, crc64 } from "./checksums.js";
import { decodeLzma2, lzma2DictSize } from "./lzma2.js";

export const XZ_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
const CHECK_SIZES = [0, 4, 4, 4, 8, 8, 8, 16, 16, 16, 32, 32, 32, 64, 64, 64];
const CHECK_NAMES: Record<number, string> = { 0: "none", 1: "CRC32", 4: "CRC64", 10: "SHA-256" };
const LZMA2 = 0x21;

const u32 = (b: Uint8Array, o: number) =>
  (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;

/** xz variable-length integer: 7 bits a byte, at most 9 bytes, no superfluous zero byte. */
function varint(b: Uint8Array, pos: number, end: number, what: string): [number, number] {
  let value = 0;
  for (let i = 0; i < 9; i++) {
    if (pos + i >= end) throw new FormatError(`${what}: xz integer runs past its field`);
    const byte = b[pos + i]!;
    value += (byte & 0x7f) * 2 ** (7 * i);
    if (!(byte & 0x80)) {
      if (byte === 0 && i > 0) throw new FormatError(`${what}: xz integer has a superfluous zero byte`);
      if (value > Number.MAX_SAFE_INTEGER) throw new FormatError(`${what}: xz integer too large`);
      return [value, pos + i + 1];
    }
  }
  throw new FormatError(`${what}: xz integer longer than 9 bytes`);
}

interface Filter {
  id: number;
  prop: number;
}

interface BlockHeader {
  size: number;
  compressed?: number;
  uncompressed?: number;
  filters: Filter[];
  dictSize: number;
}

function readBlockHeader(input: Uint8Array, pos: number, what: string): BlockHeader {
  const size = (input[pos]! + 1) * 4;
  if (pos + size > input.length) throw new InputEnded();
  const end = pos + size - 4;
  if (crc32(input, pos, end) !== u32(input, end))
    throw new FormatError(`${what}: xz block header CRC32 mismatch`);
  const flags = input[pos + 1]!;
  if (flags & 0x3c) throw new FormatError(`${what}: xz block header has reserved flags set`);
  let p = pos + 2;
  const header: BlockHeader = { size, filters: [], dictSize: 0 };
  if (flags & 0x40) [header.compressed, p] = varint(input, p, end, what);
  if (flags & 0x80) [header.uncompressed, p] = varint(input, p, end, what);
  const count = (flags & 3) + 1;
  for (let i = 0; i < count; i++) {
    let id: number, propSize: number;
    [id, p] = varint(input, p, end, what);
    [propSize, p] = varint(input, p, end, what);
    if (p + propSize > end) throw new FormatError(`${what}: xz filter properties run past the block header`);
    const props = input.subarray(p, p + propSize);
    p += propSize;
    const last = i === count - 1;
    if (last !== (id === LZMA2))
      throw new FormatError(
        `${what}: xz filter chain must end with LZMA2 (found ${FILTER_NAMES[id] ?? `0x${id.toString(16)}`})`,
      );
    if (id === LZMA2) {
      const dict = propSize === 1 ? lzma2DictSize(props[0]!) : undefined;
      if (dict === undefined) throw new FormatError(`${what}: invalid LZMA2 properties`);
      header.dictSize = dict;
    } else if (!isSupportedFilter(id)) {
      throw new FormatError(`${what}: unsupported xz filter ${FILTER_NAMES[id] ?? `0x${id.toString(16)}`}`);
    } else if (id === 0x03) {
      if (propSize !== 1) throw new FormatError(`${what}: invalid delta filter properties`);
      header.filters.push({ id, prop: props[0]! + 1 });
    } else {
      if (propSize !== 0 && propSize !== 4) throw new FormatError(`${what}: invalid BCJ filter properties`);
      header.filters.push({ id, prop: propSize === 4 ? u32(props, 0) : 0 });
    }
  }
  for (; p < end; p++)
    if (input[p] !== 0) throw new FormatError(`${what}: xz block header padding is not zero`);
  return header;
}

function checkMatches(type: number, data: Uint8Array, stored: Uint8Array): boolean | undefined {
  if (type === 1) return crc32(data) === u32(stored, 0);
  if (type === 4) return Buffer.from(crc64(data)).equals(stored);
  if (type === 10) return createHash("sha256").update(data).digest().equals(stored);
  return undefined; // none, or a check type this decoder does not know: nothing to compare
}

/**
 * Decode one xz stream at the start of `input` into `out`; returns the stream length (through
 * the footer). Integrity problems that do not stop decoding go to `warnings`.
 */
export function decodeXz(input: Uint8Array, out: OutBuffer, what: string, warnings: string[]): number {
  if (input.length < 12) throw new InputEnded();
  for (let i = 0; i < 6; i++)
    if (input[i] !== XZ_MAGIC[i]) throw new FormatError(`${what}: not an xz stream`);
  if (input[6] !== 0 || input[7]! & 0xf0) throw new FormatError(`${what}: xz stream flags are invalid`);
  if (crc32(input, 6, 8) !== u32(input, 8)) throw new FormatError(`${what}: xz stream header CRC32 mismatch`);
  const checkType = input[7]!;
  const checkSize = CHECK_SIZES[checkType]!;
  const records: [number, number][] = [];
  let pos = 12;
  for (;;) {
    if (pos >= input.length) throw new InputEnded();
    if (input[pos] === 0) break; // index indicator
    const blockStart = pos;
    const header = readBlockHeader(input, pos, what);
    const dataStart = pos + header.size;
    const outStart = out.pos;
    // A size the header records is a promise: refuse a bomb before decoding it, and otherwise
    // allocate the block's output once instead of growing the buffer while decoding.
    if (header.uncompressed !== undefined) {
      if (out.pos + header.uncompressed > out.max) out.refuse();
      out.reserve(header.uncompressed);
    }
    let end: number;
    try {
      end = decodeLzma2(
        input,
        dataStart,
        out,
        what,
        header.dictSize,
        header.uncompressed === undefined ? Infinity : outStart + header.uncompressed,
      );
    } finally {
      // Keep partial output usable when the input ends mid-block: filters work byte by byte.
      for (let i = header.filters.length - 1; i >= 0; i--)
        unfilter(header.filters[i]!.id, out.buf, outStart, out.pos, header.filters[i]!.prop);
    }
    const compressed = end - dataStart;
    const produced = out.pos - outStart;
    if (header.compressed !== undefined && header.compressed !== compressed)
      throw new FormatError(`${what}: xz block compressed size differs from its header`);
    if (header.uncompressed !== undefined && header.uncompressed !== produced)
      throw new FormatError(`${what}: xz block uncompressed size differs from its header`);
    pos = end;
    while ((pos - dataStart) % 4) {
      if (pos >= input.length) throw new InputEnded();
      if (input[pos++] !== 0) throw new FormatError(`${what}: xz block padding is not zero`);
    }
    if (pos + checkSize > input.length) throw new InputEnded();
    const ok = checkMatches(
      checkType,
      out.buf.subarray(outStart, out.pos),
      input.subarray(pos, pos + checkSize),
    );
    if (ok === false)
      warnings.push(
        `${what}: xz ${CHECK_NAMES[checkType]} check of block at +0x${blockStart.toString(16)} does not match`,
      );
    pos += checkSize;
    records.push([header.size + compressed + checkSize, produced]);
  }
  const indexEnd = readIndex(input, pos, records, what, warnings);
  return readFooter(input, indexEnd, indexEnd - pos, what, warnings);
}

function readIndex(
  input: Uint8Array,
  start: number,
  records: [number, number][],
  what: string,
  warnings: string[],
): number {
  const [count, first] = varint(input, start + 1, input.length, what);
  let p = first;
  let mismatch = count !== records.length;
  // Each record is at least two bytes; a count beyond the input is corrupt, not a reason to loop.
  if (count * 2 > input.length - p) throw new InputEnded();
  for (let i = 0; i < count; i++) {
    let unpadded: number, uncompressed: number;
    [unpadded, p] = varint(input, p, input.length, what);
    [uncompressed, p] = varint(input, p, input.length, what);
    const r = records[i];
    if (!r || r[0] !== unpadded || r[1] !== uncompressed) mismatch = true;
  }
  while ((p - start) % 4) {
    if (p >= input.length) throw new InputEnded();
    if (input[p++] !== 0) throw new FormatError(`${what}: xz index padding is not zero`);
  }
  if (p + 4 > input.length) throw new InputEnded();
  if (crc32(input, start, p) !== u32(input, p)) warnings.push(`${what}: xz index CRC32 mismatch`);
  if (mismatch) warnings.push(`${what}: xz index does not match the blocks`);
  return p + 4;
}

function readFooter(
  input: Uint8Array,
  pos: number,
  indexSize: number,
  what: string,
  warnings: string[],
): number {
  if (pos + 12 > input.length) throw new InputEnded();
  if (input[pos + 10] !== 0x59 || input[pos + 11] !== 0x5a)
    throw new FormatError(`${what}: xz stream footer missing`);
  if (crc32(input, pos + 4, pos + 10) !== u32(input, pos))
    warnings.push(`${what}: xz stream footer CRC32 mismatch`);
  if ((u32(input, pos + 4) + 1) * 4 !== indexSize)
    warnings.push(`${what}: xz footer backward size does not match`);
  if (input[pos + 8] !== input[6] || input[pos + 9] !== input[7])
    warnings.push(`${what}: xz footer flags differ from the header`);
  return pos + 12;
}
