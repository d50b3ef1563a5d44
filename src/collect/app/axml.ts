// Android binary XML (AXML), the compiled form of AndroidManifest.xml and res/xml/*.xml in an APK:
// a RES_XML_TYPE chunk holding a string pool, an optional resource map (attribute name index ->
// android:attr resource id) and a flat sequence of namespace, element and CDATA node chunks.
// Every size, offset and count is hostile: each is checked against the chunk and the buffer
// before use, and the element tree is bounded in depth and node count.

/** A damaged or hostile AXML document; the message names the file and the byte offset. */
export class AxmlError extends Error {
  override name = "AxmlError";
}

export type AxmlValue = string | number | boolean | null;

export interface AxmlAttribute {
  /** Namespace URI ("http://schemas.android.com/apk/res/android") or "" for none. */
  ns: string;
  name: string;
  /** android:attr resource id of the name (from the resource map), when the pool has one. */
  resId?: number;
  value: AxmlValue;
  /** Android Res_value data type (0x03 string, 0x10 int, 0x12 boolean, 0x01 reference ...). */
  type: number;
}

export interface AxmlElement {
  ns: string;
  name: string;
  attrs: AxmlAttribute[];
  children: AxmlElement[];
  /** CDATA text directly inside the element, concatenated. */
  text: string;
  line: number;
}

const RES_XML_TYPE = 0x0003;
const RES_STRING_POOL_TYPE = 0x0001;
const RES_XML_RESOURCE_MAP_TYPE = 0x0180;
const START_NAMESPACE = 0x0100;
const END_NAMESPACE = 0x0101;
const START_ELEMENT = 0x0102;
const END_ELEMENT = 0x0103;
const CDATA = 0x0104;
const UTF8_FLAG = 1 << 8;
const NO_ENTRY = 0xffffffff;

export const TYPE = {
  null: 0x00,
  reference: 0x01,
  string: 0x03,
  intDec: 0x10,
  intHex: 0x11,
  bool: 0x12,
} as const;

export const LIMITS = { maxBytes: 32 * 1024 * 1024, maxStrings: 1_000_000, maxNodes: 500_000, maxDepth: 256 };

export const ANDROID_NS = "http://schemas.android.com/apk/res/android";

/** Bounded little-endian reads; `make` builds the error (AxmlError here, ArscError for resources.arsc). */
export class Reader {
  constructor(
    readonly buf: Uint8Array,
    readonly file: string,
    readonly make: (message: string) => Error = (m) => new AxmlError(m),
  ) {}
  fail(what: string, at: number): never {
    throw this.make(`${this.file}: ${what} at offset 0x${at.toString(16)}`);
  }
  need(at: number, len: number, what: string): void {
    if (at < 0 || len < 0 || at + len > this.buf.length)
      this.fail(`${what} runs past the end of the data`, at);
  }
  u8(at: number): number {
    this.need(at, 1, "field");
    return this.buf[at]!;
  }
  u16(at: number): number {
    this.need(at, 2, "field");
    return this.buf[at]! | (this.buf[at + 1]! << 8);
  }
  u32(at: number): number {
    this.need(at, 4, "field");
    return (
      (this.buf[at]! | (this.buf[at + 1]! << 8) | (this.buf[at + 2]! << 16) | (this.buf[at + 3]! << 24)) >>> 0
    );
  }
}

export interface Chunk {
  type: number;
  headerSize: number;
  size: number;
  at: number;
}

export function chunkAt(r: Reader, at: number, end: number): Chunk {
  if (at + 8 > end) r.fail("chunk header is truncated", at);
  const type = r.u16(at);
  const headerSize = r.u16(at + 2);
  const size = r.u32(at + 4);
  if (headerSize < 8 || headerSize > size)
    r.fail(`chunk 0x${type.toString(16)} has header size ${headerSize}`, at);
  if (size > end - at) r.fail(`chunk 0x${type.toString(16)} of ${size} bytes runs past its parent`, at);
  return { type, headerSize, size, at };
}

/** The string pool: strings decoded lazily, each at most once. */
export class StringPool {
  private readonly cache = new Map<number, string>();
  readonly count: number;
  private readonly utf8: boolean;
  private readonly stringsAt: number;
  private readonly end: number;
  private readonly indexAt: number;

