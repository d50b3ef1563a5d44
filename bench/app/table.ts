// A resources.arsc writer for the benchmark APK, written from the format. Unlike the small writer
// in test/app (which Concord alone reads), this one also writes the RES_TABLE_TYPE_SPEC chunk that
// precedes each type's RES_TABLE_TYPE chunks: Android's own parser (and so `aapt dump`) refuses a
// table whose types have no spec. One package (0x7f), one default configuration, simple values.
import { stringPool } from "../../test/app/axml-writer.js";

export type TableValue = { string: string } | { bool: boolean } | { int: number };

export interface TableType {
  /** Type name ("xml", "string", "drawable"); its id is its 1-based position. */
  name: string;
  entries: { key: string; value: TableValue }[];
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

/** An interning pool: each distinct string once, indexes in first-use order. */
class Pool {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();
  of(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.push(s) - 1;
      this.index.set(s, i);
    }
    return i;
  }
}

/** The resource id of entry `index` of the type at 1-based position `typeId`. */
export const resId = (typeId: number, index: number) => ((0x7f << 24) | (typeId << 16) | index) >>> 0;

export function writeTable(packageName: string, types: TableType[]): Buffer {
  const values = new Pool();
  const keys = new Pool();
  const chunks: Buffer[] = [];
  types.forEach((t, i) => {
    const id = i + 1;
    // The spec: one configuration-change mask per entry (0: the value does not vary).
    chunks.push(
      Buffer.concat([
        u16(0x0202),
        u16(16),
        u32(16 + t.entries.length * 4),
        Buffer.from([id, 0]),
        u16(0),
        u32(t.entries.length),
        Buffer.alloc(t.entries.length * 4),
      ]),
    );
    const bodies = t.entries.map(({ key, value }) => {
      const [type, data] =
        "string" in value
          ? [0x03, values.of(value.string)]
          : "bool" in value
            ? [0x12, value.bool ? 0xffffffff : 0]
            : [0x10, value.int];
      return Buffer.concat([u16(8), u16(0), u32(keys.of(key)), u16(8), Buffer.from([0, type]), u32(data)]);
    });
    const config = Buffer.concat([u32(64), Buffer.alloc(60)]); // the default configuration
    const headerSize = 20 + config.length;
    const entriesStart = headerSize + t.entries.length * 4;
    const offsets = bodies.map((_, j) => u32(j * 16));
    chunks.push(
      Buffer.concat([
        u16(0x0201),
        u16(headerSize),
        u32(entriesStart + bodies.length * 16),
        Buffer.from([id, 0]),
        u16(0),
        u32(t.entries.length),
        u32(entriesStart),
        config,
        ...offsets,
        ...bodies,
      ]),
    );
  });
  const typePool = stringPool(
    types.map((t) => t.name),
    false,
  );
  const keyPool = stringPool(keys.list, false);
  const name = Buffer.alloc(256);
  name.write(packageName.slice(0, 127), 0, "utf16le");
  const headerSize = 288;
  const body = Buffer.concat([typePool, keyPool, ...chunks]);
  const pkg = Buffer.concat([
    u16(0x0200),
    u16(headerSize),
    u32(headerSize + body.length),
    u32(0x7f),
    name,
    u32(headerSize), // type strings
    u32(types.length), // last public type
    u32(headerSize + typePool.length), // key strings
    u32(keys.list.length), // last public key
    u32(0), // type id offset
    body,
  ]);
  const pool = stringPool(values.list, true);
  return Buffer.concat([u16(0x0002), u16(12), u32(12 + pool.length + pkg.length), u32(1), pool, pkg]);
}
