// VULN-08: the deadlines a maker commits to for reporting actively exploited vulnerabilities and
// severe incidents to the authorities, against the legal ones VULN-08 is grounded in (EU CRA
// Article 14: early warning within 24 hours, notification within 72 hours, final report within 14
// days of a fix for vulnerabilities and within one month for incidents). A declaration cannot show
// the process works, so this check fails a slower commitment and otherwise only informs.
import { KIND, type DisclosureData } from "../evidence/kinds.js";
import { finding, type Check, type CheckMeta } from "./types.js";

const meta: CheckMeta = {
  id: "disclosure.reporting-deadlines",
  title: "Reporting deadlines meet the legal ones",
  description:
    "Compares the declared reporting deadlines (disclosure.reporting) with EU CRA Article 14: early warning 24 h, notification 72 h, final report 14 days after a fix (vulnerabilities) or one month (severe incidents, taken as 30 days). Fails when any is slower.",
  requirements: ["VULN-08"],
  severity: "high",
  reads: [KIND.disclosure],
  remediation:
    "Commit to the legal deadlines (24 h early warning, 72 h notification, final report within 14 days of a fix or one month for incidents), set them under `disclosure.reporting`, and attest VULN-08 with the reporting procedure.",
};

/** The manifest's `disclosure.reporting`, which the manifest collector passes through. */
interface Reporting {
  earlyWarningHours: number;
  notificationHours: number;
  finalReportDays: number;
  incidentFinalReportDays?: number;
}

const LIMITS: { key: keyof Reporting; max: number; unit: "hours" | "days"; what: string }[] = [
  { key: "earlyWarningHours", max: 24, unit: "hours", what: "early warning" },
  { key: "notificationHours", max: 72, unit: "hours", what: "notification" },
  { key: "finalReportDays", max: 14, unit: "days", what: "final report on a vulnerability" },
  { key: "incidentFinalReportDays", max: 30, unit: "days", what: "final report on a severe incident" },
];

export const disclosureReportingDeadlines: Check = {
  meta,
  evaluate(evidence) {
    return evidence
      .ofKind<DisclosureData & { reporting?: Reporting }>(KIND.disclosure)
      .filter((e) => e.data.reporting)
      .map((e) => {
        const r = e.data.reporting!;
        const slow = LIMITS.filter((l) => r[l.key] !== undefined && r[l.key]! > l.max).map(
          (l) => `${l.what} within ${r[l.key]} ${l.unit} (the law allows ${l.max})`,
        );
        if (slow.length > 0)
          return finding(
            meta,
            "fail",
            `The declared reporting deadlines are slower than EU CRA Article 14: ${slow.join("; ")}.`,
            [e.id],
          );
        const gap =
          r.incidentFinalReportDays === undefined
            ? " No deadline is declared for final reports on severe incidents."
            : "";
        return finding(
          meta,
          "info",
          `The declared reporting deadlines (early warning ${r.earlyWarningHours} h, notification ${r.notificationHours} h, final report ${r.finalReportDays} days) meet EU CRA Article 14.${gap} An attestation of the reporting procedure decides VULN-08.`,
          [e.id],
        );
      });
  },
};
