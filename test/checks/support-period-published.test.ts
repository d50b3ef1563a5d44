import { supportPeriodPublished } from "../../src/checks/support-period-published.js";
import { KIND } from "../../src/evidence/kinds.js";
import { checkTable } from "../helpers/check-table.js";
import { ev } from "../helpers/evidence.js";

checkTable(supportPeriodPublished, {
  valid: [
    {
      name: "defined, future and published over HTTPS",
      evidence: [ev(KIND.supportPeriod, { until: "2031-12-31", publishedAt: "https://x.example/support" })],
      expect: [
        {
          status: "pass",
          message: "Security updates are promised until 2031-12-31, published at https://x.example/support.",
          requirements: ["UPD-08"],
        },
      ],
    },
    {
      name: "ending on the assessment day still counts",
      asOf: "2031-12-31",
      evidence: [ev(KIND.supportPeriod, { until: "2031-12-31", publishedAt: "https://x.example/s" })],
      expect: [{ status: "pass", message: /until 2031-12-31/ }],
    },
  ],
  invalid: [
    {
      name: "no defined period",
      evidence: [ev(KIND.supportPeriod, { until: "none" })],
      expect: [
        { status: "fail", message: "The maker declares no defined support period for security updates." },
      ],
    },
    {
      name: "period already over",
      evidence: [ev(KIND.supportPeriod, { until: "2025-06-30", publishedAt: "https://x.example/s" })],
      expect: [
        {
          status: "fail",
          message: "The support period ended on 2025-06-30; the product no longer receives security updates.",
        },
      ],
    },
    {
      name: "defined but not published",
      evidence: [ev(KIND.supportPeriod, { until: "2030-01-01" })],
      expect: [
        {
          status: "fail",
          message: "A support period until 2030-01-01 is defined but not published for buyers.",
        },
      ],
    },
    {
      name: "published over plain HTTP",
      evidence: [ev(KIND.supportPeriod, { until: "2030-01-01", publishedAt: "http://x.example/s" })],
      expect: [
        {
          status: "fail",
          message: "The support period is published at http://x.example/s, which is not served over HTTPS.",
        },
      ],
    },
  ],
  silent: [{ name: "no support period declared at all", evidence: [], expect: [] }],
});
