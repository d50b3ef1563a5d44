// Projection semantics as tables: a provision's status from its mappings' relations and the
// requirement verdicts; a regime's status; label levels; market rows.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveConditions } from "../src/assess/conditions.js";
import { summarizeMarket } from "../src/assess/markets.js";
import { projectProvision, projectRegime, type ProjectionInput } from "../src/assess/projection.js";
import type { IdentifiedFinding, Verdict, VerdictStatus } from "../src/assess/types.js";
import type { MappingT, ProvisionT, Relation, RegimeT } from "../src/catalog/schema.js";

const verdicts = (m: Record<string, VerdictStatus>) =>
  new Map(
    Object.entries(m).map(([k, s]): [string, Verdict] => [
      k,
      { requirement: k, title: k, severity: "high", status: s, because: "", findings: [], attestations: [] },
    ]),
  );

const map = (requirement: string, relation: Relation): MappingT => ({
  requirement,
  relation,
  confidence: "judged",
  source: "s",
  rationale: `${relation} ${requirement}`,
  residue: relation === "superset" || relation === "intersects" ? `more than ${requirement}` : undefined,
});

const prov = (maps: MappingT[], over: Partial<ProvisionT> = {}): ProvisionT => ({
  id: "P1",
  title: "Provision",
  summary: "s",
  level: "mandatory",
  source: "s",
  maps,
  ...over,
});

const regime = (provisions: ProvisionT[], over: Partial<RegimeT> = {}): RegimeT => ({
  id: "r",
  name: "Regime",
  shortName: "R",
  kind: "law",
  legalStatus: "mandatory",
  markets: ["UK"],
  completeness: "complete",
  scope: "s",
  dates: [
    { what: "in-force", date: "2024-04-29" },
    { what: "applies", date: "2027-12-11" },
  ],
  sources: [{ id: "s", title: "S" }],
  provisions,
  ...over,
});

const conditionDefs = [
  { id: "uses-passwords", title: "The product uses passwords", default: true, source: "t" },
];
const input = (
  v: Record<string, VerdictStatus>,
  findings: IdentifiedFinding[] = [],
  declared: Record<string, boolean> = {},
): ProjectionInput => ({
  verdicts: verdicts(v),
  findings,
  conditions: resolveConditions(conditionDefs, declared),
  conditionTitles: new Map([["uses-passwords", "The product uses passwords"]]),
  asOf: "2026-11-25",
});

