// concord vulndb import <file|dir...>   load OSV, NVD, CISA KEV, FIRST EPSS or CSAF feeds
// concord vulndb update                 fetch the public feeds and load them
// concord vulndb status                 what the database holds
// concord vulndb match <name> <version> what it knows about one component
import Table from "cli-table3";
import { Option, type Command } from "commander";
import { existsSync } from "node:fs";
import {
  FEED_SOURCES,
  NetworkError,
  SchemaError,
  ensureBundledDb,
  importPaths,
  importUrl,
  matchComponent,
  openVulnDb,
  publicUrl,
  resolveVulnDbPath,
  status,
  updateFromPublic,
  type FeedSource,
  type ImportResult,
} from "../collect/vuln/db/index.js";
import { UsageError } from "../util/problems.js";

/** The exit code for bad input (EXIT.input in main.ts). */
const EXIT_INPUT = 2;
const SHOWN_ERRORS = 20;

const out = (s: string): void => {
  process.stdout.write(s.endsWith("\n") ? s : `${s}\n`);
};

async function guarded<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof NetworkError || e instanceof SchemaError) throw new UsageError(e.message);
    throw e;
  }
}

function report(results: ImportResult[], json: boolean): void {
  if (json) out(JSON.stringify(results, null, 2));
  for (const r of results) {
    if (!json) {
      const what =
        r.status === "failed" ? "FAILED" : `imported ${r.records} record${r.records === 1 ? "" : "s"}`;
      out(
        `${what}  ${r.source}  ${r.location}${r.errors.length ? `  (${r.errors.length} error${r.errors.length === 1 ? "" : "s"})` : ""}`,
      );
    }
    for (const e of r.errors.slice(0, SHOWN_ERRORS)) process.stderr.write(`  ${e}\n`);
    if (r.errors.length > SHOWN_ERRORS) {
      process.stderr.write(`  ... and ${r.errors.length - SHOWN_ERRORS} more (all in the imports log)\n`);
    }
  }
  if (results.some((r) => r.status === "failed")) process.exitCode = EXIT_INPUT;
}

interface Common {
  db?: string;
  json?: boolean;
}

