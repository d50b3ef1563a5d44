/// <reference lib="dom" />
// A manifest written to break out of every document: markup, quotes, Markdown syntax and
// javascript: links in every free-text field that reaches a document. Each HTML document must show
// the text literally and run nothing (checked in Chromium); each Markdown document must keep it as
// text and keep its tables' shape.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import { assess, vocabularyOf } from "../../src/assess/run.js";
import { loadCatalog } from "../../src/catalog/load.js";
import { loadManifest } from "../../src/manifest/load.js";
import { DOC_KINDS, writeDocs } from "../../src/report/docs/index.js";
import { launch, open } from "./browser.js";

const NAME = `<script>alert("name")</script> & | *bold* [x](javascript:alert(1))`;
const MANIFEST = `concord: 1
product:
  name: ${JSON.stringify(NAME)}
  maker:
    name: "<img src=x onerror=alert(2)>"
    country: GB
    url: "https://evil.example/?q=<script>alert(6)</script>"
  model: "\\"><svg onload=alert(3)>"
  version: "1.0 <!--"
  category: "cam</title><script>alert(4)</script>"
  description: "</style><script>alert(5)</script>"
markets: [UK, EU]
support:
  until: "2030-01-01"
  publishedAt: "https://evil.example/a'b"
disclosure:
  contact: "mailto:x@evil.example?subject=<script>alert(7)</script>"
  policy: "https://evil.example/policy"
artifacts:
  cloud:
    - url: "https://evil.example/<script>"
      purpose: "<iframe src=javascript:alert(8)>"
attestations:
  - provision: "etsi-en-303-645:5.3-13"
    statement: "a | b <script>alert(9)</script> **x** \`code\`"
    evidence: [evidence.md]
    by: { name: "<b>Mallory</b>", role: "<i>CISO</i>" }
    date: "2026-10-01"
`;

/** Markup that would run or load something if it reached the page unescaped. */
const ACTIVE = /<(script|img|svg|iframe|style\b[^>]*>[^<]*<\/style><script)\b|<!--|href="javascript:/i;

describe("documents from a hostile manifest", () => {
  let browser: Browser;
  let dir = "";

  before(async () => {
    const src = mkdtempSync(join(tmpdir(), "concord-docs-hostile-"));
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, "concord.yaml"), MANIFEST);
    writeFileSync(join(src, "evidence.md"), "# evidence\n");
    const catalog = loadCatalog();
    const assessment = await assess(src, {
      catalog,
      asOf: "2026-11-25",
      now: new Date("2026-11-25T09:00:00Z"),
    });
    const m = loadManifest(src, vocabularyOf(catalog)).manifest.product;
    dir = join(src, "out");
    await writeDocs(
      DOC_KINDS,
      {
        assessment,
        catalog,
        manifest: { makerCountry: m.maker.country, makerUrl: m.maker.url, description: m.description },
      },
      dir,
    );
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  for (const kind of DOC_KINDS) {
    it(`${kind}.html shows the text literally and runs nothing`, async () => {
      const file = join(dir, `${kind}.html`);
      const html = readFileSync(file, "utf8");
      assert.doesNotMatch(html, ACTIVE);
      assert.ok(html.includes("&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;"));
      const { page, requests, dialogs } = await open(browser, pathToFileURL(file).href);
      assert.equal(await page.evaluate(() => document.scripts.length), 0);
      assert.equal(await page.evaluate(() => document.querySelectorAll("img,svg,iframe").length), 0);
      const head = `${await page.innerText("h1")}\n${await page.innerText(".meta")}`;
      assert.ok(head.includes(NAME), `the heading shows the name as typed: ${head}`);
      assert.ok((await page.title()).includes(NAME));
      assert.ok(
        (await page.innerText("body")).includes("<img src=x onerror=alert(2)>"),
        "maker shown as text",
      );
      const hrefs = await page.$$eval("a", (as) => as.map((x) => x.getAttribute("href") ?? ""));
      for (const h of hrefs) assert.match(h, /^(https?:|mailto:)/, `only web and mail links: ${h}`);
      assert.deepEqual(dialogs, []);
      assert.deepEqual(requests, [pathToFileURL(file).href]);
      await page.close();
    });
  }

  for (const kind of DOC_KINDS.filter((k) => k !== "fact-sheet")) {
    it(`${kind}.md escapes the markup and keeps every table row's shape`, () => {
      const text = readFileSync(join(dir, `${kind}.md`), "utf8");
      assert.doesNotMatch(text, /(?<!\\)<(script|img|svg|iframe)\b/i, "every < is backslash-escaped");
      assert.ok(
        text.includes(
          '\\<script\\>alert("name")\\</script\\> \\& \\| \\*bold\\* \\[x\\](javascript:alert(1))',
        ),
      );
      // A table's rows have as many unescaped pipes as its header.
      const lines = text.split("\n");
      for (let i = 0; i < lines.length; i++) {
        if (!lines[i]!.startsWith("| ") || !lines[i + 1]?.startsWith("| ---")) continue;
        const pipes = (l: string) => (l.match(/(?<!\\)\|/g) ?? []).length;
        const want = pipes(lines[i]!);
        for (let j = i + 2; j < lines.length && lines[j]!.startsWith("|"); j++)
          assert.equal(pipes(lines[j]!), want, `${kind}.md line ${j + 1}: ${lines[j]}`);
      }
    });
  }

  it("the EN 303 645 statement carries the attested text, escaped, in the 5.3-13 row", () => {
    const md = readFileSync(join(dir, "etsi-ics.md"), "utf8");
    const row = md.split("\n").find((l) => l.startsWith("| 5.3-13 "));
    assert.ok(row);
    assert.ok(row.includes("a \\| b \\<script\\>alert(9)\\</script\\> \\*\\*x\\*\\* \\`code\\`"), row);
    assert.ok(row.includes("| Yes |"), row);
    assert.ok(row.includes("\\<b\\>Mallory\\</b\\> (\\<i\\>CISO\\</i\\>) attests"), row);
  });

  it("the attester's name stays text in the HTML statement too", async () => {
    const file = join(dir, "etsi-ics.html");
    const { page } = await open(browser, pathToFileURL(file).href);
    const why = await page.$eval(
      "#ics tr[data-provision='5.3-13'] td:last-child",
      (td) => (td as HTMLElement).innerText,
    );
    assert.match(
      why,
      /^<b>Mallory<\/b> \(<i>CISO<\/i>\) attests etsi-en-303-645:5\.3-13 on 2026-10-01: a \| b <script>alert\(9\)<\/script>/,
    );
    await page.close();
  });
});
