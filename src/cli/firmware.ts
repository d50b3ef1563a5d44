// concord firmware <image>: unpack and analyze one image on its own, print the findings.
import { Option, type Command } from "commander";
import { basename } from "node:path";
import { analyzeFirmware } from "../collect/firmware/analyze.js";
import { firmwareEvidence } from "../collect/firmware/collector.js";
import { CHECKS } from "../checks/index.js";
import { EvidenceIndex } from "../evidence/types.js";
import { FW, type FirmwareImageData } from "../evidence/firmware.js";
import { today } from "../util/dates.js";

interface FirmwareFlags {
  json?: boolean;
  cache: boolean;
  maxUnpacked?: string;
  asOf?: string;
}

export function registerFirmware(program: Command): void {
  program
    .command("firmware")
    .description("unpack a firmware image safely and report what regulators ask about")
    .argument("<image>", "the firmware image (any common format, nested payloads are found)")
    .option("--json", "print evidence and findings as JSON")
    .option("--no-cache", "recompute even if this image was analyzed before")
    .addOption(
      new Option("--max-unpacked <MiB>", "stop unpacking after this many MiB in total").argParser((v) => v),
    )
    .option("--as-of <date>", "judge dates (certificate expiry) as of this day")
    .action((image: string, flags: FirmwareFlags) => {
      const analysis = analyzeFirmware(image, {
        cache: flags.cache,
        limits: flags.maxUnpacked ? { maxTotalBytes: Number(flags.maxUnpacked) * 1024 * 1024 } : undefined,
      });
      const evidence = new EvidenceIndex(
        firmwareEvidence(analysis, basename(image), new Date().toISOString()),
      );
      const asOf = flags.asOf ?? today();
      const findings = CHECKS.flatMap((c) => c.evaluate(evidence, { asOf }));
      if (flags.json) {
        process.stdout.write(
          `${JSON.stringify({ image: analysis.image, evidence: evidence.all(), findings }, null, 2)}\n`,
        );
        return;
      }
      const img = evidence.ofKind<FirmwareImageData>(FW.image)[0]!.data;
      const out: string[] = [];
      out.push(
        `${img.path}  sha256 ${img.sha256}  ${img.bytes} bytes${analysis.fromCache ? "  (cached)" : ""}`,
      );
      for (const l of img.layers) out.push(`  ${l.path}  (${l.length} bytes)`);
      for (const f of img.filesystems) out.push(`  filesystem ${f.id}: ${f.files} entries`);
      for (const p of img.problems) out.push(`  ! ${p}`);
      out.push("");
      const counts = new Map<string, number>();
      for (const e of evidence.all()) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
      out.push(`Evidence: ${[...counts.entries()].map(([k, n]) => `${n} ${k}`).join(", ")}`);
      out.push("");
      for (const f of findings.filter((x) => x.status !== "info" || flags.json))
        out.push(`${f.status.toUpperCase().padEnd(5)} ${f.check}  ${f.message}`);
      if (findings.length === 0) out.push("No findings: no check had firmware evidence to judge.");
      process.stdout.write(`${out.join("\n")}\n`);
      if (findings.some((f) => f.status === "fail")) process.exitCode = 1;
    });
}
