// ext directory blocks: linked records (inode, record length, name length, file type, name) that
// fill each block. Hashed (htree) directories keep their index inside records the linear reading
// skips (inode 0, or the "." and ".." of the root block), and checksum tails are records with
// inode 0, so reading every block linearly lists every name.
import { u16le, u32le } from "../../source.js";

export interface DirRecord {
  ino: number;
  name: string;
}

/**
 * The records of `data`, read in chunks of `chunk` bytes (a block, or the inline area). Calls
 * `bad` once per chunk whose chain of records is broken and skips the rest of that chunk.
 */
export function dirRecords(
  data: Uint8Array,
  chunk: number,
  filetype: boolean,
  bad: (at: number) => void,
): DirRecord[] {
  const out: DirRecord[] = [];
  for (let base = 0; base < data.length; base += chunk) {
    const end = Math.min(data.length, base + chunk);
    for (let p = base; p + 8 <= end;) {
      const ino = u32le(data, p);
      const stored = u16le(data, p + 4);
      // 64 KiB blocks cannot hold their own length in 16 bits: 0 and 65535 mean a whole block.
      const recLen = chunk >= 65536 && (stored === 0 || stored === 65535) ? 65536 : stored;
      // Without the filetype feature the name length is 16 bits.
      const nameLen = filetype ? data[p + 6]! : u16le(data, p + 6);
      if (recLen < 8 || recLen % 4 !== 0 || p + recLen > end || 8 + nameLen > recLen) {
        bad(p);
        break;
      }
      if (ino !== 0 && nameLen > 0) {
        const name = Buffer.from(data.subarray(p + 8, p + 8 + nameLen)).toString("utf8");
        if (name !== "." && name !== "..") out.push({ ino, name });
      }
      p += recLen;
    }
  }
  return out;
}
