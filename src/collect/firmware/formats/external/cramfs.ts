// CramFS, the compressed ROM filesystem of older cameras and set-top boxes, read natively: it
// is small (a superblock, 12-byte inodes packed with their names, file data in zlib-compressed
// page-sized blocks), so no external tool is needed. Written from the on-disk layout the Linux
// headers describe (include/uapi/linux/cramfs_fs.h); either byte order, 512-byte boot padding,
// holes and the extended block pointers of newer images are handled.
import { decompress } from "../../codecs/index.js";
import { LimitError } from "../../limits.js";
import { FormatError, u32be, u32le, type Source } from "../../source.js";
import { entryTypeOfMode, S_IFMT, VirtualFS } from "../../vfs.js";
import { crc32 } from "../../codecs/checksums.js";
import { hex, type Format, type FormatContext } from "../types.js";

const SUPERBLOCK = 76; // 64 bytes of superblock, then the root inode
const BOOT_PAD = 512;
const SIGNATURE = "Compressed ROMFS";
const FLAG_FSID_V2 = 0x1;
const FLAG_SHIFTED_ROOT = 0x400;
const FLAG_EXT_POINTERS = 0x800;
/** What the kernel accepts: the low byte (versions) and holes, wrong signature, shifted root, ext pointers. */
const SUPPORTED_FLAGS = 0xff | 0x100 | 0x200 | 0x400 | 0x800;
const FLAG_NAMES: Record<number, string> = {
  0x1: "fsid-v2",
  0x2: "sorted-dirs",
  0x100: "holes",
  0x200: "wrong-signature",
  0x400: "shifted-root-offset",
  0x800: "ext-block-pointers",
};
const BLK_UNCOMPRESSED = 0x80000000;
const BLK_DIRECT = 0x40000000;
const BLK_ADDRESS = 0x3fffffff;
const MAX_DEPTH = 256;
const MAX_LINK = 4096;

interface Inode {
  mode: number;
  uid: number;
  gid: number;
  /** File size, or the device number of a device. */
  size: number;
  /** Bytes of name after the inode (a multiple of 4). */
  nameLen: number;
  /** Where the directory's entries or the file's block pointers are, from the image start. */
  offset: number;
}

interface Endian {
  big: boolean;
  u32(b: Uint8Array, o: number): number;
}

// The inode is three words of C bit-fields: the first field takes the low bits on a
// little-endian machine and the high bits on a big-endian one.
function inodeAt(b: Uint8Array, o: number, e: Endian): Inode {
  const w0 = e.u32(b, o);
  const w1 = e.u32(b, o + 4);
  const w2 = e.u32(b, o + 8);
  return e.big
    ? {
        mode: w0 >>> 16,
        uid: w0 & 0xffff,
        size: w1 >>> 8,
        gid: w1 & 0xff,
        nameLen: (w2 >>> 26) * 4,
        offset: (w2 & 0x3ffffff) * 4,
      }
    : {
        mode: w0 & 0xffff,
        uid: w0 >>> 16,
        size: w1 & 0xffffff,
        gid: w1 >>> 24,
        nameLen: (w2 & 0x3f) * 4,
        offset: (w2 >>> 6) * 4,
      };
}

function endianOf(h: Uint8Array): Endian | undefined {
  if (h.length < SUPERBLOCK) return undefined;
  if (u32le(h, 0) === 0x28cd3d45) return { big: false, u32: u32le };
  if (u32be(h, 0) === 0x28cd3d45) return { big: true, u32: u32be };
  return undefined;
}

/** Bounded reads of one cramfs: positions are from the image start (before any boot padding). */
class CramImage {
  constructor(
    readonly src: Source,
    /** Where position 0 is in the source; negative when the boot padding was cut off. */
    readonly base: number,
    /** First position after the superblock: no inode data lies before it. */
    readonly low: number,
    /** End of the filesystem present in the source. */
    readonly end: number,
    readonly e: Endian,
    readonly flags: number,
    readonly blockSize: number,
    readonly what: string,
  ) {}

