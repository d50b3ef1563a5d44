// Reading the start of an SSH server's stream (RFC 4253): optional text lines, the identification
// line "SSH-protoversion-softwareversion comments", then binary packets (uint32 packet_length,
// byte padding_length, payload, padding; no MAC before the first key exchange) of which the first
// that matters is SSH_MSG_KEXINIT (20): a 16-byte cookie, ten comma-separated name-lists, a boolean
// and a reserved uint32. Every length is checked against the bytes actually there.

export interface KexInit {
  kex: string[];
  hostKey: string[];
  ciphersClientToServer: string[];
  ciphersServerToClient: string[];
  macsClientToServer: string[];
  macsServerToClient: string[];
  compressionClientToServer: string[];
  compressionServerToClient: string[];
  languagesClientToServer: string[];
  languagesServerToClient: string[];
  firstKexPacketFollows: boolean;
}

export type ServerStart =
  | { state: "more" }
  | { state: "error"; reason: string; versionLine?: string }
  | { state: "done"; versionLine: string; preamble: string[]; kexinit?: KexInit };

/** RFC 4253 4.2: the identification line is at most 255 bytes with its CR LF. */
const MAX_ID_LINE = 255;
/** Text a server may send before its identification line; more is a peer that never gets to it. */
const MAX_PREAMBLE_BYTES = 8192;
const MAX_PREAMBLE_LINES = 64;
/** RFC 4253 6.1: implementations must handle packets up to 35000 bytes; nothing larger is needed here. */
const MAX_PACKET = 35000;

const SSH_MSG = { disconnect: 1, ignore: 2, debug: 4, kexinit: 20 } as const;

/** Where the identification line is, once it has fully arrived. */
function findIdentification(
  b: Buffer,
): { line: string; preamble: string[]; next: number } | { error: string } | undefined {
  const preamble: string[] = [];
  let at = 0;
  for (;;) {
    const nl = b.indexOf(0x0a, at);
    const isId = b.subarray(at, at + 4).toString("latin1") === "SSH-";
    if (nl < 0) {
      if (isId && b.length - at > MAX_ID_LINE)
        return { error: `an identification line longer than ${MAX_ID_LINE} bytes` };
      if (at > MAX_PREAMBLE_BYTES || b.length > MAX_PREAMBLE_BYTES + MAX_ID_LINE)
        return { error: `no SSH identification line in the first ${MAX_PREAMBLE_BYTES} bytes` };
      return undefined;
    }
    const line = b.subarray(at, nl).toString("latin1").replace(/\r$/, "");
    if (isId) {
      if (nl + 1 - at > MAX_ID_LINE)
        return { error: `an identification line longer than ${MAX_ID_LINE} bytes` };
      return { line, preamble, next: nl + 1 };
    }
    preamble.push(line.slice(0, 200));
    at = nl + 1;
    if (preamble.length > MAX_PREAMBLE_LINES || at > MAX_PREAMBLE_BYTES)
      return {
        error: `no SSH identification line in the first ${preamble.length} lines (${at} bytes)`,
      };
  }
}

/** The name-lists of a KEXINIT payload, or why it is malformed. */
export function parseKexInit(p: Buffer): KexInit | string {
  if (p[0] !== SSH_MSG.kexinit) return `message ${p[0]} is not KEXINIT`;
  let at = 17; // message number and the 16-byte cookie
  const lists: string[][] = [];
  for (let i = 0; i < 10; i++) {
    if (at + 4 > p.length) return `KEXINIT ends inside name-list ${i + 1}`;
    const len = p.readUInt32BE(at);
    if (at + 4 + len > p.length) return `KEXINIT name-list ${i + 1} claims ${len} bytes, beyond the packet`;
    const text = p.subarray(at + 4, at + 4 + len).toString("latin1");
    // Algorithm names are printable US-ASCII without commas or spaces (RFC 4251 6).
    if (/[^\x21-\x7e]/.test(text))
      return `KEXINIT name-list ${i + 1} holds bytes that are not algorithm names`;
    lists.push(text === "" ? [] : text.split(","));
    at += 4 + len;
  }
  if (at + 5 > p.length) return "KEXINIT ends before its first_kex_packet_follows flag";
  const l = lists as [
    string[],
    string[],
    string[],
    string[],
    string[],
    string[],
    string[],
    string[],
    string[],
    string[],
  ];
  return {
    kex: l[0],
    hostKey: l[1],
    ciphersClientToServer: l[2],
    ciphersServerToClient: l[3],
    macsClientToServer: l[4],
    macsServerToClient: l[5],
    compressionClientToServer: l[6],
    compressionServerToClient: l[7],
    languagesClientToServer: l[8],
    languagesServerToClient: l[9],
    firstKexPacketFollows: p[at] !== 0,
  };
}

/** The protocol version of an identification line: "2.0", "1.99", "1.5". */
export const protocolOf = (line: string) => /^SSH-([^-]*)-/.exec(line)?.[1] ?? "";

/** Read what an SSH server sent so far: "more" until its identification line and KEXINIT are in. */
export function readServerStart(b: Buffer): ServerStart {
  const id = findIdentification(b);
  if (id === undefined) return { state: "more" };
  if ("error" in id) return { state: "error", reason: id.error };
  const versionLine = id.line;
  const protocol = protocolOf(versionLine);
  // An SSH-1-only server (1.x other than 1.99) speaks the old protocol, which has no KEXINIT.
  if (protocol !== "2.0" && protocol !== "1.99") return { state: "done", versionLine, preamble: id.preamble };
  let at = id.next;
  for (let skipped = 0; ; skipped++) {
    if (at + 5 > b.length) return { state: "more" };
    const length = b.readUInt32BE(at);
    if (length < 5 || length > MAX_PACKET)
      return { state: "error", reason: `a packet length of ${length} bytes`, versionLine };
    if (at + 4 + length > b.length) return { state: "more" };
    const padding = b[at + 4]!;
    if (padding + 1 > length)
      return {
        state: "error",
        reason: `padding of ${padding} bytes in a ${length}-byte packet`,
        versionLine,
      };
    const payload = b.subarray(at + 5, at + 4 + length - padding);
    at += 4 + length;
    if (payload.length === 0) return { state: "error", reason: "an empty packet", versionLine };
    const msg = payload[0]!;
    if (msg === SSH_MSG.kexinit) {
      const k = parseKexInit(payload);
      if (typeof k === "string") return { state: "error", reason: k, versionLine };
      return { state: "done", versionLine, preamble: id.preamble, kexinit: k };
    }
    if (msg === SSH_MSG.disconnect) {
      const len = payload.length >= 9 ? payload.readUInt32BE(5) : 0;
      const text = payload.subarray(9, 9 + Math.min(len, 200)).toString("utf8");
      return { state: "error", reason: `the server disconnected${text ? `: ${text}` : ""}`, versionLine };
    }
    if ((msg !== SSH_MSG.ignore && msg !== SSH_MSG.debug) || skipped >= 8)
      return { state: "error", reason: `message ${msg} where KEXINIT was expected`, versionLine };
  }
}
