// The attestations file a manifest may point to (`attestationsFile`): a YAML document holding
// `attestations: [...]` in the manifest's own attestation format, kept apart so people who sign
// off on processes can edit it without touching the product description. Evidence paths in it
// are relative to its own folder.
import { existsSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { z } from "zod";
import { Attestation, type AttestationT } from "./schema.js";
import { sha256 } from "../util/hash.js";
import type { Problem } from "../util/problems.js";
import { parseWithSchema, positionOf, readYamlSource } from "../util/yaml-source.js";

export const AttestationsFile = z.strictObject({
  attestations: z.array(Attestation).default([]),
});

export interface LoadedAttestations {
  file: string;
  dir: string;
  sha256: string;
  attestations: AttestationT[];
  locate: (path: (string | number)[]) => string;
  problems: Problem[];
}

export interface AttestationVocabulary {
  requirements: Set<string>;
  provisions: Set<string>;
}

/** Where the manifest's `attestationsFile` points, absolute. */
export function attestationsFilePath(manifestDir: string, declared: string): string {
  return isAbsolute(declared) ? declared : resolve(manifestDir, declared);
}

/**
 * Read and check an attestations file: YAML syntax and schema (problems carry line:col), evidence
 * files that exist, dates in order, recorded hashes for listed files only, and, given a vocabulary,
 * requirement and provision ids that exist. Never throws for a bad file: the caller decides.
 */
export function readAttestationsFile(file: string, vocab?: AttestationVocabulary): LoadedAttestations {
  const dir = dirname(file);
  const empty = { file, dir, sha256: "", attestations: [], locate: () => "1:1" };
  if (!existsSync(file))
    return {
      ...empty,
      problems: [
        {
          file,
          message: "the attestations file does not exist",
          fix: "create it (concord attest writes it) or fix attestationsFile in the manifest",
        },
      ],
    };
  let src;
  try {
    src = readYamlSource(file);
  } catch (e) {
    const problems = (e as { problems?: Problem[] }).problems;
    if (problems) return { ...empty, problems };
    throw e;
  }
  const parsed = parseWithSchema(src, AttestationsFile);
  const locate = (path: (string | number)[]) => {
    const p = positionOf(src, path);
    return `${p.line}:${p.col}`;
  };
  if (!parsed.value) return { ...empty, sha256: sha256(src.text), locate, problems: parsed.problems };
  const problems: Problem[] = [];
  const at = (path: (string | number)[], message: string, fix: string) =>
    problems.push({ file, ...positionOf(src, ["attestations", ...path]), message, fix });
  parsed.value.attestations.forEach((a, i) => {
    if (vocab && a.requirement && !vocab.requirements.has(a.requirement))
      at(
        [i, "requirement"],
        `unknown core requirement "${a.requirement}"`,
        "`concord catalog requirements` lists them",
      );
    if (vocab && a.provision && !vocab.provisions.has(a.provision))
      at(
        [i, "provision"],
        `unknown provision "${a.provision}"`,
        "write <regime id>:<provision id>; `concord catalog show <regime>` lists them",
      );
    if (a.validUntil && a.validUntil < a.date)
      at(
        [i, "validUntil"],
        `validUntil ${a.validUntil} is before the attestation date ${a.date}`,
        "fix one of the two dates",
      );
    a.evidence.forEach((e, j) => {
      const abs = isAbsolute(e) ? e : join(dir, e);
      if (!existsSync(abs))
        at(
          [i, "evidence", j],
          `evidence file "${e}" does not exist (looked for ${abs})`,
          "paths here are relative to the attestations file's folder",
        );
      else if (!statSync(abs).isFile())
        at([i, "evidence", j], `evidence file "${e}" is not a file`, "point at a file");
    });
    for (const k of Object.keys(a.evidenceSha256 ?? {}))
      if (!a.evidence.includes(k))
        at(
          [i, "evidenceSha256", k],
          `a hash is recorded for "${k}", which is not in evidence`,
          "list the file under evidence or drop its hash",
        );
  });
  return { file, dir, sha256: sha256(src.text), attestations: parsed.value.attestations, locate, problems };
}
