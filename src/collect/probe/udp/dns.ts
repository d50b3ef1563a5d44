// The DNS wire format (RFC 1035) as mDNS uses it (RFC 6762): a query encoder and a bounded
// message parser. Names are decompressed with every pointer required to point strictly before
// the label that holds it (so a chain can never loop), a cap on jumps and the 255-octet name
// limit; record counts are capped and every length is checked against the datagram.

export class DnsError extends Error {}

export const TYPE = { A: 1, PTR: 12, TXT: 16, AAAA: 28, SRV: 33, ANY: 255 } as const;
const TYPE_NAMES: Record<number, string> = {
  1: "A",
  12: "PTR",
  16: "TXT",
  28: "AAAA",
  33: "SRV",
  47: "NSEC",
};

const MAX_NAME = 255;
const MAX_JUMPS = 32;
const MAX_RECORDS = 64;

export interface DnsRecord {
  name: string;
  type: string;
  /** Class without the mDNS cache-flush bit. */
  class: number;
  ttl: number;
  /** PTR/SRV target name, A/AAAA address, TXT strings; raw length for other types. */
  data: { name?: string; address?: string; port?: number; txt?: string[]; bytes?: number };
}

export interface DnsMessage {
  id: number;
  flags: number;
  questions: { name: string; type: string; class: number }[];
  answers: DnsRecord[];
  authority: DnsRecord[];
  additional: DnsRecord[];
}

function encodeName(name: string): Buffer {
  const parts: Buffer[] = [];
  for (const label of name.replace(/\.$/, "").split(".")) {
    const b = Buffer.from(label, "utf8");
    if (b.length === 0 || b.length > 63) throw new DnsError(`"${name}" has an empty or too long label`);
    parts.push(Buffer.from([b.length]), b);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

/**
 * A query for one name and type. `unicastResponse` sets the QU bit (RFC 6762 section 5.4): the
 * top bit of the question class, asking the responder to answer us directly.
 */
export function encodeQuery(id: number, name: string, type: number, unicastResponse: boolean): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(1, 4); // QDCOUNT
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(type, 0);
  tail.writeUInt16BE(unicastResponse ? 0x8001 : 0x0001, 2);
  return Buffer.concat([header, encodeName(name), tail]);
}

/** The name at `at`, decompressed, and the offset just after it in the original position. */
export function readName(buf: Buffer, at: number): { name: string; end: number } {
  const labels: string[] = [];
  let p = at;
  let end = -1;
  let jumps = 0;
  let length = 0;
  // Every pointer must go strictly backwards from the label holding it: with that rule the
  // offsets visited strictly decrease at each jump, so no chain can loop.
  let limit = at;
  for (;;) {
    if (p >= buf.length) throw new DnsError(`name at offset ${at} runs past the end`);
    const len = buf[p]!;
    if (len === 0) {
      if (end < 0) end = p + 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (p + 1 >= buf.length) throw new DnsError(`truncated pointer at offset ${p}`);
      const target = ((len & 0x3f) << 8) | buf[p + 1]!;
      if (target >= limit) throw new DnsError(`compression pointer at offset ${p} does not point backwards`);
      if (++jumps > MAX_JUMPS) throw new DnsError(`more than ${MAX_JUMPS} compression pointers in one name`);
      if (end < 0) end = p + 2;
      limit = target;
      p = target;
      continue;
    }
    if (len & 0xc0) throw new DnsError(`reserved label type 0x${len.toString(16)} at offset ${p}`);
    if (p + 1 + len > buf.length) throw new DnsError(`label at offset ${p} runs past the end`);
    length += len + 1;
    if (length > MAX_NAME) throw new DnsError(`name at offset ${at} is longer than ${MAX_NAME} octets`);
    labels.push(buf.toString("utf8", p + 1, p + 1 + len));
    p += 1 + len;
  }
  return { name: labels.join(".") || ".", end };
}

function readRecord(buf: Buffer, at: number): { rec: DnsRecord; end: number } {
  const { name, end: p } = readName(buf, at);
  if (p + 10 > buf.length) throw new DnsError(`record "${name}" is truncated`);
  const type = buf.readUInt16BE(p);
  const cls = buf.readUInt16BE(p + 2) & 0x7fff;
  const ttl = buf.readUInt32BE(p + 4);
  const rdlen = buf.readUInt16BE(p + 8);
  const rd = p + 10;
  if (rd + rdlen > buf.length) throw new DnsError(`record "${name}" claims ${rdlen} bytes past the end`);
  const data: DnsRecord["data"] = {};
  if (type === TYPE.PTR) data.name = readName(buf, rd).name;
  else if (type === TYPE.SRV) {
    if (rdlen < 7) throw new DnsError(`SRV record "${name}" is too short`);
    data.port = buf.readUInt16BE(rd + 4);
    data.name = readName(buf, rd + 6).name;
  } else if (type === TYPE.A && rdlen === 4) data.address = [...buf.subarray(rd, rd + 4)].join(".");
  else if (type === TYPE.AAAA && rdlen === 16) {
    const words: string[] = [];
    for (let i = 0; i < 16; i += 2) words.push(buf.readUInt16BE(rd + i).toString(16));
    data.address = words.join(":");
  } else if (type === TYPE.TXT) {
    const txt: string[] = [];
    for (let q = rd; q < rd + rdlen && txt.length < 32;) {
      const l = buf[q]!;
      if (q + 1 + l > rd + rdlen) throw new DnsError(`TXT record "${name}" has a string past its end`);
      txt.push(buf.toString("utf8", q + 1, q + 1 + l).slice(0, 200));
      q += 1 + l;
    }
    data.txt = txt;
  } else data.bytes = rdlen;
  return { rec: { name, type: TYPE_NAMES[type] ?? String(type), class: cls, ttl, data }, end: rd + rdlen };
}

export function parseMessage(buf: Buffer): DnsMessage {
  if (buf.length < 12) throw new DnsError(`${buf.length} bytes is shorter than a DNS header`);
  const counts = [4, 6, 8, 10].map((o) => buf.readUInt16BE(o));
  if (counts.some((c) => c > MAX_RECORDS))
    throw new DnsError(`section counts ${counts.join("/")} exceed ${MAX_RECORDS} records`);
  let p = 12;
  const questions: DnsMessage["questions"] = [];
  for (let i = 0; i < counts[0]!; i++) {
    const { name, end } = readName(buf, p);
    if (end + 4 > buf.length) throw new DnsError(`question "${name}" is truncated`);
    const type = buf.readUInt16BE(end);
    questions.push({
      name,
      type: TYPE_NAMES[type] ?? String(type),
      class: buf.readUInt16BE(end + 2) & 0x7fff,
    });
    p = end + 4;
  }
  const section = (n: number) => {
    const out: DnsRecord[] = [];
    for (let i = 0; i < n; i++) {
      const { rec, end } = readRecord(buf, p);
      out.push(rec);
      p = end;
    }
    return out;
  };
  const answers = section(counts[1]!);
  const authority = section(counts[2]!);
  const additional = section(counts[3]!);
  return { id: buf.readUInt16BE(0), flags: buf.readUInt16BE(2), questions, answers, authority, additional };
}
