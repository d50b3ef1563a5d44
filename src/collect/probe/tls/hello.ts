// Our own TLS ClientHello, and a reader for what a server sends back (RFC 5246 and RFC 8446 record
// and handshake layers). Writing the hello ourselves lets the audit offer what Node's OpenSSL no
// longer can (SSLv3, export, RC4, DES, anonymous suites) and ask one question per connection:
// "of these suites, which do you pick at this version?". No handshake is ever completed: the
// ServerHello (and, for TLS 1.2 and older, the Certificate message after it) is all we read.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import type { TlsVersionName } from "../../../evidence/probe-tls.js";

export const VERSION_CODE: Record<TlsVersionName, number> = {
  SSLv3: 0x0300,
  "TLSv1.0": 0x0301,
  "TLSv1.1": 0x0302,
  "TLSv1.2": 0x0303,
  "TLSv1.3": 0x0304,
};

export function versionName(code: number): string {
  const hit = Object.entries(VERSION_CODE).find(([, c]) => c === code);
  return hit ? hit[0] : `0x${code.toString(16).padStart(4, "0")}`;
}

const EXT = {
  serverName: 0x0000,
  supportedGroups: 0x000a,
  ecPointFormats: 0x000b,
  signatureAlgorithms: 0x000d,
  padding: 0x0015,
  extendedMasterSecret: 0x0017,
  sessionTicket: 0x0023,
  supportedVersions: 0x002b,
  keyShare: 0x0033,
  renegotiationInfo: 0xff01,
} as const;

/** Named groups offered up to TLS 1.2: x25519, the NIST and brainpool curves, x448, and older curves. */
const GROUPS_TLS12 = [29, 23, 24, 25, 30, 26, 27, 28, 22, 21, 20, 19, 18, 14, 13, 11, 12, 9, 10];
/** TLS 1.3: x25519, P-256, P-384, P-521, x448 and the RFC 7919 finite-field groups. */
const GROUPS_TLS13 = [29, 23, 24, 25, 30, 0x100, 0x101, 0x102, 0x103, 0x104];
const X25519 = 29;

/** Signature schemes: ECDSA, EdDSA, RSA-PSS, RSA PKCS#1 and DSA, with SHA-2, SHA-224 and SHA-1. */
const SIGNATURE_SCHEMES = [
  0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b, 0x0401, 0x0501,
  0x0601, 0x0303, 0x0301, 0x0302, 0x0402, 0x0502, 0x0602, 0x0203, 0x0201, 0x0202,
];

/** The fixed ServerHello.random that marks a HelloRetryRequest (RFC 8446 4.1.3): SHA-256 of "HelloRetryRequest". */
const HELLO_RETRY_RANDOM = Buffer.from(
  "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c",
  "hex",
);

const u8 = (n: number) => Buffer.from([n & 0xff]);
const u16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const u24 = (n: number) => Buffer.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
const list16 = (items: number[]) => Buffer.concat([u16(items.length * 2), ...items.map(u16)]);
const ext = (type: number, body: Buffer) => Buffer.concat([u16(type), u16(body.length), body]);

let keyShare: Buffer | undefined;
/** An x25519 public key for the TLS 1.3 key_share; the handshake never gets far enough to use it. */
function x25519Share(): Buffer {
  if (!keyShare) {
    const { publicKey } = generateKeyPairSync("x25519");
    keyShare = Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url");
  }
  return keyShare;
}

export interface HelloOptions {
  /** Sent as SNI when the target was named by a host name. */
  serverName?: string;
}

