// The entropy coders of Zstandard (RFC 8878): finite-state-entropy tables and canonical Huffman
// tables, and the bitstreams they read. Written from the RFC; every table a stream describes is
// checked (accuracy, symbol range, counts adding up) before it is built.
import { FormatError } from "../source.js";

const highBit = (x: number) => 31 - Math.clz32(x);

/**
 * A bitstream read backwards (from its last byte towards its first), as FSE and Huffman streams
 * are written. The last byte's highest set bit marks where the data starts. Reading past the
 * beginning yields zero bits and leaves `pos` negative, which the callers use to detect the end.
 */
export class BackwardBits {
  /** Bit position of the next unread bit + 1, counted from the first bit of the stream. */
  pos: number;
  constructor(
    private readonly src: Uint8Array,
    private readonly start: number,
    end: number,
    what: string,
  ) {
    const last = end > start ? src[end - 1]! : 0;
    if (last === 0) throw new FormatError(`${what}: corrupt zstd bitstream (no end mark)`);
    this.pos = (end - 1 - start) * 8 + highBit(last);
  }

  /** `n` bits (at most 24), the first read being the most significant. */
  read(n: number): number {
    if (n === 0) return 0;
    this.pos -= n;
    let p = this.pos;
    let width = n;
    let shiftIn = 0;
    if (p < 0) {
      if (p + n <= 0) return 0;
      shiftIn = -p;
      width = n + p;
      p = 0;
    }
    const i = this.start + (p >>> 3);
    const s = this.src;
    // Bytes past the stream end are never needed: the mask keeps only bits below pos + n.
    const v = (s[i]! | (s[i + 1]! << 8) | (s[i + 2]! << 16) | (s[i + 3]! << 24)) >>> (p & 7);
    return ((v & ((1 << width) - 1)) << shiftIn) >>> 0;
  }

  /** Up to 31 bits, as two reads. */
  readLong(n: number): number {
    if (n <= 24) return this.read(n);
    const hi = this.read(n - 16);
    return hi * 65536 + this.read(16);
  }
}

export interface FseTable {
  log: number;
  symbol: Uint8Array;
  nbBits: Uint8Array;
  base: Uint16Array;
}

/** Build a decoding table from normalized counts (-1 meaning "less than one"). */
export function buildFse(norm: Int16Array, symbols: number, log: number, what: string): FseTable {
  const size = 1 << log;
  const symbol = new Uint8Array(size);
  const nbBits = new Uint8Array(size);
  const base = new Uint16Array(size);
  const next = new Uint16Array(symbols);
  let high = size - 1;
  for (let s = 0; s < symbols; s++) {
    if (norm[s] === -1) {
      symbol[high--] = s;
      next[s] = 1;
    } else next[s] = Math.max(0, norm[s]!);
  }
  const step = (size >>> 1) + (size >>> 3) + 3;
  const mask = size - 1;
  let pos = 0;
  for (let s = 0; s < symbols; s++)
    for (let i = 0; i < norm[s]!; i++) {
      symbol[pos] = s;
      do pos = (pos + step) & mask;
      while (pos > high);
    }
  if (pos !== 0) throw new FormatError(`${what}: corrupt zstd FSE table (counts do not fill it)`);
  for (let state = 0; state < size; state++) {
    const s = symbol[state]!;
    const n = next[s]!++;
    const bits = log - highBit(n);
    nbBits[state] = bits;
    base[state] = (n << bits) - size;
  }
  return { log, symbol, nbBits, base };
}

/** A table that always yields `s` (the RLE mode of a sequence code). */
export function rleFse(s: number): FseTable {
  return { log: 0, symbol: Uint8Array.of(s), nbBits: new Uint8Array(1), base: new Uint16Array(1) };
}

/** Predefined table from a normalized distribution of the RFC. */
export function fixedFse(counts: number[], log: number): FseTable {
  return buildFse(Int16Array.from(counts), counts.length, log, "zstd predefined table");
}

/**
 * Read an FSE table description (RFC 8878 4.1.1) at src[pos]; returns the table and the position
 * after it. `maxLog` and `maxSymbol` are what the table's use allows.
 */
