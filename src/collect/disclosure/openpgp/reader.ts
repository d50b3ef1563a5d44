// A bounds-checked cursor over packet bytes. Every read that would run past the end throws a
// PgpFormatError, so a truncated or hostile packet becomes a clear reason, never a crash or a
// read of someone else's bytes.

export class PgpFormatError extends Error {
  override name = "PgpFormatError";
}

export class Reader {
  private pos = 0;

  constructor(
    readonly bytes: Uint8Array,
    private readonly what: string,
  ) {}

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  private need(n: number): void {
    if (n < 0 || this.pos + n > this.bytes.length)
      throw new PgpFormatError(`${this.what} is truncated (needs ${n} more bytes at offset ${this.pos})`);
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++]!;
  }

  u16(): number {
    return (this.u8() << 8) | this.u8();
  }

  u32(): number {
    // >>> 0 keeps the value unsigned when the top bit is set.
    return ((this.u8() << 24) | (this.u8() << 16) | (this.u8() << 8) | this.u8()) >>> 0;
  }

  take(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  rest(): Uint8Array {
    return this.take(this.remaining);
  }

  /** A multiprecision integer: a 2-byte bit count, then the big-endian value without leading zeros. */
  mpi(maxBits = 16384): Uint8Array {
    const bits = this.u16();
    if (bits > maxBits)
      throw new PgpFormatError(`${this.what} holds a ${bits}-bit number (limit ${maxBits})`);
    return this.take((bits + 7) >> 3);
  }
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function be32(n: number): Uint8Array {
  return Uint8Array.of((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex").toUpperCase();
}

/** Left-pad a big-endian number to `size` bytes (MPIs drop leading zeros; raw keys need them). */
export function padStart(bytes: Uint8Array, size: number): Uint8Array {
  if (bytes.length === size) return bytes;
  if (bytes.length > size)
    throw new PgpFormatError(`a ${bytes.length}-byte value does not fit in ${size} bytes`);
  const out = new Uint8Array(size);
  out.set(bytes, size - bytes.length);
  return out;
}
