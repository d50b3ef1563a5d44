// yescrypt ("$y$", libxcrypt's default on current Debian, Fedora and Ubuntu) and classic scrypt in
// its "$7$" form. Written from the yescrypt reference implementation (yescrypt-ref.c, which its
// author presents as the specification) and yescrypt-common.c's encoding; no code is taken from
// either. Supports the three modes the reference accepts: classic scrypt (flags 0), YESCRYPT_WORM
// (1) and YESCRYPT_RW with the default pwxform flavour (0xb6). ROM-based hashes (NROM) and hash
// upgrades (g) cannot be verified without the ROM and are reported as unsupported.
import { createHash, createHmac, pbkdf2Sync } from "node:crypto";
import { encodeBytes, YESCRYPT_RW, type YescryptParams, type YescryptSetting } from "./yescrypt-format.js";

export { parseYescrypt, type YescryptParams, type YescryptSetting } from "./yescrypt-format.js";

const YESCRYPT_WORM = 1;
const YESCRYPT_RW_DEFAULT_FLAVOR = 0xb6; // RW | ROUNDS_6 | GATHER_4 | SIMPLE_2 | SBOX_12K
const YESCRYPT_PREHASH = 0x10000000;

// pwxform parameters of the default flavour.
const PWX_SIMPLE = 2;
const PWX_GATHER = 4;
const PWX_ROUNDS = 6;
const S_WIDTH = 8;
const PWX_WORDS = (PWX_GATHER * PWX_SIMPLE * 8) / 4; // 16 words, 64 bytes
const S_WORDS = (3 * (1 << S_WIDTH) * PWX_SIMPLE * 8) / 4; // 3072 words, 12 KiB
const S_MASK = ((1 << S_WIDTH) - 1) * PWX_SIMPLE * 8; // byte offset mask inside one S-box
const S_BOX_WORDS = (1 << S_WIDTH) * PWX_SIMPLE * 2;

/** Why these parameters cannot be verified here, or undefined when they can. */
export function unsupportedYescrypt(p: YescryptParams, maxBytes: number): string | undefined {
  const mode = p.flags & 3;
  if (p.g) return "hash upgrades (g) are not supported";
  if (p.NROM) return "ROM-based hashes need the ROM";
  if (mode === 0 && (p.flags || p.t)) return "classic scrypt takes no flags";
  if (mode === YESCRYPT_WORM && p.flags !== YESCRYPT_WORM) return "unknown flags";
  if (mode === YESCRYPT_RW && p.flags !== YESCRYPT_RW_DEFAULT_FLAVOR) return "unsupported pwxform flavour";
  if (mode === 3) return "unknown mode";
  if (p.N < 2 || p.r < 1 || p.p < 1 || p.r * p.p >= 2 ** 30) return "invalid N, r or p";
  if (mode === YESCRYPT_RW && p.N / p.p <= 1) return "invalid N/p";
  const sBoxes = mode === YESCRYPT_RW ? S_WORDS * 4 * p.p : 0;
  if (128 * p.r * p.N > maxBytes || 128 * p.r * p.p + sBoxes > maxBytes)
    return "needs more memory than allowed";
  return undefined;
}

/** Relative work of one attempt: 128-byte blocks mixed, roughly. */
export function yescryptWork(p: YescryptParams): number {
  const loops = p.flags & YESCRYPT_RW ? (p.t <= 1 ? (p.t ? 5 / 3 : 4 / 3) : p.t) : 2 + p.t;
  return p.N * p.r * loops * (p.flags & YESCRYPT_RW ? 1 : p.p);
}

// ----- the core (yescrypt-ref.c's salsa20, blockmix, pwxform, smix) -----

const SHUFFLE = Array.from({ length: 16 }, (_, i) => (i * 5) % 16);
const salsaX = new Int32Array(16);

