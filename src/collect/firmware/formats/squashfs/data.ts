// File contents, read only when asked: consecutive data blocks from the inode's start (size 0
// marks a sparse block of zeros, bit 24 an uncompressed one), then the tail from a fragment block
// shared with other small files. Recently used fragment blocks are kept, since files that share
// one are usually read one after another.
import { FormatError, u32le } from "../../source.js";
import type { SquashImage } from "./image.js";
import { NO_FRAGMENT, type Inode } from "./inode.js";
import type { LookupTable } from "./lookup.js";

const UNCOMPRESSED_BLOCK = 0x1000000;
const SIZE_MASK = 0xffffff;
const FRAGMENT_CACHE = 8;

export class FileData {
  private readonly cache = new Map<number, Uint8Array>();

  constructor(
    private readonly img: SquashImage,
    private readonly fragments: LookupTable | undefined,
  ) {}

  /** A reader for the content of file inode `inode`, found at `path` (for messages). */
  reader(inode: Inode, path: string): () => Uint8Array {
    return () => this.read(inode, path);
  }

  private read(inode: Inode, path: string): Uint8Array {
    const { img } = this;
    const what = `${img.what}:${path}`;
    const size = inode.fileSize ?? 0;
    const sizes = inode.blockSizes ?? new Uint32Array(0);
    const whole = img.sb.blockSize;
    img.budget.chargeBytes(size, what);
    const out = Buffer.allocUnsafe(size);
    let pos = inode.blocksStart ?? 0;
    for (let i = 0; i < sizes.length; i++) {
      if ((i & 63) === 0) img.budget.checkTime(what);
      const word = sizes[i]!;
      const onDisk = word & SIZE_MASK;
      const at = i * whole;
      const want = Math.min(whole, size - at);
      if (onDisk === 0) {
        out.fill(0, at, at + want);
        continue;
      }
      if (onDisk > whole)
        throw new FormatError(`${what}: block ${i} is ${onDisk} bytes on disk, over the block size`);
      const raw = img.bytes(pos, onDisk, `block ${i} of ${path}`);
      const data = word & UNCOMPRESSED_BLOCK ? raw : img.inflate(raw, whole, `block ${i} of ${path}`);
      if (data.length !== want)
        throw new FormatError(`${what}: block ${i} holds ${data.length} bytes, expected ${want}`);
      out.set(data, at);
      pos += onDisk;
    }
    const tail = size - sizes.length * whole;
    if (tail > 0) {
      if (inode.fragment === undefined || inode.fragment === NO_FRAGMENT)
        throw new FormatError(`${what}: ${tail} bytes past the last block and no fragment`);
      const frag = this.fragment(inode.fragment, what);
      const from = inode.fragmentOffset ?? 0;
      if (from + tail > frag.length)
        throw new FormatError(
          `${what}: tail of ${tail} bytes at ${from} is outside its ${frag.length}-byte fragment`,
        );
      out.set(frag.subarray(from, from + tail), sizes.length * whole);
    }
    return out;
  }

  private fragment(index: number, what: string): Uint8Array {
    const hit = this.cache.get(index);
    if (hit) {
      // Move to the back: the map's order is the eviction order.
      this.cache.delete(index);
      this.cache.set(index, hit);
      return hit;
    }
    if (!this.fragments)
      throw new FormatError(`${what}: refers to fragment ${index} but there is no fragment table`);
    const e = this.fragments.entry(index);
    const start = u32le(e, 0) + u32le(e, 4) * 2 ** 32;
    const word = u32le(e, 8);
    const onDisk = word & SIZE_MASK;
    const whole = this.img.sb.blockSize;
    if (onDisk === 0 || onDisk > whole)
      throw new FormatError(`${what}: fragment ${index} has impossible size ${onDisk}`);
    const raw = this.img.bytes(start, onDisk, `fragment ${index}`);
    const data = word & UNCOMPRESSED_BLOCK ? raw : this.img.inflate(raw, whole, `fragment ${index}`);
    if (this.cache.size >= FRAGMENT_CACHE) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(index, data);
    return data;
  }
}
