// Concord's own version, from package.json (two folders up from both src/util and dist/util).
import { readFileSync } from "node:fs";

export const TOOL_VERSION: string = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;
