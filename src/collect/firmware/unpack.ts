// Identify and carve payloads at any offset, recursively: a vendor header around a kernel and a
// squashfs, a cpio inside a gzip inside a FIT image. One pass per source finds every magic of
// every format; candidates are tried in offset order, skipping regions already claimed by a
// payload that extracted cleanly. What cannot be read is noted, never fatal: partial results stay.
import { FORMATS } from "./formats/index.js";
import type { Extracted, Format } from "./formats/types.js";
import { Budget, LimitError } from "./limits.js";
import { bufferSource, FormatError, sliceSource, type Source } from "./source.js";
import type { VirtualFS } from "./vfs.js";

export interface LayerRecord {
  /** Where the payload sits: "firmware.bin@0x40 > gzip > cpio". */
  path: string;
  format: string;
  offset: number;
  length: number;
  depth: number;
  detail?: Record<string, unknown>;
}

export interface MountedFs {
  /** Unique label used in evidence locations: "squashfs@0x120000". */
  id: string;
  format: string;
  layer: string;
  fs: VirtualFS;
}

export interface UnpackResult {
  layers: LayerRecord[];
  filesystems: MountedFs[];
  problems: string[];
  /** Set when a limit stopped the unpack; everything before it is kept. */
  stoppedBy?: string;
  bytesUnpacked: number;
}

interface Candidate {
  offset: number;
  format: Format;
}

/** Bytes scanned at a time for magics. */
const SCAN_WINDOW = 4 * 1024 * 1024;

/** One alternation of every magic, so a source is scanned once rather than once per magic. */
function magicPattern(formats: readonly Format[]): RegExp {
  const esc = (b: Uint8Array) => [...b].map((x) => `\\x${x.toString(16).padStart(2, "0")}`).join("");
  return new RegExp(formats.flatMap((f) => f.magics.map((m) => esc(m.bytes))).join("|"), "g");
}

/**
 * Candidates whose payload would start in [from, to), sorted by offset. Scanning works window by
 * window so that a payload claiming a large region (a filesystem covering the whole image) is
 * not scanned again inside.
 */
function scanWindow(src: Source, formats: readonly Format[], from: number, to: number): Candidate[] {
  const out: Candidate[] = [];
  const magics = formats.flatMap((format) => format.magics.map((magic) => ({ format, magic })));
  const reach = Math.max(...magics.map(({ magic }) => magic.at + magic.bytes.length));
  const view = src.read(from, to - from + reach);
  // latin1 maps each byte to one character, so string offsets are byte offsets.
  const text = Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString("latin1");
  const re = patternFor(formats);
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const i = m.index;
    re.lastIndex = i + 1; // magics may overlap: look again from the next byte
    for (const { format, magic } of magics) {
      const start = from + i - magic.at;
      if (start < from || start >= to || !bytesAt(view, i, magic.bytes)) continue;
      out.push({ offset: start, format });
    }
  }
  return out.sort((a, b) => a.offset - b.offset);
}

const patterns = new WeakMap<readonly Format[], RegExp>();
function patternFor(formats: readonly Format[]): RegExp {
  let re = patterns.get(formats);
  if (!re) patterns.set(formats, (re = magicPattern(formats)));
  return re;
}

function bytesAt(view: Uint8Array, at: number, bytes: Uint8Array): boolean {
  if (at + bytes.length > view.length) return false;
  for (let k = 0; k < bytes.length; k++) if (view[at + k] !== bytes[k]) return false;
  return true;
}

