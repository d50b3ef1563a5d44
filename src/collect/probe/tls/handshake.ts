// Node's own TLS handshake limited to one protocol version, over a socket from the scope's gate.
// It confirms what our raw ClientHellos found with a real client, and it reads the certificate
// chain and whether Node's CA store trusts it (TLS 1.3 encrypts the certificate, so only a
// completed handshake sees it there).
import type { Socket } from "node:net";
import { connect as tlsConnect, type DetailedPeerCertificate, type SecureVersion } from "node:tls";

export interface HandshakeResult {
  ok: boolean;
  /** "accepted", or why not (the OpenSSL error code, "timeout", "closed"). */
  reason: string;
  /** The IANA name of the negotiated suite. */
  suite?: string;
  /** DER certificates, leaf first, as Node assembled the chain. */
  chain?: Buffer[];
  trusted?: boolean;
  trustError?: string;
}

export interface HandshakeOptions {
  servername?: string;
  /** Extra trusted CA certificates (PEM), e.g. a private PKI's root. */
  ca?: string[];
  timeoutMs: number;
}

/** The chain Node built: the leaf, then each issuer until a certificate issues itself (at most 10). */
function chainOf(leaf: DetailedPeerCertificate): Buffer[] {
  const out: Buffer[] = [];
  const seen = new Set<string>();
  let c: DetailedPeerCertificate | undefined = leaf;
  while (c?.raw && !seen.has(c.fingerprint256) && out.length < 10) {
    seen.add(c.fingerprint256);
    out.push(c.raw);
    c = c.issuerCertificate;
  }
  return out;
}

/** Handshake at exactly `version` over `raw` (which it destroys when done). */
export function nodeHandshake(
  raw: Socket,
  version: SecureVersion,
  o: HandshakeOptions,
): Promise<HandshakeResult> {
  return new Promise((resolve) => {
    let finished = false;
    const done = (r: HandshakeResult) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      t.destroy();
      raw.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done({ ok: false, reason: "timeout" }), o.timeoutMs);
    const t = tlsConnect({
      socket: raw,
      minVersion: version,
      maxVersion: version,
      // Security level 0 lets OpenSSL 3 offer TLS 1.0/1.1 and the legacy suites it still has.
      ciphers: "DEFAULT@SECLEVEL=0",
      rejectUnauthorized: false,
      servername: o.servername,
      ...(o.ca?.length ? { ca: o.ca } : {}),
    });
    t.once("secureConnect", () => {
      const peer = t.getPeerCertificate(true);
      const chain = peer && "raw" in peer ? chainOf(peer) : [];
      const trustError = t.authorizationError ? String(t.authorizationError) : undefined;
      done({
        ok: true,
        reason: "accepted",
        suite: t.getCipher().standardName,
        chain,
        trusted: t.authorized,
        ...(trustError ? { trustError } : {}),
      });
    });
    t.once("error", (e: NodeJS.ErrnoException) => done({ ok: false, reason: e.code ?? e.message }));
    t.once("close", () => done({ ok: false, reason: "closed" }));
  });
}
