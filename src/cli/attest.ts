// concord attest <requirement>: record what only people can vouch for, with the documents that
// back it (hashed), who stands behind it and until when, in the manifest or the attestations file
// it points to. An earlier attestation of the same requirement is replaced, so renewing an expired
// one does not leave the old one failing beside it.
import { Option, type Command } from "commander";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { vocabularyOf } from "../assess/run.js";
import { loadCatalog } from "../catalog/load.js";
import { attestationsFilePath, readAttestationsFile } from "../manifest/attestations-file.js";
import { upsertAttestation, type AttestationEntry } from "../collect/manifest/attestations-edit.js";
import { loadManifest, resolveManifestPath, type Vocabulary } from "../manifest/load.js";
import { ISO_DATE, today } from "../util/dates.js";
import { sha256File } from "../util/hash.js";
import { InputError, UsageError } from "../util/problems.js";
import { nearest } from "../util/suggest.js";

interface AttestFlags {
  statement?: string;
  evidence?: string[];
  by?: string;
  role?: string;
  org?: string;
  date?: string;
  until?: string;
  claim: "satisfied" | "not-satisfied" | "not-applicable";
  manifest: string;
  add?: boolean;
}

/** A core requirement id (any case) or `<regime>:<provision>`; refused with a suggestion otherwise. */
export function resolveTarget(
  id: string,
  vocab: Vocabulary,
): { requirement: string } | { provision: string } {
  const upper = id.toUpperCase();
  if (vocab.requirements.has(upper)) return { requirement: upper };
  if (vocab.provisions.has(id)) return { provision: id };
  if (id.includes(":")) {
    // "uk-psti:Sch1-3" names a group of provisions: list its members rather than guess one.
    const members = [...vocab.provisions].filter((p) => p.startsWith(`${id}(`) || p.startsWith(`${id}.`));
    if (members.length > 0)
      throw new UsageError(
        `"${id}" is a group of provisions; attest each one: ${members.slice(0, 8).join(", ")}${members.length > 8 ? ", ..." : ""}`,
      );
    const guess = nearest(id, vocab.provisions);
    throw new UsageError(
      `unknown provision "${id}"${guess ? `; did you mean "${guess}"?` : ""} (\`concord catalog show <regime>\` lists provision ids)`,
    );
  }
  const guess = nearest(upper, vocab.requirements);
  throw new UsageError(
    `unknown requirement "${id}"${guess ? `; did you mean "${guess}"?` : ""} (\`concord catalog requirements\` lists them)`,
  );
}

const posix = (p: string) => p.split(sep).join("/");

export interface Recorded {
  file: string;
  action: "added" | "replaced";
  line: number;
  entry: AttestationEntry;
  replaced?: Record<string, unknown>;
  bytes: Record<string, number>;
}

/** Validate the flags, hash the evidence, and write the attestation. `cwd` is where relative
 * paths in the flags start. */
