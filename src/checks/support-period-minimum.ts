// The support period against the minimum length the product's markets set in law. EU CRA Article
// 13(8): at least five years, shorter only when the product is expected to be in use for less;
// Brazil's Anatel Act 2436/2023 (CPE): security updates for at least two years after launch, and the
// Act 77 guidance recommends the same. Other markets ask for a published period but set no
// length, which support.period-published covers. A minimum is a rule of one regime's provision, so
// the findings name that provision; a period long enough is reported, not counted as meeting the
// provision, which also asks for updates throughout (UPD-09).
import { KIND, type SupportPeriodData } from "../evidence/kinds.js";
import { MANIFEST_KIND, type MarketsData } from "../evidence/markets.js";
import { finding, type Check, type CheckMeta, type Finding } from "./types.js";

const meta: CheckMeta = {
  id: "support.period-minimum",
  title: "Support period is as long as the markets require",
  description:
    "Compares the declared support period (support.from, or the assessment date, to support.until) with the legal minimum of each market that sets one: EU CRA Article 13(8) five years (or the expected use time when shorter); Brazil Anatel Act 2436/2023 two years for CPE. Fails the provision when the period is shorter.",
  requirements: [],
  severity: "high",
  reads: [KIND.supportPeriod, MANIFEST_KIND.markets],
  remediation:
    "Extend support.until to at least the minimum end date and publish the new period, or, in the EU, document why the product's expected use is shorter and declare support.expectedUseYears.",
};

interface Minimum {
  market: string;
  provision: string;
  law: string;
  years: number;
  /** The CRA lets a shorter expected use time set the minimum. */
  expectedUseMayShorten?: boolean;
}

/** Provision ids are checked against the catalog by the tests. */
export const MINIMUMS: readonly Minimum[] = [
  {
    market: "EU",
    provision: "eu-cra:Art13.8",
    law: "EU CRA Article 13(8)",
    years: 5,
    expectedUseMayShorten: true,
  },
  { market: "BR", provision: "br-anatel-act-77:2436-free-updates", law: "Anatel Act 2436/2023", years: 2 },
  { market: "BR", provision: "br-anatel-act-77:6.1.4", law: "the Anatel Act 77 guidance (6.1.4)", years: 2 },
];

type SupportTerms = SupportPeriodData & { from?: string; expectedUseYears?: number };

const day = 86_400_000;
const toDate = (iso: string) => new Date(`${iso}T00:00:00Z`);
const toIso = (d: Date) => d.toISOString().slice(0, 10);

/** A month-only end date means the last day of that month; a month-only start, the first. */
function lastDay(until: string): string {
  if (until.length !== 7) return until;
  const [y, m] = until.split("-").map(Number) as [number, number];
  return toIso(new Date(Date.UTC(y, m, 0)));
}

/** The last day of a period of `years` (fractions allowed, by months) starting on `from`. */
function minimumEnd(from: string, years: number): string {
  const d = toDate(from.length === 7 ? `${from}-01` : from);
  const months = Math.round(years * 12);
  const end = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate()));
  return toIso(new Date(end.getTime() - day));
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;

export const supportPeriodMinimum: Check = {
  meta,
  evaluate(evidence, ctx) {
    const markets = new Set(
      evidence.ofKind<MarketsData>(MANIFEST_KIND.markets).flatMap((e) => e.data.markets),
    );
    const marketIds = evidence.ofKind<MarketsData>(MANIFEST_KIND.markets).map((e) => e.id);
    const out: Finding[] = [];
    for (const e of evidence.ofKind<SupportTerms>(KIND.supportPeriod)) {
      const { until, from, expectedUseYears } = e.data;
      if (until === "none") continue; // no defined period at all: support.period-published fails it
      const start = from ?? ctx.asOf;
      const startNote = from
        ? `from ${from}`
        : `from the assessment date ${ctx.asOf} (support.from is not declared)`;
      const end = lastDay(until);
      for (const m of MINIMUMS.filter((x) => markets.has(x.market))) {
        const years =
          m.expectedUseMayShorten && expectedUseYears !== undefined && expectedUseYears < m.years
            ? expectedUseYears
            : m.years;
        const shortened = years !== m.years;
        const need = minimumEnd(start, years);
        const length = shortened
          ? `${plural(years, "year")} (the declared expected use time; the technical documentation must justify it)`
          : plural(years, "year");
        const target = { requirements: [], provisions: [m.provision] };
        const ids = [e.id, ...marketIds];
        if (end < need)
          out.push(
            finding(
              meta,
              "fail",
              `The support period ends on ${end}, ${startNote}; ${m.law} requires at least ${length} for the ${m.market} market, that is until ${need} or later.`,
              ids,
              target,
            ),
          );
        else
          out.push(
            finding(
              meta,
              "info",
              `The support period until ${end}, ${startNote}, meets the minimum of ${length} that ${m.law} sets for the ${m.market} market.`,
              ids,
              target,
            ),
          );
      }
    }
    return out;
  },
};
