// cpio archives: "newc" (070701) and "crc" (070702) with hex fields and 4-byte alignment, and
// portable "odc" (070707) with octal fields. Initramfs images are newc.
import { FormatError, readAll, sliceSource } from "../source.js";
import { entryTypeOfMode, VirtualFS } from "../vfs.js";
import { ascii, type Format } from "./types.js";

function field(b: Uint8Array, off: number, len: number, radix: number): number {
  const t = Buffer.from(b.subarray(off, off + len)).toString("latin1");
  const ok = radix === 16 ? /^[0-9a-fA-F]+$/.test(t) : /^[0-7]+$/.test(t);
  if (!ok) throw new FormatError(`bad cpio header field "${t}"`);
  return parseInt(t, radix);
}

export const cpioFormat: Format = {
  id: "cpio",
  version: "1",
  magics: [
    { bytes: ascii("070701"), at: 0 },
    { bytes: ascii("070702"), at: 0 },
    { bytes: ascii("070707"), at: 0 },
  ],
  probe(src, offset) {
    const h = src.read(offset, 110);
    const magic = Buffer.from(h.subarray(0, 6)).toString("latin1");
    if (magic === "070707")
      return h.length >= 76 && /^[0-7]{70}$/.test(Buffer.from(h.subarray(6, 76)).toString("latin1"));
    return h.length === 110 && /^[0-9a-fA-F]{104}$/.test(Buffer.from(h.subarray(6, 110)).toString("latin1"));
  },
  extract(src, offset, ctx) {
    const what = `${src.name} cpio@0x${offset.toString(16)}`;
    const buf = readAll(sliceSource(src, what, offset, src.size - offset));
    const fs = new VirtualFS(`cpio@0x${offset.toString(16)}`);
    const inodes = new Map<string, string>(); // dev:ino -> first path, for hard links
    let pos = 0;
    while (pos + 6 <= buf.length) {
      const magic = Buffer.from(buf.subarray(pos, pos + 6)).toString("latin1");
      const newc = magic === "070701" || magic === "070702";
      if (!newc && magic !== "070707") {
        ctx.note(`${what}: no header at +0x${pos.toString(16)}; the rest is skipped`);
        break;
      }
      let mode: number,
        uid: number,
        gid: number,
        nlink: number,
        mtime: number,
        size: number,
        nameSize: number,
        ino: number,
        dev: number,
        rdevMajor: number,
        rdevMinor: number,
        headerLen: number;
      try {
        if (newc) {
          headerLen = 110;
          ino = field(buf, pos + 6, 8, 16);
          mode = field(buf, pos + 14, 8, 16);
          uid = field(buf, pos + 22, 8, 16);
          gid = field(buf, pos + 30, 8, 16);
          nlink = field(buf, pos + 38, 8, 16);
          mtime = field(buf, pos + 46, 8, 16);
          size = field(buf, pos + 54, 8, 16);
          dev = field(buf, pos + 62, 8, 16) * 65536 + field(buf, pos + 70, 8, 16);
          rdevMajor = field(buf, pos + 78, 8, 16);
          rdevMinor = field(buf, pos + 86, 8, 16);
          nameSize = field(buf, pos + 94, 8, 16);
        } else {
          headerLen = 76;
          dev = field(buf, pos + 6, 6, 8);
          ino = field(buf, pos + 12, 6, 8);
          mode = field(buf, pos + 18, 6, 8);
          uid = field(buf, pos + 24, 6, 8);
          gid = field(buf, pos + 30, 6, 8);
          nlink = field(buf, pos + 36, 6, 8);
          const rdev = field(buf, pos + 42, 6, 8);
          rdevMajor = rdev >> 8;
          rdevMinor = rdev & 0xff;
          mtime = field(buf, pos + 48, 11, 8);
          nameSize = field(buf, pos + 59, 6, 8);
          size = field(buf, pos + 65, 11, 8);
        }
      } catch (e) {
        if (fs.size === 1) throw new FormatError(`${what}: ${(e as Error).message}`);
        ctx.note(`${what}: ${(e as Error).message} at +0x${pos.toString(16)}; the rest is skipped`);
        break;
      }
      const align = (n: number) => (newc ? Math.ceil(n / 4) * 4 : n);
      const nameStart = pos + headerLen;
      const name = Buffer.from(
        buf.subarray(nameStart, Math.min(buf.length, nameStart + nameSize - 1)),
      ).toString("utf8");
      const dataStart = align(nameStart + nameSize);
      const dataEnd = Math.min(buf.length, dataStart + size);
      if (dataStart + size > buf.length) ctx.note(`${what}: entry "${name}" is truncated`);
      pos = align(dataStart + size);
      if (name === "TRAILER!!!") break;
      ctx.budget.chargeFile(what);
      ctx.budget.checkTime(what);
      const type = entryTypeOfMode(mode);
      const data = buf.subarray(Math.min(dataStart, buf.length), dataEnd);
      const key = `${dev}:${ino}`;
      // newc stores hard-linked content once, with the last link; earlier links have size 0.
      if (type === "file" && nlink > 1 && size === 0 && ino !== 0) {
        if (!inodes.has(key)) inodes.set(key, name);
      }
      const entry = fs.add(name, {
        type: type === "symlink" ? "symlink" : type,
        mode: mode & 0o7777,
        uid,
        gid,
        size: type === "file" ? data.length : 0,
        mtime,
        linkTarget: type === "symlink" ? Buffer.from(data).toString("utf8") : undefined,
        device: type === "char" || type === "block" ? { major: rdevMajor, minor: rdevMinor } : undefined,
        read: type === "file" ? () => data : undefined,
      });
      if (type === "file" && nlink > 1 && size > 0) {
        const first = inodes.get(key);
        if (first && first !== entry.path) {
          const target = fs.get(first);
          if (target) Object.assign(target, { type: "hardlink", linkTarget: entry.path, read: undefined });
        }
      }
    }
    return { kind: "filesystem", fs, consumed: Math.min(pos, buf.length) };
  },
};
