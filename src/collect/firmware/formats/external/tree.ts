// The directory an external extractor wrote, read back into a VirtualFS. Nothing is followed:
// every entry is lstat'ed, symlinks are kept as symlinks with their raw targets, devices and
// fifos are listed but never opened, and regular files are opened with O_NOFOLLOW when read.
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  type Stats,
} from "node:fs";
import type { Budget } from "../../limits.js";
import { FormatError } from "../../source.js";
import { VirtualFS, type EntryType, type VEntry } from "../../vfs.js";

const MAX_DEPTH = 256;
const SLASH = Buffer.from("/");

function typeOf(st: Stats): EntryType {
  if (st.isFile()) return "file";
  if (st.isDirectory()) return "dir";
  if (st.isSymbolicLink()) return "symlink";
  if (st.isCharacterDevice()) return "char";
  if (st.isBlockDevice()) return "block";
  if (st.isFIFO()) return "fifo";
  return "socket";
}

/** Linux's dev_t split into major and minor (the glibc encoding). */
function device(rdev: number): { major: number; minor: number } {
  const hi = Math.floor(rdev / 2 ** 32);
  const lo = rdev >>> 0;
  return {
    major: ((lo >>> 8) & 0xfff) | ((hi & 0xfffff000) >>> 0),
    minor: (lo & 0xff) | ((lo >>> 12) & 0xfff00),
  };
}

/** Reads a file the tool wrote, at most the size it had when the tree was listed. */
function reader(path: Buffer, size: number, shown: string, what: string): () => Uint8Array {
  return () => {
    let fd: number;
    try {
      fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (e) {
      throw new FormatError(
        `${what}: the extracted copy of ${shown} cannot be opened (${(e as NodeJS.ErrnoException).code ?? "error"})`,
      );
    }
    try {
      if (!fstatSync(fd).isFile())
        throw new FormatError(`${what}: the extracted copy of ${shown} is no longer a file`);
      const out = Buffer.alloc(size);
      let done = 0;
      while (done < size) {
        const n = readSync(fd, out, done, size - done, done);
        if (n === 0) break;
        done += n;
      }
      return out.subarray(0, done);
    } finally {
      closeSync(fd);
    }
  };
}

/**
 * The tree under `root` as a VirtualFS labelled `label`. Every entry is charged to the budget
 * (files, and the bytes the tool wrote); names are taken as UTF-8.
 */
export function readTree(
  root: string,
  label: string,
  budget: Budget,
  what: string,
  note: (p: string) => void,
): VirtualFS {
  const fs = new VirtualFS(label);
  const rootBuf = Buffer.from(root);
  const seen = new Map<string, string>(); // dev:ino -> first path, for hard links
  const stack: { dir: Buffer; path: string; depth: number }[] = [{ dir: rootBuf, path: "", depth: 0 }];
  let count = 0;
  while (stack.length) {
    const { dir, path: dirPath, depth } = stack.pop()!;
    let names: Buffer[];
    try {
      names = readdirSync(dir, { encoding: "buffer" });
    } catch (e) {
      note(
        `${what}: directory "${dirPath || "/"}" could not be listed (${(e as NodeJS.ErrnoException).code})`,
      );
      continue;
    }
    names.sort((a, b) => Buffer.compare(a, b));
    for (const name of names) {
      if (++count % 256 === 0) budget.checkTime(what);
      budget.chargeFile(what);
      const abs = Buffer.concat([dir, SLASH, name]);
      const path = `${dirPath}/${name.toString("utf8")}`;
      const st = lstatSync(abs);
      const type = typeOf(st);
      const base: Omit<VEntry, "path" | "type" | "size"> = {
        mode: st.mode & 0o7777,
        uid: st.uid,
        gid: st.gid,
        mtime: Math.floor(st.mtimeMs / 1000),
      };
      if (type === "dir") {
        fs.add(path, { type, ...base, size: 0 });
        if (depth + 1 < MAX_DEPTH) stack.push({ dir: abs, path, depth: depth + 1 });
        else note(`${what}: "${path}" nests deeper than ${MAX_DEPTH} levels; not listed`);
        continue;
      }
      if (type === "symlink") {
        // 7-Zip rewrites an absolute target to point into the directory it extracts to.
        let target = readlinkSync(abs, { encoding: "buffer" }).toString("utf8");
        if (target.startsWith(`${root}/`)) target = target.slice(root.length);
        fs.add(path, { type, ...base, size: 0, linkTarget: target });
        continue;
      }
      if (type === "char" || type === "block") {
        fs.add(path, { type, ...base, size: 0, device: device(st.rdev) });
        continue;
      }
      if (type !== "file") {
        fs.add(path, { type, ...base, size: 0 });
        continue;
      }
      const key = `${st.dev}:${st.ino}`;
      const first = st.nlink > 1 ? seen.get(key) : undefined;
      if (first !== undefined) {
        fs.add(path, { type: "hardlink", ...base, size: 0, linkTarget: first });
        continue;
      }
      if (st.nlink > 1) seen.set(key, path);
      budget.chargeBytes(st.size, what);
      fs.add(path, { type, ...base, size: st.size, read: reader(abs, st.size, path, what) });
    }
  }
  return fs;
}
