// ext2, ext3 and ext4 filesystems, read-only and without replaying the journal: the tree is walked
// from the root inode (2), directories are read linearly, and file content is read on demand.
import { LimitError } from "../../limits.js";
import { FormatError, u32le, type Source } from "../../source.js";
import { VirtualFS, type EntryType } from "../../vfs.js";
import { hex, type Format, type FormatContext } from "../types.js";
import { dirRecords, type DirRecord } from "./directory.js";
import { INCOMPAT, MAGIC_AT, readSuperblock, SUPERBLOCK_AT, type Superblock } from "./superblock.js";
import { ExtVolume, INLINE, type Inode } from "./volume.js";

const ROOT_INO = 2;
const MAX_DEPTH = 256;
const MAX_LINK = 4096;
const COMPAT_HAS_JOURNAL = 0x4;
const EXT4_INCOMPAT = INCOMPAT.extents | INCOMPAT.bit64 | 0x200 /* flex_bg */ | INCOMPAT.inlineData;
const MODE_TYPES: Record<number, EntryType> = {
  0x8000: "file",
  0x4000: "dir",
  0xa000: "symlink",
  0x2000: "char",
  0x6000: "block",
  0x1000: "fifo",
  0xc000: "socket",
};

function variant(sb: Superblock): string {
  if (sb.incompat & EXT4_INCOMPAT) return "ext4";
  return sb.compat & COMPAT_HAS_JOURNAL ? "ext3" : "ext2";
}

/** A device number from i_block: the old 16-bit form in word 0, else the new form in word 1. */
function device(inode: Inode): { major: number; minor: number } {
  const old = u32le(inode.iblock, 0);
  if (old) return { major: (old >> 8) & 0xff, minor: old & 0xff };
  const v = u32le(inode.iblock, 4);
  return { major: (v & 0xfff00) >>> 8, minor: (v & 0xff) | ((v >>> 12) & 0xfff00) };
}

function listDirectory(vol: ExtVolume, dir: Inode, limit: number, label: string): DirRecord[] {
  const bad = (at: number) =>
    vol.ctx.note(`${label}: broken directory record at +0x${at.toString(16)}; rest of its block skipped`);
  if (dir.flags & INLINE.flag) {
    // Inline directories start with the parent's inode number instead of "." and "..".
    const data = vol.inlineData(dir);
    const head = data.subarray(4, INLINE.bytes);
    const tail = data.subarray(INLINE.bytes);
    return [
      ...dirRecords(head, head.length, vol.hasFiletype, bad),
      ...dirRecords(tail, Math.max(1, tail.length), vol.hasFiletype, bad),
    ];
  }
  return dirRecords(vol.content(dir, limit), vol.sb.blockSize, vol.hasFiletype, bad);
}

/**
 * Run `f`; a FormatError, or one file over the size allowed, becomes a note and undefined (one
 * bad inode must not lose the rest). Limits on the whole unpack still stop it.
 */
function tolerate<T>(ctx: FormatContext, f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (
      !(e instanceof FormatError || e instanceof LimitError) ||
      (e instanceof LimitError && e.limit !== "maxRatio")
    )
      throw e;
    ctx.note(e.message);
    return undefined;
  }
}

export const extFormat: Format = {
  id: "ext",
  version: "1",
  magics: [{ bytes: hex("53ef"), at: SUPERBLOCK_AT + MAGIC_AT }],
  probe(src, offset) {
    return typeof readSuperblock(src.read(offset + SUPERBLOCK_AT, 1024)) !== "string";
  },
  extract(src: Source, offset, ctx) {
    const what = `${src.name} ext@0x${offset.toString(16)}`;
    const sb = readSuperblock(src.read(offset + SUPERBLOCK_AT, 1024));
    if (typeof sb === "string") throw new FormatError(`${what}: ${sb}`);
    const vol = new ExtVolume(src, offset, sb, ctx, what);
    const fsSize = sb.blocksCount * sb.blockSize;
    const available = Math.min(fsSize, src.size - offset);
    if (available < fsSize)
      ctx.note(`${what}: filesystem is ${fsSize} bytes but the image holds ${available}`);
    if (sb.incompat & INCOMPAT.recover)
      ctx.note(`${what}: journal needs recovery; read without replaying it`);
    // Content larger than the image can only be holes: allow some (sparse files exist), but not
    // a hostile size that would allocate gigabytes of zeros.
    const limit = Math.min(ctx.budget.streamCap(available).max, Math.max(available, 16 * 1024 * 1024));

    const fs = new VirtualFS(`ext@0x${offset.toString(16)}`);
    const root = vol.inode(ROOT_INO);
    if ((root.mode & 0xf000) !== 0x4000) throw new FormatError(`${what}: root inode is not a directory`);
    Object.assign(fs.get("/")!, {
      mode: root.mode & 0o7777,
      uid: root.uid,
      gid: root.gid,
      mtime: root.mtime,
    });
    const stack: { inode: Inode; path: string; depth: number }[] = [{ inode: root, path: "", depth: 0 }];
    const visitedDirs = new Set<number>([ROOT_INO]);
    const placed = new Map<number, string>(); // inode -> first path, for hard links
    let files = 0;
    while (stack.length) {
      const { inode: dir, path: dirPath, depth } = stack.pop()!;
      const label = `${what} "${dirPath || "/"}"`;
      const records = tolerate(ctx, () => listDirectory(vol, dir, limit, label)) ?? [];
      records.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const rec of records) {
        if (++files % 256 === 0) ctx.budget.checkTime(what);
        ctx.budget.chargeFile(what);
        const path = `${dirPath}/${rec.name}`;
        const inode = tolerate(ctx, () => vol.inode(rec.ino));
        if (!inode) continue;
        const type = MODE_TYPES[inode.mode & 0xf000] ?? "file";
        const base = { mode: inode.mode & 0o7777, uid: inode.uid, gid: inode.gid, mtime: inode.mtime };
        if (type === "dir") {
          if (visitedDirs.has(rec.ino)) {
            ctx.note(`${what}: directory "${path}" is reached twice (a loop?); not followed`);
            continue;
          }
          visitedDirs.add(rec.ino);
          fs.add(path, { type, ...base, size: 0 });
          if (depth + 1 < MAX_DEPTH) stack.push({ inode, path, depth: depth + 1 });
          else ctx.note(`${what}: "${path}" nests deeper than ${MAX_DEPTH} levels; not followed`);
          continue;
        }
        const first = placed.get(rec.ino);
        if (first !== undefined) {
          fs.add(path, { type: "hardlink", ...base, size: 0, linkTarget: first });
          continue;
        }
        placed.set(rec.ino, path);
        if (type === "symlink") {
          const target = vol.isFastSymlink(inode)
            ? inode.iblock.subarray(0, inode.size)
            : tolerate(ctx, () => vol.content(inode, MAX_LINK));
          fs.add(path, { type, ...base, size: 0, linkTarget: Buffer.from(target ?? []).toString("utf8") });
        } else if (type === "char" || type === "block")
          fs.add(path, { type, ...base, size: 0, device: device(inode) });
        else if (type === "file")
          fs.add(path, { type, ...base, size: inode.size, read: () => vol.content(inode, limit) });
        else fs.add(path, { type, ...base, size: 0 });
      }
    }
    return {
      kind: "filesystem",
      fs,
      consumed: available,
      detail: {
        variant: variant(sb),
        blockSize: sb.blockSize,
        volumeName: sb.volumeName,
        uuid: sb.uuid,
      },
    };
  },
};
