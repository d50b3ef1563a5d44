// What a server certificate says, read from its DER with node:crypto's X509Certificate, plus its
// signature algorithm, which Node 20 does not expose and is read from the DER (RFC 5280 4.1.1.2:
// Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }).
import { X509Certificate } from "node:crypto";
import { children, oid, TAG, whole } from "../../firmware/analyzers/secrets/asn1.js";
import { keyShape } from "../../firmware/analyzers/secrets/keys.js";
import type { CertificateData } from "../../../evidence/probe-tls.js";

/** Signature algorithm OIDs (RFC 3279, 4055, 5758, 8410) with the names OpenSSL prints. */
const SIGNATURE_OIDS: Record<string, string> = {
  "1.2.840.113549.1.1.2": "md2WithRSAEncryption",
  "1.2.840.113549.1.1.3": "md4WithRSAEncryption",
  "1.2.840.113549.1.1.4": "md5WithRSAEncryption",
  "1.2.840.113549.1.1.5": "sha1WithRSAEncryption",
  "1.2.840.113549.1.1.10": "rsassaPss",
  "1.2.840.113549.1.1.11": "sha256WithRSAEncryption",
  "1.2.840.113549.1.1.12": "sha384WithRSAEncryption",
  "1.2.840.113549.1.1.13": "sha512WithRSAEncryption",
  "1.2.840.113549.1.1.14": "sha224WithRSAEncryption",
  "1.2.840.10040.4.3": "dsa_with_SHA1",
  "2.16.840.1.101.3.4.3.1": "dsa_with_SHA224",
  "2.16.840.1.101.3.4.3.2": "dsa_with_SHA256",
  "1.2.840.10045.4.1": "ecdsa-with-SHA1",
  "1.2.840.10045.4.3.1": "ecdsa-with-SHA224",
  "1.2.840.10045.4.3.2": "ecdsa-with-SHA256",
  "1.2.840.10045.4.3.3": "ecdsa-with-SHA384",
  "1.2.840.10045.4.3.4": "ecdsa-with-SHA512",
  "1.3.101.112": "ED25519",
  "1.3.101.113": "ED448",
};

/** MD2, MD4, MD5 and SHA-1 signatures: collisions are practical (MD5, SHA-1) or worse. */
const WEAK_SIGNATURES = new Set([
  "1.2.840.113549.1.1.2",
  "1.2.840.113549.1.1.3",
  "1.2.840.113549.1.1.4",
  "1.2.840.113549.1.1.5",
  "1.2.840.10040.4.3",
  "1.2.840.10045.4.1",
]);

/** The signatureAlgorithm OID of a DER certificate, or undefined when it is not shaped like one. */
export function signatureOid(der: Uint8Array): string | undefined {
  const top = whole(der);
  if (!top || top.tag !== TAG.SEQUENCE) return undefined;
  const alg = children(der, top)?.[1];
  if (!alg || alg.tag !== TAG.SEQUENCE) return undefined;
  const id = children(der, alg)?.[0];
  return id ? oid(der, id) : undefined;
}

const oneLine = (dn: string) => dn.split("\n").filter(Boolean).join(", ");
const iso = (d: string) => {
  const t = new Date(d);
  return Number.isNaN(t.getTime()) ? d : t.toISOString();
};

/** The certificate's facts, or undefined when the bytes are not a certificate OpenSSL can read. */
export function describeServerCertificate(der: Uint8Array): CertificateData | undefined {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    return undefined;
  }
  let selfSigned = false;
  try {
    selfSigned = cert.checkIssued(cert) && cert.verify(cert.publicKey);
  } catch {
    // a key or signature algorithm OpenSSL cannot check: not provably self-signed
  }
  const sigOid = signatureOid(der) ?? "unknown";
  const data: CertificateData = {
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    serialNumber: cert.serialNumber,
    validFrom: iso(cert.validFrom),
    validTo: iso(cert.validTo),
    selfSigned,
    keyType: "unknown",
    signatureAlgorithm: SIGNATURE_OIDS[sigOid] ?? sigOid,
    weakSignature: WEAK_SIGNATURES.has(sigOid),
    fingerprint256: cert.fingerprint256,
  };
  try {
    const key = cert.publicKey;
    const shape = keyShape(key);
    data.keyType = shape.keyType;
    if (shape.bits !== undefined) data.keyBits = shape.bits;
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve) data.curve = curve;
  } catch {
    // a key type OpenSSL does not load: the rest still describes the certificate
  }
  if (cert.subjectAltName) data.subjectAltName = cert.subjectAltName;
  return data;
}

/** Does the DER leaf certificate cover this host name (subjectAltName, else the common name)? */
export function coversHost(der: Uint8Array, name: string): boolean {
  try {
    return new X509Certificate(der).checkHost(name) !== undefined;
  } catch {
    return false;
  }
}
