// bzip2 streams: "BZh" and a block-size digit, then the first block's magic 31 41 59 26 53 59
// (the BCD digits of pi). The scan keys on that 6-byte block magic; the probe checks the header.
import { extractStream } from "../codecs/stream-format.js";
import { hex, type Format } from "./types.js";

export const bzip2Format: Format = {
  id: "bzip2",
  version: "1",
  magics: [{ bytes: hex("314159265359"), at: 4 }],
  probe(src, offset) {
    const h = src.read(offset, 4);
    return (
      h.length === 4 && h[0] === 0x42 && h[1] === 0x5a && h[2] === 0x68 && h[3]! >= 0x31 && h[3]! <= 0x39
    );
  },
  extract: (src, offset, ctx) => extractStream("bzip2", "bzip2", src, offset, ctx),
};
