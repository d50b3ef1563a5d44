// POSIX tar (ustar, GNU and pax long names): 512-byte headers, octal fields, content padded to
// 512. Entries go into a VirtualFS whose file contents are views into the source buffer.
import { FormatError, readAll, sliceSource } from "../source.js";
import { VirtualFS, type EntryType } from "../vfs.js";
import { ascii, type Format } from "./types.js";

const BLOCK = 512;

function str(b: Uint8Array, off: number, len: number): string {
  const s = b.subarray(off, off + len);
  const end = s.indexOf(0);
  return Buffer.from(s.subarray(0, end < 0 ? len : end)).toString("utf8");
}

/** Octal, or GNU base-256 for large values; NaN when the field is garbage. */
function num(b: Uint8Array, off: number, len: number): number {
  if (b[off]! & 0x80) {
    let v = 0;
    for (let i = off + 1; i < off + len; i++) v = v * 256 + b[i]!;
    return v;
  }
  const t = str(b, off, len).trim();
  return t === "" ? 0 : /^[0-7]+$/.test(t) ? parseInt(t, 8) : NaN;
}

function checksumOk(h: Uint8Array): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
  return num(h, 148, 8) === sum;
}

const TYPES: Record<string, EntryType> = {
  "0": "file",
  "\0": "file",
  "7": "file",
  "1": "hardlink",
  "2": "symlink",
  "3": "char",
  "4": "block",
  "5": "dir",
  "6": "fifo",
};

export const tarFormat: Format = {
  id: "tar",
  version: "1",
  magics: [{ bytes: ascii("ustar"), at: 257 }],
  probe(src, offset) {
    const h = src.read(offset, BLOCK);
    return h.length === BLOCK && checksumOk(h);
  },
  extract(src, offset, ctx) {
    const what = `${src.name} tar@0x${offset.toString(16)}`;
    const buf = readAll(sliceSource(src, what, offset, src.size - offset));
    const fs = new VirtualFS(`tar@0x${offset.toString(16)}`);
    let pos = 0;
    let longName: string | undefined;
    let longLink: string | undefined;
    let pax: Record<string, string> = {};
    while (pos + BLOCK <= buf.length) {
      const h = buf.subarray(pos, pos + BLOCK);
      if (h.every((x) => x === 0)) {
        pos += BLOCK;
        break; // end-of-archive marker
      }
      if (!checksumOk(h)) {
        if (fs.size === 1) throw new FormatError(`${what}: first header has a bad checksum`);
        ctx.note(
          `${what}: header at +0x${pos.toString(16)} has a bad checksum; the rest of the archive is skipped`,
        );
        break;
      }
      const size = num(h, 124, 12);
      if (!Number.isFinite(size) || size < 0) {
        ctx.note(`${what}: header at +0x${pos.toString(16)} has an unreadable size`);
        break;
      }
      const typeflag = String.fromCharCode(h[156]!);
      const dataStart = pos + BLOCK;
      const dataEnd = Math.min(buf.length, dataStart + size);
      if (dataStart + size > buf.length) ctx.note(`${what}: entry at +0x${pos.toString(16)} is truncated`);
      const data = buf.subarray(dataStart, dataEnd);
      pos = dataStart + Math.ceil(size / BLOCK) * BLOCK;
      ctx.budget.checkTime(what);
      if (typeflag === "L") {
        longName = str(data, 0, data.length);
        continue;
      }
      if (typeflag === "K") {
        longLink = str(data, 0, data.length);
        continue;
      }
      if (typeflag === "x" || typeflag === "g") {
        pax = typeflag === "x" ? parsePax(data) : pax;
        continue;
      }
      const prefix = str(h, 345, 155);
      const name = pax.path ?? longName ?? (prefix ? `${prefix}/${str(h, 0, 100)}` : str(h, 0, 100));
      const link = pax.linkpath ?? longLink ?? str(h, 157, 100);
      longName = longLink = undefined;
      pax = {};
      const type = TYPES[typeflag] ?? "file";
      ctx.budget.chargeFile(what);
      fs.add(name, {
        type,
        mode: num(h, 100, 8) & 0o7777,
        uid: num(h, 108, 8) || 0,
        gid: num(h, 116, 8) || 0,
        size: type === "file" ? data.length : 0,
        mtime: num(h, 136, 12) || undefined,
        linkTarget: type === "symlink" || type === "hardlink" ? link : undefined,
        device:
          type === "char" || type === "block"
            ? { major: num(h, 329, 8) || 0, minor: num(h, 337, 8) || 0 }
            : undefined,
        read: type === "file" ? () => data : undefined,
      });
    }
    return { kind: "filesystem", fs, consumed: Math.min(pos, buf.length) };
  },
};

function parsePax(data: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  const text = Buffer.from(data).toString("utf8");
  let i = 0;
  while (i < text.length) {
    const sp = text.indexOf(" ", i);
    const len = parseInt(text.slice(i, sp), 10);
    if (!Number.isFinite(len) || len <= 0 || sp < 0) break;
    const rec = text.slice(sp + 1, i + len - 1);
    const eq = rec.indexOf("=");
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    i += len;
  }
  return out;
}
