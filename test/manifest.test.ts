// Bad manifests: each must give the right file:line:col and a message that says what to do.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { vocabularyOf } from "../src/assess/run.js";
import { loadCatalog } from "../src/catalog/load.js";
import { loadManifest } from "../src/manifest/load.js";
import { starterManifest } from "../src/manifest/template.js";
import { InputError, formatProblem } from "../src/util/problems.js";

const vocab = vocabularyOf(loadCatalog());

const HEAD = `concord: 1
product:
  name: Cam
  maker: { name: Acme }
  category: camera
markets: [EU]
`;

function problemsFor(yaml: string, files: Record<string, string> = {}): string[] {
  const dir = mkdtempSync(join(tmpdir(), "concord-manifest-"));
  writeFileSync(join(dir, "concord.yaml"), yaml);
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  try {
    loadManifest(dir, vocab);
  } catch (e) {
    assert.ok(e instanceof InputError, `expected an InputError, got ${String(e)}`);
    return e.problems.map((p) => formatProblem({ ...p, file: "concord.yaml" }));
  }
  return [];
}

const cases: { name: string; yaml: string; files?: Record<string, string>; expect: (string | RegExp)[] }[] = [
  {
    name: "a typo in a key, with a suggestion",
    yaml: HEAD.replace("  category: camera", "  category: camera\n  modle: HC-1"),
    expect: [
      'concord.yaml:6:3: product: Unrecognized key: "modle"\n  fix: did you mean "model"? Allowed here: name, maker, model, version, category, craClass, description',
    ],
  },
  {
    name: "a typo in a top-level key",
    yaml: `${HEAD}suport:\n  until: "2030-01-01"\n`,
    expect: [/concord.yaml:7:1: Unrecognized key: "suport"\n {2}fix: did you mean "support"\?/],
  },
  {
    name: "an unknown market, with the closest code",
    yaml: HEAD.replace("markets: [EU]", "markets: [EU, UKK]"),
    expect: [
      /^concord.yaml:6:15: unknown market "UKK"\n {2}fix: did you mean "UK"\? Known markets: .*EU.*UK/,
    ],
  },
  {
    name: "an unknown regime in include",
    yaml: `${HEAD}regimes:\n  include: [sg-clss]\n`,
    expect: [
      'concord.yaml:8:13: unknown regime "sg-clss"\n  fix: did you mean "sg-cls"? (`concord catalog regimes` lists them)',
    ],
  },
  {
    name: "a date that is not a date",
    yaml: `${HEAD}support:\n  until: 2030-13-01\n`,
    expect: ['concord.yaml:8:10: support.until: expected a date as YYYY-MM-DD, for example "2030-12-31"'],
  },
  {
    name: "the format version missing",
    yaml: HEAD.replace("concord: 1\n", ""),
    expect: [/^concord.yaml:1:1: concord: the manifest format version: write `concord: 1`/],
  },
  {
    name: "an attestation without evidence",
    yaml: `${HEAD}attestations:\n  - requirement: VULN-02\n    statement: We triage reports.\n    evidence: []\n    by: { name: Jo }\n    date: "2026-01-01"\n`,
    expect: [
      "concord.yaml:10:15: attestations[0].evidence: an attestation needs at least one evidence file (the document that backs it)",
    ],
  },
  {
    name: "an attestation whose evidence file is missing",
    yaml: `${HEAD}attestations:\n  - requirement: VULN-02\n    statement: We triage reports.\n    evidence: [psirt.pdf]\n    by: { name: Jo }\n    date: "2026-01-01"\n`,
    expect: [
      /^concord.yaml:10:16: evidence file "psirt.pdf" does not exist \(looked for .*psirt.pdf\)\n {2}fix: fix the path/,
    ],
  },
  {
    name: "an attestation of an unknown requirement",
    yaml: `${HEAD}attestations:\n  - requirement: VULN-99\n    statement: x\n    evidence: [a.md]\n    by: { name: Jo }\n    date: "2026-01-01"\n`,
    files: { "a.md": "x" },
    expect: [/^concord.yaml:8:18: unknown core requirement "VULN-99"\n {2}fix: did you mean "VULN-0\d"\?/],
  },
  {
    name: "an attestation naming both a requirement and a provision",
    yaml: `${HEAD}attestations:\n  - requirement: VULN-02\n    provision: uk-psti:Sch1-3\n    statement: x\n    evidence: [a.md]\n    by: { name: Jo }\n    date: "2026-01-01"\n`,
    files: { "a.md": "x" },
    expect: [
      "concord.yaml:8:18: attestations[0].requirement: an attestation names exactly one of `requirement` or `provision`",
    ],
  },
  {
    name: "an attestation that ends before it starts",
    yaml: `${HEAD}attestations:\n  - requirement: VULN-02\n    statement: x\n    evidence: [a.md]\n    by: { name: Jo }\n    date: "2026-01-01"\n    validUntil: "2025-01-01"\n`,
    files: { "a.md": "x" },
    expect: [
      "concord.yaml:13:17: validUntil 2025-01-01 is before the attestation date 2026-01-01\n  fix: fix one of the two dates",
    ],
  },
  {
    name: "an unknown condition",
    yaml: `${HEAD}conditions:\n  uses-pasword: true\n`,
    expect: [
      /^concord.yaml:8:17: unknown condition "uses-pasword"\n {2}fix: did you mean "uses-passwords"\?/,
    ],
  },
  {
    name: "a firmware image that is missing",
    yaml: `${HEAD}artifacts:\n  firmware:\n    - path: fw.bin\n`,
    expect: [/^concord.yaml:9:13: firmware image "fw.bin" does not exist/],
  },
  {
    name: "broken YAML",
    yaml: "concord: 1\nproduct:\n  name: [x\n",
    expect: [
      /^concord.yaml:4:1: YAML syntax: Flow sequence in block collection must be sufficiently indented/,
    ],
  },
  {
    name: "a key written twice",
    yaml: `${HEAD}markets: [UK]\n`,
    expect: [/^concord.yaml:7:1: YAML syntax: Map keys must be unique/],
  },
  {
    name: "a clear-text cloud URL is fine to declare (the check judges it)",
    yaml: `${HEAD}artifacts:\n  cloud:\n    - url: mqtt://t.example:1883\n`,
    expect: [],
  },
];

