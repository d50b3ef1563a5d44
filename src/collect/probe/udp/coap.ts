// CoAP (RFC 7252) resource discovery: a confirmable GET /.well-known/core to UDP 5683, the
// link-format answer (RFC 6690) read block by block (RFC 7959 Block2, bounded), then a GET of each
// listed resource on the same server (GET is safe by RFC 7252 section 5.8.1; bounded in number)
// to see which ones answer an anonymous client. Port 5683 is CoAP without DTLS ("NoSec" mode).
import type { Scope } from "../scope.js";
import type { TargetTester, TesterOutput } from "../testers.js";
import { askUdp, silence, udpPortsFor, udpWhere } from "./common.js";
import type { CoapData, CoapRead, CoapResource } from "../../../evidence/probe-udp.js";

export class CoapError extends Error {}

export const CON = 0;
export const NON = 1;
export const ACK = 2;
export const RST = 3;
export const OPT = { uriPath: 11, contentFormat: 12, uriQuery: 15, block2: 23 } as const;

const MAX_OPTIONS = 32;
const MAX_BLOCKS = 8;
const MAX_PAYLOAD = 16384;
const MAX_READS = 8;
const MAX_LINKS = 64;

export interface CoapMessage {
  type: number;
  code: number;
  messageId: number;
  token: Buffer;
  options: { number: number; value: Buffer }[];
  payload: Buffer;
}

/** "2.05" from 0x45. */
export function codeString(code: number): string {
  return `${code >> 5}.${String(code & 0x1f).padStart(2, "0")}`;
}

function optionNibble(n: number): { nibble: number; ext: Buffer } {
  if (n < 13) return { nibble: n, ext: Buffer.alloc(0) };
  if (n < 269) return { nibble: 13, ext: Buffer.from([n - 13]) };
  const ext = Buffer.alloc(2);
  ext.writeUInt16BE(n - 269);
  return { nibble: 14, ext };
}

export function encodeMessage(m: Omit<CoapMessage, "payload"> & { payload?: Buffer }): Buffer {
  if (m.token.length > 8) throw new CoapError("a token is at most 8 bytes");
  const head = Buffer.from([
    0x40 | (m.type << 4) | m.token.length,
    m.code,
    m.messageId >> 8,
    m.messageId & 0xff,
  ]);
  const parts = [head, m.token];
  let last = 0;
  for (const o of [...m.options].sort((a, b) => a.number - b.number)) {
    const d = optionNibble(o.number - last);
    const l = optionNibble(o.value.length);
    parts.push(Buffer.from([(d.nibble << 4) | l.nibble]), d.ext, l.ext, o.value);
    last = o.number;
  }
  if (m.payload?.length) parts.push(Buffer.from([0xff]), m.payload);
  return Buffer.concat(parts);
}

export function decodeMessage(b: Buffer): CoapMessage {
  if (b.length < 4) throw new CoapError(`${b.length} bytes is shorter than a CoAP header`);
  if (b[0]! >> 6 !== 1) throw new CoapError(`version ${b[0]! >> 6}, not 1`);
  const tkl = b[0]! & 0x0f;
  if (tkl > 8) throw new CoapError(`token length ${tkl} is reserved`);
  if (4 + tkl > b.length) throw new CoapError("the token runs past the end");
  const options: CoapMessage["options"] = [];
  let p = 4 + tkl;
  let number = 0;
  let payload: Buffer = Buffer.alloc(0);
  const ext = (nibble: number): number => {
    if (nibble < 13) return nibble;
    if (nibble === 13) {
      if (p >= b.length) throw new CoapError("an option runs past the end");
      return b[p++]! + 13;
    }
    if (nibble === 14) {
      if (p + 1 >= b.length) throw new CoapError("an option runs past the end");
      const v = b.readUInt16BE(p) + 269;
      p += 2;
      return v;
    }
    throw new CoapError("option nibble 15 is reserved");
  };
  while (p < b.length) {
    if (b[p] === 0xff) {
      if (p + 1 >= b.length) throw new CoapError("a payload marker with no payload");
      payload = b.subarray(p + 1);
      break;
    }
    if (options.length >= MAX_OPTIONS) throw new CoapError(`more than ${MAX_OPTIONS} options`);
    const byte = b[p++]!;
    number += ext(byte >> 4);
    const len = ext(byte & 0x0f);
    if (p + len > b.length) throw new CoapError(`option ${number} claims ${len} bytes past the end`);
    options.push({ number, value: b.subarray(p, p + len) });
    p += len;
  }
  return {
    type: (b[0]! >> 4) & 3,
    code: b[1]!,
    messageId: b.readUInt16BE(2),
    token: b.subarray(4, 4 + tkl),
    options,
    payload,
  };
}

function uint(v: Buffer): number {
  let n = 0;
  for (const x of v.subarray(0, 4)) n = n * 256 + x;
  return n;
}

function uintBytes(n: number): Buffer {
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return Buffer.from(out);
}

/** A link-format path segment as the Uri-Path option carries it (decoded); malformed escapes stay as they are. */
function percentDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** A confirmable GET of a path ("/a/b"), optionally asking for block `num` of size 2^(szx+4). */
export function getRequest(
  messageId: number,
  token: Buffer,
  path: string,
  block?: { num: number; szx: number },
): Buffer {
  const options: CoapMessage["options"] = path
    .split("/")
    .filter((s) => s !== "")
    .map((s) => ({ number: OPT.uriPath, value: Buffer.from(percentDecode(s), "utf8") }));
  if (block) options.push({ number: OPT.block2, value: uintBytes((block.num << 4) | block.szx) });
  return encodeMessage({ type: CON, code: 0x01, messageId, token, options });
}

