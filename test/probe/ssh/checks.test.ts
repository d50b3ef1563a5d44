// Table tests for probe.ssh-weak-algorithms on probe.ssh evidence.
import { probeSshWeakAlgorithms } from "../../../src/checks/probe-ssh-weak-algorithms.js";
import { assess, offerOf } from "../../../src/collect/probe/ssh/policy.js";
import type { SshAuditData } from "../../../src/evidence/probe-ssh.js";
import { checkTable } from "../../helpers/check-table.js";
import { ev } from "../../helpers/evidence.js";

/** An audit of an offer, judged by the real policy. */
function sshAudit(
  o: { kex: string[]; hostKey: string[]; ciphers: string[]; macs: string[] },
  protocol = "2.0",
): SshAuditData {
  const offer = offerOf({
    kex: o.kex,
    hostKey: o.hostKey,
    ciphersClientToServer: o.ciphers,
    ciphersServerToClient: o.ciphers,
    macsClientToServer: o.macs,
    macsServerToClient: o.macs,
    compressionClientToServer: ["none"],
    compressionServerToClient: ["none"],
    languagesClientToServer: [],
    languagesServerToClient: [],
    firstKexPacketFollows: false,
  });
  return {
    host: "cam",
    address: "10.0.0.5",
    port: 22,
    versionLine: `SSH-${protocol}-OpenSSH_9.6`,
    protocol,
    software: { product: "OpenSSH", version: "9.6" },
    ...offer,
    ...assess(offer, protocol),
    outcome: "complete",
    transcripts: [],
  };
}

const ssh = (d: SshAuditData) => ev("probe.ssh", d, "device", "10.0.0.5:22/tcp");
const STRICT = "kex-strict-s-v00@openssh.com";

checkTable(probeSshWeakAlgorithms, {
  valid: [
    {
      name: "modern algorithms only",
      evidence: [
        ssh(
          sshAudit({
            kex: ["curve25519-sha256", "ext-info-s", STRICT],
            hostKey: ["ssh-ed25519", "rsa-sha2-512"],
            ciphers: ["chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com"],
            macs: ["hmac-sha2-256-etm@openssh.com"],
          }),
        ),
      ],
      expect: [
        {
          status: "pass",
          message: "SSH on cam port 22 (OpenSSH 9.6) offers no weak algorithms.",
          requirements: ["COMM-01"],
        },
      ],
    },
    {
      name: "SHA-1 HMAC and NIST curves are named, not failed",
      evidence: [
        ssh(
          sshAudit({
            kex: ["curve25519-sha256", "ecdh-sha2-nistp256", STRICT],
            hostKey: ["ecdsa-sha2-nistp256"],
            ciphers: ["aes128-ctr"],
            macs: ["hmac-sha2-256", "hmac-sha1"],
          }),
        ),
      ],
      expect: [
        {
          status: "pass",
          message:
            "SSH on cam port 22 (OpenSSH 9.6) offers no weak algorithms. Due for retirement: ecdh-sha2-nistp256, ecdsa-sha2-nistp256 and hmac-sha1.",
        },
      ],
    },
  ],
  invalid: [
    {
      name: "group1, DSA, arcfour, CBC, MD5, umac-64",
      evidence: [
        ssh(
          sshAudit({
            kex: ["diffie-hellman-group1-sha1", STRICT],
            hostKey: ["ssh-dss", "ssh-rsa"],
            ciphers: ["aes128-ctr", "arcfour256", "aes256-cbc", "rijndael-cbc@lysator.liu.se"],
            macs: ["hmac-md5", "umac-64@openssh.com", "hmac-sha2-256"],
          }),
        ),
      ],
      expect: [
        {
          status: "fail",
          message:
            "SSH on cam port 22 (OpenSSH 9.6) offers weak algorithms: key exchange diffie-hellman-group1-sha1; host key ssh-dss, ssh-rsa; ciphers arcfour256, aes256-cbc, rijndael-cbc@lysator.liu.se; MACs hmac-md5, umac-64@openssh.com.",
        },
      ],
    },
    {
      name: "Terrapin: CBC with an EtM MAC and no strict kex",
      evidence: [
        ssh(
          sshAudit({
            kex: ["curve25519-sha256"],
            hostKey: ["ssh-ed25519"],
            ciphers: ["aes128-ctr", "aes128-cbc"],
            macs: ["hmac-sha2-256-etm@openssh.com"],
          }),
        ),
      ],
      expect: [
        {
          status: "fail",
          message:
            "SSH on cam port 22 (OpenSSH 9.6) offers weak algorithms: ciphers aes128-cbc; key exchange CBC with encrypt-then-MAC without strict key exchange (Terrapin).",
        },
      ],
    },
  ],
  silent: [{ name: "no SSH audit", evidence: [], expect: [] }],
});