/** Salsa20 core on 16 words in yescrypt's SIMD-shuffled order. */
function salsa20(b: Int32Array, off: number, rounds: number): void {
  const x = salsaX;
  for (let i = 0; i < 16; i++) x[SHUFFLE[i]!] = b[off + i]!;
  const R = (a: number, n: number) => (a << n) | (a >>> (32 - n));
  for (let i = 0; i < rounds; i += 2) {
    x[4]! ^= R((x[0]! + x[12]!) | 0, 7);
    x[8]! ^= R((x[4]! + x[0]!) | 0, 9);
    x[12]! ^= R((x[8]! + x[4]!) | 0, 13);
    x[0]! ^= R((x[12]! + x[8]!) | 0, 18);
    x[9]! ^= R((x[5]! + x[1]!) | 0, 7);
    x[13]! ^= R((x[9]! + x[5]!) | 0, 9);
    x[1]! ^= R((x[13]! + x[9]!) | 0, 13);
    x[5]! ^= R((x[1]! + x[13]!) | 0, 18);
    x[14]! ^= R((x[10]! + x[6]!) | 0, 7);
    x[2]! ^= R((x[14]! + x[10]!) | 0, 9);
    x[6]! ^= R((x[2]! + x[14]!) | 0, 13);
    x[10]! ^= R((x[6]! + x[2]!) | 0, 18);
    x[3]! ^= R((x[15]! + x[11]!) | 0, 7);
    x[7]! ^= R((x[3]! + x[15]!) | 0, 9);
    x[11]! ^= R((x[7]! + x[3]!) | 0, 13);
    x[15]! ^= R((x[11]! + x[7]!) | 0, 18);
    x[1]! ^= R((x[0]! + x[3]!) | 0, 7);
    x[2]! ^= R((x[1]! + x[0]!) | 0, 9);
    x[3]! ^= R((x[2]! + x[1]!) | 0, 13);
    x[0]! ^= R((x[3]! + x[2]!) | 0, 18);
    x[6]! ^= R((x[5]! + x[4]!) | 0, 7);
    x[7]! ^= R((x[6]! + x[5]!) | 0, 9);
    x[4]! ^= R((x[7]! + x[6]!) | 0, 13);
    x[5]! ^= R((x[4]! + x[7]!) | 0, 18);
    x[11]! ^= R((x[10]! + x[9]!) | 0, 7);
    x[8]! ^= R((x[11]! + x[10]!) | 0, 9);
    x[9]! ^= R((x[8]! + x[11]!) | 0, 13);
    x[10]! ^= R((x[9]! + x[8]!) | 0, 18);
    x[12]! ^= R((x[15]! + x[14]!) | 0, 7);
    x[13]! ^= R((x[12]! + x[15]!) | 0, 9);
    x[14]! ^= R((x[13]! + x[12]!) | 0, 13);
    x[15]! ^= R((x[14]! + x[13]!) | 0, 18);
  }
  for (let i = 0; i < 16; i++) b[off + i] = (b[off + i]! + x[SHUFFLE[i]!]!) | 0;
}

function blockmixSalsa8(b: Int32Array, bOff: number, y: Int32Array, yOff: number, r: number): void {
  const x = new Int32Array(16);
  x.set(b.subarray(bOff + (2 * r - 1) * 16, bOff + 2 * r * 16));
  for (let i = 0; i < 2 * r; i++) {
    for (let k = 0; k < 16; k++) x[k]! ^= b[bOff + i * 16 + k]!;
    salsa20(x, 0, 8);
    y.set(x, yOff + i * 16);
  }
  for (let i = 0; i < r; i++) b.set(y.subarray(yOff + i * 32, yOff + i * 32 + 16), bOff + i * 16);
  for (let i = 0; i < r; i++) b.set(y.subarray(yOff + i * 32 + 16, yOff + i * 32 + 32), bOff + (i + r) * 16);
}

interface Pwxform {
  s: Int32Array;
  /** Word offsets of S0, S1, S2 inside s. */
  s0: number;
  s1: number;
  s2: number;
  /** Write position in S2, in 8-byte units. */
  w: number;
}

