// bzip2 decoding, written from the format's description: per block, Huffman-coded MTF/RLE2
// symbols, the inverse Burrows-Wheeler transform, then the initial run-length step. Every count is
// checked against the block size the stream header declares. Written here rather than wrapping
// seek-bzip so that it shares the capped output buffer, reports the exact compressed length
// (carving needs it), and keeps a block whose CRC does not match as a warning where seek-bzip
// throws the block away. Concatenated streams (pbzip2) are decoded as one.
import { FormatError } from "../source.js";
import { InputEnded, type OutBuffer } from "./bounded.js";
import { crc32msb } from "./checksums.js";

const MAX_GROUPS = 6;
const MAX_CODE_LEN = 20;
const GROUP_SIZE = 50;

class BitReader {
  pos: number;
  private bits = 0;
  private live = 0;
  constructor(
    private readonly input: Uint8Array,
    start: number,
  ) {
    this.pos = start;
  }
  /** Up to 24 bits, most significant first. */
  read(n: number): number {
    while (this.live < n) {
      if (this.pos >= this.input.length) throw new InputEnded();
      this.bits = ((this.bits << 8) | this.input[this.pos++]!) >>> 0;
      this.live += 8;
    }
    this.live -= n;
    return (this.bits >>> this.live) & ((1 << n) - 1);
  }
  read32(): number {
    return (this.read(16) * 65536 + this.read(16)) >>> 0;
  }
  /** Bytes consumed: whole bytes still buffered go back; the partial last byte is padding. */
  get consumed(): number {
    return this.pos - (this.live >>> 3);
  }
}

interface HuffmanTable {
  minLen: number;
  limit: Int32Array;
  base: Int32Array;
  perm: Uint16Array;
}

function buildTable(lengths: Uint8Array, alphaSize: number): HuffmanTable {
  let minLen = 32;
  let maxLen = 0;
  for (let i = 0; i < alphaSize; i++) {
    minLen = Math.min(minLen, lengths[i]!);
    maxLen = Math.max(maxLen, lengths[i]!);
  }
  const perm = new Uint16Array(alphaSize);
  let pp = 0;
  for (let len = minLen; len <= maxLen; len++)
    for (let s = 0; s < alphaSize; s++) if (lengths[s] === len) perm[pp++] = s;
  const base = new Int32Array(MAX_CODE_LEN + 2);
  for (let s = 0; s < alphaSize; s++) base[lengths[s]! + 1]!++;
  for (let i = 1; i < base.length; i++) base[i] = base[i]! + base[i - 1]!;
  const limit = new Int32Array(MAX_CODE_LEN + 1).fill(-1);
  let vec = 0;
  for (let len = minLen; len <= maxLen; len++) {
    vec += base[len + 1]! - base[len]!;
    limit[len] = vec - 1;
    vec <<= 1;
  }
  for (let len = minLen + 1; len <= maxLen; len++) base[len] = ((limit[len - 1]! + 1) << 1) - base[len]!;
  return { minLen, limit, base, perm };
}

/** Decode concatenated bzip2 streams from input[0]; returns the compressed length consumed. */
export function decodeBzip2(input: Uint8Array, out: OutBuffer, what: string, warnings: string[]): number {
  let end = decodeStream(input, 0, out, what, warnings);
  // Another stream right after this one belongs to the same file (pbzip2 writes one per chunk).
  while (isStreamStart(input, end)) end = decodeStream(input, end, out, what, warnings);
  return end;
}

function isStreamStart(b: Uint8Array, p: number): boolean {
  if (p + 10 > b.length || b[p] !== 0x42 || b[p + 1] !== 0x5a || b[p + 2] !== 0x68) return false;
  if (b[p + 3]! < 0x31 || b[p + 3]! > 0x39) return false;
  const m = Buffer.from(b.subarray(p + 4, p + 10)).toString("hex");
  return m === "314159265359" || m === "177245385090";
}

function decodeStream(
  input: Uint8Array,
  start: number,
  out: OutBuffer,
  what: string,
  warnings: string[],
): number {
  if (start + 4 > input.length) throw new InputEnded();
  if (input[start] !== 0x42 || input[start + 1] !== 0x5a || input[start + 2] !== 0x68)
    throw new FormatError(`${what}: not a bzip2 stream`);
  const level = input[start + 3]! - 0x30;
  if (level < 1 || level > 9) throw new FormatError(`${what}: bzip2 block size ${level} out of range`);
  const blockMax = level * 100000;
  const tt = new Uint32Array(blockMax);
  const r = new BitReader(input, start + 4);
  let combined = 0;
  for (let blockNo = 0; ; blockNo++) {
    const magicHi = r.read(24);
    const magicLo = r.read(24);
    const storedCrc = r.read32();
    if (magicHi === 0x177245 && magicLo === 0x385090) {
      if (storedCrc !== combined) warnings.push(`${what}: bzip2 stream CRC does not match`);
      return r.consumed;
    }
    if (magicHi !== 0x314159 || magicLo !== 0x265359)
      throw new FormatError(`${what}: bzip2 block ${blockNo} has no block magic`);
    const blockStart = out.pos;
    decodeBlock(r, tt, blockMax, out, what);
    const crc = ~crc32msb(0xffffffff, out.buf, blockStart, out.pos) >>> 0;
    if (crc !== storedCrc) warnings.push(`${what}: bzip2 block ${blockNo} CRC does not match`);
    combined = (((combined << 1) | (combined >>> 31)) ^ crc) >>> 0;
  }
}

