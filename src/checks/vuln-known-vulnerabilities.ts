// VULN-04: no known exploitable vulnerabilities in what ships. A component with a vulnerability
// in CISA's Known Exploited Vulnerabilities catalog, or rated high or critical (CVSS >= 7.0),
// fails unless a VEX statement says the product is not affected or has it fixed. Lower ratings
// and uncertain matches are information. With no matching run (no firmware, no SBOM) the check
// is silent; with a run and nothing serious found, it passes.
import { VULN, type VulnMatchData, type VulnScanData } from "../evidence/vuln.js";
import { finding, type Check, type CheckMeta, type Finding } from "./types.js";

const HIGH = 7.0;
/** Below this the match rests on a comparison Concord could not make: never a failure. */
const SURE = 0.5;

const meta: CheckMeta = {
  id: "vuln.known-vulnerabilities",
  title: "No known exploited, high or critical vulnerabilities in shipped components",
  description:
    "Fails for each component vulnerability that is in CISA's KEV catalog or has a CVSS score of 7.0 or more, unless a VEX statement says not affected or fixed; lower scores and uncertain matches are information; passes when the components were matched and none qualifies.",
  requirements: ["VULN-04"],
  severity: "critical",
  reads: [VULN.scan, VULN.match],
  remediation:
    "Update the component to a fixed version, or publish a VEX statement with the justification if the product is not affected.",
};

function describe(m: VulnMatchData): string {
  const sev =
    m.severity?.score !== undefined
      ? `CVSS ${m.severity.version} ${m.severity.score.toFixed(1)}`
      : "no CVSS score";
  const kev = m.kev
    ? `; in CISA KEV since ${m.kev.dateAdded}${m.kev.ransomware ? ", used in ransomware campaigns" : ""}`
    : "";
  const epss = m.epss ? `; EPSS ${(m.epss.score * 100).toFixed(1)}%` : "";
  const fixed = m.fixedVersions.length > 0 ? `; fixed in ${m.fixedVersions.join(", ")}` : "";
  return `${m.id} in ${m.component.name} ${m.component.version} (${sev}${kev}${epss}${fixed}). Matched by ${m.reason}.`;
}

export const knownVulnerabilities: Check = {
  meta,
  evaluate(evidence) {
    const scans = evidence.ofKind<VulnScanData>(VULN.scan);
    if (scans.length === 0) return [];
    const out: Finding[] = [];
    for (const e of evidence.ofKind<VulnMatchData>(VULN.match)) {
      const m = e.data;
      if (m.suppressed) {
        out.push(
          finding(
            meta,
            "info",
            `${describe(m)} Suppressed by VEX: ${m.suppressed.status}${m.suppressed.justification ? ` (${m.suppressed.justification})` : ""}, ${m.suppressed.source}.`,
            [e.id],
          ),
        );
        continue;
      }
      const serious = m.kev !== undefined || (m.severity?.score ?? 0) >= HIGH;
      if (serious && m.confidence >= SURE)
        out.push(
          finding(meta, "fail", describe(m), [e.id], {
            severity: m.kev || (m.severity?.score ?? 0) >= 9 ? "critical" : "high",
            remediation:
              m.fixedVersions.length > 0
                ? `Update ${m.component.name} to ${m.fixedVersions.join(" or ")} or later, or publish a VEX statement if the product is not affected.`
                : meta.remediation,
          }),
        );
      else out.push(finding(meta, "info", describe(m), [e.id]));
    }
    if (!out.some((f) => f.status === "fail")) {
      const s = scans[0]!.data;
      const sources = Object.entries(s.database.sources)
        .filter(([, v]) => v.records > 0)
        .map(([k, v]) => `${k} ${v.records}`)
        .join(", ");
      // No components found means nothing was checked, not that nothing is vulnerable.
      if (s.components === 0) {
        out.push(
          finding(
            meta,
            "info",
            "No components were found to match against the vulnerability database.",
            scans.map((x) => x.id),
          ),
        );
        return out;
      }
      // Without NVD or OSV records (what matching reads) the database proves nothing: say so.
      const matchable = (s.database.sources.nvd?.records ?? 0) + (s.database.sources.osv?.records ?? 0);
      if (matchable === 0) {
        out.push(
          finding(
            meta,
            "info",
            `The vulnerability database is empty, so ${s.components} components could not be checked; run \`concord vulndb update\` or \`concord vulndb import\`.`,
            scans.map((x) => x.id),
          ),
        );
        return out;
      }
      out.push(
        finding(
          meta,
          "pass",
          `${s.components} components were matched against the vulnerability database (${sources || "empty"}); none has a known exploited, high or critical vulnerability left open.`,
          scans.map((x) => x.id),
        ),
      );
    }
    return out;
  },
};
