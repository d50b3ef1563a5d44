// concord firmware <image>            unpack and analyze one image, print what regulators ask about
// concord firmware diff <old> <new>   what changed between two versions
import { Option, type Command } from "commander";
import { writeFileSync } from "node:fs";
import { basename } from "node:path";
import { TOOL_VERSION } from "../util/version.js";
import type { IdentifiedFinding } from "../assess/types.js";
import { CHECKS } from "../checks/index.js";
import { analyzeFirmware, type AnalyzeOptions, type FirmwareAnalysis } from "../collect/firmware/analyze.js";
import { firmwareEvidence } from "../collect/firmware/collector.js";
import { diffFirmware, diffIsEmpty, type DiffSection } from "../collect/firmware/diff.js";
import { EvidenceIndex, type Evidence } from "../evidence/types.js";
import { sarifLog } from "../report/sarif.js";
import { scanComponents } from "../collect/vuln/collector.js";
import { toCycloneDx } from "../report/sbom/cyclonedx.js";
import { toSpdx } from "../report/sbom/spdx.js";
import { FW, type ComponentData } from "../evidence/firmware.js";
import { today } from "../util/dates.js";
import { UsageError } from "../util/problems.js";
import { progressBar } from "./progress.js";

interface FirmwareFlags {
  json?: boolean;
  sarif?: string;
  sbom?: string;
  sbomFormat: "cyclonedx" | "spdx";
  cache: boolean;
  maxUnpacked?: string;
  asOf?: string;
  progress: boolean;
  vulns: boolean;
  db?: string;
}

interface Analyzed {
  analysis: FirmwareAnalysis;
  evidence: Evidence[];
  findings: IdentifiedFinding[];
}

async function analyzeOne(image: string, flags: FirmwareFlags): Promise<Analyzed> {
  const bar = flags.progress && !flags.json ? progressBar(basename(image)) : undefined;
  const opts: AnalyzeOptions = {
    cache: flags.cache,
    limits: flags.maxUnpacked ? { maxTotalBytes: Number(flags.maxUnpacked) * 1024 * 1024 } : undefined,
    onProgress: bar?.update,
  };
  let analysis: FirmwareAnalysis;
  try {
    analysis = analyzeFirmware(image, opts);
  } finally {
    bar?.done();
  }
  const at = new Date().toISOString();
  const evidence = firmwareEvidence(analysis, basename(image), at);
  // The vulnerability step: the components found, matched against the local database.
  if (flags.vulns) {
    const components = evidence
      .filter((e): e is Evidence<ComponentData> => e.kind === FW.component)
      .map((e) => ({ e, from: "firmware" as const }));
    evidence.push(...(await scanComponents(components, [], at, { db: flags.db })));
  }
  const index = new EvidenceIndex(evidence);
  const asOf = flags.asOf ?? today();
  const findings = CHECKS.flatMap((c) =>
    c.evaluate(index, { asOf }).map((f, i) => ({ id: `${c.meta.id}#${i + 1}`, ...f })),
  );
  return { analysis, evidence, findings };
}

function summary(image: string, r: Analyzed): string {
  const img = r.analysis.image;
  const out: string[] = [];
  out.push(
    `${basename(image)}  sha256 ${img.sha256}  ${img.bytes} bytes${r.analysis.fromCache ? "  (from cache)" : ""}`,
  );
  for (const l of img.layers) out.push(`  ${l.path}  (${l.length} bytes)`);
  for (const f of img.filesystems) out.push(`  filesystem ${f.id}: ${f.files} entries`);
  for (const p of img.problems) out.push(`  ! ${p}`);
  if (img.filesystems.length === 0)
    out.push(
      "  ! no filesystem or archive was found: the image may be encrypted, or in a format Concord does not read (see docs/firmware.md)",
    );
  const counts = new Map<string, number>();
  for (const e of r.evidence) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  out.push(
    "",
    `Evidence: ${[...counts.entries()].map(([k, n]) => `${n} ${k.replace("firmware.", "")}`).join(", ")}`,
    "",
  );
  const shown = r.findings.filter((f) => f.status === "fail" || f.status === "pass");
  for (const f of shown)
    out.push(
      `${f.status === "fail" ? "FAIL" : "pass"}  ${f.check} (${f.requirements.join(", ")})  ${f.message}`,
    );
  if (shown.length === 0) out.push("No findings: no check had firmware evidence to judge.");
  return out.join("\n");
}

