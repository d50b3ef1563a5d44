// Public keys (RFC 9580 section 5.5.2): versions 4 and 6, with the key material of the signing
// algorithms Concord verifies turned into node:crypto KeyObjects. A certificate (a "key file") is
// a primary key, its user IDs and subkeys, and the signatures that bind them.
import { createHash, createPublicKey, type KeyObject } from "node:crypto";
import { ED25519_LEGACY_OID, PUBKEY, PUBKEY_NAMES } from "./algorithms.js";
import { dearmor, isArmored } from "./armor.js";
import { readPackets, TAG, type Packet } from "./packets.js";
import { be32, concat, hex, PgpFormatError, Reader } from "./reader.js";
import { parseSignature, type Signature } from "./signature.js";

export interface PublicKey {
  version: 4 | 6;
  algorithm: number;
  algorithmName: string;
  created: number;
  /** Upper-case hex. */
  fingerprint: string;
  keyId: string;
  /** The packet body, which key-binding and certification signatures hash. */
  body: Uint8Array;
  /** Present for the signing algorithms Concord can verify. */
  key?: KeyObject;
  bits?: number;
  /** Why the key cannot verify, when it cannot. */
  unsupported?: string;
}

export interface Certificate {
  primary: PublicKey;
  userIds: { id: string; signatures: Signature[] }[];
  subkeys: { key: PublicKey; signatures: Signature[] }[];
  /** Direct-key and revocation signatures on the primary key. */
  direct: Signature[];
}

const b64url = (b: Uint8Array) => Buffer.from(b).toString("base64url");

export function parsePublicKey(body: Uint8Array): PublicKey {
  const r = new Reader(body, "the public key packet");
  const version = r.u8();
  if (version !== 4 && version !== 6)
    throw new PgpFormatError(`public key version ${version} is not supported (only 4 and 6)`);
  const created = r.u32();
  const algorithm = r.u8();
  const material = version === 6 ? r.take(r.u32()) : r.rest();
  const m = new Reader(material, "the public key material");
  const out: PublicKey = {
    version,
    algorithm,
    algorithmName: PUBKEY_NAMES[algorithm] ?? `algorithm ${algorithm}`,
    created,
    fingerprint: "",
    keyId: "",
    body,
  };
  if (version === 4) {
    const fpr = createHash("sha1")
      .update(concat(Uint8Array.of(0x99, body.length >> 8, body.length & 0xff), body))
      .digest();
    out.fingerprint = hex(fpr);
    out.keyId = out.fingerprint.slice(-16);
  } else {
    const fpr = createHash("sha256")
      .update(concat(Uint8Array.of(0x9b), be32(body.length), body))
      .digest();
    out.fingerprint = hex(fpr);
    out.keyId = out.fingerprint.slice(0, 16);
  }
  try {
    if (algorithm === PUBKEY.rsa || algorithm === PUBKEY.rsaSignOnly) {
      const n = m.mpi();
      const e = m.mpi();
      out.bits = n.length * 8 - Math.clz32(n[0] ?? 0) + 24;
      out.key = createPublicKey({ key: { kty: "RSA", n: b64url(n), e: b64url(e) }, format: "jwk" });
    } else if (algorithm === PUBKEY.eddsaLegacy) {
      const oid = m.take(m.u8());
      if (Buffer.from(oid).toString("hex") !== ED25519_LEGACY_OID)
        out.unsupported = "legacy EdDSA on a curve other than Ed25519";
      else {
        const point = m.mpi(1024);
        // A native point: the 0x40 prefix, then the 32-byte public key.
        if (point.length !== 33 || point[0] !== 0x40)
          throw new PgpFormatError("the Ed25519 point is not in native (0x40) form");
        out.bits = 255;
        out.key = createPublicKey({
          key: { kty: "OKP", crv: "Ed25519", x: b64url(point.subarray(1)) },
          format: "jwk",
        });
      }
    } else if (algorithm === PUBKEY.ed25519) {
      out.bits = 255;
      out.key = createPublicKey({
        key: { kty: "OKP", crv: "Ed25519", x: b64url(m.take(32)) },
        format: "jwk",
      });
    } else if (algorithm === PUBKEY.ed448) {
      out.bits = 448;
      out.key = createPublicKey({ key: { kty: "OKP", crv: "Ed448", x: b64url(m.take(57)) }, format: "jwk" });
    } else
      out.unsupported = `${out.algorithmName} keys are not supported for verification (RSA, Ed25519 and Ed448 are)`;
  } catch (e) {
    if (e instanceof PgpFormatError) throw e;
    // node:crypto refuses material that is not a valid key (a point off the curve, say).
    throw new PgpFormatError(`the ${out.algorithmName} key material is invalid (${(e as Error).message})`);
  }
  return out;
}

/** The bytes a signature over a key hashes for that key (RFC 9580 section 5.2.4). */
export function keyHashPrefix(k: PublicKey): Uint8Array {
  return k.version === 4
    ? concat(Uint8Array.of(0x99, k.body.length >> 8, k.body.length & 0xff), k.body)
    : concat(Uint8Array.of(0x9b), be32(k.body.length), k.body);
}

/** Read one or more certificates from a key file (armored or binary). */
export function readCertificates(bytes: Uint8Array): Certificate[] {
  const data = isArmored(bytes) ? dearmor(Buffer.from(bytes).toString("utf8")).data : bytes;
  const packets: Packet[] = readPackets(data);
  const certs: Certificate[] = [];
  let cur: Certificate | undefined;
  let lastSigs: Signature[] | undefined;
  for (const p of packets) {
    if (p.tag === TAG.secretKey || p.tag === TAG.secretSubkey)
      throw new PgpFormatError("this is a secret key; give the public key (gpg --export --armor <id>)");
    if (p.tag === TAG.publicKey) {
      cur = { primary: parsePublicKey(p.body), userIds: [], subkeys: [], direct: [] };
      certs.push(cur);
      lastSigs = cur.direct;
    } else if (!cur) {
      throw new PgpFormatError(`packet ${p.tag} at byte ${p.offset} comes before any public key`);
    } else if (p.tag === TAG.userId) {
      const uid = { id: Buffer.from(p.body).toString("utf8"), signatures: [] as Signature[] };
      cur.userIds.push(uid);
      lastSigs = uid.signatures;
    } else if (p.tag === TAG.publicSubkey) {
      const sub = { key: parsePublicKey(p.body), signatures: [] as Signature[] };
      cur.subkeys.push(sub);
      lastSigs = sub.signatures;
    } else if (p.tag === TAG.signature) {
      // A signature version we cannot read (v3, v5) is left out rather than failing the key.
      try {
        lastSigs?.push(parseSignature(p.body));
      } catch (e) {
        if (!(e instanceof PgpFormatError)) throw e;
      }
    } else if (p.tag === TAG.userAttribute) {
      lastSigs = []; // photo IDs: their signatures are not needed
    }
  }
  if (certs.length === 0) throw new PgpFormatError("no public key in the key file");
  return certs;
}
