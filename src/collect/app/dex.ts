// The string table of a Dalvik executable (classes*.dex): the header names string_ids (count and
// offset), each a u32 offset of a string_data_item, which is a ULEB128 length in UTF-16 units and
// then MUTF-8 bytes ending in a zero byte. Every literal in the app's code ("http://...", API keys)
// and every class, method and field name is one of these strings, so reading the table gives
// exactly the app's strings, not byte runs that happen to look like text. Bounded: the table must
// fit the file, and decoding stops at a total character budget.

/** A damaged or hostile dex file; the message names the file and the byte offset. */
export class DexError extends Error {
  override name = "DexError";
}

export const DEX_LIMITS = { maxStrings: 4_000_000, maxChars: 64 * 1024 * 1024, maxStringChars: 1 << 20 };

export interface DexStrings {
  version: string;
  strings: string[];
  /** Strings left out because the character budget was spent. */
  truncated: number;
}

const HEADER = 0x70;
const ENDIAN = 0x12345678;

/** Modified UTF-8 (JVM): like UTF-8 up to 3 bytes, NUL as C0 80, supplementary characters as surrogate pairs. */
function mutf8(b: Uint8Array, at: number, units: number, file: string): string {
  // Most strings are ASCII: one byte per unit and a zero after them.
  let ascii = at + units < b.length && b[at + units] === 0;
  for (let i = at; ascii && i < at + units; i++) if (b[i]! === 0 || b[i]! >= 0x80) ascii = false;
  if (ascii) return Buffer.from(b.buffer, b.byteOffset + at, units).toString("latin1");
  const out: number[] = [];
  let p = at;
  function bad(what: string): never {
    throw new DexError(`${file}: ${what} at offset 0x${p.toString(16)}`);
  }
  while (out.length < units) {
    if (p >= b.length) bad("string runs past the end of the file");
    const a = b[p]!;
    if (a === 0) bad(`string ends after ${out.length} of ${units} characters`);
    if (a < 0x80) {
      out.push(a);
      p += 1;
    } else if ((a & 0xe0) === 0xc0) {
      if (p + 1 >= b.length || (b[p + 1]! & 0xc0) !== 0x80) bad("bad MUTF-8 sequence");
      out.push(((a & 0x1f) << 6) | (b[p + 1]! & 0x3f));
      p += 2;
    } else if ((a & 0xf0) === 0xe0) {
      if (p + 2 >= b.length || (b[p + 1]! & 0xc0) !== 0x80 || (b[p + 2]! & 0xc0) !== 0x80)
        bad("bad MUTF-8 sequence");
      out.push(((a & 0x0f) << 12) | ((b[p + 1]! & 0x3f) << 6) | (b[p + 2]! & 0x3f));
      p += 3;
    } else bad(`bad MUTF-8 lead byte 0x${a.toString(16)}`);
  }
  // String.fromCharCode in slices: a spread of a million arguments would overflow the stack.
  let s = "";
  for (let i = 0; i < out.length; i += 8192) s += String.fromCharCode(...out.slice(i, i + 8192));
  return s;
}

/** True when `b` starts like a dex file ("dex\n" and a three-digit version). */
export function isDex(b: Uint8Array): boolean {
  return b.length >= 8 && b[0] === 0x64 && b[1] === 0x65 && b[2] === 0x78 && b[3] === 0x0a && b[7] === 0;
}

/** Every string of the dex file's string table, in table order. */
export function readDexStrings(b: Uint8Array, file: string): DexStrings {
  function fail(what: string, at: number): never {
    throw new DexError(`${file}: ${what} at offset 0x${at.toString(16)}`);
  }
  if (!isDex(b)) fail("not a dex file (no dex\\n magic)", 0);
  if (b.length < HEADER) fail(`file of ${b.length} bytes is shorter than the ${HEADER}-byte header`, 0);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u32 = (at: number) => view.getUint32(at, true);
  const version = Buffer.from(b.subarray(4, 7)).toString("latin1");
  if (!/^\d{3}$/.test(version)) fail(`version "${version}" is not three digits`, 4);
  if (u32(40) !== ENDIAN) fail(`endian tag 0x${u32(40).toString(16)} is not 0x12345678`, 40);
  const headerSize = u32(36);
  if (headerSize < HEADER || headerSize > b.length) fail(`header size ${headerSize} is out of range`, 36);
  const count = u32(56);
  const idsAt = u32(60);
  if (count > DEX_LIMITS.maxStrings) fail(`string table claims ${count} strings`, 56);
  if (count > 0 && (idsAt < headerSize || idsAt + count * 4 > b.length))
    fail(`string table of ${count} entries at 0x${idsAt.toString(16)} does not fit the file`, 60);
  const strings: string[] = [];
  let chars = 0;
  let truncated = 0;
  for (let i = 0; i < count; i++) {
    const at = u32(idsAt + i * 4);
    if (at < headerSize || at >= b.length)
      fail(`string ${i} offset 0x${at.toString(16)} is outside the file`, idsAt + i * 4);
    // ULEB128 length in UTF-16 units: at most 5 bytes.
    let units = 0;
    let p = at;
    for (let shift = 0; ; shift += 7) {
      if (p >= b.length || shift > 28) fail(`string ${i} has a bad length`, at);
      const byte = b[p++]!;
      units += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) break;
    }
    if (units > DEX_LIMITS.maxStringChars || units > b.length - p)
      fail(`string ${i} claims ${units} characters`, at);
    if (chars + units > DEX_LIMITS.maxChars) {
      truncated = count - i;
      break;
    }
    chars += units;
    strings.push(mutf8(b, p, units, file));
  }
  return { version, strings, truncated };
}
