// Property lists, as iOS apps carry them (Info.plist, entitlements, provisioning profiles), in both
// encodings Apple writes:
//  - binary "bplist00": objects addressed through an offset table, located by a 32-byte trailer
//    (offset size, reference size, object count, top object, table offset). Hostile files can
//    point objects at each other in a cycle, claim huge counts, or point outside the file: every
//    offset and count is checked against the file, a reference back into an object being decoded
//    is a cycle error, decoding is memoised per object (so shared references cost nothing), and
//    depth and total objects are bounded.
//  - XML: a small tokenizer for the plist vocabulary (dict, key, array, string, integer, real,
//    true, false, date, data). The DOCTYPE is skipped and no entity but the five predefined ones and
//    character references is expanded, so there is no external entity and no entity expansion.
// OpenStep text plists are refused with a clear error.

/** A plist that cannot be read; the message names the file and where. */
export class PlistError extends Error {
  override name = "PlistError";
}

export type PlistValue = string | number | boolean | Date | Uint8Array | PlistValue[] | PlistDict;
export interface PlistDict {
  [key: string]: PlistValue;
}

export const PLIST_LIMITS = { maxBytes: 16 * 1024 * 1024, maxObjects: 1_000_000, maxDepth: 128 };

/** Seconds from the Unix epoch to Apple's (2001-01-01T00:00:00Z). */
const APPLE_EPOCH = 978307200;

/** A dictionary with no prototype, so keys such as "__proto__" stay plain keys. */
const dict = (): PlistDict => Object.create(null) as PlistDict;

export function isDict(v: PlistValue | undefined): v is PlistDict {
  return (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Date) &&
    !(v instanceof Uint8Array)
  );
}

/** Parse a property list (binary or XML, told apart by its first bytes). */
export function parsePlist(b: Uint8Array, file: string): PlistValue {
  if (b.length > PLIST_LIMITS.maxBytes)
    throw new PlistError(
      `${file}: property list of ${b.length} bytes is larger than ${PLIST_LIMITS.maxBytes}`,
    );
  const head = Buffer.from(b.subarray(0, 8)).toString("latin1");
  if (head === "bplist00") return parseBinaryPlist(b, file);
  if (head.startsWith("bplist"))
    throw new PlistError(`${file}: binary plist version "${head.slice(6)}" is not supported`);
  const text = decodeText(b);
  if (/^\s*</.test(text)) return parseXmlPlist(text, file);
  throw new PlistError(`${file}: not a property list (neither bplist00 nor XML)`);
}

function decodeText(b: Uint8Array): string {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.toString("utf8", 3);
  if (buf[0] === 0xff && buf[1] === 0xfe) return buf.toString("utf16le", 2);
  if (buf[0] === 0xfe && buf[1] === 0xff) {
    const swapped = Buffer.from(buf.subarray(2, 2 + ((buf.length - 2) & ~1)));
    return swapped.swap16().toString("utf16le");
  }
  return buf.toString("utf8");
}

// --- binary ---------------------------------------------------------------------------------------

