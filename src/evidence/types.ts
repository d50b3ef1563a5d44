// Evidence: a typed fact with provenance. Everything downstream (checks, verdicts, reports) points
// back at evidence by id; nothing downstream invents facts.
import type { Layer } from "../catalog/schema.js";
import { sha256 } from "../util/hash.js";

export interface EvidenceSource {
  collector: string;
  version: string;
  /** The input the fact came from, with its hash, so a report can prove what was read. */
  artifact?: { path: string; sha256: string };
  /** Where inside the artifact: file:line:col, a path in an image, a port, a transcript offset. */
  location?: string;
  at: string;
}

export interface Evidence<T = unknown> {
  id: string;
  kind: string;
  subject: Layer;
  data: T;
  source: EvidenceSource;
}

/** Deterministic id: the same fact from the same input always gets the same id. */
export function evidenceId(kind: string, source: EvidenceSource, data: unknown): string {
  return `ev-${sha256(JSON.stringify([kind, source.collector, source.artifact?.sha256 ?? "", source.location ?? "", data])).slice(0, 16)}`;
}

export function makeEvidence<T>(kind: string, subject: Layer, data: T, source: EvidenceSource): Evidence<T> {
  return { id: evidenceId(kind, source, data), kind, subject, data, source };
}

export class EvidenceIndex {
  private readonly byId = new Map<string, Evidence>();
  private readonly byKindMap = new Map<string, Evidence[]>();

  constructor(items: Iterable<Evidence> = []) {
    for (const e of items) this.add(e);
  }

  add(e: Evidence): void {
    if (this.byId.has(e.id)) return; // the same fact reported twice is one fact
    this.byId.set(e.id, e);
    const list = this.byKindMap.get(e.kind) ?? [];
    list.push(e);
    this.byKindMap.set(e.kind, list);
  }

  get(id: string): Evidence | undefined {
    return this.byId.get(id);
  }

  ofKind<T>(kind: string): Evidence<T>[] {
    return (this.byKindMap.get(kind) ?? []) as Evidence<T>[];
  }

  all(): Evidence[] {
    return [...this.byId.values()];
  }
}