function decodeBlock(r: BitReader, tt: Uint32Array, blockMax: number, out: OutBuffer, what: string): void {
  const bad = (why: string) => new FormatError(`${what}: corrupt bzip2 block (${why})`);
  if (r.read(1)) throw bad("randomised blocks (bzip2 before 0.9.5) are not supported");
  const origPtr = r.read(24);

  // Which byte values occur: 16 groups of 16, each group present or not.
  const seqToByte = new Uint8Array(256);
  let inUse = 0;
  const groupsUsed = r.read(16);
  for (let i = 0; i < 16; i++)
    if (groupsUsed & (0x8000 >>> i)) {
      const bits = r.read(16);
      for (let j = 0; j < 16; j++) if (bits & (0x8000 >>> j)) seqToByte[inUse++] = i * 16 + j;
    }
  if (inUse === 0) throw bad("no byte values in use");
  const alphaSize = inUse + 2;

  const nGroups = r.read(3);
  if (nGroups < 2 || nGroups > MAX_GROUPS) throw bad(`${nGroups} Huffman groups`);
  const nSelectors = r.read(15);
  if (nSelectors === 0) throw bad("no selectors");
  const selectorMtf = [0, 1, 2, 3, 4, 5];
  const selectors = new Uint8Array(nSelectors);
  for (let i = 0; i < nSelectors; i++) {
    let j = 0;
    while (r.read(1)) if (++j >= nGroups) throw bad("selector out of range");
    const v = selectorMtf[j]!;
    selectorMtf.splice(j, 1);
    selectorMtf.unshift(v);
    selectors[i] = v;
  }

  const tables: HuffmanTable[] = [];
  const lengths = new Uint8Array(alphaSize);
  for (let g = 0; g < nGroups; g++) {
    let len = r.read(5);
    for (let s = 0; s < alphaSize; s++) {
      for (;;) {
        if (len < 1 || len > MAX_CODE_LEN) throw bad("code length out of range");
        if (!r.read(1)) break;
        len += r.read(1) ? -1 : 1;
      }
      lengths[s] = len;
    }
    tables.push(buildTable(lengths, alphaSize));
  }

  // Huffman symbols -> MTF/RLE2 -> the BWT block in tt (low 8 bits).
  const mtf = new Uint8Array(256);
  for (let i = 0; i < 256; i++) mtf[i] = i;
  const counts = new Int32Array(256);
  const eob = alphaSize - 1;
  let nblock = 0;
  let selector = 0;
  let groupLeft = 0;
  let table = tables[0]!;
  let run = 0;
  let runWeight = 1;
  for (;;) {
    if (groupLeft === 0) {
      if (selector >= nSelectors) throw bad("ran out of selectors");
      table = tables[selectors[selector++]!]!;
      groupLeft = GROUP_SIZE;
    }
    groupLeft--;
    let len = table.minLen;
    let code = r.read(len);
    while (code > table.limit[len]!) {
      if (++len > MAX_CODE_LEN) throw bad("invalid Huffman code");
      code = (code << 1) | r.read(1);
    }
    const idx = code - table.base[len]!;
    if (idx < 0 || idx >= alphaSize) throw bad("invalid Huffman code");
    const sym = table.perm[idx]!;
    if (sym <= 1) {
      // RUNA/RUNB: bijective base-2 digits of a run length of the front MTF byte.
      run += (sym + 1) * runWeight;
      runWeight *= 2;
      if (run > blockMax) throw bad("run longer than the block");
      continue;
    }
    if (run > 0) {
      if (nblock + run > blockMax) throw bad("data longer than the block size");
      const b = seqToByte[mtf[0]!]!;
      counts[b]! += run;
      tt.fill(b, nblock, nblock + run);
      nblock += run;
      run = 0;
      runWeight = 1;
    }
    if (sym === eob) break;
    if (nblock >= blockMax) throw bad("data longer than the block size");
    const pos = sym - 1;
    const v = mtf[pos]!;
    mtf.copyWithin(1, 0, pos);
    mtf[0] = v;
    const b = seqToByte[v]!;
    counts[b]!++;
    tt[nblock++] = b;
  }
  if (origPtr >= nblock) throw bad("origin pointer beyond the block");

  inverseBwt(tt, nblock, counts);
  undoInitialRle(tt, nblock, tt[origPtr]! >>> 8, out);
}

/** Link each position to the next in sorted order: the index goes in the high 24 bits of tt. */
function inverseBwt(tt: Uint32Array, nblock: number, counts: Int32Array): void {
  const cftab = new Int32Array(256);
  for (let i = 1; i < 256; i++) cftab[i] = cftab[i - 1]! + counts[i - 1]!;
  for (let i = 0; i < nblock; i++) {
    const b = tt[i]! & 0xff;
    const at = cftab[b]!;
    tt[at] = tt[at]! | (i << 8);
    cftab[b] = at + 1;
  }
}

/** Walk the BWT links and undo the initial RLE: four equal bytes, then a count of more copies. */
function undoInitialRle(tt: Uint32Array, nblock: number, start: number, out: OutBuffer): void {
  let tPos = start;
  let buf = out.buf;
  let op = out.pos;
  let last = -1;
  let same = 0;
  for (let k = 0; k < nblock; k++) {
    const link = tt[tPos]!;
    const ch = link & 0xff;
    tPos = link >>> 8;
    if (same === 4) {
      if (ch > 0) {
        out.pos = op;
        buf = out.reserve(ch);
        buf.fill(last, op, op + ch);
        op += ch;
      }
      same = 0;
      last = -1;
      continue;
    }
    if (op >= buf.length) {
      out.pos = op;
      buf = out.reserve(1);
    }
    buf[op++] = ch;
    if (ch === last) same++;
    else {
      last = ch;
      same = 1;
    }
  }
  out.pos = op;
}
