// Load key material with node:crypto to confirm it is a key, describe it (type, size), and
// fingerprint it in one normal form: the PKCS#8 DER that OpenSSL writes for the key. The same key
// stored as PKCS#1, SEC1, PKCS#8 or OpenSSH therefore gets the same fingerprint in every image.
import { createHash, createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from "node:crypto";

export interface KeyFacts {
  keyType: string;
  bits?: number;
  /** sha256 of the private key as PKCS#8 DER. */
  fingerprint: string;
  /** sha256 of the public key as SPKI DER. */
  spki?: string;
}

export const sha256hex = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex");

const CURVE_BITS: Record<string, number> = {
  prime256v1: 256,
  "P-256": 256,
  secp384r1: 384,
  "P-384": 384,
  secp521r1: 521,
  "P-521": 521,
  secp256k1: 256,
  secp224r1: 224,
  prime192v1: 192,
  brainpoolP256r1: 256,
  brainpoolP384r1: 384,
  brainpoolP512r1: 512,
};
const FIXED_BITS: Record<string, number> = { ed25519: 256, x25519: 256, ed448: 456, x448: 448 };

/** Type and size of a key, private or public. */
export function keyShape(key: KeyObject): { keyType: string; bits?: number } {
  const keyType = key.asymmetricKeyType ?? "unknown";
  const d = key.asymmetricKeyDetails;
  const bits =
    d?.modulusLength ?? (d?.namedCurve ? CURVE_BITS[d.namedCurve] : undefined) ?? FIXED_BITS[keyType];
  return bits === undefined ? { keyType } : { keyType, bits };
}

export function spkiFingerprint(key: KeyObject): string | undefined {
  try {
    return sha256hex(key.export({ type: "spki", format: "der" }));
  } catch {
    return undefined;
  }
}

function describe(key: KeyObject): KeyFacts {
  const facts: KeyFacts = {
    ...keyShape(key),
    fingerprint: sha256hex(key.export({ type: "pkcs8", format: "der" })),
  };
  const spki = spkiFingerprint(createPublicKey(key));
  if (spki) facts.spki = spki;
  return facts;
}

function pem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der)
    .toString("base64")
    .replace(/.{1,64}/g, "$&\n");
  return `-----BEGIN ${label}-----\n${b64}-----END ${label}-----\n`;
}

/** An unencrypted private key in DER under its PEM label, or undefined if OpenSSL refuses it. */
export function loadPrivateDer(label: string, der: Uint8Array): KeyFacts | undefined {
  try {
    return describe(createPrivateKey({ key: pem(label, der), format: "pem" }));
  } catch {
    return undefined;
  }
}

export function loadPrivateJwk(jwk: JsonWebKey): KeyFacts | undefined {
  try {
    return describe(createPrivateKey({ key: jwk, format: "jwk" }));
  } catch {
    return undefined;
  }
}

export function loadPublicJwk(
  jwk: JsonWebKey,
): { keyType: string; bits?: number; spki?: string } | undefined {
  try {
    const key = createPublicKey({ key: jwk, format: "jwk" });
    return { ...keyShape(key), spki: spkiFingerprint(key) };
  } catch {
    return undefined;
  }
}
