// Recognise the DER structures that hold private keys and certificates (RFC 8017 RSAPrivateKey,
// RFC 5915 ECPrivateKey, the OpenSSL DSA key, RFC 5958 PKCS#8 and its encrypted form, RFC 5280
// certificates, RFC 7292 PKCS#12), by shape alone: versions, tags and OIDs. Key material is then
// confirmed by loading it with node:crypto (keys.ts), so a blob that merely looks right is dropped.
import { children, oid, smallInt, TAG, whole, type Node } from "./asn1.js";

export type DerKind = "pkcs1" | "sec1" | "dsa" | "pkcs8" | "encrypted-pkcs8" | "certificate" | "pkcs12";

/** PEM label of each private-key structure, to hand the DER to OpenSSL's decoders. */
export const PEM_LABEL: Partial<Record<DerKind, string>> = {
  pkcs1: "RSA PRIVATE KEY",
  sec1: "EC PRIVATE KEY",
  dsa: "DSA PRIVATE KEY",
  pkcs8: "PRIVATE KEY",
  "encrypted-pkcs8": "ENCRYPTED PRIVATE KEY",
};

const PBE_PREFIXES = ["1.2.840.113549.1.5.", "1.2.840.113549.1.12.1."];
const PKCS7_DATA = "1.2.840.113549.1.7.1";
const PKCS7_SIGNED = "1.2.840.113549.1.7.2";

const allIntegers = (kids: Node[]) => kids.every((k) => k.tag === TAG.INTEGER);

/** What the DER element of exactly `length` bytes at `at` is, if it is one of the structures above. */
export function classifyDer(b: Uint8Array, at = 0, length = b.length - at): DerKind | undefined {
  const top = whole(b, at, length);
  if (!top || top.tag !== TAG.SEQUENCE) return undefined;
  const kids = children(b, top);
  if (!kids || kids.length < 2) return undefined;
  const [first, second] = [kids[0]!, kids[1]!];
  const version = smallInt(b, first);

  // RSAPrivateKey: version (0, or 1 with other primes), n, e, d, p, q, dp, dq, qinv.
  if ((version === 0 && kids.length === 9 && allIntegers(kids)) || (version === 1 && kids.length === 10))
    return allIntegers(kids.slice(0, 9)) ? "pkcs1" : undefined;
  // OpenSSL's DSA key: version 0, p, q, g, y, x.
  if (version === 0 && kids.length === 6 && allIntegers(kids)) return "dsa";
  // ECPrivateKey: version 1, the private scalar, [0] curve, [1] public key.
  if (version === 1 && second.tag === TAG.OCTET_STRING && kids.length <= 4)
    return kids.slice(2).every((k) => k.tag === TAG.CONTEXT_0 || k.tag === TAG.CONTEXT_1)
      ? "sec1"
      : undefined;
  // PrivateKeyInfo / OneAsymmetricKey: version 0|1, AlgorithmIdentifier, the key, attributes...
  if ((version === 0 || version === 1) && second.tag === TAG.SEQUENCE && kids.length <= 5) {
    const alg = children(b, second);
    if (alg?.[0]?.tag === TAG.OID && kids[2]?.tag === TAG.OCTET_STRING) return "pkcs8";
  }
  // PFX: version 3, authSafe ContentInfo (data or signedData), optional MacData.
  if (version === 3 && second.tag === TAG.SEQUENCE && kids.length <= 3) {
    const ci = children(b, second);
    const type = ci?.[0] ? oid(b, ci[0]) : undefined;
    if (type === PKCS7_DATA || type === PKCS7_SIGNED) return "pkcs12";
  }
  // EncryptedPrivateKeyInfo: AlgorithmIdentifier (a PBE scheme), the encrypted key.
  if (kids.length === 2 && first.tag === TAG.SEQUENCE && second.tag === TAG.OCTET_STRING) {
    const alg = children(b, first);
    const id = alg?.[0] ? oid(b, alg[0]) : undefined;
    if (id && PBE_PREFIXES.some((p) => id.startsWith(p))) return "encrypted-pkcs8";
  }
  // Certificate: TBSCertificate, signatureAlgorithm, signatureValue.
  if (
    kids.length === 3 &&
    first.tag === TAG.SEQUENCE &&
    second.tag === TAG.SEQUENCE &&
    kids[2]!.tag === TAG.BIT_STRING
  ) {
    const tbs = children(b, first);
    if (tbs && tbs.length >= 6 && (tbs[0]!.tag === TAG.CONTEXT_0 || tbs[0]!.tag === TAG.INTEGER))
      return "certificate";
  }
  return undefined;
}