export async function recordAttestation(
  id: string,
  flags: AttestFlags,
  vocab: Vocabulary,
  cwd = process.cwd(),
  /** Today, as the attestation date's default and the bound --until must not be before. */
  now = today(),
): Promise<Recorded> {
  const manifestFile = resolveManifestPath(resolve(cwd, flags.manifest));
  const loaded = loadManifest(manifestFile, vocab); // refuses to edit a manifest that is already broken
  const target = resolveTarget(id, vocab);
  const missing = [
    !flags.statement?.trim() && "--statement <text>",
    !flags.evidence?.length && "--evidence <file...>",
    !flags.by?.trim() && "--by <name>",
  ].filter(Boolean);
  if (missing.length > 0) throw new UsageError(`an attestation needs ${missing.join(", ")}`);
  const date = flags.date ?? now;
  for (const [flag, v] of [
    ["--date", date],
    ["--until", flags.until],
  ] as const)
    if (v !== undefined && !ISO_DATE.test(v))
      throw new UsageError(`${flag} "${v}" is not a date; write YYYY-MM-DD`);
  if (flags.until && flags.until < date)
    throw new UsageError(`--until ${flags.until} is before the attestation date ${date}`);
  if (flags.until && flags.until < now)
    throw new UsageError(
      `--until ${flags.until} has already passed: the attestation would be expired from the start`,
    );

  const file = loaded.manifest.attestationsFile
    ? attestationsFilePath(loaded.dir, loaded.manifest.attestationsFile)
    : loaded.file;
  const base = dirname(file);
  const problems = [];
  const evidence: string[] = [];
  const evidenceSha256: Record<string, string> = {};
  const bytes: Record<string, number> = {};
  for (const e of flags.evidence!) {
    const abs = resolve(cwd, e);
    if (!existsSync(abs)) {
      problems.push({
        file: abs,
        message: `evidence file "${e}" does not exist`,
        fix: "give the path of the document that backs the attestation",
      });
      continue;
    }
    const st = statSync(abs);
    if (!st.isFile()) {
      problems.push({
        file: abs,
        message: `evidence "${e}" is not a file`,
        fix: "give a file, not a folder",
      });
      continue;
    }
    const rel = posix(relative(base, abs)) || basename(abs);
    evidence.push(rel);
    evidenceSha256[rel] = await sha256File(abs);
    bytes[rel] = st.size;
  }
  if (problems.length > 0) throw new InputError(problems, "missing evidence");

  const entry: AttestationEntry = {
    ...target,
    claim: flags.claim,
    statement: flags.statement!.trim(),
    evidence,
    evidenceSha256,
    by: {
      name: flags.by!.trim(),
      role: flags.role?.trim() || undefined,
      organisation: flags.org?.trim() || undefined,
    },
    date,
    validUntil: flags.until,
  };

  const isNew = !existsSync(file);
  const before = isNew
    ? `# Attestations for ${loaded.manifest.product.name}; ${basename(loaded.file)} points here (attestationsFile).\n# Evidence paths are relative to this file's folder. \`concord attest\` writes here.\n`
    : readFileSync(file, "utf8");
  const result = upsertAttestation(before, entry, !flags.add);

  // Write beside the target, check the result as Concord will read it, then move it into place:
  // a mistake here must never leave a broken manifest behind.
  mkdirSync(base, { recursive: true });
  const temp = join(base, `.${basename(file)}.concord-attest-${process.pid}.tmp`);
  writeFileSync(temp, result.text);
  try {
    if (file === loaded.file) loadManifest(temp, vocab);
    else {
      const check = readAttestationsFile(temp, vocab);
      if (check.problems.length > 0)
        throw new InputError(check.problems, "the attestations file would be invalid");
    }
    renameSync(temp, file);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
  return { file, action: result.action, line: result.line, entry, replaced: result.replaced, bytes };
}

export function registerAttest(program: Command): void {
  program
    .command("attest")
    .description(
      "record an attestation (a statement backed by documents) for a requirement or a regime provision",
    )
    .argument("<requirement>", "a core requirement id (VULN-08) or <regime>:<provision> (uk-psti:Sch1-3(3))")
    .option("-s, --statement <text>", "what is attested, in a sentence")
    .option("-e, --evidence <files...>", "the documents that back it (hashed into the record)")
    .option("--by <name>", "who attests")
    .option("--role <role>", "their role")
    .option("--org <organisation>", "their organisation")
    .option("--date <YYYY-MM-DD>", "when it was made (default: today)")
    .option("--until <YYYY-MM-DD>", "until when it holds; after that it no longer counts")
    .addOption(
      new Option("--claim <claim>", "what is claimed")
        .choices(["satisfied", "not-satisfied", "not-applicable"])
        .default("satisfied"),
    )
    .option("-m, --manifest <path>", "the concord.yaml, or its folder", ".")
    .option("--add", "keep earlier attestations of the same requirement instead of replacing them")
    .action(async (id: string, flags: AttestFlags) => {
      const catalog = loadCatalog();
      const r = await recordAttestation(id, flags, vocabularyOf(catalog));
      const name = r.entry.requirement ?? r.entry.provision;
      const where = relative(process.cwd(), r.file) || r.file;
      const was = r.replaced
        ? ` (replacing the one by ${(r.replaced.by as { name?: string })?.name ?? "?"} dated ${String(r.replaced.date)})`
        : "";
      const lines = [
        `${r.action} attestation for ${name} (${r.entry.claim ?? "satisfied"}) at ${where}:${r.line}${was}`,
        ...r.entry.evidence.map(
          (e) => `  evidence ${e}  sha256 ${r.entry.evidenceSha256[e]}  ${r.bytes[e]} bytes`,
        ),
        `  by ${r.entry.by.name}${r.entry.by.role ? `, ${r.entry.by.role}` : ""}${r.entry.by.organisation ? `, ${r.entry.by.organisation}` : ""}; dated ${r.entry.date}${r.entry.validUntil ? `, valid until ${r.entry.validUntil}` : ", no end date (consider --until)"}`,
      ];
      // Remind what the catalog expects the documents to show, so the evidence can be checked.
      const wants = r.entry.requirement && catalog.requirement(r.entry.requirement)?.decidedBy.attestation;
      if (wants) lines.push(`  ${r.entry.requirement} asks for: ${wants}`);
      process.stdout.write(`${lines.join("\n")}\n`);
    });
}
