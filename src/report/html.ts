// A self-contained HTML report (no scripts, no external assets) that a compliance manager can read
// and archive: market table, requirement-by-regime heatmap, blockers, verdicts, and every finding
// with the evidence it rests on.
import type { Assessment, ProvisionResult, VerdictStatus } from "../assess/types.js";
import { bestLabels, marketStatusWord, regimeStatusWord, VERDICT_WORD } from "./labels.js";

/** Escape text for HTML element content and quoted attribute values. */
export const esc = (s: string): string =>
  s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");

/** The CSS class of each status word, shared with the paperwork in docs/. */
export const STATUS_CLASS: Record<string, string> = {
  satisfied: "ok",
  conformant: "ok",
  "not-satisfied": "bad",
  blocked: "bad",
  partial: "part",
  incomplete: "part",
  unknown: "unk",
  "not-applicable": "na",
  "voluntary-only": "na",
};

/** Worst-first order, so a heatmap cell shows the status that needs attention. */
const WORST: VerdictStatus[] = ["not-satisfied", "partial", "unknown", "satisfied", "not-applicable"];

function worst(provisions: ProvisionResult[]): VerdictStatus | undefined {
  for (const s of WORST) if (provisions.some((p) => p.status === s)) return s;
  return undefined;
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
main{max-width:1200px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid #d8dde4;padding-bottom:4px}
.meta{color:#5b6675}
table{border-collapse:collapse;width:100%;background:#fff;margin:8px 0}
th,td{border:1px solid #d8dde4;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5;font-weight:600}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-weight:600;font-size:12px;white-space:nowrap}
.ok{background:#d7f2df;color:#105a2a}.bad{background:#fbd9d9;color:#8a1313}.part{background:#fff0c2;color:#6b4d00}
.unk{background:#e4e7ec;color:#3a4452}.na{background:#f3f4f6;color:#8a93a0}
.heat{font-size:12px}.heat td{text-align:center;padding:3px;min-width:26px}.heat td.req{text-align:left;white-space:nowrap}
.heat th.rot{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;font-size:11px;padding:6px 2px}
.legend span{margin-right:10px}
details{background:#fff;border:1px solid #d8dde4;margin:4px 0;padding:6px 10px}summary{cursor:pointer}
code{font-size:12px;background:#eef1f5;padding:0 3px;border-radius:3px}
.small{font-size:12px;color:#5b6675}.nowrap{white-space:nowrap}
`;

export function renderHtml(a: Assessment): string {
  const p = a.product;
  const badge = (status: string, text = status) =>
    `<span class="badge ${STATUS_CLASS[status] ?? "unk"}">${esc(text)}</span>`;
  const evidenceById = new Map(a.evidence.map((e) => [e.id, e]));
  const parts: string[] = [];
  parts.push(
    `<h1>${esc(p.name)}</h1><div class="meta">${esc(p.maker)}${p.model ? ` · model ${esc(p.model)}` : ""}${p.version ? ` · software ${esc(p.version)}` : ""} · ${esc(p.category)}${p.craClass ? ` · CRA class ${esc(p.craClass)}` : ""}<br>Judged as of ${esc(a.asOf)} · catalog ${esc(a.catalog.version)} · Concord ${esc(a.tool.version)} · generated ${esc(a.generatedAt)}</div>`,
  );

  const provisionTitle = new Map<string, string>(
    a.regimes.flatMap((r) => r.provisions.map((pr) => [`${r.regime}:${pr.id}`, pr.title] as const)),
  );
  const blockerLine = (id: string) =>
    `<b>${esc(id)}</b> <span class="small">${esc(provisionTitle.get(id) ?? "")}</span>`;
  parts.push(
    `<h2>Markets</h2><table id="markets"><tr><th>Market</th><th>Status</th><th>Blocked by</th><th>Not yet shown</th><th>Labels within reach</th></tr>`,
  );
  for (const m of a.markets) {
    const word = marketStatusWord(m);
    const cls = word.startsWith("blocked") ? "blocked" : m.status;
    parts.push(
      `<tr><td><b>${esc(m.market)}</b></td><td>${badge(cls, word)}</td><td>${m.blockers.map(blockerLine).join("<br>") || "-"}</td><td>${m.missing}</td><td>${[...m.labels.map((l) => `✓ ${esc(l)}`), ...m.labelsNext.map((l) => `→ ${esc(l)}`)].join("<br>") || "-"}</td></tr>`,
    );
  }
  parts.push(`</table>`);

  parts.push(
    `<h2>Regimes</h2><table id="regimes"><tr><th>Regime</th><th>Kind</th><th>Status</th><th>Labels</th><th>Dates</th><th>Why</th></tr>`,
  );
  for (const r of a.regimes) {
    const word = regimeStatusWord(r);
    const dates = r.dates
      .map((d) => `${esc(d.what)} ${esc(d.date)}${d.inForce ? "" : " (ahead)"}`)
      .join("<br>");
    const pc = r.productClass
      ? `<br><span class="small">product class: ${esc(r.productClass.title)} (${r.productClass.conformity.map(esc).join(", ")})</span>`
      : "";
    parts.push(
      `<tr><td><b>${esc(r.shortName)}</b><br><span class="small">${esc(r.name)}</span>${pc}</td><td>${esc(r.kind)}, ${esc(r.legalStatus)}</td><td>${badge(r.status, word)}</td><td>${bestLabels(r).map(esc).join("<br>") || "-"}</td><td class="small">${dates}</td><td>${esc(r.because)}</td></tr>`,
    );
  }
  parts.push(`</table>`);

  // Heatmap: one row per core requirement, one column per regime; a cell is the worst status of
  // that regime's provisions mapped to the requirement, empty when the regime does not ask it.
  const cols = a.regimes.filter((r) => r.provisions.length > 0);
  parts.push(
    `<h2>Requirement × regime</h2><p class="legend small">${(["satisfied", "partial", "not-satisfied", "unknown", "not-applicable"] as const).map((s) => `<span>${badge(s, VERDICT_WORD[s])}</span>`).join("")} A cell shows the worst status among the regime's provisions that map to the requirement.</p>`,
  );
  parts.push(
    `<table class="heat" id="heatmap"><tr><th>Requirement</th><th>Verdict</th>${cols.map((r) => `<th class="rot" title="${esc(r.name)}">${esc(r.shortName)}</th>`).join("")}</tr>`,
  );
  for (const v of a.verdicts) {
    const cells = cols.map((r) => {
      const hits = r.provisions.filter((pr) => pr.requirements.some((q) => q.id === v.requirement));
      const w = worst(hits);
      if (!w) return "<td></td>";
      return `<td class="${STATUS_CLASS[w]}" title="${esc(`${r.shortName}: ${hits.map((h) => `${h.id} ${VERDICT_WORD[h.status]}`).join(", ")}`)}">${hits.length}</td>`;
    });
    parts.push(
      `<tr><td class="req"><a href="#${esc(v.requirement)}">${esc(v.requirement)}</a> ${esc(v.title)}</td><td>${badge(v.status, VERDICT_WORD[v.status])}</td>${cells.join("")}</tr>`,
    );
  }
  parts.push(`</table>`);

  parts.push(`<h2>Blockers</h2>`);
  const blocked = a.regimes.filter((r) => r.blockers.length > 0);
  if (blocked.length === 0) parts.push(`<p>No mandatory provision of the assessed regimes is failed.</p>`);
  for (const r of blocked) {
    parts.push(
      `<h3>${esc(r.shortName)}</h3><table><tr><th>Provision</th><th>Binding from</th><th>Why</th></tr>`,
    );
    for (const b of r.blockers) {
      const pr = r.provisions.find((x) => x.id === b.provision);
      parts.push(
        `<tr><td><b>${esc(b.provision)}</b> ${esc(b.title)}</td><td>${esc(b.from ?? "now")}</td><td>${esc(pr?.because ?? "")}</td></tr>`,
      );
    }
    parts.push(`</table>`);
  }

  parts.push(`<h2>Core baseline verdicts</h2>`);
  for (const v of a.verdicts) {
    const fs = a.findings.filter((f) => v.findings.includes(f.id));
    const items = fs.map((f) => {
      const ev = f.evidence
        .map((id) => evidenceById.get(id))
        .filter((e) => e !== undefined)
        .map(
          (e) =>
            `<code>${esc(e.kind)}</code> ${esc(e.source.location ?? "")} ${e.source.artifact ? `<span class="small">sha256 ${esc(e.source.artifact.sha256.slice(0, 16))}…</span>` : ""}`,
        );
      return `<li>${badge(f.status === "pass" ? "satisfied" : f.status === "fail" ? "not-satisfied" : "unknown", f.status)} <b>${esc(f.check)}</b>: ${esc(f.message)}${f.remediation ? `<br><i>Fix:</i> ${esc(f.remediation)}` : ""}<br><span class="small">Evidence: ${ev.join("; ")}</span></li>`;
    });
    parts.push(
      `<details id="${esc(v.requirement)}"${v.status === "not-satisfied" ? " open" : ""}><summary>${badge(v.status, VERDICT_WORD[v.status])} <b>${esc(v.requirement)}</b> ${esc(v.title)} <span class="small">(${esc(v.severity)})</span></summary><p>${esc(v.because)}</p>${items.length > 0 ? `<ul>${items.join("")}</ul>` : ""}</details>`,
    );
  }

  parts.push(
    `<h2>Inputs</h2><table><tr><th>Role</th><th>Path</th><th>sha256</th></tr>${a.inputs.map((i) => `<tr><td>${esc(i.role)}</td><td>${esc(i.path)}</td><td><code>${esc(i.sha256)}</code></td></tr>`).join("")}</table>`,
  );
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Concord assessment: ${esc(p.name)}</title><style>${CSS}</style></head><body><main>\n${parts.join("\n")}\n</main></body></html>\n`;
}
