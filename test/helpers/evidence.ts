// Build evidence for check and verdict tables without going through a manifest.
import { EvidenceIndex, makeEvidence, type Evidence } from "../../src/evidence/types.js";
import type { Layer } from "../../src/catalog/schema.js";

export function ev<T>(
  kind: string,
  data: T,
  subject: Layer = "organisation",
  location = "concord.yaml:1:1",
): Evidence<T> {
  return makeEvidence(kind, subject, data, {
    collector: "test",
    version: "0",
    location,
    at: "2026-11-25T00:00:00.000Z",
  });
}

export function index(...items: Evidence[]): EvidenceIndex {
  return new EvidenceIndex(items);
}
