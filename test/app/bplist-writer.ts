// A binary property list writer for tests ("bplist00"), written from the format: objects in
// order, an offset table, and the 32-byte trailer. python3's plistlib is the independent writer
// the tests compare against; this one exists to build hostile files (cycles, bad offsets, lies).
type V = string | number | boolean | Date | Uint8Array | V[] | { [k: string]: V };

export function writeBplist(root: V, opts: { refSize?: number; offsetSize?: number } = {}): Buffer {
  const objects: Buffer[] = [];
  const refSize = opts.refSize ?? 2;
  const ref = (n: number) => {
    const b = Buffer.alloc(refSize);
    b.writeUIntBE(n, 0, refSize);
    return b;
  };
  const len = (kind: number, n: number) =>
    n < 15
      ? Buffer.from([(kind << 4) | n])
      : Buffer.concat([Buffer.from([(kind << 4) | 0xf, 0x12]), u32be(n)]);
  const add = (v: V): number => {
    const i = objects.length;
    objects.push(Buffer.alloc(0)); // reserve the index: containers refer forward to their items
    let b: Buffer;
    if (typeof v === "boolean") b = Buffer.from([v ? 0x09 : 0x08]);
    else if (typeof v === "number" && Number.isInteger(v)) {
      const x = Buffer.alloc(8);
      x.writeBigInt64BE(BigInt(v));
      b = Buffer.concat([Buffer.from([0x13]), x]);
    } else if (typeof v === "number") {
      const x = Buffer.alloc(8);
      x.writeDoubleBE(v);
      b = Buffer.concat([Buffer.from([0x23]), x]);
    } else if (typeof v === "string") {
      b = [...v].every((c) => c.charCodeAt(0) < 0x80)
        ? Buffer.concat([len(5, v.length), Buffer.from(v, "latin1")])
        : Buffer.concat([len(6, v.length), Buffer.from(v, "utf16le").swap16()]);
    } else if (v instanceof Date) {
      const x = Buffer.alloc(8);
      x.writeDoubleBE(v.getTime() / 1000 - 978307200);
      b = Buffer.concat([Buffer.from([0x33]), x]);
    } else if (v instanceof Uint8Array) b = Buffer.concat([len(4, v.length), Buffer.from(v)]);
    else if (Array.isArray(v)) {
      const refs = v.map(add);
      b = Buffer.concat([len(0xa, v.length), ...refs.map(ref)]);
    } else {
      const keys = Object.keys(v);
      const k = keys.map((x) => add(x));
      const vals = keys.map((x) => add(v[x]!));
      b = Buffer.concat([len(0xd, keys.length), ...k.map(ref), ...vals.map(ref)]);
    }
    objects[i] = b;
    return i;
  };
  add(root);
  const offsetSize = opts.offsetSize ?? 4;
  let at = 8;
  const offsets: number[] = [];
  for (const o of objects) {
    offsets.push(at);
    at += o.length;
  }
  const table = Buffer.concat(
    offsets.map((o) => {
      const b = Buffer.alloc(offsetSize);
      b.writeUIntBE(o, 0, offsetSize);
      return b;
    }),
  );
  const trailer = Buffer.alloc(32);
  trailer[6] = offsetSize;
  trailer[7] = refSize;
  trailer.writeBigUInt64BE(BigInt(objects.length), 8);
  trailer.writeBigUInt64BE(0n, 16);
  trailer.writeBigUInt64BE(BigInt(at), 24);
  return Buffer.concat([Buffer.from("bplist00"), ...objects, table, trailer]);
}

function u32be(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
