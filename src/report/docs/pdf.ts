// HTML to PDF through Chromium's own print path (playwright-core drives an installed Chromium; no
// browser is downloaded). The page is loaded with every network request refused, so a document can
// only ever show what it carries. Chromium stamps the PDF with the time it was made; that stamp is
// overwritten in place with the assessment's as-of date, so the same inputs give the same bytes.
import { existsSync } from "node:fs";

export const DEFAULT_CHROMIUM = "/usr/bin/chromium";

/** The launch flags the browser tests use: no sandbox (containers), no GPU, no background traffic. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function chromiumPath(explicit?: string): string {
  return explicit ?? process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM;
}

export async function htmlToPdf(
  html: string,
  asOf: string,
  executablePath = chromiumPath(),
): Promise<Buffer> {
  if (!existsSync(executablePath))
    throw new Error(
      `Chromium not found at ${executablePath}: install it (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  // Loaded here, not at the top: every other command would pay half a second to load it.
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath,
    args: CHROMIUM_ARGS,
    // UTC so the time-zone part of the stamp has a fixed width and value.
    env: { ...process.env, TZ: "UTC" },
    timeout: 60_000,
  });
  try {
    const page = await browser.newPage();
    await page.route("**/*", (route) => route.abort());
    await page.setContent(html, { waitUntil: "load", timeout: 30_000 });
    const pdf = await page.pdf({ format: "A4", printBackground: true, preferCSSPageSize: true });
    return stampDate(Buffer.from(pdf), asOf);
  } finally {
    await browser.close();
  }
}

/**
 * Replace the digits of /CreationDate and /ModDate (D:YYYYMMDDHHmmSS) with the as-of date at
 * midnight. Same length, so the cross-reference offsets stay valid.
 */
export function stampDate(pdf: Buffer, asOf: string): Buffer {
  const day = asOf.replace(/-/g, "").padEnd(8, "01").slice(0, 8);
  const text = pdf.toString("latin1");
  const fixed = text.replace(
    /\/(CreationDate|ModDate)\s*\(D:\d{14}/g,
    (m) => `${m.slice(0, -14)}${day}000000`,
  );
  return Buffer.from(fixed, "latin1");
}
