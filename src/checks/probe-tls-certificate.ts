// COMM-01 from a live probe: the certificate a TLS service on the device presents. Expired or not
// yet valid, self-signed (clients cannot authenticate the device, so they end up skipping
// verification), a weak key, an MD5 or SHA-1 signature, or a name that does not match the host it
// was reached by all weaken the channel's authenticity. The same judgement serves cloud.tls-weak,
// which also requires a certificate the client's trust store accepts.
import { PROBE } from "../evidence/probe.js";
import type { CertificateChainData, CertificateData, TlsAuditData } from "../evidence/probe-tls.js";
import { listOf, tlsWhere } from "./probe-tls-weak-protocols.js";
import { finding, type Check, type CheckMeta } from "./types.js";

const meta: CheckMeta = {
  id: "probe.tls-certificate",
  title: "TLS services on the device present a current, strong, verifiable certificate",
  description:
    "Reads the certificate chain each TLS audit of a live probe obtained. Fails when the leaf certificate has expired or is not yet valid on the assessment date, is self-signed, has an RSA or DSA key under 2048 bits or an EC key under 224 bits, is signed with MD5 or SHA-1 (as is any issuing certificate other than a self-signed root), or does not cover the host name the device was reached by. Passes otherwise.",
  requirements: ["COMM-01"],
  severity: "medium",
  reads: [PROBE.tls],
  remediation:
    "Give each unit its own key pair (RSA 2048 bits or more, or EC P-256 or more) and a certificate issued by a CA its clients trust, signed with SHA-256 or better, naming the host names it is reached by, and renew it before it expires.",
};

const KEY_NAMES: Record<string, string> = {
  rsa: "RSA",
  "rsa-pss": "RSA-PSS",
  dsa: "DSA",
  ec: "EC",
  ed25519: "Ed25519",
  ed448: "Ed448",
};

/** "an RSA 1024-bit key", "an EC 256-bit (prime256v1) key", "an Ed25519 key". */
export function keyPhrase(c: CertificateData): string {
  const name = KEY_NAMES[c.keyType] ?? c.keyType;
  const size = c.keyBits !== undefined && !/^ed/.test(c.keyType) ? ` ${c.keyBits}-bit` : "";
  const curve = c.curve ? ` (${c.curve})` : "";
  const text = `${name}${size}${curve}`;
  return `${/^[AEFHILMNORSX]/.test(text) ? "an" : "a"} ${text} key`;
}

export function weakKey(c: CertificateData): boolean {
  if (c.keyBits === undefined) return false;
  if (c.keyType === "rsa" || c.keyType === "rsa-pss" || c.keyType === "dsa") return c.keyBits < 2048;
  if (c.keyType === "ec") return c.keyBits < 224;
  return false;
}

/**
 * What is wrong with a chain, as phrases that follow "the certificate": "expired on 2020-01-01",
 * "is self-signed" ... `requireTrust` adds "is not trusted" when the trust store rejects it.
 */
export function certificateProblems(
  cert: CertificateChainData,
  asOf: string,
  o: { requireTrust?: boolean } = {},
): string[] {
  const out: string[] = [];
  const leaf = cert.chain[0]!;
  const until = leaf.validTo.slice(0, 10);
  const from = leaf.validFrom.slice(0, 10);
  if (until < asOf) out.push(`expired on ${until}`);
  if (from > asOf) out.push(`is not valid before ${from}`);
  if (leaf.selfSigned) out.push("is self-signed");
  if (weakKey(leaf)) out.push(`has ${keyPhrase(leaf)}`);
  if (leaf.weakSignature) out.push(`is signed with ${leaf.signatureAlgorithm}`);
  // Issuers: a self-signed root is trusted by being in the store, so its own signature is moot.
  for (const c of cert.chain.slice(1)) {
    if (c.selfSigned) continue;
    if (c.weakSignature) out.push(`has an issuer ("${c.subject}") signed with ${c.signatureAlgorithm}`);
    if (c.validTo.slice(0, 10) < asOf)
      out.push(`has an issuer ("${c.subject}") that expired on ${c.validTo.slice(0, 10)}`);
  }
  if (cert.hostname && !cert.hostname.matches) out.push(`does not cover the name ${cert.hostname.name}`);
  if (o.requireTrust && !cert.trusted && !leaf.selfSigned)
    out.push(`is not trusted${cert.trustError ? ` (${cert.trustError})` : ""}`);
  return out;
}

/** "valid until 2027-01-01, with an RSA 2048-bit key, signed with sha256WithRSAEncryption by "CN=CA"" */
export function certificateSummary(cert: CertificateChainData): string {
  const leaf = cert.chain[0]!;
  return `valid until ${leaf.validTo.slice(0, 10)}, with ${keyPhrase(leaf)}, signed with ${leaf.signatureAlgorithm} by "${leaf.issuer}"`;
}

export const probeTlsCertificate: Check = {
  meta,
  evaluate(evidence, ctx) {
    return evidence.ofKind<TlsAuditData>(PROBE.tls).flatMap((e) => {
      const cert = e.data.certificate;
      if (!cert) return [];
      const leaf = cert.chain[0]!;
      const problems = certificateProblems(cert, ctx.asOf);
      const subject = `The certificate ${tlsWhere(e.data)} presents ("${leaf.subject}")`;
      return problems.length
        ? [finding(meta, "fail", `${subject} ${listOf(problems)}.`, [e.id])]
        : [finding(meta, "pass", `${subject} is ${certificateSummary(cert)}.`, [e.id])];
    });
  },
};
