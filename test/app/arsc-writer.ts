// A small resources.arsc writer for tests, written from the format: a RES_TABLE_TYPE chunk with a
// global string pool and one package (id 0x7f) whose type and key string pools name the types and
// entries, and one RES_TABLE_TYPE_TYPE chunk per type and configuration holding simple entries
// (a string, a boolean or a reference). Offsets can be dense (u32), 16-bit, or sparse.
import { stringPool } from "./axml-writer.js";

export type ArscValue = { string: string } | { bool: boolean } | { ref: number } | { int: number };

export interface ArscType {
  /** Type name ("xml", "bool", "string"); its id is its 1-based position. */
  name: string;
  /** Entries by index; undefined leaves a hole (NO_ENTRY). */
  entries: ({ key: string; value: ArscValue } | undefined)[];
  /** A second configuration (e.g. a language) written before the default one. */
  other?: ({ key: string; value: ArscValue } | undefined)[];
  layout?: "dense" | "offset16" | "sparse";
}

const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};

export function writeArsc(types: ArscType[], packageId = 0x7f): Buffer {
  const globals: string[] = [];
  const gidx = (s: string) => {
    let i = globals.indexOf(s);
    if (i < 0) i = globals.push(s) - 1;
    return i;
  };
  const keys: string[] = [];
  const kidx = (s: string) => {
    let i = keys.indexOf(s);
    if (i < 0) i = keys.push(s) - 1;
    return i;
  };
  const typeChunk = (
    id: number,
    entries: ({ key: string; value: ArscValue } | undefined)[],
    layout: ArscType["layout"],
    config: Buffer,
  ) => {
    const bodies: Buffer[] = [];
    const offsets: (number | undefined)[] = [];
    let o = 0;
    for (const e of entries) {
      if (!e) {
        offsets.push(undefined);
        continue;
      }
      const v = e.value;
      const [type, data] =
        "string" in v
          ? [0x03, gidx(v.string)]
          : "bool" in v
            ? [0x12, v.bool ? 0xffffffff : 0]
            : "ref" in v
              ? [0x01, v.ref]
              : [0x10, v.int];
      const body = Buffer.concat([
        u16(8),
        u16(0),
        u32(kidx(e.key)),
        u16(8),
        Buffer.from([0, type]),
        u32(data),
      ]);
      offsets.push(o);
      o += body.length;
      bodies.push(body);
    }
    let table: Buffer;
    let flags = 0;
    let count = entries.length;
    if (layout === "sparse") {
      flags = 0x01;
      const present = offsets.map((off, i) => [i, off] as const).filter(([, off]) => off !== undefined);
      count = present.length;
      table = Buffer.concat(present.map(([i, off]) => Buffer.concat([u16(i), u16(off! / 4)])));
    } else if (layout === "offset16") {
      flags = 0x02;
      table = Buffer.concat(offsets.map((off) => u16(off === undefined ? 0xffff : off / 4)));
      if (table.length % 4) table = Buffer.concat([table, Buffer.alloc(2)]);
    } else table = Buffer.concat(offsets.map((off) => u32(off === undefined ? 0xffffffff : off)));
    const headerSize = 20 + config.length;
    const entriesStart = headerSize + table.length;
    const body = Buffer.concat(bodies);
    return Buffer.concat([
      u16(0x0201),
      u16(headerSize),
      u32(entriesStart + body.length),
      Buffer.from([id, flags]),
      u16(0),
      u32(count),
      u32(entriesStart),
      config,
      table,
      body,
    ]);
  };
  const defaultConfig = Buffer.concat([u32(64), Buffer.alloc(60)]);
  const frConfig = Buffer.concat([u32(64), Buffer.alloc(4), Buffer.from("fr"), Buffer.alloc(54)]);
  const chunks: Buffer[] = [];
  types.forEach((t, i) => {
    if (t.other) chunks.push(typeChunk(i + 1, t.other, t.layout, frConfig));
    chunks.push(typeChunk(i + 1, t.entries, t.layout, defaultConfig));
  });
  const typePool = stringPool(
    types.map((t) => t.name),
    false,
  );
  const keyPool = stringPool(keys, false);
  const headerSize = 288;
  const name = Buffer.alloc(256);
  name.write("com.example", 0, "utf16le");
  const pkgBody = Buffer.concat([typePool, keyPool, ...chunks]);
  const pkg = Buffer.concat([
    u16(0x0200),
    u16(headerSize),
    u32(headerSize + pkgBody.length),
    u32(packageId),
    name,
    u32(headerSize), // typeStrings
    u32(types.length),
    u32(headerSize + typePool.length), // keyStrings
    u32(keys.length),
    u32(0), // typeIdOffset
    pkgBody,
  ]);
  const pool = stringPool(globals, true);
  return Buffer.concat([u16(0x0002), u16(12), u32(12 + pool.length + pkg.length), u32(1), pool, pkg]);
}
