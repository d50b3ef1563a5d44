// Golden files: the expected result of assessing the examples, in a compact form a reviewer can
// read in a diff. Regenerate with UPDATE_GOLDEN=1 after an intended change, and review the diff.
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Assessment } from "../../src/assess/types.js";

export function digest(a: Assessment): unknown {
  return {
    product: a.product,
    markets: a.markets,
    regimes: a.regimes.map((r) => ({
      regime: r.regime,
      status: r.status,
      blockers: r.blockers.map((b) => b.provision + (b.from ? ` (from ${b.from})` : "")),
      missing: r.missing.length,
      labels: r.labels.filter((l) => l.eligible).map((l) => `${l.label} ${l.level}`),
    })),
    verdicts: Object.fromEntries(
      a.verdicts.filter((v) => v.status !== "unknown").map((v) => [v.requirement, v.status]),
    ),
    unknown: a.verdicts.filter((v) => v.status === "unknown").length,
    findings: a.findings.map(
      (f) =>
        `${f.status} ${f.check} [${[...f.requirements, ...(f.provisions ?? [])].join(",")}] ${f.message}`,
    ),
    inputs: a.inputs,
  };
}

export function matchGolden(name: string, actual: unknown): void {
  const path = fileURLToPath(new URL(`../golden/${name}.json`, import.meta.url));
  const text = `${JSON.stringify(actual, null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN === "1" || !existsSync(path)) {
    writeFileSync(path, text);
    if (process.env.UPDATE_GOLDEN !== "1")
      assert.fail(`golden file ${name}.json was missing and has been written; review and commit it`);
    return;
  }
  assert.deepEqual(
    JSON.parse(text),
    JSON.parse(readFileSync(path, "utf8")),
    `assessment of ${name} differs from test/golden/${name}.json (UPDATE_GOLDEN=1 to accept)`,
  );
}
