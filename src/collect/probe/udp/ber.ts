// The slice of ASN.1 BER that SNMP needs (X.690 definite-length encodings only): encoders for the
// requests we send and a bounded decoder for what comes back. The decoder never trusts a length:
// every length is checked against the bytes that are there, nesting depth and element counts are
// capped, and indefinite lengths and multi-byte tags (which SNMP never uses) are refused.

export class BerError extends Error {}

export const TAG = {
  integer: 0x02,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  sequence: 0x30,
  ipAddress: 0x40,
  counter32: 0x41,
  gauge32: 0x42,
  timeTicks: 0x43,
  opaque: 0x44,
  counter64: 0x46,
  noSuchObject: 0x80,
  noSuchInstance: 0x81,
  endOfMibView: 0x82,
  getRequest: 0xa0,
  getNextRequest: 0xa1,
  response: 0xa2,
  setRequest: 0xa3,
  trap: 0xa4,
  getBulkRequest: 0xa5,
  inform: 0xa6,
  trapV2: 0xa7,
  report: 0xa8,
} as const;

export interface Tlv {
  tag: number;
  /** The contents octets. */
  value: Buffer;
  /** Decoded children when the constructed bit (0x20) is set. */
  children?: Tlv[];
}

const MAX_DEPTH = 12;
const MAX_CHILDREN = 256;

function encodeLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(value.length), value]);
}

export function seq(tag: number, ...parts: Buffer[]): Buffer {
  return tlv(tag, Buffer.concat(parts));
}

/** A two's-complement INTEGER in the fewest octets. */
export function int(n: number, tag: number = TAG.integer): Buffer {
  if (!Number.isSafeInteger(n)) throw new BerError(`${n} is not an integer BER can carry here`);
  const bytes: number[] = [];
  let v = BigInt(n);
  for (;;) {
    const b = Number(v & 0xffn);
    bytes.unshift(b);
    v >>= 8n;
    if ((v === 0n && (b & 0x80) === 0) || (v === -1n && (b & 0x80) !== 0)) break;
  }
  return tlv(tag, Buffer.from(bytes));
}

export function octets(s: Buffer | string): Buffer {
  return tlv(TAG.octetString, typeof s === "string" ? Buffer.from(s, "latin1") : s);
}

export function nul(): Buffer {
  return Buffer.from([TAG.null, 0]);
}

