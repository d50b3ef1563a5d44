// Directory listings: runs of up to 256 entries, each run headed by the inode-table block its
// inodes live in and a base inode number. The listing length comes from the directory inode and
// bounds the parse; names that could not come from a real filesystem are reported and skipped.
import { FormatError, u16le, u32le } from "../../source.js";
import type { Budget } from "../../limits.js";
import type { SquashImage } from "./image.js";
import { Cursor, type MetadataTable } from "./metadata.js";

export interface DirEntry {
  name: string;
  /** Inode position: block relative to the inode table start, offset in the decoded block. */
  block: number;
  offset: number;
  /** Basic type (1-7) as the listing claims it. */
  type: number;
  number: number;
}

const HEADER = 12;
const ENTRY = 8;
const MAX_RUN = 256;

/**
 * Entries of a listing of `size` bytes (the inode's size, which counts 3 bytes for "." and ".."),
 * at most as many as the file limit leaves room for.
 * Problems with single names go to `note`; a listing that cannot be parsed throws FormatError and
 * the entries read before it are lost only for this directory.
 */
export function readDirectory(
  img: SquashImage,
  table: MetadataTable,
  at: { block: number; offset: number; size: number },
  budget: Budget,
  note: (p: string) => void,
  path: string,
): DirEntry[] {
  let left = at.size - 3;
  if (left <= 0) return [];
  const c = new Cursor(img, table, at.block, at.offset);
  const out: DirEntry[] = [];
  while (left > 0) {
    if (left < HEADER) throw new FormatError(`${img.what}: listing of ${path} ends inside a header`);
    const h = c.read(HEADER);
    left -= HEADER;
    const count = u32le(h, 0) + 1;
    const block = u32le(h, 4);
    const base = u32le(h, 8);
    if (count > MAX_RUN)
      throw new FormatError(
        `${img.what}: listing of ${path} has a run of ${count} entries (at most ${MAX_RUN})`,
      );
    for (let i = 0; i < count; i++) {
      if (left < ENTRY) throw new FormatError(`${img.what}: listing of ${path} ends inside an entry`);
      const e = c.read(ENTRY);
      const offset = u16le(e, 0);
      const delta = (u16le(e, 2) << 16) >> 16; // signed
      const type = u16le(e, 4);
      const nameLen = u16le(e, 6) + 1;
      left -= ENTRY + nameLen;
      if (left < 0) throw new FormatError(`${img.what}: listing of ${path} ends inside a name`);
      const raw = c.read(nameLen);
      if ((out.length & 255) === 0) budget.checkTime(img.what);
      // The walk charges each entry it adds; stop collecting once that is bound to fail, so an
      // absurd listing does not fill memory first.
      if (budget.files + out.length > budget.settings.maxFiles) return out;
      const name = Buffer.from(raw).toString("utf8");
      if (name === "." || name === ".." || name.includes("/") || name.includes("\0")) {
        note(`${img.what}: ${path} holds an entry named ${JSON.stringify(name)}; skipped`);
        continue;
      }
      out.push({ name, block, offset, type, number: base + delta });
    }
  }
  return out;
}
