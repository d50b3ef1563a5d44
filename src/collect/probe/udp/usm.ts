// SNMPv3 User-based Security Model (RFC 3414), the part a default-user test needs: turning a
// password into a key (section A.2: the password repeated to 1 MiB and hashed, then localized with
// the agent's engine ID), HMAC-MD5-96 and HMAC-SHA-96 authentication parameters (sections 6 and 7:
// an ordinary HMAC of the whole message, with the 12 parameter octets zero, cut to 12 octets),
// building a GetRequest for one user, and reading the answer: a Response, or a Report naming
// the usmStats counter that refused it. Privacy (encryption) is never used: a request that
// authenticates is proof enough that the password is right.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import {
  BerError,
  decode,
  int,
  nul,
  octets,
  oid,
  readInt,
  readOctets,
  readOid,
  seq,
  TAG,
  type Tlv,
} from "./ber.js";

export type AuthProtocol = "MD5" | "SHA";

const HASH: Record<AuthProtocol, "md5" | "sha1"> = { MD5: "md5", SHA: "sha1" };

/** The length of msgAuthenticationParameters for HMAC-MD5-96 and HMAC-SHA-96. */
export const AUTH_PARAMS_LENGTH = 12;

/** RFC 3414 A.2: the password repeated to fill 1,048,576 octets, hashed (Ku). */
export function passwordToKey(password: string, auth: AuthProtocol): Buffer {
  const p = Buffer.from(password, "utf8");
  if (p.length === 0) throw new Error("an SNMPv3 authentication password cannot be empty");
  // Buffer.alloc repeats a fill buffer to the length asked: exactly the RFC's expansion.
  return createHash(HASH[auth])
    .update(Buffer.alloc(1 << 20, p))
    .digest();
}

/** RFC 3414 A.2: Kul = H(Ku || engineID || Ku), the key this one agent uses for the user. */
export function localizeKey(ku: Buffer, engineId: Buffer, auth: AuthProtocol): Buffer {
  return createHash(HASH[auth])
    .update(Buffer.concat([ku, engineId, ku]))
    .digest();
}

const masterKeys = new Map<string, Buffer>();

/** The localized key, with Ku cached per password (each costs 1 MiB of hashing). */
export function userKey(password: string, auth: AuthProtocol, engineId: Buffer): Buffer {
  const k = `${auth}\u0000${password}`;
  let ku = masterKeys.get(k);
  if (!ku) {
    ku = passwordToKey(password, auth);
    if (masterKeys.size < 256) masterKeys.set(k, ku);
  }
  return localizeKey(ku, engineId, auth);
}

/** HMAC-MD5-96 / HMAC-SHA-96 of a whole message (its authentication parameters zeroed by the caller). */
export function authParams(message: Buffer, key: Buffer, auth: AuthProtocol): Buffer {
  return createHmac(HASH[auth], key).update(message).digest().subarray(0, AUTH_PARAMS_LENGTH);
}

export interface V3Request {
  msgId: number;
  requestId: number;
  engineId: Buffer;
  engineBoots: number;
  engineTime: number;
  user: string;
  /** Absent: noAuthNoPriv. */
  auth?: { protocol: AuthProtocol; key: Buffer };
  oids: string[];
}

export interface V3Parts {
  msgId: number;
  /** Reportable (0x04) is added for requests by the caller; auth (0x01) follows from `auth`. */
  reportable: boolean;
  engineId: Buffer;
  engineBoots: number;
  engineTime: number;
  user: string;
  auth?: { protocol: AuthProtocol; key: Buffer };
  /** The PDU tag (getRequest, response, report) and its fields. */
  pdu: { tag: number; requestId: number; errorStatus?: number; errorIndex?: number; varbinds: Buffer[] };
}

/**
 * A plaintext SNMPv3 message (RFC 3412 section 6, RFC 3414 section 2.4) with the context of the
 * agent's own engine and the default context "", authenticated when a key is given: the HMAC is
 * computed over the whole message with 12 zero octets in its place, then written there.
 */
