// One row per market the product is sold in: the worst status of the mandatory regimes there,
// what blocks it, and the labels within reach.
import type { MarketResult, RegimeResult } from "./types.js";

const RANK = { blocked: 3, incomplete: 2, conformant: 1 } as const;

export function summarizeMarket(market: string, regimes: RegimeResult[]): MarketResult {
  const here = regimes.filter((r) => r.markets.includes(market) && r.status !== "not-applicable");
  const mandatory = here.filter((r) => r.legalStatus === "mandatory");
  let status: MarketResult["status"] = "voluntary-only";
  for (const r of mandatory) {
    const s = r.status as keyof typeof RANK;
    if (status === "voluntary-only" || RANK[s] > RANK[status]) status = s;
  }
  const blockerList = mandatory.flatMap((r) =>
    r.blockers.map((b) => ({ id: `${r.regime}:${b.provision}`, from: b.from })),
  );
  // A market blocked only by provisions that bind later is still open today: say from when it closes.
  const current = blockerList.filter((b) => !b.from);
  const blockedFrom =
    status === "blocked" && current.length === 0 ? blockerList.map((b) => b.from!).sort()[0] : undefined;
  const labels: string[] = [];
  const labelsNext: string[] = [];
  for (const r of here)
    for (const l of r.labels) {
      const name = `${l.name} ${l.levelName}`;
      if (l.eligible) labels.push(name);
      else if (l.needs.length <= 3) labelsNext.push(`${name} (needs ${l.needs.join(", ")})`);
    }
  return {
    market,
    status,
    blockedFrom,
    regimes: here.map((r) => r.regime),
    blockers: blockerList.map((b) => b.id),
    missing: mandatory.reduce((n, r) => n + r.missing.length, 0),
    labels,
    labelsNext,
  };
}
