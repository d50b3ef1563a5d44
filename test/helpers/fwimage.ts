// Build real firmware images for tests with Debian's tools (squashfs-tools, cpio, tar, gzip, xz,
// zstd, bzip2, lzop, e2fsprogs, u-boot-tools, mtd-utils), from root filesystems the tests write.
// .ci/run installs the tools; a missing one fails the test with the package to install.
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
  linkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export type TreeEntry =
  | string // a regular file's text content
  | { content: string | Uint8Array; mode?: number }
  | { symlink: string }
  | { hardlink: string }
  | { dir: true; mode?: number };

/** A root filesystem: path (relative, "etc/passwd") to entry. */
export type Tree = Record<string, TreeEntry>;

export function tmp(prefix = "concord-fw-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeTree(tree: Tree, root = join(tmp(), "root")): string {
  mkdirSync(root, { recursive: true });
  // Regular files and dirs first, then links (a hard link needs its target to exist).
  const entries = Object.entries(tree).sort(([, a], [, b]) => rank(a) - rank(b));
  for (const [rel, e] of entries) {
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    if (typeof e === "string") writeFileSync(path, e);
    else if ("content" in e) {
      writeFileSync(path, e.content);
      if (e.mode !== undefined) chmodSync(path, e.mode);
    } else if ("symlink" in e) symlinkSync(e.symlink, path);
    else if ("hardlink" in e) linkSync(join(root, e.hardlink), path);
    else {
      mkdirSync(path, { recursive: true });
      if (e.mode !== undefined) chmodSync(path, e.mode);
    }
  }
  return root;
}

function rank(e: TreeEntry): number {
  return typeof e === "object" && ("symlink" in e || "hardlink" in e) ? 1 : 0;
}

const PACKAGE: Record<string, string> = {
  mksquashfs: "squashfs-tools",
  unsquashfs: "squashfs-tools",
  cpio: "cpio",
  xz: "xz-utils",
  zstd: "zstd",
  bzip2: "bzip2",
  lzop: "lzop",
  "mkfs.ext4": "e2fsprogs",
  "mkfs.ext2": "e2fsprogs",
  mkimage: "u-boot-tools",
  "mkfs.jffs2": "mtd-utils",
  gzip: "gzip",
  tar: "tar",
  sh: "dash",
};

/** Run a tool; throw with the Debian package to install when it is missing or fails. */
export function run(cmd: string, args: string[], opts: { cwd?: string; input?: Uint8Array } = {}): Buffer {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, input: opts.input, maxBuffer: 1024 ** 3 });
  if (r.error)
    throw new Error(`${cmd} is not available (${r.error.message}): apt-get install ${PACKAGE[cmd] ?? cmd}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr.toString()}`);
  return r.stdout;
}

export function tarImage(root: string, out = join(tmp(), "rootfs.tar")): string {
  run("tar", ["--owner=0", "--group=0", "-cf", out, "-C", root, "."]);
  return out;
}

export function cpioImage(
  root: string,
  format: "newc" | "odc" = "newc",
  out = join(tmp(), "rootfs.cpio"),
): string {
  const list = run("sh", ["-c", "find . | sort"], { cwd: root });
  writeFileSync(out, run("cpio", ["-o", "-H", format, "--quiet", "-R", "0:0"], { cwd: root, input: list }));
  return out;
}

export function squashfsImage(
  root: string,
  comp: "gzip" | "xz" | "lzma" | "lzo" | "zstd" | "lz4" = "gzip",
  out = join(tmp(), `rootfs-${comp}.sqfs`),
  extra: string[] = [],
): string {
  run("mksquashfs", [root, out, "-comp", comp, "-noappend", "-all-root", "-quiet", "-no-progress", ...extra]);
  return out;
}

/** Compress a file with gzip, xz, zstd, bzip2 or lzop; returns the new path. */
export function compress(file: string, tool: "gzip" | "xz" | "zstd" | "bzip2" | "lzop" | "lzma"): string {
  const args: Record<string, string[]> = {
    gzip: ["-kf", "-n"],
    xz: ["-kf"],
    lzma: ["-kf", "--format=lzma"],
    zstd: ["-qf"],
    bzip2: ["-kf"],
    lzop: ["-f"],
  };
  const ext: Record<string, string> = {
    gzip: ".gz",
    xz: ".xz",
    lzma: ".lzma",
    zstd: ".zst",
    bzip2: ".bz2",
    lzop: ".lzo",
  };
  run(tool === "lzma" ? "xz" : tool, [...args[tool]!, file]);
  return `${file}${ext[tool]}`;
}

/** Wrap payloads in a made-up vendor image: a header, the payloads at aligned offsets, padding. */
export function vendorImage(parts: string[], out = join(tmp(), "firmware.bin"), align = 0x10000): string {
  const chunks: Buffer[] = [Buffer.from("ACME-FW\0v2.4.1\0".padEnd(64, "\0"))];
  let size = 64;
  for (const p of parts) {
    const pad = (align - (size % align)) % align;
    chunks.push(Buffer.alloc(pad, 0xff));
    const body = readFileSync(p);
    chunks.push(body);
    size += pad + body.length;
  }
  chunks.push(Buffer.alloc(4096, 0xff));
  writeFileSync(out, Buffer.concat(chunks));
  return out;
}
