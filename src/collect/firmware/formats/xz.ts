// xz streams (magic FD 37 7A 58 5A 00): the stream flags and their CRC32 are checked before the
// payload is accepted, so six chance bytes do not start a decode.
import { crc32 } from "../codecs/checksums.js";
import { extractStream } from "../codecs/stream-format.js";
import { u32le } from "../source.js";
import { hex, type Format } from "./types.js";

export const xzFormat: Format = {
  id: "xz",
  version: "1",
  magics: [{ bytes: hex("fd377a585a00"), at: 0 }],
  probe(src, offset) {
    const h = src.read(offset, 12);
    return h.length === 12 && h[6] === 0 && (h[7]! & 0xf0) === 0 && crc32(h, 6, 8) === u32le(h, 8);
  },
  extract: (src, offset, ctx) => extractStream("xz", "xz", src, offset, ctx),
};
