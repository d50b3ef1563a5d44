// LZMA decoding, written from the LZMA specification (lzma-specification.txt in the LZMA SDK):
// an adaptive binary range decoder driving literal, match and rep-match models. The decoder writes
// straight into the bounded output buffer, which doubles as the dictionary, so no window is
// allocated from a size the (hostile) header claims. LZMA2 and xz reuse this class chunk by chunk.
import { FormatError } from "../source.js";
import { InputEnded, OutBuffer } from "./bounded.js";

const PROB_INIT = 1024;
const NUM_STATES = 12;
const MATCH_MIN_LEN = 2;
const END_POS_MODEL_INDEX = 14;
const NUM_FULL_DISTANCES = 128;
const END_MARKER = 0xffffffff;

// Offsets of each model inside one probability array.
const IS_MATCH = 0;
const IS_REP = IS_MATCH + (NUM_STATES << 4);
const IS_REP_G0 = IS_REP + NUM_STATES;
const IS_REP_G1 = IS_REP_G0 + NUM_STATES;
const IS_REP_G2 = IS_REP_G1 + NUM_STATES;
const IS_REP0_LONG = IS_REP_G2 + NUM_STATES;
const POS_SLOT = IS_REP0_LONG + (NUM_STATES << 4);
const SPEC_POS = POS_SLOT + 4 * 64;
const ALIGN = SPEC_POS + 1 + NUM_FULL_DISTANCES - END_POS_MODEL_INDEX;
const LEN_CODER = ALIGN + 16;
const LEN_SIZE = 2 + 16 * 8 + 16 * 8 + 256;
const REP_LEN_CODER = LEN_CODER + LEN_SIZE;
const LITERAL = REP_LEN_CODER + LEN_SIZE;

export interface LzmaProps {
  lc: number;
  lp: number;
  pb: number;
  dictSize: number;
}

/** The properties byte: (pb * 5 + lp) * 9 + lc, below 225. */
export function parsePropsByte(b: number): { lc: number; lp: number; pb: number } | undefined {
  if (b >= 9 * 5 * 5) return undefined;
  return { lc: b % 9, lp: Math.floor(b / 9) % 5, pb: Math.floor(b / 45) };
}

export class LzmaDecoder {
  private probs = new Uint16Array(0);
  private lc = 0;
  private lp = 0;
  private pb = 0;
  private state = 0;
  private rep0 = 0;
  private rep1 = 0;
  private rep2 = 0;
  private rep3 = 0;
  /** Output position where the current dictionary starts: matches may not reach before it. */
  dictStart = 0;
  dictSize = 0;

  private input: Uint8Array = new Uint8Array(0);
  private inPos = 0;
  private inEnd = 0;
  private range = 0;
  private code = 0;

  constructor(
    private readonly out: OutBuffer,
    private readonly what: string,
  ) {}

  get inputPos(): number {
    return this.inPos;
  }

  setProps(p: { lc: number; lp: number; pb: number }): void {
    if (p.lc > 8 || p.lp > 4 || p.pb > 4)
      throw new FormatError(`${this.what}: invalid LZMA properties lc=${p.lc} lp=${p.lp} pb=${p.pb}`);
    this.lc = p.lc;
    this.lp = p.lp;
    this.pb = p.pb;
    const size = LITERAL + (0x300 << (p.lc + p.lp));
    if (this.probs.length !== size) this.probs = new Uint16Array(size);
  }

  /** Start over: fresh probabilities, literal state, zero rep distances. */
  resetState(): void {
    this.probs.fill(PROB_INIT);
    this.state = 0;
    this.rep0 = this.rep1 = this.rep2 = this.rep3 = 0;
  }

  /** Begin a range-coded run over input[pos, end): one zero byte then the 32-bit code. */
  startRange(input: Uint8Array, pos: number, end: number): void {
    this.input = input;
    this.inPos = pos;
    this.inEnd = end;
    if (pos + 5 > end) throw new InputEnded();
    if (input[pos] !== 0)
      throw new FormatError(`${this.what}: LZMA range coder does not start with a zero byte`);
    this.code =
      ((input[pos + 1]! << 24) | (input[pos + 2]! << 16) | (input[pos + 3]! << 8) | input[pos + 4]!) >>> 0;
    this.range = 0xffffffff;
    this.inPos = pos + 5;
    if (this.code === this.range) throw new FormatError(`${this.what}: corrupt LZMA range coder start`);
  }

  /** The encoder flushes so that the code ends at zero; anything else means the data is off. */
  rangeFinished(): boolean {
    return this.code === 0;
  }