export function parseBinaryPlist(b: Uint8Array, file: string): PlistValue {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  function fail(what: string, at: number): never {
    throw new PlistError(`${file}: ${what} at offset 0x${at.toString(16)}`);
  }
  if (b.length < 8 + 32 + 1) fail(`binary plist of ${b.length} bytes is too short`, 0);
  const t = b.length - 32;
  const offsetSize = b[t + 6]!;
  const refSize = b[t + 7]!;
  const big = (at: number) => {
    if (v.getUint32(at) !== 0) fail("trailer field does not fit 32 bits", at);
    return v.getUint32(at + 4);
  };
  const count = big(t + 8);
  const top = big(t + 16);
  const tableAt = big(t + 24);
  if (offsetSize < 1 || offsetSize > 8) fail(`offset size ${offsetSize} is not 1 to 8`, t + 6);
  if (refSize < 1 || refSize > 8) fail(`object reference size ${refSize} is not 1 to 8`, t + 7);
  if (count === 0 || count > PLIST_LIMITS.maxObjects || count > t)
    fail(`trailer claims ${count} objects for a ${b.length}-byte file`, t + 8);
  if (top >= count) fail(`top object ${top} is not among the ${count} objects`, t + 16);
  if (tableAt < 9 || tableAt + count * offsetSize > t)
    fail(
      `offset table of ${count} entries at 0x${tableAt.toString(16)} does not fit before the trailer`,
      t + 24,
    );

  /** An unsigned big-endian integer of `size` bytes (1-8), refused above 2^53. */
  const uint = (at: number, size: number): number => {
    if (at + size > b.length) fail("integer runs past the end of the file", at);
    let n = 0;
    for (let i = 0; i < size; i++) n = n * 256 + b[at + i]!;
    if (n > Number.MAX_SAFE_INTEGER) fail("integer does not fit 53 bits", at);
    return n;
  };
  const offsetOf = (i: number): number => {
    const o = uint(tableAt + i * offsetSize, offsetSize);
    if (o < 8 || o >= tableAt)
      fail(`object ${i} offset 0x${o.toString(16)} is outside the object area`, tableAt + i * offsetSize);
    return o;
  };

  const done = new Map<number, PlistValue>();
  const active = new Set<number>();
  let decoded = 0;

  /** Length of a data, string, array or dict object: the low nibble, or a following int object if 0xF. */
  const lengthAt = (at: number): [number, number] => {
    const low = b[at]! & 0x0f;
    if (low !== 0x0f) return [low, at + 1];
    const marker = b[at + 1];
    if (marker === undefined || marker >> 4 !== 0x1) fail("length is not an integer object", at + 1);
    const size = 1 << (marker & 0x0f);
    if (size > 8) fail("length integer is wider than 8 bytes", at + 1);
    return [uint(at + 2, size), at + 2 + size];
  };
  const needBytes = (at: number, n: number, what: string) => {
    if (n > tableAt - at) fail(`${what} of ${n} bytes runs past the object area`, at);
  };

  const obj = (i: number, depth: number): PlistValue => {
    const hit = done.get(i);
    if (hit !== undefined) return hit;
    if (active.has(i)) fail(`object ${i} contains itself (a reference cycle)`, offsetOf(i));
    if (depth > PLIST_LIMITS.maxDepth) fail(`objects nest deeper than ${PLIST_LIMITS.maxDepth}`, offsetOf(i));
    if (++decoded > PLIST_LIMITS.maxObjects)
      fail(`more than ${PLIST_LIMITS.maxObjects} objects decoded`, offsetOf(i));
    const at = offsetOf(i);
    const m = b[at]!;
    const kind = m >> 4;
    let out: PlistValue;
    active.add(i);
    switch (kind) {
      case 0x0:
        if (m === 0x08) out = false;
        else if (m === 0x09) out = true;
        else fail(`marker 0x${m.toString(16)} (null or fill) is not a value`, at);
        break;
      case 0x1: {
        const size = 1 << (m & 0x0f);
        if (size > 16) fail(`integer of ${size} bytes`, at);
        needBytes(at + 1, size, "integer");
        if (size === 8) out = Number(v.getBigInt64(at + 1));
        else if (size === 16)
          out = Number(v.getBigInt64(at + 9)); // the low 64 bits
        else out = uint(at + 1, size);
        break;
      }
      case 0x2: {
        const size = 1 << (m & 0x0f);
        needBytes(at + 1, size, "real");
        if (size === 4) out = v.getFloat32(at + 1);
        else if (size === 8) out = v.getFloat64(at + 1);
        else fail(`real of ${size} bytes`, at);
        break;
      }
      case 0x3:
        if (m !== 0x33) fail(`date marker 0x${m.toString(16)}`, at);
        needBytes(at + 1, 8, "date");
        out = new Date((v.getFloat64(at + 1) + APPLE_EPOCH) * 1000);
        break;
      case 0x4: {
        const [n, p] = lengthAt(at);
        needBytes(p, n, "data");
        out = Uint8Array.from(b.subarray(p, p + n));
        break;
      }
      case 0x5: {
        const [n, p] = lengthAt(at);
        needBytes(p, n, "ASCII string");
        out = Buffer.from(b.subarray(p, p + n)).toString("latin1");
        break;
      }
      case 0x6: {
        const [n, p] = lengthAt(at);
        needBytes(p, n * 2, "UTF-16 string");
        out = Buffer.from(b.subarray(p, p + n * 2))
          .swap16()
          .toString("utf16le");
        break;
      }
      case 0x8:
        needBytes(at + 1, (m & 0x0f) + 1, "UID");
        out = uint(at + 1, (m & 0x0f) + 1);
        break;
      case 0xa:
      case 0xc: {
        const [n, p] = lengthAt(at);
        needBytes(p, n * refSize, kind === 0xa ? "array" : "set");
        const arr: PlistValue[] = [];
        for (let k = 0; k < n; k++) arr.push(obj(ref(p + k * refSize), depth + 1));
        out = arr;
        break;
      }
      case 0xd: {
        const [n, p] = lengthAt(at);
        needBytes(p, n * 2 * refSize, "dictionary");
        const d = dict();
        for (let k = 0; k < n; k++) {
          const key = obj(ref(p + k * refSize), depth + 1);
          if (typeof key !== "string") fail(`dictionary key ${k} is not a string`, p + k * refSize);
          d[key] = obj(ref(p + (n + k) * refSize), depth + 1);
        }
        out = d;
        break;
      }
      default:
        fail(`unknown object marker 0x${m.toString(16)}`, at);
    }
    active.delete(i);
    done.set(i, out);
    return out;
  };
  const ref = (at: number): number => {
    const r = uint(at, refSize);
    if (r >= count) fail(`object reference ${r} is beyond the ${count} objects`, at);
    return r;
  };
  return obj(top, 0);
}

