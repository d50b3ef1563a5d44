// A small Android binary XML writer for tests, written from the format (there is no Android SDK
// here): a RES_XML_TYPE chunk with a string pool (UTF-16 or UTF-8), a resource map for android:
// attribute names, a namespace node and element/CDATA nodes with typed attribute values.
export const ANDROID = "http://schemas.android.com/apk/res/android";

export const RES = {
  name: 0x01010003,
  permission: 0x01010006,
  debuggable: 0x0101000f,
  exported: 0x01010010,
  minSdkVersion: 0x0101020c,
  versionCode: 0x0101021b,
  versionName: 0x0101021c,
  targetSdkVersion: 0x01010270,
  allowBackup: 0x01010280,
  usesCleartextTraffic: 0x010104ec,
  networkSecurityConfig: 0x01010527,
} as const;

export type Value = string | number | boolean | { ref: number };

export interface Node {
  name: string;
  /** Attribute names: "android:x" uses the android namespace and resource id; plain names have none. */
  attrs?: Record<string, Value>;
  children?: Node[];
  text?: string;
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
const pad4 = (b: Buffer) => Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);

export function stringPool(strings: string[], utf8: boolean): Buffer {
  const datas = strings.map((s) => {
    if (utf8) {
      const bytes = Buffer.from(s, "utf8");
      const len = (n: number) => (n < 0x80 ? Buffer.from([n]) : Buffer.from([0x80 | (n >> 8), n & 0xff]));
      return Buffer.concat([len(s.length), len(bytes.length), bytes, Buffer.from([0])]);
    }
    return Buffer.concat([u16(s.length), Buffer.from(s, "utf16le"), u16(0)]);
  });
  const offsets: number[] = [];
  let o = 0;
  for (const d of datas) {
    offsets.push(o);
    o += d.length;
  }
  const body = pad4(Buffer.concat(datas));
  const headerSize = 28;
  const stringsStart = headerSize + strings.length * 4;
  const size = stringsStart + body.length;
  return Buffer.concat([
    u16(0x0001),
    u16(headerSize),
    u32(size),
    u32(strings.length),
    u32(0),
    u32(utf8 ? 0x100 : 0),
    u32(stringsStart),
    u32(0),
    ...offsets.map(u32),
    body,
  ]);
}

export function writeAxml(root: Node, opts: { utf8?: boolean } = {}): Buffer {
  // Android attribute names come first so the resource map lines up with their indexes.
  const androidNames: string[] = [];
  const visit = (n: Node) => {
    for (const k of Object.keys(n.attrs ?? {})) {
      if (k.startsWith("android:")) {
        const name = k.slice(8);
        if (!androidNames.includes(name)) androidNames.push(name);
      }
    }
    (n.children ?? []).forEach(visit);
  };
  visit(root);
  const strings = [...androidNames];
  const idx = (s: string) => {
    let i = strings.indexOf(s);
    if (i < 0) {
      i = strings.length;
      strings.push(s);
    }
    return i;
  };
  const nodes: Buffer[] = [];
  const node = (type: number, line: number, ext: Buffer) =>
    Buffer.concat([u16(type), u16(16), u32(16 + ext.length), u32(line), u32(0xffffffff), ext]);
  const nsUri = idx(ANDROID);
  const nsPrefix = idx("android");
  nodes.push(node(0x0100, 1, Buffer.concat([u32(nsPrefix), u32(nsUri)])));
  let line = 2;
  const emit = (n: Node) => {
    const attrs = Object.entries(n.attrs ?? {}).map(([k, v]) => {
      const android = k.startsWith("android:");
      const name = idx(android ? k.slice(8) : k);
      let raw = 0xffffffff;
      let type: number;
      let data: number;
      if (typeof v === "string") {
        raw = idx(v);
        type = 0x03;
        data = raw;
      } else if (typeof v === "boolean") {
        type = 0x12;
        data = v ? 0xffffffff : 0;
      } else if (typeof v === "number") {
        type = 0x10;
        data = v;
      } else {
        type = 0x01;
        data = v.ref;
      }
      return Buffer.concat([
        u32(android ? nsUri : 0xffffffff),
        u32(name),
        u32(raw),
        u16(8),
        Buffer.from([0, type]),
        u32(data),
      ]);
    });
    const nameIdx = idx(n.name);
    nodes.push(
      node(
        0x0102,
        line++,
        Buffer.concat([
          u32(0xffffffff),
          u32(nameIdx),
          u16(20),
          u16(20),
          u16(attrs.length),
          u16(0),
          u16(0),
          u16(0),
          ...attrs,
        ]),
      ),
    );
    if (n.text !== undefined)
      nodes.push(
        node(0x0104, line++, Buffer.concat([u32(idx(n.text)), u16(8), Buffer.from([0, 0]), u32(0)])),
      );
    (n.children ?? []).forEach(emit);
    nodes.push(node(0x0103, line++, Buffer.concat([u32(0xffffffff), u32(nameIdx)])));
  };
  emit(root);
  nodes.push(node(0x0101, line, Buffer.concat([u32(nsPrefix), u32(nsUri)])));
  const ids = androidNames.map((n) => {
    const id = (RES as Record<string, number>)[n];
    if (id === undefined) throw new Error(`no resource id for android:${n}`);
    return id;
  });
  const resMap = Buffer.concat([u16(0x0180), u16(8), u32(8 + ids.length * 4), ...ids.map(u32)]);
  const body = Buffer.concat([stringPool(strings, opts.utf8 ?? false), resMap, ...nodes]);
  return Buffer.concat([u16(0x0003), u16(8), u32(8 + body.length), body]);
}
