// JFFS2, the flash filesystem of many older routers and cameras. There is no index: the whole
// log is scanned (nodes.ts), the newest directory entry for each (parent, name) names an inode,
// and a file's content is rebuilt, when read, from its data nodes in version order.
import { decompress } from "../../codecs/index.js";
import { LimitError } from "../../limits.js";
import { FormatError, type Source } from "../../source.js";
import { entryTypeOfMode, VirtualFS, type EntryType } from "../../vfs.js";
import { hex, type Format, type FormatContext } from "../types.js";
import { KNOWN_TYPES, LE, headerAt, scanNodes, type Endian, type InodeNode } from "./nodes.js";
import { rtimeDecompress } from "./rtime.js";

const ROOT_INO = 1;
const MAX_DEPTH = 256;
const MAX_LINK = 4096;
const COMPR: Record<number, string> = {
  0: "none",
  1: "zero",
  2: "rtime",
  3: "rubinmips",
  4: "copy",
  5: "dynrubin",
  6: "zlib",
  7: "lzo",
  8: "lzma",
};
// The dirent's d_type, for entries whose inode is missing.
const DT_TYPES: Record<number, EntryType> = {
  1: "fifo",
  2: "char",
  4: "dir",
  6: "block",
  8: "file",
  10: "symlink",
  12: "socket",
};

/** One data node's bytes, decompressed to its recorded size. */
function nodeData(src: Source, n: InodeNode, what: string): Uint8Array {
  const raw = src.read(n.dataAt, n.csize);
  const cap = { max: n.dsize, limit: "maxRatio" as const, why: "more than its node records" };
  const name = COMPR[n.compr] ?? `unknown (${n.compr})`;
  switch (n.compr) {
    case 0:
    case 4:
      return raw;
    case 1:
      return new Uint8Array(n.dsize);
    case 2:
      return rtimeDecompress(raw, n.dsize, what);
    case 6: {
      // The kernel writes zlib streams; it also accepts raw deflate without the zlib header.
      const zlibHeader =
        raw.length >= 2 && (raw[0]! & 0x8f) === 0x08 && ((raw[0]! << 8) | raw[1]!) % 31 === 0;
      return decompress(zlibHeader ? "zlib" : "deflate-raw", raw, cap, what).data;
    }
    case 7:
      return decompress("lzo", raw, cap, what, { size: n.dsize }).data;
    case 8:
      // OpenWrt's JFFS2 LZMA: raw LZMA with lc = lp = pb = 0 and a page-sized dictionary.
      return decompress("lzma-raw", raw, cap, what, {
        size: n.dsize,
        lzma: { lc: 0, lp: 0, pb: 0, dictSize: Math.max(4096, n.dsize) },
      }).data;
    default:
      throw new FormatError(`${what}: ${name} compression is not supported`);
  }
}

/** A file's content from its data nodes, newest last; truncations zero what they cut. */
function rebuild(src: Source, nodes: InodeNode[], ctx: FormatContext, what: string): Uint8Array {
  const size = nodes.at(-1)!.isize;
  const compressed = nodes.reduce((sum, n) => sum + n.csize, 0);
  const cap = ctx.budget.streamCap(compressed);
  if (size > cap.max) throw new LimitError(cap.limit, `${what}: file of ${size} bytes is ${cap.why}`);
  ctx.budget.chargeBytes(size, what);
  const out = new Uint8Array(size);
  const failed = new Set<string>();
  for (const n of nodes) {
    if (n.dsize > 0 && n.offset < size) {
      try {
        const data = nodeData(src, n, what);
        out.set(data.subarray(0, Math.min(data.length, size - n.offset)), n.offset);
      } catch (e) {
        if (!(e instanceof FormatError || e instanceof LimitError)) throw e;
        failed.add(e.message);
      }
    }
    if (n.isize < size) out.fill(0, n.isize);
  }
  for (const f of failed) ctx.note(`${f}; that part reads as zeros`);
  return out;
}

function device(data: Uint8Array, e: Endian): { major: number; minor: number } {
  // The old 16-bit encoding (major << 8 | minor), or the kernel's 32-bit new_encode_dev.
  if (data.length === 2) return { major: e.u16(data, 0) >> 8, minor: e.u16(data, 0) & 0xff };
  const v = data.length >= 4 ? e.u32(data, 0) : 0;
  return { major: (v & 0xfff00) >>> 8, minor: (v & 0xff) | ((v >>> 12) & 0xfff00) };
}

