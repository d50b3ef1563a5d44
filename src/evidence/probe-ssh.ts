// The data of probe.ssh evidence: what an SSH server offers in its first key exchange message
// (SSH_MSG_KEXINIT, RFC 4253 7.1), its software, and which of its algorithms are weak.
import type { Transcript } from "./probe.js";

export type SshCategory = "protocol" | "kex" | "host key" | "cipher" | "mac" | "compression";

export interface SshAlgorithmNote {
  category: SshCategory;
  algorithm: string;
  /** Why, in a few words ("1024-bit group", "SHA-1 signatures"). */
  reason: string;
}

export interface SshAuditData {
  host: string;
  address: string;
  port: number;
  /** The server's identification line, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3". */
  versionLine?: string;
  /** "2.0", "1.99" (SSH-1 and SSH-2), "1.5" (SSH-1 only). */
  protocol?: string;
  /** From the software version field: { product: "OpenSSH", version: "9.2p1" }. */
  software?: { product: string; version?: string };
  comment?: string;
  /** Name-lists of the server's KEXINIT; client-to-server and server-to-client lists merged. */
  kex?: string[];
  hostKey?: string[];
  ciphers?: string[];
  macs?: string[];
  compression?: string[];
  /** The server announces strict key exchange (kex-strict-s-v00@openssh.com, the Terrapin fix). */
  strictKex?: boolean;
  /** Algorithms to remove: broken or too small. A check fails on any of these. */
  weak: SshAlgorithmNote[];
  /** Algorithms that are not broken but are being retired (SHA-1 MACs, NIST curves); reported, not failed. */
  caution: SshAlgorithmNote[];
  /** "complete", or "could not read the key exchange: <reason>". */
  outcome: string;
  transcripts: Transcript[];
}
