// Malformed SBOMs: each problem names the file, the record (JSON path, element path or line), the
// field and the position; a bad record is dropped or trimmed and the rest kept; a syntax error
// stops the reading where it is and keeps the components read before it. A mutation loop over
// every fixture checks that nothing but the readers' own problems ever comes out.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

import { parseSbom, type SbomProblem, type SbomResult } from "../../src/collect/sbom/index.js";
import { parseVex } from "../../src/collect/vex/index.js";
import { formatProblem } from "../../src/util/problems.js";

const show = (p: SbomProblem) =>
  `${p.line}:${p.col} ${p.field ?? "-"} ${p.fatal ? "FATAL " : ""}${p.message}`;
const names = (r: SbomResult) =>
  r.components.map((c) => `${c.name}@${c.version}${c.purl ? ` ${c.purl}` : ""}${c.cpe ? ` ${c.cpe}` : ""}`);

describe("malformed CycloneDX JSON", () => {
  it("truncated: the exact position, the record it was in, and the components before it kept", () => {
    const doc = [
      "{",
      '  "bomFormat": "CycloneDX",',
      '  "specVersion": "1.6",',
      '  "components": [',
      '    { "type": "library", "name": "zlib", "version": "1.2.13" },',
      '    { "type": "library", "name": "openssl", "vers',
    ].join("\n");
    const r = parseSbom(doc, "fw.cdx.json");
    assert.deepEqual(names(r), ["zlib@1.2.13"]);
    assert.deepEqual(r.problems.map(show), [
      "6:50 - FATAL $.components[1]: unexpected end of input inside a string; reading stopped, what came before is kept",
    ]);
    assert.equal(
      formatProblem(r.problems[0]!),
      "fw.cdx.json:6:50: $.components[1]: unexpected end of input inside a string; reading stopped, what came before is kept",
    );
    assert.equal(r.document?.format, "cyclonedx-json");

    const cut = parseSbom(
      '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"name": "a", "version": "1"},',
      "x.json",
    );
    assert.deepEqual(cut.problems.map(show), [
      "1:95 - FATAL $.components[0]: unexpected end of input: the array opened at 1:64 is not closed; reading stopped, what came before is kept",
    ]);
    assert.deepEqual(names(cut), ["a@1"]);
  });

  it("an unknown spec version is reported at its place and the document still read", () => {
    const r = parseSbom(
      '{"bomFormat": "CycloneDX", "specVersion": "2.0", "components": [{"type": "library", "name": "a", "version": "1"}]}',
      "x.json",
    );
    assert.deepEqual(names(r), ["a@1"]);
    assert.deepEqual(r.problems.map(show), [
      '1:43 specVersion $.specVersion: specVersion "2.0" is not one Concord reads (1.4, 1.5, 1.6); read as 1.6',
    ]);
  });

  it("a component without a name is skipped, the others kept", () => {
    const r = parseSbom(
      [
        "{",
        '  "bomFormat": "CycloneDX",',
        '  "specVersion": "1.5",',
        '  "components": [',
        '    { "type": "library", "name": "zlib", "version": "1.2.13" },',
        '    { "type": "library", "version": "9.9", "purl": "pkg:generic/anon@9.9" },',
        '    { "type": "library", "name": "busybox", "version": "1.36.1" }',
        "  ]",
        "}",
      ].join("\n"),
      "x.json",
    );
    assert.deepEqual(names(r), ["zlib@1.2.13", "busybox@1.36.1"]);
    assert.deepEqual(r.problems.map(show), ["6:5 name $.components[1]: component has no name; skipped"]);
  });

  it("a bogus purl or CPE is left out and the component kept; wrong types are named", () => {
    const r = parseSbom(
      [
        "{",
        '  "bomFormat": "CycloneDX",',
        '  "specVersion": "1.6",',
        '  "components": [',
        '    { "type": "library", "name": "zlib", "version": "1.2.13",',
        '      "purl": "zlib@1.2.13",',
        '      "cpe": "cpe:2.3:a:zlib" },',
        '    { "type": "library", "name": 42, "version": 1.5 },',
        '    { "type": "library", "name": "ok", "version": 1.5, "hashes": [{"alg": "SHA-256"}] }',
        "  ]",
        "}",
      ].join("\n"),
      "x.json",
    );
    assert.deepEqual(names(r), ["zlib@1.2.13", "ok@1.5"]);
    assert.deepEqual(r.problems.map(show), [
      '6:15 purl $.components[0].purl: component zlib: purl "zlib@1.2.13" is not a valid package URL; left out',
      '7:14 cpe $.components[0].cpe: component zlib: cpe "cpe:2.3:a:zlib" is not a valid CPE name; left out',
      "8:34 name $.components[1].name: component name 42 is not a string; skipped",
      "9:67 hashes $.components[2].hashes[0]: component ok: a hash needs alg and content; ignored",
      '9:51 version $.components[2].version: component ok: version is a number, not a string; read as "1.5"',
    ]);
  });

  it("components that are not an array, a root that is not an object, and JSON that is neither format", () => {
    assert.deepEqual(
      parseSbom(
        '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": {"name": "x"}}',
        "x",
      ).problems.map(show),
      ["1:64 components $.components: components must be an array, found an object; ignored"],
    );
    assert.deepEqual(parseSbom("[1, 2]", "x").problems.map(show), [
      "1:1 - FATAL $: an SBOM must be a JSON object, found an array",
    ]);
    assert.deepEqual(
      parseSbom(
        '{"@context": "https://spdx.org/rdf/3.0.0/spdx-context.jsonld", "@graph": []}',
        "x",
      ).problems.map(show),
      [
        "1:1 - FATAL $: neither a CycloneDX document (bomFormat, components) nor an SPDX document (spdxVersion, packages)",
      ],
    );
  });
});

