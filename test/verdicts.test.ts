// The verdict rules as a table: each row is a requirement, its findings and conditions, and the
// exact verdict it must get.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveConditions } from "../src/assess/conditions.js";
import type { IdentifiedFinding, VerdictStatus } from "../src/assess/types.js";
import { decideVerdict } from "../src/assess/verdicts.js";
import type { RequirementT } from "../src/catalog/schema.js";

const req = (over: Partial<RequirementT> = {}): RequirementT => ({
  id: "TEST-01",
  title: "Test requirement",
  statement: "s",
  rationale: "r",
  layers: ["device"],
  severity: "high",
  decidedBy: {
    checks: ["a.check", "b.check"],
    evidence: ["firmware analysis"],
    attestation: "the process document",
  },
  groundedIn: ["x:1"],
  ...over,
});

let n = 0;
const f = (
  check: string,
  status: IdentifiedFinding["status"],
  message = `${check} ${status}`,
  requirements = ["TEST-01"],
): IdentifiedFinding => ({
  id: `f${++n}`,
  check,
  status,
  message,
  requirements,
  evidence: ["ev-1"],
  severity: "high",
});

const defs = [
  { id: "constrained", title: "The device is constrained", default: false, source: "t" },
  { id: "uses-passwords", title: "The product uses passwords", default: true, source: "t" },
];
const titles = new Map(defs.map((d) => [d.id, d.title]));

const cases: {
  name: string;
  req?: Partial<RequirementT>;
  findings: IdentifiedFinding[];
  declared?: Record<string, boolean>;
  status: VerdictStatus;
  because: string | RegExp;
}[] = [
  {
    name: "no findings at all",
    findings: [],
    status: "unknown",
    because:
      "No evidence decides this yet. Evidence that would decide it: firmware analysis. Or attest: the process document",
  },
  {
    name: "info findings only stay unknown but are quoted",
    findings: [f("a.check", "info", "Endpoint declared over TLS.")],
    status: "unknown",
    because: /^Endpoint declared over TLS\. No evidence decides this yet\./,
  },
  {
    name: "a failing check",
    findings: [f("a.check", "pass"), f("b.check", "fail", "B failed.")],
    status: "not-satisfied",
    because: "B failed.",
  },
  {
    name: "every deciding check passes",
    findings: [f("a.check", "pass", "A ok."), f("b.check", "pass", "B ok.")],
    status: "satisfied",
    because: "A ok. B ok.",
  },
  {
    name: "one of two deciding checks passes",
    findings: [f("a.check", "pass")],
    status: "partial",
    because: "a.check passed; b.check had no evidence to judge.",
  },
  {
    name: "a current attestation decides it",
    findings: [f("attestation.status", "pass", "Jo attests.")],
    status: "satisfied",
    because: "Jo attests.",
  },
  {
    name: "a failing check beats an attestation",
    findings: [f("attestation.status", "pass"), f("a.check", "fail", "A failed.")],
    status: "not-satisfied",
    because: "A failed.",
  },
  {
    name: "an attestation that says not met fails it",
    findings: [f("attestation.status", "fail", "Not met.")],
    status: "not-satisfied",
    because: "Not met.",
  },
  {
    name: "a not-applicable attestation",
    findings: [f("attestation.status", "not-applicable", "No UART.")],
    status: "not-applicable",
    because: "No UART.",
  },
  {
    name: "condition false by the manifest",
    req: { appliesWhen: ["uses-passwords"] },
    declared: { "uses-passwords": false },
    findings: [f("a.check", "fail")],
    status: "not-applicable",
    because:
      'Not applicable: it applies only when this holds: "The product uses passwords" (concord.yaml sets conditions.uses-passwords: false).',
  },
  {
    name: "negated condition false by default",
    req: { appliesWhen: ["constrained"] },
    findings: [],
    status: "not-applicable",
    because: /Concord's default for "constrained" is false/,
  },
  {
    name: "negated condition holds",
    req: { appliesWhen: ["!constrained"] },
    findings: [f("a.check", "fail", "A failed.")],
    status: "not-satisfied",
    because: "A failed.",
  },
  {
    name: "findings for other requirements are ignored",
    findings: [f("a.check", "fail", "x", ["OTHER-01"])],
    status: "unknown",
    because: /^No evidence decides this yet/,
  },
];

describe("verdict rules", () => {
  for (const c of cases)
    it(c.name, () => {
      const v = decideVerdict(req(c.req), c.findings, resolveConditions(defs, c.declared), titles);
      assert.equal(v.status, c.status);
      if (typeof c.because === "string") assert.equal(v.because, c.because);
      else assert.match(v.because, c.because);
      assert.deepEqual(
        v.findings,
        c.findings.filter((x) => x.requirements.includes("TEST-01")).map((x) => x.id),
      );
      if (c.status === "unknown")
        assert.deepEqual(v.toDecide, {
          evidence: ["firmware analysis"],
          attestation: "the process document",
        });
    });
});
