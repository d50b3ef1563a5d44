// concord docs <kind> [dir|manifest]: assess the product, then write the paperwork its markets want.
import { Option, type Command } from "commander";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { assess, vocabularyOf } from "../assess/run.js";
import { loadCatalog } from "../catalog/load.js";
import { loadManifest } from "../manifest/load.js";
import {
  DOC_KINDS,
  DOC_REGIME,
  kindsForAll,
  writeDocs,
  type DocKind,
  type ManifestFacts,
} from "../report/docs/index.js";
import { chromiumPath } from "../report/docs/pdf.js";
import { ISO_DATE } from "../util/dates.js";
import { UsageError } from "../util/problems.js";

interface DocsFlags {
  output: string;
  asOf?: string;
  draft?: boolean;
  pdf?: boolean;
  chromium?: string;
  catalog?: string;
  quiet?: boolean;
  cache: boolean;
}

/** One kind, a comma-separated list, or `all` (resolved later against the product's markets). */
export function parseKinds(spec: string): DocKind[] | "all" {
  if (spec === "all") return "all";
  const list = spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const k of list)
    if (!(DOC_KINDS as readonly string[]).includes(k))
      throw new UsageError(`unknown document kind "${k}"; choose from ${DOC_KINDS.join(", ")} or all`);
  if (list.length === 0) throw new UsageError(`name a document kind: ${DOC_KINDS.join(", ")} or all`);
  return [...new Set(list)] as DocKind[];
}

export function registerDocs(program: Command): void {
  program
    .command("docs")
    .description(
      "write the paperwork each market wants from the assessment: UK statement of compliance, EU declaration of conformity, CRA technical documentation skeleton, EN 303 645 conformance statement, fact sheet",
    )
    .argument("<kind>", `${DOC_KINDS.join(", ")}, a comma-separated list, or all`)
    .argument("[target]", "a concord.yaml, or the folder holding it", ".")
    .addOption(new Option("-o, --output <dir>", "folder for the documents").default("concord-docs"))
    .option("--as-of <date>", "judge dates as of this day, YYYY-MM-DD (the only date the documents carry)")
    .option(
      "--draft",
      "mark declarations as drafts; exit 0 even when the assessment does not support the claim they make",
    )
    .option("--pdf", "also print the fact sheet to PDF with Chromium")
    .option("--chromium <path>", "the Chromium to print with (default: $CHROMIUM_PATH or /usr/bin/chromium)")
    .option("--catalog <dir>", "use another catalog folder")
    .option("-q, --quiet", "print nothing but errors")
    .option("--no-cache", "recompute firmware analyses even if cached")
    .action(async (kindSpec: string, target: string, flags: DocsFlags) => {
      const wanted = parseKinds(kindSpec);
      if (flags.asOf && !ISO_DATE.test(flags.asOf))
        throw new UsageError(`--as-of "${flags.asOf}" is not a date; write YYYY-MM-DD`);
      const catalog = loadCatalog(flags.catalog ? resolve(flags.catalog) : undefined);
      for (const k of wanted === "all" ? DOC_KINDS : wanted) {
        const regime = DOC_REGIME[k];
        if (regime && !catalog.regime(regime))
          throw new UsageError(`${k} needs the regime "${regime}", which this catalog does not have`);
      }
      const chromium = chromiumPath(flags.chromium);
      if (flags.pdf && !existsSync(chromium))
        throw new UsageError(
          `--pdf needs Chromium, not found at ${chromium}: install it (apt-get install chromium), set CHROMIUM_PATH or pass --chromium`,
        );
      const a = await assess(target, {
        catalog,
        asOf: flags.asOf,
        collectors: { firmware: { cache: flags.cache } },
      });
      // The maker's country and website and the product description are in the manifest, not the
      // assessment; read them from the same (already validated) file.
      const m = loadManifest(target, vocabularyOf(catalog)).manifest;
      const manifest: ManifestFacts = {
        makerCountry: m.product.maker.country,
        makerUrl: m.product.maker.url,
        description: m.product.description,
      };
      const kinds = wanted === "all" ? kindsForAll(a.markets.map((x) => x.market)) : wanted;
      const written = await writeDocs(
        kinds,
        { assessment: a, catalog, manifest, draft: flags.draft },
        flags.output,
        { pdf: flags.pdf, chromium },
      );
      if (!flags.quiet)
        for (const w of written) process.stdout.write(`${w.doc.title}: ${w.files.join(", ")}\n`);
      for (const c of a.collection)
        if (c.error) process.stderr.write(`warning: collector ${c.collector} stopped early: ${c.error}\n`);
      const unsupported = written.filter((w) => w.doc.claim && !w.doc.claim.supported);
      for (const w of unsupported)
        process.stderr.write(
          `concord: ${w.doc.kind}: ${w.doc.claim!.reason}${flags.draft ? " (written as a draft)" : "; the document is marked NOT VALID (pass --draft to accept a draft)"}\n`,
        );
      if (unsupported.length > 0 && !flags.draft) process.exitCode = 1;
    });
}
