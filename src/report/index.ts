// Write the chosen report formats for one assessment.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Assessment } from "../assess/types.js";
import type { Check } from "../checks/types.js";
import { renderHtml } from "./html.js";
import { renderJson } from "./json.js";
import { renderMarkdown } from "./markdown.js";
import { renderOscal } from "./oscal.js";
import { renderSarif } from "./sarif.js";
import { renderVex } from "./vex.js";

export const FORMATS = ["html", "json", "sarif", "oscal", "md", "vex"] as const;
export type Format = (typeof FORMATS)[number];

const FILE: Record<Format, string> = {
  html: "assessment.html",
  json: "assessment.json",
  sarif: "assessment.sarif",
  oscal: "assessment-results.oscal.json",
  md: "assessment.md",
  vex: "assessment.vex.cdx.json",
};

export function render(format: Format, a: Assessment, checks: readonly Check[]): string {
  switch (format) {
    case "html":
      return renderHtml(a);
    case "json":
      return renderJson(a);
    case "sarif":
      return renderSarif(a, checks);
    case "oscal":
      return renderOscal(a);
    case "md":
      return renderMarkdown(a);
    case "vex":
      return renderVex(a);
  }
}

export async function writeReports(
  a: Assessment,
  dir: string,
  formats: readonly Format[],
  checks: readonly Check[],
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const f of formats) {
    const path = join(dir, FILE[f]);
    await writeFile(path, render(f, a, checks));
    written.push(path);
  }
  return written;
}
