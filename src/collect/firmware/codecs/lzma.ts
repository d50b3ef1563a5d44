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
// Indexes into LzmaDecoder.coder.
const RANGE = 0;
const CODE = 1;

/** The state after a literal: 0-3 stay at 0, 4-9 go back by 3, 10-11 by 6. */
const STATE_AFTER_LITERAL = new Uint8Array([0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 4, 5]);

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
  /**
   * The range coder between calls to decode(): [range, code], unsigned 32-bit. A typed array rather
   * than two fields because a field that sometimes holds a number above 2^31 changes representation
   * (small integer to double), and V8 then deoptimizes decode() where it stores them.
   */
  private readonly coder = new Uint32Array(2);

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
    const code =
      ((input[pos + 1]! << 24) | (input[pos + 2]! << 16) | (input[pos + 3]! << 8) | input[pos + 4]!) >>> 0;
    this.coder[RANGE] = 0xffffffff;
    this.coder[CODE] = code;
    this.inPos = pos + 5;
    if (code === 0xffffffff) throw new FormatError(`${this.what}: corrupt LZMA range coder start`);
  }

  /** The encoder flushes so that the code ends at zero; anything else means the data is off. */
  rangeFinished(): boolean {
    return this.coder[CODE] === 0;
  }

  /**
   * Decode until the output reaches `limit` (an absolute position; Infinity when unknown) or an end
   * marker. Returns "marker" or "limit". With `markerAfterLimit`, an end marker may still follow
   * the known size (LZMA-alone allows it); LZMA2 chunks never carry one.
   *
   * Every LZMA, LZMA2 and xz stream spends its time in this loop, so it is written for V8. The
   * range coder (range, code, input position), the state, rep0 and the output position are local
   * variables for the whole call, written back once on the way out (in `finally`, so a caller that
   * catches InputEnded finds `out.pos` after the last whole symbol), and every bit is decoded
   * inline: a method per bit kept them in object fields, and that was most of the cost.
   *
   * Each bit is the specification's DecodeBit:
   *
   *   bound = (range >>> 11) * prob
   *   code < bound: bit 0, range = bound,                 prob += (2048 - prob) >> 5
   *   otherwise:    bit 1, range -= bound, code -= bound, prob -= prob >> 5
   *   then, when range < 2^24, shift in the next input byte (InputEnded when there is none)
   *
   * written in one of two ways. A decision the code branches on anyway (literal or match, which
   * rep, which length coder) uses `if`, as above. A bit inside a tree (literal bytes, lengths,
   * distance slots and low bits) is computed without a branch: those bits are close to random, a
   * branch on them is often mispredicted, and that costs more than a few more operations:
   *
   *   bit  = 1 unless code - bound borrows; the borrow of a 32-bit a - b is the top bit of
   *          (~a & b) | (~(a ^ b) & (a - b))
   *   mask = -bit (all ones for a 1) selects range - bound or bound, and code - bound or code
   *   prob -= (prob - (bit ? 0 : 2017)) >> 5 is both updates in one, because with an arithmetic
   *          shift (2048 - p) >> 5 === -((p - 2017) >> 5)
   *
   * code < range holds throughout (a valid start guarantees it and every step keeps it), so both
   * stay below 2^32: updates end in `>>> 0` and the product uses Math.imul, which keeps V8 on
   * unsigned 32-bit integers instead of doubles. The threshold 0x1000000 is written out rather than
   * named: V8 does not treat a module-level constant as a known integer, and compared with doubles.
   */
  decode(limit: number, markerAllowed: boolean, markerAfterLimit: boolean): "marker" | "limit" {
    const out = this.out;
    const probs = this.probs;
    const input = this.input;
    const inEnd = this.inEnd;
    const pbMask = (1 << this.pb) - 1;
    const lpMask = (1 << this.lp) - 1;
    const lc = this.lc;
    const dictStart = this.dictStart;
    const dictSize = this.dictSize;
    let range = this.coder[RANGE]!;
    let code = this.coder[CODE]!;
    let inPos = this.inPos;
    let state = this.state;
    let rep0 = this.rep0;
    let buf = out.buf;
    let pos = out.pos;
    // Scratch for the inlined bits: probability index, its value, the split, the bit, -bit.
    let i: number;
    let p: number;
    let bound: number;
    let bit: number;
    let mask: number;
    try {
      for (;;) {
        if (pos >= limit && (!markerAfterLimit || code === 0)) return "limit";
        const posState = pos & pbMask;

        i = IS_MATCH + (state << 4) + posState;
        p = probs[i]!;
        bound = Math.imul(range >>> 11, p) >>> 0;
        if (code < bound) {
          range = bound;
          probs[i] = p + ((2048 - p) >>> 5);
          bit = 0;
        } else {
          range = (range - bound) >>> 0;
          code = (code - bound) >>> 0;
          probs[i] = p - (p >>> 5);
          bit = 1;
        }
        if (range < 0x1000000) {
          if (inPos >= inEnd) throw new InputEnded();
          range = (range << 8) >>> 0;
          code = ((code << 8) | input[inPos++]!) >>> 0;
        }

        if (bit === 0) {
          // A literal: 8 bits through a tree chosen by position and the previous byte. After a
          // match, the byte at rep0 selects the tree's second or third table for as long as the
          // decoded bits agree with it; from the first bit that differs, the plain table.
          if (pos >= limit) throw this.corrupt("data continues past its recorded size");
          if (pos >= buf.length) {
            out.pos = pos;
            buf = out.reserve(1);
          }
          const prev = pos > dictStart ? buf[pos - 1]! : 0;
          const base = LITERAL + 0x300 * (((pos & lpMask) << lc) + (prev >>> (8 - lc)));
          let sym = 1;
          if (state >= 7) {
            let matchByte = buf[pos - rep0 - 1]!;
            while (sym < 0x100) {
              const matchBit = (matchByte >>> 7) & 1;
              matchByte <<= 1;
              i = base + ((1 + matchBit) << 8) + sym;
              p = probs[i]!;
              bound = Math.imul(range >>> 11, p) >>> 0;
              bit = (((~code & bound) | (~(code ^ bound) & (code - bound))) >>> 31) ^ 1;
              mask = -bit;
              range = (bound + ((range - bound - bound) & mask)) >>> 0;
              code = (code - (bound & mask)) >>> 0;
              probs[i] = p - ((p - (2017 & ~mask)) >> 5);
              if (range < 0x1000000) {
                if (inPos >= inEnd) throw new InputEnded();
                range = (range << 8) >>> 0;
                code = ((code << 8) | input[inPos++]!) >>> 0;
              }
              sym = (sym << 1) | bit;
              if (matchBit !== bit) break;
            }
          }
          if (sym === 1) {
            // A whole byte from the plain table: the eight bits written out, which V8 turns into
            // straight-line code with its checks merged (4% faster overall than the loop below).
            i = base + sym;
            p = probs[i]!;
            bound = Math.imul(range >>> 11, p) >>> 0;
            bit = (((~code & bound) | (~(code ^ bound) & (code - bound))) >>> 31) ^ 1;
            mask = -bit;
            range = (bound + ((range - bound - bound) & mask)) >>> 0;
            code = (code - (bound & mask)) >>> 0;
            probs[i] = p - ((p - (2017 & ~mask)) >> 5);
            if (range < 0x1000000) {
              if (inPos >= inEnd) throw new InputEnded();
              range = (range << 8) >>> 0;
              code = ((code << 8) | input[inPos++]!) >>> 0;
            }
            sym = (sym << 1) | bit;
            i = base + sym;
            p = probs[i]!;
            bound = Math.imul(range >>> 11, p) >>> 0;
            bit = (((~code & bound) | (~(code ^ bound) & (code - bound))) >>> 31) ^ 1;
            mask = -bit;
            range = (bound + ((range - bound - bound) & mask)) >>> 0;
            code = (code - (bound & mask)) >>> 0;
            probs[i] = p - ((p - (2017 & ~mask)) >> 5);
            if (range < 0x1000000) {
              if (inPos >= inEnd) throw new InputEnded();
              range = (range << 8) >>> 0;
              code = ((code << 8) | input[inPos++]!) >>> 0;
            }
            sym = (sym << 1) | bit;
            i = base + sym;
            p = probs[i]!;
            bound = Math.imul(range >>> 11, p) >>> 0;
            bit = (((~code & bound) | (~(code ^ bound) & (code - bound))) >>> 31) ^ 1;
            mask = -bit;
            range = (bound + ((range - bound - bound) & mask)) >>> 0;
            code = (code - (bound & mask)) >>> 0;
            probs[i] = p - ((p - (2017 & ~mask)) >> 5);
            if (range < 0x1000000) {
              if (inPos >= inEnd) throw new InputEnded();
              range = (range << 8) >>> 0;
              code = ((code << 8) | input[inPos++]!) >>> 0;
            }
            sym = (sym << 1) | bit;
            i = base + sym;
            p = probs[i]!;
            bound = Math.imul(range >>> 11, p) >>> 0;
            bit = (((~code & bound) | (~(code ^ bound) & (code - bound))) >>> 31) ^ 1;
            mask = -bit;
            range = (bound + ((range - bound - bound) & mask)) >>> 0;
            code = (code - (bound & mask)) >>> 0;
            probs[i] = p - ((p - (2017 & ~mask)) >> 5);
            if (range < 0x1000000) {
              if (inPos >= inEnd) throw new InputEnded();
              range = (range << 8) >>> 0;
              code = ((code << 8) | input[inPos++]!) >>> 0;
            }
            sym = (sym << 1) | bit;
            i = base + sym;
            p = probs[i]!;
            bound = Math.imul(range >>> 11, p) >>> 0;
            bit = (((~code & bound) | (~(code ^ bound) & (code - bound))) >>> 31) ^ 1;
            mask = -bit;
            range = (bound + ((range - bound - bound) & mask)) >>> 0;
            code = (code - (bound & mask)) >>> 0;
            probs[i] = p - ((p - (2017 & ~mask)) >> 5);
            if (range < 0x1000000) {
              if (inPos >= inEnd) throw new InputEnded();
              range = (range << 8) >>> 0;
              code = ((code << 8) | input[inPos++]!) >>> 0;
            }
            sym = (sym << 1) | bit;
            i = base + sym;
            p = probs[i]!;
            bound = Math.imul(range >>> 11, p) >>> 0;
            bit = (((~code & bound) | (~(code ^ bound) & (code - bound))) >>> 31) ^ 1;
            mask = -bit;
            range = (bound + ((range - bound - bound) & mask)) >>> 0;
            code = (code - (bound & mask)) >>> 0;
            probs[i] = p - ((p - (2017 & ~mask)) >> 5);
            if (range < 0x1000000) {
              if (inPos >= inEnd) throw new InputEnded();
              range = (range << 8) >>> 0;
              code = ((code << 8) | input[inPos++]!) >>> 0;
            }
            sym = (sym << 1) | bit;
            i = base + sym;
            p = probs[i]!;
            bound = Math.imul(range >>> 11, p) >>> 0;
            bit = (((~code & bound) | (~(code ^ bound) & (code - bound))) >>> 31) ^ 1;
            mask = -bit;
            range = (bound + ((range - bound - bound) & mask)) >>> 0;
            code = (code - (bound & mask)) >>> 0;
            probs[i] = p - ((p - (2017 & ~mask)) >> 5);
            if (range < 0x1000000) {
              if (inPos >= inEnd) throw new InputEnded();
              range = (range << 8) >>> 0;
              code = ((code << 8) | input[inPos++]!) >>> 0;
            }
            sym = (sym << 1) | bit;
            i = base + sym;
            p = probs[i]!;
            bound = Math.imul(range >>> 11, p) >>> 0;
            bit = (((~code & bound) | (~(code ^ bound) & (code - bound))) >>> 31) ^ 1;
            mask = -bit;
            range = (bound + ((range - bound - bound) & mask)) >>> 0;
            code = (code - (bound & mask)) >>> 0;
            probs[i] = p - ((p - (2017 & ~mask)) >> 5);
            if (range < 0x1000000) {
              if (inPos >= inEnd) throw new InputEnded();
              range = (range << 8) >>> 0;
              code = ((code << 8) | input[inPos++]!) >>> 0;
            }
            sym = (sym << 1) | bit;
          } else {
            while (sym < 0x100) {
              i = base + sym;
              p = probs[i]!;
              bound = Math.imul(range >>> 11, p) >>> 0;
              bit = (((~code & bound) | (~(code ^ bound) & (code - bound))) >>> 31) ^ 1;
              mask = -bit;
              range = (bound + ((range - bound - bound) & mask)) >>> 0;
              code = (code - (bound & mask)) >>> 0;
              probs[i] = p - ((p - (2017 & ~mask)) >> 5);
              if (range < 0x1000000) {
                if (inPos >= inEnd) throw new InputEnded();
                range = (range << 8) >>> 0;
                code = ((code << 8) | input[inPos++]!) >>> 0;
              }
              sym = (sym << 1) | bit;
            }
          }
          buf[pos++] = sym - 0x100;
          state = STATE_AFTER_LITERAL[state]!;
          continue;
        }

        // A match: is-rep says whether it reuses one of the last four distances.
        i = IS_REP + state;
        p = probs[i]!;
        bound = Math.imul(range >>> 11, p) >>> 0;
        if (code < bound) {
          range = bound;
          probs[i] = p + ((2048 - p) >>> 5);
          bit = 0;
        } else {
          range = (range - bound) >>> 0;
          code = (code - bound) >>> 0;
          probs[i] = p - (p >>> 5);
          bit = 1;
        }
        if (range < 0x1000000) {
          if (inPos >= inEnd) throw new InputEnded();
          range = (range << 8) >>> 0;
          code = ((code << 8) | input[inPos++]!) >>> 0;
        }
        const isRep = bit !== 0;
        let lenCoder: number;
        if (isRep) {
          if (pos >= limit) throw this.corrupt("data continues past its recorded size");
          if (pos <= dictStart) throw this.corrupt("repeated match before any data");
          i = IS_REP_G0 + state;
          p = probs[i]!;
          bound = Math.imul(range >>> 11, p) >>> 0;
          if (code < bound) {
            range = bound;
            probs[i] = p + ((2048 - p) >>> 5);
            bit = 0;
          } else {
            range = (range - bound) >>> 0;
            code = (code - bound) >>> 0;
            probs[i] = p - (p >>> 5);
            bit = 1;
          }
          if (range < 0x1000000) {
            if (inPos >= inEnd) throw new InputEnded();
            range = (range << 8) >>> 0;
            code = ((code << 8) | input[inPos++]!) >>> 0;
          }
          if (bit === 0) {
            // rep0; is-rep0-long 0 means a short rep, the one byte at rep0.
            i = IS_REP0_LONG + (state << 4) + posState;
            p = probs[i]!;
            bound = Math.imul(range >>> 11, p) >>> 0;
            if (code < bound) {
              range = bound;
              probs[i] = p + ((2048 - p) >>> 5);
              bit = 0;
            } else {
              range = (range - bound) >>> 0;
              code = (code - bound) >>> 0;
              probs[i] = p - (p >>> 5);
              bit = 1;
            }
            if (range < 0x1000000) {
              if (inPos >= inEnd) throw new InputEnded();
              range = (range << 8) >>> 0;
              code = ((code << 8) | input[inPos++]!) >>> 0;
            }
            if (bit === 0) {
              if (rep0 >= pos - dictStart) throw this.corrupt("match distance before the start of the data");
              if (pos >= buf.length) {
                out.pos = pos;
                buf = out.reserve(1);
              }
              buf[pos] = buf[pos - rep0 - 1]!;
              pos++;
              state = state < 7 ? 9 : 11;
              continue;
            }
          } else {
            // rep1, rep2 or rep3 moves to the front (rep1-3 stay in fields: only matches use them).
            i = IS_REP_G1 + state;
            p = probs[i]!;
            bound = Math.imul(range >>> 11, p) >>> 0;
            if (code < bound) {
              range = bound;
              probs[i] = p + ((2048 - p) >>> 5);
              bit = 0;
            } else {
              range = (range - bound) >>> 0;
              code = (code - bound) >>> 0;
              probs[i] = p - (p >>> 5);
              bit = 1;
            }
            if (range < 0x1000000) {
              if (inPos >= inEnd) throw new InputEnded();
              range = (range << 8) >>> 0;
              code = ((code << 8) | input[inPos++]!) >>> 0;
            }
            let dist: number;
            if (bit === 0) dist = this.rep1;
            else {
              i = IS_REP_G2 + state;
              p = probs[i]!;
              bound = Math.imul(range >>> 11, p) >>> 0;
              if (code < bound) {
                range = bound;
                probs[i] = p + ((2048 - p) >>> 5);
                bit = 0;
              } else {
                range = (range - bound) >>> 0;
                code = (code - bound) >>> 0;
                probs[i] = p - (p >>> 5);
                bit = 1;
              }
              if (range < 0x1000000) {
                if (inPos >= inEnd) throw new InputEnded();
                range = (range << 8) >>> 0;
                code = ((code << 8) | input[inPos++]!) >>> 0;
              }
              if (bit === 0) dist = this.rep2;
              else {
                dist = this.rep3;
                this.rep3 = this.rep2;
              }
              this.rep2 = this.rep1;
            }
            this.rep1 = rep0;
            rep0 = dist;
          }
          lenCoder = REP_LEN_CODER;
        } else {
          this.rep3 = this.rep2;
          this.rep2 = this.rep1;
          this.rep1 = rep0;
          lenCoder = LEN_CODER;
        }

        // The length (minus 2): choice bits pick a 3-bit tree for this position state (0-7 or
        // 8-15) or the shared 8-bit tree (16-271).
        let treeBase: number;
        let treeBits: number;
        let len: number;
        i = lenCoder;
        p = probs[i]!;
        bound = Math.imul(range >>> 11, p) >>> 0;
        if (code < bound) {
          range = bound;
          probs[i] = p + ((2048 - p) >>> 5);
          bit = 0;
        } else {
          range = (range - bound) >>> 0;
          code = (code - bound) >>> 0;
          probs[i] = p - (p >>> 5);
          bit = 1;
        }
        if (range < 0x1000000) {
          if (inPos >= inEnd) throw new InputEnded();
          range = (range << 8) >>> 0;
          code = ((code << 8) | input[inPos++]!) >>> 0;
        }
        if (bit === 0) {
          treeBase = lenCoder + 2 + (posState << 3);
          treeBits = 3;
          len = 0;
        } else {
          i = lenCoder + 1;
          p = probs[i]!;
          bound = Math.imul(range >>> 11, p) >>> 0;
          if (code < bound) {
            range = bound;
            probs[i] = p + ((2048 - p) >>> 5);
            bit = 0;
          } else {
            range = (range - bound) >>> 0;
            code = (code - bound) >>> 0;
            probs[i] = p - (p >>> 5);
            bit = 1;
          }
          if (range < 0x1000000) {
            if (inPos >= inEnd) throw new InputEnded();
            range = (range << 8) >>> 0;
            code = ((code << 8) | input[inPos++]!) >>> 0;
          }
          if (bit === 0) {
            treeBase = lenCoder + 2 + 128 + (posState << 3);
            treeBits = 3;
            len = 8;
          } else {
            treeBase = lenCoder + 2 + 256;
            treeBits = 8;
            len = 16;
          }
        }
        let m = 1;
        for (let k = 0; k < treeBits; k++) {
          i = treeBase + m;
          p = probs[i]!;
          bound = Math.imul(range >>> 11, p) >>> 0;
          bit = (((~code & bound) | (~(code ^ bound) & (code - bound))) >>> 31) ^ 1;
          mask = -bit;
          range = (bound + ((range - bound - bound) & mask)) >>> 0;
          code = (code - (bound & mask)) >>> 0;
          probs[i] = p - ((p - (2017 & ~mask)) >> 5);
          if (range < 0x1000000) {
            if (inPos >= inEnd) throw new InputEnded();
            range = (range << 8) >>> 0;
            code = ((code << 8) | input[inPos++]!) >>> 0;
          }
          m = (m << 1) | bit;
        }
        len += m - (1 << treeBits);

        if (isRep) state = state < 7 ? 8 : 11;
        else {
          state = state < 7 ? 7 : 10;
          // The distance: a 6-bit slot (tree chosen by the length), then for slots 4 and up the
          // low bits, from reverse trees below slot 14, else direct bits and a 4-bit align tree.
          m = 1;
          const slotBase = POS_SLOT + ((len < 3 ? len : 3) << 6);
          for (let k = 0; k < 6; k++) {
            i = slotBase + m;
            p = probs[i]!;
            bound = Math.imul(range >>> 11, p) >>> 0;
            bit = (((~code & bound) | (~(code ^ bound) & (code - bound))) >>> 31) ^ 1;
            mask = -bit;
            range = (bound + ((range - bound - bound) & mask)) >>> 0;
            code = (code - (bound & mask)) >>> 0;
            probs[i] = p - ((p - (2017 & ~mask)) >> 5);
            if (range < 0x1000000) {
              if (inPos >= inEnd) throw new InputEnded();
              range = (range << 8) >>> 0;
              code = ((code << 8) | input[inPos++]!) >>> 0;
            }
            m = (m << 1) | bit;
          }
          const posSlot = m - 64;
          if (posSlot < 4) rep0 = posSlot;
          else {
            const numDirectBits = (posSlot >>> 1) - 1;
            // Up to 3 << 30: unsigned, so `>>> 0` after every step that could reach bit 31.
            let dist = ((2 | (posSlot & 1)) << numDirectBits) >>> 0;
            let revBase: number;
            let revBits: number;
            if (posSlot < END_POS_MODEL_INDEX) {
              revBase = SPEC_POS + dist - posSlot;
              revBits = numDirectBits;
            } else {
              // Direct bits: probability one half, so range halves and no model is updated. The
              // bit is 1 when code >= range, found without a branch like the tree bits.
              let direct = 0;
              for (let k = numDirectBits - 4; k > 0; k--) {
                range >>>= 1;
                bit = (((~code & range) | (~(code ^ range) & (code - range))) >>> 31) ^ 1;
                code = (code - (range & -bit)) >>> 0;
                if (code >= range) throw this.corrupt("direct bits");
                direct = (direct << 1) | bit;
                if (range < 0x1000000) {
                  if (inPos >= inEnd) throw new InputEnded();
                  range = (range << 8) >>> 0;
                  code = ((code << 8) | input[inPos++]!) >>> 0;
                }
              }
              dist = (dist + (direct << 4)) >>> 0;
              revBase = ALIGN;
              revBits = 4;
            }
            // Reverse tree: the bits come least significant first.
            m = 1;
            let low = 0;
            for (let k = 0; k < revBits; k++) {
              i = revBase + m;
              p = probs[i]!;
              bound = Math.imul(range >>> 11, p) >>> 0;
              bit = (((~code & bound) | (~(code ^ bound) & (code - bound))) >>> 31) ^ 1;
              mask = -bit;
              range = (bound + ((range - bound - bound) & mask)) >>> 0;
              code = (code - (bound & mask)) >>> 0;
              probs[i] = p - ((p - (2017 & ~mask)) >> 5);
              if (range < 0x1000000) {
                if (inPos >= inEnd) throw new InputEnded();
                range = (range << 8) >>> 0;
                code = ((code << 8) | input[inPos++]!) >>> 0;
              }
              m = (m << 1) | bit;
              low |= bit << k;
            }
            rep0 = (dist + low) >>> 0;
          }
          if (rep0 === END_MARKER) {
            if (!markerAllowed) throw this.corrupt("unexpected end marker");
            return "marker";
          }
          if (pos >= limit) throw this.corrupt("data continues past its recorded size");
          if (rep0 >= dictSize) throw this.corrupt("match distance beyond the dictionary size");
        }

        const dist = rep0 + 1;
        if (dist > pos - dictStart) throw this.corrupt("match distance before the start of the data");
        len += MATCH_MIN_LEN;
        const cut = pos + len > limit;
        if (cut) len = limit - pos;
        if (pos + len > buf.length) {
          out.pos = pos;
          buf = out.reserve(len);
        }
        copyMatch(buf, pos, dist, len);
        pos += len;
        if (cut) throw this.corrupt("match runs past the recorded size");
      }
    } finally {
      this.coder[RANGE] = range;
      this.coder[CODE] = code;
      this.inPos = inPos;
      this.state = state;
      this.rep0 = rep0;
      out.pos = pos;
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
