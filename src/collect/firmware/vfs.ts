// The virtual filesystem an image unpacks into: an index of entries whose content is read on
// demand, never written to the host. Names chosen by the image are normalized inside the image
// root: "..", absolute names and escaping links can never reach outside it, and each attempt is
// recorded so it can be reported.

export type EntryType = "file" | "dir" | "symlink" | "hardlink" | "char" | "block" | "fifo" | "socket";

/** The file-type bits of a POSIX mode (st_mode & S_IFMT). */
export const S_IFMT = 0o170000;

const MODE_TYPES: Record<number, EntryType> = {
  0o100000: "file",
  0o040000: "dir",
  0o120000: "symlink",
  0o020000: "char",
  0o060000: "block",
  0o010000: "fifo",
  0o140000: "socket",
};

/** The entry type a POSIX mode encodes; a regular file when the bits are unknown. */
export function entryTypeOfMode(mode: number): EntryType {
  return MODE_TYPES[mode & S_IFMT] ?? "file";
}

export interface VEntry {
  /** Normalized absolute path inside the image: "/etc/passwd". */
  path: string;
  type: EntryType;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime?: number;
  /** Symlink or hard-link target as stored in the image (not yet resolved). */
  linkTarget?: string;
  device?: { major: number; minor: number };
  xattrs?: Record<string, string>;
  /** Reads the content of a regular file (bounded by the unpack budget). */
  read?: () => Uint8Array;
}

export interface PathProblem {
  path: string;
  problem: string;
}

/** Normalize a name from an image into an absolute path under the image root. */
export function normalizePath(raw: string): { path: string; escaped: boolean } {
  const parts: string[] = [];
  let escaped = raw.startsWith("/");
  for (const seg of raw.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (parts.length === 0) escaped = true;
      else parts.pop();
      continue;
    }
    parts.push(seg.replace(/\0/g, ""));
  }
  return { path: `/${parts.join("/")}`, escaped };
}

export class VirtualFS {
  private readonly entries = new Map<string, VEntry>();
  readonly problems: PathProblem[] = [];

  constructor(readonly label: string) {
    this.entries.set("/", { path: "/", type: "dir", mode: 0o755, uid: 0, gid: 0, size: 0 });
  }

  /** Add an entry under its normalized name; parents are created as directories. */
  add(rawPath: string, entry: Omit<VEntry, "path">): VEntry {
    const { path, escaped } = normalizePath(rawPath);
    // Absolute names are common and harmless in cpio/tar ("/etc/x"); only ".." above the root is hostile.
    if (escaped && rawPath.split("/").includes(".."))
      this.problems.push({ path: rawPath, problem: "name climbs above the image root; kept inside it" });
    const full: VEntry = { ...entry, path };
    if (path === "/") return this.entries.get("/")!;
    this.ensureParents(path);
    this.entries.set(path, full);
    return full;
  }

  private ensureParents(path: string): void {
    let cut = path.lastIndexOf("/");
    while (cut > 0) {
      const parent = path.slice(0, cut);
      if (this.entries.has(parent)) return;
      this.entries.set(parent, { path: parent, type: "dir", mode: 0o755, uid: 0, gid: 0, size: 0 });
      cut = parent.lastIndexOf("/");
    }
  }

  get(path: string): VEntry | undefined {
    return this.entries.get(normalizePath(path).path);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Every entry, in path order (stable across runs). */
  list(): VEntry[] {
    return [...this.entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  children(dir: string): VEntry[] {
    const base = normalizePath(dir).path;
    const prefix = base === "/" ? "/" : `${base}/`;
    return this.list().filter(
      (e) => e.path !== base && e.path.startsWith(prefix) && !e.path.slice(prefix.length).includes("/"),
    );
  }

  /**
   * Follow symlinks and hard links inside the image root. An absolute target is relative to the
   * image root; ".." stops at the root. Returns undefined for dangling links and loops.
   */
  resolve(path: string, maxHops = 40): VEntry | undefined {
    let current = normalizePath(path).path;
    for (let hop = 0; hop <= maxHops; hop++) {
      // Resolve links in parent directories first, one component at a time.
      const parts = current.split("/").filter(Boolean);
      let prefix = "";
      let rewritten = false;
      for (let i = 0; i < parts.length - 1; i++) {
        prefix = `${prefix}/${parts[i]}`;
        const e = this.entries.get(prefix);
        if (e?.type === "symlink" && e.linkTarget !== undefined) {
          const base = e.linkTarget.startsWith("/")
            ? e.linkTarget
            : `${prefix.slice(0, prefix.lastIndexOf("/"))}/${e.linkTarget}`;
          current = normalizePath(`${base}/${parts.slice(i + 1).join("/")}`).path;
          rewritten = true;
          break;
        }
      }
      if (rewritten) continue;
      const entry = this.entries.get(current);
      if (!entry) return undefined;
      if (entry.type === "symlink" && entry.linkTarget !== undefined) {
        const dir = current.slice(0, current.lastIndexOf("/"));
        current = normalizePath(
          entry.linkTarget.startsWith("/") ? entry.linkTarget : `${dir}/${entry.linkTarget}`,
        ).path;
        continue;
      }
      if (entry.type === "hardlink" && entry.linkTarget !== undefined) {
        current = normalizePath(entry.linkTarget).path;
        continue;
      }
      return entry;
    }
    return undefined;
  }

  /** Content of a file, following links; undefined when it is not a readable regular file. */
  readFile(path: string): Uint8Array | undefined {
    const e = this.resolve(path);
    return e?.type === "file" && e.read ? e.read() : undefined;
  }

  readText(path: string): string | undefined {
    const b = this.readFile(path);
    return b ? Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("utf8") : undefined;
  }
}