  private bit(i: number): number {
    const probs = this.probs;
    const p = probs[i]!;
    const bound = (this.range >>> 11) * p;
    let bit: number;
    if (this.code < bound) {
      this.range = bound;
      probs[i] = p + ((2048 - p) >>> 5);
      bit = 0;
    } else {
      this.range -= bound;
      this.code -= bound;
      probs[i] = p - (p >>> 5);
      bit = 1;
    }
    if (this.range < 0x1000000) {
      if (this.inPos >= this.inEnd) throw new InputEnded();
      this.range *= 256;
      this.code = this.code * 256 + this.input[this.inPos++]!;
    }
    return bit;
  }

  private directBits(n: number): number {
    let res = 0;
    for (let i = 0; i < n; i++) {
      this.range = this.range >>> 1;
      let b = 0;
      if (this.code >= this.range) {
        this.code -= this.range;
        b = 1;
      }
      if (this.code >= this.range) throw new FormatError(`${this.what}: corrupt LZMA data (direct bits)`);
      res = res * 2 + b;
      if (this.range < 0x1000000) {
        if (this.inPos >= this.inEnd) throw new InputEnded();
        this.range *= 256;
        this.code = this.code * 256 + this.input[this.inPos++]!;
      }
    }
    return res;
  }

  private bitTree(base: number, numBits: number): number {
    let m = 1;
    for (let i = 0; i < numBits; i++) m = (m << 1) | this.bit(base + m);
    return m - (1 << numBits);
  }

  private bitTreeReverse(base: number, numBits: number): number {
    let m = 1;
    let sym = 0;
    for (let i = 0; i < numBits; i++) {
      const b = this.bit(base + m);
      m = (m << 1) | b;
      sym |= b << i;
    }
    return sym;
  }

  private length(base: number, posState: number): number {
    if (this.bit(base) === 0) return this.bitTree(base + 2 + posState * 8, 3);
    if (this.bit(base + 1) === 0) return 8 + this.bitTree(base + 2 + 128 + posState * 8, 3);
    return 16 + this.bitTree(base + 2 + 256, 8);
  }

  private distance(len: number): number {
    const lenState = len < 3 ? len : 3;
    const posSlot = this.bitTree(POS_SLOT + (lenState << 6), 6);
    if (posSlot < 4) return posSlot;
    const numDirectBits = (posSlot >>> 1) - 1;
    let dist = (2 | (posSlot & 1)) * 2 ** numDirectBits;
    if (posSlot < END_POS_MODEL_INDEX)
      return dist + this.bitTreeReverse(SPEC_POS + dist - posSlot, numDirectBits);
    dist += this.directBits(numDirectBits - 4) * 16;
    return dist + this.bitTreeReverse(ALIGN, 4);
  }

