// `concord attest` end to end: it writes the attestation where Concord reads it, leaves every
// other byte of the manifest alone, replaces an older attestation of the same requirement, and the
// assessment then counts it; and an expired attestation never counts as satisfied.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { assess, vocabularyOf } from "../../src/assess/run.js";
import { loadCatalog } from "../../src/catalog/load.js";
import { recordAttestation, resolveTarget } from "../../src/cli/attest.js";
import { upsertAttestation, type AttestationEntry } from "../../src/collect/manifest/attestations-edit.js";
import { sha256 } from "../../src/util/hash.js";
import { starterManifest } from "../../src/manifest/template.js";

const vocab = vocabularyOf(loadCatalog());
const NOW = new Date("2026-06-01T09:00:00Z");
const AS_OF = "2026-06-01";

function workspace(manifest: string): string {
  const dir = mkdtempSync(join(tmpdir(), "concord-attest-"));
  writeFileSync(join(dir, "concord.yaml"), manifest);
  mkdirSync(join(dir, "docs"));
  writeFileSync(
    join(dir, "docs", "reporting-procedure.md"),
    "# Reporting to ENISA\nEarly warning within 24 h...\n",
  );
  writeFileSync(join(dir, "docs", "cvd.md"), "# Coordinated disclosure\n");
  return dir;
}

const MANIFEST = `# A test manifest; this comment must survive.
concord: 1
product:
  name: "Test Hub"   # quoted on purpose
  maker: { name: Test Ltd }
  category: hub
markets: [EU, UK]
attestations:
  # The expired one below is renewed by the test.
  - requirement: VULN-08
    statement: Old procedure.
    evidence: [docs/cvd.md]
    by: { name: Old Owner }
    date: "2024-01-01"
    validUntil: "2025-01-01"    # expired
  - requirement: VULN-02
    statement: Reports are triaged within 5 days.
    evidence: [docs/cvd.md]
    by: { name: Jane Doe, role: PSIRT lead }
    date: "2026-01-10"
# trailing comment
`;

const flags = (over: Record<string, unknown> = {}) => ({
  statement:
    "Exploited vulnerabilities are reported to ENISA: early warning in 24 h, notification in 72 h, final report in 14 days.",
  evidence: ["docs/reporting-procedure.md"],
  by: "Priya Shah",
  role: "Head of Product Security",
  org: "Test Ltd",
  date: "2026-05-01",
  until: "2027-05-01",
  claim: "satisfied" as const,
  manifest: ".",
  ...over,
});

