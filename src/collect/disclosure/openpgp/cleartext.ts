// Verifying an OpenPGP cleartext signature (RFC 9580 section 7): the signed text is the message
// lines after dash-unescaping, each with trailing spaces and tabs removed, joined with CR LF; the
// line break before "-----BEGIN PGP SIGNATURE-----" is not part of it.
import { hashAlgo, hashAlgoByName } from "./algorithms.js";
import type { Certificate } from "./keys.js";
import { readPackets, TAG } from "./packets.js";
import { PgpFormatError } from "./reader.js";
import { parseSignature, SIGTYPE, type Signature } from "./signature.js";
import { signingKeys, verifySignature } from "./verify.js";
import type { SignatureCheck } from "../../../evidence/disclosure.js";

export function canonicalText(lines: string[]): Uint8Array {
  return new TextEncoder().encode(lines.map((l) => l.replace(/[ \t]+$/, "")).join("\r\n"));
}

const iso = (unix?: number) => (unix === undefined ? undefined : new Date(unix * 1000).toISOString());

/**
 * Check the signature packets in `signatureData` over `lines`. `hashHeaders` are the values of
 * the "Hash:" armor headers (a signature whose algorithm they do not list is refused, as RFC 9580
 * section 7.1 requires); `now` is Unix seconds.
 */
export function checkCleartext(
  lines: string[],
  signatureData: Uint8Array,
  certs: Certificate[],
  hashHeaders: string[],
  now: number,
): SignatureCheck {
  let sigs: Signature[];
  try {
    const packets = readPackets(signatureData);
    sigs = packets.filter((p) => p.tag === TAG.signature).map((p) => parseSignature(p.body));
    if (sigs.length === 0)
      return { status: "invalid", reason: "the signature block holds no signature packet" };
  } catch (e) {
    if (e instanceof PgpFormatError) return { status: "invalid", reason: e.message };
    throw e;
  }
  const data = canonicalText(lines);
  const listed = hashHeaders.flatMap((h) => h.split(",").map((x) => x.trim().toUpperCase()));
  let best: SignatureCheck | undefined;
  for (const sig of sigs) {
    const h = hashAlgo(sig.hashAlgo);
    const base: SignatureCheck = {
      status: "not-checked",
      issuer: sig.issuerFingerprint ?? sig.issuerKeyId,
      hashAlgo: h && "name" in h ? h.name : h ? h.weak : `algorithm ${sig.hashAlgo}`,
      created: iso(sig.created),
    };
    const result = judge(sig, base, data, certs, listed, now);
    if (result.status === "verified") return result;
    // Report the most telling failure: a bad signature over an unknown key over "not checked".
    const rank = { bad: 4, invalid: 3, "unknown-key": 2, "not-checked": 1, verified: 5 } as const;
    if (!best || rank[result.status] > rank[best.status]) best = result;
  }
  return best!;
}

function judge(
  sig: Signature,
  base: SignatureCheck,
  data: Uint8Array,
  certs: Certificate[],
  listed: string[],
  now: number,
): SignatureCheck {
  if (sig.type !== SIGTYPE.text && sig.type !== SIGTYPE.binary)
    return {
      ...base,
      status: "invalid",
      reason: `signature type 0x${sig.type.toString(16)} is not a document signature`,
    };
  if (listed.length > 0 && base.hashAlgo && !listed.includes(base.hashAlgo) && hashAlgoByName(base.hashAlgo))
    return {
      ...base,
      status: "invalid",
      reason: `the signature uses ${base.hashAlgo}, which the Hash: header does not list`,
    };
  if (certs.length === 0) return { ...base, status: "not-checked" };
  const at = sig.created ?? now;
  if (sig.created !== undefined && sig.created > now + 300)
    return { ...base, status: "invalid", reason: `the signature is dated in the future (${base.created})` };
  if (sig.expiresAfter && sig.created !== undefined && sig.created + sig.expiresAfter < now)
    return {
      ...base,
      status: "invalid",
      reason: `the signature expired on ${iso(sig.created + sig.expiresAfter)}`,
    };
  for (const cert of certs)
    for (const k of signingKeys(cert, at)) {
      const names = [k.key.fingerprint, k.key.keyId];
      const named = !base.issuer || names.some((n) => n === base.issuer || n.endsWith(base.issuer!));
      if (!named) continue;
      const signer = { fingerprint: k.key.fingerprint, userId: cert.userIds[0]?.id };
      const v = verifySignature(sig, data, k.key);
      if (!v.ok) return { ...base, status: "bad", reason: v.reason, signer };
      if (k.invalid)
        return { ...base, status: "bad", reason: `the signature is good, but ${k.invalid}`, signer };
      return { ...base, status: "verified", signer };
    }
  return {
    ...base,
    status: "unknown-key",
    reason: `made by key ${base.issuer ?? "(unnamed)"}, which is not among the keys given`,
  };
}