export function readFse(
  src: Uint8Array,
  pos: number,
  end: number,
  maxLog: number,
  maxSymbol: number,
  what: string,
): [FseTable, number] {
  let bit = 0;
  const peek = (n: number) => {
    const i = pos + (bit >>> 3);
    if (i >= end) throw new FormatError(`${what}: zstd FSE table description runs past its block`);
    const v = (src[i]! | (src[i + 1]! << 8) | (src[i + 2]! << 16) | (src[i + 3]! << 24)) >>> (bit & 7);
    return v & ((1 << n) - 1);
  };
  const log = peek(4) + 5;
  bit += 4;
  if (log > maxLog) throw new FormatError(`${what}: zstd FSE accuracy ${log} above ${maxLog}`);
  const norm = new Int16Array(maxSymbol + 1);
  let remaining = (1 << log) + 1;
  let threshold = 1 << log;
  let nb = log + 1;
  let s = 0;
  while (remaining > 1) {
    if (s > maxSymbol) throw new FormatError(`${what}: zstd FSE table has too many symbols`);
    const max = 2 * threshold - 1 - remaining;
    const v = peek(nb);
    let value: number;
    if ((v & (threshold - 1)) < max) {
      value = v & (threshold - 1);
      bit += nb - 1;
    } else {
      value = v & (2 * threshold - 1);
      if (value >= threshold) value -= max;
      bit += nb;
    }
    const count = value - 1;
    remaining -= count < 0 ? -count : count;
    norm[s++] = count;
    if (count === 0) {
      // Zero counts are followed by 2-bit repeat flags: 3 means "three more and keep reading".
      for (;;) {
        const r = peek(2);
        bit += 2;
        s += r;
        if (r !== 3) break;
      }
      if (s > maxSymbol + 1) throw new FormatError(`${what}: zstd FSE table has too many symbols`);
    }
    while (remaining < threshold) {
      nb--;
      threshold >>>= 1;
    }
  }
  if (remaining !== 1) throw new FormatError(`${what}: corrupt zstd FSE table description`);
  const after = pos + ((bit + 7) >>> 3);
  if (after > end) throw new FormatError(`${what}: zstd FSE table description runs past its block`);
  return [buildFse(norm, s, log, what), after];
}

export interface HuffmanTable {
  maxBits: number;
  symbol: Uint8Array;
  nbBits: Uint8Array;
}

/** Read a Huffman tree description (RFC 8878 4.2.1) at src[pos]; returns it and the position after. */
export function readHuffman(src: Uint8Array, pos: number, end: number, what: string): [HuffmanTable, number] {
  if (pos >= end) throw new FormatError(`${what}: zstd Huffman description missing`);
  const header = src[pos]!;
  const weights = new Uint8Array(256);
  let n = 0;
  let after: number;
  if (header < 128) {
    after = pos + 1 + header;
    if (after > end) throw new FormatError(`${what}: zstd Huffman description runs past its block`);
    const [table, streamStart] = readFse(src, pos + 1, after, 6, 12, what);
    const br = new BackwardBits(src, streamStart, after, what);
    let s1 = br.read(table.log);
    let s2 = br.read(table.log);
    // Two interleaved states share the table; when a state update runs past the start of the
    // stream, the other state's symbol is the last one.
    const put = (w: number) => {
      if (n >= 255) throw new FormatError(`${what}: zstd Huffman description has too many weights`);
      weights[n++] = w;
    };
    for (;;) {
      put(table.symbol[s1]!);
      s1 = table.base[s1]! + br.read(table.nbBits[s1]!);
      if (br.pos < 0) {
        put(table.symbol[s2]!);
        break;
      }
      put(table.symbol[s2]!);
      s2 = table.base[s2]! + br.read(table.nbBits[s2]!);
      if (br.pos < 0) {
        put(table.symbol[s1]!);
        break;
      }
    }
  } else {
    n = header - 127;
    after = pos + 1 + ((n + 1) >>> 1);
    if (after > end) throw new FormatError(`${what}: zstd Huffman description runs past its block`);
    for (let i = 0; i < n; i++) {
      const b = src[pos + 1 + (i >>> 1)]!;
      weights[i] = i & 1 ? b & 15 : b >>> 4;
    }
  }
  // The last symbol's weight is implied: it completes the sum to a power of two.
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (weights[i]! > 11) throw new FormatError(`${what}: zstd Huffman weight above 11`);
    if (weights[i]) sum += 1 << (weights[i]! - 1);
  }
  if (sum === 0) throw new FormatError(`${what}: zstd Huffman weights are all zero`);
  const maxBits = highBit(sum) + 1;
  if (maxBits > 11) throw new FormatError(`${what}: zstd Huffman codes longer than 11 bits`);
  const leftover = (1 << maxBits) - sum;
  if (leftover & (leftover - 1))
    throw new FormatError(`${what}: zstd Huffman weights do not complete a tree`);
  weights[n++] = highBit(leftover) + 1;

  // Canonical codes: lower weights (longer codes) first, by symbol within a weight.
  const size = 1 << maxBits;
  const symbol = new Uint8Array(size);
  const nbBits = new Uint8Array(size);
  let at = 0;
  for (let w = 1; w <= maxBits; w++)
    for (let s = 0; s < n; s++) {
      if (weights[s] !== w) continue;
      const span = 1 << (w - 1);
      symbol.fill(s, at, at + span);
      nbBits.fill(maxBits + 1 - w, at, at + span);
      at += span;
    }
  return [{ maxBits, symbol, nbBits }, after];
}

/** Decode `count` literals of one Huffman stream src[start, end) into dst[at...]. */
export function decodeHuffmanStream(
  table: HuffmanTable,
  src: Uint8Array,
  start: number,
  end: number,
  dst: Uint8Array,
  at: number,
  count: number,
  what: string,
): void {
  const br = new BackwardBits(src, start, end, what);
  const { maxBits, symbol, nbBits } = table;
  const mask = (1 << maxBits) - 1;
  let state = br.read(maxBits);
  for (let i = 0; i < count; i++) {
    dst[at + i] = symbol[state]!;
    const nb = nbBits[state]!;
    state = ((state << nb) | br.read(nb)) & mask;
  }
  if (br.pos !== -maxBits) throw new FormatError(`${what}: corrupt zstd Huffman stream (length mismatch)`);
}
