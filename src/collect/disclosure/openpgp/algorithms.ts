// The algorithm numbers Concord verifies (RFC 9580 sections 9.1 and 9.5). Weak hashes (MD5,
// SHA-1, RIPEMD-160) are refused: a signature over one of them proves little today.

export const PUBKEY = {
  rsa: 1,
  rsaSignOnly: 3,
  ecdsa: 19,
  eddsaLegacy: 22,
  ed25519: 27,
  ed448: 28,
} as const;

export const PUBKEY_NAMES: Record<number, string> = {
  1: "RSA",
  2: "RSA (encrypt only)",
  3: "RSA (sign only)",
  16: "ElGamal",
  17: "DSA",
  18: "ECDH",
  19: "ECDSA",
  22: "EdDSA (legacy)",
  25: "X25519",
  26: "X448",
  27: "Ed25519",
  28: "Ed448",
};

export interface HashAlgo {
  id: number;
  name: string;
  /** node:crypto's name for it. */
  node: string;
  /** Salt size for version 6 signatures. */
  saltBytes: number;
}

const HASHES: HashAlgo[] = [
  { id: 8, name: "SHA256", node: "sha256", saltBytes: 16 },
  { id: 9, name: "SHA384", node: "sha384", saltBytes: 24 },
  { id: 10, name: "SHA512", node: "sha512", saltBytes: 32 },
  { id: 11, name: "SHA224", node: "sha224", saltBytes: 16 },
  { id: 12, name: "SHA3-256", node: "sha3-256", saltBytes: 16 },
  { id: 14, name: "SHA3-512", node: "sha3-512", saltBytes: 32 },
];

const WEAK_HASHES: Record<number, string> = { 1: "MD5", 2: "SHA1", 3: "RIPEMD160" };

export function hashAlgo(id: number): HashAlgo | { weak: string } | undefined {
  const known = HASHES.find((h) => h.id === id);
  if (known) return known;
  return WEAK_HASHES[id] ? { weak: WEAK_HASHES[id] } : undefined;
}

export function hashAlgoByName(name: string): HashAlgo | undefined {
  return HASHES.find((h) => h.name === name.toUpperCase());
}

/** The curve OID of the legacy EdDSA Ed25519 key (1.3.6.1.4.1.11591.15.1), as its DER bytes. */
export const ED25519_LEGACY_OID = "2b06010401da470f01";
