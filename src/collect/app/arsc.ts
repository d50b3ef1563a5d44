// resources.arsc, the compiled resource table of an APK: a RES_TABLE_TYPE chunk holding a global
// string pool (resource values) and one package chunk per package id (0x7f for the app). Each
// package holds type and key string pools and, per type, RES_TABLE_TYPE_TYPE chunks (one per
// configuration) whose entry offsets lead to the values. Concord needs it to turn a manifest
// reference such as android:networkSecurityConfig="@xml/nsc" (0x7f0f0001) into the file
// "res/xml/nsc.xml", and a bool reference (@bool/cleartext) into its value. The table is indexed
// once, bounded; entries are read on demand and every offset is checked before use.
import { chunkAt, Reader, StringPool, type Chunk } from "./axml.js";

/** A damaged or hostile resource table; the message names the file and the byte offset. */
export class ArscError extends Error {
  override name = "ArscError";
}

const RES_STRING_POOL_TYPE = 0x0001;
const RES_TABLE_TYPE = 0x0002;
const RES_TABLE_PACKAGE_TYPE = 0x0200;
const RES_TABLE_TYPE_TYPE = 0x0201;
const NO_ENTRY = 0xffffffff;
const FLAG_SPARSE = 0x01;
const FLAG_OFFSET16 = 0x02;
const ENTRY_COMPLEX = 0x0001;
const ENTRY_COMPACT = 0x0008;
const VALUE_REFERENCE = 0x01;
const VALUE_DYNAMIC_REFERENCE = 0x07;
const VALUE_STRING = 0x03;

export const ARSC_LIMITS = { maxBytes: 64 * 1024 * 1024, maxChunks: 200_000, maxPackages: 64, maxHops: 8 };

/** A resolved simple value: its Res_value type and data, the string for string values. */
export interface ResourceValue {
  /** The id that was finally read (after following references). */
  id: number;
  /** "xml/network_security_config", when the pools name it. */
  name: string;
  type: number;
  data: number;
  string?: string;
}

interface TypeChunk {
  at: number;
  size: number;
  headerSize: number;
  entryCount: number;
  entriesStart: number;
  flags: number;
  /** The default configuration (every qualifier unset). */
  isDefault: boolean;
}

interface Package {
  id: number;
  typeStrings?: StringPool;
  keyStrings?: StringPool;
  typeIdOffset: number;
  /** By type id (1-based). */
  types: Map<number, TypeChunk[]>;
}

export class ResourceTable {
  constructor(
    private readonly r: Reader,
    readonly strings: StringPool,
    private readonly packages: Map<number, Package>,
  ) {}

  /** The value of resource `id`, following references; undefined when the table has no such entry. */
  resolve(id: number): ResourceValue | undefined {
    let cur = id >>> 0;
    for (let hop = 0; hop < ARSC_LIMITS.maxHops; hop++) {
      const v = this.entry(cur);
      if (!v) return undefined;
      if (v.type !== VALUE_REFERENCE && v.type !== VALUE_DYNAMIC_REFERENCE) return v;
      if (v.data === 0) return undefined; // @null
      cur = v.data >>> 0;
    }
    this.r.fail(`resource 0x${id.toString(16)} is a chain of more than ${ARSC_LIMITS.maxHops} references`, 0);
  }

