// Parse YAML keeping node positions, and turn schema issues (paths into the parsed value) into
// file:line:col problems. Used by both the catalog and the manifest loaders.
import { readFileSync, statSync } from "node:fs";
import { isMap, isSeq, LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { InputError, type Problem } from "./problems.js";

export interface YamlSource {
  file: string;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

/** Manifests and catalog files are small; anything larger is a mistake or an attack. */
export const MAX_YAML_BYTES = 8 * 1024 * 1024;

export function readYamlSource(file: string, text?: string): YamlSource {
  let body: string;
  try {
    if (text === undefined && statSync(file).size > MAX_YAML_BYTES)
      throw new InputError(
        [
          {
            file,
            message: `file is larger than ${MAX_YAML_BYTES / 1024 / 1024} MiB`,
            fix: "a concord.yaml or catalog file is a few kilobytes; check that this is the right file",
          },
        ],
        `${file} is too large`,
      );
    body = text ?? readFileSync(file, "utf8");
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(
      [
        {
          file,
          message: `cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
          fix: "check the path",
        },
      ],
      `cannot read ${file}`,
    );
  }
  const lines = new LineCounter();
  // uniqueKeys catches a key written twice, a common copy-paste slip in manifests.
  const doc = parseDocument(body, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const problems: Problem[] = doc.errors.map((err) => {
    const pos = err.linePos?.[0];
    return {
      file,
      line: pos?.line,
      col: pos?.col,
      message: `YAML syntax: ${err.message.split("\n")[0]}`,
      fix: "fix the YAML syntax at this position (indentation, quoting of values containing ': ')",
    };
  });
  if (problems.length > 0) throw new InputError(problems, `${file} is not valid YAML`);
  return { file, text: body, doc, lines };
}

/** Position of the node at `path`, or of its closest existing ancestor. */
export function positionOf(src: YamlSource, path: readonly PropertyKey[]): { line: number; col: number } {
  for (let n = path.length; n >= 0; n--) {
    const keys = path.slice(0, n).map((k) => (typeof k === "symbol" ? String(k) : k));
    const node = keys.length === 0 ? src.doc.contents : src.doc.getIn(keys, true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) {
      // For a missing key, point at the parent map's first entry rather than at its end.
      return src.lines.linePos(range[0]);
    }
  }
  return { line: 1, col: 1 };
}

/** Position of a mapping key itself (better for "unknown key" errors than the value). */
export function keyPositionOf(
  src: YamlSource,
  path: readonly PropertyKey[],
  key: string,
): { line: number; col: number } {
  const parent = path.length === 0 ? src.doc.contents : src.doc.getIn(path as unknown[], true);
  if (isMap(parent)) {
    for (const pair of parent.items) {
      const k = pair.key as { value?: unknown; range?: [number, number, number] } | null;
      if (k?.value === key && k.range) return src.lines.linePos(k.range[0]);
    }
  }
  return positionOf(src, path);
}

export function describePath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join("");
}

/** Validate the parsed YAML against a zod schema; every issue becomes a positioned problem. */
export function parseWithSchema<S extends z.ZodType>(
  src: YamlSource,
  schema: S,
  hint: (issue: z.core.$ZodIssue) => string | undefined = () => undefined,
): { value?: z.output<S>; problems: Problem[] } {
  let value: unknown;
  try {
    // toJS expands aliases; the yaml library refuses runaway expansion ("billion laughs").
    value = src.doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    return {
      problems: [
        {
          file: src.file,
          line: 1,
          col: 1,
          message: `cannot expand the YAML: ${(e as Error).message}`,
          fix: "remove the repeated aliases (*name); write the values out instead",
        },
      ],
    };
  }
  const result = schema.safeParse(value);
  if (result.success) return { value: result.data, problems: [] };
  const problems = result.error.issues.map((issue): Problem => {
    const unknownKey = issue.code === "unrecognized_keys" ? issue.keys[0] : undefined;
    const pos = unknownKey ? keyPositionOf(src, issue.path, unknownKey) : positionOf(src, issue.path);
    const where = issue.path.length > 0 ? `${describePath(issue.path)}: ` : "";
    return { file: src.file, ...pos, message: `${where}${issue.message}`, fix: hint(issue) };
  });
  return { problems };
}

export function isSequenceAt(src: YamlSource, path: readonly PropertyKey[]): boolean {
  return isSeq(src.doc.getIn(path as unknown[], true));
}
