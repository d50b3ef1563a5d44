// Reading inodes and their content from an ext2/3/4 image: inode lookup through the group
// descriptors, content through extent trees (ext4) or direct/indirect block maps (ext2/3), and
// inline data kept inside the inode. Block numbers come from the image, so each is checked
// against the filesystem and the bytes actually present before it is read.
import { LimitError } from "../../limits.js";
import { FormatError, u16le, u32le, type Source } from "../../source.js";
import type { FormatContext } from "../types.js";
import { descriptorOffset, INCOMPAT, inodeTableBlock, type Superblock } from "./superblock.js";

const EXTENTS_FL = 0x80000;
const INLINE_DATA_FL = 0x10000000;
const EXTENT_MAGIC = 0xf30a;
const MAX_EXTENT_DEPTH = 5;
const DIRECT_BLOCKS = 12;
const INLINE_BYTES = 60;

export interface Inode {
  ino: number;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  flags: number;
  /** i_blocks: 512-byte sectors in use (data, mapping blocks and the xattr block). */
  sectors: number;
  fileAcl: number;
  /** i_block: 60 bytes holding the block map, the extent root, a fast symlink or inline data. */
  iblock: Uint8Array;
  raw: Uint8Array;
}

interface Run {
  logical: number;
  physical: number;
  count: number;
  /** Allocated but never written: reads as zeros. */
  unwritten: boolean;
}

export class ExtVolume {
  constructor(
    readonly src: Source,
    readonly offset: number,
    readonly sb: Superblock,
    readonly ctx: FormatContext,
    readonly what: string,
  ) {}

  /** Bytes at a filesystem byte offset; shorter when the image ends first. */
  bytes(at: number, length: number): Uint8Array {
    return this.src.read(this.offset + at, length);
  }

  block(n: number): Uint8Array {
    if (n >= this.sb.blocksCount) throw new FormatError(`${this.what}: block ${n} is beyond the filesystem`);
    const b = this.bytes(n * this.sb.blockSize, this.sb.blockSize);
    if (b.length < this.sb.blockSize) throw new FormatError(`${this.what}: block ${n} is beyond the image`);
    return b;
  }

  inode(ino: number): Inode {
    const { sb } = this;
    if (ino < 1 || ino > sb.inodesCount) throw new FormatError(`${this.what}: inode ${ino} does not exist`);
    const group = Math.floor((ino - 1) / sb.inodesPerGroup);
    const desc = this.bytes(descriptorOffset(sb, group), sb.descSize);
    if (desc.length < sb.descSize)
      throw new FormatError(`${this.what}: group ${group} descriptor is beyond the image`);
    const table = inodeTableBlock(sb, desc);
    const at = table * sb.blockSize + ((ino - 1) % sb.inodesPerGroup) * sb.inodeSize;
    if (table >= sb.blocksCount)
      throw new FormatError(`${this.what}: inode table of group ${group} is beyond the filesystem`);
    const raw = this.bytes(at, sb.inodeSize);
    if (raw.length < 128) throw new FormatError(`${this.what}: inode ${ino} is beyond the image`);
    const mode = u16le(raw, 0);
    const regularOrDir = (mode & 0xf000) === 0x8000 || (mode & 0xf000) === 0x4000;
    return {
      ino,
      mode,
      uid: u16le(raw, 2) | (u16le(raw, 120) << 16),
      gid: u16le(raw, 24) | (u16le(raw, 122) << 16),
      // i_size_high is only a size for regular files and (largedir) directories.
      size: u32le(raw, 4) + (regularOrDir ? u32le(raw, 108) * 2 ** 32 : 0),
      mtime: u32le(raw, 16),
      flags: u32le(raw, 32),
      sectors: u32le(raw, 28) + u16le(raw, 116) * 2 ** 32,
      fileAcl: u32le(raw, 104) + u16le(raw, 118) * 2 ** 32,
      iblock: raw.subarray(40, 40 + INLINE_BYTES),
      raw,
    };
  }

  /** Whether a symlink's target sits in i_block itself (no data block allocated). */
  isFastSymlink(inode: Inode): boolean {
    if (inode.flags & (EXTENTS_FL | INLINE_DATA_FL)) return false;
    const xattrSectors = inode.fileAcl ? this.sb.blockSize >> 9 : 0;
    return inode.sectors - xattrSectors === 0 && inode.size < INLINE_BYTES;
  }

  /**
   * The content of a file, directory or slow symlink, at most `limit` bytes (the caller's cap);
   * holes and unwritten extents read as zeros.
   */
  content(inode: Inode, limit: number): Uint8Array {
    const label = `${this.what} inode ${inode.ino}`;
    if (inode.size > limit)
      throw new LimitError("maxRatio", `${label}: ${inode.size} bytes is more than the ${limit} allowed`);
    if (inode.flags & INLINE_DATA_FL) return this.inlineData(inode).subarray(0, inode.size);
    const blockSize = this.sb.blockSize;
    const blocks = Math.ceil(inode.size / blockSize);
    const runs = inode.flags & EXTENTS_FL ? this.extentRuns(inode, blocks) : this.mappedRuns(inode, blocks);
    // A file in one extent is a view of the image; anything else is assembled.
    const only = runs[0];
    if (
      runs.length === 1 &&
      only &&
      only.logical === 0 &&
      !only.unwritten &&
      only.count * blockSize >= inode.size
    ) {
      const view = this.bytes(only.physical * blockSize, inode.size);
      if (view.length === inode.size && only.physical + only.count <= this.sb.blocksCount) return view;
    }
    this.ctx.budget.chargeBytes(inode.size, label);
    const out = new Uint8Array(inode.size);
    for (const r of runs) {
      if (r.unwritten || r.logical >= blocks) continue;
      const count = Math.min(r.count, blocks - r.logical);
      if (r.physical + count > this.sb.blocksCount) {
        this.ctx.note(`${label}: blocks ${r.physical}+${count} are beyond the filesystem; read as zeros`);
        continue;
      }
      const data = this.bytes(r.physical * blockSize, count * blockSize);
      const at = r.logical * blockSize;
      out.set(data.subarray(0, Math.min(data.length, inode.size - at)), at);
      if (data.length < count * blockSize) this.ctx.note(`${label}: content runs past the end of the image`);
    }
    return out;
  }

