// Crosswalk queries over the catalog: the library API behind `concord catalog …`.
import type { Catalog } from "./load.js";
import type { MappingT, ProvisionT, Relation, RegimeT, RequirementT } from "./schema.js";

export interface ProvisionRef {
  regime: string;
  regimeName: string;
  provision: string;
  title: string;
  level: ProvisionT["level"];
  relation: Relation;
  confidence: MappingT["confidence"];
  rationale: string;
}

/** A requirement with every provision, in every regime, that maps to it. */
export function requirementUsage(catalog: Catalog, id: string): { requirement: RequirementT; provisions: ProvisionRef[] } | undefined {
  const requirement = catalog.requirement(id);
  if (!requirement) return undefined;
  const provisions: ProvisionRef[] = [];
  for (const r of catalog.regimes)
    for (const p of r.provisions)
      for (const m of p.maps)
        if (m.requirement === id)
          provisions.push({ regime: r.id, regimeName: r.shortName, provision: p.id, title: p.title, level: p.level, relation: m.relation, confidence: m.confidence, rationale: m.rationale });
  return { requirement, provisions };
}

/** Requirements a regime's mandatory provisions ask for at least in full (equal or superset). */
export function requirementsFullyDemanded(regime: RegimeT): Set<string> {
  const out = new Set<string>();
  for (const p of regime.provisions)
    if (p.level === "mandatory") for (const m of p.maps) if (m.relation === "equal" || m.relation === "superset") out.add(m.requirement);
  return out;
}

export interface DeltaItem {
  provision: string;
  title: string;
  status: "covered" | "covered-with-residue" | "needs-work" | "needs-review";
  /** Core requirements that meeting the first regime does not already show. */
  requirements: string[];
  residue?: string;
}

/**
 * "Already compliant with `from`: what more for `to`?" For each mandatory provision of `to`:
 * covered when every requirement it maps to is fully demanded by `from` and the relation is
 * equal or subset; covered with residue for superset/intersects; otherwise the requirements
 * still to show. Unmapped provisions always need review.
 */
export function delta(catalog: Catalog, fromId: string, toId: string): { from: RegimeT; to: RegimeT; items: DeltaItem[] } {
  const from = catalog.regime(fromId);
  const to = catalog.regime(toId);
  if (!from || !to) throw new Error(`unknown regime ${!from ? fromId : toId}; \`concord catalog regimes\` lists the ids`);
  const have = requirementsFullyDemanded(from);
  const items = to.provisions
    .filter((p) => p.level === "mandatory")
    .map((p): DeltaItem => {
      if (p.maps.length === 0) return { provision: p.id, title: p.title, status: "needs-review", requirements: [], residue: p.unmapped };
      const missing = p.maps.map((m) => m.requirement).filter((q) => !have.has(q));
      if (missing.length > 0) return { provision: p.id, title: p.title, status: "needs-work", requirements: [...new Set(missing)] };
      const extra = p.maps.filter((m) => m.relation === "superset" || m.relation === "intersects");
      if (extra.length > 0) return { provision: p.id, title: p.title, status: "covered-with-residue", requirements: [], residue: extra.map((m) => m.residue).join(" ") };
      return { provision: p.id, title: p.title, status: "covered", requirements: [] };
    });
  return { from, to, items };
}

export interface RegimeCoverage {
  regime: string;
  completeness: RegimeT["completeness"];
  provisions: number;
  mandatory: number;
  mapped: number;
  unmapped: number;
  relations: Record<Relation, number>;
  confidence: Record<MappingT["confidence"], number>;
  requirements: number;
}

export function coverage(catalog: Catalog): { regimes: RegimeCoverage[]; requirements: { id: string; regimes: number; provisions: number }[]; unused: string[] } {
  const regimes = catalog.regimes.map((r): RegimeCoverage => {
    const maps = r.provisions.flatMap((p) => p.maps);
    const count = <K extends string>(keys: K[], get: (m: MappingT) => K) => Object.fromEntries(keys.map((k) => [k, maps.filter((m) => get(m) === k).length])) as Record<K, number>;
    return {
      regime: r.id,
      completeness: r.completeness,
      provisions: r.provisions.length,
      mandatory: r.provisions.filter((p) => p.level === "mandatory").length,
      mapped: r.provisions.filter((p) => p.maps.length > 0).length,
      unmapped: r.provisions.filter((p) => p.maps.length === 0).length,
      relations: count(["equal", "subset", "superset", "intersects"], (m) => m.relation),
      confidence: count(["official", "published", "judged"], (m) => m.confidence),
      requirements: new Set(maps.map((m) => m.requirement)).size,
    };
  });
  const requirements = catalog.baseline.requirements.map((q) => {
    const hits = catalog.regimes.flatMap((r) => r.provisions.filter((p) => p.maps.some((m) => m.requirement === q.id)).map(() => r.id));
    return { id: q.id, regimes: new Set(hits).size, provisions: hits.length };
  });
  return { regimes, requirements, unused: requirements.filter((q) => q.provisions === 0).map((q) => q.id) };
}

/** The whole catalog as one JSON document, for other tools. */
export function catalogJson(catalog: Catalog): unknown {
  return { format: "concord-catalog", formatVersion: 1, version: catalog.version, digest: catalog.digest, baseline: catalog.baseline, regimes: catalog.regimes };
}
