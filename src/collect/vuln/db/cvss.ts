// CVSS v3.x base scores from vector strings (FIRST CVSS v3.1 specification, section 7 and
// appendix A), for the feeds that publish only the vector (OSV `severity[].score`). NVD records
// carry their own baseScore, which is used as published. CVSS v4.0 scores need FIRST's lookup
// tables: v4 vectors without a published score are kept with no score.

const W = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const;

function roundUp31(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

/** The base score of a CVSS v3.0 or v3.1 vector; undefined if it is not one. */
export function cvss3BaseScore(vector: string): number | undefined {
  const m = /^CVSS:3\.([01])\/(.*)$/.exec(vector.trim());
  if (!m) return undefined;
  const metrics: Record<string, string> = {};
  for (const part of m[2]!.split("/")) {
    const [k, v] = part.split(":");
    if (k && v) metrics[k] = v;
  }
  const get = <T extends Record<string, number>>(table: T, key: string): number | undefined =>
    (table as Record<string, number>)[metrics[key] ?? ""];
  const av = get(W.AV, "AV");
  const ac = get(W.AC, "AC");
  const ui = get(W.UI, "UI");
  const c = get(W.CIA, "C");
  const i = get(W.CIA, "I");
  const a = get(W.CIA, "A");
  const scope = metrics.S;
  const prKey = metrics.PR;
  if ([av, ac, ui, c, i, a].some((x) => x === undefined) || (scope !== "U" && scope !== "C"))
    return undefined;
  const changed = scope === "C";
  const pr =
    prKey === "N"
      ? 0.85
      : prKey === "L"
        ? changed
          ? 0.68
          : 0.62
        : prKey === "H"
          ? changed
            ? 0.5
            : 0.27
          : undefined;
  if (pr === undefined) return undefined;
  const iss = 1 - (1 - c!) * (1 - i!) * (1 - a!);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
  const exploitability = 8.22 * av! * ac! * pr * ui!;
  if (impact <= 0) return 0;
  const raw = changed
    ? Math.min(1.08 * (impact + exploitability), 10)
    : Math.min(impact + exploitability, 10);
  return m[1] === "1" ? roundUp31(raw) : Math.ceil(raw * 10) / 10;
}