/** One ClientHello record offering `suites` at `version` (SSLv3 hellos carry no extensions). */
export function clientHello(version: TlsVersionName, suites: number[], o: HelloOptions = {}): Buffer {
  const tls13 = version === "TLSv1.3";
  const exts: Buffer[] = [];
  if (version !== "SSLv3") {
    if (o.serverName) {
      const name = Buffer.from(o.serverName, "ascii");
      const entry = Buffer.concat([u8(0), u16(name.length), name]);
      exts.push(ext(EXT.serverName, Buffer.concat([u16(entry.length), entry])));
    }
    exts.push(ext(EXT.supportedGroups, list16(tls13 ? GROUPS_TLS13 : GROUPS_TLS12)));
    exts.push(ext(EXT.ecPointFormats, Buffer.from([3, 0, 1, 2])));
    if (version === "TLSv1.2" || tls13) exts.push(ext(EXT.signatureAlgorithms, list16(SIGNATURE_SCHEMES)));
    exts.push(ext(EXT.renegotiationInfo, Buffer.from([0])));
    exts.push(ext(EXT.extendedMasterSecret, Buffer.alloc(0)));
    exts.push(ext(EXT.sessionTicket, Buffer.alloc(0)));
    if (tls13) {
      exts.push(ext(EXT.supportedVersions, Buffer.from([2, 0x03, 0x04])));
      const share = x25519Share();
      const entry = Buffer.concat([u16(X25519), u16(share.length), share]);
      exts.push(ext(EXT.keyShare, Buffer.concat([u16(entry.length), entry])));
    }
  }
  const body = (extensions: Buffer[]) => {
    const parts = [
      u16(tls13 ? 0x0303 : VERSION_CODE[version]),
      randomBytes(32),
      // TLS 1.3 clients send a 32-byte legacy session id so middleboxes see a resumption attempt.
      tls13 ? Buffer.concat([u8(32), randomBytes(32)]) : u8(0),
      list16(suites),
      Buffer.from([1, 0]),
    ];
    if (extensions.length) {
      const all = Buffer.concat(extensions);
      parts.push(u16(all.length), all);
    }
    return Buffer.concat(parts);
  };
  let hello = body(exts);
  // Some TLS stacks hang on ClientHellos of 256 to 511 bytes; RFC 7685 padding moves it past 512.
  if (exts.length && hello.length + 4 >= 256 && hello.length + 4 < 512) {
    const pad = Math.max(1, 512 - (hello.length + 4) - 4);
    hello = body([...exts, ext(EXT.padding, Buffer.alloc(pad))]);
  }
  const handshake = Buffer.concat([u8(1), u24(hello.length), hello]);
  return Buffer.concat([
    u8(22),
    u16(version === "SSLv3" ? 0x0300 : 0x0301),
    u16(handshake.length),
    handshake,
  ]);
}

export type ServerAnswer =
  | {
      kind: "hello";
      /** The negotiated version (supported_versions wins over the legacy field). */
      version: number;
      suite: number;
      /** A TLS 1.3 HelloRetryRequest: the server picked the suite but wants another key share. */
      retry: boolean;
      /** DER certificates from the Certificate message, when asked for and sent in the clear. */
      certificates?: Buffer[];
    }
  | { kind: "alert"; level: number; description: number }
  | { kind: "garbage"; reason: string };

const ALERTS: Record<number, string> = {
  0: "close_notify",
  10: "unexpected_message",
  20: "bad_record_mac",
  22: "record_overflow",
  40: "handshake_failure",
  42: "bad_certificate",
  47: "illegal_parameter",
  49: "access_denied",
  50: "decode_error",
  51: "decrypt_error",
  60: "export_restriction",
  70: "protocol_version",
  71: "insufficient_security",
  80: "internal_error",
  86: "inappropriate_fallback",
  90: "user_canceled",
  109: "missing_extension",
  110: "unsupported_extension",
  112: "unrecognized_name",
  120: "no_application_protocol",
};

export const alertName = (d: number) => ALERTS[d] ?? `alert ${d}`;

export const HANDSHAKE_FAILURE = 40;
export const PROTOCOL_VERSION = 70;

/** The largest record a server may send: 2^14 plus expansion (RFC 5246 6.2.3). */
const MAX_RECORD = 18432;

