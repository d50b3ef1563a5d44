// Checksums the stream formats carry: CRC32 (xz, lzop, bzip2 uses its own MSB-first variant),
// CRC64 (xz), Adler-32 (lzop). Table-driven (CRC32 through zlib when Node has it); CRC64 is kept
// as two 32-bit halves to stay off BigInt, and tables are Int32Array so the inner loops stay in
// small-integer arithmetic (uint32 values above 2^31 would make V8 fall back to doubles, several
// times slower).
import * as zlib from "node:zlib";

// Both CRCs are computed slicing-by-8: eight tables, where table k maps a byte to the CRC
// contribution of that byte followed by k zero bytes, so eight input bytes are folded in with
// eight lookups and no per-byte dependency chain. Table k lives at offset k * 256 of one array.

/** Extend a one-byte table (t[0..256)) to the eight slicing tables, for a reflected CRC. */
function slicingTables32(t: Int32Array): Int32Array {
  for (let k = 1; k < 8; k++)
    for (let n = 0; n < 256; n++) {
      const prev = t[(k - 1) * 256 + n]!;
      t[k * 256 + n] = (prev >>> 8) ^ t[prev & 0xff]!;
    }
  return t;
}

const CRC32_TABLES = (() => {
  const t = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return slicingTables32(t);
})();

// zlib's CRC32 is the same function, several times faster; Node has it from 20.15 (engines allow
// 20.11, so it is looked up rather than imported, and the table version stays the fallback).
const zlibCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

export function crc32(data: Uint8Array, start = 0, end = data.length): number {
  if (zlibCrc32) return zlibCrc32(data.subarray(start, end));
  return crc32Tables(data, start, end);
}

/** The table-driven CRC32, exported so it can be tested whatever the Node version. */
export function crc32Tables(data: Uint8Array, start = 0, end = data.length): number {
  return ~crc32Register(-1, data, start, end) >>> 0;
}

/**
 * Feed bytes into the CRC-32 register with no inversion before or after (the Linux kernel's
 * crc32_le): TRX, JFFS2, UBI and UBIFS checksum this way, ZIP, gzip and uImage the inverted way.
 */
export function crc32Update(reg: number, data: Uint8Array, start = 0, end = data.length): number {
  return crc32Register(reg | 0, data, start, end) >>> 0;
}

function crc32Register(reg: number, data: Uint8Array, start: number, end: number): number {
  const t = CRC32_TABLES;
  let c = reg;
  let i = start;
  for (const stop = end - 7; i < stop; i += 8) {
    c ^= data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    c =
      t[0x700 + (c & 0xff)]! ^
      t[0x600 + ((c >>> 8) & 0xff)]! ^
      t[0x500 + ((c >>> 16) & 0xff)]! ^
      t[0x400 + (c >>> 24)]! ^
      t[0x300 + data[i + 4]!]! ^
      t[0x200 + data[i + 5]!]! ^
      t[0x100 + data[i + 6]!]! ^
      t[data[i + 7]!]!;
  }
  for (; i < end; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return c;
}

// CRC64/XZ: reflected polynomial 0xC96C5795D7870F42, each entry as two 32-bit halves.
const CRC64_LO = new Int32Array(8 * 256);
const CRC64_HI = new Int32Array(8 * 256);
(() => {
  const polyLo = 0xd7870f42;
  const polyHi = 0xc96c5795;
  for (let n = 0; n < 256; n++) {
    let lo = n;
    let hi = 0;
    for (let k = 0; k < 8; k++) {
      const bit = lo & 1;
      lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
      hi = hi >>> 1;
      if (bit) {
        lo = (lo ^ polyLo) >>> 0;
        hi = (hi ^ polyHi) >>> 0;
      }
    }
    CRC64_LO[n] = lo;
    CRC64_HI[n] = hi;
  }
  for (let k = 1; k < 8; k++)
    for (let n = 0; n < 256; n++) {
      // Shift the previous entry right by 8 bits and fold the byte shifted out back in.
      const lo = CRC64_LO[(k - 1) * 256 + n]!;
      const hi = CRC64_HI[(k - 1) * 256 + n]!;
      const idx = lo & 0xff;
      CRC64_LO[k * 256 + n] = ((lo >>> 8) | (hi << 24)) ^ CRC64_LO[idx]!;
      CRC64_HI[k * 256 + n] = (hi >>> 8) ^ CRC64_HI[idx]!;
    }
})();

/** CRC64 as 8 little-endian bytes, the way xz stores it. */
export function crc64(data: Uint8Array, start = 0, end = data.length): Uint8Array {
  const tl = CRC64_LO;
  const th = CRC64_HI;
  let lo = -1;
  let hi = -1;
  let i = start;
  for (const stop = end - 7; i < stop; i += 8) {
    lo ^= data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    hi ^= data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24);
    const a = 0x700 + (lo & 0xff);
    const b = 0x600 + ((lo >>> 8) & 0xff);
    const c = 0x500 + ((lo >>> 16) & 0xff);
    const d = 0x400 + (lo >>> 24);
    const e = 0x300 + (hi & 0xff);
    const f = 0x200 + ((hi >>> 8) & 0xff);
    const g = 0x100 + ((hi >>> 16) & 0xff);
    const h = hi >>> 24;
    lo = tl[a]! ^ tl[b]! ^ tl[c]! ^ tl[d]! ^ tl[e]! ^ tl[f]! ^ tl[g]! ^ tl[h]!;
    hi = th[a]! ^ th[b]! ^ th[c]! ^ th[d]! ^ th[e]! ^ th[f]! ^ th[g]! ^ th[h]!;
  }
  for (; i < end; i++) {
    const idx = (lo ^ data[i]!) & 0xff;
    lo = ((lo >>> 8) | (hi << 24)) ^ tl[idx]!;
    hi = (hi >>> 8) ^ th[idx]!;
  }
  lo = (lo ^ 0xffffffff) >>> 0;
  hi = (hi ^ 0xffffffff) >>> 0;
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, lo, true);
  view.setUint32(4, hi, true);
  return out;
}

export function adler32(data: Uint8Array, start = 0, end = data.length): number {
  let a = 1;
  let b = 0;
  let i = start;
  while (i < end) {
    // Reduce every 5552 bytes (zlib's NMAX) so the sums stay small integers.
    const stop = Math.min(end, i + 5552);
    for (; i < stop; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

// bzip2's CRC is the non-reflected CRC32 (polynomial 0x04C11DB7, MSB first).
const CRC32_MSB_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    t[n] = c;
  }
  return t;
})();

/** Update a bzip2 CRC (start with 0xffffffff, finish with ~) over `data[start..end)`. */
export function crc32msb(crc: number, data: Uint8Array, start: number, end: number): number {
  let c = crc;
  for (let i = start; i < end; i++) c = (c << 8) ^ CRC32_MSB_TABLE[((c >>> 24) ^ data[i]!) & 0xff]!;
  return c >>> 0;
}