describe("malformed SPDX", () => {
  it("JSON: a package without a name, a bogus purl in externalRefs, an unknown spdxVersion", () => {
    const r = parseSbom(
      [
        '{"spdxVersion": "SPDX-3.0", "packages": [',
        '  {"SPDXID": "SPDXRef-1", "versionInfo": "1"},',
        '  {"name": "b", "SPDXID": "SPDXRef-2", "externalRefs": [{"referenceCategory": "PACKAGE_MANAGER", "referenceType": "purl", "referenceLocator": "pkg:"}]}',
        "]}",
      ].join("\n"),
      "x.spdx.json",
    );
    assert.deepEqual(names(r), ["b@"]);
    assert.deepEqual(r.problems.map(show), [
      "2:3 name $.packages[0]: package has no name; skipped",
      '3:57 externalRefs purl $.packages[1].externalRefs[0].referenceLocator: package b: externalRefs purl "pkg:" is not a valid package URL; left out',
      '1:17 spdxVersion $.spdxVersion: spdxVersion "SPDX-3.0" is not one Concord reads (SPDX-2.2, SPDX-2.3); read as SPDX-2.3',
    ]);
  });

  it("tag-value: lines without a tag, bad references and checksums, an empty name, an unclosed <text>", () => {
    const r = parseSbom(
      [
        "SPDXVersion: SPDX-2.3",
        "DocumentName: x",
        "this line has no tag",
        "PackageName: a",
        "PackageVersion: 1",
        "ExternalRef: PACKAGE-MANAGER purl not-a-purl",
        "ExternalRef: SECURITY cpe23Type",
        "PackageChecksum: SHA256",
        "PackageName:",
        "PackageName: b",
        "PackageDescription: <text>never",
        "closed",
      ].join("\n"),
      "x.spdx",
    );
    assert.deepEqual(names(r), ["a@1", "b@"]);
    assert.deepEqual(r.problems.map(show), [
      '3:1 - line 3: expected "Tag: value", found "this line has no tag"; line ignored',
      '7:1 ExternalRef line 7: package a: ExternalRef "SECURITY cpe23Type" needs a category, a type and a locator; ignored',
      '8:1 PackageChecksum line 8: package a: PackageChecksum "SHA256" is not "ALG: value"; ignored',
      '6:1 ExternalRef purl line 6: package a: ExternalRef purl "not-a-purl" is not a valid package URL; left out',
      "9:1 PackageName line 9: package has an empty PackageName; skipped",
      "11:1 PackageDescription FATAL line 11: PackageDescription: <text> is not closed by </text> before the end of the file",
    ]);
  });
});

