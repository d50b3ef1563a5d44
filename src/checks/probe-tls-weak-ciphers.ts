// COMM-01 from a live probe: cipher suites a TLS service on the device accepts that give no or
// weak protection (NULL, export, RC4, DES and 3DES, IDEA, RC2, anonymous, MD5 MACs, CBC under
// SSLv3 and TLS 1.0). The reasons come with the audit (src/collect/probe/tls/suites.ts).
import { PROBE } from "../evidence/probe.js";
import type { TlsAuditData } from "../evidence/probe-tls.js";
import { listOf, tlsWhere } from "./probe-tls-weak-protocols.js";
import { finding, type Check, type CheckMeta } from "./types.js";

const meta: CheckMeta = {
  id: "probe.tls-weak-ciphers",
  title: "TLS services on the device accept no weak cipher suites",
  description:
    "Reads the TLS audits of a live probe, which enumerate the cipher suites each port accepts at each protocol version. Fails for each TLS port that accepts a NULL, export, RC4, DES, 3DES, IDEA, RC2, anonymous or MD5-MAC suite, or a CBC suite under SSLv3 or TLS 1.0; passes for each port whose audit finished and found none.",
  requirements: ["COMM-01"],
  severity: "high",
  reads: [PROBE.tls],
  remediation:
    "Limit the TLS server to AEAD suites with forward secrecy (TLS 1.3 suites; TLS 1.2 ECDHE with AES-GCM or ChaCha20-Poly1305) and turn off older protocol versions.",
};

export interface WeakSuite {
  name: string;
  versions: string[];
  reasons: string[];
}

/** Weak suites across versions, one entry per suite, in the order first met. */
export function weakSuites(d: TlsAuditData): WeakSuite[] {
  const byName = new Map<string, WeakSuite>();
  for (const v of d.versions)
    for (const s of v.suites) {
      if (s.weak.length === 0) continue;
      const w = byName.get(s.name) ?? { name: s.name, versions: [], reasons: [] };
      w.versions.push(v.version);
      for (const r of s.weak) if (!w.reasons.includes(r)) w.reasons.push(r);
      byName.set(s.name, w);
    }
  return [...byName.values()];
}

const SHOWN = 6;

/** "3 weak cipher suites: A (TLSv1.0, TLSv1.2: RC4, MD5 MAC), B (...) and 1 more" */
export function describeWeakSuites(list: WeakSuite[]): string {
  const shown = list
    .slice(0, SHOWN)
    .map((w) => `${w.name} (${w.versions.join(", ")}: ${w.reasons.join(", ")})`);
  const more = list.length - shown.length;
  const items = more > 0 ? [...shown, `${more} more`] : shown;
  return `${list.length} weak cipher suite${list.length === 1 ? "" : "s"}: ${listOf(items)}`;
}

export const suiteCount = (d: TlsAuditData) =>
  new Set(d.versions.flatMap((v) => v.suites.map((s) => s.name))).size;

export const probeTlsWeakCiphers: Check = {
  meta,
  evaluate(evidence) {
    return evidence.ofKind<TlsAuditData>(PROBE.tls).flatMap((e) => {
      const d = e.data;
      const total = suiteCount(d);
      if (total === 0) return [];
      const weak = weakSuites(d);
      if (weak.length)
        return [finding(meta, "fail", `${tlsWhere(d)} accepts ${describeWeakSuites(weak)}.`, [e.id])];
      if (d.outcome !== "complete")
        return [
          finding(
            meta,
            "info",
            `${tlsWhere(d)} accepts ${total} cipher suites, none weak so far; the audit stopped early (${d.outcome}).`,
            [e.id],
          ),
        ];
      const suites = `${total} cipher suite${total === 1 ? "" : "s"}`;
      return [finding(meta, "pass", `${tlsWhere(d)} accepts ${suites} and none is weak.`, [e.id])];
    });
  },
};