function parseServerHello(m: Buffer): ServerAnswer {
  if (m.length < 38) return { kind: "garbage", reason: `ServerHello of ${m.length} bytes is too short` };
  let version = m.readUInt16BE(0);
  const retry = m.subarray(2, 34).equals(HELLO_RETRY_RANDOM);
  let p = 35 + m[34]!;
  if (p + 3 > m.length) return { kind: "garbage", reason: "ServerHello cut inside its session id" };
  const suite = m.readUInt16BE(p);
  p += 3;
  if (p + 2 <= m.length) {
    const end = Math.min(m.length, p + 2 + m.readUInt16BE(p));
    p += 2;
    while (p + 4 <= end) {
      const type = m.readUInt16BE(p);
      const len = m.readUInt16BE(p + 2);
      if (type === EXT.supportedVersions && len === 2 && p + 6 <= end) version = m.readUInt16BE(p + 4);
      p += 4 + len;
    }
  }
  return { kind: "hello", version, suite, retry };
}

/** The DER certificates of a Certificate message (TLS 1.2 and older: a uint24 list of uint24 entries). */
function parseCertificates(m: Buffer): Buffer[] {
  const out: Buffer[] = [];
  if (m.length < 3) return out;
  const end = Math.min(m.length, 3 + m.readUIntBE(0, 3));
  let p = 3;
  while (p + 3 <= end && out.length < 10) {
    const len = m.readUIntBE(p, 3);
    if (p + 3 + len > end) break;
    out.push(Buffer.from(m.subarray(p + 3, p + 3 + len)));
    p += 3 + len;
  }
  return out;
}

/**
 * What the server answered, once enough bytes have come: a ServerHello (with the certificates if
 * `certificates` is set and the version sends them in the clear), an alert, or garbage with the
 * reason. Undefined while the answer is still incomplete.
 */
export function readServerAnswer(b: Buffer, o: { certificates?: boolean } = {}): ServerAnswer | undefined {
  let at = 0;
  let hs = Buffer.alloc(0);
  let hsAt = 0;
  let hello: Extract<ServerAnswer, { kind: "hello" }> | undefined;
  while (at + 5 <= b.length) {
    const type = b[at]!;
    if (type < 20 || type > 23 || b[at + 1] !== 3) {
      if (hello) return hello;
      const v2 = at === 0 && (type & 0x80) !== 0 && b.length > 2 && b[2] === 4;
      return { kind: "garbage", reason: v2 ? "an SSLv2 ServerHello" : "not a TLS record" };
    }
    const len = b.readUInt16BE(at + 3);
    if (len > MAX_RECORD) return hello ?? { kind: "garbage", reason: `a TLS record of ${len} bytes` };
    if (at + 5 + len > b.length) return undefined;
    const body = b.subarray(at + 5, at + 5 + len);
    at += 5 + len;
    if (type === 21) {
      if (hello) return hello;
      if (len < 2) return { kind: "garbage", reason: "an alert record too short" };
      return { kind: "alert", level: body[0]!, description: body[1]! };
    }
    if (type !== 22) {
      if (hello) return hello; // ChangeCipherSpec or encrypted data: nothing more in the clear
      return { kind: "garbage", reason: `a record of type ${type} before any ServerHello` };
    }
    hs = Buffer.concat([hs, body]);
    while (hsAt + 4 <= hs.length) {
      const msgType = hs[hsAt]!;
      const msgLen = hs.readUIntBE(hsAt + 1, 3);
      if (hsAt + 4 + msgLen > hs.length) break;
      const msg = hs.subarray(hsAt + 4, hsAt + 4 + msgLen);
      hsAt += 4 + msgLen;
      if (!hello) {
        if (msgType !== 2)
          return { kind: "garbage", reason: `handshake message ${msgType} before any ServerHello` };
        const sh = parseServerHello(msg);
        if (sh.kind !== "hello" || !o.certificates || sh.retry || sh.version >= 0x0304) return sh;
        hello = sh;
      } else if (msgType === 11) {
        return { ...hello, certificates: parseCertificates(msg) };
      } else if (msgType === 14) {
        return hello; // ServerHelloDone without a certificate: an anonymous suite
      }
    }
  }
  return undefined;
}
