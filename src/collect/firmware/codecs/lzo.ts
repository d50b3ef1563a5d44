// LZO1X decompression (what lzop files and SquashFS lzo blocks hold; LZO1X-1 and LZO1X-999 share
// this decoder), written from the description of the LZO1X bitstream: literal runs and matches
// whose opcode also says how many literals follow, ending with the M4 match of distance 16384.
// Every read is checked against the input and every copy against the produced output.
import { FormatError } from "../source.js";
import { InputEnded, type OutBuffer } from "./bounded.js";
import { copyMatch as copyBack } from "./lzma.js";

/** Decode one LZO1X stream from input[start]; returns the input position after its end marker. */
export function decodeLzo1x(input: Uint8Array, start: number, out: OutBuffer, what: string): number {
  const inEnd = input.length;
  const outStart = out.pos;
  let ip = start;
  /** Literals the previous instruction asked for: 0, 1-3 (short), 4 (after a literal run). */
  let state = 0;

  const need = (n: number) => {
    if (ip + n > inEnd) throw new InputEnded();
  };
  const literals = (n: number) => {
    const avail = Math.min(n, inEnd - ip);
    out.push(input.subarray(ip, ip + avail));
    ip += avail;
    if (avail < n) throw new InputEnded();
  };
  /** Lengths past the opcode's field: each zero byte adds 255, the first non-zero ends it. */
  const extendedLength = (base: number) => {
    let n = base;
    for (;;) {
      need(1);
      const b = input[ip++]!;
      if (b !== 0) return n + b;
      n += 255;
    }
  };
  const match = (distance: number, length: number) => {
    const pos = out.pos;
    if (distance > pos - outStart)
      throw new FormatError(`${what}: corrupt LZO data (match before the start)`);
    copyBack(out.reserve(length), pos, distance, length);
    out.pos = pos + length;
  };

  need(1);
  if (input[ip]! > 17) {
    // A first byte above 17 is a literal run with no preceding match.
    const n = input[ip++]! - 17;
    literals(n);
    state = n < 4 ? n : 4;
  }
  for (;;) {
    need(1);
    const op = input[ip++]!;
    let distance: number;
    let length: number;
    let next: number;
    if (op < 16) {
      if (state === 0) {
        // Literal run of 4 or more.
        const n = (op === 0 ? extendedLength(15) : op) + 3;
        literals(n);
        state = 4;
        continue;
      }
      need(1);
      const h = input[ip++]!;
      // After 1-3 literals: a 2-byte match within 1 KiB; after a run: 3 bytes at 2-3 KiB.
      distance = (h << 2) + (op >>> 2) + (state === 4 ? 2049 : 1);
      length = state === 4 ? 3 : 2;
      next = op & 3;
    } else if (op < 32) {
      // M4: distance 16 KiB to 48 KiB; distance exactly 16384 ends the stream.
      length = (op & 7 ? op & 7 : extendedLength(7)) + 2;
      need(2);
      const d = input[ip]! | (input[ip + 1]! << 8);
      ip += 2;
      distance = 16384 + ((op & 8) << 11) + (d >>> 2);
      next = d & 3;
      if (distance === 16384) {
        if (length !== 3) throw new FormatError(`${what}: corrupt LZO end marker`);
        return ip;
      }
    } else if (op < 64) {
      // M3: distance up to 16 KiB.
      length = (op & 31 ? op & 31 : extendedLength(31)) + 2;
      need(2);
      const d = input[ip]! | (input[ip + 1]! << 8);
      ip += 2;
      distance = (d >>> 2) + 1;
      next = d & 3;
    } else {
      // M2: distance up to 2 KiB, length 3-8.
      need(1);
      distance = (input[ip++]! << 3) + ((op >>> 2) & 7) + 1;
      length = op < 128 ? 3 + ((op >>> 5) & 1) : 5 + ((op >>> 5) & 3);
      next = op & 3;
    }
    match(distance, length);
    if (next) literals(next);
    state = next;
  }
}
