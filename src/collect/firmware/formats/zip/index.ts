// ZIP archives (PKWARE APPNOTE), read the way unzip reads them: through the central directory
// that the end-of-central-directory record (or its zip64 form) points to, never by trusting the
// local headers alone. Entries are stored or deflated; their content is inflated only when read.
import { decompress, type Codec } from "../../codecs/index.js";
import { LimitError, type StreamCap } from "../../limits.js";
import { FormatError, u16le, u32le, u64le, type Source } from "../../source.js";
import { entryTypeOfMode, VirtualFS, type EntryType } from "../../vfs.js";
import { hex, type Format, type FormatContext } from "../types.js";
import { crc32 } from "../../codecs/checksums.js";

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const LOCATOR64 = 0x07064b50;
const EOCD_LEN = 22;
const EOCD64_LEN = 56;
const LOCATOR64_LEN = 20;
const STORED = 0;
const LZMA = 14;
/** Methods read through the shared codecs (LZMA, with its own small header, apart). */
const CODECS: Record<number, Codec> = { 8: "deflate-raw", 12: "bzip2", 93: "zstd", 95: "xz" };
const FLAG_ENCRYPTED = 1;
const FLAG_UTF8 = 0x800;
const MAX_SYMLINK = 4096;

const METHODS: Record<number, string> = {
  0: "stored",
  1: "shrunk",
  6: "imploded",
  8: "deflate",
  9: "deflate64",
  12: "bzip2",
  14: "lzma",
  93: "zstd",
  95: "xz",
  98: "ppmd",
  99: "aes",
};

interface Directory {
  cdStart: number;
  cdEnd: number;
  entries: number;
  /** Where offset 0 of the archive's own offsets is in the source (earlier for self-extractors). */
  base: number;
  end: number;
  zip64: boolean;
}

// Every end-of-central-directory signature in a source, found once: each local header of a
// damaged archive is a new candidate, and rescanning the rest of a large image for each would
// be quadratic.
const eocdCache = new WeakMap<Source, number[]>();
const MAX_EOCD_CANDIDATES = 100_000;

function eocdPositions(src: Source): number[] {
  const cached = eocdCache.get(src);
  if (cached) return cached;
  const found: number[] = [];
  const sig = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
  const CHUNK = 16 * 1024 * 1024;
  for (let base = 0; base < src.size && found.length < MAX_EOCD_CANDIDATES; base += CHUNK) {
    const bytes = src.read(base, CHUNK + 3);
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = view.indexOf(sig); i >= 0 && i < CHUNK; i = view.indexOf(sig, i + 1)) found.push(base + i);
  }
  eocdCache.set(src, found);
  return found;
}

/** The central directory an EOCD record at `pos` describes, if it is coherent. */
function readEocd(src: Source, pos: number, start: number): Directory | undefined {
  const e = src.read(pos, EOCD_LEN);
  if (e.length < EOCD_LEN || u32le(e, 0) !== EOCD) return undefined;
  const commentLen = u16le(e, 20);
  let entries = u16le(e, 10);
  let cdSize = u32le(e, 12);
  let cdOffset = u32le(e, 16);
  let cdEnd = pos;
  let zip64 = false;
  if (u16le(e, 4) !== 0 && u16le(e, 4) !== 0xffff) return undefined; // split archives
  if (entries === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = src.read(pos - LOCATOR64_LEN, LOCATOR64_LEN);
    if (pos < LOCATOR64_LEN || loc.length < LOCATOR64_LEN || u32le(loc, 0) !== LOCATOR64) return undefined;
    // The zip64 record normally sits right before its locator; else trust the locator's offset.
    let z64 = pos - LOCATOR64_LEN - EOCD64_LEN;
    if (z64 < 0 || u32le(src.read(z64, 4), 0) !== EOCD64) z64 = start + u64le(loc, 8);
    const z = src.read(z64, EOCD64_LEN);
    if (z.length < EOCD64_LEN || u32le(z, 0) !== EOCD64) return undefined;
    entries = u64le(z, 32);
    cdSize = u64le(z, 40);
    cdOffset = u64le(z, 48);
    cdEnd = z64;
    zip64 = true;
  }
  const cdStart = cdEnd - cdSize;
  const base = cdStart - cdOffset;
  if (cdStart < start || base < 0 || entries > cdSize / 46) return undefined;
  if (entries > 0 && u32le(src.read(cdStart, 4), 0) !== CENTRAL) return undefined;
  return { cdStart, cdEnd, entries, base, end: Math.min(src.size, pos + EOCD_LEN + commentLen), zip64 };
}