export function registerVulndb(program: Command): void {
  const cmd = program
    .command("vulndb")
    .description("the local vulnerability database (NVD, OSV, CISA KEV, FIRST EPSS, CSAF/VEX)");
  const dbOption = () =>
    new Option("--db <file>", "database file (default: $CONCORD_VULNDB or ~/.cache/concord/vulndb.sqlite)");

  cmd
    .command("import")
    .description("import feed files or directories; the feed is detected from the content")
    .argument("[paths...]", "files (.json, .json.gz, .zip, .csv, .csv.gz) or directories")
    .addOption(
      new Option("--source <feed>", "the feed, when detection is not wanted").choices([...FEED_SOURCES]),
    )
    .addOption(dbOption())
    .option("--from-url [url]", "download the feed first (default: the public location of --source)")
    .option("--sha256 <hex>", "with --from-url: the publisher's checksum to verify")
    .option("--json", "print the import results as JSON")
    .action(
      async (
        paths: string[],
        opts: Common & { source?: FeedSource; fromUrl?: string | true; sha256?: string },
      ) =>
        guarded(async () => {
          if (!opts.fromUrl && paths.length === 0)
            throw new UsageError("give files or directories to import, or --from-url");
          const db = openVulnDb(resolveVulnDbPath(opts.db));
          try {
            const results: ImportResult[] = [];
            if (opts.fromUrl) {
              const url = opts.fromUrl === true ? opts.source && publicUrl(opts.source) : opts.fromUrl;
              if (!url) {
                throw new UsageError(
                  opts.source
                    ? `${opts.source} has no single public location: give --from-url <url>`
                    : "--from-url without a URL needs --source (kev, epss or nvd)",
                );
              }
              results.push(await importUrl(db, url, { source: opts.source, sha256: opts.sha256 }));
            }
            if (paths.length) results.push(...(await importPaths(db, paths, { source: opts.source })));
            report(results, !!opts.json);
          } finally {
            db.close();
          }
        }),
    );

  cmd
    .command("update")
    .description(
      "download the public feeds (CISA KEV, FIRST EPSS, NVD 2.0 recent and modified) and import them",
    )
    .addOption(dbOption())
    .option("--offline", "do not use the network (the command then only says what it would need)")
    .option(
      "--nvd <feeds>",
      "NVD 2.0 feeds, comma separated: recent, modified or years (2002..)",
      "recent,modified",
    )
    .option("--osv <ecosystems>", "also OSV ecosystems, comma separated (Debian, Alpine, PyPI, …)")
    .option("--no-kev", "skip CISA KEV")
    .option("--no-epss", "skip FIRST EPSS")
    .option("--json", "print the import results as JSON")
    .action(
      async (opts: Common & { offline?: boolean; nvd: string; osv?: string; kev: boolean; epss: boolean }) =>
        guarded(async () => {
          if (opts.offline) {
            throw new UsageError(
              "`concord vulndb update` downloads the public feeds and --offline forbids the network; nothing was changed. Import feed files you already have with `concord vulndb import <file|dir...>`",
            );
          }
          const db = openVulnDb(resolveVulnDbPath(opts.db));
          try {
            const list = (s?: string) =>
              (s ?? "")
                .split(",")
                .map((x) => x.trim())
                .filter(Boolean);
            const results = await updateFromPublic(db, {
              nvd: list(opts.nvd),
              osv: list(opts.osv),
              kev: opts.kev,
              epss: opts.epss,
              onProgress: opts.json
                ? undefined
                : (n, where) => process.stderr.write(`\r${n} records from ${where}`),
            });
            if (!opts.json) process.stderr.write("\n");
            report(results, !!opts.json);
          } finally {
            db.close();
          }
        }),
    );

  cmd
    .command("status")
    .description("records per source and the last import of each")
    .addOption(dbOption())
    .option("--json", "print JSON")
    .action(async (opts: Common) =>
      guarded(() => {
        const path = resolveVulnDbPath(opts.db);
        if (!existsSync(path)) {
          if (opts.json) out(JSON.stringify({ path, exists: false }, null, 2));
          else
            out(
              `no vulnerability database at ${path}\nimport feeds with \`concord vulndb import <file|dir...>\` or \`concord vulndb update\`; the bundled data is used when none exists`,
            );
          return Promise.resolve();
        }
        const db = openVulnDb(path);
        try {
          const s = status(db);
          if (opts.json) {
            out(JSON.stringify({ path, exists: true, ...s }, null, 2));
            return Promise.resolve();
          }
          const t = new Table({
            head: ["source", "records", "last import", "status"],
            style: { head: [], border: [] },
          });
          for (const x of s.sources)
            t.push([x.source, String(x.records), x.lastImport ?? "-", x.lastStatus ?? "-"]);
          out(
            `${path} (schema ${s.schemaVersion}, ${s.imports} imports${s.interrupted ? `, ${s.interrupted} unfinished` : ""})`,
          );
          out(t.toString());
        } finally {
          db.close();
        }
        return Promise.resolve();
      }),
    );

  cmd
    .command("match")
    .description(
      "the vulnerabilities the database knows for one component (builds the bundled database if there is none)",
    )
    .argument("<name>", "component or package name (busybox, libopenssl1.0.0, …)")
    .argument("<version>", "its version as found (1.24.1-1)")
    .addOption(dbOption())
    .option("--method <method>", "how it was identified: opkg, dpkg, rpm, apk, fingerprint", "fingerprint")
    .option("--purl <purl>", "its package URL")
    .option("--cpe <cpe>", "its CPE name")
    .option("--json", "print JSON")
    .action(
      async (name: string, version: string, opts: Common & { method: string; purl?: string; cpe?: string }) =>
        guarded(async () => {
          const path = resolveVulnDbPath(opts.db);
          if (!existsSync(path)) await ensureBundledDb(path);
          const db = openVulnDb(path, { readonly: true });
          try {
            const matches = matchComponent(db, {
              name,
              version,
              method: opts.method,
              match: `${name} ${version}`,
              ...(opts.purl ? { purl: opts.purl } : {}),
              ...(opts.cpe ? { cpe: opts.cpe } : {}),
            });
            if (opts.json) {
              out(JSON.stringify(matches, null, 2));
              return;
            }
            if (matches.length === 0) {
              out(`no known vulnerabilities for ${name} ${version} in ${path}`);
              return;
            }
            const t = new Table({
              head: ["id", "severity", "EPSS", "KEV", "fixed in", "why"],
              style: { head: [], border: [] },
              wordWrap: true,
              colWidths: [18, 10, 8, 12, 12, 60],
            });
            for (const m of matches) {
              t.push([
                m.id,
                m.severity?.score !== undefined ? `${m.severity.score} (v${m.severity.version})` : "-",
                m.epss ? m.epss.score.toFixed(3) : "-",
                m.kev ? `${m.kev.dateAdded}${m.kev.ransomware ? " ransomware" : ""}` : "-",
                m.fixedVersions.join(", ") || "-",
                m.reason,
              ]);
            }
            out(t.toString());
          } finally {
            db.close();
          }
        }),
    );
}