  constructor(
    private readonly r: Reader,
    c: Chunk,
  ) {
    if (c.headerSize < 28) r.fail("string pool header is too short", c.at);
    this.count = r.u32(c.at + 8);
    const styles = r.u32(c.at + 12);
    this.utf8 = (r.u32(c.at + 16) & UTF8_FLAG) !== 0;
    const stringsStart = r.u32(c.at + 20);
    this.end = c.at + c.size;
    this.indexAt = c.at + c.headerSize;
    if (this.count > LIMITS.maxStrings || this.count * 4 + styles * 4 > c.size - c.headerSize)
      r.fail(
        `string pool claims ${this.count} strings and ${styles} styles, more than its ${c.size} bytes hold`,
        c.at,
      );
    this.stringsAt = c.at + stringsStart;
    if (this.count > 0 && (stringsStart < c.headerSize + this.count * 4 || stringsStart > c.size))
      r.fail(`string pool data offset ${stringsStart} is outside the pool`, c.at + 20);
  }

  get(i: number, at: number): string {
    if (i === NO_ENTRY) return "";
    if (i >= this.count) this.r.fail(`string index ${i} is beyond the pool's ${this.count} strings`, at);
    const hit = this.cache.get(i);
    if (hit !== undefined) return hit;
    const s = this.decode(i);
    this.cache.set(i, s);
    return s;
  }

  private decode(i: number): string {
    const r = this.r;
    const off = r.u32(this.indexAt + i * 4);
    let p = this.stringsAt + off;
    if (off >= this.end - this.stringsAt)
      r.fail(`string ${i} offset ${off} is outside the pool`, this.indexAt + i * 4);
    if (this.utf8) {
      // UTF-16 length then UTF-8 byte length, each 1 byte or 2 with the high bit set.
      const len8 = (q: number): [number, number] => {
        const a = r.u8(q);
        return a & 0x80 ? [((a & 0x7f) << 8) | r.u8(q + 1), 2] : [a, 1];
      };
      p += len8(p)[1];
      const [bytes, n] = len8(p);
      p += n;
      if (p + bytes > this.end) r.fail(`string ${i} of ${bytes} bytes runs past the pool`, p);
      return Buffer.from(r.buf.subarray(p, p + bytes)).toString("utf8");
    }
    let chars = r.u16(p);
    p += 2;
    if (chars & 0x8000) {
      chars = ((chars & 0x7fff) << 16) | r.u16(p);
      p += 2;
    }
    if (p + chars * 2 > this.end) r.fail(`string ${i} of ${chars} UTF-16 units runs past the pool`, p);
    return Buffer.from(r.buf.subarray(p, p + chars * 2)).toString("utf16le");
  }
}

function typedValue(type: number, data: number, raw: string | undefined): AxmlValue {
  if (type === TYPE.string) return raw ?? "";
  if (type === TYPE.bool) return data !== 0;
  if (type === TYPE.intDec) return data | 0;
  if (type === TYPE.intHex || type === TYPE.reference || type === 0x02) return data;
  if (type === TYPE.null) return raw ?? null;
  return raw ?? data;
}

