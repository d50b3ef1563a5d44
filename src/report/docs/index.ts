// The paperwork each market wants, generated from one assessment: `renderDoc` makes one document,
// `writeDocs` writes the chosen ones (HTML, Markdown where it helps, the fact sheet as PDF on request).
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { renderCraAnnexVii } from "./cra-annex-vii.js";
import { renderEtsiIcs } from "./etsi-ics.js";
import { renderEuDoc } from "./eu-doc.js";
import { renderFactSheet } from "./fact-sheet.js";
import { htmlToPdf } from "./pdf.js";
import { renderPstiStatement } from "./psti-statement.js";
import { DOC_KINDS, type DocInput, type DocKind, type RenderedDoc } from "./types.js";

export { DOC_KINDS, type DocInput, type DocKind, type ManifestFacts, type RenderedDoc } from "./types.js";

const RENDER: Record<DocKind, (input: DocInput) => RenderedDoc> = {
  "psti-statement": renderPstiStatement,
  "eu-doc": renderEuDoc,
  "cra-annex-vii": renderCraAnnexVii,
  "etsi-ics": renderEtsiIcs,
  "fact-sheet": renderFactSheet,
};

/** The market a document is for; `all` writes a document only when the product is sold there. */
const MARKET: Partial<Record<DocKind, string>> = {
  "psti-statement": "UK",
  "eu-doc": "EU",
  "cra-annex-vii": "EU",
};

/** The catalog regime each document is built from (the fact sheet reads only verdicts and evidence). */
export const DOC_REGIME: Partial<Record<DocKind, string>> = {
  "psti-statement": "uk-psti",
  "eu-doc": "eu-cra",
  "cra-annex-vii": "eu-cra",
  "etsi-ics": "etsi-en-303-645",
};

export function renderDoc(kind: DocKind, input: DocInput): RenderedDoc {
  return RENDER[kind](input);
}

/**
 * The kinds `all` stands for: the UK statement when the product is sold in the UK, the EU pair when
 * it is sold in the EU, and always the EN 303 645 statement and the fact sheet.
 */
export function kindsForAll(markets: string[]): DocKind[] {
  return DOC_KINDS.filter((k) => {
    const m = MARKET[k];
    return m === undefined || markets.includes(m);
  });
}

export interface WriteOptions {
  /** Also print the fact sheet to PDF. */
  pdf?: boolean;
  chromium?: string;
}

export interface Written {
  doc: RenderedDoc;
  files: string[];
}

export async function writeDocs(
  kinds: readonly DocKind[],
  input: DocInput,
  dir: string,
  opts: WriteOptions = {},
): Promise<Written[]> {
  await mkdir(dir, { recursive: true });
  const out: Written[] = [];
  for (const kind of kinds) {
    const doc = renderDoc(kind, input);
    const files: string[] = [];
    const put = async (name: string, data: string | Buffer) => {
      const path = join(dir, name);
      await writeFile(path, data);
      files.push(path);
    };
    await put(`${kind}.html`, doc.html);
    if (doc.markdown !== undefined) await put(`${kind}.md`, doc.markdown);
    if (kind === "fact-sheet" && opts.pdf)
      await put(`${kind}.pdf`, await htmlToPdf(doc.html, input.assessment.asOf, opts.chromium));
    out.push({ doc, files });
  }
  return out;
}
