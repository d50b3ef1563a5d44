// The external extractors Concord can hand a payload to when it cannot read it natively, how to
// find them on PATH, and which version each is (recorded with every extraction it does). A tool
// is optional: when none is installed, the format says which package to install.
import { spawnSync } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";

export interface ExternalTool {
  command: string;
  /** The Debian package that ships it; absent for tools Debian does not have. */
  debianPackage?: string;
  /** Where to get it when Debian does not ship it. */
  elsewhere?: string;
  /** Arguments that make it print its version (nothing else). */
  versionArgs: string[];
}

export const UNSQUASHFS: ExternalTool = {
  command: "unsquashfs",
  debianPackage: "squashfs-tools",
  versionArgs: ["-version"],
};
export const SEVEN_ZIP: ExternalTool = { command: "7zz", debianPackage: "7zip", versionArgs: [] };
export const P7ZIP: ExternalTool = { command: "7z", debianPackage: "p7zip-full", versionArgs: [] };
export const UNYAFFS: ExternalTool = { command: "unyaffs", debianPackage: "unyaffs", versionArgs: ["-V"] };
export const UBIREADER: ExternalTool = {
  command: "ubireader_extract_files",
  elsewhere: "ubi_reader (pip install ubi_reader)",
  versionArgs: ["--version"],
};

export interface FoundTool {
  tool: ExternalTool;
  path: string;
  /** "4.5.1", or undefined when the tool does not say. */
  version?: string;
}

/** The executable named `command` in the current PATH (read each time: tests change it). */
export function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue; // a relative PATH entry would depend on the cwd
    const path = join(dir, command);
    try {
      if (!statSync(path).isFile()) continue;
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      continue;
    }
  }
  return undefined;
}

const versions = new Map<string, string | undefined>();

/** The version a tool prints, cached by its path and modification time. */
function versionOf(tool: ExternalTool, path: string): string | undefined {
  let key: string;
  try {
    key = `${path}@${statSync(path).mtimeMs}`;
  } catch {
    return undefined;
  }
  if (versions.has(key)) return versions.get(key);
  const r = spawnSync(path, tool.versionArgs, {
    timeout: 10_000,
    maxBuffer: 64 * 1024,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, LC_ALL: "C" },
  });
  const text = `${r.stdout?.toString("utf8") ?? ""}\n${r.stderr?.toString("utf8") ?? ""}`;
  // "unsquashfs version 4.5.1 (2022/03/17)", "7-Zip (z) 26.02 (x64)", "V0.9.7": the first
  // dotted number on the first line that has one.
  const line = text.split("\n").find((l) => /\d+\.\d+/.test(l));
  const version = line?.match(/(\d+\.\d+(?:\.\d+)*)/)?.[1];
  versions.set(key, version);
  return version;
}

/** Every tool of `tools` that is installed, in the order given. */
export function installed(tools: readonly ExternalTool[]): FoundTool[] {
  const out: FoundTool[] = [];
  for (const tool of tools) {
    const path = findOnPath(tool.command);
    if (path) out.push({ tool, path, version: versionOf(tool, path) });
  }
  return out;
}

/**
 * A short tag of the installed tools and versions, for a format's version string: an analysis
 * cached while a tool was missing is recomputed once it is installed (and after an upgrade).
 */
export function toolSignature(tools: readonly ExternalTool[]): string {
  return installed(tools)
    .map((t) => `+${t.tool.command}-${t.version ?? "unknown"}`)
    .join("");
}

/** "unsquashfs 4.5.1 (squashfs-tools)". */
export function describeTool(t: FoundTool): string {
  const from = t.tool.debianPackage ?? t.tool.elsewhere;
  return `${t.tool.command}${t.version ? ` ${t.version}` : ""}${from ? ` (${from})` : ""}`;
}
