// One entry point for every crypt(3) scheme Concord verifies: parse a stored hash once, then test
// candidate passwords against it. Each verifier states the cost of one attempt so the dictionary
// attack can bound its work deterministically (by estimated cost, never by the clock, so the same
// image always gives the same facts).
import { bcryptChecksum, parseBcrypt } from "./bcrypt.js";
import { desCrypt } from "./des.js";
import { md5CryptChecksum } from "./md5crypt.js";
import { SHA_ROUNDS_DEFAULT, SHA_ROUNDS_MAX, SHA_ROUNDS_MIN, shaCryptChecksum } from "./shacrypt.js";
import { unsaltedAlgorithm, unsaltedDigest } from "./unsalted.js";
import {
  parseYescrypt,
  unsupportedYescrypt,
  yescryptChecksum,
  yescryptMemory,
  yescryptWork,
  type YescryptMemory,
} from "./yescrypt.js";

/** Largest yescrypt/scrypt memory a single attempt may take (libxcrypt's default uses 16 MiB). */
export const MAX_YESCRYPT_BYTES = 64 * 1024 * 1024;

export interface Verifier {
  scheme: string;
  /** Estimated cost of one attempt, in units of about a millisecond of one core. */
  cost: number;
  verify(password: string): boolean;
}

export type ParsedHash = { verifier: Verifier } | { scheme: string; unsupported: string };

/** The crypt scheme of a stored hash, by its prefix and shape. */
export function cryptScheme(hash: string): string {
  if (hash.startsWith("$1$")) return "md5";
  if (hash.startsWith("$apr1$")) return "apr1";
  if (hash.startsWith("$5$")) return "sha256";
  if (hash.startsWith("$6$")) return "sha512";
  if (/^\$2[abxy]?\$/.test(hash)) return "bcrypt";
  if (hash.startsWith("$y$")) return "yescrypt";
  if (hash.startsWith("$7$")) return "scrypt";
  if (hash.startsWith("$gy$")) return "gost-yescrypt";
  if (hash.startsWith("$md5")) return "sunmd5";
  if (hash.startsWith("$sha1$")) return "sha1crypt";
  if (/^_[./0-9A-Za-z]{19}$/.test(hash)) return "bsdi-des";
  if (/^[./0-9A-Za-z]{13}$/.test(hash)) return "des";
  const bare = unsaltedAlgorithm(hash);
  if (bare) return `${bare}-unsalted`;
  return "other";
}

/** Schemes AUTH-03 treats as weak storage: fast, short-salted, truncating or unsalted. */
export function isWeakScheme(scheme: string): boolean {
  return ["des", "bsdi-des", "md5", "apr1", "sunmd5"].includes(scheme) || scheme.endsWith("-unsalted");
}

export function parseHash(hash: string): ParsedHash {
  const scheme = cryptScheme(hash);
  const unsupported = (why: string): ParsedHash => ({ scheme, unsupported: why });
  switch (scheme) {
    case "des":
      return { verifier: { scheme, cost: 0.1, verify: (pw) => desCrypt(pw, hash.slice(0, 2)) === hash } };
    case "md5":
    case "apr1": {
      const m = /^\$(?:1|apr1)\$([^$]{0,8})\$([./0-9A-Za-z]{22})$/.exec(hash);
      if (!m) return unsupported("malformed md5crypt hash");
      const magic = scheme === "md5" ? "$1$" : "$apr1$";
      return {
        verifier: { scheme, cost: 2, verify: (pw) => md5CryptChecksum(pw, m[1]!, magic) === m[2] },
      };
    }
    case "sha256":
    case "sha512": {
      const m = /^\$[56]\$(?:rounds=(\d{1,10})\$)?([^$]*)\$([./0-9A-Za-z]+)$/.exec(hash);
      if (!m) return unsupported("malformed sha-crypt hash");
      const rounds = m[1] === undefined ? SHA_ROUNDS_DEFAULT : Number(m[1]);
      const effective = Math.min(Math.max(rounds, SHA_ROUNDS_MIN), SHA_ROUNDS_MAX);
      const bits = scheme === "sha256" ? 256 : 512;
      return {
        verifier: {
          scheme,
          cost: effective * 0.0019,
          verify: (pw) => shaCryptChecksum(pw, m[2]!, effective, bits) === m[3],
        },
      };
    }
    case "bcrypt": {
      const s = parseBcrypt(hash);
      if (!s) return unsupported("malformed bcrypt hash");
      return {
        verifier: {
          scheme,
          cost: 2 ** s.cost * 0.1,
          verify: (pw) => bcryptChecksum(pw, s.cost, s.salt) === s.checksum,
        },
      };
    }
    case "yescrypt":
    case "scrypt": {
      const s = parseYescrypt(hash);
      if (!s) return unsupported(`malformed ${scheme} hash`);
      const why = unsupportedYescrypt(s.params, MAX_YESCRYPT_BYTES);
      if (why) return unsupported(why);
      let memory: YescryptMemory | undefined; // allocated on the first attempt, reused after
      return {
        verifier: {
          scheme,
          cost: yescryptWork(s.params) * 0.002,
          verify: (pw) => yescryptChecksum(pw, s, (memory ??= yescryptMemory(s.params))) === s.checksum,
        },
      };
    }
    case "md5-unsalted":
    case "sha1-unsalted":
    case "sha256-unsalted": {
      const algorithm = unsaltedAlgorithm(hash)!;
      const want = hash.toLowerCase();
      return { verifier: { scheme, cost: 0.01, verify: (pw) => unsaltedDigest(pw, algorithm) === want } };
    }
    default:
      return unsupported(`no verifier for ${scheme} hashes`);
  }
}
