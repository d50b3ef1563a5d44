// COMM-01 from a live probe: an SSH server on the device that offers weak algorithms (SSH-1,
// 1024-bit or SHA-1 key exchange, DSA or SHA-1 RSA host key signatures, RC4, DES, 3DES or CBC
// ciphers, MD5, truncated SHA-1 or 64-bit MACs, no cipher or MAC, or Terrapin exposure) lets a
// client, or an attacker in the middle, settle on them. The policy is src/collect/probe/ssh/policy.ts.
import { PROBE } from "../evidence/probe.js";
import type { SshAlgorithmNote, SshAuditData, SshCategory } from "../evidence/probe-ssh.js";
import { listOf } from "./probe-tls-weak-protocols.js";
import { finding, type Check, type CheckMeta } from "./types.js";

const meta: CheckMeta = {
  id: "probe.ssh-weak-algorithms",
  title: "SSH servers on the device offer no weak algorithms",
  description:
    "Reads the SSH audits of a live probe (the server's identification line and its KEXINIT). Fails for each SSH port that speaks SSH-1 or offers diffie-hellman-group1-sha1, diffie-hellman-group-exchange-sha1, ssh-dss, ssh-rsa (SHA-1 signatures), RC4, DES, 3DES or any CBC cipher, hmac-md5, hmac-sha1-96, umac-64, no cipher or MAC, or ChaCha20-Poly1305 or CBC with encrypt-then-MAC without strict key exchange (Terrapin). Passes otherwise, naming the algorithms that are due for retirement (SHA-1 MACs and key exchange, NIST curves).",
  requirements: ["COMM-01"],
  severity: "high",
  reads: [PROBE.ssh],
  remediation:
    "Restrict the SSH server to curve25519-sha256 (or sntrup761x25519-sha512) key exchange, Ed25519 or rsa-sha2-256/512 host keys, chacha20-poly1305, AES-GCM or AES-CTR ciphers and hmac-sha2-*-etm MACs (OpenSSH: KexAlgorithms, HostKeyAlgorithms, Ciphers, MACs; Dropbear: build options), and update it to a release with strict key exchange.",
};

const CATEGORY: Record<SshCategory, string> = {
  protocol: "protocol",
  kex: "key exchange",
  "host key": "host key",
  cipher: "ciphers",
  mac: "MACs",
  compression: "compression",
};

/** "key exchange a, b; ciphers c" */
function grouped(notes: SshAlgorithmNote[]): string {
  const by = new Map<SshCategory, string[]>();
  for (const n of notes) {
    const text = n.reason.startsWith("Terrapin")
      ? `${n.algorithm} without strict key exchange (Terrapin)`
      : n.algorithm;
    by.set(n.category, [...(by.get(n.category) ?? []), text]);
  }
  return [...by].map(([c, names]) => `${CATEGORY[c]} ${names.join(", ")}`).join("; ");
}

const where = (d: SshAuditData) => {
  const sw = d.software
    ? ` (${d.software.product}${d.software.version ? ` ${d.software.version}` : ""})`
    : "";
  return `SSH on ${d.host} port ${d.port}${sw}`;
};

export const probeSshWeakAlgorithms: Check = {
  meta,
  evaluate(evidence) {
    return evidence.ofKind<SshAuditData>(PROBE.ssh).map((e) => {
      const d = e.data;
      if (d.outcome !== "complete") return finding(meta, "info", `${where(d)}: ${d.outcome}.`, [e.id]);
      if (d.weak.length)
        return finding(meta, "fail", `${where(d)} offers weak algorithms: ${grouped(d.weak)}.`, [e.id]);
      const retire = d.caution.length
        ? ` Due for retirement: ${listOf(d.caution.map((c) => c.algorithm))}.`
        : "";
      return finding(meta, "pass", `${where(d)} offers no weak algorithms.${retire}`, [e.id]);
    });
  },
};
