// concord catalog …: query the baseline, the regimes and the crosswalk between them.
import Table from "cli-table3";
import type { Command } from "commander";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadCatalog, type Catalog } from "../catalog/load.js";
import { baselineToOscal, regimeProfile, regimeToOscal } from "../catalog/oscal.js";
import { catalogJson, coverage, delta, requirementUsage } from "../catalog/query.js";
import { UsageError } from "../util/problems.js";

const out = (s: string): void => {
  process.stdout.write(s.endsWith("\n") ? s : `${s}\n`);
};
const json = (v: unknown): void => out(JSON.stringify(v, null, 2));
const table = (head: string[], widths?: number[]) =>
  new Table({
    head,
    style: { head: [], border: [] },
    wordWrap: true,
    ...(widths ? { colWidths: widths } : {}),
  });

interface Common {
  json?: boolean;
  dir?: string;
}

function load(opts: Common): Catalog {
  return loadCatalog(opts.dir ? resolve(opts.dir) : undefined);
}

export function registerCatalog(program: Command): void {
  const cat = program
    .command("catalog")
    .description(
      "query the core baseline, the regimes and the crosswalk; with --json alone, print the whole catalog",
    )
    .option("--json", "print the whole catalog (baseline, regimes, provisions, mappings) as JSON")
    .option("--dir <dir>", "catalog folder (default: the one shipped with Concord)")
    .action((opts: Common, cmd: Command) => {
      if (opts.json) return json(catalogJson(load(opts)));
      cmd.help();
    });
  const sub = (name: string, description: string) =>
    cat
      .command(name)
      .description(description)
      .option("--json", "print JSON")
      .option("--dir <dir>", "catalog folder");

  sub("check", "validate every catalog file and the references between them").action((opts: Common) => {
    const c = load(opts);
    const provisions = c.regimes.reduce((n, r) => n + r.provisions.length, 0);
    const mappings = c.regimes.reduce((n, r) => n + r.provisions.reduce((m, p) => m + p.maps.length, 0), 0);
    out(
      `catalog ${c.version} is valid: ${c.baseline.requirements.length} requirements, ${c.regimes.length} regimes, ${provisions} provisions, ${mappings} mappings`,
    );
  });

  sub("regimes", "list the regimes").action((opts: Common) => {
    const c = load(opts);
    if (opts.json)
      return json(
        c.regimes.map((r) => ({
          id: r.id,
          name: r.name,
          shortName: r.shortName,
          kind: r.kind,
          legalStatus: r.legalStatus,
          markets: r.markets,
          completeness: r.completeness,
          provisions: r.provisions.length,
        })),
      );
    const t = table(["Id", "Name", "Kind", "Status", "Markets", "Provisions"], [28, 44, 20, 11, 12, 11]);
    for (const r of c.regimes)
      t.push([
        r.id,
        r.shortName,
        r.kind,
        r.legalStatus,
        r.markets.join(" "),
        `${r.provisions.length}${r.completeness === "partial" ? " (partial)" : ""}`,
      ]);
    out(t.toString());
  });

  sub("requirements", "list the core baseline requirements").action((opts: Common) => {
    const c = load(opts);
    if (opts.json) return json(c.baseline.requirements);
    const t = table(["Id", "Title", "Layers", "Severity", "Checks"], [10, 56, 24, 10, 30]);
    for (const r of c.baseline.requirements)
      t.push([r.id, r.title, r.layers.join(", "), r.severity, r.decidedBy.checks.join("\n") || "-"]);
    out(t.toString());
  });

  sub("markets", "list the market codes and the regimes of each").action((opts: Common) => {
    const c = load(opts);
    const markets = new Map<string, string[]>();
    for (const r of c.regimes) for (const m of r.markets) markets.set(m, [...(markets.get(m) ?? []), r.id]);
    const sorted = [...markets.entries()].sort(([a], [b]) => a.localeCompare(b));
    if (opts.json) return json(Object.fromEntries(sorted));
    const t = table(["Market", "Regimes"], [8, 100]);
    for (const [m, rs] of sorted) t.push([m, rs.join(", ")]);
    out(t.toString());
  });

  sub("conditions", "list the applicability conditions a manifest can set").action((opts: Common) => {
    const c = load(opts);
    if (opts.json) return json(c.baseline.conditions);
    const t = table(["Condition", "Meaning", "Default"], [26, 70, 9]);
    for (const x of c.baseline.conditions) t.push([x.id, x.title, String(x.default)]);
    out(t.toString());
  });

  sub("show", "show a requirement with every provision it serves, or a regime with its provisions")
    .argument("<id>", "a requirement id (AUTH-01) or a regime id (uk-psti)")
    .action((id: string, opts: Common) => {
      const c = load(opts);
      const usage = requirementUsage(c, id.toUpperCase());
      if (usage) {
        if (opts.json) return json(usage);
        const r = usage.requirement;
        out(
          `${r.id} ${r.title}\n\n${r.statement}\n\nWhy: ${r.rationale}\nLayers: ${r.layers.join(", ")}   Severity: ${r.severity}${r.appliesWhen ? `   Applies when: ${r.appliesWhen.join(", ")}` : ""}\nDecided by checks: ${r.decidedBy.checks.join(", ") || "none yet"}\nAutomatic evidence: ${r.decidedBy.evidence.join("; ") || "none"}\nAttestation: ${r.decidedBy.attestation}\nGrounded in: ${r.groundedIn.join("; ")}\n`,
        );
        const t = table(["Regime", "Provision", "Level", "Relation", "Confidence"], [22, 50, 12, 12, 12]);
        for (const p of usage.provisions)
          t.push([p.regimeName, `${p.provision} ${p.title}`, p.level, p.relation, p.confidence]);
        return out(`Serves ${usage.provisions.length} provision(s):\n${t.toString()}`);
      }
      const regime = c.regime(id);
      if (!regime)
        throw new UsageError(
          `"${id}" is neither a requirement nor a regime; \`concord catalog requirements\` and \`concord catalog regimes\` list them`,
        );
      if (opts.json) return json(regime);
      out(
        `${regime.name} (${regime.id})\n${regime.kind}, ${regime.legalStatus}, markets ${regime.markets.join(", ")}, ${regime.completeness}\n${regime.scope}\nDates: ${regime.dates.map((d) => `${d.what} ${d.date}`).join("; ")}\n`,
      );
      const t = table(["Provision", "Level", "Maps to"], [60, 12, 44]);
      for (const p of regime.provisions)
        t.push([
          `${p.id} ${p.title}`,
          p.level,
          p.maps.map((m) => `${m.requirement} (${m.relation}, ${m.confidence})`).join("\n") ||
            `unmapped: ${p.unmapped ?? ""}`,
        ]);
      out(t.toString());
    });

  sub("delta", "already meeting regime A: what more does regime B ask?")
    .argument("<from>", "the regime already met")
    .argument("<to>", "the regime to reach")
    .action((from: string, to: string, opts: Common) => {
      const c = load(opts);
      let d;
      try {
        d = delta(c, from, to);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      if (opts.json) return json({ from: d.from.id, to: d.to.id, items: d.items });
      const counts = (s: string) => d.items.filter((i) => i.status === s).length;
      out(
        `From ${d.from.shortName} to ${d.to.shortName}: ${d.items.length} mandatory provisions; ${counts("covered")} covered, ${counts("covered-with-residue")} covered with a residue to review, ${counts("needs-work")} need more work, ${counts("needs-review")} need review.\n`,
      );
      const t = table(["Provision", "Status", "Still to show"], [50, 22, 44]);
      for (const i of d.items.filter((x) => x.status !== "covered"))
        t.push([`${i.provision} ${i.title}`, i.status, i.requirements.join(", ") || i.residue || "-"]);
      out(t.toString());
    });

  sub("coverage", "how much of each regime the baseline covers, and by which kind of mapping").action(
    (opts: Common) => {
      const c = load(opts);
      const cov = coverage(c);
      if (opts.json) return json(cov);
      const t = table([
        "Regime",
        "Provisions",
        "Mandatory",
        "Mapped",
        "Unmapped",
        "eq/sub/sup/int",
        "official/published/judged",
      ]);
      for (const r of cov.regimes)
        t.push([
          r.regime,
          r.provisions,
          r.mandatory,
          r.mapped,
          r.unmapped,
          `${r.relations.equal}/${r.relations.subset}/${r.relations.superset}/${r.relations.intersects}`,
          `${r.confidence.official}/${r.confidence.published}/${r.confidence.judged}`,
        ]);
      out(t.toString());
      out(`Requirements used by no regime: ${cov.unused.join(", ") || "none"}`);
    },
  );

  sub("export-oscal", "write the baseline and every regime as OSCAL catalogs and profiles")
    .option("-o, --output <dir>", "output folder", "concord-oscal")
    .action((opts: Common & { output: string }) => {
      const c = load(opts);
      mkdirSync(opts.output, { recursive: true });
      const write = (name: string, v: unknown) =>
        writeFileSync(join(opts.output, name), `${JSON.stringify(v, null, 2)}\n`);
      write("concord-baseline.oscal.json", baselineToOscal(c));
      let n = 1;
      for (const r of c.regimes) {
        write(`${r.id}.catalog.oscal.json`, regimeToOscal(c, r));
        const profile = regimeProfile(c, r);
        if (profile) write(`${r.id}.profile.oscal.json`, profile);
        n += profile ? 2 : 1;
      }
      out(`wrote ${n} OSCAL files to ${opts.output}`);
    });
}
