// Checksums the stream formats carry: CRC32 (xz, lzop, bzip2 uses its own MSB-first variant),
// CRC64 (xz), Adler-32 (lzop). Table-driven; CRC64 is kept as two 32-bit halves to stay off BigInt,
// and tables are Int32Array so the inner loops stay in small-integer arithmetic (uint32 values
// above 2^31 would make V8 fall back to doubles, several times slower).

const CRC32_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

export function crc32(data: Uint8Array, start = 0, end = data.length): number {
  let c = -1;
  for (let i = start; i < end; i++) c = CRC32_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

// CRC64/XZ: reflected polynomial 0xC96C5795D7870F42.
const CRC64_LO = new Int32Array(256);
const CRC64_HI = new Int32Array(256);
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
})();

/** CRC64 as 8 little-endian bytes, the way xz stores it. */
export function crc64(data: Uint8Array, start = 0, end = data.length): Uint8Array {
  let lo = -1;
  let hi = -1;
  for (let i = start; i < end; i++) {
    const idx = (lo ^ data[i]!) & 0xff;
    lo = ((lo >>> 8) | (hi << 24)) ^ CRC64_LO[idx]!;
    hi = (hi >>> 8) ^ CRC64_HI[idx]!;
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
