// Bounded decompression. Every codec stops at `cap.max` bytes and throws a LimitError rather
// than filling memory with a decompression bomb; corrupt input throws a FormatError naming it.
import { constants, gunzipSync, inflateRawSync, inflateSync } from "node:zlib";
import { LimitError, type StreamCap } from "../limits.js";
import { FormatError } from "../source.js";

export type Codec = "gzip" | "zlib" | "deflate-raw";

export interface Decompressed {
  data: Uint8Array;
  /** Compressed bytes actually read, when the codec can tell (gzip, zlib, raw deflate). */
  consumed?: number;
}

export function decompress(codec: Codec, input: Uint8Array, cap: StreamCap, what: string): Decompressed {
  try {
    // `info: true` makes zlib report how much input it read, so a payload that follows the
    // stream (a root filesystem after a compressed kernel) is still found.
    // Z_SYNC_FLUSH keeps what a truncated stream yields instead of failing the whole payload.
    const opts = {
      maxOutputLength: Math.max(1, cap.max),
      info: true as const,
      finishFlush: constants.Z_SYNC_FLUSH,
    };
    const fn = codec === "gzip" ? gunzipSync : codec === "zlib" ? inflateSync : inflateRawSync;
    const r = fn(input, opts) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    return { data: r.buffer, consumed: r.engine.bytesWritten };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (
      err.code === "ERR_BUFFER_TOO_LARGE" ||
      /Cannot create a Buffer larger than|maxOutputLength|exceeds/i.test(err.message)
    )
      throw new LimitError(cap.limit, `${what}: stopped decompressing ${cap.why}`);
    throw new FormatError(`${what}: corrupt ${codec} data (${err.message})`);
  }
}
