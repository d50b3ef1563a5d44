// UPD-08: the maker must define and publish how long the product gets security updates.
import { KIND, type SupportPeriodData } from "../evidence/kinds.js";
import { isBefore } from "../util/dates.js";
import { finding, type Check, type CheckMeta } from "./types.js";

const meta: CheckMeta = {
  id: "support.period-published",
  title: "Support period is defined, current and published",
  description:
    "Reads the declared support period. Fails when no defined period is declared, when the period has already ended, when it is not published anywhere buyers can see it, or when the maker says buyers are not told the end date at purchase.",
  requirements: ["UPD-08"],
  severity: "high",
  reads: [KIND.supportPeriod],
  remediation:
    "Declare `support.until` with the end date of security updates and `support.publishedAt` with the public page (product page or packaging) that states it.",
};

export const supportPeriodPublished: Check = {
  meta,
  evaluate(evidence, ctx) {
    return evidence
      .ofKind<SupportPeriodData & { statedAtPurchase?: boolean }>(KIND.supportPeriod)
      .map((e) => {
        const { until, publishedAt, statedAtPurchase } = e.data;
        if (until === "none")
          return finding(meta, "fail", "The maker declares no defined support period for security updates.", [
            e.id,
          ]);
        if (isBefore(until, ctx.asOf))
          return finding(
            meta,
            "fail",
            `The support period ended on ${until}; the product no longer receives security updates.`,
            [e.id],
            {
              remediation:
                "Extend the support period and publish the new end date, or stop placing the product on the market.",
            },
          );
        if (!publishedAt)
          return finding(
            meta,
            "fail",
            `A support period until ${until} is defined but not published for buyers.`,
            [e.id],
            {
              remediation:
                "Publish the end date where buyers see it before purchase and set `support.publishedAt` to that page.",
            },
          );
        if (!publishedAt.startsWith("https:"))
          return finding(
            meta,
            "fail",
            `The support period is published at ${publishedAt}, which is not served over HTTPS.`,
            [e.id],
            {
              remediation:
                "Serve the support-period statement over HTTPS so buyers can trust what they read.",
            },
          );
        // The end date must reach buyers before they buy (EU CRA Article 13(19), UK PSTI Schedule 1
        // paragraph 3(5)): a page somewhere is not enough when the purchase does not show it.
        if (statedAtPurchase === false)
          return finding(
            meta,
            "fail",
            `The support period until ${until} is published at ${publishedAt} but not stated to buyers at the time of purchase.`,
            [e.id],
            {
              remediation:
                "State the end date (at least month and year) where the product is bought: the shop page, the packaging or the offer, then set `support.statedAtPurchase: true`.",
            },
          );
        return finding(
          meta,
          "pass",
          `Security updates are promised until ${until}, published at ${publishedAt}${statedAtPurchase ? " and stated at purchase" : ""}.`,
          [e.id],
        );
      });
  },
};
