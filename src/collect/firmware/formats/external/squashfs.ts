// SquashFS variants the native reader recognises but does not read (lz4 compression, the
// big-endian "sqsh" of vendor SDKs, squashfs 1-3) go to unsquashfs, or to 7-Zip, when one is
// installed. Without one, the native reader's message stands: it already names squashfs-tools.
import { u16be, u16le, u32be, u32le, type Source } from "../../source.js";
import type { Extracted, FormatContext } from "../types.js";
import { extractExternally, type NeedsExternalTool } from "./extract.js";
import { P7ZIP, SEVEN_ZIP, UNSQUASHFS, type ExternalTool } from "./tools.js";

export const SQUASHFS_TOOLS: readonly ExternalTool[] = [UNSQUASHFS, SEVEN_ZIP, P7ZIP];

const COMPRESSION: Record<number, string> = { 1: "gzip", 2: "lzma", 3: "lzo", 4: "xz", 5: "lz4", 6: "zstd" };
const PAD = 4096;

interface Shape {
  version: string;
  endian: "little" | "big";
  compression?: string;
  bytesUsed?: number;
}

/** What the superblock says of any squashfs version, in either byte order, unvalidated. */
function shape(h: Uint8Array): Shape {
  const le = Buffer.from(h.subarray(0, 4)).toString("latin1") === "hsqs";
  const u16 = le ? u16le : u16be;
  const u32 = le ? u32le : u32be;
  const u64 = (o: number) => (le ? u32(h, o) + u32(h, o + 4) * 2 ** 32 : u32(h, o) * 2 ** 32 + u32(h, o + 4));
  const major = u16(h, 28);
  const out: Shape = { version: `${major}.${u16(h, 30)}`, endian: le ? "little" : "big" };
  // bytes_used: a u64 at 40 in 4.0, a u64 at 63 in 3.x (a packed struct), a u32 at 8 before.
  if (major === 4) {
    out.bytesUsed = u64(40);
    out.compression = COMPRESSION[u16(h, 20)] ?? `unknown (${u16(h, 20)})`;
  } else if (major === 3) out.bytesUsed = u64(63);
  else out.bytesUsed = u32(h, 8);
  return out;
}

/** The payload's extent: bytes_used when it is sane, with the 4 KiB zero padding after it. */
function extent(src: Source, offset: number, bytesUsed: number | undefined): number {
  const available = src.size - offset;
  if (bytesUsed === undefined || bytesUsed < 96 || bytesUsed > available) return available;
  const padded = Math.min(available, Math.ceil(bytesUsed / PAD) * PAD);
  const pad = src.read(offset + bytesUsed, padded - bytesUsed);
  return pad.every((b) => b === 0) ? padded : bytesUsed;
}

/**
 * Extract a squashfs variant with an external tool. Returns undefined when none is installed
 * (the caller keeps its own message); throws a FormatError that leads with `native`'s message
 * when every installed tool fails.
 */
export function squashfsExternally(
  src: Source,
  offset: number,
  ctx: FormatContext,
  native: NeedsExternalTool,
): Extracted | undefined {
  const what = `${src.name} squashfs@0x${offset.toString(16)}`;
  const sb = shape(src.read(offset, 96));
  const length = extent(src, offset, sb.bytesUsed);
  const result = extractExternally({
    src,
    offset,
    length,
    tools: SQUASHFS_TOOLS,
    args: (tool, input, out) =>
      tool.tool === UNSQUASHFS
        ? ["-no-progress", "-quiet", "-no-xattrs", "-d", out, input]
        : ["x", "-y", "-bso0", "-bsp0", "-snl", `-o${out}`, input],
    what,
    label: `squashfs@0x${offset.toString(16)}`,
    ctx,
    why: native.message.startsWith(`${what}: `) ? native.message.slice(what.length + 2) : native.message,
  });
  if (!result) return undefined;
  return {
    kind: "filesystem",
    fs: result.fs,
    consumed: length,
    detail: {
      version: sb.version,
      endian: sb.endian,
      ...(sb.compression ? { compression: sb.compression } : {}),
      ...(sb.bytesUsed !== undefined ? { bytesUsed: sb.bytesUsed } : {}),
      extractedBy: result.extractedBy,
    },
  };
}
