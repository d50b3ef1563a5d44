// Bounded decompression. Every codec stops at `cap.max` bytes and throws a LimitError rather
// than filling memory with a decompression bomb; corrupt input throws a FormatError naming it.
// gzip/zlib/raw deflate go through node:zlib; xz, LZMA, LZO, zstd and bzip2 are decoded here in
// TypeScript (codecs/*.ts), writing into one output buffer that never grows past the cap.
import { constants, gunzipSync, inflateRawSync, inflateSync } from "node:zlib";
import { LimitError, type StreamCap } from "../limits.js";
import { FormatError } from "../source.js";
import { InputEnded, OutBuffer } from "./bounded.js";
import { decodeBzip2 } from "./bzip2.js";
import { decodeLzmaAlone, decodeLzmaRaw, type LzmaProps } from "./lzma.js";
import { decodeLzo1x } from "./lzo.js";
import { decodeLzop } from "./lzop.js";
import { decodeXz } from "./xz.js";
import { decodeZstd } from "./zstd.js";

export type { LzmaProps } from "./lzma.js";

/**
 * - "xz": one xz stream (any block/filter layout xz writes, BCJ and delta filters included).
 * - "lzma": LZMA-alone, the 13-byte header of .lzma files and SquashFS lzma blocks.
 * - "lzma-raw": headerless LZMA; properties in `opts.lzma`, size in `opts.size` or an end marker.
 * - "lzo": one raw LZO1X stream up to its end marker (SquashFS lzo blocks, one lzop block).
 * - "lzop": an lzop file, header and blocks, through its end-of-file marker.
 * - "zstd": consecutive zstd frames, skippable frames between them allowed.
 * - "bzip2": one bzip2 stream and any streams concatenated right after it.
 */
export type Codec =
  "gzip" | "zlib" | "deflate-raw" | "xz" | "lzma" | "lzma-raw" | "lzo" | "lzop" | "zstd" | "bzip2";

/** Options for the codecs decoded here; gzip, zlib and deflate-raw keep node:zlib's behaviour. */
export interface DecompressOptions {
  /**
   * The output size the container records (a SquashFS block size, an lzop block's size): more
   * output is a FormatError. For "lzma-raw" it is the exact size, decoding stops there.
   */
  size?: number;
  /** Properties for "lzma-raw"; default lc=3 lp=0 pb=2 with an 8 MiB dictionary. */
  lzma?: LzmaProps;
  /** When the input ends mid-stream, return what decoded (with `truncated`) instead of throwing. */
  partial?: boolean;
}

export interface Decompressed {
  data: Uint8Array;
  /** Compressed bytes the stream occupies, when the codec can tell (all but a truncated stream). */
  consumed?: number;
  /** The input ended before the stream did (only with `partial`); `data` is what decoded. */
  truncated?: boolean;
  /** Damage that did not stop decoding: a check that does not match, an index that disagrees. */
  warnings?: string[];
}

const DEFAULT_LZMA: LzmaProps = { lc: 3, lp: 0, pb: 2, dictSize: 8 * 1024 * 1024 };

export function decompress(
  codec: Codec,
  input: Uint8Array,
  cap: StreamCap,
  what: string,
  opts: DecompressOptions = {},
): Decompressed {
  if (codec === "gzip" || codec === "zlib" || codec === "deflate-raw")
    return inflate(codec, input, cap, what);
  const out = new OutBuffer(cap, what, opts.size, opts.size);
  const warnings: string[] = [];
  try {
    let consumed: number;
    switch (codec) {
      case "xz":
        consumed = decodeXz(input, out, what, warnings);
        break;
      case "lzma":
        consumed = decodeLzmaAlone(input, out, what);
        break;
      case "lzma-raw":
        consumed = decodeLzmaRaw(input, 0, out, what, opts.lzma ?? DEFAULT_LZMA, opts.size ?? Infinity);
        break;
      case "lzo":
        consumed = decodeLzo1x(input, 0, out, what);
        break;
      case "lzop":
        consumed = decodeLzop(input, out, what, warnings);
        break;
      case "zstd":
        consumed = decodeZstd(input, out, what, warnings);
        break;
      case "bzip2":
        consumed = decodeBzip2(input, out, what, warnings);
        break;
      default:
        throw new FormatError(`${what}: unknown codec ${String(codec)}`);
    }
    return { data: out.result(), consumed, ...(warnings.length ? { warnings } : {}) };
  } catch (e) {
    if (!(e instanceof InputEnded)) throw e;
    if (!opts.partial) throw new FormatError(`${what}: ${codec} stream is truncated`);
    return { data: out.result(), truncated: true, ...(warnings.length ? { warnings } : {}) };
  }
}

function inflate(
  codec: "gzip" | "zlib" | "deflate-raw",
  input: Uint8Array,
  cap: StreamCap,
  what: string,
): Decompressed {
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
