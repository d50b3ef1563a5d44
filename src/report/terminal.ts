// The market table printed by `concord assess`: one row per market, then the regimes behind it.
import Table from "cli-table3";
import pc from "picocolors";
import type { Assessment } from "../assess/types.js";
import { dateSummary, marketStatusWord, regimeStatusWord } from "./labels.js";

function colour(status: string): (s: string) => string {
  if (status.startsWith("blocked")) return pc.red;
  if (status === "incomplete") return pc.yellow;
  if (status === "conformant") return pc.green;
  return pc.dim;
}

function list(items: string[], max: number): string {
  if (items.length === 0) return "-";
  return items.length > max
    ? `${items.slice(0, max).join("\n")}\n… ${items.length - max} more`
    : items.join("\n");
}

export function renderTerminal(a: Assessment): string {
  const head = `${pc.bold(a.product.name)} (${a.product.maker}${a.product.model ? `, model ${a.product.model}` : ""}${a.product.version ? `, software ${a.product.version}` : ""}), judged as of ${a.asOf}`;
  const markets = new Table({
    head: ["Market", "Status", "Blocked by", "Not yet shown", "Labels within reach"],
    style: { head: [], border: [] },
    wordWrap: true,
    colWidths: [8, 22, 40, 9, 40],
  });
  for (const m of a.markets) {
    const word = marketStatusWord(m);
    markets.push([
      m.market,
      colour(word)(word),
      list(m.blockers, 6),
      String(m.missing),
      list([...m.labels.map((l) => `✓ ${l}`), ...m.labelsNext.map((l) => `→ ${l}`)], 4),
    ]);
  }
  const regimes = new Table({
    head: ["Regime", "Status", "Dates", "Why"],
    style: { head: [], border: [] },
    wordWrap: true,
    colWidths: [24, 22, 26, 50],
  });
  for (const r of a.regimes) {
    const word = regimeStatusWord(r);
    regimes.push([
      r.shortName,
      colour(word)(word),
      dateSummary(r),
      r.because.length > 160 ? `${r.because.slice(0, 157)}…` : r.because,
    ]);
  }
  const s = a.summary.requirements;
  const f = a.summary.findings;
  const totals = `Core baseline: ${s.satisfied} satisfied, ${s["not-satisfied"]} not satisfied, ${s.partial} partial, ${s.unknown} unknown, ${s["not-applicable"]} not applicable. Findings: ${f.fail} fail, ${f.pass} pass, ${f.info} info.`;
  return `${head}\n\n${markets.toString()}\n\n${regimes.toString()}\n\n${totals}\n`;
}