  /** Every string of the global value pool (for the endpoint and secret scan), at most `max`. */
  allStrings(max: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < Math.min(this.strings.count, max); i++) out.push(this.strings.get(i, 0));
    return out;
  }

  private entry(id: number): ResourceValue | undefined {
    const r = this.r;
    const pkg = this.packages.get(id >>> 24);
    const typeId = (id >>> 16) & 0xff;
    const index = id & 0xffff;
    const chunks = pkg?.types.get(typeId);
    if (!pkg || !chunks) return undefined;
    // The default configuration first, then the others in file order.
    const ordered = [...chunks.filter((c) => c.isDefault), ...chunks.filter((c) => !c.isDefault)];
    for (const c of ordered) {
      const off = this.offsetOf(c, index);
      if (off === undefined) continue;
      const e = c.at + c.entriesStart + off;
      const end = c.at + c.size;
      if (c.entriesStart > c.size || off > c.size || e + 8 > end)
        r.fail(`entry ${index} of type ${typeId} at offset ${off} is outside its chunk`, c.at);
      const flags = r.u16(e + 2);
      let keyIdx: number;
      let type: number;
      let data: number;
      if (flags & ENTRY_COMPACT) {
        keyIdx = r.u16(e);
        type = flags >>> 8;
        data = r.u32(e + 4);
      } else {
        const size = r.u16(e);
        keyIdx = r.u32(e + 4);
        if (flags & ENTRY_COMPLEX) return this.named(id, pkg, typeId, keyIdx, e, { type: -1, data: 0 });
        if (size < 8 || e + size + 8 > end) r.fail(`entry ${index} of type ${typeId} is truncated`, e);
        type = r.u8(e + size + 3);
        data = r.u32(e + size + 4);
      }
      const v = this.named(id, pkg, typeId, keyIdx, e, { type, data });
      if (type === VALUE_STRING) v.string = this.strings.get(data, e);
      return v;
    }
    return undefined;
  }

  private named(
    id: number,
    pkg: Package,
    typeId: number,
    keyIdx: number,
    at: number,
    v: { type: number; data: number },
  ): ResourceValue {
    const typeIdx = typeId - 1 - pkg.typeIdOffset;
    const typeName =
      pkg.typeStrings && typeIdx >= 0 && typeIdx < pkg.typeStrings.count
        ? pkg.typeStrings.get(typeIdx, at)
        : `type${typeId}`;
    const key =
      pkg.keyStrings && keyIdx < pkg.keyStrings.count ? pkg.keyStrings.get(keyIdx, at) : `0x${keyIdx}`;
    return { id, name: `${typeName}/${key}`, ...v };
  }

  /** Offset of entry `index` relative to entriesStart, or undefined when this configuration lacks it. */
  private offsetOf(c: TypeChunk, index: number): number | undefined {
    const r = this.r;
    const table = c.at + c.headerSize;
    if (c.flags & FLAG_SPARSE) {
      // Sorted (index, offset / 4) pairs: binary search.
      let lo = 0;
      let hi = c.entryCount;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const idx = r.u16(table + mid * 4);
        if (idx === index) return r.u16(table + mid * 4 + 2) * 4;
        if (idx < index) lo = mid + 1;
        else hi = mid;
      }
      return undefined;
    }
    if (index >= c.entryCount) return undefined;
    if (c.flags & FLAG_OFFSET16) {
      const o = r.u16(table + index * 2);
      return o === 0xffff ? undefined : o * 4;
    }
    const o = r.u32(table + index * 4);
    return o === NO_ENTRY ? undefined : o;
  }
}

