// JFFS2's "rtime" compression, decoded from its definition: the stream is pairs of (byte, run);
// each byte is written, then `run` bytes are copied from just after the previous place that same
// byte value was written (a per-value back reference, possibly overlapping). Output stops at the
// node's recorded size.
import { FormatError } from "../../source.js";

export function rtimeDecompress(input: Uint8Array, outLen: number, what: string): Uint8Array {
  const out = new Uint8Array(outLen);
  const lastSeen = new Int32Array(256);
  let o = 0;
  let i = 0;
  while (o < outLen) {
    if (i + 2 > input.length) throw new FormatError(`${what}: rtime data ends early`);
    const value = input[i++]!;
    let run = input[i++]!;
    out[o++] = value;
    let back = lastSeen[value]!;
    lastSeen[value] = o;
    if (run > outLen - o) throw new FormatError(`${what}: rtime run past the recorded size`);
    // Byte by byte: the source may overlap what this run writes.
    while (run-- > 0) out[o++] = out[back++]!;
  }
  return out;
}