/** pwxform on 16 words at `off`: 64-bit multiply-add-xor lanes through the S-boxes. */
function pwxform(x: Int32Array, off: number, ctx: Pwxform): void {
  const s = ctx.s;
  const s0 = ctx.s0;
  const s1 = ctx.s1;
  const s2 = ctx.s2;
  let w = ctx.w;
  for (let i = 0; i < PWX_ROUNDS; i++) {
    const keep = i !== 0 && i !== PWX_ROUNDS - 1;
    for (let j = 0; j < PWX_GATHER; j++) {
      const base = off + j * 4;
      const p0 = s0 + ((x[base]! & S_MASK) >>> 2);
      const p1 = s1 + ((x[base + 1]! & S_MASK) >>> 2);
      for (let k = 0; k < PWX_SIMPLE; k++) {
        const at = base + 2 * k;
        const xl = x[at]!;
        const xh = x[at + 1]!;
        // (xh * xl) as a 64-bit product from 16-bit halves, all in 32-bit integer arithmetic.
        const a0 = xh & 0xffff;
        const a1 = xh >>> 16;
        const b0 = xl & 0xffff;
        const b1 = xl >>> 16;
        const mid1 = Math.imul(a1, b0);
        const mid2 = Math.imul(a0, b1);
        const carry = ((Math.imul(a0, b0) >>> 16) + (mid1 & 0xffff) + (mid2 & 0xffff)) >>> 16;
        const prodHi = (Math.imul(a1, b1) + (mid1 >>> 16) + (mid2 >>> 16) + carry) | 0;
        const prodLo = Math.imul(xh, xl);
        // + S0 (64-bit add with carry), then xor S1.
        const sumLo = (prodLo + s[p0 + 2 * k]!) | 0;
        const sumHi = (prodHi + s[p0 + 2 * k + 1]! + (sumLo >>> 0 < prodLo >>> 0 ? 1 : 0)) | 0;
        const lo = sumLo ^ s[p1 + 2 * k]!;
        const hi = sumHi ^ s[p1 + 2 * k + 1]!;
        x[at] = lo;
        x[at + 1] = hi;
        if (keep) {
          s[s2 + 2 * w] = lo;
          s[s2 + 2 * w + 1] = hi;
          w++;
        }
      }
    }
  }
  ctx.s0 = s2;
  ctx.s1 = s0;
  ctx.s2 = s1;
  ctx.w = w & ((1 << S_WIDTH) * PWX_SIMPLE - 1);
}

function blockmixPwxform(
  b: Int32Array,
  bOff: number,
  y: Int32Array,
  yOff: number,
  ctx: Pwxform,
  r: number,
): void {
  const r1 = (128 * r) / 64;
  y.set(b.subarray(bOff + (r1 - 1) * PWX_WORDS, bOff + r1 * PWX_WORDS), yOff);
  for (let i = 0; i < r1; i++) {
    if (r1 > 1) for (let k = 0; k < PWX_WORDS; k++) y[yOff + k]! ^= b[bOff + i * PWX_WORDS + k]!;
    pwxform(y, yOff, ctx);
    b.set(y.subarray(yOff, yOff + PWX_WORDS), bOff + i * PWX_WORDS);
  }
  let i = ((r1 - 1) * PWX_WORDS * 4) / 64;
  salsa20(b, bOff + i * 16, 2);
  for (i++; i < 2 * r; i++) {
    for (let k = 0; k < 16; k++) b[bOff + i * 16 + k]! ^= b[bOff + (i - 1) * 16 + k]!;
    salsa20(b, bOff + i * 16, 2);
  }
}

/** Low 32 bits of Integerify: enough, since N is bounded far below 2^32 here. */
function integerify(x: Int32Array, xOff: number, r: number): number {
  return x[xOff + (2 * r - 1) * 16]!;
}

function p2floor(x: number): number {
  let y: number;
  while ((y = x & (x - 1))) x = y;
  return x;
}

function wrap(x: number, i: number): number {
  const n = p2floor(i);
  return (x & (n - 1)) + (i - n);
}

interface Work {
  xy: Int32Array;
}

function mix(x: Int32Array, s: number, r: number, work: Work, ctx: Pwxform | undefined): void {
  if (ctx) blockmixPwxform(x, 0, work.xy, s, ctx, r);
  else blockmixSalsa8(x, 0, work.xy, s, r);
}