  /**
   * Decode until the output reaches `limit` (an absolute position; Infinity when unknown) or an end
   * marker. Returns "marker" or "limit". With `markerAfterLimit`, an end marker may still follow
   * the known size (LZMA-alone allows it); LZMA2 chunks never carry one.
   */
  decode(limit: number, markerAllowed: boolean, markerAfterLimit: boolean): "marker" | "limit" {
    const out = this.out;
    const pbMask = (1 << this.pb) - 1;
    const lpMask = (1 << this.lp) - 1;
    const lc = this.lc;
    let buf = out.buf;
    for (;;) {
      const pos = out.pos;
      if (pos >= limit && (!markerAfterLimit || this.code === 0)) return "limit";
      const posState = pos & pbMask;
      const state = this.state;
      if (this.bit(IS_MATCH + (state << 4) + posState) === 0) {
        if (pos >= limit) throw this.corrupt("data continues past its recorded size");
        if (pos >= buf.length) buf = out.reserve(1);
        const prev = pos > this.dictStart ? buf[pos - 1]! : 0;
        const base = LITERAL + 0x300 * (((pos & lpMask) << lc) + (prev >>> (8 - lc)));
        let sym = 1;
        if (state >= 7) {
          let matchByte = buf[pos - this.rep0 - 1]!;
          while (sym < 0x100) {
            const matchBit = (matchByte >>> 7) & 1;
            matchByte <<= 1;
            const b = this.bit(base + ((1 + matchBit) << 8) + sym);
            sym = (sym << 1) | b;
            if (matchBit !== b) break;
          }
        }
        while (sym < 0x100) sym = (sym << 1) | this.bit(base + sym);
        buf[pos] = sym - 0x100;
        out.pos = pos + 1;
        this.state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
        continue;
      }
      let len: number;
      if (this.bit(IS_REP + state) !== 0) {
        if (pos >= limit) throw this.corrupt("data continues past its recorded size");
        if (pos <= this.dictStart) throw this.corrupt("repeated match before any data");
        if (this.bit(IS_REP_G0 + state) === 0) {
          if (this.bit(IS_REP0_LONG + (state << 4) + posState) === 0) {
            // Short rep: one byte from rep0.
            if (this.rep0 >= pos - this.dictStart)
              throw this.corrupt("match distance before the start of the data");
            if (pos >= buf.length) buf = out.reserve(1);
            buf[pos] = buf[pos - this.rep0 - 1]!;
            out.pos = pos + 1;
            this.state = state < 7 ? 9 : 11;
            continue;
          }
        } else {
          let dist: number;
          if (this.bit(IS_REP_G1 + state) === 0) dist = this.rep1;
          else {
            if (this.bit(IS_REP_G2 + state) === 0) dist = this.rep2;
            else {
              dist = this.rep3;
              this.rep3 = this.rep2;
            }
            this.rep2 = this.rep1;
          }
          this.rep1 = this.rep0;
          this.rep0 = dist;
        }
        len = this.length(REP_LEN_CODER, posState);
        this.state = state < 7 ? 8 : 11;
      } else {
        this.rep3 = this.rep2;
        this.rep2 = this.rep1;
        this.rep1 = this.rep0;
        len = this.length(LEN_CODER, posState);
        this.state = state < 7 ? 7 : 10;
        this.rep0 = this.distance(len);
        if (this.rep0 === END_MARKER) {
          if (!markerAllowed) throw this.corrupt("unexpected end marker");
          return "marker";
        }
        if (pos >= limit) throw this.corrupt("data continues past its recorded size");
        if (this.rep0 >= this.dictSize) throw this.corrupt("match distance beyond the dictionary size");
      }
      const dist = this.rep0 + 1;
      if (dist > pos - this.dictStart) throw this.corrupt("match distance before the start of the data");
      len += MATCH_MIN_LEN;
      const cut = pos + len > limit;
      if (cut) len = limit - pos;
      if (pos + len > buf.length) buf = out.reserve(len);
      copyMatch(buf, pos, dist, len);
      out.pos = pos + len;
      if (cut) throw this.corrupt("match runs past the recorded size");
    }
  }

  private corrupt(why: string): FormatError {
    return new FormatError(`${this.what}: corrupt LZMA data (${why})`);
  }
}

/** Copy `len` bytes from `dist` back; overlapping copies repeat the pattern, as LZ77 intends. */
export function copyMatch(buf: Uint8Array, pos: number, dist: number, len: number): void {
  if (len < 16) {
    for (let p = pos, src = pos - dist; p < pos + len;) buf[p++] = buf[src++]!;
  } else if (dist === 1) buf.fill(buf[pos - 1]!, pos, pos + len);
  else if (dist >= len) buf.copyWithin(pos, pos - dist, pos - dist + len);
  else for (let p = pos, src = pos - dist; p < pos + len;) buf[p++] = buf[src++]!;
}

/**
 * LZMA-alone (.lzma, and SquashFS lzma blocks): 13-byte header of properties, dictionary size and
 * the uncompressed size (all ones when unknown, then an end marker is required).
 */
export function decodeLzmaAlone(input: Uint8Array, out: OutBuffer, what: string): number {
  if (input.length < 13) throw new InputEnded();
  const props = parsePropsByte(input[0]!);
  if (!props) throw new FormatError(`${what}: invalid LZMA properties byte 0x${input[0]!.toString(16)}`);
  const dictSize = (input[1]! | (input[2]! << 8) | (input[3]! << 16) | (input[4]! << 24)) >>> 0;
  let unknown = true;
  for (let i = 5; i < 13; i++) if (input[i] !== 0xff) unknown = false;
  let size = Infinity;
  if (!unknown) {
    size = 0;
    for (let i = 12; i >= 5; i--) size = size * 256 + input[i]!;
    // A recorded size past the cap is a bomb declared up front: refuse before decoding.
    if (size > out.max) out.refuse();
    if (size > out.buf.length) out.reserve(size);
  }
  return decodeLzmaRaw(input, 13, out, what, { ...props, dictSize }, size);
}

/** Raw LZMA from `start`: properties from the container, size known or ended by a marker. */
export function decodeLzmaRaw(
  input: Uint8Array,
  start: number,
  out: OutBuffer,
  what: string,
  props: LzmaProps,
  size: number,
): number {
  const dec = new LzmaDecoder(out, what);
  dec.setProps(props);
  dec.resetState();
  dec.dictSize = Math.max(props.dictSize, 4096);
  dec.dictStart = out.pos;
  dec.startRange(input, start, input.length);
  const known = Number.isFinite(size);
  dec.decode(known ? out.pos + size : Infinity, true, known);
  return dec.inputPos;
}
