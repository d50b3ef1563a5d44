/// <reference lib="dom" />
// The HTML report as a person sees it: rendered by a real Chromium, checked through the DOM, and
// screenshotted. CI installs Debian's chromium; elsewhere set CHROMIUM_PATH or install it.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import { chromium, type Browser } from "playwright-core";
import { assess } from "../src/assess/run.js";
import { renderHtml } from "../src/report/html.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

describe("HTML report in Chromium", () => {
  let browser: Browser;
  let url: string;
  let verdicts = 0;
  const dir = mkdtempSync(join(tmpdir(), "concord-html-"));

  before(async () => {
    assert.ok(
      existsSync(CHROMIUM),
      `Chromium not found at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`,
    );
    const a = await assess("examples/smart-camera", {
      asOf: "2026-11-25",
      now: new Date("2026-11-25T09:00:00Z"),
    });
    verdicts = a.verdicts.length;
    const file = join(dir, "assessment.html");
    writeFileSync(file, renderHtml(a));
    url = pathToFileURL(file).href;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  });
  after(async () => {
    await browser?.close();
  });

  it("shows the market table, the heatmap and the blockers, and makes no request", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(url);
    const markets = await page.$$eval("#markets tr", (rows) =>
      rows.slice(1).map((r) => (r.querySelector("td") as HTMLElement).innerText),
    );
    assert.deepEqual(markets, ["EU", "UK", "US", "SG"]);
    const ukStatus = await page.$eval("#markets tr:nth-child(3) .badge", (b) => (b as HTMLElement).innerText);
    assert.equal(ukStatus, "blocked");
    assert.equal(await page.$$eval("table.heat tr", (rows) => rows.length - 1), verdicts);
    const red = await page.$eval("table.heat td.bad", (td) => getComputedStyle(td).backgroundColor);
    assert.equal(red, "rgb(251, 217, 217)");
    assert.ok(await page.isVisible("h3:has-text('UK PSTI')"));
    assert.deepEqual(requests, [url], "a self-contained report loads nothing else");
    const shot = join(dir, "report.png");
    await page.screenshot({ path: shot, fullPage: false });
    assert.ok(statSync(shot).size > 20_000, "the screenshot has content");
    await page.close();
  });

  it("opens the failing requirements' details and links heatmap rows to them", async () => {
    const page = await browser.newPage();
    await page.goto(url);
    assert.equal(await page.$eval("details#UPD-08", (d) => (d as HTMLDetailsElement).open), true);
    assert.equal(await page.$eval("details#DATA-01", (d) => (d as HTMLDetailsElement).open), false);
    await page.click("table.heat a[href='#UPD-08']");
    assert.ok(page.url().endsWith("#UPD-08"));
    assert.match(
      await page.$eval("details#UPD-08", (d) => (d as HTMLElement).innerText),
      /The maker declares no defined support period for security updates\./,
    );
    await page.close();
  });
});