function findDirectory(src: Source, offset: number, what: string): Directory {
  const positions = eocdPositions(src);
  let lo = 0;
  let hi = positions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (positions[mid]! < offset) lo = mid + 1;
    else hi = mid;
  }
  // A few stray signatures (inside stored entries) may come before the real record.
  for (let i = lo; i < Math.min(positions.length, lo + 64); i++) {
    const d = readEocd(src, positions[i]!, offset);
    if (d) return d;
  }
  throw new FormatError(`${what}: no end-of-central-directory record after the entries (truncated archive?)`);
}

/** Sizes and offset that did not fit 32 bits, from the zip64 extra field, in APPNOTE order. */
function zip64Fields(extra: Uint8Array, fields: { usize: number; csize: number; local: number }): void {
  for (let p = 0; p + 4 <= extra.length;) {
    const id = u16le(extra, p);
    const len = u16le(extra, p + 2);
    if (id === 1) {
      let q = p + 4;
      const take = (): number => {
        const v = q + 8 <= p + 4 + len && q + 8 <= extra.length ? u64le(extra, q) : NaN;
        q += 8;
        return v;
      };
      if (fields.usize === 0xffffffff) fields.usize = take();
      if (fields.csize === 0xffffffff) fields.csize = take();
      if (fields.local === 0xffffffff) fields.local = take();
      return;
    }
    p += 4 + len;
  }
}

interface Entry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  csize: number;
  usize: number;
  dataStart: number;
}

function inflate(src: Source, e: Entry, ctx: FormatContext, what: string): Uint8Array {
  const label = `${what} "${e.name}"`;
  const raw = src.read(e.dataStart, e.csize);
  if (raw.length < e.csize) ctx.note(`${label}: compressed data is truncated; kept what is there`);
  let data: Uint8Array;
  if (e.method === STORED) data = raw;
  else {
    const byRatio = ctx.budget.streamCap(raw.length);
    // The recorded size bounds the output too; more than that is a damaged or lying entry (a
    // FormatError for this entry alone), not a reason to stop the whole unpack.
    const recorded = e.usize < byRatio.max;
    const cap: StreamCap = recorded
      ? { max: e.usize, limit: "maxRatio", why: "more than the size its central directory records" }
      : byRatio;
    try {
      data =
        e.method === LZMA
          ? zipLzma(raw, cap, e.usize, label)
          : decompress(CODECS[e.method]!, raw, cap, label, { size: e.usize }).data;
    } catch (err) {
      if (recorded && err instanceof LimitError)
        throw new FormatError(
          `${label}: inflates to more than the ${e.usize} bytes its central directory records`,
        );
      throw err;
    }
    ctx.budget.chargeBytes(data.length, label);
  }
  if (data.length !== e.usize) ctx.note(`${label}: ${data.length} bytes where ${e.usize} are recorded`);
  else if (crc32(data) !== e.crc) ctx.note(`${label}: CRC-32 does not match; the content is damaged`);
  return data;
}

/** ZIP's LZMA: version (2 bytes), properties length (2), the 5 LZMA properties, raw LZMA. */
function zipLzma(raw: Uint8Array, cap: StreamCap, size: number, label: string): Uint8Array {
  const propsLen = raw.length >= 4 ? u16le(raw, 2) : 0;
  if (propsLen !== 5 || raw.length < 9 || raw[4]! >= 9 * 5 * 5)
    throw new FormatError(`${label}: LZMA properties header is damaged`);
  const p = raw[4]!;
  const lzma = { lc: p % 9, lp: Math.floor(p / 9) % 5, pb: Math.floor(p / 45), dictSize: u32le(raw, 5) };
  return decompress("lzma-raw", raw.subarray(9), cap, label, { size, lzma }).data;
}

/** Why a raw name deserves a note beyond what the VirtualFS records itself. */
function nameProblem(name: string): string | undefined {
  if (/^[A-Za-z]:/.test(name)) return "has a drive letter";
  if (name.startsWith("/")) return "is absolute";
  if (name.includes("\\")) return "uses backslashes (read as separators)";
  return undefined;
}

