// The output side every decoder shares: a buffer that grows on demand but never past the cap, so a
// decompression bomb is refused after producing at most `cap.max` bytes instead of filling memory.
import { LimitError, type StreamCap } from "../limits.js";
import { FormatError } from "../source.js";

/** Thrown by a decoder that needs more input than it was given; index.ts turns it into a result. */
export class InputEnded extends Error {
  override name = "InputEnded";
}

export class OutBuffer {
  buf: Uint8Array;
  pos = 0;
  /** The hard ceiling: the cap, or the size the container records when that is smaller. */
  readonly max: number;

  constructor(
    private readonly cap: StreamCap,
    private readonly what: string,
    /** Size the container says the output has at most; more is corruption, not a bomb. */
    private readonly recorded?: number,
    sizeHint = 0,
  ) {
    this.max = Math.max(0, Math.min(cap.max, recorded ?? Infinity));
    // Start at the hint when there is one (it is still bounded by the cap), else small.
    this.buf = new Uint8Array(Math.min(this.max, Math.max(sizeHint, 64 * 1024)));
  }

  /** Make room for `n` more bytes, or throw: LimitError past the cap, FormatError past the record. */
  reserve(n: number): Uint8Array {
    const need = this.pos + n;
    if (need <= this.buf.length) return this.buf;
    if (need > this.max) this.refuse();
    let size = Math.max(this.buf.length * 2, 64 * 1024);
    while (size < need) size *= 2;
    const grown = new Uint8Array(Math.min(size, this.max));
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
    return grown;
  }

  refuse(): never {
    if (this.recorded !== undefined && this.recorded < this.cap.max)
      throw new FormatError(
        `${this.what}: decodes to more than the ${this.recorded} bytes its container records`,
      );
    throw new LimitError(this.cap.limit, `${this.what}: stopped decompressing ${this.cap.why}`);
  }

  push(bytes: Uint8Array): void {
    this.reserve(bytes.length).set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** The bytes written; copied when the buffer is much larger, so the slack can be freed. */
  result(): Uint8Array {
    return this.buf.length > this.pos * 2 + 4096
      ? this.buf.slice(0, this.pos)
      : this.buf.subarray(0, this.pos);
  }
}
