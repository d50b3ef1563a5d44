// The document layer without a browser: determinism, escaping, the ICS status column, which kinds
// `all` writes, the PDF date stamp, and `concord docs` as a user runs it (exit codes and files).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { assess } from "../../src/assess/run.js";
import { loadCatalog } from "../../src/catalog/load.js";
import { parseKinds } from "../../src/cli/docs.js";
import { conditionNumbers, icsStatus } from "../../src/report/docs/etsi-ics.js";
import { DOC_KINDS, kindsForAll, renderDoc } from "../../src/report/docs/index.js";
import { esc, md } from "../../src/report/docs/layout.js";
import { stampDate } from "../../src/report/docs/pdf.js";

function concord(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const tmp = () => mkdtempSync(join(tmpdir(), "concord-docs-cli-"));

describe("documents", () => {
  it("are the same bytes for the same inputs, whenever they are made", async () => {
    const catalog = loadCatalog();
    const run = (now: string) =>
      assess("examples/thermostat", { catalog, asOf: "2026-11-25", now: new Date(now) });
    const [a, b] = [await run("2026-11-25T09:00:00Z"), await run("2031-01-02T23:59:59Z")];
    assert.notEqual(a.generatedAt, b.generatedAt);
    for (const kind of DOC_KINDS) {
      const x = renderDoc(kind, { assessment: a, catalog });
      const y = renderDoc(kind, { assessment: b, catalog });
      assert.equal(x.html, y.html, kind);
      assert.equal(x.markdown, y.markdown, kind);
      assert.ok(!x.html.includes("2026-11-25T09"), `${kind} carries no timestamp`);
    }
  });

  it("escape HTML in text and attributes", () => {
    assert.equal(
      esc(`<a href="x" onclick='y'>&</a>`),
      "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
    );
  });

  it("escape Markdown so a value cannot add markup, a table cell or a line", () => {
    assert.equal(
      md("*a* _b_ `c` [d](e) <f> | g # h ~i~ & j! {k}"),
      "\\*a\\* \\_b\\_ \\`c\\` \\[d\\](e) \\<f\\> \\| g \\# h \\~i\\~ \\& j\\! \\{k\\}",
    );
    assert.equal(md("one\n\n# two\r\nthree"), "one \\# two three");
    assert.equal(md("back\\slash"), "back\\\\slash");
    assert.equal(md("Brightwave Thermostat T3, 5.2.0"), "Brightwave Thermostat T3, 5.2.0");
  });
});

describe("ICS status column", () => {
  const numbers = conditionNumbers(loadCatalog());

  it("numbers the Table B.1 conditions from the baseline, with 5 as 'not constrained'", () => {
    assert.equal(numbers.get("uses-passwords"), 1);
    assert.equal(numbers.get("constrained"), 4);
    assert.equal(numbers.get("!constrained"), 5);
    assert.equal(numbers.get("debug-interface"), 13);
    assert.equal(numbers.get("personal-data"), undefined);
  });

  it("writes M or R, then C and the condition numbers", () => {
    assert.equal(icsStatus("mandatory", undefined, numbers), "M");
    assert.equal(icsStatus("recommended", [], numbers), "R");
    assert.equal(icsStatus("mandatory", ["network-updates", "update-mechanism"], numbers), "M C (11, 12)");
    assert.equal(icsStatus("recommended", ["!constrained"], numbers), "R C (5)");
    assert.equal(icsStatus("mandatory", ["video-surveillance"], numbers), "M C (video-surveillance)");
  });
});

describe("which documents", () => {
  it("`all` writes a market's declarations only where the product is sold", () => {
    assert.deepEqual(kindsForAll(["UK", "US", "AU", "SG"]), ["psti-statement", "etsi-ics", "fact-sheet"]);
    assert.deepEqual(kindsForAll(["EU"]), ["eu-doc", "cra-annex-vii", "etsi-ics", "fact-sheet"]);
  });

  it("kinds are named one at a time, as a list, or all; an unknown kind is a usage error", () => {
    assert.equal(parseKinds("all"), "all");
    assert.deepEqual(parseKinds("eu-doc, fact-sheet,eu-doc"), ["eu-doc", "fact-sheet"]);
    assert.throws(() => parseKinds("doc"), /unknown document kind "doc"; choose from psti-statement, eu-doc/);
  });
});

describe("PDF date stamp", () => {
  it("overwrites the creation and modification times with the as-of date, same length", () => {
    const pdf = Buffer.from(
      "%PDF-1.4\n<</CreationDate (D:20311231235959+00'00') /ModDate (D:20311231235959+00'00')>>\n%%EOF\n",
      "latin1",
    );
    const out = stampDate(pdf, "2026-11-25");
    assert.equal(out.length, pdf.length);
    assert.equal(
      out.toString("latin1"),
      "%PDF-1.4\n<</CreationDate (D:20261125000000+00'00') /ModDate (D:20261125000000+00'00')>>\n%%EOF\n",
    );
    assert.match(stampDate(pdf, "2026-11").toString("latin1"), /D:20261101000000/);
  });
});

describe("concord docs", () => {
  it("all for the thermostat writes the UK statement, the ICS and the fact sheet, and exits 0", () => {
    const dir = tmp();
    const r = concord("docs", "all", "examples/thermostat", "--output", dir, "--as-of", "2026-11-25");
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(readdirSync(dir).sort(), [
      "etsi-ics.html",
      "etsi-ics.md",
      "fact-sheet.html",
      "psti-statement.html",
      "psti-statement.md",
    ]);
    assert.match(r.out, /^UK PSTI statement of compliance: .*psti-statement\.html, .*psti-statement\.md$/m);
    assert.equal(r.err, "");
  });

  it("eu-doc for the blocked camera writes a NOT VALID declaration and exits 1", () => {
    const dir = tmp();
    const r = concord("docs", "eu-doc", "examples/smart-camera", "-o", dir, "--as-of", "2026-11-25", "-q");
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /^concord: eu-doc: the assessment does not support a claim of conformity with EU CRA: 15 mandatory provision\(s\) not met \(AnnexI\.PI\.2a, /m,
    );
    assert.match(r.err, /the document is marked NOT VALID \(pass --draft to accept a draft\)$/m);
    assert.match(readFileSync(join(dir, "eu-doc.html"), "utf8"), /id="claim-warning">NOT VALID/);
    assert.equal(r.out, "");
  });

  it("--draft marks the declaration as a draft and exits 0", () => {
    const dir = tmp();
    const r = concord(
      "docs",
      "eu-doc,psti-statement",
      "examples/smart-camera",
      "-o",
      dir,
      "--as-of",
      "2026-11-25",
      "--draft",
    );
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /eu-doc: .* \(written as a draft\)/);
    assert.match(r.err, /psti-statement: .* \(written as a draft\)/);
    for (const f of ["eu-doc.html", "psti-statement.html"])
      assert.match(readFileSync(join(dir, f), "utf8"), /id="draft-note">Draft for review/);
  });

  it("an unknown kind or a bad date is a usage error (exit 2) and writes nothing", () => {
    const dir = join(tmp(), "out");
    const r = concord("docs", "declaration", "examples/thermostat", "-o", dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown document kind "declaration"/);
    const d = concord("docs", "fact-sheet", "examples/thermostat", "-o", dir, "--as-of", "25/11/2026");
    assert.equal(d.code, 2);
    assert.match(d.err, /--as-of "25\/11\/2026" is not a date/);
    const c = concord(
      "docs",
      "fact-sheet",
      "examples/thermostat",
      "-o",
      dir,
      "--pdf",
      "--chromium",
      "/nonexistent/chromium",
    );
    assert.equal(c.code, 2);
    assert.match(c.err, /--pdf needs Chromium, not found at \/nonexistent\/chromium/);
    assert.equal(existsSync(dir), false);
  });
});