export function unpack(
  image: Source,
  opts: { budget?: Budget; formats?: readonly Format[] } = {},
): UnpackResult {
  const budget = opts.budget ?? new Budget();
  const formats = opts.formats ?? FORMATS;
  const result: UnpackResult = { layers: [], filesystems: [], problems: [], bytesUnpacked: 0 };
  const note = (p: string) => result.problems.push(p);

  const visit = (src: Source, depth: number, path: string): void => {
    budget.checkDepth(depth, path);
    let claimedUntil = 0;
    for (let from = 0; from < src.size; from = Math.max(from + SCAN_WINDOW, claimedUntil))
      for (const cand of scanWindow(src, formats, from, Math.min(src.size, from + SCAN_WINDOW))) {
        if (cand.offset < claimedUntil) continue;
        budget.checkTime(path);
        if (!cand.format.probe(src, cand.offset)) continue;
        let extracted: Extracted;
        try {
          extracted = cand.format.extract(src, cand.offset, { budget, depth, note });
        } catch (e) {
          if (e instanceof LimitError) throw e;
          if (e instanceof FormatError) {
            // A magic that is not really a payload is ordinary (random bytes match); report only
            // failures at the start of a source, where the user expects a format.
            if (cand.offset === 0) note(e.message);
            continue;
          }
          note(
            `${path} ${cand.format.id}@0x${cand.offset.toString(16)}: unreadable (${(e as Error).message})`,
          );
          continue;
        }
        const here = `${path} > ${cand.format.id}@0x${cand.offset.toString(16)}`;
        result.layers.push({
          path: here,
          format: cand.format.id,
          offset: cand.offset,
          length: extracted.consumed,
          depth,
          detail: extracted.detail,
        });
        claimedUntil = cand.offset + Math.max(1, extracted.consumed);
        if (extracted.kind === "stream") visit(extracted.data, depth + 1, here);
        else if (extracted.kind === "container")
          for (const part of extracted.parts)
            visit(
              sliceSource(src, `${here}:${part.label}`, cand.offset + part.offset, part.length),
              depth + 1,
              `${here}:${part.label}`,
            );
        else {
          result.filesystems.push({
            id: uniqueId(result, `${cand.format.id}@0x${cand.offset.toString(16)}`),
            format: cand.format.id,
            layer: here,
            fs: extracted.fs,
          });
          visitImagesInside(extracted.fs, depth + 1, here);
        }
      }
  };

  // Files inside a filesystem that are themselves images (an update zip holding a rootfs, an
  // initramfs in /boot) are unpacked too. Only likely image files are opened, so a root
  // filesystem full of .gz documentation does not multiply the work.
  const visitImagesInside = (fs: VirtualFS, depth: number, path: string): void => {
    for (const entry of fs.list()) {
      if (entry.type !== "file" || !entry.read || entry.size < 64) continue;
      if (!LIKELY_IMAGE.test(entry.path)) continue;
      let data: Uint8Array;
      try {
        data = entry.read();
      } catch (e) {
        note(`${path}:${entry.path}: unreadable (${(e as Error).message})`);
        continue;
      }
      const head = bufferSource(`${path}:${entry.path}`, data);
      if (!formats.some((f) => f.magics.some((m) => startsWith(data, m.bytes, m.at)) && f.probe(head, 0)))
        continue;
      visit(head, depth, `${path}:${entry.path}`);
    }
  };

  try {
    visit(image, 0, image.name);
  } catch (e) {
    if (!(e instanceof LimitError)) throw e;
    result.stoppedBy = e.message;
    note(e.message);
  }
  result.bytesUnpacked = budget.bytes;
  for (const m of result.filesystems) for (const p of m.fs.problems) note(`${m.id}: ${p.path}: ${p.problem}`);
  return result;
}

/** Names of files worth opening as nested images. */
const LIKELY_IMAGE =
  /(\.(img|bin|trx|chk|ubi|ubifs|squashfs|sqfs|cpio|tar|ext[234]|jffs2|fw|itb|fit|zip)(\.(gz|xz|lzma|zst|bz2|lzo))?$)|(^|\/)(initramfs|initrd|rootfs|firmware|uImage|zImage)[^/]*$/i;

function startsWith(data: Uint8Array, magic: Uint8Array, at: number): boolean {
  if (data.length < at + magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (data[at + i] !== magic[i]) return false;
  return true;
}

function uniqueId(result: UnpackResult, id: string): string {
  let n = 1;
  let candidate = id;
  while (result.filesystems.some((f) => f.id === candidate)) candidate = `${id}#${++n}`;
  return candidate;
}
