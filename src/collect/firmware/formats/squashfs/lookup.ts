// Lookup tables (ids, fragments, xattr ids): an array of u64 positions of metadata blocks that
// hold fixed-size entries. Only the index is read up front; blocks are decoded when an entry is
// asked for, so a huge claimed count costs nothing until used and is bounded by the image.
import { FormatError, u32le } from "../../source.js";
import type { SquashImage } from "./image.js";
import { METADATA_SIZE, SUPERBLOCK_SIZE } from "./superblock.js";

export class LookupTable {
  private readonly blocks: number[] = [];

  constructor(
    private readonly img: SquashImage,
    readonly name: string,
    indexPos: number,
    readonly count: number,
    private readonly entrySize: number,
  ) {
    const n = Math.ceil((count * entrySize) / METADATA_SIZE);
    // The index itself must be in the image: this is what bounds an absurd count.
    const index = img.bytes(indexPos, n * 8, `${name} index`);
    for (let i = 0; i < n; i++) {
      const pos = u32le(index, i * 8) + u32le(index, i * 8 + 4) * 2 ** 32;
      if (pos < SUPERBLOCK_SIZE || pos >= img.end)
        throw new FormatError(`${img.what}: ${name} block ${i} at 0x${pos.toString(16)} is beyond the image`);
      this.blocks.push(pos);
    }
  }

  entry(i: number): Uint8Array {
    if (!Number.isInteger(i) || i < 0 || i >= this.count)
      throw new FormatError(`${this.img.what}: ${this.name} index ${i} is beyond its ${this.count} entries`);
    const byte = i * this.entrySize;
    const block = this.img.metadata(this.blocks[Math.floor(byte / METADATA_SIZE)]!, this.name);
    const offset = byte % METADATA_SIZE;
    if (offset + this.entrySize > block.data.length)
      throw new FormatError(`${this.img.what}: ${this.name} entry ${i} is missing from its block`);
    return block.data.subarray(offset, offset + this.entrySize);
  }
}
