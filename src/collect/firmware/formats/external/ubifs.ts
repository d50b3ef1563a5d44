// UBIFS, the filesystem inside most UBI volumes. Reading it natively means its B-tree index,
// journal replay and three compressors: too large to do here. Debian has no tool that reads it
// without the kernel's MTD layer (mtd-utils mounts it through the kernel), so Concord hands it
// to ubi_reader's ubireader_extract_files when that is installed, and otherwise says what it is
// and where to get the tool. The superblock node is parsed natively for the detail.
import { FormatError, u16le, u32le, type Source } from "../../source.js";
import { crc32Update } from "../../codecs/checksums.js";
import { hex, type Format } from "../types.js";
import { extractExternally } from "./extract.js";
import { toolSignature, UBIREADER } from "./tools.js";

const NODE_MAGIC = 0x06101831;
const SB_NODE = 6;
const SB_NODE_SIZE = 4096;
const COMPRESSORS: Record<number, string> = { 0: "none", 1: "lzo", 2: "zlib", 3: "zstd" };

interface UbifsSuperblock {
  minIoSize: number;
  lebSize: number;
  lebCount: number;
  fmtVersion: number;
  compression: string;
}

/** The superblock node, when the bytes are one: node magic, type, length and CRC all agree. */
function superblock(b: Uint8Array): UbifsSuperblock | undefined {
  if (b.length < 128 || u32le(b, 0) !== NODE_MAGIC || b[20] !== SB_NODE) return undefined;
  const len = u32le(b, 16);
  if (len < 128 || len > SB_NODE_SIZE || len > b.length) return undefined;
  // The node CRC covers everything after the magic and the CRC itself (UBI-style CRC-32).
  if (crc32Update(0xffffffff, b.subarray(8, len)) !== u32le(b, 4)) return undefined;
  const sb = {
    minIoSize: u32le(b, 32),
    lebSize: u32le(b, 36),
    lebCount: u32le(b, 40),
    fmtVersion: u32le(b, 80),
    compression: COMPRESSORS[u16le(b, 84)] ?? `unknown (${u16le(b, 84)})`,
  };
  const pow2 = (n: number) => n > 0 && (n & (n - 1)) === 0;
  if (!pow2(sb.minIoSize) || sb.lebSize < 4096 || sb.lebSize > 1 << 24 || sb.lebCount === 0) return undefined;
  return sb;
}

const needsTool = (what: string, sb: UbifsSuperblock) =>
  `${what}: UBIFS (${sb.lebCount} blocks of ${sb.lebSize} bytes, ${sb.compression} compression) cannot be read natively, and no Debian package reads it without the kernel's MTD layer; install ubi_reader elsewhere (pip install ubi_reader) so that ubireader_extract_files is on PATH`;

export const ubifsFormat: Format = {
  id: "ubifs",
  get version() {
    return `1${toolSignature([UBIREADER])}`;
  },
  magics: [{ bytes: hex("31181006"), at: 0 }],
  probe(src: Source, offset: number) {
    return superblock(src.read(offset, SB_NODE_SIZE)) !== undefined;
  },
  extract(src, offset, ctx) {
    const what = `${src.name} ubifs@0x${offset.toString(16)}`;
    const sb = superblock(src.read(offset, SB_NODE_SIZE));
    if (!sb) throw new FormatError(`${what}: superblock node is damaged`);
    const length = Math.min(src.size - offset, sb.lebCount * sb.lebSize);
    const result = extractExternally({
      src,
      offset,
      length,
      tools: [UBIREADER],
      // -k keeps modes and owners, which needs root (it chowns).
      args: (_tool, input, out) => [...(process.getuid?.() === 0 ? ["-k"] : []), "-o", out, input],
      what,
      label: `ubifs@0x${offset.toString(16)}`,
      ctx,
    });
    if (!result) {
      // The superblock node checked out, so this is a real UBIFS: say so wherever it sits.
      const message = needsTool(what, sb);
      if (offset !== 0) ctx.note(message);
      throw new FormatError(message);
    }
    return {
      kind: "filesystem",
      fs: result.fs,
      consumed: length,
      detail: { ...sb, extractedBy: result.extractedBy },
    };
  },
};
