// Hand one payload to the first installed external extractor that can read it: the payload's
// bytes are copied into a private directory, the tool extracts next to them under the watchdog,
// and the tree it wrote becomes a VirtualFS. Which tool and version did it goes in the detail.
import { closeSync, existsSync, openSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { LimitError, type Budget } from "../../limits.js";
import { FormatError, type Source } from "../../source.js";
import { VirtualFS } from "../../vfs.js";
import type { FormatContext } from "../types.js";
import { MAX_TOOL_MILLIS, privateDir, runTool, type ToolRun } from "./sandbox.js";
import { describeTool, installed, type ExternalTool, type FoundTool } from "./tools.js";
import { readTree } from "./tree.js";

export interface ExternalJob {
  src: Source;
  offset: number;
  /** Bytes of the payload from `offset` (already bounded by the source). */
  length: number;
  /** Tools to try, best first. */
  tools: readonly ExternalTool[];
  /** The command line for one tool: it reads `input` and creates `out`. */
  args(tool: FoundTool, input: string, out: string): string[];
  /** "firmware.bin squashfs@0x0", for messages. */
  what: string;
  /** The filesystem's label: "squashfs@0x0". */
  label: string;
  ctx: FormatContext;
  /** Why the payload went to an external tool, to lead the message when every tool fails. */
  why?: string;
}

export interface ExtractedBy {
  tool: string;
  version: string;
  package: string;
}

export interface ExternalResult {
  fs: VirtualFS;
  extractedBy: ExtractedBy;
}

const CHUNK = 16 * 1024 * 1024;

/** Milliseconds the budget has left. */
export function remainingMillis(budget: Budget): number {
  return budget.remainingMillis();
}

function writePayload(job: ExternalJob, path: string): void {
  const fd = openSync(path, "wx", 0o600);
  try {
    for (let at = 0; at < job.length; at += CHUNK) {
      const part = job.src.read(job.offset + at, Math.min(CHUNK, job.length - at));
      if (part.length === 0) break;
      writeSync(fd, part);
    }
  } finally {
    closeSync(fd);
  }
}

/** The first lines of what a tool said, without the private directory's name. */
function said(run: ToolRun, dir: string): string {
  const text = `${run.stderr}\n${run.stdout}`.split(`${dir}/`).join("").split(dir).join("");
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const first = lines.slice(0, 2).join(" / ");
  return first.length > 300 ? `${first.slice(0, 300)}...` : first || `exit status ${run.status ?? "none"}`;
}

/**
 * Extract with the first installed tool that succeeds. Returns undefined when none of
 * `job.tools` is installed; throws a FormatError listing each tool's complaint when all fail,
 * and a LimitError when a tool ran into the budget.
 */
export function extractExternally(job: ExternalJob): ExternalResult | undefined {
  const found = installed(job.tools);
  if (found.length === 0) return undefined;
  const { budget } = job.ctx;
  budget.checkTime(job.what);
  const dir = privateDir();
  const input = join(dir, "payload.bin");
  writePayload(job, input);
  const failures: string[] = [];
  try {
    for (const [i, tool] of found.entries()) {
      const out = join(dir, `tree-${i}`);
      const cap = budget.streamCap(job.length);
      const millis = remainingMillis(budget);
      const run = runTool(tool, job.args(tool, input, out), dir, out, {
        millis,
        bytes: cap.max,
        files: Math.max(0, budget.settings.maxFiles - budget.files),
      });
      const name = describeTool(tool);
      if (run.stopped === "time") {
        if (millis < MAX_TOOL_MILLIS)
          throw new LimitError(
            "maxMillis",
            `${job.what}: time limit of ${Math.round(budget.settings.maxMillis / 1000)} s reached while ${tool.tool.command} ran`,
          );
        failures.push(`${name} did not finish within ${MAX_TOOL_MILLIS / 60_000} minutes`);
        continue;
      }
      if (run.stopped === "bytes")
        throw new LimitError(cap.limit, `${job.what}: ${tool.tool.command} wrote ${cap.why}`);
      if (run.stopped === "files")
        throw new LimitError(
          "maxFiles",
          `${job.what}: ${tool.tool.command} wrote more than the ${budget.settings.maxFiles} files allowed`,
        );
      if (run.stopped === "output") {
        failures.push(`${name} printed more than 1 MiB and was stopped`);
        continue;
      }
      const note = (p: string) => job.ctx.note(p);
      const fs = existsSync(out) ? readTree(out, job.label, budget, job.what, note) : undefined;
      if (run.status !== 0) {
        if (!fs || fs.size <= 1) {
          failures.push(`${name} could not extract it: ${said(run, dir)}`);
          continue;
        }
        job.ctx.note(
          `${job.what}: ${tool.tool.command} reported errors (${said(run, dir)}); kept the ${fs.size - 1} entries it extracted`,
        );
      }
      if (!fs) job.ctx.note(`${job.what}: ${tool.tool.command} succeeded but extracted nothing`);
      return {
        fs: fs ?? new VirtualFS(job.label),
        extractedBy: {
          tool: tool.tool.command,
          version: tool.version ?? "unknown",
          package: tool.tool.debianPackage ?? tool.tool.elsewhere ?? "unknown",
        },
      };
    }
  } finally {
    rmSync(input, { force: true });
  }
  throw new FormatError(`${job.what}: ${job.why ? `${job.why}; ` : ""}${failures.join("; ")}`);
}

/**
 * Thrown by a native reader for a variant it recognises but does not read (lz4 squashfs, a
 * vendor byte order): the format may then hand the payload to an external tool.
 */
export class NeedsExternalTool extends FormatError {}