  bytes(pos: number, length: number, why: string): Uint8Array {
    if (pos < this.low || length < 0 || pos + length > this.end)
      throw new FormatError(
        `${this.what}: ${why} at 0x${pos.toString(16)} (+${length}) is outside the filesystem`,
      );
    return this.src.read(this.base + pos, length);
  }

  /** Where block `i` of a file of `blocks` blocks lies, and whether it is stored uncompressed. */
  blockExtent(ptrs: Uint8Array, i: number, start0: number): { start: number; length: number; raw: boolean } {
    const ptr = this.e.u32(ptrs, i * 4);
    if (!(this.flags & FLAG_EXT_POINTERS)) {
      const start = i === 0 ? start0 : this.e.u32(ptrs, i * 4 - 4);
      return { start, length: ptr - start, raw: false };
    }
    const raw = (ptr & BLK_UNCOMPRESSED) !== 0;
    if (ptr & BLK_DIRECT) {
      // A direct pointer gives the block's start (in words); a compressed block starts with its length.
      const start = (ptr & BLK_ADDRESS) * 4;
      if (raw) return { start, length: -1, raw };
      const len = this.bytes(start, 2, "block length");
      return {
        start: start + 2,
        length: this.e.big ? (len[0]! << 8) | len[1]! : len[0]! | (len[1]! << 8),
        raw,
      };
    }
    // Otherwise the pointer is the block's end; it starts where the previous block ended.
    let start = start0;
    if (i > 0) {
      const prev = this.e.u32(ptrs, i * 4 - 4);
      if (prev & BLK_DIRECT) {
        const at = (prev & BLK_ADDRESS) * 4;
        if (prev & BLK_UNCOMPRESSED) start = at + this.blockSize;
        else {
          const len = this.bytes(at, 2, "block length");
          start = at + 2 + (this.e.big ? (len[0]! << 8) | len[1]! : len[0]! | (len[1]! << 8));
        }
      } else start = prev & BLK_ADDRESS;
    }
    return { start, length: (ptr & BLK_ADDRESS) - start, raw };
  }

  /** A regular file's (or a symlink's) content. */
  content(node: Inode, path: string): Uint8Array {
    const out = new Uint8Array(node.size);
    if (node.size === 0) return out;
    if (node.offset === 0)
      throw new FormatError(`${this.what}: "${path}" has ${node.size} bytes but no data`);
    const blocks = Math.ceil(node.size / this.blockSize);
    const ptrs = this.bytes(node.offset, blocks * 4, `block pointers of "${path}"`);
    const start0 = node.offset + blocks * 4;
    for (let i = 0; i < blocks; i++) {
      const want = Math.min(this.blockSize, node.size - i * this.blockSize);
      const { start, length: stored, raw } = this.blockExtent(ptrs, i, start0);
      const length = stored < 0 ? want : stored;
      if (length < 0 || length > this.blockSize * 2 + 64)
        throw new FormatError(`${this.what}: block ${i} of "${path}" has impossible length ${length}`);
      if (length === 0) continue; // a hole reads as zeros
      const data = this.bytes(start, length, `block ${i} of "${path}"`);
      if (raw) {
        out.set(data.subarray(0, want), i * this.blockSize);
        continue;
      }
      const cap = {
        max: want,
        limit: "maxRatio" as const,
        why: `more than the ${want} bytes the block holds`,
      };
      try {
        out.set(decompress("zlib", data, cap, `${this.what} "${path}" block ${i}`).data, i * this.blockSize);
      } catch (e) {
        if (e instanceof LimitError) throw new FormatError(e.message);
        throw e;
      }
    }
    return out;
  }
}

/**
 * Page size is not recorded; mkfs.cramfs uses the host's (4 KiB almost everywhere). Find the
 * first file with more than one block and keep the size for which its first block begins with a
 * zlib header right after its pointer table.
 */