/** RFC 6690 link-format: `</path>;rt="x";if=y, ...`, bounded in links and attribute sizes. */
export function parseLinkFormat(text: string): CoapResource[] {
  const out: CoapResource[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  while (i < text.length && out.length < MAX_LINKS) {
    skipSpace();
    if (text[i] !== "<") break;
    const close = text.indexOf(">", i);
    if (close < 0) break;
    const res: CoapResource = { path: text.slice(i + 1, close).slice(0, 300), attributes: {} };
    i = close + 1;
    while (i < text.length && text[i] === ";") {
      i++;
      const m = /^([A-Za-z0-9!#$&+\-.^_`|~*]+)/.exec(text.slice(i, i + 64));
      if (!m) break;
      i += m[1]!.length;
      let value: string | true = true;
      if (text[i] === "=") {
        i++;
        if (text[i] === '"') {
          let v = "";
          for (i++; i < text.length && text[i] !== '"'; i++) {
            if (text[i] === "\\" && i + 1 < text.length) i++;
            v += text[i];
          }
          i++; // the closing quote
          value = v.slice(0, 200);
        } else {
          const start = i;
          while (i < text.length && !/[;,]/.test(text[i]!)) i++;
          value = text.slice(start, i).trim().slice(0, 200);
        }
      }
      if (Object.keys(res.attributes).length < 16) res.attributes[m[1]!] = value;
    }
    out.push(res);
    skipSpace();
    if (text[i] !== ",") break;
    i++;
  }
  return out;
}

interface Answer {
  message?: CoapMessage;
  reason?: string;
}

async function get(
  scope: Scope,
  target: { address: string },
  port: number,
  data: CoapData,
  messageId: number,
  path: string,
  block?: { num: number; szx: number },
): Promise<Answer | undefined> {
  const token = Buffer.from([0x43, 0x43, messageId >> 8, messageId & 0xff]);
  const step = `coap GET ${path}${block ? ` block ${block.num}` : ""}`;
  const r = await askUdp(scope, target.address, port, getRequest(messageId, token, path, block), step, {
    maxBytes: 2048,
  });
  if (!r) return undefined;
  data.transcripts.push(r.transcript);
  const d = r.received[0];
  if (!d) return { reason: silence(r) };
  let m: CoapMessage;
  try {
    m = decodeMessage(d);
  } catch (e) {
    return { reason: `not CoAP: ${(e as Error).message}` };
  }
  if (m.type === RST) return { reason: "reset by the server (RST)" };
  if (m.type === ACK && m.code === 0)
    return { reason: "acknowledged with a separate response to follow (not awaited)" };
  if (m.type === ACK ? m.messageId !== messageId : !m.token.equals(token))
    return { reason: "an answer to some other request" };
  return { message: m };
}

export async function probeCoap(
  scope: Scope,
  target: { host: string; address: string },
  port: number,
): Promise<CoapData | undefined> {
  const data: CoapData = { ...target, port, answered: false, resources: [], reads: [], transcripts: [] };
  let mid = 0x4300;
  const first = await get(scope, target, port, data, mid++, "/.well-known/core");
  if (!first) return undefined;
  if (!first.message) return { ...data, reason: first.reason };
  data.answered = true;
  let m = first.message;
  data.code = codeString(m.code);
  const cf = m.options.find((o) => o.number === OPT.contentFormat);
  if (cf) data.contentFormat = uint(cf.value);
  if (m.code >> 5 !== 2) return data;
  const chunks = [m.payload];
  let size = m.payload.length;
  let blocks = 1;
  for (;;) {
    const b2 = m.options.find((o) => o.number === OPT.block2);
    if (!b2) break;
    const v = uint(b2.value);
    const more = (v & 0x08) !== 0;
    if (!more) break;
    if (blocks >= MAX_BLOCKS || size >= MAX_PAYLOAD) {
      data.truncated = true;
      break;
    }
    const next = await get(scope, target, port, data, mid++, "/.well-known/core", {
      num: (v >> 4) + 1,
      szx: Math.min(v & 0x07, 6),
    });
    if (!next?.message || next.message.code >> 5 !== 2) {
      data.truncated = true;
      break;
    }
    m = next.message;
    chunks.push(m.payload);
    size += m.payload.length;
    blocks++;
  }
  data.blocks = blocks;
  data.resources = parseLinkFormat(Buffer.concat(chunks).subarray(0, MAX_PAYLOAD).toString("utf8"));
  // Read the resources this server lists as its own (relative paths), never another host's.
  const own = data.resources
    .map((r) => r.path)
    .filter((p) => p.startsWith("/") && !p.startsWith("//") && p !== "/.well-known/core");
  for (const path of [...new Set(own)].slice(0, MAX_READS)) {
    const r = await get(scope, target, port, data, mid++, path.split("?")[0]!);
    const read: CoapRead = { path };
    if (r?.message)
      Object.assign(read, { code: codeString(r.message.code), bytes: r.message.payload.length });
    else read.reason = r?.reason ?? "dry run";
    data.reads.push(read);
  }
  return data;
}

export const coapTester: TargetTester = {
  id: "coap",
  version: "0.1.0",
  kind: "probe.coap",
  description:
    "CoAP on UDP 5683 (no DTLS): GET /.well-known/core, then a GET of each listed resource to see which answer anonymously",
  async run(scope, target, opts) {
    const out: TesterOutput[] = [];
    for (const port of udpPortsFor(opts, "coap")) {
      const data = await probeCoap(scope, target, port);
      if (data) out.push({ location: udpWhere(target.address, port), data });
    }
    return out;
  },
};