function loadShuffled(b: Int32Array, bOff: number, x: Int32Array, r: number): void {
  for (let k = 0; k < 2 * r; k++)
    for (let i = 0; i < 16; i++) x[k * 16 + i] = b[bOff + k * 16 + SHUFFLE[i]!]!;
}

function storeShuffled(b: Int32Array, bOff: number, x: Int32Array, r: number): void {
  for (let k = 0; k < 2 * r; k++)
    for (let i = 0; i < 16; i++) b[bOff + k * 16 + SHUFFLE[i]!] = x[k * 16 + i]!;
}

function smix1(
  b: Int32Array,
  bOff: number,
  r: number,
  n: number,
  flags: number,
  v: Int32Array,
  vOff: number,
  work: Work,
  ctx: Pwxform | undefined,
): void {
  const s = 32 * r;
  const x = work.xy;
  loadShuffled(b, bOff, x, r);
  for (let i = 0; i < n; i++) {
    v.set(x.subarray(0, s), vOff + i * s);
    if (flags & YESCRYPT_RW && i > 1) {
      const j = wrap(integerify(x, 0, r), i);
      const at = vOff + j * s;
      for (let k = 0; k < s; k++) x[k]! ^= v[at + k]!;
    }
    mix(x, s, r, work, ctx);
  }
  storeShuffled(b, bOff, x, r);
}

function smix2(
  b: Int32Array,
  bOff: number,
  r: number,
  n: number,
  nLoop: number,
  flags: number,
  v: Int32Array,
  vOff: number,
  work: Work,
  ctx: Pwxform | undefined,
): void {
  const s = 32 * r;
  const x = work.xy;
  loadShuffled(b, bOff, x, r);
  for (let i = 0; i < nLoop; i++) {
    const j = integerify(x, 0, r) & (n - 1);
    const at = vOff + j * s;
    for (let k = 0; k < s; k++) x[k]! ^= v[at + k]!;
    if (flags & YESCRYPT_RW) v.set(x.subarray(0, s), at);
    mix(x, s, r, work, ctx);
  }
  storeShuffled(b, bOff, x, r);
}

function wordsLE(bytes: Uint8Array): Int32Array {
  const out = new Int32Array(bytes.length >>> 2);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = dv.getInt32(4 * i, true);
  return out;
}

function bytesLE(words: Int32Array, from = 0, to = words.length): Buffer {
  const out = Buffer.alloc((to - from) * 4);
  for (let i = from; i < to; i++) out.writeInt32LE(words[i]!, (i - from) * 4);
  return out;
}

function smix(
  b: Int32Array,
  r: number,
  N: number,
  p: number,
  t: number,
  flags: number,
  v: Int32Array,
  work: Work,
  ctxs: Pwxform[],
  passwd: { value: Buffer },
): void {
  const s = 32 * r;
  let nChunk = Math.floor(N / p);
  let nLoopAll = nChunk;
  if (flags & YESCRYPT_RW) {
    if (t <= 1) {
      if (t) nLoopAll *= 2;
      nLoopAll = Math.floor((nLoopAll + 2) / 3);
    } else nLoopAll *= t - 1;
  } else if (t) {
    if (t === 1) nLoopAll += Math.floor((nLoopAll + 1) / 2);
    nLoopAll *= t;
  }
  let nLoopRw = flags & YESCRYPT_RW ? Math.floor(nLoopAll / p) : 0;
  nChunk -= nChunk % 2;
  nLoopAll += nLoopAll % 2;
  nLoopRw += nLoopRw % 2;
  for (let i = 0, vChunk = 0; i < p; i++, vChunk += nChunk) {
    const np = i < p - 1 ? nChunk : N - vChunk;
    const bOff = i * s;
    let ctx: Pwxform | undefined;
    if (flags & YESCRYPT_RW) {
      ctx = ctxs[i]!;
      smix1(b, bOff, 1, S_WORDS / 32, 0, ctx.s, 0, work, undefined);
      ctx.s2 = 0;
      ctx.s1 = S_BOX_WORDS;
      ctx.s0 = 2 * S_BOX_WORDS;
      ctx.w = 0;
      if (i === 0)
        passwd.value = createHmac("sha256", bytesLE(b, bOff + s - 16, bOff + s))
          .update(passwd.value)
          .digest();
    }
    smix1(b, bOff, r, np, flags, v, vChunk * s, work, ctx);
    smix2(b, bOff, r, p2floor(np), nLoopRw, flags, v, vChunk * s, work, ctx);
  }
  for (let i = 0; i < p; i++)
    smix2(
      b,
      i * s,
      r,
      N,
      nLoopAll - nLoopRw,
      flags & ~YESCRYPT_RW,
      v,
      0,
      work,
      flags & YESCRYPT_RW ? ctxs[i] : undefined,
    );
}

