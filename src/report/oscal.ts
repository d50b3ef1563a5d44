// OSCAL 1.0.6 assessment-results: one result covering the Concord core baseline (the control
// catalog `concord catalog export-oscal` writes), a finding per requirement verdict and an
// observation per check finding. UUIDs are derived from content, so output is reproducible.
import type { Assessment, VerdictStatus } from "../assess/types.js";
import { stableUuid } from "../util/hash.js";

export const OSCAL_VERSION = "1.0.6";

/** OSCAL control ids for core requirements: lower case, as in the exported catalog. */
export const controlId = (requirement: string) => requirement.toLowerCase();

const STATE: Record<VerdictStatus, { state: "satisfied" | "not-satisfied"; reason: string }> = {
  satisfied: { state: "satisfied", reason: "pass" },
  "not-satisfied": { state: "not-satisfied", reason: "fail" },
  partial: { state: "not-satisfied", reason: "other" },
  unknown: { state: "not-satisfied", reason: "other" },
  "not-applicable": { state: "satisfied", reason: "other" },
};

export function renderOscal(a: Assessment): string {
  const seed = `${a.product.name}|${a.catalog.digest}|${a.inputs.map((i) => i.sha256).join(",")}`;
  const uuid = (what: string) => stableUuid(`${seed}|${what}`);
  const observations = a.findings.map((f) => ({
    uuid: uuid(`observation:${f.id}`),
    title: f.check,
    description: f.message,
    props: [{ name: "finding-status", ns: "https://concord.dev/ns/oscal", value: f.status }],
    methods: [f.check === "attestation.status" ? "EXAMINE" : "TEST"],
    types: ["finding"],
    "relevant-evidence": f.evidence.map((id) => {
      const e = a.evidence.find((x) => x.id === id);
      return {
        description: `${e?.kind ?? "evidence"} ${id}${e?.source.location ? ` at ${e.source.location}` : ""}`,
      };
    }),
    collected: a.generatedAt,
  }));
  const obsUuid = new Map(a.findings.map((f, i) => [f.id, observations[i]!.uuid]));
  const findings = a.verdicts.map((v) => ({
    uuid: uuid(`finding:${v.requirement}`),
    title: `${v.requirement} ${v.title}`,
    description: v.because,
    props: [{ name: "concord-verdict", ns: "https://concord.dev/ns/oscal", value: v.status }],
    target: {
      type: "objective-id" as const,
      "target-id": `${controlId(v.requirement)}_obj`,
      status: { state: STATE[v.status].state, reason: STATE[v.status].reason },
      ...(v.status === "not-applicable" ? { remarks: "Not applicable to this product." } : {}),
    },
    ...(v.findings.length > 0
      ? { "related-observations": v.findings.map((id) => ({ "observation-uuid": obsUuid.get(id)! })) }
      : {}),
  }));
  const doc = {
    "assessment-results": {
      uuid: uuid("assessment-results"),
      metadata: {
        title: `Concord assessment of ${a.product.name}`,
        "last-modified": a.generatedAt,
        version: a.product.version ?? "unversioned",
        "oscal-version": OSCAL_VERSION,
        props: [
          { name: "catalog-version", ns: "https://concord.dev/ns/oscal", value: a.catalog.version },
          { name: "as-of", ns: "https://concord.dev/ns/oscal", value: a.asOf },
        ],
      },
      "import-ap": {
        href: `urn:concord:assessment-plan:${uuid("plan")}`,
        remarks: "Concord assesses the whole core baseline; the plan is implied by the manifest.",
      },
      results: [
        {
          uuid: uuid("result"),
          title: `Core baseline assessment of ${a.product.name}`,
          description: `Concord ${a.tool.version} judged ${a.verdicts.length} core requirements for markets ${a.markets.map((m) => m.market).join(", ")}.`,
          start: a.generatedAt,
          "reviewed-controls": { "control-selections": [{ "include-all": {} }] },
          ...(observations.length > 0 ? { observations } : {}),
          findings,
        },
      ],
    },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
