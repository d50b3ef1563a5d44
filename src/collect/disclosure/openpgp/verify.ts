// Signature verification with node:crypto. The hash covers the signed data, then the hashed part of
// the signature packet and a trailer (RFC 9580 section 5.2.4); version 6 signatures hash a salt
// first. RSA uses PKCS#1 v1.5 over that hash; EdDSA signs the hash value itself.
import { createHash, verify } from "node:crypto";
import { hashAlgo, PUBKEY } from "./algorithms.js";
import { keyHashPrefix, type Certificate, type PublicKey } from "./keys.js";
import { be32, concat, padStart } from "./reader.js";
import { SIGTYPE, type Signature } from "./signature.js";

export type Verdict = { ok: true } | { ok: false; reason: string };

function trailer(sig: Signature): Uint8Array {
  return concat(Uint8Array.of(sig.version, 0xff), be32(sig.hashedPart.length));
}

/** Verify `sig` over `data` (already in the form its type requires) with `key`. */
export function verifySignature(sig: Signature, data: Uint8Array, key: PublicKey): Verdict {
  const h = hashAlgo(sig.hashAlgo);
  if (!h) return { ok: false, reason: `unknown hash algorithm ${sig.hashAlgo}` };
  if ("weak" in h) return { ok: false, reason: `the signature uses ${h.weak}, which is too weak to trust` };
  if (!key.key) return { ok: false, reason: key.unsupported ?? "the key cannot verify signatures" };
  if (sig.pubAlgo !== key.algorithm && !(sig.pubAlgo === PUBKEY.rsa && key.algorithm === PUBKEY.rsaSignOnly))
    return { ok: false, reason: "the signature algorithm does not match the key's" };
  if (sig.unknownCritical !== undefined)
    return {
      ok: false,
      reason: `the signature has a critical subpacket (type ${sig.unknownCritical}) Concord does not understand`,
    };
  if ((key.algorithm === PUBKEY.rsa || key.algorithm === PUBKEY.rsaSignOnly) && (key.bits ?? 0) < 2048)
    return { ok: false, reason: `the RSA key has ${key.bits} bits; fewer than 2048 is too weak to trust` };
  if (sig.version === 6) {
    if (key.version !== 6) return { ok: false, reason: "a version 6 signature needs a version 6 key" };
    if (sig.salt?.length !== h.saltBytes)
      return {
        ok: false,
        reason: `the signature salt is ${sig.salt?.length ?? 0} bytes; ${h.name} needs ${h.saltBytes}`,
      };
  }
  const input = concat(sig.salt ?? new Uint8Array(), data, sig.hashedPart, trailer(sig));
  const digest = createHash(h.node).update(input).digest();
  // The quick check: the first two bytes of the hash are stored in the packet.
  if (((digest[0]! << 8) | digest[1]!) !== sig.left16)
    return { ok: false, reason: "the signed data has changed since it was signed (hash mismatch)" };
  let good = false;
  try {
    if (key.algorithm === PUBKEY.rsa || key.algorithm === PUBKEY.rsaSignOnly) {
      const size = Math.ceil((key.bits ?? 0) / 8);
      good = verify(h.node, input, key.key, padStart(sig.mpis[0]!, size));
    } else if (key.algorithm === PUBKEY.eddsaLegacy) {
      const rs = concat(padStart(sig.mpis[0]!, 32), padStart(sig.mpis[1]!, 32));
      good = verify(null, digest, key.key, rs);
    } else if (key.algorithm === PUBKEY.ed25519 || key.algorithm === PUBKEY.ed448) {
      good = verify(null, digest, key.key, sig.raw!);
    }
  } catch {
    good = false;
  }
  return good ? { ok: true } : { ok: false, reason: "the signature does not verify with this key" };
}

const isoDay = (unix: number) => new Date(unix * 1000).toISOString().slice(0, 10);

function isExpired(created: number, after: number | undefined, at: number): boolean {
  return after !== undefined && after > 0 && created + after < at;
}