export const jffs2Format: Format = {
  id: "jffs2",
  version: "1",
  magics: [
    { bytes: hex("8519"), at: 0 },
    { bytes: hex("1985"), at: 0 },
  ],
  probe(src, offset) {
    const e = headerAt(src, offset);
    return e !== undefined && KNOWN_TYPES.has(e.u16(src.read(offset + 2, 2), 0));
  },
  extract(src, offset, ctx) {
    const what = `${src.name} jffs2@0x${offset.toString(16)}`;
    const log = scanNodes(src, offset, ctx, what);

    // Newest directory entry per (parent, name); an inode number of 0 records a deletion.
    const latest = new Map<string, (typeof log.dirents)[number]>();
    for (const d of log.dirents) {
      const key = `${d.pino}/${d.name}`;
      const prev = latest.get(key);
      if (!prev || d.version >= prev.version) latest.set(key, d);
    }
    const children = new Map<number, (typeof log.dirents)[number][]>();
    for (const d of latest.values())
      if (d.ino !== 0 && d.name !== "" && d.name !== "." && d.name !== ".." && !d.name.includes("/"))
        (children.get(d.pino) ?? children.set(d.pino, []).get(d.pino)!).push(d);
    const nodesOf = new Map<number, InodeNode[]>();
    for (const n of log.inodes) (nodesOf.get(n.ino) ?? nodesOf.set(n.ino, []).get(n.ino)!).push(n);
    for (const list of nodesOf.values()) list.sort((a, b) => a.version - b.version);

    const fs = new VirtualFS(`jffs2@0x${offset.toString(16)}`);
    const placed = new Map<number, string>(); // inode -> first path, for hard links
    const stack: { ino: number; path: string; depth: number }[] = [{ ino: ROOT_INO, path: "", depth: 0 }];
    const visitedDirs = new Set<number>([ROOT_INO]);
    let files = 0;
    while (stack.length) {
      const { ino: dirIno, path: dirPath, depth } = stack.pop()!;
      const entries = (children.get(dirIno) ?? []).sort((a, b) => (a.name < b.name ? -1 : 1));
      for (const d of entries) {
        if (++files % 256 === 0) ctx.budget.checkTime(what);
        ctx.budget.chargeFile(what);
        const path = `${dirPath}/${d.name}`;
        const nodes = nodesOf.get(d.ino);
        const meta = nodes?.at(-1);
        const type = meta ? entryTypeOfMode(meta.mode) : (DT_TYPES[d.type] ?? "file");
        const base = {
          mode: meta ? meta.mode & 0o7777 : 0,
          uid: meta?.uid ?? 0,
          gid: meta?.gid ?? 0,
          mtime: meta?.mtime,
        };
        if (!nodes) ctx.note(`${what}: "${path}" has no inode (${d.ino}); listed without content`);
        if (type === "dir") {
          if (visitedDirs.has(d.ino)) {
            ctx.note(`${what}: directory "${path}" loops back to an ancestor; not followed`);
            continue;
          }
          visitedDirs.add(d.ino);
          fs.add(path, { type, ...base, size: 0 });
          if (depth + 1 < MAX_DEPTH) stack.push({ ino: d.ino, path, depth: depth + 1 });
          else ctx.note(`${what}: "${path}" nests deeper than ${MAX_DEPTH} levels; not followed`);
          continue;
        }
        const first = placed.get(d.ino);
        if (first !== undefined) {
          fs.add(path, { type: "hardlink", ...base, size: 0, linkTarget: first });
          continue;
        }
        placed.set(d.ino, path);
        const read = nodes ? () => rebuild(src, nodes, ctx, `${what} "${path}"`) : undefined;
        if (type === "symlink" || type === "char" || type === "block") {
          // A device's number is its node's data, with an inode size of 0.
          const dataNode = nodes?.findLast((n) => n.dsize > 0);
          let data: Uint8Array | undefined;
          if (dataNode && dataNode.dsize <= MAX_LINK)
            try {
              data = nodeData(src, dataNode, `${what} "${path}"`);
            } catch (e) {
              if (!(e instanceof FormatError || e instanceof LimitError)) throw e;
              ctx.note(e.message);
            }
          if (type === "symlink")
            fs.add(path, { type, ...base, size: 0, linkTarget: Buffer.from(data ?? []).toString("utf8") });
          else
            fs.add(path, { type, ...base, size: 0, device: device(data ?? new Uint8Array(0), log.endian) });
          continue;
        }
        fs.add(path, {
          type,
          ...base,
          size: type === "file" ? (meta?.isize ?? 0) : 0,
          read: type === "file" ? read : undefined,
        });
      }
    }
    const compressions = [
      ...new Set(log.inodes.filter((n) => n.dsize > 0).map((n) => COMPR[n.compr] ?? n.compr)),
    ];
    return {
      kind: "filesystem",
      fs,
      consumed: log.end - offset,
      detail: {
        endian: log.endian === LE ? "little" : "big",
        inodes: nodesOf.size,
        compressions: compressions.sort(),
      },
    };
  },
};
