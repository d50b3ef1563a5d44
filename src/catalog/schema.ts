// The catalog's data model, as zod schemas. The types used everywhere else are inferred from here,
// so the YAML files and the code cannot drift apart. docs/catalog.md explains each field.
import { z } from "zod";
import { ISO_DATE } from "../util/dates.js";

export const LAYERS = ["device", "network", "cloud", "app", "update", "organisation"] as const;
export const SEVERITIES = ["critical", "high", "medium", "low"] as const;
export const RELATIONS = ["equal", "subset", "superset", "intersects"] as const;
export const CONFIDENCES = ["official", "published", "judged"] as const;

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "use lower-case letters, digits and '-'");
const text = z.string().trim().min(1, "must not be empty");
const isoDate = z.string().regex(ISO_DATE, "expected a date as YYYY-MM-DD (quote it in YAML)");
/** A condition reference: a baseline condition id, optionally negated with '!'. */
const conditionRef = z.string().regex(/^!?[a-z0-9][a-z0-9-]*$/, "expected a condition id, optionally prefixed by '!'");

export const Source = z.strictObject({ id, title: text, url: z.url().optional() });

export const Condition = z.strictObject({ id, title: text, default: z.boolean(), source: text });

export const Requirement = z.strictObject({
  id: z.string().regex(/^[A-Z]{3,4}-\d{2}$/, "requirement ids look like AUTH-01"),
  title: text,
  statement: text,
  rationale: text,
  layers: z.array(z.enum(LAYERS)).min(1),
  appliesWhen: z.array(conditionRef).optional(),
  severity: z.enum(SEVERITIES),
  decidedBy: z.strictObject({
    checks: z.array(z.string()),
    evidence: z.array(text),
    attestation: text,
  }),
  groundedIn: z.array(text).min(1),
});

export const Baseline = z.strictObject({
  version: text,
  sources: z.array(Source).min(1),
  conditions: z.array(Condition),
  requirements: z.array(Requirement).min(1),
});

export const Mapping = z
  .strictObject({
    requirement: z.string(),
    relation: z.enum(RELATIONS),
    confidence: z.enum(CONFIDENCES),
    source: text,
    rationale: text,
    residue: text.optional(),
  })
  .refine((m) => m.relation === "equal" || m.relation === "subset" || m.residue !== undefined, {
    message: "a superset or intersects mapping must say what the provision asks beyond the requirement (residue)",
    path: ["residue"],
  });

export const Provision = z
  .strictObject({
    id: z.string().min(1),
    title: text,
    summary: text,
    level: z.enum(["mandatory", "recommended"]),
    condition: z.array(conditionRef).optional(),
    appliesFrom: isoDate.optional(),
    tags: z.array(z.string()).optional(),
    group: z.string().optional(),
    source: text,
    maps: z.array(Mapping),
    unmapped: text.optional(),
  })
  .refine((p) => p.maps.length > 0 || p.level === "recommended" || p.unmapped !== undefined, {
    message: "a mandatory provision needs at least one mapping, or `unmapped:` saying why it cannot map",
    path: ["maps"],
  });

export const LevelRequirement = z.union([
  z.strictObject({ tags: z.array(z.string()).min(1) }),
  z.strictObject({ mandatory: z.literal(true) }),
  z.strictObject({ provisions: z.array(z.string()).min(1) }),
]);

export const Label = z.strictObject({
  id,
  name: text,
  levels: z.array(z.strictObject({ id: z.string().min(1), name: text, requires: LevelRequirement })).min(1),
});

export const REGIME_KINDS = [
  "law",
  "regulation",
  "harmonised-standard",
  "standard",
  "label",
  "guidance",
  "certification",
] as const;

export const Regime = z.strictObject({
  id,
  name: text,
  shortName: text,
  kind: z.enum(REGIME_KINDS),
  legalStatus: z.enum(["mandatory", "voluntary"]),
  markets: z.array(z.string().regex(/^[A-Z]{2,4}(-[A-Z]{2})?$/, "market codes look like EU, UK, US-CA")).min(1),
  completeness: z.enum(["complete", "partial"]),
  version: text.optional(),
  appliesWhen: z.array(conditionRef).optional(),
  scope: text,
  productClasses: z
    .array(z.strictObject({ id, title: text, summary: text.optional(), conformity: z.array(z.string()).optional() }))
    .optional(),
  conformityRoutes: z.array(z.strictObject({ id, title: text, summary: text.optional() })).optional(),
  dates: z.array(z.strictObject({ what: text, date: isoDate, source: text.optional() })),
  labels: z.array(Label).optional(),
  sources: z.array(Source).min(1),
  notes: z.string().optional(),
  provisions: z.array(Provision),
});

export type Layer = (typeof LAYERS)[number];
export type Severity = (typeof SEVERITIES)[number];
export type Relation = (typeof RELATIONS)[number];
export type SourceT = z.infer<typeof Source>;
export type ConditionT = z.infer<typeof Condition>;
export type RequirementT = z.infer<typeof Requirement>;
export type BaselineT = z.infer<typeof Baseline>;
export type MappingT = z.infer<typeof Mapping>;
export type ProvisionT = z.infer<typeof Provision>;
export type LabelT = z.infer<typeof Label>;
export type RegimeT = z.infer<typeof Regime>;
