// md5crypt ("$1$", Poul-Henning Kamp's FreeBSD scheme) and Apache's apr1 ("$apr1$"), which is the
// same algorithm with a different magic string. 1000 fixed MD5 rounds and at most 8 salt
// characters: fast to crack, hence weak for AUTH-03.
import { createHash } from "node:crypto";
import { to64 } from "./base64.js";

export type Md5Magic = "$1$" | "$apr1$";

/** The encoded 22-character checksum of `password` under `salt` (at most 8 characters are used). */
export function md5CryptChecksum(password: string, salt: string, magic: Md5Magic): string {
  const pw = Buffer.from(password, "utf8");
  const s = Buffer.from(salt.slice(0, 8), "utf8");
  const alt = createHash("md5").update(pw).update(s).update(pw).digest();
  const ctx = createHash("md5").update(pw).update(magic).update(s);
  for (let left = pw.length; left > 0; left -= 16) ctx.update(alt.subarray(0, Math.min(16, left)));
  const zero = Buffer.from([0]);
  const first = pw.subarray(0, 1);
  for (let i = pw.length; i > 0; i >>>= 1) ctx.update(i & 1 ? zero : first);
  let final = ctx.digest();
  for (let i = 0; i < 1000; i++) {
    const h = createHash("md5");
    h.update(i & 1 ? pw : final);
    if (i % 3) h.update(s);
    if (i % 7) h.update(pw);
    h.update(i & 1 ? final : pw);
    final = h.digest();
  }
  const f = (a: number, b: number, c: number) => to64((final[a]! << 16) | (final[b]! << 8) | final[c]!, 4);
  return f(0, 6, 12) + f(1, 7, 13) + f(2, 8, 14) + f(3, 9, 15) + f(4, 10, 5) + to64(final[11]!, 2);
}
