// Zstandard frames (RFC 8878): frame header, raw/RLE/compressed blocks, literals and sequences.
// Written from the RFC rather than using fzstd: fzstd sizes its window from the frame header and
// copies the whole window once per block when the content size is not recorded, so a hostile
// frame of empty blocks under a 128 MiB window costs unbounded time. Here the bounded output
// buffer is the window, a recorded content size past the cap is refused before decoding, and
// concatenated and skippable frames (pzstd) are decoded as one stream.
import { FormatError } from "../source.js";
import { InputEnded, type OutBuffer } from "./bounded.js";
import {
  BackwardBits,
  decodeHuffmanStream,
  fixedFse,
  readFse,
  readHuffman,
  rleFse,
  type FseTable,
  type HuffmanTable,
} from "./zstd-entropy.js";

const FRAME_MAGIC = 0xfd2fb528;
const BLOCK_MAX = 128 * 1024;

const LL_BASE = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 20, 22, 24, 28, 32, 40, 48, 64, 128, 256, 512,
  1024, 2048, 4096, 8192, 16384, 32768, 65536,
];
const LL_BITS = [
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14,
  15, 16,
];
const ML_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
  32, 33, 34, 35, 37, 39, 41, 43, 47, 51, 59, 67, 83, 99, 131, 259, 515, 1027, 2051, 4099, 8195, 16387, 32771,
  65539,
];
const ML_BITS = [
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1,
  2, 2, 3, 3, 4, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
];
// Predefined distributions (RFC 8878 3.1.1.3.2.2).
const LL_DEFAULT = fixedFse(
  [
    4, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 2, 1, 1, 1, 1, 1, -1, -1,
    -1, -1,
  ],
  6,
);
const ML_DEFAULT = fixedFse(
  [
    1, 4, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1,
  ],
  6,
);
const OF_DEFAULT = fixedFse(
  [1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1],
  5,
);

