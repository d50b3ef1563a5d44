// Bounded access to the bytes of one squashfs: raw reads checked against the image, block
// decompression through the shared codecs with the output capped by what the format allows, and
// metadata blocks (2-byte header, up to 8 KiB) decoded once and cached.
import { decompress, type Codec } from "../../codecs/index.js";
import { LimitError, type Budget } from "../../limits.js";
import { FormatError, type Source } from "../../source.js";
import { METADATA_SIZE, type Superblock } from "./superblock.js";

const UNCOMPRESSED_METADATA = 0x8000;
/** Keep at most this much decoded metadata; hostile images may reference far more. */
const CACHE_BYTES = 64 * 1024 * 1024;

export interface MetadataBlock {
  data: Uint8Array;
  /** Position (from the superblock) of the block that follows. */
  next: number;
}

export class SquashImage {
  /** Bytes of the filesystem actually present: bytes_used, or less when the image is truncated. */
  readonly end: number;
  private readonly cache = new Map<number, MetadataBlock>();
  private cached = 0;

  constructor(
    readonly src: Source,
    readonly base: number,
    readonly sb: Superblock,
    readonly codec: Codec,
    readonly budget: Budget,
    readonly what: string,
  ) {
    this.end = Math.min(sb.bytesUsed, src.size - base);
  }

  /** Exactly `length` bytes at `pos` (from the superblock), or a FormatError naming `why`. */
  bytes(pos: number, length: number, why: string): Uint8Array {
    if (pos < 0 || length < 0 || pos + length > this.end)
      throw new FormatError(`${this.what}: ${why} at 0x${pos.toString(16)} (+${length}) is beyond the image`);
    return this.src.read(this.base + pos, length);
  }

  /**
   * Decompress one block that must yield at most `max` bytes. Overshooting is corruption of this
   * image, not a limit of the run, so it becomes a FormatError; the budget is charged by callers.
   */
  inflate(raw: Uint8Array, max: number, why: string): Uint8Array {
    const cap = { max, limit: "maxRatio" as const, why: `more than the ${max} bytes a ${why} may hold` };
    try {
      return decompress(this.codec, raw, cap, `${this.what} ${why}`, { size: max }).data;
    } catch (e) {
      if (e instanceof LimitError) throw new FormatError(e.message);
      throw e;
    }
  }

  /** The metadata block at `pos`, decoded and cached. */
  metadata(pos: number, table: string): MetadataBlock {
    const hit = this.cache.get(pos);
    if (hit) return hit;
    const header = this.bytes(pos, 2, `${table} block header`);
    const word = header[0]! | (header[1]! << 8);
    const size = word & ~UNCOMPRESSED_METADATA;
    if (size === 0 || size > METADATA_SIZE)
      throw new FormatError(
        `${this.what}: ${table} block at 0x${pos.toString(16)} has impossible size ${size}`,
      );
    const raw = this.bytes(pos + 2, size, `${table} block`);
    const data =
      word & UNCOMPRESSED_METADATA
        ? raw
        : this.inflate(raw, METADATA_SIZE, `${table} block at 0x${pos.toString(16)}`);
    this.budget.chargeBytes(data.length, this.what);
    if (this.cached + data.length > CACHE_BYTES) {
      this.cache.clear();
      this.cached = 0;
    }
    const block = { data, next: pos + 2 + size };
    this.cache.set(pos, block);
    this.cached += data.length;
    return block;
  }
}
