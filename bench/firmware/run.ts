// bench/firmware: a realistic root filesystem of at least 64 MB (real ELF binaries and libraries
// from this machine's /usr, plus /etc), packed as SquashFS with xz and with gzip. In one run it
// times Concord's full analysis against `unsquashfs` extraction alone and against `binwalk -e`,
// and prints the ratios and Concord's peak memory. Goal: analysis <= 1.5x unsquashfs, < 1 GB.
//
// Run: npm run bench:firmware   (needs squashfs-tools and binwalk: apt-get install squashfs-tools binwalk)
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const TARGET_BYTES = Number(process.env.BENCH_ROOTFS_MB ?? 96) * 1024 * 1024;
const work = mkdtempSync(join(tmpdir(), "concord-bench-fw-"));

function sh(cmd: string, args: string[]): { ms: number; out: string } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1024 ** 3 });
  const ms = performance.now() - t0;
  if (r.error || r.status !== 0)
    throw new Error(`${cmd} ${args.join(" ")} failed: ${r.error?.message ?? r.stderr}`);
  return { ms, out: r.stdout };
}

/** Copy real files from the host until the tree reaches the target size. */
function buildRootfs(): string {
  const root = join(work, "rootfs");
  mkdirSync(root, { recursive: true });
  let total = 0;
  for (const dir of ["/usr/bin", "/usr/sbin", "/usr/lib/x86_64-linux-gnu", "/etc"]) {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (total >= TARGET_BYTES && dir !== "/etc") break;
      const src = join(dir, e.name);
      const dst = join(root, dir, e.name);
      try {
        if (e.isFile()) {
          const size = statSync(src).size;
          if (size > 32 * 1024 * 1024) continue;
          mkdirSync(join(root, dir), { recursive: true });
          cpSync(src, dst);
          total += size;
        } else if (e.isSymbolicLink()) {
          mkdirSync(join(root, dir), { recursive: true });
          cpSync(src, dst, { verbatimSymlinks: true });
        }
      } catch {
        // unreadable host files (permissions) are skipped
      }
    }
  }
  console.log(`rootfs: ${(total / 1024 / 1024).toFixed(0)} MB of real files from this machine`);
  return root;
}

function concord(image: string): { ms: number; maxRssMb: number } {
  const script = join(import.meta.dirname, "analyze-one.ts");
  const r = sh(process.execPath, ["--import", "tsx", script, image]);
  return JSON.parse(r.out.trim().split("\n").pop()!) as { ms: number; maxRssMb: number };
}

const root = buildRootfs();
for (const comp of ["xz", "gzip"] as const) {
  const image = join(work, `rootfs-${comp}.sqfs`);
  sh("mksquashfs", [root, image, "-comp", comp, "-noappend", "-quiet", "-no-progress", "-processors", "1"]);
  const size = statSync(image).size;
  const out = join(work, `x-${comp}`);
  const uns = sh("unsquashfs", ["-q", "-n", "-p", "1", "-d", out, image]);
  rmSync(out, { recursive: true, force: true });
  let binwalkMs: number | undefined;
  if (existsSync("/usr/bin/binwalk")) {
    const bw = join(work, `bw-${comp}`);
    mkdirSync(bw);
    binwalkMs = sh("binwalk", ["-e", "-q", "--run-as=root", "-C", bw, image]).ms;
    rmSync(bw, { recursive: true, force: true });
  }
  const c = concord(image);
  console.log(`\nSquashFS ${comp}: ${(size / 1024 / 1024).toFixed(1)} MB image`);
  console.log(`  unsquashfs -d (extract only, 1 thread): ${(uns.ms / 1000).toFixed(2)} s`);
  if (binwalkMs !== undefined)
    console.log(`  binwalk -e (extract only):               ${(binwalkMs / 1000).toFixed(2)} s`);
  console.log(
    `  concord full analysis (unpack + all analyzers): ${(c.ms / 1000).toFixed(2)} s, peak RSS ${c.maxRssMb.toFixed(0)} MB`,
  );
  console.log(`  ratio concord / unsquashfs: ${(c.ms / uns.ms).toFixed(2)}x (goal <= 1.5x)`);
  if (binwalkMs !== undefined)
    console.log(`  ratio concord / binwalk -e:  ${(c.ms / binwalkMs).toFixed(2)}x`);
}
rmSync(work, { recursive: true, force: true });
