// U-Boot legacy images: a 64-byte big-endian header (magic 27 05 19 56, header and data CRC-32,
// sizes, addresses, OS, architecture, image type, compression, name) before the data. The data
// is handed back as a container part, to be carved like any payload (a gzip'd kernel, a ramdisk);
// multi-file and script images start with a table of sizes and become one part per image.
import { FormatError, u32be } from "../source.js";
import { hex, type Format } from "./types.js";
import { crc32 } from "../codecs/checksums.js";

const HEADER = 64;
const MAX_MULTI = 256;

// Numbering from U-Boot's include/image.h (checked against mkimage 2023.01).
const OS = [
  "invalid",
  "openbsd",
  "netbsd",
  "freebsd",
  "4_4bsd",
  "linux",
  "svr4",
  "esix",
  "solaris",
  "irix",
  "sco",
  "dell",
  "ncr",
  "lynxos",
  "vxworks",
  "psos",
  "qnx",
  "u-boot",
  "rtems",
  "artos",
  "unity",
  "integrity",
  "ose",
  "plan9",
  "openrtos",
  "arm-trusted-firmware",
  "tee",
  "opensbi",
  "efi",
];
const ARCH = [
  "invalid",
  "alpha",
  "arm",
  "x86",
  "ia64",
  "mips",
  "mips64",
  "powerpc",
  "s390",
  "sh",
  "sparc",
  "sparc64",
  "m68k",
  "nios",
  "microblaze",
  "nios2",
  "blackfin",
  "avr32",
  "st200",
  "sandbox",
  "nds32",
  "or1k",
  "arm64",
  "arc",
  "x86_64",
  "xtensa",
  "riscv",
];
const TYPE = [
  "invalid",
  "standalone",
  "kernel",
  "ramdisk",
  "multi",
  "firmware",
  "script",
  "filesystem",
  "flat_dt",
  "kwbimage",
  "imximage",
  "ublimage",
  "omapimage",
  "aisimage",
  "kernel_noload",
  "pblimage",
  "mxsimage",
  "gpimage",
  "atmelimage",
  "socfpgaimage",
  "x86_setup",
  "lpc32xximage",
  "loadable",
  "rkimage",
  "rksd",
  "rkspi",
  "zynqimage",
  "zynqmpimage",
  "zynqmpbif",
  "fpga",
  "vybridimage",
  "tee",
  "firmware_ivt",
  "pmmc",
  "stm32image",
  "socfpgaimage_v1",
  "mtk_image",
];
const COMPRESSION = ["none", "gzip", "bzip2", "lzma", "lzo", "lz4", "zstd"];
const TYPE_MULTI = 4;
const TYPE_SCRIPT = 6;

const named = (table: string[], n: number) => table[n] ?? `unknown-${n}`;
const hex32 = (n: number) => `0x${n.toString(16).padStart(8, "0")}`;

export const uimageFormat: Format = {
  id: "uimage",
  version: "1",
  magics: [{ bytes: hex("27051956"), at: 0 }],
  probe(src, offset) {
    return src.read(offset, HEADER).length === HEADER;
  },
  extract(src, offset, ctx) {
    const what = `${src.name} uimage@0x${offset.toString(16)}`;
    const h = Uint8Array.from(src.read(offset, HEADER));
    const headerCrc = u32be(h, 4);
    h.fill(0, 4, 8); // the CRC covers the header with its own field zeroed
    if (crc32(h) !== headerCrc) throw new FormatError(`${what}: header CRC-32 does not match`);
    const size = u32be(h, 12);
    const type = h[30]!;
    const available = Math.max(0, Math.min(size, src.size - offset - HEADER));
    if (available < size)
      ctx.note(`${what}: header says ${size} bytes of data but only ${available} follow; kept what is there`);
    // A checksum over a large image costs little next to carving it, and tells tampering apart.
    const dataCrcOk = available === size ? crc32(src.read(offset + HEADER, size)) === u32be(h, 24) : false;
    if (available === size && !dataCrcOk) ctx.note(`${what}: data CRC-32 does not match the header`);
    const nameBytes = h.subarray(32, 64);
    const end = nameBytes.indexOf(0);
    const detail = {
      name: Buffer.from(nameBytes.subarray(0, end < 0 ? 32 : end)).toString("latin1"),
      type: named(TYPE, type),
      arch: named(ARCH, h[29]!),
      os: named(OS, h[28]!),
      compression: named(COMPRESSION, h[31]!),
      load: hex32(u32be(h, 16)),
      entry: hex32(u32be(h, 20)),
      time: u32be(h, 8),
      size,
      dataCrcOk,
    };
    const parts =
      type === TYPE_MULTI || type === TYPE_SCRIPT
        ? multiParts(src.read(offset + HEADER, available), what, (p) => ctx.note(p))
        : [{ offset: HEADER, length: available, label: detail.type }];
    return { kind: "container", parts, consumed: HEADER + available, detail };
  },
};

/** Multi-file data: big-endian sizes ended by a zero, then each image padded to 4 bytes. */
function multiParts(data: Uint8Array, what: string, note: (p: string) => void) {
  const sizes: number[] = [];
  let pos = 0;
  for (;;) {
    if (pos + 4 > data.length) {
      note(`${what}: multi-file size table runs past the data`);
      return [];
    }
    const s = u32be(data, pos);
    pos += 4;
    if (s === 0) break;
    if (sizes.length === MAX_MULTI) {
      note(`${what}: more than ${MAX_MULTI} images in a multi-file image; the rest is skipped`);
      return [];
    }
    sizes.push(s);
  }
  const parts: { offset: number; length: number; label: string }[] = [];
  for (const [i, s] of sizes.entries()) {
    if (pos + s > data.length) {
      if (pos >= data.length) {
        note(`${what}: images ${i} and later of the multi-file image are missing`);
        break;
      }
      note(`${what}: image ${i} of the multi-file image runs past the data; kept what is there`);
      parts.push({ offset: HEADER + pos, length: data.length - pos, label: `image${i}` });
      break;
    }
    parts.push({ offset: HEADER + pos, length: s, label: `image${i}` });
    pos += Math.ceil(s / 4) * 4;
  }
  return parts;
}
