// Zstandard frames (magic 28 B5 2F FD). The probe reads the frame header as the decoder will:
// reserved bit clear, a window of at most 2 GiB, and a first block whose type is not reserved
// and whose size fits the block maximum.
import { extractStream } from "../codecs/stream-format.js";
import { hex, type Format } from "./types.js";

export const zstdFormat: Format = {
  id: "zstd",
  version: "1",
  magics: [{ bytes: hex("28b52ffd"), at: 0 }],
  probe(src, offset) {
    const h = src.read(offset, 21);
    if (h.length < 9) return false;
    const fhd = h[4]!;
    if (fhd & 8) return false;
    const single = (fhd >>> 5) & 1;
    let p = 5;
    if (!single && 10 + (h[p++]! >>> 3) > 31) return false;
    p += [0, 1, 2, 4][fhd & 3]! + [single, 2, 4, 8][fhd >>> 6]!;
    if (p + 3 > h.length) return false;
    const block = h[p]! | (h[p + 1]! << 8) | (h[p + 2]! << 16);
    const type = (block >>> 1) & 3;
    return type !== 3 && block >>> 3 <= 128 * 1024;
  },
  extract: (src, offset, ctx) => extractStream("zstd", "zstd", src, offset, ctx),
};
