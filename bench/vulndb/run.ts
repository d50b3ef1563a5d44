// The vulnerability database benchmark: generate synthetic CVE records in the real NVD CVE API 2.0
// format, import them (records per second), then match an SBOM-sized list of components against
// them (time, peak memory). Goals: 4,000 components matched in under 2 s, under 1 GB of memory.
//
//   npx tsx bench/vulndb/run.ts [--records 250000] [--components 4000] [--keep]

import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ComponentData } from "../../src/evidence/firmware.js";
import { importFile, matchComponent, openVulnDb, status } from "../../src/collect/vuln/db/index.js";
import { prng, productName, writeSyntheticNvd } from "./synthetic.js";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const records = arg("records", 250_000);
const componentCount = arg("components", 4_000);
const products = Math.max(100, Math.round(records / 5));
const keep = process.argv.includes("--keep");
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const peakRss = () => process.resourceUsage().maxRSS * 1024;

const dir = mkdtempSync(join(tmpdir(), "concord-vulndb-bench-"));
try {
  const feed = join(dir, "nvdcve-2.0-synthetic.json");
  let t = performance.now();
  const bytes = await writeSyntheticNvd(feed, { records, products, seed: 42 });
  const genMs = performance.now() - t;
  console.log(
    `generated ${records.toLocaleString("en")} synthetic CVE records in the real NVD CVE API 2.0 format ` +
      `(${mb(bytes)}, ${products.toLocaleString("en")} products) in ${(genMs / 1000).toFixed(1)} s`,
  );

  const dbPath = join(dir, "vulndb.sqlite");
  const db = openVulnDb(dbPath);
  t = performance.now();
  const result = await importFile(db, feed);
  const importMs = performance.now() - t;
  if (result.status !== "ok")
    throw new Error(`import ${result.status}: ${result.errors.slice(0, 3).join("; ")}`);
  const rate = result.records / (importMs / 1000);
  console.log(
    `imported ${result.records.toLocaleString("en")} records in ${(importMs / 1000).toFixed(1)} s ` +
      `(${Math.round(rate).toLocaleString("en")} records/s); database ${mb(statSync(dbPath).size)}; peak RSS so far ${mb(peakRss())}`,
  );
  const nvd = status(db).sources.find((s) => s.source === "nvd")!;
  db.close();

  // An SBOM's worth of components, each product once: the 50 with the most records (the kernel,
  // the TLS library of a real image) and others drawn evenly, at random versions, with their CPE.
  const r = prng(7);
  const components: ComponentData[] = [];
  const chosen = new Set<number>();
  for (let i = 0; chosen.size < Math.min(componentCount, products); i++) {
    chosen.add(i < 50 ? i : Math.floor(r() * products));
  }
  for (const index of chosen) {
    const p = productName(index);
    const v = `${1 + Math.floor(r() * 9)}.${Math.floor(r() * 20)}.${Math.floor(r() * 30)}`;
    components.push({
      name: p.product,
      version: v,
      cpe: `cpe:2.3:a:${p.vendor}:${p.product}:${v}:*:*:*:*:*:*:*`,
      method: "sbom",
      match: `${p.product} ${v}`,
    });
  }
  const ro = openVulnDb(dbPath, { readonly: true });
  let matches = 0;
  let withFix = 0;
  let candidates = 0;
  const count = ro
    .prepare("SELECT COUNT(*) FROM affected WHERE kind = 'cpe' AND vendor = ? AND product = ?")
    .pluck();
  for (const c of components) {
    const [, , , vendor, product] = c.cpe!.split(":");
    candidates += count.get(vendor, product) as number;
  }
  t = performance.now();
  for (const c of components) {
    for (const m of matchComponent(ro, c)) {
      matches++;
      if (m.fixedVersions.length) withFix++;
    }
  }
  const matchMs = performance.now() - t;
  ro.close();
  const peak = peakRss();
  console.log(
    `matched ${componentCount.toLocaleString("en")} components in ${(matchMs / 1000).toFixed(2)} s ` +
      `(${(matchMs / componentCount).toFixed(2)} ms each): ${candidates.toLocaleString("en")} candidate entries evaluated, ` +
      `${matches.toLocaleString("en")} matches, ${withFix.toLocaleString("en")} with a fixed version`,
  );
  console.log(`peak RSS ${mb(peak)} (whole run: generate, import, match)`);
  console.log(
    `goals: match ${componentCount} in < 2 s: ${matchMs < 2000 ? "met" : "MISSED"}; memory < 1 GB: ${peak < 1024 ** 3 ? "met" : "MISSED"}; ` +
      `database holds ${nvd.records.toLocaleString("en")} NVD records`,
  );
} finally {
  if (keep) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
