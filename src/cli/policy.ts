// --fail-on: a CI policy deciding the exit code from an assessment. Comma-separated terms:
//   blocked          any market blocked (also by provisions that bind later)
//   blocked-now      any market blocked by provisions already binding
//   incomplete       any market not conformant (blocked or incomplete)
//   market:<code>    that market not conformant
//   regime:<id>      that regime not conformant
//   severity:<level> any failing finding at or above critical|high|medium|low
import type { Assessment } from "../assess/types.js";
import { SEVERITIES } from "../catalog/schema.js";

export function parsePolicy(spec: string): string[] {
  const terms = spec
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  for (const t of terms) {
    if (["blocked", "blocked-now", "incomplete", "never"].includes(t)) continue;
    if (/^(market|regime):.+$/.test(t)) continue;
    const sev = /^severity:(.+)$/.exec(t);
    if (sev && (SEVERITIES as readonly string[]).includes(sev[1]!)) continue;
    throw new Error(
      `unknown --fail-on term "${t}"; use blocked, blocked-now, incomplete, market:<code>, regime:<id>, severity:<critical|high|medium|low>, or never`,
    );
  }
  return terms;
}

/** The reasons the policy fails this assessment; empty when it passes. */
export function policyFailures(a: Assessment, terms: string[]): string[] {
  const out: string[] = [];
  for (const t of terms) {
    if (t === "blocked")
      for (const m of a.markets) if (m.status === "blocked") out.push(`market ${m.market} is blocked`);
    if (t === "blocked-now")
      for (const m of a.markets)
        if (m.status === "blocked" && !m.blockedFrom) out.push(`market ${m.market} is blocked now`);
    if (t === "incomplete")
      for (const m of a.markets)
        if (m.status === "blocked" || m.status === "incomplete")
          out.push(`market ${m.market} is ${m.status}`);
    const [kind, value] = t.split(":") as [string, string | undefined];
    if (kind === "market") {
      const m = a.markets.find((x) => x.market === value);
      if (!m) out.push(`market ${value} was not assessed`);
      else if (m.status === "blocked" || m.status === "incomplete")
        out.push(`market ${value} is ${m.status}`);
    }
    if (kind === "regime") {
      const r = a.regimes.find((x) => x.regime === value);
      if (!r) out.push(`regime ${value} was not assessed (is its market in the manifest?)`);
      else if (r.status !== "conformant" && r.status !== "not-applicable")
        out.push(`regime ${value} is ${r.status}`);
    }
    if (kind === "severity") {
      const limit = SEVERITIES.indexOf(value as (typeof SEVERITIES)[number]);
      for (const f of a.findings)
        if (f.status === "fail" && SEVERITIES.indexOf(f.severity) <= limit)
          out.push(`${f.severity} finding ${f.id}`);
    }
  }
  return [...new Set(out)];
}
