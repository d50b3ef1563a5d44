// Evidence from the manifest itself: what the maker declares (identity, support period, disclosure
// policy, cloud endpoints), the attestations with their hashed evidence files, and the artifacts
// that later collectors examine (recorded with their hashes so the report shows what was assessed).
import { stat } from "node:fs/promises";
import { isAbsolute, join, relative } from "node:path";
import { makeEvidence, type Evidence, type EvidenceSource } from "../../evidence/types.js";
import {
  KIND,
  type ArtifactData,
  type AttestationData,
  type CloudEndpointData,
  type DisclosureData,
  type ProductIdentityData,
  type SupportPeriodData,
} from "../../evidence/kinds.js";
import type { AttestationT } from "../../manifest/schema.js";
import { sha256File } from "../../util/hash.js";
import { InputError } from "../../util/problems.js";
import type { CollectContext, Collector } from "../types.js";
import { attestationsFilePath, readAttestationsFile } from "../../manifest/attestations-file.js";
import { MANIFEST_KIND, type AttestedFile, type MarketsData } from "../../evidence/markets.js";

const ID = "manifest";
const VERSION = "1.0.0";

type Hashed = { path: string; sha256: string; bytes: number };

/** Hash a file once per run, however many attestations cite it. `base` is the folder relative
 * paths start at (the manifest's, or the attestations file's). */
function hasher(ctx: CollectContext): (p: string, base?: string) => Promise<Hashed> {
  const seen = new Map<string, Promise<Hashed>>();
  return (p, base = ctx.manifest.dir) => {
    const abs = isAbsolute(p) ? p : join(base, p);
    let result = seen.get(abs);
    if (!result) {
      // Paths are stored relative to the manifest so the report is the same on every machine.
      result = Promise.all([sha256File(abs), stat(abs)]).then(([digest, info]) => ({
        path: relative(ctx.manifest.dir, abs) || p,
        sha256: digest,
        bytes: info.size,
      }));
      seen.set(abs, result);
    }
    return result;
  };
}

export const manifestCollector: Collector = {
  id: ID,
  version: VERSION,
  applies: () => true,
  async *collect(ctx: CollectContext): AsyncIterable<Evidence> {
    const { manifest: m, locate } = ctx.manifest;
    const hashed = hasher(ctx);
    const src = (path: (string | number)[]): EvidenceSource => ({
      collector: ID,
      version: VERSION,
      artifact: { path: "concord.yaml", sha256: ctx.manifest.sha256 },
      location: `concord.yaml:${locate(path)}`,
      at: ctx.at,
    });

    yield makeEvidence<MarketsData>(
      MANIFEST_KIND.markets,
      "organisation",
      { markets: m.markets },
      src(["markets"]),
    );
    const p = m.product;
    yield makeEvidence<ProductIdentityData>(
      KIND.productIdentity,
      "organisation",
      { name: p.name, maker: p.maker.name, model: p.model, version: p.version, category: p.category },
      src(["product"]),
    );
    if (m.support)
      yield makeEvidence<SupportPeriodData>(
        KIND.supportPeriod,
        "organisation",
        { ...m.support },
        src(["support"]),
      );
    if (m.disclosure)
      yield makeEvidence<DisclosureData>(
        KIND.disclosure,
        "organisation",
        { ...m.disclosure },
        src(["disclosure"]),
      );
    for (const [i, c] of (m.artifacts?.cloud ?? []).entries())
      yield makeEvidence<CloudEndpointData>(
        KIND.cloudEndpoint,
        "cloud",
        { url: c.url, purpose: c.purpose },
        src(["artifacts", "cloud", i]),
      );

    const attestation = async (a: AttestationT, base: string, source: EvidenceSource) => {
      const files: AttestedFile[] = await Promise.all(
        a.evidence.map(async (f) => {
          const h = await hashed(f, base);
          const attested = a.evidenceSha256?.[f];
          // The hash recorded when it was attested: a differing one means the document changed since.
          return attested ? { ...h, attestedSha256: attested } : h;
        }),
      );
      const data: AttestationData = {
        requirement: a.requirement,
        provision: a.provision,
        claim: a.claim,
        statement: a.statement,
        by: a.by,
        date: a.date,
        validUntil: a.validUntil,
        files,
      };
      return makeEvidence(KIND.attestation, "organisation", data, source);
    };
    for (const [i, a] of (m.attestations ?? []).entries())
      yield await attestation(a, ctx.manifest.dir, src(["attestations", i]));
    const art = m.artifacts;
    const declare = async (
      type: ArtifactData["type"],
      path: (string | number)[],
      file?: string,
      detail?: Record<string, unknown>,
    ) => {
      const h = file ? await hashed(file) : undefined;
      return makeEvidence<ArtifactData>(
        KIND.artifact,
        type === "app" ? "app" : type === "device" ? "network" : "device",
        { type, path: h?.path, sha256: h?.sha256, bytes: h?.bytes, detail },
        src(path),
      );
    };
    for (const [i, f] of (art?.firmware ?? []).entries())
      yield await declare("firmware", ["artifacts", "firmware", i], f.path, { version: f.version });
    for (const [i, s] of (art?.sboms ?? []).entries())
      yield await declare("sbom", ["artifacts", "sboms", i], s.path, { format: s.format });
    for (const [i, a] of (art?.apps ?? []).entries())
      yield await declare("app", ["artifacts", "apps", i], a.path, { platform: a.platform, id: a.id });
    if (art?.mud) yield await declare("mud", ["artifacts", "mud"], art.mud.path);
    if (art?.device)
      yield await declare("device", ["artifacts", "device"], undefined, {
        address: art.device.address,
        ports: art.device.ports,
      });
    if (m.attestationsFile) {
      const loaded = readAttestationsFile(attestationsFilePath(ctx.manifest.dir, m.attestationsFile));
      const shown = relative(ctx.manifest.dir, loaded.file) || m.attestationsFile;
      // A broken attestations file must not pass silently: it stops this collector with every
      // problem named, after all the manifest's own evidence (the run records the error).
      if (loaded.problems.length > 0)
        throw new InputError(loaded.problems, `${shown} has ${loaded.problems.length} problem(s)`);
      for (const [i, a] of loaded.attestations.entries())
        yield await attestation(a, loaded.dir, {
          collector: ID,
          version: VERSION,
          artifact: { path: shown, sha256: loaded.sha256 },
          location: `${shown}:${loaded.locate(["attestations", i])}`,
          at: ctx.at,
        });
    }
  },
};
