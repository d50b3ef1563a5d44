// COMM-01 from a live probe: a TLS service on the device that still accepts SSLv3, TLS 1.0 or
// TLS 1.1 (deprecated by RFC 7568 and RFC 8996) lets a network attacker aim at the weakest.
import { PROBE } from "../evidence/probe.js";
import { DEPRECATED_VERSIONS, type TlsAuditData, type TlsVersionName } from "../evidence/probe-tls.js";
import { finding, type Check, type CheckMeta } from "./types.js";

const meta: CheckMeta = {
  id: "probe.tls-weak-protocols",
  title: "TLS services on the device refuse SSLv3, TLS 1.0 and TLS 1.1",
  description:
    "Reads the TLS audits of a live probe (each version from SSLv3 to TLS 1.3 tried with Node's handshake and with raw ClientHellos). Fails for each TLS port that accepts SSLv3, TLS 1.0 or TLS 1.1; passes for each port whose audit finished and accepts only TLS 1.2 or TLS 1.3.",
  requirements: ["COMM-01"],
  severity: "high",
  reads: [PROBE.tls],
  remediation:
    "Configure the TLS server on the device to accept TLS 1.2 and TLS 1.3 only (OpenSSL: MinProtocol = TLSv1.2; mbedTLS: MBEDTLS_SSL_MINOR_VERSION_3).",
};

export const accepted = (d: TlsAuditData): TlsVersionName[] =>
  d.versions.filter((v) => v.accepted).map((v) => v.version);

export const deprecatedAccepted = (d: TlsAuditData): TlsVersionName[] =>
  accepted(d).filter((v) => DEPRECATED_VERSIONS.includes(v));

export const listOf = (parts: string[]) =>
  parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;

export const tlsWhere = (d: TlsAuditData) => `TLS on ${d.host} port ${d.port}`;

export const probeTlsWeakProtocols: Check = {
  meta,
  evaluate(evidence) {
    return evidence.ofKind<TlsAuditData>(PROBE.tls).flatMap((e) => {
      const d = e.data;
      const all = accepted(d);
      if (all.length === 0) return [];
      const weak = deprecatedAccepted(d);
      if (weak.length)
        return [
          finding(
            meta,
            "fail",
            `${tlsWhere(d)} accepts ${listOf(weak)}, deprecated protocol versions (it accepts ${listOf(all)}).`,
            [e.id],
          ),
        ];
      if (d.outcome !== "complete")
        return [
          finding(
            meta,
            "info",
            `${tlsWhere(d)} accepts ${listOf(all)}; the audit stopped early (${d.outcome}), so older versions may not all have been tried.`,
            [e.id],
          ),
        ];
      return [finding(meta, "pass", `${tlsWhere(d)} accepts only ${listOf(all)}.`, [e.id])];
    });
  },
};
