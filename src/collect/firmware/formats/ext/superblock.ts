// The ext2/3/4 superblock (1024 bytes at offset 1024, little-endian, magic 0xEF53) and where the
// group descriptors that locate each group's inode table live, plain or with meta_bg. Every
// field that later sizes a loop or an offset is range-checked here, once.
import { u16le, u32le } from "../../source.js";

export const SUPERBLOCK_AT = 1024;
export const MAGIC_AT = 56;

export const INCOMPAT = {
  filetype: 0x2,
  recover: 0x4,
  metaBg: 0x10,
  extents: 0x40,
  bit64: 0x80,
  inlineData: 0x8000,
  encrypt: 0x10000,
} as const;
const RO_COMPAT_SPARSE_SUPER = 0x1;

export interface Superblock {
  blockSize: number;
  blocksCount: number;
  inodesCount: number;
  blocksPerGroup: number;
  inodesPerGroup: number;
  firstDataBlock: number;
  inodeSize: number;
  descSize: number;
  groups: number;
  firstMetaBg: number;
  incompat: number;
  roCompat: number;
  compat: number;
  volumeName: string;
  uuid: string;
}

/** The superblock's geometry, or why these bytes are not a usable superblock. */
export function readSuperblock(b: Uint8Array): Superblock | string {
  if (b.length < 1024 || u16le(b, MAGIC_AT) !== 0xef53) return "no ext2/3/4 superblock";
  const logBlock = u32le(b, 24);
  if (logBlock > 6) return `block size 2^${logBlock + 10} is out of range`;
  const blockSize = 1024 << logBlock;
  const rev = u32le(b, 76);
  if (rev > 1) return `revision ${rev} is unknown`;
  const incompat = u32le(b, 96);
  const inodeSize = rev === 0 ? 128 : u16le(b, 88);
  if (inodeSize < 128 || inodeSize > blockSize || (inodeSize & (inodeSize - 1)) !== 0)
    return `inode size ${inodeSize} is invalid`;
  const bit64 = (incompat & INCOMPAT.bit64) !== 0;
  const descSize = bit64 ? u16le(b, 254) : 32;
  if (descSize < 32 || descSize > blockSize || (descSize & (descSize - 1)) !== 0 || (bit64 && descSize < 64))
    return `group descriptor size ${descSize} is invalid`;
  const blocksCount = u32le(b, 4) + (bit64 ? u32le(b, 336) * 2 ** 32 : 0);
  const firstDataBlock = u32le(b, 20);
  const blocksPerGroup = u32le(b, 32);
  const inodesPerGroup = u32le(b, 40);
  const inodesCount = u32le(b, 0);
  if (firstDataBlock > 1 || blocksCount <= firstDataBlock) return "block count is invalid";
  if (blocksPerGroup === 0 || inodesPerGroup === 0 || inodesPerGroup > blockSize * 8)
    return "blocks or inodes per group are invalid";
  const groups = Math.ceil((blocksCount - firstDataBlock) / blocksPerGroup);
  if (inodesCount > groups * inodesPerGroup || inodesCount === 0)
    return "inode count does not fit the groups";
  return {
    blockSize,
    blocksCount,
    inodesCount,
    blocksPerGroup,
    inodesPerGroup,
    firstDataBlock,
    inodeSize,
    descSize,
    groups,
    firstMetaBg: u32le(b, 260),
    incompat,
    roCompat: u32le(b, 100),
    compat: u32le(b, 92),
    volumeName: Buffer.from(b.subarray(120, 136)).toString("latin1").replace(/\0.*$/s, ""),
    uuid: Buffer.from(b.subarray(104, 120)).toString("hex"),
  };
}

function hasSuperblockBackup(sb: Superblock, group: number): boolean {
  if (!(sb.roCompat & RO_COMPAT_SPARSE_SUPER) || group <= 1) return true;
  for (const base of [3, 5, 7]) {
    let p = base;
    while (p < group) p *= base;
    if (p === group) return true;
  }
  return false;
}

/** Byte offset (from the start of the filesystem) of group `g`'s descriptor. */
export function descriptorOffset(sb: Superblock, g: number): number {
  const perBlock = sb.blockSize / sb.descSize;
  const metaGroup = Math.floor(g / perBlock);
  if (!(sb.incompat & INCOMPAT.metaBg) || metaGroup < sb.firstMetaBg)
    return (sb.firstDataBlock + 1) * sb.blockSize + g * sb.descSize;
  // meta_bg: each run of `perBlock` groups keeps its descriptors in its own first group.
  const first = metaGroup * perBlock;
  const block = sb.firstDataBlock + first * sb.blocksPerGroup + (hasSuperblockBackup(sb, first) ? 1 : 0);
  return block * sb.blockSize + (g % perBlock) * sb.descSize;
}

export function inodeTableBlock(sb: Superblock, desc: Uint8Array): number {
  return u32le(desc, 8) + (sb.descSize >= 64 ? u32le(desc, 0x28) * 2 ** 32 : 0);
}
