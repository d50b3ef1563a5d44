// lzop files (magic 89 4C 5A 4F 00 0D 0A 1A 0A): the probe parses the header, checksum
// included, exactly as the decoder will.
import { InputEnded } from "../codecs/bounded.js";
import { readLzopHeader } from "../codecs/lzop.js";
import { extractStream } from "../codecs/stream-format.js";
import { FormatError } from "../source.js";
import { hex, type Format } from "./types.js";

export const lzopFormat: Format = {
  id: "lzop",
  version: "1",
  magics: [{ bytes: hex("894c5a4f000d0a1a0a"), at: 0 }],
  probe(src, offset) {
    try {
      readLzopHeader(src.read(offset, 9 + 32 + 255 + 4), `${src.name} lzop@0x${offset.toString(16)}`);
      return true;
    } catch (e) {
      if (e instanceof FormatError || e instanceof InputEnded) return false;
      throw e;
    }
  },
  extract: (src, offset, ctx) => extractStream("lzop", "lzop", src, offset, ctx),
};
