// Applicability: which baseline conditions hold for this product. The manifest's `conditions`
// win; where it is silent the catalog's cautious default applies, and the result says which.
import type { ConditionT } from "../catalog/schema.js";

export interface ConditionValue {
  value: boolean;
  from: "manifest" | "default";
}

export type ConditionSet = Record<string, ConditionValue>;

export function resolveConditions(defs: ConditionT[], declared: Record<string, boolean> = {}): ConditionSet {
  const out: ConditionSet = {};
  for (const d of defs) {
    const v = declared[d.id];
    out[d.id] = v === undefined ? { value: d.default, from: "default" } : { value: v, from: "manifest" };
  }
  return out;
}

/** The first condition reference in `refs` that does not hold, or undefined when all hold. */
export function failingCondition(refs: string[] | undefined, set: ConditionSet): string | undefined {
  for (const ref of refs ?? []) {
    const negated = ref.startsWith("!");
    const id = negated ? ref.slice(1) : ref;
    const holds = set[id]?.value ?? true;
    if (holds === negated) return ref;
  }
  return undefined;
}

export function explainCondition(ref: string, set: ConditionSet, titles: Map<string, string>): string {
  const negated = ref.startsWith("!");
  const id = negated ? ref.slice(1) : ref;
  const v = set[id];
  const origin =
    v?.from === "manifest"
      ? `concord.yaml sets conditions.${id}: ${String(v.value)}`
      : `Concord's default for "${id}" is ${String(v?.value)}`;
  return `${negated ? "it applies only when this does not hold" : "it applies only when this holds"}: "${titles.get(id) ?? id}" (${origin})`;
}