describe("provision status from relation and verdicts", () => {
  const table: {
    name: string;
    maps: MappingT[];
    v: Record<string, VerdictStatus>;
    status: VerdictStatus;
    residue?: string;
    because?: string | RegExp;
  }[] = [
    {
      name: "equal + satisfied",
      maps: [map("A", "equal")],
      v: { A: "satisfied" },
      status: "satisfied",
      because: "Met through A (equal).",
    },
    { name: "subset + satisfied", maps: [map("A", "subset")], v: { A: "satisfied" }, status: "satisfied" },
    {
      name: "superset + satisfied leaves a residue",
      maps: [map("A", "superset")],
      v: { A: "satisfied" },
      status: "partial",
      residue: "more than A",
    },
    {
      name: "intersects + satisfied leaves a residue",
      maps: [map("A", "intersects")],
      v: { A: "satisfied" },
      status: "partial",
      residue: "more than A",
    },
    {
      name: "equal + not satisfied",
      maps: [map("A", "equal")],
      v: { A: "not-satisfied" },
      status: "not-satisfied",
      because: "Not met because A is not satisfied.",
    },
    {
      name: "subset + not satisfied still fails",
      maps: [map("A", "subset")],
      v: { A: "not-satisfied" },
      status: "not-satisfied",
    },
    {
      name: "intersects + not satisfied fails",
      maps: [map("A", "intersects")],
      v: { A: "not-satisfied" },
      status: "not-satisfied",
    },
    {
      name: "one covering mapping suffices",
      maps: [map("A", "subset"), map("B", "intersects")],
      v: { A: "satisfied", B: "unknown" },
      status: "satisfied",
      because: "Met through A (subset).",
    },
    {
      name: "a failure anywhere wins over a covering one",
      maps: [map("A", "subset"), map("B", "intersects")],
      v: { A: "satisfied", B: "not-satisfied" },
      status: "not-satisfied",
    },
    {
      name: "unknown",
      maps: [map("A", "equal")],
      v: { A: "unknown" },
      status: "unknown",
      because: "Undecided: A has no deciding evidence yet.",
    },
    {
      name: "partial requirement",
      maps: [map("A", "equal")],
      v: { A: "partial" },
      status: "partial",
      because: "Partly shown: A partial.",
    },
    {
      name: "satisfied superset plus unknown",
      maps: [map("A", "superset"), map("B", "equal")],
      v: { A: "satisfied", B: "unknown" },
      status: "partial",
      because: "Partly shown: A satisfied; B undecided.",
    },
    {
      name: "all requirements not applicable",
      maps: [map("A", "equal"), map("B", "subset")],
      v: { A: "not-applicable", B: "not-applicable" },
      status: "not-applicable",
    },
    {
      name: "not-applicable ones are neutral",
      maps: [map("A", "equal"), map("B", "superset")],
      v: { A: "satisfied", B: "not-applicable" },
      status: "satisfied",
    },
    {
      name: "unmapped provision is unknown",
      maps: [],
      v: {},
      status: "unknown",
      because: /No core requirement decides this provision \(lab test\)\. Attest it with `provision: r:P1`\./,
    },
  ];
  for (const c of table)
    it(c.name, () => {
      const p = prov(c.maps, c.maps.length === 0 ? { unmapped: "lab test" } : {});
      const got = projectProvision(regime([p]), p, input(c.v));
      assert.equal(got.status, c.status, got.because);
      if (c.residue !== undefined) assert.equal(got.residue, c.residue);
      if (typeof c.because === "string") assert.equal(got.because, c.because);
      else if (c.because) assert.match(got.because, c.because);
    });

  it("a false condition makes the provision not applicable", () => {
    const p = prov([map("A", "equal")], { condition: ["uses-passwords"] });
    const got = projectProvision(
      regime([p]),
      p,
      input({ A: "not-satisfied" }, [], { "uses-passwords": false }),
    );
    assert.equal(got.status, "not-applicable");
  });

  const attest = (status: IdentifiedFinding["status"]): IdentifiedFinding => ({
    id: "att#1",
    check: "attestation.status",
    status,
    message: `attested ${status}`,
    requirements: [],
    provisions: ["r:P1"],
    evidence: ["e"],
    severity: "medium",
  });
  it("a provision attestation clears a residue", () => {
    const p = prov([map("A", "superset")]);
    assert.equal(
      projectProvision(regime([p]), p, input({ A: "satisfied" }, [attest("pass")])).status,
      "satisfied",
    );
  });
  it("a provision attestation decides an unmapped provision", () => {
    const p = prov([], { unmapped: "lab" });
    assert.equal(projectProvision(regime([p]), p, input({}, [attest("pass")])).status, "satisfied");
  });
  it("a provision attestation cannot overrule a failed equal requirement", () => {
    const p = prov([map("A", "equal")]);
    assert.equal(
      projectProvision(regime([p]), p, input({ A: "not-satisfied" }, [attest("pass")])).status,
      "not-satisfied",
    );
  });
  it("a provision attestation may overrule a failed subset requirement (the provision asks less)", () => {
    const p = prov([map("A", "subset")]);
    assert.equal(
      projectProvision(regime([p]), p, input({ A: "not-satisfied" }, [attest("pass")])).status,
      "satisfied",
    );
  });
  it("a failing provision attestation fails it", () => {
    const p = prov([map("A", "equal")]);
    assert.equal(
      projectProvision(regime([p]), p, input({ A: "satisfied" }, [attest("fail")])).status,
      "not-satisfied",
    );
  });
});

