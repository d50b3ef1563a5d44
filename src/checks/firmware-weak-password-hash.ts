// AUTH-03: passwords stored in the firmware must use a salted, slow hash. Fails for each account
// whose hash is traditional DES crypt, md5crypt/apr1 or an unsalted digest, backups included;
// passes when the image holds password hashes and all of them are current schemes.
import { FW, type AccountData } from "../evidence/firmware.js";
import type { Evidence } from "../evidence/types.js";
import { accountsByImage } from "./firmware-default-credentials.js";
import { finding, type Check, type CheckMeta, type Finding } from "./types.js";

/** Why each weak scheme is weak, in a few words. */
const WEAK: Record<string, string> = {
  des: "traditional DES crypt (only 8 characters count, a 12-bit salt, billions of guesses a second on one GPU)",
  "bsdi-des": "BSDi extended DES crypt (DES-based, billions of guesses a second on one GPU)",
  md5: "md5crypt (1000 fast MD5 rounds, tens of millions of guesses a second on one GPU)",
  apr1: "Apache apr1 md5crypt (1000 fast MD5 rounds, tens of millions of guesses a second on one GPU)",
  sunmd5: "Sun MD5 crypt (fast MD5 rounds)",
  "md5-unsalted": "an unsalted MD5 digest (one fast round, found in precomputed tables)",
  "sha1-unsalted": "an unsalted SHA-1 digest (one fast round, found in precomputed tables)",
  "sha256-unsalted": "an unsalted SHA-256 digest (one fast round, found in precomputed tables)",
};

const meta: CheckMeta = {
  id: "firmware.weak-password-hash",
  title: "Firmware password hashes are salted and slow",
  description:
    "Fails for each account hash in the firmware stored as DES crypt, md5crypt/apr1 or an unsalted digest, including old hashes left in backups such as shadow-. Passes when every hash uses a current scheme (yescrypt, bcrypt, sha512crypt, sha256crypt, scrypt).",
  requirements: ["AUTH-03"],
  severity: "high",
  reads: [FW.account],
  remediation:
    "Hash passwords with yescrypt, bcrypt or sha512crypt (BusyBox: CONFIG_USE_BB_CRYPT_SHA; Buildroot: BR2_TARGET_GENERIC_PASSWD_SHA512), regenerate every stored hash, and remove backup files (shadow-, passwd-) from the image.",
};

const hashed = (e: Evidence<AccountData>) =>
  (e.data.state === "hash" || e.data.state === "cracked") && !!e.data.scheme;

export const firmwareWeakPasswordHash: Check = {
  meta,
  evaluate(evidence) {
    const out: Finding[] = [];
    for (const g of accountsByImage(evidence)) {
      const hashes = g.accounts.filter(hashed);
      if (!hashes.length) continue;
      const fails = hashes.flatMap((e) => {
        const why = WEAK[e.data.scheme!];
        const backup = ["shadow", "passwd"].includes(e.data.from) ? "" : ", a backup left in the image";
        return why
          ? [
              finding(
                meta,
                "fail",
                `Account ${e.data.user} stores its password as ${why} (${e.source.location ?? e.data.from}${backup}).`,
                [e.id],
              ),
            ]
          : [];
      });
      out.push(...fails);
      if (fails.length) continue;
      const schemes = [...new Set(hashes.map((e) => e.data.scheme!))].sort();
      const name = g.image ? `Firmware ${g.image}` : "The firmware";
      const n = hashes.length;
      out.push(
        finding(
          meta,
          "pass",
          `${name}: ${n === 1 ? "its only password hash uses" : `all ${n} password hashes use`} a salted, slow scheme (${schemes.join(", ")}).`,
          hashes.map((e) => e.id),
        ),
      );
    }
    return out;
  },
};