function readPackage(r: Reader, c: Chunk): Package {
  if (c.headerSize < 284) r.fail(`package header of ${c.headerSize} bytes is too short`, c.at);
  const pkg: Package = {
    id: r.u32(c.at + 8),
    typeIdOffset: c.headerSize >= 288 ? r.u32(c.at + 284) : 0,
    types: new Map(),
  };
  if (pkg.id > 0xff) r.fail(`package id 0x${pkg.id.toString(16)} is not a byte`, c.at + 8);
  if (pkg.typeIdOffset > 0xff) r.fail(`type id offset ${pkg.typeIdOffset} is not a byte`, c.at + 284);
  const typeStringsAt = r.u32(c.at + 268);
  const keyStringsAt = r.u32(c.at + 276);
  const end = c.at + c.size;
  let count = 0;
  for (let at = c.at + c.headerSize; at < end;) {
    const ch = chunkAt(r, at, end);
    if (++count > ARSC_LIMITS.maxChunks) r.fail(`more than ${ARSC_LIMITS.maxChunks} chunks`, at);
    const rel = at - c.at;
    if (ch.type === RES_STRING_POOL_TYPE && rel === typeStringsAt) pkg.typeStrings = new StringPool(r, ch);
    else if (ch.type === RES_STRING_POOL_TYPE && rel === keyStringsAt) pkg.keyStrings = new StringPool(r, ch);
    else if (ch.type === RES_TABLE_TYPE_TYPE) {
      if (ch.headerSize < 24) r.fail(`type chunk header of ${ch.headerSize} bytes is too short`, at);
      const id = r.u8(at + 8);
      if (id === 0) r.fail("type chunk with type id 0", at + 8);
      const entryCount = r.u32(at + 12);
      const flags = r.u8(at + 9);
      const width = flags & FLAG_SPARSE ? 4 : flags & FLAG_OFFSET16 ? 2 : 4;
      if (entryCount > (ch.size - ch.headerSize) / width)
        r.fail(`type chunk claims ${entryCount} entries, more than its ${ch.size} bytes hold`, at + 12);
      const configSize = Math.min(r.u32(at + 20), ch.headerSize - 20);
      let isDefault = true;
      for (let i = 4; i < configSize && isDefault; i++) if (r.u8(at + 20 + i) !== 0) isDefault = false;
      const list = pkg.types.get(id) ?? [];
      list.push({
        at,
        size: ch.size,
        headerSize: ch.headerSize,
        entryCount,
        entriesStart: r.u32(at + 16),
        flags,
        isDefault,
      });
      pkg.types.set(id, list);
    }
    // type specs, libraries, overlays and unknown chunks are skipped by their size
    at += ch.size;
  }
  return pkg;
}

/** Index resources.arsc. `file` names it in errors ("app.apk!/resources.arsc"). */
export function parseArsc(buf: Uint8Array, file: string): ResourceTable {
  const r: Reader = new Reader(buf, file, (m) => new ArscError(m));
  if (buf.length > ARSC_LIMITS.maxBytes)
    r.fail(`resource table of ${buf.length} bytes is larger than ${ARSC_LIMITS.maxBytes}`, 0);
  if (buf.length < 12) r.fail("resource table is shorter than its header", 0);
  if (r.u16(0) !== RES_TABLE_TYPE) r.fail(`not a resource table (chunk type 0x${r.u16(0).toString(16)})`, 0);
  const head = chunkAt(r, 0, buf.length);
  if (head.headerSize < 12) r.fail(`table header of ${head.headerSize} bytes is too short`, 0);
  const packageCount = r.u32(8);
  if (packageCount > ARSC_LIMITS.maxPackages)
    r.fail(`table claims ${packageCount} packages, more than ${ARSC_LIMITS.maxPackages}`, 8);
  let strings: StringPool | undefined;
  const packages = new Map<number, Package>();
  let count = 0;
  for (let at = head.headerSize; at < head.size;) {
    const c = chunkAt(r, at, head.size);
    if (++count > ARSC_LIMITS.maxChunks) r.fail(`more than ${ARSC_LIMITS.maxChunks} chunks`, at);
    if (c.type === RES_STRING_POOL_TYPE) {
      if (strings) r.fail("second global string pool", at);
      strings = new StringPool(r, c);
    } else if (c.type === RES_TABLE_PACKAGE_TYPE) {
      if (packages.size >= ARSC_LIMITS.maxPackages)
        r.fail(`more than ${ARSC_LIMITS.maxPackages} packages`, at);
      const pkg = readPackage(r, c);
      if (!packages.has(pkg.id)) packages.set(pkg.id, pkg);
    }
    at += c.size;
  }
  if (!strings) r.fail("no global string pool", head.headerSize);
  return new ResourceTable(r, strings, packages);
}
