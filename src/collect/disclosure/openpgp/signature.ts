// Signature packets (RFC 9580 section 5.2), versions 4 and 6, with the subpackets verification
// needs: creation and expiry times, issuer, key expiry and flags, and the embedded back-signature
// of a signing subkey.
import { PgpFormatError, Reader, hex } from "./reader.js";

export const SIGTYPE = {
  binary: 0x00,
  text: 0x01,
  certGeneric: 0x10,
  certPositive: 0x13,
  subkeyBinding: 0x18,
  primaryKeyBinding: 0x19,
  directKey: 0x1f,
  keyRevocation: 0x20,
  subkeyRevocation: 0x28,
  certRevocation: 0x30,
} as const;

export interface Signature {
  version: 4 | 6;
  type: number;
  pubAlgo: number;
  hashAlgo: number;
  /** The hashed part of the packet (version through hashed subpackets): hashed with the data. */
  hashedPart: Uint8Array;
  left16: number;
  salt?: Uint8Array;
  /** Signature material: MPIs for RSA and legacy EdDSA, raw octets for Ed25519/Ed448. */
  mpis: Uint8Array[];
  raw?: Uint8Array;
  created?: number;
  /** Seconds after creation when the signature expires (0 or absent: never). */
  expiresAfter?: number;
  keyExpiresAfter?: number;
  keyFlags?: number;
  issuerKeyId?: string;
  issuerFingerprint?: string;
  embedded?: Signature;
  /** A critical subpacket Concord does not know: RFC 9580 says the signature is then invalid. */
  unknownCritical?: number;
}

function readSubpackets(area: Uint8Array, sig: Signature, hashed: boolean): void {
  const r = new Reader(area, "the signature subpackets");
  while (r.remaining > 0) {
    const first = r.u8();
    let len: number;
    if (first < 192) len = first;
    else if (first < 255) len = ((first - 192) << 8) + r.u8() + 192;
    else len = r.u32();
    if (len < 1) throw new PgpFormatError("an empty signature subpacket");
    const typeByte = r.u8();
    const critical = (typeByte & 0x80) !== 0;
    const type = typeByte & 0x7f;
    const body = new Reader(r.take(len - 1), `signature subpacket ${type}`);
    // Only hashed subpackets are trusted for times and flags; the unhashed area is advisory and
    // may only supply the issuer (it is checked by the signature itself).
    switch (type) {
      case 2:
        if (hashed) sig.created = body.u32();
        break;
      case 3:
        if (hashed) sig.expiresAfter = body.u32();
        break;
      case 9:
        if (hashed) sig.keyExpiresAfter = body.u32();
        break;
      case 16:
        sig.issuerKeyId ??= hex(body.take(8));
        break;
      case 27:
        if (hashed) sig.keyFlags = body.remaining > 0 ? body.u8() : 0;
        break;
      case 32:
        // The embedded primary-key binding of a signing subkey; parsed lazily by whoever needs it.
        sig.embedded ??= parseSignature(body.rest());
        break;
      case 33: {
        body.u8(); // key version
        sig.issuerFingerprint ??= hex(body.rest());
        break;
      }
      default:
        // Known but irrelevant here: 4 exportable, 5 trust, 6 regex, 7 revocable, 11/21/22/34
        // preferences, 12 revocation key, 20 notation, 23 key server prefs, 24 preferred server,
        // 25 primary user ID, 26 policy URI, 28 signer's user ID, 29 reason for revocation,
        // 30 features, 31 target, 35 intended recipient, 37 approved certifications, 39 preferred
        // AEAD ciphersuites.
        if (
          hashed &&
          critical &&
          ![4, 5, 6, 7, 11, 12, 20, 21, 22, 23, 24, 25, 26, 28, 29, 30, 31, 34, 35, 37, 39].includes(type)
        )
          sig.unknownCritical = type;
    }
  }
}

export function parseSignature(body: Uint8Array): Signature {
  const r = new Reader(body, "the signature packet");
  const version = r.u8();
  if (version !== 4 && version !== 6)
    throw new PgpFormatError(`signature version ${version} is not supported (only 4 and 6)`);
  const type = r.u8();
  const pubAlgo = r.u8();
  const hashAlgo = r.u8();
  const hashedLen = version === 6 ? r.u32() : r.u16();
  const hashedArea = r.take(hashedLen);
  const hashedPart = body.subarray(0, r.offset);
  const unhashedArea = r.take(version === 6 ? r.u32() : r.u16());
  const left16 = r.u16();
  const sig: Signature = { version, type, pubAlgo, hashAlgo, hashedPart, left16, mpis: [] };
  if (version === 6) sig.salt = r.take(r.u8());
  readSubpackets(hashedArea, sig, true);
  readSubpackets(unhashedArea, sig, false);
  if (pubAlgo === 1 || pubAlgo === 3) sig.mpis = [r.mpi()];
  else if (pubAlgo === 22 || pubAlgo === 19 || pubAlgo === 17) sig.mpis = [r.mpi(1024), r.mpi(1024)];
  else if (pubAlgo === 27) sig.raw = r.take(64);
  else if (pubAlgo === 28) sig.raw = r.take(114);
  else sig.raw = r.rest();
  return sig;
}
