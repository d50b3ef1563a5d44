/// <reference lib="dom" />
// Shared by the document tests: one real Chromium (Debian's, as in CI; elsewhere set CHROMIUM_PATH),
// launched with the flags the HTML report test uses, and a page loader that records every request
// so a test can prove a document loads nothing but itself.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM_ARGS, chromiumPath } from "../../src/report/docs/pdf.js";

export const CHROMIUM = chromiumPath();

export async function launch(): Promise<Browser> {
  assert.ok(
    existsSync(CHROMIUM),
    `Chromium not found at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`,
  );
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface Loaded {
  page: Page;
  requests: string[];
  dialogs: string[];
}

export async function open(browser: Browser, url: string): Promise<Loaded> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(url);
  return { page, requests, dialogs };
}

/** Rows of a table keyed by data-provision: [id, the text of the named cells]. */
export async function provisionRows(
  page: Page,
  table: string,
  cells: string[],
): Promise<Record<string, string[]>> {
  return page.$$eval(
    `${table} tr[data-provision]`,
    (rows, sel) =>
      Object.fromEntries(
        rows.map((r) => [
          r.getAttribute("data-provision") ?? "",
          sel.map((s) => (r.querySelector<HTMLElement>(s)?.innerText ?? "").trim()),
        ]),
      ),
    cells,
  );
}

/** The fact sheet's rows: data-fact id to the text of its value. */
export async function factRows(page: Page): Promise<Record<string, string>> {
  return page.$$eval("[data-fact]", (rows) =>
    Object.fromEntries(
      rows.map((r) => [
        r.getAttribute("data-fact") ?? "",
        (r.querySelector<HTMLElement>(".v")?.innerText ?? "").trim(),
      ]),
    ),
  );
}
