// Fixtures for the TLS check tables (probe and cloud): a certificate, a chain, an audit accepting given suites.
import { suiteWeaknesses } from "../../../src/collect/probe/tls/suites.js";
import {
  TLS_VERSIONS,
  type CertificateChainData,
  type CertificateData,
  type TlsAuditData,
  type TlsVersionName,
} from "../../../src/evidence/probe-tls.js";

export const leaf = (extra: Partial<CertificateData> = {}): CertificateData => ({
  subject: "CN=camera.local",
  issuer: "CN=Vendor CA",
  serialNumber: "01",
  validFrom: "2026-01-01T00:00:00.000Z",
  validTo: "2027-01-01T00:00:00.000Z",
  selfSigned: false,
  keyType: "rsa",
  keyBits: 2048,
  signatureAlgorithm: "sha256WithRSAEncryption",
  weakSignature: false,
  fingerprint256: "AA",
  ...extra,
});

export const chain = (
  certs: CertificateData[] = [leaf()],
  extra: Partial<CertificateChainData> = {},
): CertificateChainData => ({
  chain: certs,
  from: "TLSv1.3 handshake",
  trusted: false,
  trustError: "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  ...extra,
});

/** An audit accepting these suites (by name) at these versions. */
export function tlsAudit(
  accepted: Partial<Record<TlsVersionName, string[]>>,
  extra: Partial<TlsAuditData> = {},
): TlsAuditData {
  return {
    host: "cam",
    address: "10.0.0.5",
    port: 443,
    versions: TLS_VERSIONS.map((version) => {
      const names = accepted[version] ?? [];
      return {
        version,
        accepted: names.length > 0,
        hello: names.length ? "accepted" : "alert protocol_version",
        suites: names.map((name) => ({ code: "0x0000", name, weak: suiteWeaknesses(name, version) })),
      };
    }),
    certificate: chain(),
    handshakes: 20,
    outcome: "complete",
    transcripts: [],
    ...extra,
  };
}
