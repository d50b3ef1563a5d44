// LZMA-alone (.lzma, the kernel's and U-Boot's lzma, old vendor root filesystems). There is no
// magic: the 13-byte header is a properties byte, a dictionary size and the uncompressed size.
// Scanning keys on the common properties bytes followed by a dictionary size that is a multiple
// of 64 KiB (so "5D 00 00"), and the probe then insists on everything an encoder really writes:
// a dictionary of 2^n or 3 * 2^n bytes up to 1 GiB, a size that is unknown (all ones) or below
// 256 GiB, and the range coder's leading zero byte.
import { parsePropsByte } from "../codecs/lzma.js";
import { extractStream } from "../codecs/stream-format.js";
import { u32le } from "../source.js";
import { hex, type Format } from "./types.js";

/**
 * Properties bytes encoders use: 0x5D is lc=3 lp=0 pb=2 (the LZMA SDK and xz default), 0x5E
 * lc=4, 0x6C/0x6D lp=2 (tuned for 32-bit code). Bytes that also match zero padding are left out.
 */
const PROPS = [0x5d, 0x5e, 0x6c, 0x6d];

function plausibleDict(d: number): boolean {
  if (d < 4096 || d > 2 ** 30) return false;
  const low = d & -d; // lowest set bit
  return d === low || d === low * 3;
}

export const lzmaFormat: Format = {
  id: "lzma",
  version: "1",
  magics: PROPS.map((p) => ({ bytes: hex(`${p.toString(16).padStart(2, "0")}0000`), at: 0 })),
  probe(src, offset) {
    const h = src.read(offset, 14);
    if (h.length < 14 || !parsePropsByte(h[0]!)) return false;
    const { lc, lp } = parsePropsByte(h[0]!)!;
    if (lc + lp > 4) return false;
    if (!plausibleDict(u32le(h, 1))) return false;
    if (h[13] !== 0) return false;
    let allOnes = true;
    for (let i = 5; i < 13; i++) if (h[i] !== 0xff) allOnes = false;
    if (allOnes) return true;
    const high = u32le(h, 9);
    return high < 64 && (high > 0 || u32le(h, 5) > 0);
  },
  extract: (src, offset, ctx) => extractStream("lzma", "lzma", src, offset, ctx),
};
