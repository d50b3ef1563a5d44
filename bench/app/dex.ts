// A Dalvik executable of realistic size for the benchmark, written from the format: the header
// (with its Adler-32 checksum and SHA-1 signature), string_ids sorted by content as the format
// requires, type_ids for the class descriptors among them, the string data, a code area and a
// map_list. The code area is filler shaped like bytecode (mostly small opcode and register bytes),
// so that the file compresses and `strings` meets binary between the literals as in a real app; no
// tool here interprets it (Concord reads the string table, the peers run `strings`).
import { createHash } from "node:crypto";
import { mutf8 } from "../../test/app/dex-writer.js";

function uleb(n: number): Buffer {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return Buffer.from(out);
}

function adler32(b: Uint8Array, from: number): number {
  let a = 1;
  let s = 0;
  for (let i = from; i < b.length;) {
    // 3800 bytes keep the sums exact in doubles before the modulo
    const end = Math.min(b.length, i + 3800);
    for (; i < end; i++) {
      a += b[i]!;
      s += a;
    }
    a %= 65521;
    s %= 65521;
  }
  return ((s << 16) | a) >>> 0;
}

/** A deterministic byte stream (xorshift32) for the code area. */
function filler(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    // three bytes in four are small (registers, short offsets), one is any opcode
    out[i] = i % 4 === 0 ? x & 0xff : x & 0x0f;
  }
  return out;
}

/** A dex file holding `strings` (deduplicated and sorted here) and `codeBytes` of code area. */
export function writeDex(strings: string[], codeBytes: number, seed: number): Buffer {
  const sorted = [...new Set(strings)].sort();
  const types = sorted.map((s, i) => [s, i] as const).filter(([s]) => /^L[^;]+;$|^\[/.test(s));
  const typeIds = types.slice(0, 0xffff); // type indexes are 16-bit
  const stringIdsAt = 0x70;
  const typeIdsAt = stringIdsAt + sorted.length * 4;
  const codeAt = typeIdsAt + typeIds.length * 4;
  let dataAt = codeAt + codeBytes;
  const dataStart = codeAt;
  const stringIds = Buffer.alloc(sorted.length * 4);
  const datas: Buffer[] = [];
  sorted.forEach((s, i) => {
    stringIds.writeUInt32LE(dataAt, i * 4);
    const d = Buffer.concat([uleb(s.length), mutf8(s), Buffer.from([0])]);
    datas.push(d);
    dataAt += d.length;
  });
  const pad = (4 - (dataAt % 4)) % 4;
  const mapAt = dataAt + pad;
  const mapItems: [number, number, number][] = [
    [0x0000, 1, 0], // header_item
    [0x0001, sorted.length, stringIdsAt], // string_id_item
    [0x0002, typeIds.length, typeIdsAt], // type_id_item
    [0x2002, sorted.length, codeAt + codeBytes], // string_data_item
    [0x1000, 1, mapAt], // map_list
  ];
  const map = Buffer.alloc(4 + mapItems.length * 12);
  map.writeUInt32LE(mapItems.length, 0);
  mapItems.forEach(([type, size, off], i) => {
    map.writeUInt16LE(type, 4 + i * 12);
    map.writeUInt32LE(size, 4 + i * 12 + 4);
    map.writeUInt32LE(off, 4 + i * 12 + 8);
  });
  const typeTable = Buffer.alloc(typeIds.length * 4);
  typeIds.forEach(([, stringIndex], i) => typeTable.writeUInt32LE(stringIndex, i * 4));
  const header = Buffer.alloc(0x70);
  const file = Buffer.concat([
    header,
    stringIds,
    typeTable,
    filler(codeBytes, seed),
    ...datas,
    Buffer.alloc(pad),
    map,
  ]);
  file.write("dex\n035\0", 0, "latin1");
  file.writeUInt32LE(file.length, 32); // file_size
  file.writeUInt32LE(0x70, 36); // header_size
  file.writeUInt32LE(0x12345678, 40); // endian_tag
  file.writeUInt32LE(mapAt, 52); // map_off
  file.writeUInt32LE(sorted.length, 56);
  file.writeUInt32LE(stringIdsAt, 60);
  file.writeUInt32LE(typeIds.length, 64);
  file.writeUInt32LE(typeIdsAt, 68);
  file.writeUInt32LE(file.length - dataStart, 104); // data_size
  file.writeUInt32LE(dataStart, 108); // data_off
  createHash("sha1").update(file.subarray(32)).digest().copy(file, 12);
  file.writeUInt32LE(adler32(file, 12), 8);
  return file;
}
