// The ESLint RuleTester idea for checks: a table of evidence that must pass and evidence that must
// fail, each case asserting the exact status and message.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Check, FindingStatus } from "../../src/checks/types.js";
import type { Evidence } from "../../src/evidence/types.js";
import { index } from "./evidence.js";

export interface CheckCase {
  name: string;
  evidence: Evidence[];
  asOf?: string;
  /** Expected findings in order: status and a message (exact string, or a pattern). */
  expect: {
    status: FindingStatus;
    message: string | RegExp;
    requirements?: string[];
    provisions?: string[];
  }[];
}

export function checkTable(
  check: Check,
  cases: { valid: CheckCase[]; invalid: CheckCase[]; silent?: CheckCase[] },
): void {
  describe(`check ${check.meta.id}`, () => {
    const run = (c: CheckCase) => check.evaluate(index(...c.evidence), { asOf: c.asOf ?? "2026-11-25" });
    const compare = (c: CheckCase) => {
      const got = run(c);
      assert.equal(
        got.length,
        c.expect.length,
        `finding count for "${c.name}": ${JSON.stringify(got.map((f) => f.message))}`,
      );
      c.expect.forEach((want, i) => {
        const f = got[i]!;
        assert.equal(f.status, want.status, `status of finding ${i} in "${c.name}": ${f.message}`);
        if (typeof want.message === "string") assert.equal(f.message, want.message);
        else assert.match(f.message, want.message);
        if (want.requirements) assert.deepEqual(f.requirements, want.requirements);
        if (want.provisions) assert.deepEqual(f.provisions, want.provisions);
        assert.ok(f.evidence.length > 0, "every finding points at evidence");
        assert.equal(f.check, check.meta.id);
        if (f.status === "fail") assert.ok(f.remediation, "a failing finding says how to fix it");
      });
    };
    for (const c of cases.valid)
      it(`passes: ${c.name}`, () => {
        assert.ok(
          c.expect.every((e) => e.status !== "fail"),
          "valid cases expect no failure",
        );
        compare(c);
      });
    for (const c of cases.invalid)
      it(`fails: ${c.name}`, () => {
        assert.ok(
          c.expect.some((e) => e.status === "fail"),
          "invalid cases expect a failure",
        );
        compare(c);
      });
    for (const c of cases.silent ?? [])
      it(`stays silent: ${c.name}`, () => {
        assert.deepEqual(run(c), []);
      });
  });
}