describe("malformed CycloneDX XML", () => {
  it("a mismatched closing tag stops the reading at its position; earlier components are kept", () => {
    const r = parseSbom(
      [
        '<?xml version="1.0"?>',
        '<bom xmlns="http://cyclonedx.org/schema/bom/1.6">',
        "  <components>",
        '    <component type="library"><name>zlib</name><version>1.2.13</version></component>',
        '    <component type="library"><name>openssl</version></component>',
        "  </components>",
        "</bom>",
      ].join("\n"),
      "x.xml",
    );
    assert.deepEqual(names(r), ["zlib@1.2.13"]);
    assert.deepEqual(r.problems.map(show), [
      "5:44 - FATAL /bom/components/component/name: closing tag </version> does not match <name> opened at 5:31; reading stopped, what came before is kept",
    ]);
  });

  it("unknown entities, truncation, other roots and old namespaces", () => {
    const t = (s: string) => parseSbom(s, "x.xml").problems.map(show);
    assert.deepEqual(
      t(
        '<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components><component type="library"><name>a&nbsp;b</name></component></components></bom>',
      ),
      [
        "1:95 - FATAL /bom/components/component/name: unknown entity &nbsp;; reading stopped, what came before is kept",
      ],
    );
    assert.deepEqual(t('<bom xmlns="http://cyclonedx.org/schema/bom/1.6">\n  <components>\n    <compo'), [
      "3:11 - FATAL /bom/components: unexpected end of input inside a tag; reading stopped, what came before is kept",
    ]);
    assert.deepEqual(t('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>'), [
      '1:1 - FATAL /RDF: the root element <rdf:RDF> in namespace "http://www.w3.org/1999/02/22-rdf-syntax-ns#" is not a CycloneDX bom (SPDX RDF/XML is not read); reading stopped, what came before is kept',
    ]);
    assert.deepEqual(
      t(
        '<bom xmlns="http://cyclonedx.org/schema/bom/1.3"><components><component type="library"><version>1</version></component></components></bom>',
      ),
      [
        "1:62 name /bom/components/component[1]: component has no name; skipped",
        "1:1 xmlns /bom: CycloneDX namespace version 1.3 is not one Concord reads (1.4, 1.5, 1.6); read as 1.6",
      ],
    );
  });
});

describe("not an SBOM", () => {
  it("text, an empty file", () => {
    assert.deepEqual(parseSbom("hello world\nthis is not an SBOM\n", "x").problems.map(show), [
      '1:1 - FATAL not a recognised SBOM: expected CycloneDX JSON or XML, SPDX JSON or SPDX tag-value, found "hello world\\nthis is not an SBOM\\n"',
    ]);
    assert.deepEqual(parseSbom("  \n", "x").problems.map(show), ["1:1 - FATAL the file is empty"]);
  });
});

// ---------------------------------------------------------------------------------------------

/** A small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOISE = [
  '"',
  "{",
  "}",
  "[",
  "]",
  ",",
  ":",
  "<",
  ">",
  "/",
  "&",
  "\n",
  "\\",
  "0",
  "-",
  "x",
  "é",
  "\u0000",
  "<text>",
  "</text>",
];

function mutate(s: string, r: () => number): string {
  const at = Math.floor(r() * s.length);
  const len = 1 + Math.floor(r() * 40);
  switch (Math.floor(r() * 6)) {
    case 0:
      return s.slice(0, at); // truncate
    case 1:
      return s.slice(0, at) + s.slice(at + len); // delete
    case 2:
      return s.slice(0, at) + NOISE[Math.floor(r() * NOISE.length)]! + s.slice(at); // insert
    case 3:
      return s.slice(0, at) + s.slice(at, at + len) + s.slice(at); // duplicate
    case 4: {
      const b = Math.floor(r() * s.length);
      return s.slice(0, at) + s.slice(b, b + len) + s.slice(at + len); // splice from elsewhere
    }
    default:
      return s.slice(0, at) + NOISE[Math.floor(r() * NOISE.length)]! + s.slice(at + 1); // replace
  }
}

describe("mutation loop", () => {
  it("mutated fixtures give components and problems, never an exception", () => {
    const dirs = ["fixtures", "../vex/fixtures"].map((d) => new URL(`${d}/`, import.meta.url));
    const files = dirs.flatMap((d) => readdirSync(d).map((f) => fileURLToPath(new URL(f, d))));
    assert.ok(files.length >= 12);
    const r = rng(20250314);
    let runs = 0;
    let withProblems = 0;
    for (const f of files) {
      const original = readFileSync(f, "utf8");
      for (let k = 0; k < 150; k++) {
        let s = original;
        const n = 1 + Math.floor(r() * 3);
        for (let m = 0; m < n; m++) s = mutate(s, r);
        const sbom = parseSbom(s, f);
        const vex = parseVex(s, f);
        for (const p of [...sbom.problems, ...vex.problems]) {
          assert.equal(typeof p.message, "string");
          assert.ok(p.line === undefined || p.line >= 1, `${f}: ${p.message}`);
        }
        for (const c of sbom.components) assert.ok(c.name.length > 0);
        if (sbom.problems.length) withProblems++;
        runs++;
      }
    }
    assert.equal(runs, files.length * 150);
    assert.ok(withProblems > runs / 4, `${withProblems} of ${runs} mutations were reported`);
  });
});
