// gzip (RFC 1952): a member header, raw deflate data, CRC32 and size. The header is parsed here
// and the deflate data inflated raw, so the exact member length is known: vendor images put
// other payloads (a root filesystem) right after a compressed kernel.
import { decompress } from "../codecs/index.js";
import { bufferSource, FormatError, u32le } from "../source.js";
import { hex, type Format } from "./types.js";

const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;

export const gzipFormat: Format = {
  id: "gzip",
  version: "1",
  magics: [{ bytes: hex("1f8b08"), at: 0 }],
  probe(src, offset) {
    const h = src.read(offset, 10);
    // Reserved flag bits must be zero; the OS byte is a known value.
    return h.length === 10 && (h[3]! & 0xe0) === 0 && (h[9]! <= 13 || h[9] === 255);
  },
  extract(src, offset, ctx) {
    const what = `${src.name} gzip@0x${offset.toString(16)}`;
    const input = src.read(offset, src.size - offset);
    const flags = input[3]!;
    let pos = 10;
    if (flags & FEXTRA) pos += 2 + (input[pos]! | (input[pos + 1]! << 8));
    for (const flag of [FNAME, FCOMMENT])
      if (flags & flag) {
        while (pos < input.length && input[pos] !== 0) pos++;
        pos++;
      }
    if (flags & FHCRC) pos += 2;
    if (pos >= input.length) throw new FormatError(`${what}: truncated header`);
    const { data, consumed } = decompress(
      "deflate-raw",
      input.subarray(pos),
      ctx.budget.streamCap(input.length),
      what,
    );
    const end = pos + (consumed ?? input.length - pos) + 8;
    if (end > input.length) ctx.note(`${what}: stream is truncated (no CRC trailer); kept what inflated`);
    else if (u32le(input, end - 4) !== data.length % 2 ** 32)
      ctx.note(`${what}: size in the trailer does not match the data`);
    ctx.budget.chargeBytes(data.length, what);
    return {
      kind: "stream",
      data: bufferSource(`${src.name} > gzip@0x${offset.toString(16)}`, data),
      consumed: Math.min(end, input.length),
    };
  },
};