function printSection(title: string, s: DiffSection): string[] {
  if (s.added.length + s.removed.length + s.changed.length === 0) return [];
  return [
    `${title}:`,
    ...s.added.map((c) => `  + ${c.key}${c.after && c.after !== "present" ? `  ${c.after}` : ""}`),
    ...s.removed.map((c) => `  - ${c.key}${c.before && c.before !== "present" ? `  ${c.before}` : ""}`),
    ...s.changed.map((c) => `  ~ ${c.key}  ${c.before} -> ${c.after}`),
  ];
}

export function registerFirmware(program: Command): void {
  program
    .command("firmware")
    .description(
      "unpack a firmware image safely and report what regulators ask about; `firmware diff <old> <new>` compares two",
    )
    .argument("<image-or-diff>", "the firmware image, or the word diff")
    .argument("[images...]", "with diff: the old and the new image")
    .option("--json", "print evidence and findings (or the diff) as JSON")
    .option("--sarif <file>", "also write the findings as SARIF 2.1.0")
    .option("--sbom <file>", "also write an SBOM of the components found")
    .addOption(
      new Option("--sbom-format <format>", "SBOM format").choices(["cyclonedx", "spdx"]).default("cyclonedx"),
    )
    .option("--no-cache", "recompute even if this image was analyzed before")
    .option("--no-progress", "no progress bar (it is shown only on a terminal)")
    .option("--no-vulns", "skip matching the components against the vulnerability database")
    .option(
      "--db <path>",
      "vulnerability database (default: CONCORD_VULNDB or the cache; built from the bundled data when missing)",
    )
    .addOption(new Option("--max-unpacked <MiB>", "stop unpacking after this many MiB in total"))
    .option("--as-of <date>", "judge dates (certificate expiry) as of this day")
    .action(async (first: string, rest: string[], flags: FirmwareFlags) => {
      flags.progress = flags.progress && Boolean(process.stderr.isTTY) && !process.env.CI;
      if (flags.maxUnpacked && !(Number(flags.maxUnpacked) > 0))
        throw new UsageError(`--max-unpacked takes a number of MiB, not "${flags.maxUnpacked}"`);
      if (first === "diff") {
        if (rest.length !== 2) throw new UsageError("usage: concord firmware diff <old image> <new image>");
        const [a, b] = [await analyzeOne(rest[0]!, flags), await analyzeOne(rest[1]!, flags)];
        const d = diffFirmware(a, b);
        if (flags.json) return void process.stdout.write(`${JSON.stringify(d, null, 2)}\n`);
        const lines = [`${basename(rest[0]!)} -> ${basename(rest[1]!)}`, ""];
        lines.push(
          ...printSection("Components", d.components),
          ...printSection("Services", d.services),
          ...printSection("Accounts", d.accounts),
        );
        lines.push(
          ...printSection("Secrets", d.secrets),
          ...printSection("Configuration hazards", d.hazards),
          ...printSection("Failed findings", d.findings),
        );
        if (diffIsEmpty(d))
          lines.push("No differences in components, services, accounts, secrets, hazards or findings.");
        return void process.stdout.write(`${lines.join("\n")}\n`);
      }
      if (rest.length > 0) throw new UsageError("pass one image (or: concord firmware diff <old> <new>)");
      const r = await analyzeOne(first, flags);
      if (flags.sarif)
        writeFileSync(
          flags.sarif,
          sarifLog(
            {
              findings: r.findings,
              evidence: r.evidence,
              toolVersion: TOOL_VERSION,
              automationId: `concord/firmware/${r.analysis.image.sha256.slice(0, 16)}`,
              properties: { image: basename(first), sha256: r.analysis.image.sha256 },
            },
            CHECKS,
          ),
        );
      if (flags.sbom) {
        const image = { ...r.analysis.image, path: basename(first) };
        const components = r.evidence.filter((e): e is Evidence<ComponentData> => e.kind === FW.component);
        const at = new Date().toISOString();
        const doc =
          flags.sbomFormat === "spdx" ? toSpdx(image, components, at) : toCycloneDx(image, components, at);
        writeFileSync(flags.sbom, `${JSON.stringify(doc, null, 2)}\n`);
      }
      if (flags.json)
        process.stdout.write(
          `${JSON.stringify({ image: { ...r.analysis.image, path: basename(first) }, evidence: r.evidence, findings: r.findings }, null, 2)}\n`,
        );
      else process.stdout.write(`${summary(first, r)}\n`);
      if (r.findings.some((f) => f.status === "fail")) process.exitCode = 1;
    });
}
