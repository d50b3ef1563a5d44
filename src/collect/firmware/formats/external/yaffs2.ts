// YAFFS2, the NAND filesystem of older Android devices and some cameras. It has no superblock:
// an image is a run of chunks (2-16 KiB of data, then a spare area whose packed tags say which
// object and which chunk of it this is), and a chunk with chunk id 0 holds an object header
// (type, parent, name, mode...). Detection is heuristic and strict: the first object header, its
// tags, and the next chunks must agree on a layout. The headers are read natively to check the
// image before the Debian tool unyaffs extracts it.
import { FormatError, u32le, type Source } from "../../source.js";
import { hex, type Format, type FormatContext } from "../types.js";
import { extractExternally } from "./extract.js";
import { toolSignature, UNYAFFS } from "./tools.js";

const CHUNK_SIZES = [2048, 4096, 8192, 16384];
const HEADER_FLAG = 0x80000000; // packed tags: "this chunk id field carries header info"
const OBJECT_ID_MASK = 0x0fffffff; // the object type may ride in the top bits of the object id
const MAX_OBJECT_ID = 1 << 18;
const MAX_CHUNK_ID = 1 << 20;
const NAME_AT = 10;
const NAME_SIZE = 256;
const TYPES: Record<number, string> = {
  1: "file",
  2: "symlink",
  3: "directory",
  4: "hardlink",
  5: "special",
};

interface Layout {
  chunk: number;
  spare: number;
  /** Where the tags sit in the spare: 0, or 2 after a bad-block marker. */
  tagsAt: number;
}

interface Tags {
  seq: number;
  objId: number;
  chunkId: number;
  header: boolean;
}

interface ObjectHeader {
  type: number;
  parent: number;
  name: string;
}

const erased = (b: Uint8Array) => b.every((x) => x === 0xff);

/** The packed tags of the chunk at `pos`: "erased", plausible tags, or undefined. */
function tagsOf(src: Source, pos: number, l: Layout): Tags | "erased" | undefined {
  const b = src.read(pos + l.chunk + l.tagsAt, 16);
  if (b.length < 16) return undefined;
  if (erased(b)) return "erased";
  const seq = u32le(b, 0);
  const rawObj = u32le(b, 4);
  const rawChunk = u32le(b, 8);
  const header = rawChunk === 0 || (rawChunk & HEADER_FLAG) !== 0;
  const objId = header ? rawObj & OBJECT_ID_MASK : rawObj;
  if (seq === 0 || seq === 0xffffffff || objId === 0 || objId >= MAX_OBJECT_ID) return undefined;
  if (!header && (rawChunk > MAX_CHUNK_ID || u32le(b, 12) > l.chunk)) return undefined;
  return { seq, objId, chunkId: header ? 0 : rawChunk, header };
}

function headerOf(src: Source, pos: number): ObjectHeader | undefined {
  const d = src.read(pos, NAME_AT + NAME_SIZE);
  if (d.length < NAME_AT + NAME_SIZE) return undefined;
  const type = u32le(d, 0);
  if (!TYPES[type]) return undefined;
  const name = d.subarray(NAME_AT, NAME_AT + NAME_SIZE);
  const nul = name.indexOf(0);
  if (nul < 0) return undefined; // unterminated: a C tool would read past it
  return { type, parent: u32le(d, 4), name: Buffer.from(name.subarray(0, nul)).toString("utf8") };
}

/** The layout under which the first chunk is an object header and the next chunks agree. */
function detectLayout(src: Source, offset: number): Layout | undefined {
  const first = headerOf(src, offset);
  if (!first) return undefined;
  for (const chunk of CHUNK_SIZES)
    for (let spare = 64; spare <= 512; spare += 16)
      for (const tagsAt of [0, 2]) {
        const l = { chunk, spare, tagsAt };
        const t0 = tagsOf(src, offset, l);
        if (!t0 || t0 === "erased" || !t0.header) continue;
        // A chunk of the same block right before this one: this header is inside an image
        // (one whose extraction failed), not the start of one.
        const before = offset >= chunk + spare ? tagsOf(src, offset - chunk - spare, l) : undefined;
        if (before && before !== "erased" && before.seq === t0.seq) continue;
        let agreeing = 0;
        let ok = true;
        for (let i = 1; i <= 3 && ok; i++) {
          const pos = offset + i * (chunk + spare);
          if (pos + chunk + spare > src.size) break;
          const t = tagsOf(src, pos, l);
          if (t === "erased") ok = erased(src.read(pos, 16));
          else if (!t || t.seq !== t0.seq || (t.header && !headerOf(src, pos))) ok = false;
          else agreeing++;
        }
        if (ok && agreeing > 0) return l;
      }
  return undefined;
}