/** Parse one AXML document into its root element. `file` names it in errors ("app.apk!/AndroidManifest.xml"). */
export function parseAxml(buf: Uint8Array, file: string): AxmlElement {
  const r: Reader = new Reader(buf, file);
  if (buf.length > LIMITS.maxBytes)
    r.fail(`document of ${buf.length} bytes is larger than ${LIMITS.maxBytes}`, 0);
  if (buf.length < 8) r.fail("document is shorter than its header", 0);
  if (buf[0] === 0x3c || (buf[0] === 0xef && buf[3] === 0x3c))
    r.fail("text XML, not binary XML (AXML) as an APK carries it", 0);
  if (r.u16(0) !== RES_XML_TYPE) r.fail(`not binary XML (chunk type 0x${r.u16(0).toString(16)})`, 0);
  const head = chunkAt(r, 0, buf.length);
  const end = head.size;
  let pool: StringPool | undefined;
  let resMap: number[] = [];
  const str = (i: number, at: number) => {
    if (!pool) r.fail("node before the string pool", at);
    return pool.get(i, at);
  };
  const stack: AxmlElement[] = [];
  let root: AxmlElement | undefined;
  let nodes = 0;
  for (let at = head.headerSize; at < end;) {
    const c = chunkAt(r, at, end);
    if (c.size === 0) r.fail("zero-sized chunk", at);
    if (++nodes > LIMITS.maxNodes) r.fail(`more than ${LIMITS.maxNodes} chunks`, at);
    const ext = at + c.headerSize;
    switch (c.type) {
      case RES_STRING_POOL_TYPE:
        if (pool) r.fail("second string pool", at);
        pool = new StringPool(r, c);
        break;
      case RES_XML_RESOURCE_MAP_TYPE: {
        const n = Math.floor((c.size - c.headerSize) / 4);
        resMap = Array.from({ length: n }, (_, i) => r.u32(ext + i * 4));
        break;
      }
      case START_NAMESPACE:
      case END_NAMESPACE:
        r.need(ext, 8, "namespace node");
        str(r.u32(ext), ext); // prefix and URI must name real strings
        str(r.u32(ext + 4), ext + 4);
        break;
      case START_ELEMENT: {
        r.need(ext, 20, "element node");
        if (ext + 20 > at + c.size) r.fail("element node is truncated", at);
        const attrStart = r.u16(ext + 8);
        const attrSize = r.u16(ext + 10);
        const attrCount = r.u16(ext + 12);
        if (attrCount > 0 && attrSize < 20) r.fail(`attribute size ${attrSize} is below 20`, ext + 10);
        if (ext + attrStart + attrCount * attrSize > at + c.size)
          r.fail(`${attrCount} attributes run past their element node`, ext + 12);
        const el: AxmlElement = {
          ns: str(r.u32(ext), ext),
          name: str(r.u32(ext + 4), ext + 4),
          attrs: [],
          children: [],
          text: "",
          line: r.u32(at + 8),
        };
        for (let k = 0; k < attrCount; k++) {
          const a = ext + attrStart + k * attrSize;
          const nameIdx = r.u32(a + 4);
          const rawIdx = r.u32(a + 8);
          const type = r.u8(a + 15);
          const raw = rawIdx === NO_ENTRY ? undefined : str(rawIdx, a + 8);
          const data = r.u32(a + 16);
          el.attrs.push({
            ns: str(r.u32(a), a),
            name: str(nameIdx, a + 4),
            resId: nameIdx < resMap.length ? resMap[nameIdx] : undefined,
            type,
            value:
              type === TYPE.string && raw === undefined ? str(data, a + 16) : typedValue(type, data, raw),
          });
        }
        if (stack.length >= LIMITS.maxDepth) r.fail(`elements nest deeper than ${LIMITS.maxDepth}`, at);
        const parent = stack[stack.length - 1];
        if (parent) parent.children.push(el);
        else if (root) r.fail("second root element", at);
        else root = el;
        stack.push(el);
        break;
      }
      case END_ELEMENT: {
        r.need(ext, 8, "end element node");
        const open = stack.pop();
        if (!open) r.fail("end element without a start", at);
        const name = str(r.u32(ext + 4), ext + 4);
        if (name !== open.name) r.fail(`end element </${name}> closes <${open.name}>`, at);
        break;
      }
      case CDATA: {
        r.need(ext, 4, "text node");
        const top = stack[stack.length - 1];
        if (top) top.text += str(r.u32(ext), ext);
        break;
      }
      default:
        break; // unknown chunks are skipped by their size, as Android does
    }
    at += c.size;
  }
  if (!root) r.fail("no root element", end);
  if (stack.length) r.fail(`element <${stack[stack.length - 1]!.name}> is never closed`, end);
  return root;
}

/** An attribute by android resource id (robust to obfuscated names), else by name. */
export function attrNode(el: AxmlElement, name: string, resId?: number): AxmlAttribute | undefined {
  return (
    (resId !== undefined ? el.attrs.find((a) => a.resId === resId) : undefined) ??
    el.attrs.find((a) => a.name === name && (a.ns === ANDROID_NS || a.ns === ""))
  );
}

export function attr(el: AxmlElement, name: string, resId?: number): AxmlValue | undefined {
  return attrNode(el, name, resId)?.value;
}

/** A boolean attribute, from a typed boolean or a "true"/"false" string. */
export function boolAttr(el: AxmlElement, name: string, resId?: number): boolean | undefined {
  const v = attr(el, name, resId);
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  return undefined;
}
