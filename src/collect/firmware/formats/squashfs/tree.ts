// Walk the directory tree from the root inode into a VirtualFS. The walk is iterative (a stack of
// listings, depth-bounded), every directory inode is entered once (a listing that points back at
// a directory already entered is a loop and is reported, not followed), an inode reached a second
// time is a hard link, and every entry is charged to the budget as it is added.
import { LimitError, type Budget } from "../../limits.js";
import { FormatError } from "../../source.js";
import { VirtualFS, type VEntry } from "../../vfs.js";
import { FileData } from "./data.js";
import { readDirectory, type DirEntry } from "./directory.js";
import type { SquashImage } from "./image.js";
import { NO_XATTR, readInode, type Inode } from "./inode.js";
import { LookupTable } from "./lookup.js";
import { splitRef, type MetadataTable } from "./metadata.js";
import { Xattrs } from "./xattrs.js";

/** Deeper than any real tree (PATH_MAX allows ~2048 one-letter levels; real images have < 30). */
const MAX_DIR_DEPTH = 1024;
/** Owner reported when the id table cannot say: no real uid, so no check mistakes it for root. */
const UNKNOWN_ID = -1;

interface Frame {
  path: string;
  entries: DirEntry[];
  next: number;
  depth: number;
}

export function buildTree(
  img: SquashImage,
  budget: Budget,
  note: (p: string) => void,
  label: string,
): VirtualFS {
  const { sb } = img;
  const inodes: MetadataTable = { name: "inode table", start: sb.inodeTable, end: sb.directoryTable };
  const later = [sb.fragmentTable, sb.exportTable, sb.idTable, sb.xattrIdTable, img.end].filter(
    (p): p is number => p !== undefined && p > sb.directoryTable,
  );
  const dirs: MetadataTable = { name: "directory table", start: sb.directoryTable, end: Math.min(...later) };

  const ids = new LookupTable(img, "id table", sb.idTable, sb.idCount, 4);
  const idCache = new Map<number, number>();
  const id = (index: number): number => {
    let v = idCache.get(index);
    if (v === undefined) {
      try {
        const e = ids.entry(index);
        v = (e[0]! | (e[1]! << 8) | (e[2]! << 16) | (e[3]! << 24)) >>> 0;
      } catch (err) {
        if (!(err instanceof FormatError)) throw err;
        note(err.message);
        v = UNKNOWN_ID;
      }
      idCache.set(index, v);
    }
    return v;
  };

  let fragments: LookupTable | undefined;
  if (sb.fragmentTable !== undefined && sb.fragmentCount > 0)
    fragments = optional(
      note,
      () => new LookupTable(img, "fragment table", sb.fragmentTable!, sb.fragmentCount, 16),
    );
  let xattrs: Xattrs | undefined;
  if (sb.xattrIdTable !== undefined) xattrs = optional(note, () => new Xattrs(img, sb.xattrIdTable!));
  const data = new FileData(img, fragments);

  const describe = (inode: Inode, path: string): Omit<VEntry, "path"> => {
    const entry: Omit<VEntry, "path"> = {
      type: inode.kind,
      mode: inode.mode,
      uid: id(inode.uidIndex),
      gid: id(inode.gidIndex),
      size: inode.kind === "file" ? (inode.fileSize ?? 0) : 0,
      mtime: inode.mtime,
    };
    if (inode.kind === "file") entry.read = data.reader(inode, path);
    if (inode.target) entry.linkTarget = Buffer.from(inode.target).toString("utf8");
    if (inode.device) entry.device = inode.device;
    if (inode.xattr !== NO_XATTR) {
      if (!xattrs) note(`${img.what}: ${path} has extended attributes but the image has no xattr table`);
      else {
        const read = optional(note, () => xattrs.read(inode.xattr, note));
        if (read && Object.keys(read).length > 0) entry.xattrs = read;
      }
    }
    return entry;
  };

  const rootRef = splitRef(sb.rootInode);
  const root = readInode(img, inodes, rootRef.block, rootRef.offset);
  if (root.kind !== "dir")
    throw new FormatError(`${img.what}: the root inode is a ${root.kind}, not a directory`);
  const fs = new VirtualFS(label);
  Object.assign(fs.get("/")!, describe(root, "/"));

  const refKey = (block: number, offset: number) => block * 65536 + offset;
  const enteredDirs = new Map<number, string>([[refKey(rootRef.block, rootRef.offset), "/"]]);
  const firstPath = new Map<number, VEntry>();
  const stack: Frame[] = [];
  const enter = (path: string, inode: Inode, depth: number) => {
    const entries = optional(note, () =>
      readDirectory(
        img,
        dirs,
        { block: inode.dirBlock ?? 0, offset: inode.dirOffset ?? 0, size: inode.dirSize ?? 0 },
        budget,
        note,
        path,
      ),
    );
    if (entries) stack.push({ path, entries, next: 0, depth });
  };
  const walkStack = (): void => {
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const e = frame.entries[frame.next++];
      if (!e) {
        stack.pop();
        continue;
      }
      const path = frame.path === "/" ? `/${e.name}` : `${frame.path}/${e.name}`;
      budget.chargeFile(img.what);
      if (fs.get(path)) {
        note(`${img.what}: ${path} appears twice in its directory; the first is kept`);
        continue;
      }
      const key = refKey(e.block, e.offset);
      const loopsTo = enteredDirs.get(key);
      if (loopsTo !== undefined) {
        note(`${img.what}: ${path} points back at directory ${loopsTo} (a loop); not followed`);
        continue;
      }
      const first = firstPath.get(key);
      if (first) {
        fs.add(path, { ...first, type: "hardlink", linkTarget: first.path, read: undefined });
        continue;
      }
      const inode = optional(
        (p) => note(`${p} (the inode of ${path}); skipped`),
        () => readInode(img, inodes, e.block, e.offset),
      );
      if (!inode) continue;
      if (inode.basic !== e.type)
        note(`${img.what}: ${path} is listed as type ${e.type} but its inode is a ${inode.kind}`);
      const added = fs.add(path, describe(inode, path));
      if (inode.kind !== "dir") {
        firstPath.set(key, added);
        continue;
      }
      enteredDirs.set(key, path);
      if (frame.depth + 1 >= MAX_DIR_DEPTH)
        note(`${img.what}: ${path} is nested deeper than ${MAX_DIR_DEPTH} levels; not entered`);
      else enter(path, inode, frame.depth + 1);
    }
  };

  try {
    enter("/", root, 0);
    walkStack();
  } catch (e) {
    // Keep the part of the tree read before a limit: the budget stays exhausted, so the engine
    // stops at its next charge or time check, and the note says this tree is partial.
    if (!(e instanceof LimitError)) throw e;
    note(`${e.message}; the tree is partial`);
  }
  return fs;
}

/** Run `f`; a FormatError becomes a note and undefined, so one bad part does not lose the rest. */
function optional<T>(note: (p: string) => void, f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    note(e.message);
    return undefined;
  }
}
