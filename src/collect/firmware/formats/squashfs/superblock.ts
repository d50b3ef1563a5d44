// The SquashFS 4.0 superblock: 96 little-endian bytes at the start of the filesystem that say
// where every table is. Vendor variants (big-endian "sqsh", squashfs 1-3, lz4 on hosts without a
// decoder) are recognised so the user hears what they are instead of silence.
import type { Codec } from "../../codecs/index.js";
import { FormatError, u16be, u16le, u32be, u32le, u64le } from "../../source.js";
import { NeedsExternalTool } from "../external/extract.js";

export const SUPERBLOCK_SIZE = 96;
/** Metadata blocks (inodes, directories, tables) hold at most this many uncompressed bytes. */
export const METADATA_SIZE = 8192;

export const FLAGS: Record<number, string> = {
  0x0001: "uncompressed-inodes",
  0x0002: "uncompressed-data",
  0x0004: "check",
  0x0008: "uncompressed-fragments",
  0x0010: "no-fragments",
  0x0020: "always-fragments",
  0x0040: "duplicates",
  0x0080: "exportable",
  0x0100: "uncompressed-xattrs",
  0x0200: "no-xattrs",
  0x0400: "compressor-options",
  0x0800: "uncompressed-ids",
};

/** Compressor id to the codec name `decompress()` knows; lz4 has no decoder among our dependencies. */
export const COMPRESSORS: Record<number, { name: string; codec?: Codec }> = {
  1: { name: "gzip", codec: "zlib" },
  2: { name: "lzma", codec: "lzma" },
  3: { name: "lzo", codec: "lzo" },
  4: { name: "xz", codec: "xz" },
  5: { name: "lz4" },
  6: { name: "zstd", codec: "zstd" },
};

export interface Superblock {
  inodeCount: number;
  mtime: number;
  blockSize: number;
  fragmentCount: number;
  compressor: number;
  flags: number;
  idCount: number;
  rootInode: number;
  bytesUsed: number;
  idTable: number;
  /** undefined when the table is absent (stored as all ones). */
  xattrIdTable?: number;
  inodeTable: number;
  directoryTable: number;
  fragmentTable?: number;
  exportTable?: number;
}

const EXTERNAL = "extract it with the external unsquashfs (squashfs-tools) or sasquatch for vendor variants";

/**
 * Cheap check that rejects chance matches of the magic: a known version and a block size whose
 * log agrees. Squashfs 1-3 (either byte order) and big-endian 4.0 pass only to be reported.
 */
export function looksLikeSquashfs(h: Uint8Array): boolean {
  if (h.length < SUPERBLOCK_SIZE) return false;
  const magic = Buffer.from(h.subarray(0, 4)).toString("latin1");
  if (magic !== "hsqs" && magic !== "sqsh") return false;
  const le = magic === "hsqs";
  const u16 = le ? u16le : u16be;
  const u32 = le ? u32le : u32be;
  const major = u16(h, 28);
  const minor = u16(h, 30);
  const logOk = (log: number) => log >= 12 && log <= 20;
  // Squashfs 1-3 keep the block log at 34; 4.0 keeps the block size at 12 and its log at 22.
  if (major >= 1 && major <= 3) return minor <= 1 && logOk(u16(h, 34));
  if (major !== 4 || minor !== 0) return false;
  const blockLog = u16(h, 22);
  return logOk(blockLog) && u32(h, 12) === 2 ** blockLog;
}

/** u64 table start; all ones (or anything past 2^53) means "no such table". */
function optional(h: Uint8Array, o: number): number | undefined {
  const v = u64le(h, o);
  return v >= 2 ** 53 ? undefined : v;
}

/**
 * Parse and validate the superblock against `available` (bytes of the source from the
 * superblock on). Throws FormatError naming what is wrong; the message suggests the external
 * tool when the image is a variant we recognise but do not read (a NeedsExternalTool, which the
 * format hands to an installed external extractor).
 */
export function parseSuperblock(h: Uint8Array, available: number, what: string): Superblock {
  if (h.length < SUPERBLOCK_SIZE) throw new FormatError(`${what}: truncated superblock`);
  const magic = Buffer.from(h.subarray(0, 4)).toString("latin1");
  if (magic === "sqsh")
    throw new NeedsExternalTool(
      `${what}: big-endian squashfs ${u16be(h, 28)}.${u16be(h, 30)} (a vendor variant) is not supported natively; ${EXTERNAL}`,
    );
  const major = u16le(h, 28);
  const minor = u16le(h, 30);
  if (major !== 4 || minor !== 0)
    throw new NeedsExternalTool(
      `${what}: squashfs ${major}.${minor} is not supported natively (only 4.0); ${EXTERNAL}`,
    );
  const compressor = u16le(h, 20);
  const comp = COMPRESSORS[compressor];
  if (!comp) throw new NeedsExternalTool(`${what}: unknown compressor id ${compressor}; ${EXTERNAL}`);
  if (!comp.codec)
    throw new NeedsExternalTool(
      `${what}: ${comp.name}-compressed squashfs cannot be read natively (no ${comp.name} decoder); extract it with the external tool unsquashfs (squashfs-tools)`,
    );
  const sb: Superblock = {
    inodeCount: u32le(h, 4),
    mtime: u32le(h, 8),
    blockSize: u32le(h, 12),
    fragmentCount: u32le(h, 16),
    compressor,
    flags: u16le(h, 24),
    idCount: u16le(h, 26),
    rootInode: u64le(h, 32),
    bytesUsed: u64le(h, 40),
    idTable: u64le(h, 48),
    xattrIdTable: optional(h, 56),
    inodeTable: u64le(h, 64),
    directoryTable: u64le(h, 72),
    fragmentTable: optional(h, 80),
    exportTable: optional(h, 88),
  };
  const blockLog = u16le(h, 22);
  if (blockLog < 12 || blockLog > 20 || sb.blockSize !== 2 ** blockLog)
    throw new FormatError(
      `${what}: block size ${sb.blockSize} (log ${blockLog}) is not a power of two 4K-1M`,
    );
  if (sb.bytesUsed < SUPERBLOCK_SIZE || sb.bytesUsed >= 2 ** 53)
    throw new FormatError(`${what}: filesystem size ${sb.bytesUsed} is impossible`);
  const end = Math.min(sb.bytesUsed, available);
  const within = (name: string, at: number | undefined) => {
    if (at !== undefined && (at < SUPERBLOCK_SIZE || at >= end))
      throw new FormatError(
        `${what}: ${name} at 0x${at.toString(16)} is beyond the image (${end} bytes${end < sb.bytesUsed ? `, truncated from ${sb.bytesUsed}` : ""})`,
      );
  };
  within("inode table", sb.inodeTable);
  within("directory table", sb.directoryTable);
  within("id table", sb.idTable);
  within("fragment table", sb.fragmentTable);
  within("export table", sb.exportTable);
  within("xattr id table", sb.xattrIdTable);
  if (sb.directoryTable <= sb.inodeTable)
    throw new FormatError(`${what}: directory table does not follow the inode table`);
  if (sb.idCount === 0) throw new FormatError(`${what}: empty id table`);
  if (sb.fragmentTable === undefined && sb.fragmentCount !== 0)
    throw new FormatError(`${what}: ${sb.fragmentCount} fragments but no fragment table`);
  return sb;
}

export function flagNames(flags: number): string[] {
  return Object.entries(FLAGS)
    .filter(([bit]) => flags & Number(bit))
    .map(([, name]) => name);
}
