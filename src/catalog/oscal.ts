// Export the catalog as OSCAL 1.0.6: the core baseline as a catalog of controls, each regime as
// a catalog of its provisions, and each regime as a profile selecting the baseline controls its
// provisions map to. UUIDs derive from the catalog digest so exports are reproducible.
import { stableUuid } from "../util/hash.js";
import type { Catalog } from "./load.js";
import type { RegimeT } from "./schema.js";

const OSCAL_VERSION = "1.0.6";
const NS = "https://concord.dev/ns/oscal";
const controlId = (id: string) => id.toLowerCase();
/** OSCAL tokens: letters, digits, '.', '_' and '-' only, starting with a letter or '_'. */
const token = (s: string) => {
  const t = s.replace(/[^A-Za-z0-9._-]+/g, "_");
  return /^[A-Za-z_]/.test(t) ? t : `p_${t}`;
};

function metadata(catalog: Catalog, title: string) {
  return { title, "last-modified": "2026-01-01T00:00:00Z", version: catalog.version, "oscal-version": OSCAL_VERSION };
}

export function baselineToOscal(catalog: Catalog): unknown {
  const b = catalog.baseline;
  const groups = new Map<string, typeof b.requirements>();
  for (const r of b.requirements) {
    const area = r.id.split("-")[0]!;
    groups.set(area, [...(groups.get(area) ?? []), r]);
  }
  return {
    catalog: {
      uuid: stableUuid(`${catalog.digest}|baseline`),
      metadata: metadata(catalog, "Concord core baseline for connected products"),
      groups: [...groups.entries()].map(([area, reqs]) => ({
        id: area.toLowerCase(),
        title: area,
        controls: reqs.map((r) => ({
          id: controlId(r.id),
          title: r.title,
          props: [
            { name: "label", value: r.id },
            { name: "severity", ns: NS, value: r.severity },
            ...r.layers.map((l) => ({ name: "layer", ns: NS, value: l })),
          ],
          parts: [
            { id: `${controlId(r.id)}_smt`, name: "statement", prose: r.statement },
            { id: `${controlId(r.id)}_gdn`, name: "guidance", prose: `${r.rationale} Grounded in: ${r.groundedIn.join("; ")}.` },
            { id: `${controlId(r.id)}_obj`, name: "assessment-objective", prose: r.decidedBy.attestation },
          ],
        })),
      })),
      "back-matter": { resources: b.sources.map((s) => ({ uuid: stableUuid(`${catalog.digest}|source|${s.id}`), title: s.title, ...(s.url ? { rlinks: [{ href: s.url }] } : {}) })) },
    },
  };
}

export function regimeToOscal(catalog: Catalog, r: RegimeT): unknown {
  return {
    catalog: {
      uuid: stableUuid(`${catalog.digest}|regime|${r.id}`),
      metadata: metadata(catalog, `${r.name} (Concord paraphrase)`),
      controls: r.provisions.map((p) => ({
        id: token(`${r.id}-${p.id}`).toLowerCase(),
        title: p.title,
        props: [
          { name: "label", value: p.id },
          { name: "level", ns: NS, value: p.level },
          ...p.maps.map((m) => ({ name: "maps-to", ns: NS, value: controlId(m.requirement), class: m.relation, remarks: `${m.confidence}: ${m.rationale}` })),
        ],
        parts: [{ id: token(`${r.id}-${p.id}_smt`).toLowerCase(), name: "statement", prose: p.summary }],
      })),
      "back-matter": { resources: r.sources.map((s) => ({ uuid: stableUuid(`${catalog.digest}|${r.id}|source|${s.id}`), title: s.title, ...(s.url ? { rlinks: [{ href: s.url }] } : {}) })) },
    },
  };
}

/** A profile selecting, from the baseline catalog, the controls this regime's provisions map to. */
export function regimeProfile(catalog: Catalog, r: RegimeT, baselineHref = "concord-baseline.oscal.json"): unknown {
  const ids = [...new Set(r.provisions.flatMap((p) => p.maps.map((m) => controlId(m.requirement))))].sort();
  if (ids.length === 0) return undefined; // nothing to select: a regime known only by its metadata
  return {
    profile: {
      uuid: stableUuid(`${catalog.digest}|profile|${r.id}`),
      metadata: metadata(catalog, `${r.shortName} as a selection of the Concord core baseline`),
      imports: [{ href: baselineHref, "include-controls": [{ "with-ids": ids }] }],
    },
  };
}
