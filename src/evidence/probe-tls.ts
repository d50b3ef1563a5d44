// The data shape of a TLS audit: which protocol versions a server accepts, which cipher suites at
// each, and the certificate chain it presents. The same shape is the data of probe.tls evidence
// (a device port) and, with the URL added, of cloud.tls evidence (a cloud endpoint).
import type { Transcript } from "./probe.js";

export const TLS_VERSIONS = ["SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"] as const;
export type TlsVersionName = (typeof TLS_VERSIONS)[number];

/** Versions deprecated by RFC 7568 (SSLv3) and RFC 8996 (TLS 1.0 and 1.1). */
export const DEPRECATED_VERSIONS: readonly TlsVersionName[] = ["SSLv3", "TLSv1.0", "TLSv1.1"];

export interface SuiteResult {
  /** "0xc02f" */
  code: string;
  /** The IANA name, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256". */
  name: string;
  /** Why it is weak at this version ("RC4", "MD5 MAC", "CBC under TLS 1.0"); empty when it is not. */
  weak: string[];
}

export interface VersionResult {
  version: TlsVersionName;
  accepted: boolean;
  /**
   * Node's own handshake limited to this version: "accepted" or why not. Absent for SSLv3, which
   * the OpenSSL inside Node cannot speak.
   */
  handshake?: string;
  /** Our raw ClientHello offering this version: "accepted" or the server's answer (an alert, a close ...). */
  hello: string;
  /** The suites the server chose, one ClientHello after another, in the order it chose them. */
  suites: SuiteResult[];
  /** Set when enumeration stopped before the server refused the remaining suites. */
  incomplete?: string;
}

export interface CertificateData {
  subject: string;
  issuer: string;
  serialNumber: string;
  /** ISO dates. */
  validFrom: string;
  validTo: string;
  /** Issued by itself and verifiable with its own key. */
  selfSigned: boolean;
  /** rsa, rsa-pss, ec, dsa, ed25519, ed448 ... */
  keyType: string;
  keyBits?: number;
  /** For EC keys: prime256v1, secp384r1 ... */
  curve?: string;
  /** sha256WithRSAEncryption, ecdsa-with-SHA256 ... or the dotted OID when unknown. */
  signatureAlgorithm: string;
  /** The signature hashes with MD2, MD4, MD5 or SHA-1 (collisions are practical or near). */
  weakSignature: boolean;
  subjectAltName?: string;
  fingerprint256: string;
}

export interface CertificateChainData {
  /** Leaf first, then the issuers as the handshake gave them. */
  chain: CertificateData[];
  /** Which handshake read it, "TLSv1.3 handshake" or "TLSv1.2 ClientHello". */
  from: string;
  /** Whether Node's CA store (plus any CA the caller added) validates the chain. */
  trusted: boolean;
  /** OpenSSL's reason when not trusted (DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED ...). */
  trustError?: string;
  /** Set when the target was named by a host name: does the leaf certificate cover it? */
  hostname?: { name: string; matches: boolean };
}

export interface TlsAuditData {
  host: string;
  address: string;
  port: number;
  /** Every version from SSLv3 to TLS 1.3, accepted or not. */
  versions: VersionResult[];
  certificate?: CertificateChainData;
  /** TLS connections the audit opened. */
  handshakes: number;
  /** "complete", or why the audit stopped early ("time budget of ... spent", "handshake limit of 300 reached"). */
  outcome: string;
  /** The first ClientHello of each version and what came back. */
  transcripts: Transcript[];
}
