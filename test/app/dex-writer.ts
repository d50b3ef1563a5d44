// A minimal Dalvik executable for tests, written from the format: a 0x70-byte header whose
// string_ids_size/off name a table of offsets to string_data_items (ULEB128 UTF-16 length, MUTF-8
// bytes, a zero byte). No classes: the collector reads only the string table.
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

/** Modified UTF-8: NUL as C0 80, each UTF-16 unit (surrogates included) on its own. */
export function mutf8(s: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0 && c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return Buffer.from(out);
}

export function writeDex(strings: string[], version = "035"): Buffer {
  const header = Buffer.alloc(0x70);
  header.write(`dex\n${version}\0`, 0, "latin1");
  const idsAt = 0x70;
  let dataAt = idsAt + strings.length * 4;
  const ids = Buffer.alloc(strings.length * 4);
  const datas: Buffer[] = [];
  strings.forEach((s, i) => {
    ids.writeUInt32LE(dataAt, i * 4);
    const d = Buffer.concat([uleb(s.length), mutf8(s), Buffer.from([0])]);
    datas.push(d);
    dataAt += d.length;
  });
  header.writeUInt32LE(dataAt, 32); // file_size
  header.writeUInt32LE(0x70, 36); // header_size
  header.writeUInt32LE(0x12345678, 40); // endian_tag
  header.writeUInt32LE(strings.length, 56);
  header.writeUInt32LE(strings.length ? idsAt : 0, 60);
  return Buffer.concat([header, ids, ...datas]);
}
