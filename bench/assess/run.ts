// bench/assess: Concord's own time to assess a product with every regime selected, beyond
// evidence collection, against the 1 s target of the spine. Also the whole command as a user
// runs it (process start, catalog load, reports).
//
// No peer runs here: the tools users compare the crosswalk with (CISO Assistant, compliance-trestle)
// are Python services and packages that this machine cannot install (no PyPI), and neither projects
// one assessment onto regimes. The figure is reported against the target instead of a ratio.
//
// Run: npm run bench   (or: npx tsx bench/assess/run.ts [runs])
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assess } from "../../src/assess/run.js";
import { loadCatalog } from "../../src/catalog/load.js";
import { CHECKS } from "../../src/checks/index.js";
import { FORMATS, render } from "../../src/report/index.js";

const RUNS = Number(process.argv[2] ?? 20);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** A large product: an attestation for every requirement and for every provision of every regime. */
function bigProduct(): string {
  const catalog = loadCatalog();
  const dir = mkdtempSync(join(tmpdir(), "concord-bench-"));
  mkdirSync(join(dir, "evidence"));
  writeFileSync(join(dir, "evidence", "doc.md"), "# evidence\n".repeat(200));
  const att = (target: string) =>
    `  - ${target}\n    statement: Attested for the benchmark.\n    evidence: [evidence/doc.md]\n    by: { name: Bench }\n    date: "2026-01-01"\n    validUntil: "2027-12-31"\n`;
  const lines = [
    "concord: 1",
    "product: { name: Bench, maker: { name: Bench Ltd }, model: B-1, version: '1.0', category: hub, craClass: important-class-1 }",
    `markets: [${[...new Set(catalog.regimes.flatMap((r) => r.markets))].join(", ")}]`,
    "support: { until: '2031-01-01', publishedAt: 'https://b.example/s' }",
    "disclosure: { policy: 'https://b.example/vdp', contact: 'mailto:s@b.example' }",
    "artifacts:",
    "  cloud:",
    ...Array.from({ length: 50 }, (_, i) => `    - url: https://api${i}.b.example`),
    "attestations:",
  ];
  let body = `${lines.join("\n")}\n`;
  for (const r of catalog.baseline.requirements) body += att(`requirement: ${r.id}`);
  for (const r of catalog.regimes) for (const p of r.provisions) body += att(`provision: "${r.id}:${p.id}"`);
  writeFileSync(join(dir, "concord.yaml"), body);
  return dir;
}

async function measure(label: string, target: string): Promise<void> {
  const catalog = loadCatalog();
  const own: number[] = [];
  const collect: number[] = [];
  const reports: number[] = [];
  let regimes = 0;
  let provisions = 0;
  for (let i = 0; i < RUNS; i++) {
    const phases: Record<string, number> = {};
    const a = await assess(target, {
      catalog,
      allRegimes: true,
      asOf: "2026-11-25",
      onPhase: (p, t) => (phases[p] = t),
    });
    const r0 = performance.now();
    for (const f of FORMATS) render(f, a, CHECKS);
    reports.push(performance.now() - r0);
    own.push((phases.load ?? 0) + (phases.check ?? 0) + (phases.judge ?? 0));
    collect.push(phases.collect ?? 0);
    regimes = a.regimes.length;
    provisions = a.regimes.reduce((n, r) => n + r.provisions.length, 0);
  }
  const ownWithReports = median(own) + median(reports);
  console.log(`${label}: ${regimes} regimes, ${provisions} provisions`);
  console.log(`  own time (manifest, plan, checks, verdicts, projection): median ${ms(median(own))}`);
  console.log(`  rendering all ${FORMATS.length} report formats: median ${ms(median(reports))}`);
  console.log(`  evidence collection (hashing inputs), excluded: median ${ms(median(collect))}`);
  const cold = ownWithReports + catalogLoad;
  console.log(
    `  => own time with reports ${ms(ownWithReports)} warm, ${ms(cold)} with the cold catalog load; target 1000 ms: ${(1000 / cold).toFixed(1)}x under it cold`,
  );
}

const t0 = performance.now();
loadCatalog();
const catalogLoad = performance.now() - t0;
console.log(`catalog load and validation (cold, once per process): ${ms(catalogLoad)}`);
await measure("examples/thermostat", "examples/thermostat");
await measure("synthetic product with every requirement and provision attested", bigProduct());

const cli = performance.now();
const r = spawnSync(
  process.execPath,
  [
    "bin/concord.js",
    "assess",
    "examples/thermostat",
    "--all-regimes",
    "-q",
    "-o",
    mkdtempSync(join(tmpdir(), "concord-bench-out-")),
  ],
  { encoding: "utf8" },
);
if (r.status !== 0) throw new Error(`concord failed: ${r.stderr}`);
console.log(
  `whole command, cold process (node bin/concord.js assess --all-regimes, all reports): ${ms(performance.now() - cli)}`,
);
