// SHA-crypt ("$5$" SHA-256, "$6$" SHA-512), written from Ulrich Drepper's "Unix crypt using SHA-256
// and SHA-512" specification: salt up to 16 characters, "rounds=N$" between 1000 and 999999999
// (default 5000).
import { createHash } from "node:crypto";
import { to64 } from "./base64.js";

export const SHA_ROUNDS_DEFAULT = 5000;
export const SHA_ROUNDS_MIN = 1000;
export const SHA_ROUNDS_MAX = 999_999_999;

/** Byte order of the final encoding: triples of digest indexes, most significant first. */
function encodingOrder(bits: 256 | 512): number[][] {
  const groups: number[][] = [];
  if (bits === 256) {
    // Group i holds bytes i, i+10, i+20, rotated right by i mod 3.
    for (let i = 0; i < 10; i++) {
      const t = [i, i + 10, i + 20];
      const k = i % 3;
      groups.push([...t.slice(3 - k), ...t.slice(0, 3 - k)]);
    }
  } else {
    // Group i holds bytes i, i+21, i+42, rotated left by i mod 3.
    for (let i = 0; i < 21; i++) {
      const t = [i, i + 21, i + 42];
      const k = i % 3;
      groups.push([...t.slice(k), ...t.slice(0, k)]);
    }
  }
  return groups;
}
const ORDER = { 256: encodingOrder(256), 512: encodingOrder(512) };

function repeatTo(block: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let o = 0; o < length; o += block.length) block.copy(out, o, 0, Math.min(block.length, length - o));
  return out;
}

/** The encoded checksum of `password` (43 characters for SHA-256, 86 for SHA-512). */
export function shaCryptChecksum(password: string, salt: string, rounds: number, bits: 256 | 512): string {
  const alg = bits === 256 ? "sha256" : "sha512";
  const pw = Buffer.from(password, "utf8");
  const s = Buffer.from(salt, "utf8").subarray(0, 16);
  const b = createHash(alg).update(pw).update(s).update(pw).digest();
  const a = createHash(alg).update(pw).update(s);
  a.update(repeatTo(b, pw.length));
  for (let n = pw.length; n > 0; n >>>= 1) a.update(n & 1 ? b : pw);
  const aDigest = a.digest();

  const dp = createHash(alg);
  for (let i = 0; i < pw.length; i++) dp.update(pw);
  const p = repeatTo(dp.digest(), pw.length);
  const ds = createHash(alg);
  for (let i = 0; i < 16 + aDigest[0]!; i++) ds.update(s);
  const sBytes = repeatTo(ds.digest(), s.length);

  let c = aDigest;
  for (let i = 0; i < rounds; i++) {
    const h = createHash(alg);
    h.update(i & 1 ? p : c);
    if (i % 3) h.update(sBytes);
    if (i % 7) h.update(p);
    h.update(i & 1 ? c : p);
    c = h.digest();
  }
  let out = "";
  for (const [x, y, z] of ORDER[bits]) out += to64((c[x!]! << 16) | (c[y!]! << 8) | c[z!]!, 4);
  out += bits === 256 ? to64((c[31]! << 8) | c[30]!, 3) : to64(c[63]!, 2);
  return out;
}
