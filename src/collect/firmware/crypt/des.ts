// Traditional crypt(3): 25 DES encryptions of a zero block under the first 8 password bytes, with the
// 12-bit salt swapping E-expansion bits. Written from FIPS 46-3 (tables below) and the Seventh
// Edition crypt(3) description (salt and output encoding). Only 8 bytes of the password count,
// which is one reason AUTH-03 calls it weak.
import { cryptValue, CRYPT_ALPHABET, isCryptString } from "./base64.js";

// FIPS 46-3 tables, 1-based bit numbers, most significant bit first.
const IP = [
  58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4, 62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40,
  32, 24, 16, 8, 57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3, 61, 53, 45, 37, 29, 21, 13, 5,
  63, 55, 47, 39, 31, 23, 15, 7,
];
const P = [
  16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, 2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22,
  11, 4, 25,
];
const PC1 = [
  57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
  63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
];
const PC2 = [
  14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2, 41, 52, 31, 37, 47,
  55, 30, 40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
];
const SHIFTS = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];
const S = [
  [
    14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7, 0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3,
    8, 4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0, 15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6,
    13,
  ],
  [
    15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10, 3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11,
    5, 0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15, 13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5,
    14, 9,
  ],
  [
    10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8, 13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15,
    1, 13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7, 1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2,
    12,
  ],
  [
    7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15, 13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14,
    9, 10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4, 3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2,
    14,
  ],
  [
    2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9, 14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8,
    6, 4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14, 11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4,
    5, 3,
  ],
  [
    12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11, 10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3,
    8, 9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6, 4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8,
    13,
  ],
  [
    4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1, 13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8,
    6, 1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2, 6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3,
    12,
  ],
  [
    13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7, 1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9,
    2, 7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8, 2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6,
    11,
  ],
];

/** S-box j then P, for every 6-bit input: one lookup per S-box in the round function. */
const SP: Uint32Array[] = S.map((box, j) => {
  const t = new Uint32Array(64);
  for (let v = 0; v < 64; v++) {
    const row = ((v >> 4) & 2) | (v & 1);
    const col = (v >> 1) & 0xf;
    const nibble = box[row * 16 + col]!;
    const sOut = nibble << (28 - 4 * j); // S-box j fills bits 4j+1..4j+4 of the 32-bit output
    let p = 0;
    for (let i = 0; i < 32; i++) if ((sOut >>> (32 - P[i]!)) & 1) p |= 1 << (31 - i);
    t[v] = p >>> 0;
  }
  return t;
});

/** The 16 round keys, each as two 24-bit halves (E-expansion bit order). */
function keySchedule(key: Uint8Array): Int32Array {
  const bit = (n: number) => (key[(n - 1) >> 3]! >> (7 - ((n - 1) & 7))) & 1;
  const cd = PC1.map(bit);
  const out = new Int32Array(32);
  let c = cd.slice(0, 28);
  let d = cd.slice(28);
  for (let round = 0; round < 16; round++) {
    const s = SHIFTS[round]!;
    c = [...c.slice(s), ...c.slice(0, s)];
    d = [...d.slice(s), ...d.slice(0, s)];
    const joined = [...c, ...d];
    let hi = 0;
    let lo = 0;
    for (let i = 0; i < 24; i++) hi = (hi << 1) | joined[PC2[i]! - 1]!;
    for (let i = 24; i < 48; i++) lo = (lo << 1) | joined[PC2[i]! - 1]!;
    out[2 * round] = hi;
    out[2 * round + 1] = lo;
  }
  return out;
}

/** Salt bit j swaps E bits j and j+24, i.e. the same bit of the two 24-bit halves. */
function saltMask(salt: string): number {
  const v = cryptValue(salt[0]!) | (cryptValue(salt[1]!) << 6);
  let mask = 0;
  for (let j = 0; j < 12; j++) if ((v >> j) & 1) mask |= 1 << (23 - j);
  return mask;
}

