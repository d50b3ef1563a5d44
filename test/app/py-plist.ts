// Property lists written by python3's plistlib: an independent writer to test the readers against.
import { execFileSync } from "node:child_process";

/** A plist written by plistlib from a Python expression (datetime is imported), binary or XML. */
export function pyPlist(expr: string, fmt: "BINARY" | "XML"): Buffer {
  return execFileSync("python3", [
    "-c",
    `import plistlib, sys, datetime\nsys.stdout.buffer.write(plistlib.dumps(${expr}, fmt=plistlib.FMT_${fmt}, sort_keys=False))`,
  ]);
}
