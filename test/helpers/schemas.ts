// Validators for the official JSON schemas vendored in test/schemas (licences alongside).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import * as draft04 from "ajv-draft-04";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsModule as unknown as (ajv: unknown) => void;
// ajv-draft-04 is CommonJS with a default export; reach its class the same way from tsx and tsc.
type AjvClass = new (opts: Record<string, unknown>) => Ajv;
const AjvDraft04 =
  (draft04 as unknown as { default: { default?: AjvClass } & AjvClass }).default.default ??
  (draft04 as unknown as { default: AjvClass }).default;

const load = (rel: string): Record<string, unknown> =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../schemas/${rel}`, import.meta.url)), "utf8")) as Record<
    string,
    unknown
  >;

function compile(rel: string, draft04 = false): ValidateFunction {
  const ajv = draft04
    ? new AjvDraft04({ allErrors: true, strict: false })
    : new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(load(rel));
}

export const validateSarif = () => compile("sarif-2.1.0/sarif-schema-2.1.0.json", true);
export const validateOscalAssessmentResults = () =>
  compile("oscal-1.0.6/oscal_assessment-results_schema.json");
export const validateOscalCatalog = () => compile("oscal-1.0.6/oscal_catalog_schema.json");
export const validateOscalProfile = () => compile("oscal-1.0.6/oscal_profile_schema.json");
export const validateSpdx23 = () => compile("spdx-2.3/spdx-schema.json");
/** CycloneDX 1.6 refers to its SPDX licence list and JSF signature schemas by $id: load them first. */
export function validateCycloneDx16(): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  // ajv-formats has no IRI or internationalized e-mail formats; check their shape loosely.
  ajv.addFormat("iri-reference", /^\S*$/u);
  ajv.addFormat("idn-email", /^[^\s@]+@[^\s@]+$/u);
  for (const rel of ["cyclonedx-1.6/spdx.schema.json", "cyclonedx-1.6/jsf-0.82.schema.json"])
    ajv.addSchema(load(rel));
  return ajv.compile(load("cyclonedx-1.6/bom-1.6.schema.json"));
}

export function errorsOf(v: ValidateFunction): string {
  return JSON.stringify(v.errors?.slice(0, 5), null, 2);
}