function feistel(r: number, khi: number, klo: number, mask: number): number {
  // E expansion as eight 6-bit groups: group j is R bits 4j..4j+5 (bit 0 meaning bit 32).
  const c0 = ((r & 1) << 5) | (r >>> 27);
  const c1 = (r >>> 23) & 63;
  const c2 = (r >>> 19) & 63;
  const c3 = (r >>> 15) & 63;
  const c4 = (r >>> 11) & 63;
  const c5 = (r >>> 7) & 63;
  const c6 = (r >>> 3) & 63;
  const c7 = ((r & 0x1f) << 1) | (r >>> 31);
  let hi = (c0 << 18) | (c1 << 12) | (c2 << 6) | c3;
  let lo = (c4 << 18) | (c5 << 12) | (c6 << 6) | c7;
  const t = (hi ^ lo) & mask;
  hi ^= t ^ khi;
  lo ^= t ^ klo;
  return (
    SP[0]![(hi >>> 18) & 63]! |
    SP[1]![(hi >>> 12) & 63]! |
    SP[2]![(hi >>> 6) & 63]! |
    SP[3]![hi & 63]! |
    SP[4]![(lo >>> 18) & 63]! |
    SP[5]![(lo >>> 12) & 63]! |
    SP[6]![(lo >>> 6) & 63]! |
    SP[7]![lo & 63]!
  );
}

/** The 13-character traditional crypt of `password` with a 2-character salt. */
export function desCrypt(password: string, salt: string): string {
  if (salt.length < 2 || !isCryptString(salt.slice(0, 2)))
    throw new Error("DES crypt needs a 2-character salt");
  const key = new Uint8Array(8);
  const pw = Buffer.from(password, "utf8");
  for (let i = 0; i < 8 && i < pw.length && pw[i] !== 0; i++) key[i] = (pw[i]! << 1) & 0xff;
  const ks = keySchedule(key);
  const mask = saltMask(salt);
  // IP of the zero block is zero; between encryptions FP then IP cancel, leaving the final swap.
  let l = 0;
  let r = 0;
  for (let n = 0; n < 25; n++) {
    for (let round = 0; round < 16; round++) {
      const next = l ^ feistel(r, ks[2 * round]!, ks[2 * round + 1]!, mask);
      l = r;
      r = next;
    }
    [l, r] = [r, l];
  }
  // Output = FP(l || r), then 66 bits (two zero bits appended) as 11 characters, most significant first.
  const pre = (n: number) => (n <= 32 ? (l >>> (32 - n)) & 1 : (r >>> (64 - n)) & 1);
  const outBits: number[] = new Array<number>(66).fill(0);
  for (let i = 0; i < 64; i++) outBits[IP[i]! - 1] = pre(i + 1); // FP is IP's inverse
  let text = salt.slice(0, 2);
  for (let i = 0; i < 11; i++) {
    let c = 0;
    for (let j = 0; j < 6; j++) c = (c << 1) | outBits[6 * i + j]!;
    text += CRYPT_ALPHABET[c];
  }
  return text;
}

/** One DES block, for checking the tables against the FIPS test vector. */
export function desEncryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  const ks = keySchedule(key);
  const bit = (n: number) => (block[(n - 1) >> 3]! >> (7 - ((n - 1) & 7))) & 1;
  let l = 0;
  let r = 0;
  for (let i = 0; i < 32; i++) l = (l << 1) | bit(IP[i]!);
  for (let i = 32; i < 64; i++) r = (r << 1) | bit(IP[i]!);
  for (let round = 0; round < 16; round++) {
    const next = l ^ feistel(r, ks[2 * round]!, ks[2 * round + 1]!, 0);
    l = r;
    r = next;
  }
  const pre = (n: number) => (n <= 32 ? (r >>> (32 - n)) & 1 : (l >>> (64 - n)) & 1);
  const out = new Uint8Array(8);
  for (let i = 0; i < 64; i++) {
    const b = pre(i + 1);
    const pos = IP[i]! - 1;
    out[pos >> 3]! |= b << (7 - (pos & 7));
  }
  return out;
}
