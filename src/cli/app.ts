// concord app <package>   read an Android (.apk) or iOS (.ipa) companion app and report what regulators ask about
import type { Command } from "commander";
import { basename } from "node:path";
import type { IdentifiedFinding } from "../assess/types.js";
import { CHECKS } from "../checks/index.js";
import { AppError } from "../collect/app/archive.js";
import { analyzeAppFile, anyAppEvidence, type AnyAppAnalysis } from "../collect/app/collector.js";
import { EvidenceIndex } from "../evidence/types.js";
import { today } from "../util/dates.js";
import { InputError } from "../util/problems.js";

function summary(a: AnyAppAnalysis, name: string): string[] {
  if (a.platform === "ios") {
    const b = a.analysis.bundle;
    return [
      `${name}  sha256 ${a.analysis.sha256}`,
      `  ${b.bundleId}${b.version ? ` ${b.version}` : ""} (build ${b.build ?? "?"}), minimum iOS ${b.minimumOS ?? "?"}`,
      ...(b.urlSchemes.length ? [`  URL schemes: ${b.urlSchemes.join(", ")}`] : []),
      ...(b.provisioning ? [`  provisioning profile: ${b.provisioning}`] : []),
      ...b.problems.map((p) => `  ! ${p}`),
    ];
  }
  const m = a.analysis.manifest;
  const s = a.analysis.signing;
  return [
    `${name}  sha256 ${a.analysis.sha256}`,
    `  ${m.package} ${m.versionName ?? ""} (code ${m.versionCode ?? "?"}), minSdk ${m.minSdk ?? "?"}, targetSdk ${m.targetSdk ?? "?"}`,
    ...(m.dangerousPermissions.length
      ? [`  dangerous permissions: ${m.dangerousPermissions.join(", ")}`]
      : []),
    `  signed: ${s.schemes.length ? s.schemes.join(", ") : "no"}`,
    ...[...new Map(s.signers.map((x) => [x.sha256, x])).values()].map(
      (x) =>
        `    ${x.subject} (${x.keyType}${x.bits ? ` ${x.bits}` : ""}, ${x.signatureAlgorithm}, valid to ${x.notAfter.slice(0, 10)})`,
    ),
    ...[...m.problems, ...s.problems].map((p) => `  ! ${p}`),
  ];
}

export function registerApp(program: Command): void {
  program
    .command("app")
    .description(
      "read a companion app (.apk or .ipa): cleartext and ATS, debuggable, backup, signing, pinning, user CAs, exported components, endpoints, secrets",
    )
    .argument("<package>", "the Android package (.apk) or iOS app (.ipa)")
    .option("--json", "print evidence and findings as JSON")
    .option("--as-of <date>", "judge dates as of this day")
    .action((file: string, flags: { json?: boolean; asOf?: string }) => {
      let analysis: AnyAppAnalysis;
      try {
        analysis = analyzeAppFile(file, basename(file));
      } catch (err) {
        if (err instanceof AppError)
          throw new InputError([{ file, message: err.message }], "cannot read the app");
        throw err;
      }
      const evidence = anyAppEvidence(analysis, new Date().toISOString());
      const index = new EvidenceIndex(evidence);
      const asOf = flags.asOf ?? today();
      const findings: IdentifiedFinding[] = CHECKS.flatMap((c) =>
        c.evaluate(index, { asOf }).map((f, i) => ({ id: `${c.meta.id}#${i + 1}`, ...f })),
      );
      if (flags.json) process.stdout.write(`${JSON.stringify({ evidence, findings }, null, 2)}\n`);
      else {
        const out = [...summary(analysis, basename(file)), ""];
        for (const f of findings)
          out.push(
            `${f.status === "fail" ? "FAIL" : f.status}  ${f.check} (${f.requirements.join(", ")})  ${f.message}`,
          );
        process.stdout.write(`${out.join("\n")}\n`);
      }
      if (findings.some((f) => f.status === "fail")) process.exitCode = 1;
    });
}
