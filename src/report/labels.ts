// Words and symbols shared by the human-readable renderers.
import type { MarketResult, RegimeResult, VerdictStatus } from "../assess/types.js";

export const VERDICT_WORD: Record<VerdictStatus, string> = {
  satisfied: "satisfied",
  "not-satisfied": "not satisfied",
  partial: "partial",
  "not-applicable": "not applicable",
  unknown: "unknown",
};

export function marketStatusWord(m: MarketResult): string {
  if (m.status === "blocked" && m.blockedFrom) return `blocked from ${m.blockedFrom}`;
  return m.status === "voluntary-only" ? "no mandatory regime" : m.status;
}

export function regimeStatusWord(r: RegimeResult): string {
  if (r.status === "blocked" && r.blockers.every((b) => b.from)) {
    const first = r.blockers.map((b) => b.from!).sort()[0];
    return `blocked from ${first}`;
  }
  return r.status;
}

export function bestLabels(r: RegimeResult): string[] {
  // For each label, the highest eligible level (levels are listed lowest first).
  const best = new Map<string, string>();
  for (const l of r.labels) if (l.eligible) best.set(l.label, `${l.name} ${l.levelName}`);
  return [...best.values()];
}

/** The dates that matter, in a few words: the latest one already passed and the next one ahead. */
export function dateSummary(r: RegimeResult): string {
  const past = r.dates.filter((d) => d.inForce).sort((a, b) => a.date.localeCompare(b.date));
  const ahead = r.dates.filter((d) => !d.inForce).sort((a, b) => a.date.localeCompare(b.date));
  const last = past[past.length - 1];
  const next = ahead[0];
  return (
    [last ? `${last.what} ${last.date}` : "", next ? `next: ${next.what} ${next.date}` : ""]
      .filter(Boolean)
      .join("; ") || "-"
  );
}