export function oid(dotted: string): Buffer {
  const parts = dotted.split(".").map((p) => {
    if (!/^\d+$/.test(p)) throw new BerError(`"${dotted}" is not a dotted OID`);
    return Number(p);
  });
  if (parts.length < 2 || parts[0]! > 2 || (parts[0]! < 2 && parts[1]! > 39))
    throw new BerError(`"${dotted}" is not a valid OID`);
  const subs = [parts[0]! * 40 + parts[1]!, ...parts.slice(2)];
  const out: number[] = [];
  for (const s of subs) {
    const chunk: number[] = [s & 0x7f];
    for (let v = Math.floor(s / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(TAG.oid, Buffer.from(out));
}

/** One TLV at `at`; its end offset is returned so callers can walk a list of them. */
function decodeAt(buf: Buffer, at: number, depth: number): { node: Tlv; end: number } {
  if (depth > MAX_DEPTH) throw new BerError(`nested deeper than ${MAX_DEPTH} levels`);
  if (at + 2 > buf.length) throw new BerError(`truncated header at offset ${at}`);
  const tag = buf[at]!;
  if ((tag & 0x1f) === 0x1f) throw new BerError(`multi-byte tag at offset ${at} (not used by SNMP)`);
  let len = buf[at + 1]!;
  let p = at + 2;
  if (len === 0x80) throw new BerError(`indefinite length at offset ${at} (not allowed in SNMP)`);
  if (len > 0x80) {
    const n = len & 0x7f;
    if (n > 4) throw new BerError(`length of ${n} octets at offset ${at}`);
    if (p + n > buf.length) throw new BerError(`truncated length at offset ${at}`);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i]!;
    p += n;
  }
  const end = p + len;
  if (end > buf.length)
    throw new BerError(`element at offset ${at} claims ${len} bytes; only ${buf.length - p} are there`);
  const node: Tlv = { tag, value: buf.subarray(p, end) };
  if (tag & 0x20) node.children = decodeList(node.value, depth + 1);
  return { node, end };
}

/** The TLVs that fill `buf` exactly. */
export function decodeList(buf: Buffer, depth = 0): Tlv[] {
  const out: Tlv[] = [];
  let at = 0;
  while (at < buf.length) {
    if (out.length >= MAX_CHILDREN) throw new BerError(`more than ${MAX_CHILDREN} elements in one list`);
    const { node, end } = decodeAt(buf, at, depth);
    out.push(node);
    at = end;
  }
  return out;
}

/** One TLV at the start of `buf`; bytes after it are ignored (some agents pad datagrams). */
export function decode(buf: Buffer): Tlv {
  return decodeAt(buf, 0, 0).node;
}

/** An INTEGER (or Counter32, Gauge32, TimeTicks) as a number; refuses more than 6 content octets. */
export function readInt(t: Tlv | undefined, what: string): number {
  if (!t) throw new BerError(`${what} is missing`);
  const v = t.value;
  if (v.length === 0 || v.length > 6) throw new BerError(`${what} has ${v.length} octets`);
  const hex = BigInt(`0x${v.toString("hex")}`);
  if (t.tag === TAG.integer) return Number(BigInt.asIntN(v.length * 8, hex));
  const n = Number(hex);
  return n;
}

export function readOid(t: Tlv | undefined, what: string): string {
  if (!t || t.tag !== TAG.oid) throw new BerError(`${what} is not an OID`);
  const v = t.value;
  if (v.length === 0 || v.length > 128) throw new BerError(`${what} has ${v.length} octets`);
  const subs: number[] = [];
  let cur = 0;
  for (let i = 0; i < v.length; i++) {
    cur = cur * 128 + (v[i]! & 0x7f);
    if (cur > Number.MAX_SAFE_INTEGER / 128) throw new BerError(`${what} has a sub-identifier too large`);
    if ((v[i]! & 0x80) === 0) {
      subs.push(cur);
      cur = 0;
    } else if (i === v.length - 1) throw new BerError(`${what} ends inside a sub-identifier`);
  }
  const first = subs.shift()!;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...subs].join(".");
}

export function readOctets(t: Tlv | undefined, what: string): Buffer {
  if (!t || t.tag !== TAG.octetString) throw new BerError(`${what} is not an OCTET STRING`);
  return t.value;
}

/** A varbind value for the record: strings as text when printable, numbers as numbers. */
export function describeValue(t: Tlv): { type: string; value: string | number } {
  switch (t.tag) {
    case TAG.octetString: {
      const printable = t.value.every((b) => (b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d || b === 9);
      return {
        type: "octets",
        value: printable ? t.value.toString("latin1") : `0x${t.value.toString("hex")}`,
      };
    }
    case TAG.integer:
      return { type: "integer", value: readInt(t, "INTEGER") };
    case TAG.counter32:
    case TAG.gauge32:
    case TAG.timeTicks:
      return {
        type: t.tag === TAG.timeTicks ? "timeticks" : t.tag === TAG.gauge32 ? "gauge32" : "counter32",
        value: readInt(t, "counter"),
      };
    case TAG.counter64:
      return { type: "counter64", value: BigInt(`0x${t.value.toString("hex") || "0"}`).toString() };
    case TAG.oid:
      return { type: "oid", value: readOid(t, "value") };
    case TAG.ipAddress:
      return { type: "ipaddress", value: [...t.value].join(".") };
    case TAG.null:
      return { type: "null", value: "" };
    case TAG.noSuchObject:
      return { type: "noSuchObject", value: "" };
    case TAG.noSuchInstance:
      return { type: "noSuchInstance", value: "" };
    case TAG.endOfMibView:
      return { type: "endOfMibView", value: "" };
    default:
      return { type: `tag 0x${t.tag.toString(16)}`, value: `0x${t.value.subarray(0, 64).toString("hex")}` };
  }
}
