// Load concord.yaml: YAML with positions, schema validation, then checks that need the outside
// world (evidence files exist) or the catalog's vocabulary (markets, requirements, conditions),
// which the caller passes in so this folder stays independent of the catalog.
import { existsSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { z } from "zod";
import { InputError, type Problem } from "../util/problems.js";
import { sha256 } from "../util/hash.js";
import { parseWithSchema, positionOf, readYamlSource } from "../util/yaml-source.js";
import { attestationsFilePath, readAttestationsFile } from "./attestations-file.js";
import { Manifest, type ManifestT } from "./schema.js";
import { nearest } from "../util/suggest.js";

export interface Vocabulary {
  markets: Set<string>;
  regimes: Set<string>;
  requirements: Set<string>;
  provisions: Set<string>; // "<regime>:<provision>"
  conditions: Set<string>;
}

export interface LoadedManifest {
  file: string;
  dir: string;
  sha256: string;
  manifest: ManifestT;
  /** line:col of a path inside the manifest, for findings that point back at it. */
  locate: (path: (string | number)[]) => string;
}

export const MANIFEST_NAME = "concord.yaml";

/** Accepts a manifest file or a directory holding concord.yaml. */
export function resolveManifestPath(target: string): string {
  const abs = resolve(target);
  if (existsSync(abs) && statSync(abs).isDirectory()) return join(abs, MANIFEST_NAME);
  return abs;
}

/** The keys a zod object schema allows at `path`, for "did you mean" hints on unknown keys. */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: unknown = schema;
  const unwrap = () => {
    for (;;) {
      const def = (node as { _zod: { def: { type: string; innerType?: unknown } } })._zod.def;
      if ((def.type === "optional" || def.type === "default" || def.type === "nullable") && def.innerType)
        node = def.innerType;
      else return def;
    }
  };
  for (const key of path) {
    const def = unwrap() as { type: string; element?: unknown; shape?: Record<string, unknown> };
    if (def.type === "array" && typeof key === "number") node = def.element;
    else if (def.type === "object" && typeof key === "string" && def.shape?.[key]) node = def.shape[key];
    else return [];
  }
  const def = unwrap() as { type: string; shape?: Record<string, unknown> };
  return def.type === "object" && def.shape ? Object.keys(def.shape) : [];
}

function hintFor(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code === "unrecognized_keys") {
    const known = keysAt(Manifest, issue.path);
    const guess = nearest(issue.keys[0] ?? "", known);
    return guess
      ? `did you mean "${guess}"? Allowed here: ${known.join(", ")}`
      : `allowed here: ${known.join(", ")} (docs/manifest.md)`;
  }
  if (issue.code === "invalid_type" && issue.input === undefined)
    return "add this field; see docs/manifest.md";
  return undefined;
}

export function loadManifest(target: string, vocab: Vocabulary): LoadedManifest {
  const file = resolveManifestPath(target);
  if (!existsSync(file))
    throw new InputError(
      [
        {
          file,
          message: "no manifest here",
          fix: "run `concord init` to write a starter concord.yaml, or pass the path of an existing one",
        },
      ],
      `no manifest at ${file}`,
    );
  const src = readYamlSource(file);
  const parsed = parseWithSchema(src, Manifest, hintFor);
  if (!parsed.value) throw new InputError(parsed.problems, `${file} does not match the manifest schema`);
  const m = parsed.value;
  const dir = dirname(file);
  const problems: Problem[] = [];
  const at = (path: (string | number)[], message: string, fix: string) =>
    problems.push({ file, ...positionOf(src, path), message, fix });

  m.markets.forEach((mk, i) => {
    if (!vocab.markets.has(mk)) {
      const guess = nearest(mk, vocab.markets);
      at(
        ["markets", i],
        `unknown market "${mk}"`,
        guess
          ? `did you mean "${guess}"? Known markets: ${[...vocab.markets].sort().join(", ")}`
          : `known markets: ${[...vocab.markets].sort().join(", ")}`,
      );
    }
  });
  for (const key of ["include", "exclude"] as const)
    m.regimes?.[key].forEach((r, i) => {
      if (!vocab.regimes.has(r)) {
        const guess = nearest(r, vocab.regimes);
        at(
          ["regimes", key, i],
          `unknown regime "${r}"`,
          guess
            ? `did you mean "${guess}"? (\`concord catalog regimes\` lists them)`
            : "`concord catalog regimes` lists the regime ids",
        );
      }
    });
  for (const c of Object.keys(m.conditions ?? {}))
    if (!vocab.conditions.has(c)) {
      const guess = nearest(c, vocab.conditions);
      at(
        ["conditions", c],
        `unknown condition "${c}"`,
        guess ? `did you mean "${guess}"?` : `known conditions: ${[...vocab.conditions].join(", ")}`,
      );
    }
  const checkFile = (p: string, path: (string | number)[], what: string) => {
    const abs = isAbsolute(p) ? p : join(dir, p);
    if (!existsSync(abs))
      at(
        path,
        `${what} "${p}" does not exist (looked for ${abs})`,
        "fix the path (relative paths start at the manifest's folder) or add the file",
      );
    else if (!statSync(abs).isFile())
      at(path, `${what} "${p}" is not a file`, "point at a file, not a directory");
  };
  m.attestations?.forEach((a, i) => {
    if (a.requirement && !vocab.requirements.has(a.requirement)) {
      const guess = nearest(a.requirement, vocab.requirements);
      at(
        ["attestations", i, "requirement"],
        `unknown core requirement "${a.requirement}"`,
        guess
          ? `did you mean "${guess}"? (\`concord catalog requirements\` lists them)`
          : "`concord catalog requirements` lists them",
      );
    }
    if (a.provision && !vocab.provisions.has(a.provision))
      at(
        ["attestations", i, "provision"],
        `unknown provision "${a.provision}"`,
        "write <regime id>:<provision id>; `concord catalog show <regime>` lists the provision ids",
      );
    if (a.validUntil && a.validUntil < a.date)
      at(
        ["attestations", i, "validUntil"],
        `validUntil ${a.validUntil} is before the attestation date ${a.date}`,
        "fix one of the two dates",
      );
    a.evidence.forEach((e, j) => checkFile(e, ["attestations", i, "evidence", j], "evidence file"));
  });
  const art = m.artifacts;
  art?.firmware?.forEach((f, i) => checkFile(f.path, ["artifacts", "firmware", i, "path"], "firmware image"));
  art?.sboms?.forEach((s, i) => checkFile(s.path, ["artifacts", "sboms", i, "path"], "SBOM"));
  art?.apps?.forEach((a, i) => a.path && checkFile(a.path, ["artifacts", "apps", i, "path"], "app package"));
  if (art?.mud) checkFile(art.mud.path, ["artifacts", "mud", "path"], "MUD file");
  art?.vex?.forEach((v, i) => checkFile(v.path, ["artifacts", "vex", i, "path"], "VEX document"));
  // The attestations file is part of the product description: its problems are the manifest's.
  // One that does not exist yet is not a problem here (`concord attest` creates it); the manifest
  // collector reports it.
  if (m.attestationsFile) {
    const abs = attestationsFilePath(dir, m.attestationsFile);
    if (existsSync(abs)) problems.push(...readAttestationsFile(abs, vocab).problems);
  }
  if (problems.length > 0) throw new InputError(problems, `${file} has ${problems.length} problem(s)`);

  return {
    file,
    dir,
    sha256: sha256(src.text),
    manifest: m,
    locate: (path) => {
      const p = positionOf(src, path);
      return `${p.line}:${p.col}`;
    },
  };
}