describe("manifest problems point at file:line:col", () => {
  for (const c of cases)
    it(c.name, () => {
      const got = problemsFor(c.yaml, c.files);
      assert.equal(got.length, c.expect.length, got.join("\n"));
      c.expect.forEach((want, i) =>
        typeof want === "string" ? assert.equal(got[i], want) : assert.match(got[i]!, want),
      );
    });

  it("no manifest at all says how to make one", () => {
    const dir = mkdtempSync(join(tmpdir(), "concord-empty-"));
    assert.throws(
      () => loadManifest(dir, vocab),
      (e: unknown) => e instanceof InputError && /run `concord init`/.test(e.problems[0]!.fix ?? ""),
    );
  });

  it("the starter manifest from `concord init` is valid", () => {
    assert.deepEqual(problemsFor(starterManifest("Thing")), []);
  });
});

describe("hostile manifests", () => {
  it("refuses an alias bomb with a clear message instead of expanding it", () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++)
      levels.push(
        `${"abcdefghij"[i]}: &${"abcdefghij"[i]} [${Array(10)
          .fill(`*${"abcdefghij"[i - 1]}`)
          .join(",")}]`,
      );
    const got = problemsFor(`${HEAD}${levels.join("\n")}\n`);
    assert.equal(got.length, 1);
    assert.match(got[0]!, /^concord\.yaml:1:1: cannot expand the YAML: .*alias/i);
  });

  it("refuses a file far larger than any manifest", () => {
    const got = problemsFor(`${HEAD}# ${"x".repeat(9 * 1024 * 1024)}\n`);
    assert.match(got[0]!, /^concord\.yaml: file is larger than 8 MiB/);
  });

  it("does not crash on binary garbage", () => {
    const got = problemsFor(String.fromCharCode(...Array.from({ length: 2000 }, (_, i) => (i * 7919) % 256)));
    assert.ok(got.length > 0 && got.every((p) => p.startsWith("concord.yaml")), got.join("\n"));
  });
});

describe("mutated manifests", () => {
  it("never crash: every mutation of an example either loads or gives positioned problems", async () => {
    const { readFileSync, cpSync } = await import("node:fs");
    const dir = mkdtempSync(join(tmpdir(), "concord-fuzz-"));
    cpSync("examples/thermostat", dir, { recursive: true });
    const original = readFileSync(join(dir, "concord.yaml"), "utf8");
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const pieces = [
      ":",
      "-",
      " ",
      "\n",
      "[",
      "]",
      "{",
      "}",
      "&a",
      "*a",
      '"',
      "'",
      "#",
      "!!binary",
      "~",
      "null",
      "1e999",
      "\t",
      "?",
      "|",
    ];
    for (let i = 0; i < 300; i++) {
      const chars = original.split("");
      for (let k = 0, edits = 1 + rand(4); k < edits; k++) {
        const at = rand(chars.length);
        const op = rand(3);
        if (op === 0) chars.splice(at, 1 + rand(5));
        else if (op === 1) chars.splice(at, 0, pieces[rand(pieces.length)]!);
        else chars[at] = pieces[rand(pieces.length)]!;
      }
      writeFileSync(join(dir, "concord.yaml"), chars.join(""));
      try {
        loadManifest(dir, vocab);
      } catch (e) {
        assert.ok(e instanceof InputError, `mutation ${i} threw ${String(e)}`);
        for (const p of e.problems)
          assert.ok(p.file.endsWith("concord.yaml") || p.file.includes("evidence"), p.file);
      }
    }
  });
});
