// The JFFS2 node log: nodes of any order, 4-byte aligned, each with a 12-byte header (magic
// 0x1985, type, total length, header CRC), in little- or big-endian order; erased flash (0xFF)
// fills the ends of erase blocks. The scan keeps every directory entry and inode node whose
// CRCs hold, like the kernel's mount scan; which version wins is decided by the caller.
import type { FormatContext } from "../types.js";
import type { Source } from "../../source.js";
import { crc32Update } from "../../codecs/checksums.js";

export const MAGIC = 0x1985;
const ACCURATE = 0x2000; // cleared on nodes made obsolete in place
const DIRENT = 0xe001;
const INODE = 0xe002;
export const KNOWN_TYPES = new Set([DIRENT, INODE, 0x2003, 0x2004, 0x2006, 0xe008, 0xe009]);
const INCOMPAT = 0xc000;
const HEADER = 12;
const DIRENT_LEN = 40;
const INODE_LEN = 68;
/** How far past unreadable bytes to look for the next node before calling the log ended. */
const RESYNC_WINDOW = 1024 * 1024;

export interface Endian {
  u16(b: Uint8Array, o: number): number;
  u32(b: Uint8Array, o: number): number;
}

export const LE: Endian = {
  u16: (b, o) => b[o]! | (b[o + 1]! << 8),
  u32: (b, o) => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0,
};
export const BE: Endian = {
  u16: (b, o) => (b[o]! << 8) | b[o + 1]!,
  u32: (b, o) => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0,
};

/** JFFS2's CRC: the raw CRC-32 register update from zero (the kernel's crc32(0, ...)). */
export const jffs2Crc = (b: Uint8Array) => crc32Update(0, b);

export interface DirentNode {
  pino: number;
  version: number;
  ino: number;
  type: number;
  name: string;
}

export interface InodeNode {
  ino: number;
  version: number;
  mode: number;
  uid: number;
  gid: number;
  isize: number;
  mtime: number;
  offset: number;
  csize: number;
  dsize: number;
  compr: number;
  /** Where the (compressed) data starts in the source. */
  dataAt: number;
}

export interface NodeLog {
  endian: Endian;
  dirents: DirentNode[];
  inodes: InodeNode[];
  /** End of the last node read, or of the erased flash after it. */
  end: number;
}

/** Whether a valid node header (CRC included) starts at `pos`; its byte order if so. */
export function headerAt(src: Source, pos: number): Endian | undefined {
  const h = src.read(pos, HEADER);
  if (h.length < HEADER) return undefined;
  const e = h[0] === 0x85 && h[1] === 0x19 ? LE : h[0] === 0x19 && h[1] === 0x85 ? BE : undefined;
  if (!e || e.u32(h, 4) < HEADER) return undefined;
  return jffs2Crc(h.subarray(0, 8)) === e.u32(h, 8) ? e : undefined;
}

/** First 4-aligned position at or after `from` that is not erased flash. */
function skipErased(src: Source, from: number): number {
  const CHUNK = 64 * 1024;
  for (let pos = from; pos < src.size; pos += CHUNK) {
    const b = src.read(pos, CHUNK);
    const i = b.findIndex((x) => x !== 0xff);
    if (i >= 0) return pos + (i & ~3);
  }
  return src.size;
}

/** Next valid node header within the resync window after `from` (node-aligned), in byte order `e`. */
function resync(src: Source, from: number, e: Endian): number | undefined {
  const magic = e === LE ? Buffer.from([0x85, 0x19]) : Buffer.from([0x19, 0x85]);
  const bytes = src.read(from, RESYNC_WINDOW);
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = view.indexOf(magic); i >= 0; i = view.indexOf(magic, i + 1))
    if (i % 4 === 0 && headerAt(src, from + i) === e) return from + i;
  return undefined;
}

export function scanNodes(src: Source, start: number, ctx: FormatContext, what: string): NodeLog {
  const e = headerAt(src, start) ?? LE;
  const log: NodeLog = { endian: e, dirents: [], inodes: [], end: start };
  const bad = { header: 0, crc: 0, incompat: 0 };
  let pos = start;
  for (let n = 0; pos + HEADER <= src.size; n++) {
    if (n % 4096 === 0) ctx.budget.checkTime(what);
    const h = src.read(pos, HEADER);
    if (e.u32(h, 0) === 0xffffffff) {
      pos = skipErased(src, pos);
      log.end = pos;
      continue;
    }
    const totlen = e.u32(h, 4);
    if (headerAt(src, pos) === e && pos + totlen > src.size) {
      ctx.note(`${what}: the log ends inside a node at +0x${(pos - start).toString(16)} (truncated image?)`);
      log.end = src.size; // the cut node is part of this log, not a payload of its own
      break;
    }
    if (headerAt(src, pos) !== e) {
      const next = resync(src, pos + 4, e);
      if (next === undefined) break;
      bad.header++;
      pos = next;
      continue;
    }
    const type = e.u16(h, 2);
    const node = src.read(pos, totlen);
    if (type === DIRENT) readDirent(node, e, log, bad);
    else if (type === INODE) readInode(node, pos, e, log, bad);
    else if (type & ACCURATE && !KNOWN_TYPES.has(type) && (type & INCOMPAT) === INCOMPAT) bad.incompat++;
    pos += Math.ceil(totlen / 4) * 4;
    log.end = Math.min(pos, src.size);
  }
  const at = `${what}:`;
  if (bad.header) ctx.note(`${at} skipped ${bad.header} unreadable regions between nodes`);
  if (bad.crc) ctx.note(`${at} ${bad.crc} nodes with bad CRCs ignored`);
  if (bad.incompat) ctx.note(`${at} ${bad.incompat} nodes of unknown incompatible types ignored`);
  return log;
}

function readDirent(b: Uint8Array, e: Endian, log: NodeLog, bad: { crc: number }): void {
  if (b.length < DIRENT_LEN) return void bad.crc++;
  const nsize = b[28]!;
  const name = b.subarray(DIRENT_LEN, DIRENT_LEN + nsize);
  if (name.length < nsize || jffs2Crc(b.subarray(0, 32)) !== e.u32(b, 32) || jffs2Crc(name) !== e.u32(b, 36))
    return void bad.crc++;
  log.dirents.push({
    pino: e.u32(b, 12),
    version: e.u32(b, 16),
    ino: e.u32(b, 20),
    type: b[29]!,
    name: Buffer.from(name).toString("utf8"),
  });
}

function readInode(b: Uint8Array, pos: number, e: Endian, log: NodeLog, bad: { crc: number }): void {
  if (b.length < INODE_LEN || jffs2Crc(b.subarray(0, 60)) !== e.u32(b, 64)) return void bad.crc++;
  const csize = e.u32(b, 48);
  const data = b.subarray(INODE_LEN, INODE_LEN + csize);
  if (data.length < csize || jffs2Crc(data) !== e.u32(b, 60)) return void bad.crc++;
  log.inodes.push({
    ino: e.u32(b, 12),
    version: e.u32(b, 16),
    mode: e.u32(b, 20),
    uid: e.u16(b, 24),
    gid: e.u16(b, 26),
    isize: e.u32(b, 28),
    mtime: e.u32(b, 36),
    offset: e.u32(b, 44),
    csize,
    dsize: e.u32(b, 52),
    compr: b[56]!,
    dataAt: pos + INODE_LEN,
  });
}