interface Survey {
  layout: Layout;
  /** Bytes from the first chunk to the end of the last valid one. */
  length: number;
  objects: Map<number, ObjectHeader>;
}

/**
 * Read every object header. unyaffs checks names and parents itself, but a second entry of the
 * same name in one directory would let it write through a symlink the first one made, so such
 * an image is refused here.
 */
function survey(src: Source, offset: number, layout: Layout, ctx: FormatContext, what: string): Survey {
  const step = layout.chunk + layout.spare;
  const objects = new Map<number, ObjectHeader>();
  const names = new Map<string, number>();
  let length = 0;
  for (let i = 0, pos = offset; pos + step <= src.size; i++, pos += step) {
    if (i % 4096 === 4095) ctx.budget.checkTime(what);
    const t = tagsOf(src, pos, layout);
    if (t === "erased") continue;
    if (!t) break;
    length = pos + step - offset;
    if (!t.header) continue;
    const h = headerOf(src, pos);
    if (!h) throw new FormatError(`${what}: object header at chunk ${i} is damaged`);
    const key = `${h.parent}/${h.name}`;
    const other = names.get(key);
    if (other !== undefined && other !== t.objId)
      throw new FormatError(
        `${what}: objects ${other} and ${t.objId} are both named "${h.name}" in directory ${h.parent}; not extracted (the second would be written through the first)`,
      );
    names.set(key, t.objId);
    objects.set(t.objId, h);
  }
  return { layout, length, objects };
}

const count = (s: Survey, type: number) => [...s.objects.values()].filter((o) => o.type === type).length;

export const yaffs2Format: Format = {
  id: "yaffs2",
  get version() {
    return `1${toolSignature([UNYAFFS])}`;
  },
  // An object header in the root directory: its type (file, symlink, directory, hard link,
  // special), parent 1, and the unused checksum field left erased.
  magics: [1, 2, 3, 4, 5].map((type) => ({ bytes: hex(`0${type}000000 01000000 ffff`), at: 0 })),
  probe(src, offset) {
    return detectLayout(src, offset) !== undefined;
  },
  extract(src, offset, ctx) {
    const what = `${src.name} yaffs2@0x${offset.toString(16)}`;
    const layout = detectLayout(src, offset);
    if (!layout) throw new FormatError(`${what}: no chunk layout fits`);
    const s = survey(src, offset, layout, ctx, what);
    const shape = {
      chunkSize: layout.chunk,
      spareSize: layout.spare,
      tagsOffset: layout.tagsAt,
      objects: s.objects.size,
      files: count(s, 1),
      directories: count(s, 3),
      symlinks: count(s, 2),
    };
    const result = extractExternally({
      src,
      offset,
      length: s.length,
      tools: [UNYAFFS],
      args: (_tool, input, out) => [
        "-c",
        String(layout.chunk / 1024),
        "-s",
        String(layout.spare),
        ...(layout.tagsAt === 2 ? ["-b"] : []),
        input,
        out,
      ],
      what,
      label: `yaffs2@0x${offset.toString(16)}`,
      ctx,
    });
    if (!result) {
      const message = `${what}: YAFFS2 (${layout.chunk}-byte chunks, ${layout.spare}-byte spare, ${s.objects.size} objects) cannot be read natively; install unyaffs (Debian package unyaffs) to extract it`;
      if (offset !== 0) ctx.note(message);
      throw new FormatError(message);
    }
    return {
      kind: "filesystem",
      fs: result.fs,
      consumed: s.length,
      detail: { ...shape, extractedBy: result.extractedBy },
    };
  },
};