describe("regime status", () => {
  const ps = [
    prov([map("A", "equal")], { id: "M1" }),
    prov([map("B", "equal")], { id: "M2" }),
    prov([map("C", "equal")], { id: "R1", level: "recommended" }),
  ];
  it("conformant when every mandatory provision is met; recommended ones do not count", () => {
    const r = projectRegime(regime(ps), input({ A: "satisfied", B: "not-applicable", C: "not-satisfied" }));
    assert.equal(r.status, "conformant");
    assert.equal(r.because, "All 2 mandatory provisions are met or do not apply.");
  });
  it("blocked, naming the blocking provisions", () => {
    const r = projectRegime(regime(ps), input({ A: "not-satisfied", B: "unknown", C: "satisfied" }));
    assert.equal(r.status, "blocked");
    assert.deepEqual(r.blockers, [{ provision: "M1", title: "Provision", from: undefined }]);
    assert.deepEqual(r.missing, ["M2"]);
  });
  it("incomplete, naming what is missing", () => {
    const r = projectRegime(regime(ps), input({ A: "satisfied", B: "partial", C: "satisfied" }));
    assert.equal(r.status, "incomplete");
    assert.equal(r.because, "1 mandatory provision(s) not yet shown: M2.");
  });
  it("a blocker binding later carries its date", () => {
    const later = [prov([map("A", "equal")], { id: "M1", appliesFrom: "2027-12-11" })];
    const r = projectRegime(regime(later), input({ A: "not-satisfied" }));
    assert.deepEqual(r.blockers, [{ provision: "M1", title: "Provision", from: "2027-12-11" }]);
  });
  it("a partial regime can never be conformant", () => {
    const r = projectRegime(
      regime(ps, { completeness: "partial" }),
      input({ A: "satisfied", B: "satisfied" }),
    );
    assert.equal(r.status, "incomplete");
    assert.match(r.because, /Only part of this regime is in the catalog/);
  });
  it("guidance with no mandatory provisions is judged on all of them", () => {
    const rec = [prov([map("A", "equal")], { id: "G1", level: "recommended" })];
    const r = projectRegime(regime(rec, { legalStatus: "voluntary" }), input({ A: "unknown" }));
    assert.equal(r.status, "incomplete");
    assert.equal(r.because, "1 provision(s) not yet shown: G1.");
  });
  it("out of scope when the regime's condition does not hold", () => {
    const r = projectRegime(
      regime(ps, { appliesWhen: ["uses-passwords"] }),
      input({}, [], { "uses-passwords": false }),
    );
    assert.equal(r.status, "not-applicable");
    assert.deepEqual(r.provisions, []);
  });
  it("dates say whether they are in force", () => {
    const r = projectRegime(regime(ps), input({}));
    assert.deepEqual(r.dates, [
      { what: "in-force", date: "2024-04-29", inForce: true },
      { what: "applies", date: "2027-12-11", inForce: false },
    ]);
  });
});

describe("label levels", () => {
  const ps = [
    prov([map("A", "equal")], { id: "L1a", tags: ["L1"] }),
    prov([map("B", "equal")], { id: "L2a", tags: ["L2"] }),
  ];
  const labelled = regime(ps, {
    kind: "label",
    legalStatus: "voluntary",
    labels: [
      {
        id: "cls",
        name: "CLS",
        levels: [
          { id: "1", name: "Level 1", requires: { tags: ["L1"] } },
          { id: "2", name: "Level 2", requires: { tags: ["L1", "L2"] } },
        ],
      },
    ],
  });
  it("level 1 within reach, level 2 needs its provision", () => {
    const r = projectRegime(labelled, input({ A: "satisfied", B: "unknown" }));
    assert.deepEqual(
      r.labels.map((l) => [l.level, l.eligible, l.needs]),
      [
        ["1", true, []],
        ["2", false, ["L2a"]],
      ],
    );
  });
  it("market row lists eligible labels and the next ones", () => {
    const r = projectRegime(labelled, input({ A: "satisfied", B: "unknown" }));
    const m = summarizeMarket("UK", [r]);
    assert.equal(m.status, "voluntary-only");
    assert.deepEqual(m.labels, ["CLS Level 1"]);
    assert.deepEqual(m.labelsNext, ["CLS Level 2 (needs L2a)"]);
  });
});

describe("market rows", () => {
  const ps = [prov([map("A", "equal")], { id: "M1" })];
  it("the worst mandatory regime decides; later-binding blockers give a date", () => {
    const now = projectRegime(regime(ps, { id: "law-a" }), input({ A: "unknown" }));
    const later = projectRegime(
      regime([prov([map("A", "equal")], { id: "M9", appliesFrom: "2027-12-11" })], { id: "law-b" }),
      input({ A: "not-satisfied" }),
    );
    const m = summarizeMarket("UK", [now, later]);
    assert.equal(m.status, "blocked");
    assert.equal(m.blockedFrom, "2027-12-11");
    assert.deepEqual(m.blockers, ["law-b:M9"]);
    assert.equal(m.missing, 1);
  });
});