// --- XML ------------------------------------------------------------------------------------------

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

export function parseXmlPlist(text: string, file: string): PlistValue {
  let p = 0;
  let objects = 0;
  const where = (at: number) => {
    let line = 1;
    let col = 1;
    for (let i = 0; i < at && i < text.length; i++) {
      if (text.charCodeAt(i) === 10) {
        line++;
        col = 1;
      } else col++;
    }
    return `${line}:${col}`;
  };
  function fail(what: string, at = p): never {
    throw new PlistError(`${file}:${where(at)}: ${what}`);
  }
  const skipSpace = () => {
    while (p < text.length && /\s/.test(text[p]!)) p++;
  };
  /** Skip the prolog, comments, processing instructions and the DOCTYPE before the next element. */
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (text.startsWith("<?", p)) {
        const e = text.indexOf("?>", p);
        if (e < 0) fail("unterminated processing instruction");
        p = e + 2;
      } else if (text.startsWith("<!--", p)) {
        const e = text.indexOf("-->", p + 4);
        if (e < 0) fail("unterminated comment");
        p = e + 3;
      } else if (text.startsWith("<!DOCTYPE", p)) {
        if (text.indexOf("[", p) >= 0 && text.indexOf("[", p) < text.indexOf(">", p))
          fail("a DOCTYPE with an internal subset is not a plist");
        const e = text.indexOf(">", p);
        if (e < 0) fail("unterminated DOCTYPE");
        p = e + 1;
      } else return;
    }
  };
  /** The next tag: its name, and whether it is a closing or an empty-element tag. */
  const tag = (): { name: string; close: boolean; empty: boolean; at: number } => {
    skipMisc();
    const at = p;
    if (text[p] !== "<") fail("expected an element");
    const e = text.indexOf(">", p);
    if (e < 0) fail("unterminated tag");
    const inner = text.slice(p + 1, e);
    p = e + 1;
    const m = /^(\/?)([A-Za-z][\w.-]*)(?:\s[^>]*)??(\/?)$/.exec(inner.trim());
    if (!m) fail(`malformed tag <${inner.slice(0, 40)}>`, at);
    return { name: m[2]!, close: m[1] === "/", empty: m[3] === "/", at };
  };
  /** Character data up to `</name>`, entities decoded. */
  const textUntil = (name: string): string => {
    const e = text.indexOf(`</${name}`, p);
    if (e < 0) fail(`<${name}> is never closed`);
    let raw = text.slice(p, e);
    p = e;
    const close = tag();
    if (!close.close || close.name !== name) fail(`expected </${name}>`, close.at);
    raw = raw.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_m, c: string) =>
      c.replace(/&/g, "&amp;").replace(/</g, "&lt;"),
    );
    if (raw.includes("<")) fail(`<${name}> holds markup`);
    return raw.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|[a-z]+);/g, (all, ent: string) => {
      if (ent[0] === "#") {
        const code = ent[1] === "x" ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
        if (code > 0x10ffff) fail(`character reference ${all} is out of range`);
        return String.fromCodePoint(code);
      }
      return ENTITIES[ent] ?? fail(`entity ${all} is not defined`);
    });
  };
  const value = (depth: number, first?: ReturnType<typeof tag>): PlistValue => {
    const t = first ?? tag();
    if (t.close) fail(`unexpected </${t.name}>`, t.at);
    if (depth > PLIST_LIMITS.maxDepth) fail(`elements nest deeper than ${PLIST_LIMITS.maxDepth}`, t.at);
    if (++objects > PLIST_LIMITS.maxObjects) fail(`more than ${PLIST_LIMITS.maxObjects} objects`, t.at);
    switch (t.name) {
      case "true":
      case "false":
        if (!t.empty) {
          const c = tag();
          if (!c.close || c.name !== t.name) fail(`expected </${t.name}>`, c.at);
        }
        return t.name === "true";
      case "string":
        return t.empty ? "" : textUntil("string");
      case "integer": {
        const s = t.empty ? "" : textUntil("integer").trim();
        if (!/^[+-]?(\d+|0x[0-9a-fA-F]+)$/.test(s)) fail(`integer "${s.slice(0, 40)}" is not a number`, t.at);
        return s.toLowerCase().includes("0x") ? parseInt(s, 16) : Number(s);
      }
      case "real": {
        const s = t.empty ? "" : textUntil("real").trim();
        const n = Number(s);
        if (s === "" || (Number.isNaN(n) && !/^nan$/i.test(s)))
          fail(`real "${s.slice(0, 40)}" is not a number`, t.at);
        return n;
      }
      case "date": {
        const s = t.empty ? "" : textUntil("date").trim();
        const d = new Date(s);
        if (Number.isNaN(d.getTime())) fail(`date "${s.slice(0, 40)}" is not ISO 8601`, t.at);
        return d;
      }
      case "data": {
        const s = t.empty ? "" : textUntil("data").replace(/\s+/g, "");
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) fail("data is not base64", t.at);
        return new Uint8Array(Buffer.from(s, "base64"));
      }
      case "array": {
        const arr: PlistValue[] = [];
        if (t.empty) return arr;
        for (;;) {
          const c = tag();
          if (c.close) {
            if (c.name !== "array") fail(`expected </array>, found </${c.name}>`, c.at);
            return arr;
          }
          arr.push(value(depth + 1, c));
        }
      }
      case "dict": {
        const d = dict();
        if (t.empty) return d;
        for (;;) {
          const k = tag();
          if (k.close) {
            if (k.name !== "dict") fail(`expected </dict>, found </${k.name}>`, k.at);
            return d;
          }
          if (k.name !== "key") fail(`expected <key> in a dict, found <${k.name}>`, k.at);
          const key = k.empty ? "" : textUntil("key");
          d[key] = value(depth + 1);
        }
      }
      default:
        return fail(`unknown element <${t.name}>`, t.at);
    }
  };
  const root = tag();
  let result: PlistValue;
  if (root.name === "plist" && !root.close) {
    if (root.empty) fail("empty <plist>", root.at);
    result = value(1);
    const end = tag();
    if (!end.close || end.name !== "plist") fail("expected </plist>", end.at);
  } else result = value(1, root);
  skipMisc();
  if (p < text.length && text.slice(p).trim() !== "") fail("content after the root element");
  return result;
}