const u32 = (b: Uint8Array, o: number) =>
  (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
const isSkippable = (m: number) => m >>> 4 === 0x184d2a5;

/** Entropy state a frame carries from block to block. */
interface FrameState {
  start: number;
  huffman?: HuffmanTable;
  ll?: FseTable;
  of?: FseTable;
  ml?: FseTable;
  reps: [number, number, number];
  literals: Uint8Array;
}

/** Decode consecutive zstd (and skippable) frames from input[0]; returns the bytes consumed. */
export function decodeZstd(input: Uint8Array, out: OutBuffer, what: string, warnings: string[]): number {
  let pos = decodeFrame(input, 0, out, what, warnings);
  for (;;) {
    if (pos + 8 > input.length) return pos;
    const magic = u32(input, pos);
    if (magic === FRAME_MAGIC) pos = decodeFrame(input, pos, out, what, warnings);
    else if (isSkippable(magic) && pos + 8 + u32(input, pos + 4) <= input.length)
      pos += 8 + u32(input, pos + 4);
    else return pos;
  }
}

function decodeFrame(
  input: Uint8Array,
  start: number,
  out: OutBuffer,
  what: string,
  warnings: string[],
): number {
  if (start + 6 > input.length) throw new InputEnded();
  if (u32(input, start) !== FRAME_MAGIC) throw new FormatError(`${what}: not a zstd frame`);
  const fhd = input[start + 4]!;
  if (fhd & 8) throw new FormatError(`${what}: zstd frame header has the reserved bit set`);
  const single = (fhd >>> 5) & 1;
  const fcsFlag = fhd >>> 6;
  const dictFlag = fhd & 3;
  let p = start + 5;
  let windowSize = 0;
  if (!single) {
    const wd = input[p++]!;
    const windowBase = 2 ** (10 + (wd >>> 3));
    windowSize = windowBase + (windowBase / 8) * (wd & 7);
  }
  const dictBytes = [0, 1, 2, 4][dictFlag]!;
  const fcsBytes = [single, 2, 4, 8][fcsFlag]!;
  if (p + dictBytes + fcsBytes > input.length) throw new InputEnded();
  let dictId = 0;
  for (let i = dictBytes - 1; i >= 0; i--) dictId = dictId * 256 + input[p + i]!;
  p += dictBytes;
  if (dictId !== 0)
    throw new FormatError(`${what}: zstd frame needs dictionary ${dictId}, which is not in the image`);
  let contentSize: number | undefined;
  if (fcsBytes) {
    contentSize = 0;
    for (let i = fcsBytes - 1; i >= 0; i--) contentSize = contentSize * 256 + input[p + i]!;
    if (fcsBytes === 2) contentSize += 256;
    p += fcsBytes;
    // A recorded size past the cap is a bomb declared up front.
    if (out.pos + contentSize > out.max) out.refuse();
    out.reserve(contentSize);
  }
  if (single) windowSize = contentSize ?? 0;
  const blockMax = Math.min(windowSize, BLOCK_MAX);
  const state: FrameState = { start: out.pos, reps: [1, 4, 8], literals: new Uint8Array(BLOCK_MAX) };
  for (;;) {
    if (p + 3 > input.length) throw new InputEnded();
    const h = input[p]! | (input[p + 1]! << 8) | (input[p + 2]! << 16);
    p += 3;
    const last = h & 1;
    const type = (h >>> 1) & 3;
    const size = h >>> 3;
    if (size > blockMax)
      throw new FormatError(`${what}: zstd block of ${size} bytes exceeds the ${blockMax} maximum`);
    if (type === 0) {
      const avail = input.subarray(p, Math.min(input.length, p + size));
      out.push(avail);
      if (avail.length < size) throw new InputEnded();
      p += size;
    } else if (type === 1) {
      if (p >= input.length) throw new InputEnded();
      out.reserve(size).fill(input[p]!, out.pos, out.pos + size);
      out.pos += size;
      p += 1;
    } else if (type === 2) {
      if (p + size > input.length) throw new InputEnded();
      decodeBlock(input, p, p + size, out, state, what);
      p += size;
    } else throw new FormatError(`${what}: zstd block type 3 is reserved`);
    if (last) break;
  }
  if (fhd & 4) {
    // The content checksum (XXH64) is skipped, not verified: the blocks' own structure is checked.
    if (p + 4 > input.length) throw new InputEnded();
    p += 4;
  }
  if (contentSize !== undefined && out.pos - state.start !== contentSize)
    warnings.push(
      `${what}: zstd frame decodes to ${out.pos - state.start} bytes, its header says ${contentSize}`,
    );
  return p;
}

function decodeBlock(
  src: Uint8Array,
  start: number,
  end: number,
  out: OutBuffer,
  st: FrameState,
  what: string,
): void {
  const [litCount, afterLits] = decodeLiterals(src, start, end, st, what);
  decodeSequences(src, afterLits, end, out, st, litCount, what);
}

/** The literals section: raw, RLE or Huffman-coded (one or four streams) into st.literals. */
function decodeLiterals(
  src: Uint8Array,
  start: number,
  end: number,
  st: FrameState,
  what: string,
): [number, number] {
  const b0 = src[start]!;
  const type = b0 & 3;
  const sf = (b0 >>> 2) & 3;
  const b = (i: number) => {
    if (start + i >= end) throw new FormatError(`${what}: zstd literals header runs past its block`);
    return src[start + i]!;
  };
  if (type <= 1) {
    let size: number, p: number;
    if (sf === 0 || sf === 2) [size, p] = [b0 >>> 3, start + 1];
    else if (sf === 1) [size, p] = [(b0 >>> 4) + (b(1) << 4), start + 2];
    else [size, p] = [(b0 >>> 4) + (b(1) << 4) + (b(2) << 12), start + 3];
    if (size > BLOCK_MAX) throw new FormatError(`${what}: zstd literals larger than a block`);
    if (type === 0) {
      if (p + size > end) throw new FormatError(`${what}: zstd raw literals run past their block`);
      st.literals.set(src.subarray(p, p + size));
      return [size, p + size];
    }
    if (p >= end) throw new FormatError(`${what}: zstd RLE literals run past their block`);
    st.literals.fill(src[p]!, 0, size);
    return [size, p + 1];
  }
  let regen: number, comp: number, p: number;
  const streams = sf === 0 ? 1 : 4;
  if (sf <= 1) {
    regen = (b0 >>> 4) | ((b(1) & 0x3f) << 4);
    comp = (b(1) >>> 6) | (b(2) << 2);
    p = start + 3;
  } else if (sf === 2) {
    regen = (b0 >>> 4) | (b(1) << 4) | ((b(2) & 3) << 12);
    comp = (b(2) >>> 2) | (b(3) << 6);
    p = start + 4;
  } else {
    regen = (b0 >>> 4) | (b(1) << 4) | ((b(2) & 0x3f) << 12);
    comp = (b(2) >>> 6) | (b(3) << 2) | (b(4) << 10);
    p = start + 5;
  }
  if (regen > BLOCK_MAX) throw new FormatError(`${what}: zstd literals larger than a block`);
  const litEnd = p + comp;
  if (litEnd > end) throw new FormatError(`${what}: zstd compressed literals run past their block`);
  if (type === 2) [st.huffman, p] = readHuffman(src, p, litEnd, what);
  else if (!st.huffman) throw new FormatError(`${what}: zstd literals reuse a Huffman table never sent`);
  const table = st.huffman;
  if (streams === 1) decodeHuffmanStream(table, src, p, litEnd, st.literals, 0, regen, what);
  else {
    if (p + 6 > litEnd) throw new FormatError(`${what}: zstd literal jump table missing`);
    const s1 = src[p]! | (src[p + 1]! << 8);
    const s2 = src[p + 2]! | (src[p + 3]! << 8);
    const s3 = src[p + 4]! | (src[p + 5]! << 8);
    const seg = (regen + 3) >>> 2;
    const a = p + 6;
    if (a + s1 + s2 + s3 > litEnd || regen < 3 * seg)
      throw new FormatError(`${what}: zstd literal streams do not fit their section`);
    decodeHuffmanStream(table, src, a, a + s1, st.literals, 0, seg, what);
    decodeHuffmanStream(table, src, a + s1, a + s1 + s2, st.literals, seg, seg, what);
    decodeHuffmanStream(table, src, a + s1 + s2, a + s1 + s2 + s3, st.literals, 2 * seg, seg, what);
    decodeHuffmanStream(table, src, a + s1 + s2 + s3, litEnd, st.literals, 3 * seg, regen - 3 * seg, what);
  }
  return [regen, litEnd];
}

function sequenceTable(
  mode: number,
  src: Uint8Array,
  p: number,
  end: number,
  fixed: FseTable,
  previous: FseTable | undefined,
  maxLog: number,
  maxSymbol: number,
  what: string,
): [FseTable, number] {
  if (mode === 0) return [fixed, p];
  if (mode === 1) {
    if (p >= end) throw new FormatError(`${what}: zstd sequence table runs past its block`);
    if (src[p]! > maxSymbol) throw new FormatError(`${what}: zstd RLE sequence code out of range`);
    return [rleFse(src[p]!), p + 1];
  }
  if (mode === 2) return readFse(src, p, end, maxLog, maxSymbol, what);
  if (!previous) throw new FormatError(`${what}: zstd sequences reuse a table never sent`);
  return [previous, p];
}

function decodeSequences(
  src: Uint8Array,
  start: number,
  end: number,
  out: OutBuffer,
  st: FrameState,
  litCount: number,
  what: string,
): void {
  const lits = st.literals;
  let p = start;
  if (p >= end) throw new FormatError(`${what}: zstd sequences section missing`);
  const b0 = src[p++]!;
  let count: number;
  if (b0 < 128) count = b0;
  else if (b0 < 255) {
    if (p >= end) throw new FormatError(`${what}: zstd sequence count runs past its block`);
    count = ((b0 - 128) << 8) + src[p++]!;
  } else {
    if (p + 2 > end) throw new FormatError(`${what}: zstd sequence count runs past its block`);
    count = src[p]! + (src[p + 1]! << 8) + 0x7f00;
    p += 2;
  }
  const blockStart = out.pos;
  if (count === 0) {
    if (p !== end) throw new FormatError(`${what}: zstd block has bytes after its literals`);
    out.push(lits.subarray(0, litCount));
    return;
  }
  if (p >= end) throw new FormatError(`${what}: zstd sequence modes missing`);
  const modes = src[p++]!;
  if (modes & 3) throw new FormatError(`${what}: zstd sequence modes have reserved bits set`);
  [st.ll, p] = sequenceTable(modes >>> 6, src, p, end, LL_DEFAULT, st.ll, 9, 35, what);
  [st.of, p] = sequenceTable((modes >>> 4) & 3, src, p, end, OF_DEFAULT, st.of, 8, 31, what);
  [st.ml, p] = sequenceTable((modes >>> 2) & 3, src, p, end, ML_DEFAULT, st.ml, 9, 52, what);
  const ll = st.ll;
  const of = st.of;
  const ml = st.ml;
  const br = new BackwardBits(src, p, end, what);
  let llState = br.read(ll.log);
  let ofState = br.read(of.log);
  let mlState = br.read(ml.log);
  const reps = st.reps;
  let litPos = 0;
  let buf = out.buf;
  for (let i = 0; i < count; i++) {
    const ofCode = of.symbol[ofState]!;
    const llCode = ll.symbol[llState]!;
    const mlCode = ml.symbol[mlState]!;
    if (ofCode > 31) throw new FormatError(`${what}: zstd offset code out of range`);
    const ofValue = 2 ** ofCode + br.readLong(ofCode);
    const matchLen = ML_BASE[mlCode]! + br.read(ML_BITS[mlCode]!);
    const litLen = LL_BASE[llCode]! + br.read(LL_BITS[llCode]!);
    let offset: number;
    if (ofValue > 3) {
      offset = ofValue - 3;
      reps[2] = reps[1];
      reps[1] = reps[0];
      reps[0] = offset;
    } else {
      // Repeat offsets; with no literals before the match, the meaning shifts by one.
      const idx = ofValue + (litLen === 0 ? 1 : 0);
      if (idx === 1) offset = reps[0];
      else {
        offset = idx === 4 ? reps[0] - 1 : reps[idx - 1]!;
        if (idx !== 2) reps[2] = reps[1];
        reps[1] = reps[0];
        reps[0] = offset;
      }
    }
    if (i !== count - 1) {
      llState = ll.base[llState]! + br.read(ll.nbBits[llState]!);
      mlState = ml.base[mlState]! + br.read(ml.nbBits[mlState]!);
      ofState = of.base[ofState]! + br.read(of.nbBits[ofState]!);
    }
    // Execute: the literals, then the match.
    if (litPos + litLen > litCount)
      throw new FormatError(`${what}: zstd sequence uses more literals than decoded`);
    const pos = out.pos;
    if (pos + litLen + matchLen - blockStart > BLOCK_MAX)
      throw new FormatError(`${what}: zstd block decodes to more than ${BLOCK_MAX} bytes`);
    if (pos + litLen + matchLen > buf.length) buf = out.reserve(litLen + matchLen);
    buf.set(lits.subarray(litPos, litPos + litLen), pos);
    litPos += litLen;
    let op = pos + litLen;
    if (offset < 1 || offset > op - st.start)
      throw new FormatError(`${what}: zstd match offset ${offset} before the start of the frame`);
    let from = op - offset;
    const stop = op + matchLen;
    if (offset >= matchLen) buf.copyWithin(op, from, from + matchLen);
    else for (; op < stop;) buf[op++] = buf[from++]!;
    out.pos = stop;
  }
  if (br.pos !== 0) throw new FormatError(`${what}: corrupt zstd sequence bitstream (length mismatch)`);
  const rest = litCount - litPos;
  if (out.pos + rest - blockStart > BLOCK_MAX)
    throw new FormatError(`${what}: zstd block decodes to more than ${BLOCK_MAX} bytes`);
  out.push(lits.subarray(litPos, litCount));
}
