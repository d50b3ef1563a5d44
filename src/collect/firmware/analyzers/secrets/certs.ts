// Certificates, read with node:crypto's X509Certificate: who it names, who signed it, when it
// expires, its key. A certificate is public and never a secret by itself; the certificates check
// judges its expiry and strength, and pairs it with a private key in the image by the public-key
// fingerprint (spki).
import { X509Certificate } from "node:crypto";
import type { SecretData } from "../../../../evidence/firmware.js";
import { keyShape, sha256hex, spkiFingerprint } from "./keys.js";

const oneLine = (dn: string) => dn.split("\n").filter(Boolean).join(", ");

export function describeCertificate(der: Uint8Array, format: string): SecretData | undefined {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    return undefined;
  }
  const expires = new Date(cert.validTo);
  let selfSigned: boolean;
  try {
    selfSigned = cert.checkIssued(cert) && cert.verify(cert.publicKey);
  } catch {
    selfSigned = false; // a signature algorithm OpenSSL cannot check
  }
  const data: SecretData = {
    type: "certificate",
    format,
    fingerprint: sha256hex(cert.raw),
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    selfSigned,
  };
  if (!Number.isNaN(expires.getTime())) data.notAfter = expires.toISOString();
  try {
    const key = cert.publicKey;
    const shape = keyShape(key);
    data.keyType = shape.keyType;
    if (shape.bits !== undefined) data.bits = shape.bits;
    const spki = spkiFingerprint(key);
    if (spki) data.spki = spki;
  } catch {
    // a key type OpenSSL does not load: the rest still describes the certificate
  }
  return data;
}
