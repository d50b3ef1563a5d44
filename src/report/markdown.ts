// A Markdown report for pull requests, wikis and tickets.
import type { Assessment } from "../assess/types.js";
import { bestLabels, dateSummary, marketStatusWord, regimeStatusWord, VERDICT_WORD } from "./labels.js";

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function renderMarkdown(a: Assessment): string {
  const out: string[] = [];
  const p = a.product;
  out.push(`# Concord assessment: ${p.name}`, "");
  out.push(
    `${p.maker}${p.model ? `, model ${p.model}` : ""}${p.version ? `, software ${p.version}` : ""}. Judged as of ${a.asOf} with catalog ${a.catalog.version}.`,
    "",
  );
  out.push(
    "## Markets",
    "",
    "| Market | Status | Blocked by | Not yet shown | Labels within reach |",
    "|---|---|---|---|---|",
  );
  for (const m of a.markets)
    out.push(
      `| ${m.market} | ${marketStatusWord(m)} | ${cell(m.blockers.join(", ") || "-")} | ${m.missing} | ${cell([...m.labels, ...m.labelsNext.map((l) => `next: ${l}`)].join("; ") || "-")} |`,
    );
  out.push(
    "",
    "## Regimes",
    "",
    "| Regime | Kind | Status | Labels | Dates | Why |",
    "|---|---|---|---|---|---|",
  );
  for (const r of a.regimes)
    out.push(
      `| ${cell(r.shortName)} | ${r.kind} | ${regimeStatusWord(r)} | ${cell(bestLabels(r).join(", ") || "-")} | ${cell(dateSummary(r))} | ${cell(r.because)} |`,
    );
  for (const r of a.regimes.filter((x) => x.blockers.length > 0)) {
    out.push("", `### What blocks ${r.shortName}`, "");
    for (const b of r.blockers) {
      const prov = r.provisions.find((x) => x.id === b.provision);
      out.push(
        `- **${b.provision}** ${b.title}${b.from ? ` (binding from ${b.from})` : ""}: ${prov?.because ?? ""}`,
      );
    }
  }
  out.push("", "## Core baseline", "", "| Requirement | Status | Because |", "|---|---|---|");
  for (const v of a.verdicts)
    out.push(`| ${v.requirement} ${cell(v.title)} | ${VERDICT_WORD[v.status]} | ${cell(v.because)} |`);
  out.push("", "## Findings", "");
  for (const f of a.findings) {
    const ev = f.evidence.map((id) => a.evidence.find((e) => e.id === id)?.source.location ?? id).join(", ");
    out.push(
      `- \`${f.status}\` **${f.check}** (${[...f.requirements, ...(f.provisions ?? [])].join(", ")}): ${f.message} _Evidence: ${ev}._${f.remediation ? ` Fix: ${f.remediation}` : ""}`,
    );
  }
  out.push("", "## Inputs", "", "| Role | Path | sha256 |", "|---|---|---|");
  for (const i of a.inputs) out.push(`| ${i.role} | ${cell(i.path)} | \`${i.sha256}\` |`);
  return `${out.join("\n")}\n`;
}
