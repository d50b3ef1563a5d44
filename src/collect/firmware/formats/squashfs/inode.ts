// Inodes: a 16-byte common header, then a body per type. Types 1-7 are the basic forms, 8-14 the
// extended ones (64-bit sizes, sparse counts, xattr index). Every count that sizes a read is
// checked against what the inode table could possibly hold first.
import { FormatError } from "../../source.js";
import type { EntryType } from "../../vfs.js";
import type { SquashImage } from "./image.js";
import { Cursor, type MetadataTable } from "./metadata.js";
import { METADATA_SIZE } from "./superblock.js";

export const NO_XATTR = 0xffffffff;
export const NO_FRAGMENT = 0xffffffff;

const KIND: Record<number, EntryType> = {
  1: "dir",
  2: "file",
  3: "symlink",
  4: "block",
  5: "char",
  6: "fifo",
  7: "socket",
};

export interface Inode {
  /** 1-14 as stored; `basic` folds the extended types onto 1-7. */
  type: number;
  basic: number;
  kind: EntryType;
  mode: number;
  uidIndex: number;
  gidIndex: number;
  mtime: number;
  number: number;
  nlink: number;
  xattr: number;
  // directories
  dirBlock?: number;
  dirOffset?: number;
  /** Listing size in bytes, including the 3 bytes the format counts for "." and "..". */
  dirSize?: number;
  // regular files
  fileSize?: number;
  blocksStart?: number;
  fragment?: number;
  fragmentOffset?: number;
  blockSizes?: Uint32Array;
  // symlinks and devices
  target?: Uint8Array;
  device?: { major: number; minor: number };
}

/** Read the inode at (block, offset) of the inode table. */
export function readInode(img: SquashImage, table: MetadataTable, block: number, offset: number): Inode {
  const c = new Cursor(img, table, block, offset);
  const type = c.u16();
  const kind = KIND[type > 7 ? type - 7 : type];
  if (!kind || type === 0)
    throw new FormatError(`${img.what}: inode +0x${block.toString(16)}:${offset} has unknown type ${type}`);
  const inode: Inode = {
    type,
    basic: type > 7 ? type - 7 : type,
    kind,
    mode: c.u16() & 0o7777,
    uidIndex: c.u16(),
    gidIndex: c.u16(),
    mtime: c.u32(),
    number: c.u32(),
    nlink: 1,
    xattr: NO_XATTR,
  };
  switch (type) {
    case 1:
      inode.dirBlock = c.u32();
      inode.nlink = c.u32();
      inode.dirSize = c.u16();
      inode.dirOffset = c.u16();
      c.u32(); // parent inode number: not needed, the walk knows the parent
      break;
    case 8: {
      inode.nlink = c.u32();
      inode.dirSize = c.u32();
      inode.dirBlock = c.u32();
      c.u32(); // parent
      c.u16(); // index count: the index only speeds up lookups; the walk reads listings whole
      inode.dirOffset = c.u16();
      inode.xattr = c.u32();
      break;
    }
    case 2:
    case 9: {
      if (type === 2) {
        inode.blocksStart = c.u32();
        inode.fragment = c.u32();
        inode.fragmentOffset = c.u32();
        inode.fileSize = c.u32();
      } else {
        inode.blocksStart = c.u64();
        inode.fileSize = c.u64();
        c.u64(); // sparse bytes: informative only, sparse blocks are marked by size 0
        inode.nlink = c.u32();
        inode.fragment = c.u32();
        inode.fragmentOffset = c.u32();
        inode.xattr = c.u32();
      }
      const size = inode.fileSize;
      if (size >= 2 ** 53) throw new FormatError(`${img.what}: inode ${inode.number} has impossible size`);
      const whole = img.sb.blockSize;
      const count = inode.fragment === NO_FRAGMENT ? Math.ceil(size / whole) : Math.floor(size / whole);
      // 4 bytes per block must fit in the inode table: every metadata block is at least 3 bytes
      // on disk and holds at most 8 KiB.
      const tableMax = Math.ceil((table.end - table.start) / 3) * METADATA_SIZE;
      if (count * 4 > tableMax)
        throw new FormatError(
          `${img.what}: inode ${inode.number} claims ${count} blocks, more than the inode table holds`,
        );
      const list = c.read(count * 4);
      inode.blockSizes = new Uint32Array(count);
      for (let i = 0; i < count; i++)
        inode.blockSizes[i] =
          (list[i * 4]! | (list[i * 4 + 1]! << 8) | (list[i * 4 + 2]! << 16) | (list[i * 4 + 3]! << 24)) >>>
          0;
      break;
    }
    case 3:
    case 10: {
      inode.nlink = c.u32();
      const len = c.u32();
      if (len > 4096)
        throw new FormatError(`${img.what}: symlink inode ${inode.number} target of ${len} bytes`);
      inode.target = c.read(len).slice();
      if (type === 10) inode.xattr = c.u32();
      break;
    }
    case 4:
    case 5:
    case 11:
    case 12: {
      inode.nlink = c.u32();
      const dev = c.u32();
      // Linux's new_encode_dev: minor low byte, major 12 bits, minor high bits above them.
      inode.device = { major: (dev & 0xfff00) >>> 8, minor: (dev & 0xff) | ((dev >>> 12) & 0xfff00) };
      if (type > 7) inode.xattr = c.u32();
      break;
    }
    default:
      inode.nlink = c.u32();
      if (type > 7) inode.xattr = c.u32();
  }
  return inode;
}
