// Extended attributes: an id table (ref into the key/value table, count, total size) indexed from
// each inode, and a key/value metadata table. Long values may be stored once "out of line" and
// referenced. Values become strings for VEntry.xattrs: printable UTF-8 as is, anything else
// (file capabilities, SELinux blobs with NULs) as "0x" and lowercase hex, so no byte is lost.
import { FormatError, u32le } from "../../source.js";
import type { SquashImage } from "./image.js";
import { LookupTable } from "./lookup.js";
import { Cursor, splitRef, type MetadataTable } from "./metadata.js";

const PREFIX: Record<number, string> = { 0: "user.", 1: "trusted.", 2: "security." };
const VALUE_OUT_OF_LINE = 0x100;
/** Linux refuses longer values (XATTR_SIZE_MAX). */
const MAX_VALUE = 65536;

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function xattrValue(b: Uint8Array): string {
  try {
    const text = utf8.decode(b);
    // eslint-disable-next-line no-control-regex
    if (!/[\u0000-\u0008\u000e-\u001f\u007f]/.test(text)) return text;
  } catch {
    // not UTF-8: fall through to hex
  }
  return `0x${Buffer.from(b).toString("hex")}`;
}

export class Xattrs {
  private readonly ids: LookupTable;
  private readonly kv: MetadataTable;

  constructor(
    private readonly img: SquashImage,
    idTablePos: number,
  ) {
    const h = img.bytes(idTablePos, 16, "xattr id table header");
    const kvStart = u32le(h, 0) + u32le(h, 4) * 2 ** 32;
    const count = u32le(h, 8);
    if (kvStart >= idTablePos) throw new FormatError(`${img.what}: xattr table starts after its id table`);
    this.ids = new LookupTable(img, "xattr id table", idTablePos + 16, count, 16);
    this.kv = { name: "xattr table", start: kvStart, end: idTablePos };
  }

  /** The attributes of xattr index `index`; unknown name prefixes are reported and skipped. */
  read(index: number, note: (p: string) => void): Record<string, string> {
    const e = this.ids.entry(index);
    const ref = splitRef(u32le(e, 0) + u32le(e, 4) * 2 ** 32);
    const count = u32le(e, 8);
    const size = u32le(e, 12);
    // Each pair takes at least 8 bytes (key header and value size), which bounds the count.
    if (count * 8 > size)
      throw new FormatError(`${this.img.what}: xattr set ${index} claims ${count} pairs in ${size} bytes`);
    const c = new Cursor(this.img, this.kv, ref.block, ref.offset);
    const out: Record<string, string> = {};
    for (let i = 0; i < count; i++) {
      const type = c.u16();
      const nameLen = c.u16();
      const name = Buffer.from(c.read(nameLen)).toString("utf8");
      const valueLen = c.u32();
      let value: Uint8Array;
      if (type & VALUE_OUT_OF_LINE) {
        if (valueLen !== 8)
          throw new FormatError(`${this.img.what}: xattr ${name} has a bad out-of-line reference`);
        const at = splitRef(c.u64());
        const v = new Cursor(this.img, this.kv, at.block, at.offset);
        value = this.value(v, v.u32(), name);
      } else value = this.value(c, valueLen, name);
      const prefix = PREFIX[type & 0xff];
      if (prefix === undefined)
        note(`${this.img.what}: xattr ${name} has unknown prefix id ${type & 0xff}; skipped`);
      else out[prefix + name] = xattrValue(value);
    }
    return out;
  }

  private value(c: Cursor, len: number, name: string): Uint8Array {
    if (len > MAX_VALUE) throw new FormatError(`${this.img.what}: xattr ${name} value of ${len} bytes`);
    return c.read(len);
  }
}