describe("concord attest", () => {
  it("renews an expired attestation in place, leaving the rest of the file byte for byte", async () => {
    const dir = workspace(MANIFEST);
    const before = await assess(dir, { asOf: AS_OF, now: NOW });
    const v8 = before.verdicts.find((v) => v.requirement === "VULN-08")!;
    assert.notEqual(v8.status, "satisfied", "an expired attestation never satisfies");
    assert.match(
      v8.because,
      /^The attestation for VULN-08 by Old Owner expired on 2025-01-01; it no longer counts\./,
    );

    const r = await recordAttestation("vuln-08", flags(), vocab, dir, AS_OF);
    assert.equal(r.action, "replaced");
    assert.equal(r.line, 10);
    const text = readFileSync(join(dir, "concord.yaml"), "utf8");
    const digest = sha256(readFileSync(join(dir, "docs", "reporting-procedure.md")));
    assert.equal(
      text,
      MANIFEST.replace(
        / {2}- requirement: VULN-08\n[\s\S]*?# expired\n/,
        `  - requirement: VULN-08
    statement: "Exploited vulnerabilities are reported to ENISA: early warning in 24 h, notification in 72 h, final report in 14 days."
    evidence: [docs/reporting-procedure.md]
    evidenceSha256:
      docs/reporting-procedure.md: ${digest}
    by: { name: Priya Shah, role: Head of Product Security, organisation: Test Ltd }
    date: "2026-05-01"
    validUntil: "2027-05-01"
`,
      ),
    );
    const after = await assess(dir, { asOf: AS_OF, now: NOW });
    const renewed = after.verdicts.find((v) => v.requirement === "VULN-08")!;
    assert.equal(renewed.status, "satisfied");
    assert.match(renewed.because, /^Priya Shah \(Head of Product Security\) attests VULN-08 on 2026-05-01/);
    assert.ok(
      after.inputs.some(
        (i) =>
          i.role === "attestation-evidence" &&
          i.path === "docs/reporting-procedure.md" &&
          i.sha256 === digest,
      ),
    );
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes("concord-attest")),
      [],
      "no temp file left behind",
    );
  });

  it("an attestation counts through its last day and not a day longer", async () => {
    const dir = workspace(MANIFEST);
    await recordAttestation("VULN-08", flags({ until: "2026-06-01" }), vocab, dir, AS_OF);
    const status = async (asOf: string) =>
      (await assess(dir, { asOf, now: NOW })).verdicts.find((v) => v.requirement === "VULN-08")!.status;
    assert.equal(await status("2026-06-01"), "satisfied");
    assert.notEqual(await status("2026-06-02"), "satisfied");
  });

  it("--add keeps the earlier attestation; a provision gets its own entry", async () => {
    const dir = workspace(MANIFEST);
    const r = await recordAttestation("VULN-02", flags({ add: true, until: undefined }), vocab, dir, AS_OF);
    assert.equal(r.action, "added");
    assert.equal(r.line, 21);
    await recordAttestation(
      "uk-psti:Sch1-3(3)",
      flags({ statement: "Extensions are published the same day." }),
      vocab,
      dir,
      AS_OF,
    );
    const text = readFileSync(join(dir, "concord.yaml"), "utf8");
    assert.equal((text.match(/requirement: VULN-02/g) ?? []).length, 2);
    assert.match(
      text,
      / {2}- provision: uk-psti:Sch1-3\(3\)\n {4}statement: Extensions are published the same day\.\n/,
    );
    assert.ok(text.endsWith("# trailing comment\n"), "the comment after the list stays after it");
  });

  it("turns the starter's `attestations: []` into a list, keeping its comments", async () => {
    const starter = starterManifest("Starter");
    const dir = workspace(starter);
    await recordAttestation("VULN-08", flags(), vocab, dir, AS_OF);
    const text = readFileSync(join(dir, "concord.yaml"), "utf8");
    const at = starter.indexOf("attestations: []");
    assert.equal(text.slice(0, at), starter.slice(0, at), "everything before the list is untouched");
    assert.ok(text.slice(at).startsWith("attestations:\n  - requirement: VULN-08\n"));
    assert.ok(
      text.endsWith(starter.slice(at + "attestations: []\n".length)),
      "the commented example after it is untouched",
    );
  });

  it("writes to the attestations file the manifest points to, creating it", async () => {
    const dir = workspace(
      MANIFEST.replace(/attestations:[\s\S]*$/, "attestationsFile: compliance/attestations.yaml\n"),
    );
    const r = await recordAttestation("VULN-08", flags(), vocab, dir, AS_OF);
    assert.equal(r.file, join(dir, "compliance", "attestations.yaml"));
    const text = readFileSync(r.file, "utf8");
    assert.match(text, /^# Attestations for Test Hub; concord.yaml points here \(attestationsFile\)\.\n/);
    assert.match(
      text,
      /\nattestations:\n {2}- requirement: VULN-08\n {4}statement: .*\n {4}evidence: \[\.\.\/docs\/reporting-procedure\.md\]\n/,
    );
    assert.doesNotMatch(readFileSync(join(dir, "concord.yaml"), "utf8"), /VULN-08/);
    const a = await assess(dir, { asOf: AS_OF, now: NOW });
    assert.equal(a.verdicts.find((v) => v.requirement === "VULN-08")!.status, "satisfied");
    const ev = a.evidence.find((e) => e.kind === "attestation")!;
    assert.equal(ev.source.location, "compliance/attestations.yaml:5:5");
    assert.deepEqual((ev.data as { files: unknown[] }).files, [
      {
        path: "docs/reporting-procedure.md",
        sha256: sha256(readFileSync(join(dir, "docs", "reporting-procedure.md"))),
        bytes: 50,
        attestedSha256: sha256(readFileSync(join(dir, "docs", "reporting-procedure.md"))),
      },
    ]);
  });

  it("a changed evidence file shows in the evidence: recorded and current hashes differ", async () => {
    const dir = workspace(MANIFEST);
    await recordAttestation("VULN-08", flags(), vocab, dir, AS_OF);
    writeFileSync(join(dir, "docs", "reporting-procedure.md"), "# Reporting\nNow different.\n");
    const a = await assess(dir, { asOf: AS_OF, now: NOW });
    const files = a.evidence
      .filter((e) => e.kind === "attestation")
      .flatMap((e) => (e.data as { files: { sha256: string; attestedSha256?: string }[] }).files)
      .filter((f) => f.attestedSha256);
    assert.equal(files.length, 1);
    assert.notEqual(files[0]!.sha256, files[0]!.attestedSha256);
  });

  it("a broken attestations file is a manifest error with its line, not ignored", async () => {
    const dir = workspace(MANIFEST.replace(/attestations:[\s\S]*$/, "attestationsFile: attestations.yaml\n"));
    writeFileSync(
      join(dir, "attestations.yaml"),
      'attestations:\n  - requirement: VULN-08\n    statement: x\n    evidence: [missing.pdf]\n    by: { name: A }\n    date: "2026-01-01"\n',
    );
    await assert.rejects(
      assess(dir, { asOf: AS_OF, now: NOW }),
      /concord\.yaml has 1 problem\(s\)\n.*attestations\.yaml:4:16: evidence file "missing\.pdf" does not exist/,
    );
  });

  it("refuses what it cannot record, and says why", async () => {
    const dir = workspace(MANIFEST);
    const refuse = async (id: string, over: Record<string, unknown>, message: RegExp) =>
      assert.rejects(recordAttestation(id, flags(over), vocab, dir, AS_OF), message);
    await refuse("VULN-8", {}, /^UsageError: unknown requirement "VULN-8"; did you mean "VULN-08"\?/);
    await refuse("AUTH-99", {}, /unknown requirement "AUTH-99"; did you mean "AUTH-09"\?/);
    await refuse(
      "uk-psti:Sch1-3",
      {},
      /"uk-psti:Sch1-3" is a group of provisions; attest each one: uk-psti:Sch1-3\(2\), uk-psti:Sch1-3\(3\)/,
    );
    await refuse(
      "VULN-08",
      { evidence: ["docs/nope.pdf"] },
      /evidence file "docs\/nope\.pdf" does not exist/,
    );
    await refuse("VULN-08", { evidence: ["docs"] }, /evidence "docs" is not a file/);
    await refuse(
      "VULN-08",
      { evidence: [], statement: " ", by: undefined },
      /an attestation needs --statement <text>, --evidence <file\.\.\.>, --by <name>/,
    );
    await refuse(
      "VULN-08",
      { until: "2026-04-01" },
      /--until 2026-04-01 is before the attestation date 2026-05-01/,
    );
    await refuse("VULN-08", { until: "2026-13-01" }, /--until "2026-13-01" is not a date/);
    await refuse(
      "VULN-08",
      { date: "2020-01-01", until: "2020-06-01" },
      /--until 2020-06-01 has already passed/,
    );
    assert.equal(readFileSync(join(dir, "concord.yaml"), "utf8"), MANIFEST, "nothing was written");
  });

  it("refuses to edit a manifest that is already broken", async () => {
    const dir = workspace(MANIFEST.replace("markets: [EU, UK]", "markets: [EU, XX]"));
    await assert.rejects(recordAttestation("VULN-08", flags(), vocab, dir, AS_OF), /unknown market "XX"/);
  });

  it("resolves requirement ids in any case", () => {
    assert.deepEqual(resolveTarget("vuln-08", vocab), { requirement: "VULN-08" });
    assert.deepEqual(resolveTarget("uk-psti:Sch1-3(3)", vocab), { provision: "uk-psti:Sch1-3(3)" });
  });

  it("runs from the command line", () => {
    const dir = workspace(MANIFEST);
    const cli = join(process.cwd(), "src", "cli", "main.ts");
    // Run in the workspace, so tsx is loaded by its absolute location.
    const tsx = import.meta.resolve("tsx");
    const r = spawnSync(
      process.execPath,
      [
        "--import",
        tsx,
        cli,
        "attest",
        "VULN-08",
        "--statement",
        "Reported per the procedure.",
        "--evidence",
        "docs/reporting-procedure.md",
        "--by",
        "Priya Shah",
        "--date",
        "2026-05-01",
        "--until",
        "2099-12-31",
      ],
      { cwd: dir, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } },
    );
    assert.equal(r.status, 0, r.stderr);
    const digest = sha256(readFileSync(join(dir, "docs", "reporting-procedure.md")));
    assert.equal(
      r.stdout,
      `replaced attestation for VULN-08 (satisfied) at concord.yaml:10 (replacing the one by Old Owner dated 2024-01-01)\n  evidence docs/reporting-procedure.md  sha256 ${digest}  50 bytes\n  by Priya Shah; dated 2026-05-01, valid until 2099-12-31\n  VULN-08 asks for: The reporting procedure (early warning, notification, final report deadlines, who sends them).\n`,
    );
    const bad = spawnSync(
      process.execPath,
      ["--import", tsx, cli, "attest", "VULN-8", "-s", "x", "-e", "docs/cvd.md", "--by", "A"],
      { cwd: dir, encoding: "utf8" },
    );
    assert.equal(bad.status, 2);
    assert.equal(
      bad.stderr,
      'concord: unknown requirement "VULN-8"; did you mean "VULN-08"? (`concord catalog requirements` lists them)\n',
    );
  });
});

