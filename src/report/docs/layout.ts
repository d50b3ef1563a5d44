// What every generated document shares: escaping for HTML and Markdown, the page shell and its
// print styles, the "to be completed by the manufacturer" marker, status badges and the footer that
// says where the document came from. Documents are self-contained (no scripts, no external assets)
// and deterministic: the only date in them is the assessment's as-of date.
import type { Assessment, VerdictStatus } from "../../assess/types.js";
import { VERDICT_WORD } from "../labels.js";
import { esc, STATUS_CLASS } from "../html.js";

export { esc };

/**
 * Escape text for Markdown: every character that could start markup (emphasis, links, code, raw
 * HTML, tables, headings) is backslash-escaped, which CommonMark allows for any ASCII punctuation,
 * and line breaks become spaces so a value cannot open a new block.
 */
export const md = (s: string): string =>
  s.replace(/[\\`*_[\]<>|~#&!{}]/g, "\\$&").replace(/\s*[\r\n]+\s*/g, " ");

/** A link only for the URL schemes the manifest allows; anything else is shown as text. */
export function link(url: string, text = url): string {
  return /^(https?:|mailto:)/i.test(url) ? `<a href="${esc(url)}">${esc(text)}</a>` : esc(text);
}

export const TODO_WORDS = "To be completed by the manufacturer";

/** The visible marker for a fact the assessment does not know. Never replaced by a guess. */
export function todo(what: string): string {
  return `<span class="todo">${TODO_WORDS}: ${esc(what)}</span>`;
}

export function mdTodo(what: string): string {
  return `**[${TODO_WORDS}: ${md(what)}]**`;
}

export function badge(status: string, text?: string): string {
  const word = text ?? VERDICT_WORD[status as VerdictStatus] ?? status;
  return `<span class="badge ${STATUS_CLASS[status] ?? "unk"}">${esc(word)}</span>`;
}

export function statusWord(status: VerdictStatus): string {
  return VERDICT_WORD[status];
}

/** A Markdown table; every cell is escaped. */
export function mdTable(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(head.map(md)), line(head.map(() => "---")), ...rows.map((r) => line(r))].join("\n");
}

const CSS = `
body{font:14px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
main{max-width:1000px;margin:0 auto;padding:24px;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d8dde4;padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}
.meta,.small{color:#5b6675;font-size:12px}
table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{border:1px solid #d8dde4;padding:5px 7px;text-align:left;vertical-align:top}
th{background:#eef1f5;font-weight:600}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-weight:600;font-size:12px;white-space:nowrap}
.ok{background:#d7f2df;color:#105a2a}.bad{background:#fbd9d9;color:#8a1313}.part{background:#fff0c2;color:#6b4d00}
.unk{background:#e4e7ec;color:#3a4452}.na{background:#f3f4f6;color:#6b7480}
.todo{background:#fff3b0;border:1px dashed #b58900;color:#5c4500;padding:0 4px;font-weight:600}
.alert{border:3px solid #b00020;background:#fde7ea;color:#7a0015;padding:12px 16px;margin:12px 0;font-weight:600}
.alert ul{margin:6px 0 0;font-weight:400}
.draft{border:2px dashed #6b4d00;background:#fff8e1;padding:8px 12px;margin:12px 0}
dl.fields{display:grid;grid-template-columns:minmax(180px,28%) 1fr;gap:6px 14px;margin:8px 0}
dl.fields dt{font-weight:600}dl.fields dd{margin:0}
ol.items>li{margin:0 0 12px}
.sign{display:grid;grid-template-columns:180px 1fr;gap:10px 14px;margin-top:12px}
footer{margin-top:32px;border-top:1px solid #d8dde4;padding-top:8px;color:#5b6675;font-size:11px}
code{font-size:12px;background:#eef1f5;padding:0 3px;border-radius:3px;word-break:break-all}
@page{size:A4;margin:14mm}
@media print{body{background:#fff}main{max-width:none;padding:0}tr,li,section{break-inside:avoid}}
`;

export interface PageParts {
  title: string;
  /** Text under the title. */
  subtitle: string;
  body: string;
  a: Assessment;
  /** Extra CSS for one document (the fact sheet has its own look). */
  css?: string;
}

export function page(p: PageParts): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(p.title.includes(p.a.product.name) ? p.title : `${p.title}: ${p.a.product.name}`)}</title><style>${CSS}${p.css ?? ""}</style></head><body><main>
<h1>${esc(p.title)}</h1><div class="meta">${esc(p.subtitle)}</div>
${p.body}
${footer(p.a)}
</main></body></html>
`;
}

function footer(a: Assessment): string {
  const manifest = a.inputs.find((i) => i.role === "manifest");
  return `<footer id="provenance">Prepared by Concord ${esc(a.tool.version)} from the assessment judged as of ${esc(a.asOf)} with catalog ${esc(a.catalog.version)} (digest <code>${esc(a.catalog.digest.slice(0, 16))}</code>)${manifest ? `; manifest sha256 <code>${esc(manifest.sha256)}</code>` : ""}. Items marked "${TODO_WORDS}" are facts the assessment does not hold; statuses are the assessment's, not the manufacturer's opinion.</footer>`;
}

export function mdFooter(a: Assessment): string {
  const manifest = a.inputs.find((i) => i.role === "manifest");
  return `_Prepared by Concord ${md(a.tool.version)} from the assessment judged as of ${md(a.asOf)} with catalog ${md(a.catalog.version)} (digest \`${a.catalog.digest.slice(0, 16)}\`)${manifest ? `; manifest sha256 \`${manifest.sha256}\`` : ""}. Items marked "${TODO_WORDS}" are facts the assessment does not hold._`;
}

/** The product line used under every title. */
export function productLine(a: Assessment): string {
  const p = a.product;
  return [p.maker, p.model ? `model ${p.model}` : "", p.version ? `software ${p.version}` : ""]
    .filter(Boolean)
    .join(" · ");
}

/** A loud warning box: a title and the reasons, each escaped. */
export function alert(id: string, title: string, items: string[]): string {
  return `<div class="alert" role="alert" id="${esc(id)}">${esc(title)}${items.length > 0 ? `<ul>${items.map((i) => `<li>${esc(i)}</li>`).join("")}</ul>` : ""}</div>`;
}

export function mdAlert(title: string, items: string[]): string {
  return [`> **WARNING: ${md(title)}**`, ...items.map((i) => `> - ${md(i)}`)].join("\n");
}
