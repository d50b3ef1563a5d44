// Broadcom TRX images (routers with CFE bootloaders): a little-endian header with the magic
// "HDR0", the total length, a CRC-32 over everything after the CRC field, flags and version, and
// the offsets of up to three (version 1) or four (version 2) partitions, typically a loader, a
// kernel and a root filesystem. Each partition becomes a container part.
import { FormatError, u32le } from "../source.js";
import { ascii, type Format } from "./types.js";
import { crc32Update } from "../codecs/checksums.js";

const CRC_FROM = 12;

export const trxFormat: Format = {
  id: "trx",
  version: "1",
  magics: [{ bytes: ascii("HDR0"), at: 0 }],
  probe(src, offset) {
    const h = src.read(offset, 32);
    const version = h.length === 32 ? u32le(h, 12) >>> 16 : 0;
    return (version === 1 || version === 2) && u32le(h, 4) >= 28;
  },
  extract(src, offset, ctx) {
    const what = `${src.name} trx@0x${offset.toString(16)}`;
    const h = src.read(offset, 32);
    const len = u32le(h, 4);
    const flagVersion = u32le(h, 12);
    const version = flagVersion >>> 16;
    const headerLen = version === 1 ? 28 : 32;
    if (len < headerLen) throw new FormatError(`${what}: length ${len} is shorter than the header`);
    const available = Math.min(len, src.size - offset);
    if (available < len) ctx.note(`${what}: header says ${len} bytes but only ${available} follow`);
    // Broadcom's CRC starts from all ones and is not inverted at the end.
    const crcOk =
      available === len &&
      crc32Update(0xffffffff, src.read(offset + CRC_FROM, len - CRC_FROM)) === u32le(h, 8);
    if (available === len && !crcOk) ctx.note(`${what}: CRC-32 does not match the header`);

    const offsets: { index: number; start: number }[] = [];
    for (let i = 0; i < (headerLen - 16) / 4; i++) {
      const start = u32le(h, 16 + 4 * i);
      if (start === 0) continue;
      if (start < headerLen || start >= len) {
        ctx.note(`${what}: partition ${i} offset 0x${start.toString(16)} is outside the image`);
        continue;
      }
      offsets.push({ index: i, start });
    }
    offsets.sort((a, b) => a.start - b.start);
    const parts = offsets
      .map(({ index, start }, k) => ({
        offset: start,
        length: Math.min(offsets[k + 1]?.start ?? len, available) - start,
        label: `part${index}`,
      }))
      .filter((p) => p.length > 0);
    return {
      kind: "container",
      parts,
      consumed: available,
      detail: { version, flags: flagVersion & 0xffff, length: len, crcOk },
    };
  },
};
