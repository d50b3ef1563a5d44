// concord assess [dir|manifest]
import { Option, type Command } from "commander";
import { resolve } from "node:path";
import { assess } from "../assess/run.js";
import { CHECKS } from "../checks/index.js";
import { loadCatalog } from "../catalog/load.js";
import { KIND, type ArtifactData } from "../evidence/kinds.js";
import { FORMATS, render, writeReports, type Format } from "../report/index.js";
import { renderTerminal } from "../report/terminal.js";
import { ISO_DATE } from "../util/dates.js";
import { UsageError } from "../util/problems.js";
import { parsePolicy, policyFailures } from "./policy.js";

interface AssessFlags {
  format: string;
  output: string;
  json?: boolean;
  market?: string[];
  allRegimes?: boolean;
  failOn: string;
  asOf?: string;
  catalog?: string;
  quiet?: boolean;
  cache: boolean;
  live?: boolean;
  allowPublic?: boolean;
  fetch?: boolean;
}

function parseFormats(spec: string): Format[] {
  const list = spec === "all" ? [...FORMATS] : spec.split(",").map((s) => s.trim());
  for (const f of list)
    if (!(FORMATS as readonly string[]).includes(f))
      throw new UsageError(`unknown format "${f}"; choose from ${FORMATS.join(", ")} or all`);
  return list as Format[];
}

export function registerAssess(program: Command): void {
  program
    .command("assess")
    .description("assess a product: collect evidence, judge the core baseline, project it onto every market")
    .argument("[target]", "a concord.yaml, or the folder holding it", ".")
    .addOption(
      new Option(
        "-f, --format <list>",
        `report formats, comma-separated: ${FORMATS.join(", ")}, or all`,
      ).default("all"),
    )
    .addOption(new Option("-o, --output <dir>", "folder for the report files").default("concord-report"))
    .option(
      "--json",
      "print the assessment JSON to stdout instead of the table (reports are still written unless --format none)",
    )
    .option("-m, --market <codes...>", "assess only these markets (default: the manifest's)")
    .option("--all-regimes", "assess every regime in the catalog, whatever the markets")
    .addOption(
      new Option(
        "--fail-on <policy>",
        "exit 1 when: blocked, blocked-now, incomplete, market:<code>, regime:<id>, severity:<level> (comma-separated)",
      ).default("never"),
    )
    .option("--as-of <date>", "judge dates (expiry, binding dates) as of this day, YYYY-MM-DD")
    .option("--catalog <dir>", "use another catalog folder (for testing catalog changes)")
    .option("-q, --quiet", "print nothing but errors and the policy result")
    .option("--no-cache", "recompute firmware analyses even if cached")
    .option(
      "--live",
      "also test the running device at artifacts.device.address (and the cloud endpoints): only those hosts, as `concord probe` does",
    )
    .option("--allow-public", "with --live: allow addresses outside loopback and the private ranges")
    .option(
      "--fetch",
      "fetch the maker's published security.txt and CSAF provider metadata from the web (off: only local files are read)",
    )
    .action(async (target: string, flags: AssessFlags) => {
      const policy = parsePolicyOrThrow(flags.failOn);
      if (flags.asOf && !ISO_DATE.test(flags.asOf))
        throw new UsageError(`--as-of "${flags.asOf}" is not a date; write YYYY-MM-DD`);
      const formats = flags.format === "none" ? [] : parseFormats(flags.format);
      const catalog = loadCatalog(flags.catalog ? resolve(flags.catalog) : undefined);
      const markets = flags.market?.flatMap((m) => m.split(",")).map((m) => m.trim().toUpperCase());
      let a;
      try {
        a = await assess(target, {
          catalog,
          markets,
          allRegimes: flags.allRegimes,
          asOf: flags.asOf,
          collectors: {
            firmware: { cache: flags.cache },
            live: flags.live ? { probe: { allowPublic: flags.allowPublic } } : undefined,
            disclosure: { network: flags.fetch ?? false },
          },
        });
      } catch (e) {
        if (e instanceof Error && e.message.startsWith("unknown market")) throw new UsageError(e.message);
        throw e;
      }
      const written = await writeReports(a, flags.output, formats, CHECKS);
      if (flags.json) process.stdout.write(render("json", a, CHECKS));
      else if (!flags.quiet) {
        process.stdout.write(renderTerminal(a));
        for (const c of a.collection)
          if (c.error) process.stdout.write(`warning: collector ${c.collector} stopped early: ${c.error}\n`);
        const device = a.evidence.find(
          (e) => e.kind === KIND.artifact && (e.data as ArtifactData).type === "device",
        );
        if (!flags.live && device)
          process.stdout.write(
            `note: the device at ${String((device.data as ArtifactData).detail?.address)} was not tested live; pass --live to probe it\n`,
          );
        if (written.length > 0) process.stdout.write(`\nReports: ${written.join(", ")}\n`);
      }
      const failures = policyFailures(a, policy);
      if (failures.length > 0) {
        process.stderr.write(`concord: --fail-on ${flags.failOn}: ${failures.join("; ")}\n`);
        process.exitCode = 1;
      }
    });
}

function parsePolicyOrThrow(spec: string): string[] {
  try {
    return parsePolicy(spec);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