export const zipFormat: Format = {
  id: "zip",
  version: "1",
  magics: [{ bytes: hex("504b0304"), at: 0 }],
  probe(src, offset) {
    const h = src.read(offset, 30);
    if (h.length < 30) return false;
    const nameLen = u16le(h, 26);
    return h[4]! <= 63 && METHODS[u16le(h, 8)] !== undefined && nameLen > 0 && nameLen <= 4096;
  },
  extract(src, offset, ctx) {
    const what = `${src.name} zip@0x${offset.toString(16)}`;
    const dir = findDirectory(src, offset, what);
    const fs = new VirtualFS(`zip@0x${offset.toString(16)}`);
    const unsupported: Record<string, number> = {};
    let encrypted = 0;
    let p = dir.cdStart;
    for (let i = 0; i < dir.entries; i++) {
      const h = src.read(p, 46);
      if (h.length < 46 || u32le(h, 0) !== CENTRAL || p + 46 > dir.cdEnd) {
        ctx.note(`${what}: central directory entry ${i} is damaged; the remaining entries are skipped`);
        break;
      }
      if (i % 256 === 0) ctx.budget.checkTime(what);
      const madeBy = u16le(h, 4);
      const flags = u16le(h, 8);
      const method = u16le(h, 10);
      const nameLen = u16le(h, 28);
      const extraLen = u16le(h, 30);
      const external = u32le(h, 38);
      const rawName = src.read(p + 46, nameLen);
      const fields = { usize: u32le(h, 24), csize: u32le(h, 20), local: u32le(h, 42) };
      zip64Fields(src.read(p + 46 + nameLen, extraLen), fields);
      p += 46 + nameLen + extraLen + u16le(h, 32);
      const decoded = Buffer.from(rawName).toString(flags & FLAG_UTF8 ? "utf8" : "latin1");
      const problem = nameProblem(decoded);
      if (problem) ctx.note(`${what}: entry "${decoded}" ${problem}; kept inside the image root`);
      const name = decoded.replace(/\\/g, "/").replace(/^[A-Za-z]:/, "");
      ctx.budget.chargeFile(what);

      // Unix hosts (made-by 3) keep st_mode in the high half of the external attributes.
      const unixMode = madeBy >> 8 === 3 ? external >>> 16 : 0;
      const isDir = name.endsWith("/") || (external & 0x10) !== 0;
      const type: EntryType = unixMode ? entryTypeOfMode(unixMode) : isDir ? "dir" : "file";
      const mode = unixMode ? unixMode & 0o7777 : isDir ? 0o755 : 0o644;
      if (type === "dir" || type === "char" || type === "block" || type === "fifo" || type === "socket") {
        fs.add(name, { type, mode, uid: 0, gid: 0, size: 0 });
        continue;
      }

      const entry = readLocalHeader(src, dir.base + fields.local, {
        name,
        method,
        flags,
        crc: u32le(h, 16),
        csize: fields.csize,
        usize: fields.usize,
      });
      let read: (() => Uint8Array) | undefined;
      if (typeof entry === "string") ctx.note(`${what}: "${name}" ${entry}`);
      else if (flags & FLAG_ENCRYPTED) encrypted++;
      else if (method !== STORED && method !== LZMA && !CODECS[method]) {
        const m = `${method} ${METHODS[method] ?? "unknown"}`;
        unsupported[m] = (unsupported[m] ?? 0) + 1;
      } else read = () => inflate(src, entry, ctx, what);

      if (type === "symlink") {
        const target =
          read && typeof entry !== "string" && entry.usize <= MAX_SYMLINK ? tryRead(read, ctx) : undefined;
        fs.add(name, { type, mode, uid: 0, gid: 0, size: 0, linkTarget: target ?? "" });
        continue;
      }
      fs.add(name, {
        type: "file",
        mode,
        uid: 0,
        gid: 0,
        size: typeof entry === "string" ? 0 : entry.usize,
        read,
      });
    }
    const methods = Object.entries(unsupported).map(([m, n]) => `${m}: ${n}`);
    if (methods.length)
      ctx.note(`${what}: entries compressed with methods Concord does not read (${methods.join(", ")})`);
    if (encrypted) ctx.note(`${what}: ${encrypted} encrypted entries not read`);
    return {
      kind: "filesystem",
      fs,
      consumed: dir.end - offset,
      detail: { entries: dir.entries, zip64: dir.zip64, encrypted, unsupported },
    };
  },
};

/** Where an entry's data starts, from its local header; a string says what is wrong. */
function readLocalHeader(src: Source, at: number, e: Omit<Entry, "dataStart">): Entry | string {
  if (!Number.isFinite(e.csize) || !Number.isFinite(e.usize) || !Number.isFinite(at))
    return "has a damaged zip64 extra field";
  const l = src.read(at, 30);
  if (l.length < 30 || u32le(l, 0) !== LOCAL) return `has no local header at 0x${at.toString(16)}`;
  const dataStart = at + 30 + u16le(l, 26) + u16le(l, 28);
  if (dataStart + e.csize > src.size) return "has data beyond the end of the image";
  return { ...e, dataStart };
}

function tryRead(read: () => Uint8Array, ctx: FormatContext): string | undefined {
  try {
    return Buffer.from(read()).toString("utf8");
  } catch (err) {
    if (err instanceof FormatError) {
      ctx.note(err.message);
      return undefined;
    }
    throw err;
  }
}