  private extentRuns(inode: Inode, blocks: number): Run[] {
    const runs: Run[] = [];
    let nodes = 0;
    const visit = (node: Uint8Array, expectDepth: number | undefined, hops: number): void => {
      // Index entries that all point at one block would multiply: a tree has fewer nodes than blocks.
      if (++nodes > blocks + MAX_EXTENT_DEPTH + 1)
        throw new FormatError(
          `${this.what} inode ${inode.ino}: extent tree has more nodes than the file has blocks`,
        );
      if (u16le(node, 0) !== EXTENT_MAGIC)
        throw new FormatError(`${this.what} inode ${inode.ino}: bad extent header`);
      const entries = u16le(node, 2);
      const depth = u16le(node, 6);
      if (
        depth > MAX_EXTENT_DEPTH ||
        (expectDepth !== undefined && depth !== expectDepth) ||
        hops > MAX_EXTENT_DEPTH
      )
        throw new FormatError(`${this.what} inode ${inode.ino}: extent tree depth is inconsistent`);
      for (let i = 0; i < entries && 12 + 12 * (i + 1) <= node.length; i++) {
        const e = 12 + 12 * i;
        if (depth === 0) {
          if (u32le(node, e) >= blocks) continue; // preallocated past the end of the file
          const len = u16le(node, e + 4);
          runs.push({
            logical: u32le(node, e),
            physical: u32le(node, e + 8) + u16le(node, e + 6) * 2 ** 32,
            count: len > 32768 ? len - 32768 : len,
            unwritten: len > 32768,
          });
          if (runs.length > blocks + 1)
            throw new FormatError(`${this.what} inode ${inode.ino}: more extents than blocks`);
        } else {
          if (u32le(node, e) >= blocks) continue; // entirely past the end of the file
          const child = u32le(node, e + 4) + u16le(node, e + 8) * 2 ** 32;
          visit(this.block(child), depth - 1, hops + 1);
        }
      }
    };
    visit(inode.iblock, undefined, 0);
    return runs;
  }

  /** ext2/3 block maps: 12 direct pointers, then single, double and triple indirect blocks. */
  private mappedRuns(inode: Inode, blocks: number): Run[] {
    const runs: Run[] = [];
    const perBlock = this.sb.blockSize / 4;
    const add = (logical: number, physical: number) => {
      const last = runs.at(-1);
      if (last && last.logical + last.count === logical && last.physical + last.count === physical)
        last.count++;
      else runs.push({ logical, physical, count: 1, unwritten: false });
    };
    let logical = 0;
    const walk = (pointer: number, level: number): void => {
      const span = perBlock ** level;
      if (logical >= blocks) return;
      if (pointer === 0) {
        logical += span; // a hole
        return;
      }
      if (level === 0) {
        add(logical++, pointer);
        return;
      }
      if (logical % 65536 === 0) this.ctx.budget.checkTime(this.what);
      const table = this.block(pointer);
      for (let i = 0; i < perBlock && logical < blocks; i++) walk(u32le(table, 4 * i), level - 1);
    };
    for (let i = 0; i < DIRECT_BLOCKS + 3 && logical < blocks; i++)
      walk(u32le(inode.iblock, 4 * i), i < DIRECT_BLOCKS ? 0 : i - DIRECT_BLOCKS + 1);
    return runs;
  }

  /** Inline data: the 60 bytes of i_block, then the "system.data" extended attribute. */
  inlineData(inode: Inode): Uint8Array {
    const extra = this.inlineXattr(inode);
    if (!extra?.length) return inode.iblock;
    const out = new Uint8Array(INLINE_BYTES + extra.length);
    out.set(inode.iblock);
    out.set(extra, INLINE_BYTES);
    return out;
  }

  /** The value of "system.data" among the in-inode extended attributes, if any. */
  inlineXattr(inode: Inode): Uint8Array | undefined {
    const raw = inode.raw;
    if (raw.length <= 128 + 2) return undefined;
    const start = 128 + u16le(raw, 128);
    if (start + 4 > raw.length || u32le(raw, start) !== 0xea020000) return undefined;
    const first = start + 4;
    for (let p = first; p + 16 <= raw.length && u32le(raw, p) !== 0;) {
      const nameLen = raw[p]!;
      const index = raw[p + 1]!;
      const valueOffset = u16le(raw, p + 2);
      const valueSize = u32le(raw, p + 8);
      const name = Buffer.from(raw.subarray(p + 16, p + 16 + nameLen)).toString("latin1");
      if (index === 7 && name === "data") {
        const from = first + valueOffset;
        return from + valueSize <= raw.length ? raw.subarray(from, from + valueSize) : undefined;
      }
      p += (16 + nameLen + 3) & ~3;
    }
    return undefined;
  }

  get hasFiletype(): boolean {
    return (this.sb.incompat & INCOMPAT.filetype) !== 0;
  }
}

export const INLINE = { flag: INLINE_DATA_FL, bytes: INLINE_BYTES };