// --- helpers for readers --------------------------------------------------------------------------

export const pStr = (v: PlistValue | undefined): string | undefined =>
  typeof v === "string" ? v : undefined;
export const pBool = (v: PlistValue | undefined): boolean | undefined =>
  typeof v === "boolean"
    ? v
    : v === "YES" || v === "true"
      ? true
      : v === "NO" || v === "false"
        ? false
        : undefined;
export const pDict = (v: PlistValue | undefined): PlistDict | undefined => (isDict(v) ? v : undefined);
export const pArray = (v: PlistValue | undefined): PlistValue[] => (Array.isArray(v) ? v : []);

/**
 * Every string (keys and values) in a plist, breadth first. A binary plist may share objects
 * (the parser returns one JS object per plist object), so containers are visited once each, and
 * the walk stops after `maxVisits` values.
 */
export function plistStrings(root: PlistValue, maxVisits = 100_000): string[] {
  const out: string[] = [];
  const queue: PlistValue[] = [root];
  const seen = new Set<object>();
  for (let visits = 0; visits < queue.length && visits < maxVisits; visits++) {
    const v = queue[visits]!;
    if (typeof v === "string") out.push(v);
    else if (Array.isArray(v) || isDict(v)) {
      if (seen.has(v)) continue;
      seen.add(v);
      if (Array.isArray(v)) queue.push(...v.slice(0, Math.max(0, maxVisits - queue.length)));
      else
        for (const [k, x] of Object.entries(v)) {
          if (queue.length >= maxVisits) break;
          out.push(k);
          queue.push(x);
        }
    }
  }
  return out;
}
