// Reading through a metadata table: a reference is (block position relative to the table start,
// offset inside the decoded block), and a record may continue into the next block. Every read is
// bounded by the table's end, so a reference into the void is a FormatError, not a hang.
import { FormatError, u16le, u32le } from "../../source.js";
import type { SquashImage } from "./image.js";

export interface MetadataTable {
  name: string;
  /** Position of the first block, from the superblock. */
  start: number;
  /** Where the next table begins: blocks must start before it. */
  end: number;
}

/** Split a 64-bit inode reference (block << 16 | offset) into its parts. */
export function splitRef(ref: number): { block: number; offset: number } {
  return { block: Math.floor(ref / 65536), offset: ref % 65536 };
}

export class Cursor {
  private pos: number;
  private data: Uint8Array;
  private next: number;

  constructor(
    private readonly img: SquashImage,
    private readonly table: MetadataTable,
    block: number,
    private offset: number,
  ) {
    this.pos = table.start + block;
    ({ data: this.data, next: this.next } = this.load(this.pos));
    if (offset > this.data.length)
      throw new FormatError(
        `${img.what}: ${table.name} reference +0x${block.toString(16)}:${offset} points past its block`,
      );
  }

  private load(pos: number) {
    if (pos < this.table.start || pos >= this.table.end)
      throw new FormatError(`${this.img.what}: ${this.table.name} runs past its end (0x${pos.toString(16)})`);
    return this.img.metadata(pos, this.table.name);
  }

  /** Where the cursor is, as a reference that can be stored and resumed. */
  get where(): { block: number; offset: number } {
    return { block: this.pos - this.table.start, offset: this.offset };
  }

  read(length: number): Uint8Array {
    // Most records sit inside one block: hand out a view without copying.
    if (this.offset + length <= this.data.length) {
      const view = this.data.subarray(this.offset, this.offset + length);
      this.offset += length;
      return view;
    }
    const out = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      if (this.offset >= this.data.length) {
        this.pos = this.next;
        ({ data: this.data, next: this.next } = this.load(this.pos));
        this.offset = 0;
      }
      const n = Math.min(length - filled, this.data.length - this.offset);
      out.set(this.data.subarray(this.offset, this.offset + n), filled);
      filled += n;
      this.offset += n;
    }
    return out;
  }

  skip(length: number): void {
    let left = length;
    while (left > 0) {
      const n = Math.min(left, 65536);
      this.read(n);
      left -= n;
    }
  }

  u16(): number {
    return u16le(this.read(2), 0);
  }

  u32(): number {
    return u32le(this.read(4), 0);
  }

  u64(): number {
    const b = this.read(8);
    return u32le(b, 0) + u32le(b, 4) * 2 ** 32;
  }
}
