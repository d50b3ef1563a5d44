// A small read-only ZIP reader for OSV's per-ecosystem archives (all.zip: one JSON record per
// entry). It reads the central directory the end record (or its zip64 form) points to, then each
// entry's data through its local header; stored and deflated entries only, one entry in memory at
// a time. The firmware unpacker's ZIP format works on its virtual filesystem and budget, which a
// feed import does not need.

import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { inflateRawSync } from "node:zlib";

export class ZipError extends Error {
  override name = "ZipError";
}

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const LOCATOR64 = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export class ZipReader {
  private readonly fd: number;
  readonly size: number;
  readonly entries: ZipEntry[];

  constructor(readonly path: string) {
    this.fd = openSync(path, "r");
    try {
      this.size = fstatSync(this.fd).size;
      this.entries = this.readDirectory();
    } catch (e) {
      closeSync(this.fd);
      throw e;
    }
  }

  close(): void {
    closeSync(this.fd);
  }

  private read(offset: number, length: number): Buffer {
    const buf = Buffer.alloc(length);
    const got = readSync(this.fd, buf, 0, length, offset);
    if (got < length) throw new ZipError(`${this.path}: unexpected end of file at byte ${offset + got}`);
    return buf;
  }

  private readDirectory(): ZipEntry[] {
    const tailLen = Math.min(this.size, 22 + 65535);
    if (tailLen < 22) throw new ZipError(`${this.path}: too short for a ZIP archive`);
    const tail = this.read(this.size - tailLen, tailLen);
    let at = -1;
    for (let i = tailLen - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        at = i;
        break;
      }
    }
    if (at < 0) throw new ZipError(`${this.path}: no end of central directory record (truncated?)`);
    let count = tail.readUInt16LE(at + 10);
    let cdSize = tail.readUInt32LE(at + 12);
    let cdOffset = tail.readUInt32LE(at + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const locAt = at - 20;
      if (locAt < 0 || tail.readUInt32LE(locAt) !== LOCATOR64) {
        throw new ZipError(`${this.path}: zip64 archive without a zip64 locator`);
      }
      const eocd64Offset = Number(tail.readBigUInt64LE(locAt + 8));
      const e64 = this.read(eocd64Offset, 56);
      if (e64.readUInt32LE(0) !== EOCD64) throw new ZipError(`${this.path}: bad zip64 end record`);
      count = Number(e64.readBigUInt64LE(32));
      cdSize = Number(e64.readBigUInt64LE(40));
      cdOffset = Number(e64.readBigUInt64LE(48));
    }
    if (cdOffset + cdSize > this.size) {
      throw new ZipError(`${this.path}: the central directory lies beyond the end of the file (truncated?)`);
    }
    const cd = this.read(cdOffset, cdSize);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let k = 0; k < count; k++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL) {
        throw new ZipError(`${this.path}: central directory entry ${k} is damaged`);
      }
      const method = cd.readUInt16LE(p + 10);
      let compressedSize = cd.readUInt32LE(p + 20);
      let size = cd.readUInt32LE(p + 24);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      let localOffset = cd.readUInt32LE(p + 42);
      const name = cd.toString("utf8", p + 46, p + 46 + nameLen);
      // zip64 extended information: the fields that overflowed, in this order.
      let x = p + 46 + nameLen;
      const xEnd = x + extraLen;
      while (x + 4 <= xEnd) {
        const id = cd.readUInt16LE(x);
        const len = cd.readUInt16LE(x + 2);
        if (id === 1) {
          let q = x + 4;
          if (size === 0xffffffff) {
            size = Number(cd.readBigUInt64LE(q));
            q += 8;
          }
          if (compressedSize === 0xffffffff) {
            compressedSize = Number(cd.readBigUInt64LE(q));
            q += 8;
          }
          if (localOffset === 0xffffffff) localOffset = Number(cd.readBigUInt64LE(q));
        }
        x += 4 + len;
      }
      entries.push({ name, method, compressedSize, size, localOffset });
      p = xEnd + commentLen;
    }
    return entries;
  }

  /** The contents of one entry. */
  readEntry(e: ZipEntry): Buffer {
    const local = this.read(e.localOffset, 30);
    if (local.readUInt32LE(0) !== LOCAL) throw new ZipError(`${this.path}: ${e.name}: bad local header`);
    const start = e.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    const raw = this.read(start, e.compressedSize);
    if (e.method === 0) return raw;
    if (e.method === 8) return inflateRawSync(raw);
    throw new ZipError(`${this.path}: ${e.name}: compression method ${e.method} is not supported`);
  }
}
