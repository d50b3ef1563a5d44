// bcrypt ("$2a$", "$2b$", "$2y$"; "$2x$" is treated as "$2a$", which differs only for 8-bit
// passwords): Provos and Mazieres' EksBlowfish, written from "A Future-Adaptable Password Scheme"
// (USENIX 1999) and Schneier's Blowfish. Blowfish's initial P-array and S-boxes are the hexadecimal
// digits of pi; they are computed here (Machin's formula in BigInt, about 40 ms once) rather than
// pasted as a 4 KiB table.
import { bcryptDecode, bcryptEncode } from "./base64.js";

const WORDS = 18 + 4 * 256;
let piWords: Uint32Array | undefined;

/** The first 1042 32-bit words of pi's fractional part in hexadecimal. */
export function piFraction(): Uint32Array {
  if (piWords) return piWords;
  const guard = 64n;
  const scale = 1n << (BigInt(WORDS * 32) + guard);
  const atanInv = (x: bigint): bigint => {
    const xx = x * x;
    let term = scale / x;
    let sum = 0n;
    for (let k = 1n, positive = true; term !== 0n; k += 2n, positive = !positive) {
      sum += positive ? term / k : -(term / k);
      term /= xx;
    }
    return sum;
  };
  const pi = 4n * (4n * atanInv(5n) - atanInv(239n));
  let frac = (pi - 3n * scale) >> guard;
  const out = new Uint32Array(WORDS);
  for (let i = WORDS - 1; i >= 0; i--) {
    out[i] = Number(frac & 0xffffffffn);
    frac >>= 32n;
  }
  piWords = out;
  return out;
}

class Blowfish {
  readonly p: Uint32Array;
  readonly s: Uint32Array;
  l = 0;
  r = 0;

  constructor() {
    const init = piFraction();
    this.p = init.slice(0, 18);
    this.s = init.slice(18);
  }

  /** Encrypt (this.l, this.r) in place. */
  encipher(): void {
    const p = this.p;
    const s = this.s;
    let l = this.l;
    let r = this.r;
    for (let i = 0; i < 16; i += 2) {
      l ^= p[i]!;
      r ^=
        ((((s[l >>> 24]! + s[256 | ((l >>> 16) & 0xff)]!) | 0) ^ s[512 | ((l >>> 8) & 0xff)]!) +
          s[768 | (l & 0xff)]!) |
        0;
      r ^= p[i + 1]!;
      l ^=
        ((((s[r >>> 24]! + s[256 | ((r >>> 16) & 0xff)]!) | 0) ^ s[512 | ((r >>> 8) & 0xff)]!) +
          s[768 | (r & 0xff)]!) |
        0;
    }
    this.l = (r ^ p[17]!) >>> 0;
    this.r = (l ^ p[16]!) >>> 0;
  }

  /** Blowfish's key schedule, with the salt folded in when given (EksBlowfish's ExpandKey). */
  expand(key: Uint8Array, salt?: Uint8Array): void {
    let kpos = 0;
    const keyWord = () => {
      let w = 0;
      for (let i = 0; i < 4; i++) {
        w = (w << 8) | key[kpos]!;
        kpos = (kpos + 1) % key.length;
      }
      return w;
    };
    for (let i = 0; i < 18; i++) this.p[i]! ^= keyWord();
    let spos = 0;
    const saltWord = () => {
      if (!salt) return 0;
      let w = 0;
      for (let i = 0; i < 4; i++) {
        w = (w << 8) | salt[spos]!;
        spos = (spos + 1) % salt.length;
      }
      return w;
    };
    this.l = 0;
    this.r = 0;
    for (const table of [this.p, this.s])
      for (let i = 0; i < table.length; i += 2) {
        this.l ^= saltWord();
        this.r ^= saltWord();
        this.encipher();
        table[i] = this.l;
        table[i + 1] = this.r;
      }
  }
}

const MAGIC = Buffer.from("OrpheanBeholderScryDoubt", "ascii");

/** The 31-character bcrypt checksum of `password` under a 16-byte salt at 2^cost rounds. */
export function bcryptChecksum(password: string, cost: number, salt: Uint8Array): string {
  if (!Number.isInteger(cost) || cost < 4 || cost > 31)
    throw new Error(`bcrypt cost ${cost} is out of range`);
  // The key is the password and its NUL terminator, at most 72 bytes.
  const key = Buffer.concat([Buffer.from(password, "utf8"), Buffer.from([0])]).subarray(0, 72);
  const bf = new Blowfish();
  bf.expand(key, salt);
  for (let n = 2 ** cost; n > 0; n--) {
    bf.expand(key);
    bf.expand(salt);
  }
  const words = new Uint32Array(6);
  for (let i = 0; i < 6; i++) words[i] = MAGIC.readUInt32BE(4 * i);
  for (let round = 0; round < 64; round++)
    for (let i = 0; i < 6; i += 2) {
      bf.l = words[i]!;
      bf.r = words[i + 1]!;
      bf.encipher();
      words[i] = bf.l;
      words[i + 1] = bf.r;
    }
  const out = Buffer.alloc(24);
  for (let i = 0; i < 6; i++) out.writeUInt32BE(words[i]!, 4 * i);
  return bcryptEncode(out, 23);
}

export interface BcryptSetting {
  cost: number;
  salt: Uint8Array;
  checksum: string;
}

/** Parse "$2b$10$<22 salt><31 checksum>", or undefined when it is not well formed. */
export function parseBcrypt(hash: string): BcryptSetting | undefined {
  const m = /^\$2[abxy]\$(\d\d)\$([./A-Za-z0-9]{22})([./A-Za-z0-9]{31})$/.exec(hash);
  if (!m) return undefined;
  const cost = Number(m[1]);
  const salt = bcryptDecode(m[2]!, 16);
  if (cost < 4 || cost > 31 || !salt) return undefined;
  return { cost, salt, checksum: m[3]! };
}
