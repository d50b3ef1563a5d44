// The Linux kernel shows itself three ways in a root filesystem: the vermagic of every module
// ("vermagic=5.4.55 SMP mod_unload"), the banner of an uncompressed kernel image ("Linux version
// 5.4.55 (builder@host) ..."), both found by the fingerprint rules, and the directory modules are
// installed under (/lib/modules/5.4.55/), found here. The version is the upstream release; the
// local suffix ("-v7+", "-rt") stays visible in the match.
import type { VirtualFS } from "../../vfs.js";
import type { Hit } from "./fingerprints.js";

/** Kernel images a filesystem may carry next to the modules: /boot/*, vmlinux, zImage, Image. */
export const KERNEL_IMAGE =
  /^\/boot\/[^/]+$|(^|\/)(vmlinux|vmlinuz|zImage|uImage|bzImage|Image)([.-][^/]*)?$/;

const MAX_MODULE_DIRS = 64;

export function moduleDirHits(vfs: VirtualFS): { path: string; hit: Hit }[] {
  const root = vfs.resolve("/lib/modules");
  if (root?.type !== "dir") return [];
  const out: { path: string; hit: Hit }[] = [];
  for (const e of vfs.children(root.path)) {
    if (out.length >= MAX_MODULE_DIRS) break;
    if (e.type !== "dir") continue;
    const name = e.path.slice(e.path.lastIndexOf("/") + 1);
    const m = /^(\d+\.\d+(?:\.\d+)?)(?:[-+.][A-Za-z0-9._+-]*)?$/.exec(name);
    if (!m) continue;
    out.push({
      path: e.path,
      hit: {
        name: "linux",
        version: m[1]!,
        method: "modules-dir",
        confidence: 0.6,
        match: name,
        role: "operating-system",
      },
    });
  }
  return out;
}