describe("upsertAttestation", () => {
  const entry: AttestationEntry = {
    requirement: "VULN-08",
    statement: "S",
    evidence: ["a.md"],
    evidenceSha256: { "a.md": "ab".repeat(32) },
    by: { name: "N" },
    date: "2026-01-01",
  };
  it("adds a list to a document without one", () => {
    assert.equal(
      upsertAttestation("a: 1\n", entry, true).text,
      `a: 1\n\nattestations:\n  - requirement: VULN-08\n    statement: S\n    evidence: [a.md]\n    evidenceSha256:\n      a.md: ${"ab".repeat(32)}\n    by: { name: N }\n    date: "2026-01-01"\n`,
    );
  });
  it("keeps entries of a flow list and the comment on the key line", () => {
    const out = upsertAttestation(
      "attestations: [{ requirement: AUTH-01, statement: X }]  # keep\nz: 2\n",
      entry,
      true,
    ).text;
    assert.ok(
      out.startsWith(
        "attestations: # keep\n  - requirement: AUTH-01\n    statement: X\n  - requirement: VULN-08\n",
      ),
      out,
    );
    assert.ok(out.endsWith("z: 2\n"));
  });
  it("follows a zero-indented list", () => {
    const out = upsertAttestation(
      "attestations:\n- requirement: AUTH-01\n  statement: X\n",
      entry,
      true,
    ).text;
    assert.ok(
      out.startsWith(
        "attestations:\n- requirement: AUTH-01\n  statement: X\n- requirement: VULN-08\n  statement: S\n",
      ),
      out,
    );
  });
  it("does not exist in a file that does not parse", () => {
    assert.throws(() => upsertAttestation("a: [\n", entry, true), /cannot edit/);
    assert.ok(!existsSync("/nonexistent"));
  });
});
