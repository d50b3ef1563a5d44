// The two base-64 alphabets of crypt(3). Traditional crypt, md5crypt, sha-crypt and yescrypt use
// "./0-9A-Za-z" with their own bit orders (each scheme file says which); bcrypt uses "./A-Za-z0-9"
// with standard big-endian packing.

export const CRYPT_ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const BCRYPT_ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

const CRYPT_VALUE = valueTable(CRYPT_ALPHABET);
const BCRYPT_VALUE = valueTable(BCRYPT_ALPHABET);

function valueTable(alphabet: string): Int8Array {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < alphabet.length; i++) t[alphabet.charCodeAt(i)] = i;
  return t;
}

/** The 6-bit value of a crypt alphabet character, or -1. */
export function cryptValue(ch: string): number {
  const c = ch.charCodeAt(0);
  return c < 128 ? CRYPT_VALUE[c]! : -1;
}

export function isCryptString(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (cryptValue(s[i]!) < 0) return false;
  return true;
}

/** `n` characters of `value`, least significant 6 bits first (md5crypt's and sha-crypt's to64). */
export function to64(value: number, n: number): string {
  let out = "";
  for (let i = 0; i < n; i++) {
    out += CRYPT_ALPHABET[value & 0x3f];
    value >>>= 6;
  }
  return out;
}

/** bcrypt's base-64: bytes packed big-endian, no padding. */
export function bcryptEncode(bytes: Uint8Array, length: number): string {
  let out = "";
  let i = 0;
  while (i < length) {
    const c1 = bytes[i++]!;
    out += BCRYPT_ALPHABET[c1 >> 2];
    let c = (c1 & 0x03) << 4;
    if (i >= length) {
      out += BCRYPT_ALPHABET[c];
      break;
    }
    const c2 = bytes[i++]!;
    out += BCRYPT_ALPHABET[c | (c2 >> 4)];
    c = (c2 & 0x0f) << 2;
    if (i >= length) {
      out += BCRYPT_ALPHABET[c];
      break;
    }
    const c3 = bytes[i++]!;
    out += BCRYPT_ALPHABET[c | (c3 >> 6)];
    out += BCRYPT_ALPHABET[c3 & 0x3f];
  }
  return out;
}

/** Decode `length` bytes of bcrypt base-64, or undefined when a character is outside the alphabet. */
export function bcryptDecode(text: string, length: number): Uint8Array | undefined {
  const out = new Uint8Array(length);
  const v = (i: number): number => {
    const c = text.charCodeAt(i);
    return c < 128 ? BCRYPT_VALUE[c]! : -1;
  };
  let o = 0;
  let i = 0;
  while (o < length) {
    const a = v(i++);
    const b = v(i++);
    if (a < 0 || b < 0) return undefined;
    out[o++] = (a << 2) | (b >> 4);
    if (o >= length) break;
    const c = v(i++);
    if (c < 0) return undefined;
    out[o++] = ((b & 0x0f) << 4) | (c >> 2);
    if (o >= length) break;
    const d = v(i++);
    if (d < 0) return undefined;
    out[o++] = ((c & 0x03) << 6) | d;
  }
  return out;
}
