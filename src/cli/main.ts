// The concord command. Thin: every command calls the library and formats its answer.
import { Command, Option } from "commander";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError, UsageError, formatProblem } from "../util/problems.js";
import { registerApp } from "./app.js";
import { registerAssess } from "./assess.js";
import { registerAttest } from "./attest.js";
import { registerCatalog } from "./catalog.js";
import { registerDocs } from "./docs.js";
import { registerFirmware } from "./firmware.js";
import { registerProbe } from "./probe.js";
import { registerSbom } from "./sbom.js";
import { registerVulndb } from "./vulndb.js";
import { starterManifest } from "../manifest/template.js";
import { TOOL_VERSION } from "../assess/run.js";

/** Exit codes, documented in the README. */
export const EXIT = { ok: 0, policy: 1, input: 2, internal: 3 } as const;

export function buildProgram(): Command {
  const program = new Command("concord")
    .description(
      "Assess a connected product once against the Concord core baseline and see where it can be sold.",
    )
    .version(TOOL_VERSION)
    .showHelpAfterError("(run with --help for usage)");
  registerApp(program);
  registerAssess(program);
  registerAttest(program);
  registerCatalog(program);
  registerDocs(program);
  registerFirmware(program);
  registerProbe(program);
  registerSbom(program);
  registerVulndb(program);
  program
    .command("init")
    .description("write a commented starter concord.yaml")
    .argument("[dir]", "folder to write it in", ".")
    .addOption(new Option("--name <name>", "product name").default("My Product"))
    .option("--force", "overwrite an existing concord.yaml")
    .action((dir: string, opts: { name: string; force?: boolean }) => {
      const folder = resolve(dir);
      mkdirSync(folder, { recursive: true });
      const file = join(folder, "concord.yaml");
      if (existsSync(file) && !opts.force)
        throw new InputError(
          [
            {
              file,
              message: "a manifest already exists here",
              fix: "edit it, or pass --force to overwrite it",
            },
          ],
          "not overwriting",
        );
      writeFileSync(file, starterManifest(opts.name));
      process.stdout.write(`wrote ${file}\nnext: edit it, then run \`concord assess ${dir}\`\n`);
    });
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    if (e instanceof InputError) {
      process.stderr.write(
        `concord: ${e.problems.length === 1 ? "1 problem" : `${e.problems.length} problems`}\n${e.problems.map(formatProblem).join("\n")}\n`,
      );
      process.exitCode = EXIT.input;
    } else if (e instanceof UsageError) {
      process.stderr.write(`concord: ${e.message}\n`);
      process.exitCode = EXIT.input;
    } else {
      process.stderr.write(
        `concord: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\nPlease report this with the command you ran.\n`,
      );
      process.exitCode = EXIT.internal;
    }
  }
}

// Run when executed directly (tsx src/cli/main.ts); bin/concord.js calls main() itself.
if (process.argv[1] && resolve(process.argv[1]).endsWith(join("src", "cli", "main.ts")))
  await main(process.argv);
