// LZMA2, the chunked LZMA inside xz: each chunk is either stored bytes or an LZMA run with a
// known unpacked size, and may reset the dictionary, the state or the properties. Written from
// the xz file format description and the LZMA2 chunk rules.
import { FormatError } from "../source.js";
import { InputEnded, type OutBuffer } from "./bounded.js";
import { LzmaDecoder, parsePropsByte } from "./lzma.js";

/** LZMA2 dictionary-size property byte (xz filter properties) to bytes. */
export function lzma2DictSize(b: number): number | undefined {
  if (b > 40) return undefined;
  if (b === 40) return 0xffffffff;
  return (2 | (b & 1)) * 2 ** (Math.floor(b / 2) + 11);
}

/**
 * Decode LZMA2 chunks from input[start] to the end-of-data chunk; returns the input position just
 * after it. `outLimit` is an absolute output position the chunks may not pass (a size the xz
 * block header records), so a lying chunk is refused before it is decoded.
 */
export function decodeLzma2(
  input: Uint8Array,
  start: number,
  out: OutBuffer,
  what: string,
  dictSize: number,
  outLimit = Infinity,
): number {
  const dec = new LzmaDecoder(out, what);
  dec.dictSize = dictSize;
  dec.dictStart = out.pos;
  let pos = start;
  let needDictReset = true;
  let needProps = true;
  for (;;) {
    if (pos >= input.length) throw new InputEnded();
    const control = input[pos++]!;
    if (control === 0) return pos;
    if (control >= 0xe0 || control === 1) {
      needProps = true;
      needDictReset = false;
      dec.dictStart = out.pos;
    } else if (needDictReset)
      throw new FormatError(`${what}: LZMA2 data does not start with a dictionary reset`);
    if (control >= 0x80) {
      if (pos + 4 > input.length) throw new InputEnded();
      const unpacked = (control & 0x1f) * 65536 + ((input[pos]! << 8) | input[pos + 1]!) + 1;
      const packed = ((input[pos + 2]! << 8) | input[pos + 3]!) + 1;
      pos += 4;
      const reset = (control >>> 5) & 3;
      if (reset >= 2) {
        if (pos >= input.length) throw new InputEnded();
        const props = parsePropsByte(input[pos++]!);
        if (!props || props.lc + props.lp > 4)
          throw new FormatError(`${what}: invalid LZMA2 properties byte 0x${input[pos - 1]!.toString(16)}`);
        dec.setProps(props);
        needProps = false;
      } else if (needProps) throw new FormatError(`${what}: LZMA2 chunk without properties`);
      if (reset >= 1) dec.resetState();
      if (out.pos + unpacked > outLimit)
        throw new FormatError(`${what}: LZMA2 chunk runs past the size the block header records`);
      dec.startRange(input, pos, Math.min(input.length, pos + packed));
      dec.decode(out.pos + unpacked, false, false);
      if (dec.inputPos !== pos + packed)
        throw new FormatError(`${what}: LZMA2 chunk does not use exactly its ${packed} compressed bytes`);
      pos += packed;
    } else if (control <= 2) {
      if (pos + 2 > input.length) throw new InputEnded();
      const size = ((input[pos]! << 8) | input[pos + 1]!) + 1;
      pos += 2;
      if (out.pos + size > outLimit)
        throw new FormatError(`${what}: LZMA2 chunk runs past the size the block header records`);
      const avail = input.subarray(pos, Math.min(input.length, pos + size));
      out.push(avail);
      if (avail.length < size) throw new InputEnded();
      pos += size;
    } else throw new FormatError(`${what}: invalid LZMA2 chunk control byte 0x${control.toString(16)}`);
  }
}