function guessBlockSize(img: CramImage, nodes: Inode[]): number {
  const sample = nodes.find((n) => (n.mode & S_IFMT) === 0o100000 && n.size > 4096 && n.offset > 0);
  if (!sample || img.flags & FLAG_EXT_POINTERS) return 4096;
  for (const size of [4096, 8192, 16384, 32768, 65536]) {
    const start = sample.offset + Math.ceil(sample.size / size) * 4;
    const h = img.src.read(img.base + start, 2);
    if (h.length === 2 && (h[0]! & 0x0f) === 8 && ((h[0]! << 8) | h[1]!) % 31 === 0) return size;
  }
  return 4096;
}

function looksLikeCramfs(h: Uint8Array): Endian | undefined {
  const e = endianOf(h);
  if (!e) return undefined;
  if (Buffer.from(h.subarray(16, 32)).toString("latin1") !== SIGNATURE) return undefined;
  const root = inodeAt(h, 64, e);
  return (root.mode & S_IFMT) === 0o040000 && e.u32(h, 4) >= SUPERBLOCK ? e : undefined;
}

export const cramfsFormat: Format = {
  id: "cramfs",
  version: "1",
  magics: [
    { bytes: hex("453dcd28"), at: 0 },
    { bytes: hex("28cd3d45"), at: 0 },
  ],
  probe(src, offset) {
    return looksLikeCramfs(src.read(offset, SUPERBLOCK)) !== undefined;
  },
  extract(src, offset, ctx) {
    const what = `${src.name} cramfs@0x${offset.toString(16)}`;
    const h = src.read(offset, SUPERBLOCK);
    const e = looksLikeCramfs(h);
    if (!e) throw new FormatError(`${what}: not a cramfs superblock`);
    const size = e.u32(h, 4);
    const flags = e.u32(h, 8);
    if (flags & ~SUPPORTED_FLAGS)
      throw new FormatError(`${what}: unknown feature flags 0x${(flags & ~SUPPORTED_FLAGS).toString(16)}`);
    const root = inodeAt(h, 64, e);
    // Offsets count from the start of the device: with 512 bytes of boot code before the
    // superblock, the root directory sits at 512 + 76 and everything is shifted by the padding.
    const padded = !(flags & FLAG_SHIFTED_ROOT) && root.offset === BOOT_PAD + SUPERBLOCK;
    if (!(flags & FLAG_SHIFTED_ROOT) && root.size > 0 && !padded && root.offset !== SUPERBLOCK)
      throw new FormatError(
        `${what}: root directory at 0x${root.offset.toString(16)} is not right after the superblock`,
      );
    const base = padded ? offset - BOOT_PAD : offset;
    const sbAt = offset - base;
    if (size < sbAt + SUPERBLOCK)
      throw new FormatError(`${what}: size ${size} is smaller than its superblock`);
    const end = Math.min(size, src.size - base);
    if (end < size) ctx.note(`${what}: image is truncated (${end - sbAt} of ${size - sbAt} bytes present)`);

    let crc: "ok" | "mismatch" | "not checked" = "not checked";
    if (flags & FLAG_FSID_V2 && end === size) {
      const all = Buffer.from(src.read(offset, size - sbAt));
      const stored = e.u32(all, 32);
      all.fill(0, 32, 36);
      crc = crc32(all) === stored ? "ok" : "mismatch";
      if (crc === "mismatch") ctx.note(`${what}: CRC does not match; the image is damaged or was modified`);
    }

    const fs = new VirtualFS(`cramfs@0x${offset.toString(16)}`);
    const probeImg = new CramImage(src, base, sbAt + SUPERBLOCK, end, e, flags, 4096, what);
    const dirs: { node: Inode; path: string; depth: number }[] = [{ node: root, path: "", depth: 0 }];
    const visited = new Set<number>([root.offset]);
    const pending: { node: Inode; path: string }[] = [];
    let count = 0;
    // Directories first (they are small), so the block size can be guessed from any file.
    while (dirs.length) {
      const { node: dir, path: dirPath, depth } = dirs.pop()!;
      if (dir.size === 0) continue;
      let listing: Uint8Array;
      try {
        listing = probeImg.bytes(dir.offset, dir.size, `directory "${dirPath || "/"}"`);
      } catch (err) {
        if (!(err instanceof FormatError) || dirPath === "") throw err;
        ctx.note(err.message);
        continue;
      }
      for (let p = 0; p + 12 <= listing.length;) {
        const node = inodeAt(listing, p, e);
        const rawName = listing.subarray(p + 12, p + 12 + node.nameLen);
        p += 12 + node.nameLen;
        if (p > listing.length) {
          ctx.note(`${what}: directory "${dirPath || "/"}" ends inside an entry`);
          break;
        }
        if (++count % 256 === 0) ctx.budget.checkTime(what);
        ctx.budget.chargeFile(what);
        const nul = rawName.indexOf(0);
        const name = Buffer.from(nul < 0 ? rawName : rawName.subarray(0, nul)).toString("utf8");
        if (name === "" || name === "." || name === ".." || name.includes("/")) {
          ctx.note(`${what}: directory "${dirPath || "/"}" holds an entry named "${name}"; skipped`);
          continue;
        }
        const path = `${dirPath}/${name}`;
        const type = entryTypeOfMode(node.mode);
        if (type === "dir") {
          fs.add(path, { type, mode: node.mode & 0o7777, uid: node.uid, gid: node.gid, size: 0 });
          if (node.size === 0) continue;
          if (visited.has(node.offset)) {
            ctx.note(`${what}: directory "${path}" reuses the entries of another; not followed`);
            continue;
          }
          visited.add(node.offset);
          if (depth + 1 < MAX_DEPTH) dirs.push({ node, path, depth: depth + 1 });
          else ctx.note(`${what}: "${path}" nests deeper than ${MAX_DEPTH} levels; not followed`);
        } else pending.push({ node, path });
      }
    }

    const blockSize = guessBlockSize(
      probeImg,
      pending.map((p) => p.node),
    );
    const img = new CramImage(src, base, sbAt + SUPERBLOCK, end, e, flags, blockSize, what);
    for (const { node, path } of pending) addEntry(fs, img, node, path, ctx);
    return {
      kind: "filesystem",
      fs,
      consumed: end - sbAt,
      detail: {
        endian: e.big ? "big" : "little",
        size: size - sbAt,
        blockSize,
        edition: e.u32(h, 36),
        blocks: e.u32(h, 40),
        files: e.u32(h, 44),
        name: Buffer.from(h.subarray(48, 64))
          .toString("latin1")
          .replace(/\0[\s\S]*$/, ""),
        flags: Object.entries(FLAG_NAMES)
          .filter(([bit]) => flags & Number(bit))
          .map(([, n]) => n),
        ...(padded ? { bootPadding: BOOT_PAD } : {}),
        crc,
      },
    };
  },
};

function addEntry(fs: VirtualFS, img: CramImage, node: Inode, path: string, ctx: FormatContext): void {
  const type = entryTypeOfMode(node.mode);
  const base = { mode: node.mode & 0o7777, uid: node.uid, gid: node.gid };
  if (type === "file") {
    fs.add(path, {
      type,
      ...base,
      size: node.size,
      read: () => {
        ctx.budget.chargeBytes(node.size, img.what);
        return img.content(node, path);
      },
    });
  } else if (type === "symlink") {
    let target = "";
    try {
      if (node.size > MAX_LINK)
        throw new FormatError(`${img.what}: symlink "${path}" is ${node.size} bytes long`);
      target = Buffer.from(img.content(node, path)).toString("utf8");
    } catch (err) {
      if (!(err instanceof FormatError)) throw err;
      ctx.note(err.message);
    }
    fs.add(path, { type, ...base, size: 0, linkTarget: target });
  } else if (type === "char" || type === "block") {
    // A device keeps its number, in the old 16-bit encoding, where a file keeps its size.
    fs.add(path, {
      type,
      ...base,
      size: 0,
      device: { major: (node.size >> 8) & 0xff, minor: node.size & 0xff },
    });
  } else fs.add(path, { type, ...base, size: 0 });
}
