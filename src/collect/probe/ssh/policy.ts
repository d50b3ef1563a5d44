// Which SSH algorithms are weak, after the facts ssh-audit's policy rests on (written here in our
// own words). "weak" means remove it: broken, too small, or a known attack applies. "caution"
// means not broken but on its way out (SHA-1 in an HMAC, the NIST curves some distrust); it is
// reported but does not fail a check.
import type { KexInit } from "./kexinit.js";
import type { SshAlgorithmNote, SshCategory } from "../../../evidence/probe-ssh.js";

type Rule = [pattern: RegExp, reason: string];

const WEAK: Record<Exclude<SshCategory, "protocol" | "compression">, Rule[]> = {
  kex: [
    [/^diffie-hellman-group1-sha1$/, "1024-bit group (Logjam) and SHA-1"],
    [/^diffie-hellman-group-exchange-sha1$/, "SHA-1 exchange hash; the group size is the server's choice"],
    [/^gss-(group1|gex)-sha1-/, "1024-bit or negotiated group with SHA-1"],
    [/^rsa1024-sha1$/, "1024-bit RSA key exchange and SHA-1"],
  ],
  "host key": [
    [/^ssh-dss(-cert-v0[01]@openssh\.com)?$/, "DSA limited to 1024 bits and SHA-1 signatures"],
    [/^ssh-rsa(-cert-v0[01]@openssh\.com)?$/, "RSA signatures with SHA-1"],
    [/^x509v3-sign-(rsa|dss)$/, "signatures with SHA-1"],
  ],
  cipher: [
    [/^none$/, "no encryption"],
    [/^arcfour(128|256)?$/, "RC4, a biased keystream"],
    [/^3des-cbc$/, "3DES: 64-bit block (Sweet32), and CBC mode"],
    [/^(des|des-cbc|des-cbc@ssh\.com)$/, "DES: 56-bit key"],
    [/^(blowfish|cast128|idea)-cbc$/, "64-bit block cipher in CBC mode"],
    [/-cbc(@[\w.-]+)?$/, "CBC mode: SSH's CBC construction allows plaintext recovery"],
  ],
  mac: [
    [/^none$/, "no integrity protection"],
    [/^hmac-md5(-96)?(-etm@openssh\.com)?$/, "MD5"],
    [/^hmac-sha1-96(-etm@openssh\.com)?$/, "SHA-1 truncated to 96 bits"],
    [/^umac-64(-etm)?@openssh\.com$/, "64-bit tag"],
    [
      /^hmac-ripemd160(-96)?(@openssh\.com|-etm@openssh\.com)?$/,
      "RIPEMD-160, no longer maintained in OpenSSH",
    ],
  ],
};

const CAUTION: Partial<Record<SshCategory, Rule[]>> = {
  kex: [
    [/^diffie-hellman-group14-sha1$/, "SHA-1 exchange hash"],
    [/^ecdh-sha2-nistp(256|384|521)$/, "NIST curves, which some distrust"],
  ],
  "host key": [
    [
      /^ecdsa-sha2-nistp(256|384|521)(-cert-v01@openssh\.com)?$/,
      "ECDSA on NIST curves: a weak nonce leaks the key",
    ],
  ],
  mac: [[/^hmac-sha1(-etm@openssh\.com)?$/, "SHA-1"]],
};

/** Names that announce capabilities rather than algorithms; never judged. */
const PSEUDO = /^(ext-info-[cs]|kex-strict-[cs]-v00@openssh\.com|kexguess2@matt\.ucc\.asn\.au)$/;

function judge(category: SshCategory, names: string[], rules: Rule[] | undefined): SshAlgorithmNote[] {
  const out: SshAlgorithmNote[] = [];
  for (const algorithm of names) {
    if (PSEUDO.test(algorithm)) continue;
    const hit = rules?.find(([re]) => re.test(algorithm));
    if (hit) out.push({ category, algorithm, reason: hit[1] });
  }
  return out;
}

const merged = (a: string[], b: string[]) => [...new Set([...a, ...b])];

export interface Offer {
  kex: string[];
  hostKey: string[];
  ciphers: string[];
  macs: string[];
  compression: string[];
  strictKex: boolean;
}

export function offerOf(k: KexInit): Offer {
  return {
    kex: k.kex,
    hostKey: k.hostKey,
    ciphers: merged(k.ciphersClientToServer, k.ciphersServerToClient),
    macs: merged(k.macsClientToServer, k.macsServerToClient),
    compression: merged(k.compressionClientToServer, k.compressionServerToClient),
    strictKex: k.kex.includes("kex-strict-s-v00@openssh.com"),
  };
}

/**
 * Weak and caution notes for an offer. Besides single algorithms: the Terrapin attack
 * (CVE-2023-48795) truncates the start of the encrypted stream when ChaCha20-Poly1305, or a CBC
 * cipher with an encrypt-then-MAC MAC, can be negotiated and the server lacks strict key exchange.
 */
export function assess(
  o: Offer,
  protocol: string,
): { weak: SshAlgorithmNote[]; caution: SshAlgorithmNote[] } {
  const weak: SshAlgorithmNote[] = [];
  if (protocol !== "2.0")
    weak.push({ category: "protocol", algorithm: `SSH-${protocol}`, reason: "SSH protocol 1 is broken" });
  weak.push(
    ...judge("kex", o.kex, WEAK.kex),
    ...judge("host key", o.hostKey, WEAK["host key"]),
    ...judge("cipher", o.ciphers, WEAK.cipher),
    ...judge("mac", o.macs, WEAK.mac),
  );
  const chacha = o.ciphers.includes("chacha20-poly1305@openssh.com");
  const cbcEtm =
    o.ciphers.some((c) => /-cbc(@|$)/.test(c)) && o.macs.some((m) => /-etm@openssh\.com$/.test(m));
  if (!o.strictKex && (chacha || cbcEtm))
    weak.push({
      category: "kex",
      algorithm: chacha ? "chacha20-poly1305@openssh.com" : "CBC with encrypt-then-MAC",
      reason: "Terrapin prefix truncation (CVE-2023-48795): no strict key exchange",
    });
  const caution = [
    ...judge("kex", o.kex, CAUTION.kex),
    ...judge("host key", o.hostKey, CAUTION["host key"]),
    ...judge("mac", o.macs, CAUTION.mac),
  ];
  return { weak, caution };
}

/** "OpenSSH_9.2p1" -> OpenSSH 9.2p1; "dropbear_2022.83" -> Dropbear 2022.83; otherwise the field as is. */
export function softwareOf(field: string): { product: string; version?: string } {
  const m = /^([A-Za-z][\w.]*?)[_-]v?(\d[\w.+~-]*)$/.exec(field);
  if (!m) return { product: field };
  const known: Record<string, string> = { openssh: "OpenSSH", dropbear: "Dropbear", libssh: "libssh" };
  return { product: known[m[1]!.toLowerCase()] ?? m[1]!, version: m[2]! };
}
