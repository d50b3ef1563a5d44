// The concord command as a user runs it: exit codes, messages on stderr, files written.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";

function concord(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const tmp = () => mkdtempSync(join(tmpdir(), "concord-cli-"));

describe("concord assess", () => {
  it("prints the market table, writes every report and exits 0", () => {
    const dir = tmp();
    const r = concord("assess", "examples/thermostat", "--output", dir, "--as-of", "2026-11-25");
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Brightwave Thermostat T3/);
    assert.match(r.out, /│ UK +│ conformant/);
    for (const f of [
      "assessment.html",
      "assessment.json",
      "assessment.sarif",
      "assessment-results.oscal.json",
      "assessment.md",
    ])
      assert.ok(existsSync(join(dir, f)), f);
  });

  it("--fail-on blocked exits 1 and says which market", () => {
    const r = concord("assess", "examples/smart-camera", "--output", tmp(), "--fail-on", "blocked", "-q");
    assert.equal(r.code, 1);
    assert.match(r.err, /--fail-on blocked: market EU is blocked; market UK is blocked/);
  });

  it("--fail-on regime:<id> passes when that regime is conformant", () => {
    const r = concord(
      "assess",
      "examples/thermostat",
      "--format",
      "json",
      "--output",
      tmp(),
      "--fail-on",
      "regime:uk-psti",
      "-q",
      // The example's attestations and security.txt expire: judge it on a fixed day.
      "--as-of",
      "2026-11-25",
    );
    assert.equal(r.code, 0, r.err);
  });

  it("--json prints the assessment and --market narrows the markets", () => {
    const r = concord("assess", "examples/smart-camera", "--json", "--format", "none", "--market", "UK");
    assert.equal(r.code, 0, r.err);
    const a = JSON.parse(r.out) as { format: string; markets: { market: string }[] };
    assert.equal(a.format, "concord-assessment");
    assert.deepEqual(
      a.markets.map((m) => m.market),
      ["UK"],
    );
  });

  it("a bad manifest exits 2 with file:line:col and no stack trace", () => {
    const dir = tmp();
    concord("init", dir);
    const file = join(dir, "concord.yaml");
    const text = readFileSync(file, "utf8").replace("markets: [EU, UK, US]", "markets: [EU, UKK]");
    writeFileSync(file, text);
    const r = concord("assess", dir, "--format", "none");
    assert.equal(r.code, 2);
    assert.match(r.err, /concord\.yaml:\d+:\d+: unknown market "UKK"/);
    assert.doesNotMatch(r.err, /at .*\.ts:\d+/);
  });

  it("an unknown --market or --format is a usage error (exit 2)", () => {
    assert.equal(concord("assess", "examples/thermostat", "--market", "XX", "--format", "none").code, 2);
    const r = concord("assess", "examples/thermostat", "--format", "pdf");
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown format "pdf"; choose from html, json, sarif, oscal, md, vex or all/);
  });
});

describe("concord init and catalog", () => {
  it("init writes a starter manifest that assesses", () => {
    const dir = tmp();
    assert.equal(concord("init", dir, "--name", "Gadget").code, 0);
    const r = concord("assess", dir, "--format", "none", "-q");
    assert.equal(r.code, 0, r.err);
    assert.equal(concord("init", dir).code, 2, "init refuses to overwrite");
  });

  it("catalog --json prints baseline, regimes, provisions and mappings", () => {
    const r = concord("catalog", "--json");
    assert.equal(r.code, 0, r.err);
    const c = JSON.parse(r.out) as {
      format: string;
      baseline: { requirements: unknown[] };
      regimes: { provisions: { maps: unknown[] }[] }[];
    };
    assert.equal(c.format, "concord-catalog");
    assert.ok(c.baseline.requirements.length >= 40);
    assert.ok(c.regimes.some((x) => x.provisions.some((p) => p.maps.length > 0)));
  });

  it("catalog show, delta and check answer", () => {
    assert.match(concord("catalog", "show", "AUTH-01").out, /AUTH-01 No universal default passwords/);
    assert.match(
      concord("catalog", "delta", "etsi-en-303-645", "uk-psti").out,
      /From EN 303 645 to UK PSTI: \d+ mandatory provisions/,
    );
    assert.match(concord("catalog", "check").out, /^catalog \S+ is valid: \d+ requirements, \d+ regimes/);
    assert.equal(concord("catalog", "show", "nonsense").code, 2);
  });

  it("export-oscal writes a catalog per regime", () => {
    const dir = tmp();
    assert.equal(concord("catalog", "export-oscal", "--output", dir).code, 0);
    assert.ok(existsSync(join(dir, "concord-baseline.oscal.json")));
    assert.ok(existsSync(join(dir, "uk-psti.profile.oscal.json")));
  });
});
