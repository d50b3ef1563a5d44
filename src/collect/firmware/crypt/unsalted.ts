// Bare hex digests stored where a crypt hash belongs (some vendor login daemons compare
// md5(password) directly). No salt and one fast round: the weakest storage there is.
import { createHash } from "node:crypto";

export type UnsaltedAlgorithm = "md5" | "sha1" | "sha256";

const HEX_LENGTH: Record<UnsaltedAlgorithm, number> = { md5: 32, sha1: 40, sha256: 64 };

export function unsaltedAlgorithm(hash: string): UnsaltedAlgorithm | undefined {
  if (!/^[0-9a-fA-F]+$/.test(hash)) return undefined;
  return (Object.keys(HEX_LENGTH) as UnsaltedAlgorithm[]).find((a) => HEX_LENGTH[a] === hash.length);
}

export function unsaltedDigest(password: string, algorithm: UnsaltedAlgorithm): string {
  return createHash(algorithm).update(password, "utf8").digest("hex");
}