export function v3Message(p: V3Parts): Buffer {
  const flags = (p.auth ? 0x01 : 0) | (p.reportable ? 0x04 : 0);
  const global = seq(TAG.sequence, int(p.msgId), int(65507), octets(Buffer.from([flags])), int(3));
  const usm = seq(
    TAG.sequence,
    octets(p.engineId),
    int(p.engineBoots),
    int(p.engineTime),
    octets(p.user),
    octets(Buffer.alloc(p.auth ? AUTH_PARAMS_LENGTH : 0)),
    octets(""),
  );
  const pdu = seq(
    p.pdu.tag,
    int(p.pdu.requestId),
    int(p.pdu.errorStatus ?? 0),
    int(p.pdu.errorIndex ?? 0),
    seq(TAG.sequence, ...p.pdu.varbinds),
  );
  const scoped = seq(TAG.sequence, octets(p.engineId), octets(""), pdu);
  const msg = seq(TAG.sequence, int(3), global, octets(usm), scoped);
  if (!p.auth) return msg;
  const mac = authParams(msg, p.auth.key, p.auth.protocol);
  mac.copy(msg, readV3(msg).authParamsOffset);
  return msg;
}

/** A reportable GetRequest, each OID bound to NULL. */
export function v3GetRequest(r: V3Request): Buffer {
  return v3Message({
    msgId: r.msgId,
    reportable: true,
    engineId: r.engineId,
    engineBoots: r.engineBoots,
    engineTime: r.engineTime,
    user: r.user,
    ...(r.auth ? { auth: r.auth } : {}),
    pdu: {
      tag: TAG.getRequest,
      requestId: r.requestId,
      varbinds: r.oids.map((o) => seq(TAG.sequence, oid(o), nul())),
    },
  });
}

export interface V3Message {
  msgId: number;
  flags: number;
  engineId: Buffer;
  engineBoots: number;
  engineTime: number;
  userName: string;
  authParams: Buffer;
  /** Where the authentication parameters sit in the message, for checking the HMAC. */
  authParamsOffset: number;
  /** The plaintext scoped PDU; absent when it is encrypted. */
  pdu?: { type: number; requestId: number; errorStatus: number; varbinds: { oid: string; value: Tlv }[] };
}

/** Reads an SNMPv3 message far enough to judge it; throws BerError on anything else. */
export function readV3(buf: Buffer): V3Message {
  const top = decode(buf);
  const [ver, global, sec, scoped] = top.children ?? [];
  if (top.tag !== TAG.sequence || readInt(ver, "msgVersion") !== 3)
    throw new BerError("not an SNMPv3 message");
  const [id, , flagsTlv] = global?.children ?? [];
  const flagsOctets = readOctets(flagsTlv, "msgFlags");
  if (flagsOctets.length !== 1) throw new BerError("msgFlags is not one octet");
  const usm = decode(readOctets(sec, "msgSecurityParameters"));
  const [eid, boots, time, user, ap] = usm.children ?? [];
  const authParamsValue = readOctets(ap, "msgAuthenticationParameters");
  const out: V3Message = {
    msgId: readInt(id, "msgID"),
    flags: flagsOctets[0]!,
    engineId: readOctets(eid, "msgAuthoritativeEngineID"),
    engineBoots: readInt(boots, "msgAuthoritativeEngineBoots"),
    engineTime: readInt(time, "msgAuthoritativeEngineTime"),
    userName: readOctets(user, "msgUserName").toString("latin1"),
    authParams: authParamsValue,
    // decode() keeps views into the one buffer, so the offset is exact.
    authParamsOffset: authParamsValue.byteOffset - buf.byteOffset,
  };
  if (scoped?.tag === TAG.sequence) {
    const p = scoped.children?.[2];
    if (!p?.children || p.tag < 0xa0 || p.tag > 0xa8) throw new BerError("no PDU in the scoped PDU");
    const [rid, es, , vbl] = p.children;
    out.pdu = {
      type: p.tag,
      requestId: readInt(rid, "request-id"),
      errorStatus: readInt(es, "error-status"),
      varbinds: (vbl?.children ?? []).slice(0, 32).map((vb) => {
        if (!vb.children || vb.children.length < 2) throw new BerError("a varbind is not a pair");
        return { oid: readOid(vb.children[0], "varbind name"), value: vb.children[1]! };
      }),
    };
  }
  return out;
}

/** Whether an authenticated message carries the right HMAC for the key (constant-time compare). */
export function verifyAuth(buf: Buffer, m: V3Message, key: Buffer, auth: AuthProtocol): boolean {
  if ((m.flags & 0x01) === 0 || m.authParams.length !== AUTH_PARAMS_LENGTH) return false;
  const zeroed = Buffer.from(buf);
  zeroed.fill(0, m.authParamsOffset, m.authParamsOffset + AUTH_PARAMS_LENGTH);
  return timingSafeEqual(authParams(zeroed, key, auth), m.authParams);
}
