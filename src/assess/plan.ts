// The plan: which collectors run, which regimes are assessed. Pure: it only reads the manifest
// and the catalog.
import type { Catalog } from "../catalog/load.js";
import type { RegimeT } from "../catalog/schema.js";
import { makeCollectors, type CollectorOptions } from "../collect/index.js";
import type { CollectContext, Collector } from "../collect/types.js";
import type { ManifestT } from "../manifest/schema.js";

export interface Plan {
  collectors: Collector[];
  markets: string[];
  regimes: RegimeT[];
}

/**
 * Regimes to assess: every regime of the markets in play (the manifest's, or `onlyMarkets`),
 * plus `regimes.include`, minus `regimes.exclude`. `allRegimes` assesses the whole catalog.
 */
export function selectRegimes(
  catalog: Catalog,
  manifest: ManifestT,
  onlyMarkets?: string[],
  allRegimes = false,
): { markets: string[]; regimes: RegimeT[] } {
  const markets = onlyMarkets && onlyMarkets.length > 0 ? onlyMarkets : manifest.markets;
  const include = new Set(manifest.regimes?.include ?? []);
  const exclude = new Set(manifest.regimes?.exclude ?? []);
  const regimes = catalog.regimes.filter(
    (r) =>
      allRegimes || (!exclude.has(r.id) && (include.has(r.id) || r.markets.some((m) => markets.includes(m)))),
  );
  return { markets, regimes };
}

export function makePlan(
  catalog: Catalog,
  ctx: CollectContext,
  onlyMarkets?: string[],
  allRegimes = false,
  collectorOptions: CollectorOptions = {},
): Plan {
  return {
    collectors: makeCollectors(collectorOptions).filter((c) => c.applies(ctx)),
    ...selectRegimes(catalog, ctx.manifest.manifest, onlyMarkets, allRegimes),
  };
}

/** Every market code some regime serves: the vocabulary the manifest is checked against. */
export function knownMarkets(catalog: Catalog): Set<string> {
  return new Set(catalog.regimes.flatMap((r) => r.markets));
}
