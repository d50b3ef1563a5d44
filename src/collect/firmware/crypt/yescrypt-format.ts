// The "$y$" and "$7$" hash formats of yescrypt: the parameter string (yescrypt-common.c's
// variable-length integers) and its little-endian base-64, which differs from md5crypt's.
import { CRYPT_ALPHABET, cryptValue } from "./base64.js";

export const YESCRYPT_RW = 2;

export interface YescryptParams {
  flags: number;
  N: number;
  r: number;
  p: number;
  t: number;
  g: number;
  NROM: number;
}

export interface YescryptSetting {
  params: YescryptParams;
  salt: Buffer;
  /** The stored 43-character checksum. */
  checksum: string;
}

/** yescrypt's variable-length integer; returns [value, next index] or undefined. */
function decodeUint32(s: string, at: number, min: number): [number, number] | undefined {
  let start = 0;
  let end = 47;
  let chars = 1;
  let bits = 0;
  const first = at < s.length ? cryptValue(s[at]!) : -1;
  if (first < 0) return undefined;
  at++;
  let value = min;
  while (first > end) {
    value += (end + 1 - start) * 2 ** bits;
    start = end + 1;
    end = start + Math.floor((62 - end) / 2);
    chars++;
    bits += 6;
  }
  value += (first - start) * 2 ** bits;
  while (--chars) {
    const c = at < s.length ? cryptValue(s[at]!) : -1;
    if (c < 0) return undefined;
    at++;
    bits -= 6;
    value += c * 2 ** bits;
  }
  return value > 0xffffffff ? undefined : [value, at];
}

/** Little-endian base-64 into bytes; every character must count and leftover bits must be zero. */
function decodeBytes(s: string): Buffer | undefined {
  const out: number[] = [];
  for (let i = 0; i < s.length; i += 4) {
    const group = s.slice(i, i + 4);
    if (group.length === 1) return undefined;
    let value = 0;
    for (let k = 0; k < group.length; k++) {
      const c = cryptValue(group[k]!);
      if (c < 0) return undefined;
      value += c * 2 ** (6 * k);
    }
    const bytes = Math.floor((group.length * 6) / 8);
    for (let k = 0; k < bytes; k++) {
      out.push(value % 256);
      value = Math.floor(value / 256);
    }
    if (value !== 0) return undefined;
  }
  return Buffer.from(out);
}

export function encodeBytes(src: Uint8Array): string {
  let out = "";
  for (let i = 0; i < src.length;) {
    let value = 0;
    let bits = 0;
    do {
      value |= src[i++]! << bits;
      bits += 8;
    } while (bits < 24 && i < src.length);
    for (let b = 0; b < bits; b += 6) {
      out += CRYPT_ALPHABET[value & 0x3f];
      value >>>= 6;
    }
  }
  return out;
}

/** Parse a "$y$" or "$7$" hash; undefined when malformed. */
export function parseYescrypt(hash: string): YescryptSetting | undefined {
  const last = hash.lastIndexOf("$");
  if (last < 3) return undefined;
  const checksum = hash.slice(last + 1);
  if (checksum.length !== 43) return undefined;
  const params: YescryptParams = { flags: 0, N: 0, r: 0, p: 1, t: 0, g: 0, NROM: 0 };
  let at = 3;
  if (hash.startsWith("$7$")) {
    const nLog2 = cryptValue(hash[at++] ?? "");
    if (nLog2 < 1 || nLog2 > 63) return undefined;
    params.N = 2 ** nLog2;
    const fixed = (): number | undefined => {
      let v = 0;
      for (let k = 0; k < 5; k++) {
        const c = cryptValue(hash[at++] ?? "");
        if (c < 0) return undefined;
        v += c * 2 ** (6 * k);
      }
      return v;
    };
    const r = fixed();
    const p = fixed();
    if (r === undefined || p === undefined) return undefined;
    params.r = r;
    params.p = p;
    // "$7$" salts are used as written, not decoded.
    return { params, salt: Buffer.from(hash.slice(at, last), "utf8"), checksum };
  }
  if (!hash.startsWith("$y$")) return undefined;
  const flavor = decodeUint32(hash, at, 0);
  if (!flavor) return undefined;
  if (flavor[0] < YESCRYPT_RW) params.flags = flavor[0];
  else if (flavor[0] <= YESCRYPT_RW + (0x3fc >> 2))
    params.flags = YESCRYPT_RW + ((flavor[0] - YESCRYPT_RW) << 2);
  else return undefined;
  const nLog2 = decodeUint32(hash, flavor[1], 1);
  if (!nLog2 || nLog2[0] > 63) return undefined;
  params.N = 2 ** nLog2[0];
  const r = decodeUint32(hash, nLog2[1], 1);
  if (!r) return undefined;
  params.r = r[0];
  at = r[1];
  if (hash[at] !== "$") {
    const have = decodeUint32(hash, at, 1);
    if (!have) return undefined;
    at = have[1];
    const field = (bit: number, min: number): number | undefined | null => {
      if (!(have[0] & bit)) return null;
      const v = decodeUint32(hash, at, min);
      if (!v) return undefined;
      at = v[1];
      return v[0];
    };
    const p = field(1, 2);
    const t = field(2, 1);
    const g = field(4, 1);
    const nrom = field(8, 1);
    if (p === undefined || t === undefined || g === undefined || nrom === undefined) return undefined;
    if (p !== null) params.p = p;
    if (t !== null) params.t = t;
    if (g !== null) params.g = g;
    if (nrom !== null) params.NROM = nrom > 63 ? Infinity : 2 ** nrom;
  }
  if (hash[at] !== "$") return undefined;
  const salt = decodeBytes(hash.slice(at + 1, last));
  if (!salt) return undefined;
  return { params, salt, checksum };
}
