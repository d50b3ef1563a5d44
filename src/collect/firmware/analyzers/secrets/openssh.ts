// OpenSSH private keys ("openssh-key-v1", PROTOCOL.key in the OpenSSH sources): a cipher and KDF
// name, the public keys in the clear, then the private keys (encrypted unless the cipher is
// "none"). Unencrypted RSA, ECDSA and Ed25519 keys are converted to JWK so they get the same
// fingerprint as the same key in PEM; an encrypted key is fingerprinted by its public half.
import type { JsonWebKey } from "node:crypto";
import { loadPrivateJwk, loadPublicJwk, sha256hex } from "./keys.js";

export const OPENSSH_MAGIC = "openssh-key-v1\0";

export interface OpenSshKey {
  keyType: string;
  bits?: number;
  encrypted: boolean;
  fingerprint: string;
  spki?: string;
}

class Wire {
  at = 0;
  constructor(private readonly b: Uint8Array) {}
  u32(): number {
    if (this.at + 4 > this.b.length) throw new RangeError("truncated");
    const b = this.b;
    const v =
      ((b[this.at]! << 24) | (b[this.at + 1]! << 16) | (b[this.at + 2]! << 8) | b[this.at + 3]!) >>> 0;
    this.at += 4;
    return v;
  }
  bytes(): Uint8Array {
    const n = this.u32();
    if (this.at + n > this.b.length) throw new RangeError("truncated");
    const out = this.b.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  text(): string {
    return Buffer.from(this.bytes()).toString("latin1");
  }
  /** An mpint's magnitude: the sign byte that keeps it positive dropped. */
  mpint(): Uint8Array {
    const b = this.bytes();
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    return b.subarray(i);
  }
}

const b64u = (b: Uint8Array) => Buffer.from(b).toString("base64url");
const big = (b: Uint8Array) => (b.length === 0 ? 0n : BigInt(`0x${Buffer.from(b).toString("hex")}`));
const unbig = (n: bigint) => {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, "hex");
};
const CURVES: Record<string, { crv: string; size: number }> = {
  nistp256: { crv: "P-256", size: 32 },
  nistp384: { crv: "P-384", size: 48 },
  nistp521: { crv: "P-521", size: 66 },
};
const pad = (b: Uint8Array, size: number) =>
  b.length >= size ? b : Buffer.concat([Buffer.alloc(size - b.length), b]);

function ecPoint(q: Uint8Array, size: number): { x: string; y: string } | undefined {
  if (q.length !== 1 + 2 * size || q[0] !== 4) return undefined;
  return { x: b64u(q.subarray(1, 1 + size)), y: b64u(q.subarray(1 + size)) };
}

/** The public half as a JWK (with the private parts when `priv` follows it in the same wire). */
function readKey(w: Wire, priv: boolean): { type: string; jwk?: JsonWebKey; bits?: number } {
  const type = w.text();
  if (type === "ssh-rsa") {
    if (!priv) {
      const e = w.mpint();
      const n = w.mpint();
      return { type: "rsa", jwk: { kty: "RSA", n: b64u(n), e: b64u(e) } };
    }
    const [n, e, d, iqmp, p, q] = [w.mpint(), w.mpint(), w.mpint(), w.mpint(), w.mpint(), w.mpint()];
    // Sizes beyond any real key (16384-bit moduli) are not worth the big-integer arithmetic.
    if (n.length > 2048 || d.length > 2048 || p.length > 2048 || q.length > 2048)
      return { type: "rsa", bits: n.length * 8 };
    const [D, P, Q] = [big(d), big(p), big(q)];
    if (P < 2n || Q < 2n) return { type: "rsa", bits: n.length * 8 };
    return {
      type: "rsa",
      jwk: {
        kty: "RSA",
        n: b64u(n),
        e: b64u(e),
        d: b64u(d),
        p: b64u(p),
        q: b64u(q),
        dp: b64u(unbig(D % (P - 1n))),
        dq: b64u(unbig(D % (Q - 1n))),
        qi: b64u(iqmp),
      },
    };
  }
  if (type.startsWith("ecdsa-sha2-")) {
    const curve = CURVES[w.text()];
    const point = curve ? ecPoint(w.bytes(), curve.size) : undefined;
    if (!curve || !point) return { type: "ec" };
    const jwk: JsonWebKey = { kty: "EC", crv: curve.crv, ...point };
    if (priv) jwk.d = b64u(pad(w.mpint(), curve.size));
    return { type: "ec", jwk };
  }
  if (type === "ssh-ed25519") {
    const pk = w.bytes();
    const jwk: JsonWebKey = { kty: "OKP", crv: "Ed25519", x: b64u(pk) };
    if (priv) jwk.d = b64u(w.bytes().subarray(0, 32));
    return { type: "ed25519", jwk };
  }
  if (type === "ssh-dss") {
    const p = w.mpint();
    return { type: "dsa", bits: p.length * 8 };
  }
  return { type: type || "unknown" };
}

/** Parse the decoded body of an "OPENSSH PRIVATE KEY" block; undefined when it is not one. */
export function parseOpenSsh(body: Uint8Array): OpenSshKey | undefined {
  if (Buffer.from(body.subarray(0, OPENSSH_MAGIC.length)).toString("latin1") !== OPENSSH_MAGIC)
    return undefined;
  try {
    const w = new Wire(body.subarray(OPENSSH_MAGIC.length));
    const cipher = w.text();
    w.text(); // kdf name
    w.bytes(); // kdf options
    const count = w.u32();
    if (count < 1 || count > 16) return undefined;
    const pub = w.bytes();
    for (let i = 1; i < count; i++) w.bytes();
    const privBlock = w.bytes();
    const encrypted = cipher !== "none";
    const pubKey = readKey(new Wire(pub), false);
    const pubFacts = pubKey.jwk ? loadPublicJwk(pubKey.jwk) : undefined;
    if (!encrypted) {
      const pw = new Wire(privBlock);
      if (pw.u32() !== pw.u32()) return undefined; // check integers differ: not a valid unencrypted key
      const k = readKey(pw, true);
      const facts = k.jwk ? loadPrivateJwk(k.jwk) : undefined;
      if (facts) return { ...facts, encrypted };
      return {
        keyType: k.type,
        bits: k.bits ?? pubFacts?.bits,
        encrypted,
        fingerprint: sha256hex(privBlock),
        spki: pubFacts?.spki,
      };
    }
    return {
      keyType: pubFacts?.keyType ?? pubKey.type,
      bits: pubFacts?.bits ?? pubKey.bits,
      encrypted,
      // The private half is unreadable; its public half identifies the key across images.
      fingerprint: sha256hex(pub),
      spki: pubFacts?.spki,
    };
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}
