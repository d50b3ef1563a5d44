// A Source is a random-access view of bytes: the image file, a decompressed stream, or a slice of
// either. Formats read through it and never assume the bytes are well formed.

export interface Source {
  /** Human-readable name for messages: "firmware.bin", "firmware.bin > gzip@0x40". */
  name: string;
  size: number;
  /** Up to `length` bytes from `offset`; shorter (possibly empty) at the end of the source. */
  read(offset: number, length: number): Uint8Array;
}

export function bufferSource(name: string, buf: Uint8Array): Source & { buffer: Uint8Array } {
  return {
    name,
    size: buf.length,
    buffer: buf,
    read: (offset, length) =>
      offset >= buf.length || offset < 0
        ? new Uint8Array(0)
        : buf.subarray(offset, Math.min(buf.length, offset + length)),
  };
}

export function sliceSource(src: Source, name: string, start: number, length: number): Source {
  const end = Math.min(src.size, start + Math.max(0, length));
  const size = Math.max(0, end - start);
  return {
    name,
    size,
    read: (offset, len) =>
      offset >= size || offset < 0
        ? new Uint8Array(0)
        : src.read(start + offset, Math.min(len, size - offset)),
  };
}

/** The whole source as one buffer (sources are bounded by the unpack limits before this is called). */
export function readAll(src: Source): Uint8Array {
  const maybe = src as Source & { buffer?: Uint8Array };
  if (maybe.buffer) return maybe.buffer;
  return src.read(0, src.size);
}

/** Thrown by a format that finds the bytes are not what it expected; the message says what and where. */
export class FormatError extends Error {
  override name = "FormatError";
}

export const u16le = (b: Uint8Array, o: number) => (b[o]! | (b[o + 1]! << 8)) >>> 0;
export const u32le = (b: Uint8Array, o: number) =>
  (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
export const u16be = (b: Uint8Array, o: number) => ((b[o]! << 8) | b[o + 1]!) >>> 0;
export const u32be = (b: Uint8Array, o: number) =>
  ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
/** 64-bit little-endian as a JS number; values above 2^53 are not valid offsets anyway. */
export const u64le = (b: Uint8Array, o: number) => u32le(b, o) + u32le(b, o + 4) * 2 ** 32;