/** Signatures made by `by` over `data`, verified, newest first. */
function verified(sigs: Signature[], by: PublicKey, data: Uint8Array, types: number[]): Signature[] {
  return sigs
    .filter((s) => types.includes(s.type) && verifySignature(s, data, by).ok)
    .sort((a, b) => (b.created ?? 0) - (a.created ?? 0));
}

export interface SigningKey {
  key: PublicKey;
  /** Why it may not sign (revoked, expired, not a signing key), when it may not. */
  invalid?: string;
}

/**
 * The keys of a certificate that may make signatures at time `at` (Unix seconds): the primary key
 * and every subkey bound to it for signing, each with the reason when it is not valid. Only
 * self-signatures that verify count, so a forged subkey or user ID cannot slip in.
 */
export function signingKeys(cert: Certificate, at: number): SigningKey[] {
  const p = cert.primary;
  const pHash = keyHashPrefix(p);
  const out: SigningKey[] = [];
  const self = cert.userIds.flatMap((u) => {
    const uid = new TextEncoder().encode(u.id);
    const data = concat(pHash, Uint8Array.of(0xb4), be32(uid.length), uid);
    return verified(u.signatures, p, data, [0x10, 0x11, 0x12, 0x13]);
  });
  const direct = verified(cert.direct, p, pHash, [SIGTYPE.directKey]);
  const newest = [...direct, ...self].sort((a, b) => (b.created ?? 0) - (a.created ?? 0))[0];
  const revoked = verified(cert.direct, p, pHash, [SIGTYPE.keyRevocation]).length > 0;
  // Whether the certificate as a whole stands (its subkeys depend on it), and whether the primary
  // key itself may sign (a certify-only primary can still carry a valid signing subkey).
  let certInvalid: string | undefined;
  if (revoked) certInvalid = "the key has been revoked";
  else if (!newest) certInvalid = "the key has no valid self-signature";
  else if (isExpired(p.created, newest.keyExpiresAfter, at))
    certInvalid = `the key expired on ${isoDay(p.created + newest.keyExpiresAfter!)}`;
  let primaryInvalid = p.key ? certInvalid : p.unsupported;
  if (!primaryInvalid && newest?.keyFlags !== undefined && (newest.keyFlags & 0x02) === 0)
    primaryInvalid = "the primary key is not a signing key (its key flags exclude signing)";
  out.push({ key: p, invalid: primaryInvalid });

  for (const sub of cert.subkeys) {
    const data = concat(pHash, keyHashPrefix(sub.key));
    const binding = verified(sub.signatures, p, data, [SIGTYPE.subkeyBinding])[0];
    const subRevoked = verified(sub.signatures, p, data, [SIGTYPE.subkeyRevocation]).length > 0;
    let invalid: string | undefined;
    if (!sub.key.key) invalid = sub.key.unsupported;
    else if (certInvalid) invalid = `its primary key is not valid: ${certInvalid}`;
    else if (!binding) invalid = "the subkey has no valid binding signature from its primary key";
    else if (subRevoked) invalid = "the subkey has been revoked";
    else if (binding.keyFlags === undefined || (binding.keyFlags & 0x02) === 0)
      invalid = "the subkey is not a signing subkey";
    // A signing subkey must sign back (RFC 9580 5.2.1): otherwise anyone could attach a key
    // they do not own to this certificate.
    else if (
      !binding.embedded ||
      binding.embedded.type !== SIGTYPE.primaryKeyBinding ||
      !verifySignature(binding.embedded, data, sub.key).ok
    )
      invalid = "the signing subkey has no valid back-signature (primary key binding)";
    else if (isExpired(sub.key.created, binding.keyExpiresAfter, at))
      invalid = `the subkey expired on ${isoDay(sub.key.created + binding.keyExpiresAfter!)}`;
    out.push({ key: sub.key, invalid });
  }
  return out;
}
