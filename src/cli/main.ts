// The concord command. Thin: every command calls the library and formats its answer.
import { Command, Option } from "commander";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError, UsageError, formatProblem } from "../util/problems.js";
import { starterManifest } from "../manifest/template.js";
import { TOOL_VERSION } from "../util/version.js";

type Register = (program: Command) => void;

/**
 * Each command's module, loaded only when that command runs (or for help): loading them all
 * would make every command pay for the heaviest (Chromium driver, SSH, SQLite).
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  app: async () => (await import("./app.js")).registerApp,
  assess: async () => (await import("./assess.js")).registerAssess,
  attest: async () => (await import("./attest.js")).registerAttest,
  catalog: async () => (await import("./catalog.js")).registerCatalog,
  docs: async () => (await import("./docs.js")).registerDocs,
  firmware: async () => (await import("./firmware.js")).registerFirmware,
  probe: async () => (await import("./probe.js")).registerProbe,
  sbom: async () => (await import("./sbom.js")).registerSbom,
  vulndb: async () => (await import("./vulndb.js")).registerVulndb,
};

/** Exit codes, documented in the README. */
export const EXIT = { ok: 0, policy: 1, input: 2, internal: 3 } as const;

/** The program with the command named in argv registered, or every command when none is (help, typos). */
export async function buildProgram(argv: string[] = process.argv): Promise<Command> {
  const program = new Command("concord")
    .description(
      "Assess a connected product once against the Concord core baseline and see where it can be sold.",
    )
    .version(TOOL_VERSION)
    .showHelpAfterError("(run with --help for usage)");
  const named = argv[2];
  const wanted =
    named === "init" ? [] : named !== undefined && named in COMMANDS ? [named] : Object.keys(COMMANDS);
  for (const name of wanted) (await COMMANDS[name]!())(program);
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
    await (await buildProgram(argv)).parseAsync(argv);
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
