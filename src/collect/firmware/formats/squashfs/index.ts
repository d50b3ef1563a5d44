// SquashFS 4.0, the read-only root filesystem of most Linux firmware, read natively: the tree and
// metadata are indexed at extract time, file contents are decompressed only when read. Written
// from the on-disk format description (Documentation/filesystems/squashfs.rst and the format's
// published layout); no code of squashfs-tools or the kernel is used.
import { FormatError } from "../../source.js";
import { ascii, type Format } from "../types.js";
import { SquashImage } from "./image.js";
import { COMPRESSORS, flagNames, looksLikeSquashfs, parseSuperblock, SUPERBLOCK_SIZE } from "./superblock.js";
import { buildTree } from "./tree.js";
import { NeedsExternalTool } from "../external/extract.js";
import { SQUASHFS_TOOLS, squashfsExternally } from "../external/squashfs.js";
import { toolSignature } from "../external/tools.js";

/** mksquashfs pads the image to a multiple of 4 KiB after bytes_used (unless -nopad). */
const PAD = 4096;
/** A hostile image can produce a note per entry; past this many, only the count is reported. */
const MAX_NOTES = 100;

export const squashfsFormat: Format = {
  id: "squashfs",
  // Which external tool reads the variants is part of what an analysis depends on.
  get version() {
    return `1${toolSignature(SQUASHFS_TOOLS)}`;
  },
  magics: [
    { bytes: ascii("hsqs"), at: 0 },
    { bytes: ascii("sqsh"), at: 0 },
  ],
  probe(src, offset) {
    return looksLikeSquashfs(src.read(offset, SUPERBLOCK_SIZE));
  },
  extract(src, offset, ctx) {
    const what = `${src.name} squashfs@0x${offset.toString(16)}`;
    let notes = 0;
    const note = (p: string) => {
      if (++notes <= MAX_NOTES) ctx.note(p);
    };
    try {
      const available = src.size - offset;
      const sb = parseSuperblock(src.read(offset, SUPERBLOCK_SIZE), available, what);
      if (sb.bytesUsed > available)
        note(
          `${what}: image is truncated (${available} of ${sb.bytesUsed} bytes present); reading what is there`,
        );
      const comp = COMPRESSORS[sb.compressor]!;
      const img = new SquashImage(src, offset, sb, comp.codec!, ctx.budget, what);
      const fs = buildTree(img, ctx.budget, note, `squashfs@0x${offset.toString(16)}`);
      if (notes > MAX_NOTES) ctx.note(`${what}: ${notes - MAX_NOTES} more problems not listed`);
      return {
        kind: "filesystem",
        fs,
        consumed: consumed(src.read(offset + sb.bytesUsed, PAD), sb.bytesUsed, available),
        detail: {
          version: "4.0",
          compression: comp.name,
          blockSize: sb.blockSize,
          inodes: sb.inodeCount,
          bytesUsed: sb.bytesUsed,
          mtime: sb.mtime,
          flags: flagNames(sb.flags),
        },
      };
    } catch (e) {
      let error = e;
      // A variant we recognise but do not read goes to unsquashfs or 7-Zip when one is installed.
      if (e instanceof NeedsExternalTool)
        try {
          const external = squashfsExternally(src, offset, ctx, e);
          if (external) return external;
        } catch (f) {
          error = f;
        }
      // The probe is strict (magic, version, block size and its log agree), so an error here is
      // about a real squashfs: say so even where the engine keeps quiet about chance magics.
      if (error instanceof FormatError && offset !== 0) ctx.note(error.message);
      throw error;
    }
  },
};

/** bytes_used, extended over the zero padding mksquashfs adds, never into a following payload. */
function consumed(after: Uint8Array, bytesUsed: number, available: number): number {
  const padded = Math.ceil(bytesUsed / PAD) * PAD;
  const padding = after.subarray(0, padded - bytesUsed);
  const end = padding.length === padded - bytesUsed && padding.every((b) => b === 0) ? padded : bytesUsed;
  return Math.min(end, available);
}