/** Scratch memory for one parameter set, reused across attempts against the same hash. */
export interface YescryptMemory {
  v: Int32Array;
  work: Work;
  ctxs: Pwxform[];
}

export function yescryptMemory(p: YescryptParams): YescryptMemory {
  return {
    v: new Int32Array(32 * p.r * p.N),
    work: { xy: new Int32Array(64 * p.r) },
    ctxs: Array.from({ length: p.flags & YESCRYPT_RW ? p.p : 0 }, () => ({
      s: new Int32Array(S_WORDS),
      s0: 0,
      s1: 0,
      s2: 0,
      w: 0,
    })),
  };
}

function kdfBody(
  password: Buffer,
  salt: Buffer,
  flags: number,
  N: number,
  r: number,
  p: number,
  t: number,
  mem: YescryptMemory,
): Buffer {
  let passwd = password;
  if (flags)
    passwd = createHmac("sha256", flags & YESCRYPT_PREHASH ? "yescrypt-prehash" : "yescrypt")
      .update(passwd)
      .digest();
  const bBytes = pbkdf2Sync(passwd, salt, 1, 128 * r * p, "sha256");
  const b = wordsLE(bBytes);
  // From here on the "password" is the first 32 bytes of B (the reference aliases the two).
  const pw = { value: flags ? Buffer.from(bBytes.subarray(0, 32)) : passwd };
  const v = mem.v.length >= 32 * r * N ? mem.v : new Int32Array(32 * r * N);
  if (flags & YESCRYPT_RW) smix(b, r, N, p, t, flags, v, mem.work, mem.ctxs, pw);
  else for (let i = 0; i < p; i++) smixOne(b, i, r, N, t, flags, v, mem.work);
  const out = pbkdf2Sync(pw.value, bytesLE(b), 1, 32, "sha256");
  if (flags && !(flags & YESCRYPT_PREHASH)) {
    const clientKey = createHmac("sha256", out).update("Client Key").digest();
    return createHash("sha256").update(clientKey).digest();
  }
  return out;
}

function smixOne(
  b: Int32Array,
  i: number,
  r: number,
  N: number,
  t: number,
  flags: number,
  v: Int32Array,
  work: Work,
): void {
  const sub = b.subarray(i * 32 * r, (i + 1) * 32 * r);
  smix(sub, r, N, 1, t, flags, v, work, [], { value: Buffer.alloc(0) });
}

/** The raw 32-byte yescrypt (or scrypt) of `password`. */
export function yescryptRaw(
  password: string,
  salt: Buffer,
  params: YescryptParams,
  mem = yescryptMemory(params),
): Buffer {
  const { flags, N, r, p, t } = params;
  let pw: Buffer = Buffer.from(password, "utf8");
  if (flags & YESCRYPT_RW && p >= 1 && N / p >= 0x100 && (N / p) * r >= 0x20000)
    pw = kdfBody(pw, salt, flags | YESCRYPT_PREHASH, N / 64, r, p, 0, mem);
  return kdfBody(pw, salt, flags, N, r, p, t, mem);
}

/** The encoded 43-character checksum, as stored after the last "$". */
export function yescryptChecksum(password: string, setting: YescryptSetting, mem?: YescryptMemory): string {
  return encodeBytes(yescryptRaw(password, setting.salt, setting.params, mem));
}
