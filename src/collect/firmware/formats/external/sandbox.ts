// Running an external extractor on hostile input, bounded. The tool gets a fresh private
// directory (mkdtemp, mode 0700) and writes only there; a small shell watchdog runs beside it and
// kills it when it runs out of time, when what it wrote grows past the bytes or files the Budget
// has left, and every file it writes is capped by RLIMIT_FSIZE. Its output is bounded too. The
// directories stay until the process exits (files are read from them lazily), then are removed.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FoundTool } from "./tools.js";

/** The longest one extractor may run, whatever the Budget has left. */
export const MAX_TOOL_MILLIS = 5 * 60 * 1000;
/** What the tool may print (stdout and stderr each) before it is stopped. */
const MAX_OUTPUT = 1024 * 1024;

const dirs = new Set<string>();
let hooked = false;

/** A new private directory for one extraction, removed at process exit. */
export function privateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "concord-extract-"));
  chmodSync(dir, 0o700);
  dirs.add(dir);
  if (!hooked) {
    hooked = true;
    process.once("exit", removeExtractions);
  }
  return dir;
}

/** Remove every extraction directory made so far (at exit, and by tests). */
export function removeExtractions(): void {
  for (const dir of dirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Best effort at exit: a directory we cannot remove must not turn into a crash.
    }
    dirs.delete(dir);
  }
}

/** The extraction directories that exist now (for tests). */
export function extractionDirs(): string[] {
  return [...dirs];
}

export interface Bounds {
  millis: number;
  bytes: number;
  files: number;
}

export interface ToolRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Set when the watchdog (or the output bound) stopped the tool. */
  stopped?: "time" | "bytes" | "files" | "output";
}

// $1 KiB, $2 inodes and $3 milliseconds the tool may use, $4 the directory it writes, $5 the largest
// file in 512-byte blocks; the command follows. Exit codes 201-203 say which bound stopped it.
const WATCHDOG = `
PATH=/usr/bin:/bin:$PATH
kib=$1; inodes=$2; ms=$3; out=$4; fsize=$5; shift 5
now() { echo $(( $(date +%s%N) / 1000000 )); }
ulimit -f "$fsize" 2>/dev/null
# Its own session and process group, so that whatever it starts is stopped with it.
if command -v setsid >/dev/null 2>&1; then setsid "$@" </dev/null & else "$@" </dev/null & fi
pid=$!
stop() { kill -9 -$pid 2>/dev/null || kill -9 $pid 2>/dev/null; }
trap stop TERM INT HUP
start=$(now); n=0; why=0
while kill -0 $pid 2>/dev/null; do
  sleep 0.05
  n=$((n + 1))
  if [ $(( $(now) - start )) -ge "$ms" ]; then why=201; break; fi
  if [ $((n % 10)) -eq 0 ] && [ -e "$out" ]; then
    used=$(du -sk "$out" 2>/dev/null | cut -f1)
    if [ "\${used:-0}" -gt "$kib" ]; then why=202; break; fi
    used=$(du -s --inodes "$out" 2>/dev/null | cut -f1)
    if [ "\${used:-0}" -gt "$inodes" ]; then why=203; break; fi
  fi
done
if [ $why -ne 0 ]; then stop; wait $pid 2>/dev/null; exit $why; fi
wait $pid
status=$?
stop
exit $status
`;

const STOPPED: Record<number, ToolRun["stopped"]> = { 201: "time", 202: "bytes", 203: "files" };
/** SIGXFSZ: a file grew past RLIMIT_FSIZE (the shell reports 128 + 25). */
const FILE_TOO_BIG = 128 + 25;

/** Run `tool args` in `cwd`, watching `out` (the directory it extracts into). */
export function runTool(tool: FoundTool, args: string[], cwd: string, out: string, bounds: Bounds): ToolRun {
  const ms = Math.max(1, Math.ceil(Math.min(bounds.millis, MAX_TOOL_MILLIS)));
  const kib = Math.max(1, Math.floor(bounds.bytes / 1024));
  const blocks = Math.max(1, Math.ceil(bounds.bytes / 512));
  const r = spawnSync(
    "/bin/sh",
    [
      "-c",
      WATCHDOG,
      "concord-watchdog",
      String(kib),
      String(bounds.files + 1),
      String(ms),
      out,
      String(blocks),
      tool.path,
      ...args,
    ],
    {
      cwd,
      // The watchdog stops the tool itself; this only catches a watchdog that hangs.
      timeout: ms + 10_000,
      maxBuffer: MAX_OUTPUT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, LC_ALL: "C" },
    },
  );
  const run: ToolRun = {
    status: r.status,
    stdout: r.stdout?.toString("utf8") ?? "",
    stderr: r.stderr?.toString("utf8") ?? "",
  };
  const code = r.error ? (r.error as NodeJS.ErrnoException).code : undefined;
  if (code === "ENOBUFS") run.stopped = "output";
  else if (code === "ETIMEDOUT") run.stopped = "time";
  else if (r.status !== null && STOPPED[r.status]) run.stopped = STOPPED[r.status];
  else if (r.status === FILE_TOO_BIG) run.stopped = "bytes";
  return run;
}
