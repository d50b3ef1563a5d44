// concord sbom scan <sbom>: match an SBOM's components against the vulnerability database.
import type { Command } from "commander";
import Table from "cli-table3";
import { writeFileSync } from "node:fs";
import { basename } from "node:path";
import { TOOL_VERSION } from "../util/version.js";
import type { IdentifiedFinding } from "../assess/types.js";
import { CHECKS } from "../checks/index.js";
import { readSbom } from "../collect/sbom/read.js";
import { toComponentData } from "../collect/sbom/component-data.js";
import { scanComponents } from "../collect/vuln/collector.js";
import { readVex } from "../collect/vex/read.js";
import type { VexStatement } from "../collect/vex/types.js";
import { EvidenceIndex, makeEvidence } from "../evidence/types.js";
import { VULN, type VulnMatchData } from "../evidence/vuln.js";
import { sarifLog } from "../report/sarif.js";
import { sha256File } from "../util/hash.js";
import { InputError } from "../util/problems.js";
import { today } from "../util/dates.js";

interface ScanFlags {
  json?: boolean;
  sarif?: string;
  vex?: string[];
  db?: string;
}

export function registerSbom(program: Command): void {
  const sbom = program
    .command("sbom")
    .description("work with SBOMs (CycloneDX 1.4-1.6 JSON/XML, SPDX 2.3 JSON/tag-value)");
  sbom
    .command("scan")
    .description(
      "match an SBOM's components against the vulnerability database; exit 1 on a known exploited, high or critical one",
    )
    .argument("<sbom>", "the SBOM file (format detected from its content)")
    .option("--json", "print the matches and findings as JSON")
    .option("--sarif <file>", "also write the findings as SARIF 2.1.0")
    .option("--vex <files...>", "VEX documents (CycloneDX, OpenVEX, CSAF) whose statements suppress matches")
    .option(
      "--db <path>",
      "vulnerability database (default: CONCORD_VULNDB or the cache; built from the bundled data when missing)",
    )
    .action(async (file: string, flags: ScanFlags) => {
      const result = await readSbom(file);
      const fatal = result.problems.find((p) => p.fatal);
      if (!result.document && fatal)
        throw new InputError([
          {
            file,
            line: fatal.line,
            col: fatal.col,
            message: fatal.message,
            fix: "pass a CycloneDX or SPDX document",
          },
        ]);
      for (const p of result.problems)
        process.stderr.write(
          `${file}${p.line ? `:${p.line}:${p.col ?? 1}` : ""}: ${p.message} (${p.path})\n`,
        );
      const at = new Date().toISOString();
      const artifact = { path: basename(file), sha256: await sha256File(file) };
      const components = result.components.map((c, i) => ({
        e: makeEvidence(
          VULN.sbomComponent,
          "device",
          toComponentData(c, basename(file), result.document?.format),
          {
            collector: "sbom",
            version: "1.0.0",
            artifact,
            location: `${basename(file)}#${c.bomRef ?? i}`,
            at,
          },
        ),
        from: "sbom" as const,
      }));
      const statements: VexStatement[] = [];
      for (const v of flags.vex ?? []) statements.push(...(await readVex(v)).statements);
      const evidence = [
        ...components.map((c) => c.e),
        ...(await scanComponents(components, statements, at, { db: flags.db })),
      ];
      const index = new EvidenceIndex(evidence);
      const findings: IdentifiedFinding[] = CHECKS.flatMap((c) =>
        c.evaluate(index, { asOf: today() }).map((f, i) => ({ id: `${c.meta.id}#${i + 1}`, ...f })),
      );
      if (flags.sarif)
        writeFileSync(
          flags.sarif,
          sarifLog(
            {
              findings,
              evidence,
              toolVersion: TOOL_VERSION,
              automationId: `concord/sbom/${artifact.sha256.slice(0, 16)}`,
              properties: { sbom: artifact.path, sha256: artifact.sha256 },
            },
            CHECKS,
          ),
        );
      const matches = index.ofKind<VulnMatchData>(VULN.match).map((e) => e.data);
      if (flags.json)
        process.stdout.write(
          `${JSON.stringify({ sbom: { ...artifact, components: components.length, document: result.document }, matches, findings }, null, 2)}\n`,
        );
      else {
        const t = new Table({
          head: ["Component", "Vulnerability", "Severity", "KEV", "EPSS", "Fixed in", "Status"],
          style: { head: [], border: [] },
          wordWrap: true,
        });
        const order = (m: VulnMatchData) => (m.kev ? 100 : 0) + (m.severity?.score ?? 0);
        for (const m of [...matches].sort((a, b) => order(b) - order(a)))
          t.push([
            `${m.component.name} ${m.component.version}`,
            m.id,
            m.severity?.score?.toFixed(1) ?? "-",
            m.kev ? `yes (${m.kev.dateAdded})` : "-",
            m.epss ? `${(m.epss.score * 100).toFixed(1)}%` : "-",
            m.fixedVersions.join(", ") || "-",
            m.suppressed ? `VEX ${m.suppressed.status}` : "open",
          ]);
        process.stdout.write(
          `${basename(file)}: ${components.length} components, ${matches.length} known vulnerabilities\n${matches.length > 0 ? `${t.toString()}\n` : ""}`,
        );
      }
      if (findings.some((f) => f.status === "fail")) process.exitCode = 1;
    });
}
