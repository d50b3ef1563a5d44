// concord app <apk>   read an Android companion app and report what regulators ask about
import type { Command } from "commander";
import { basename } from "node:path";
import type { IdentifiedFinding } from "../assess/types.js";
import { CHECKS } from "../checks/index.js";
import { AppError, analyzeApk } from "../collect/app/analyze.js";
import { appEvidence } from "../collect/app/collector.js";
import { EvidenceIndex } from "../evidence/types.js";
import { today } from "../util/dates.js";
import { InputError } from "../util/problems.js";

export function registerApp(program: Command): void {
  program
    .command("app")
    .description(
      "read an Android companion app (.apk): cleartext, debuggable, backup, exported components, endpoints",
    )
    .argument("<apk>", "the Android package")
    .option("--json", "print evidence and findings as JSON")
    .option("--as-of <date>", "judge dates as of this day")
    .action((apk: string, flags: { json?: boolean; asOf?: string }) => {
      let analysis;
      try {
        analysis = analyzeApk(apk, basename(apk));
      } catch (err) {
        if (err instanceof AppError)
          throw new InputError([{ file: apk, message: err.message }], "cannot read the app");
        throw err;
      }
      const evidence = appEvidence(analysis, new Date().toISOString());
      const index = new EvidenceIndex(evidence);
      const asOf = flags.asOf ?? today();
      const findings: IdentifiedFinding[] = CHECKS.flatMap((c) =>
        c.evaluate(index, { asOf }).map((f, i) => ({ id: `${c.meta.id}#${i + 1}`, ...f })),
      );
      if (flags.json) process.stdout.write(`${JSON.stringify({ evidence, findings }, null, 2)}\n`);
      else {
        const m = analysis.manifest;
        const out = [
          `${basename(apk)}  sha256 ${analysis.sha256}`,
          `  ${m.package} ${m.versionName ?? ""} (code ${m.versionCode ?? "?"}), minSdk ${m.minSdk ?? "?"}, targetSdk ${m.targetSdk ?? "?"}`,
          ...(m.dangerousPermissions.length
            ? [`  dangerous permissions: ${m.dangerousPermissions.join(", ")}`]
            : []),
          ...m.problems.map((p) => `  ! ${p}`),
          "",
        ];
        for (const f of findings)
          out.push(
            `${f.status === "fail" ? "FAIL" : f.status}  ${f.check} (${f.requirements.join(", ")})  ${f.message}`,
          );
        process.stdout.write(`${out.join("\n")}\n`);
      }
      if (findings.some((f) => f.status === "fail")) process.exitCode = 1;
    });
}
