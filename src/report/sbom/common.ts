// What both SBOM formats need from firmware.component evidence: one entry per component (the
// same package or banner found in two filesystems of one image is one component), the methods
// that identified it mapped to CycloneDX analysis techniques, and every place it was found, in a
// stable order so the same image always gives the same document.
import type { ComponentData } from "../../evidence/firmware.js";
import type { Evidence } from "../../evidence/types.js";

export interface SbomOptions {
  /** Recorded as the generating tool; defaults to this package's version. */
  toolVersion?: string;
}

export type Technique = "manifest-analysis" | "binary-analysis" | "filename" | "other";

export interface SbomMethod {
  method: string;
  technique: Technique;
  confidence: number;
  match: string;
}

export interface SbomOccurrence {
  /** "<filesystem id>:<path>" */
  location: string;
  offset?: number;
  sha256?: string;
  match?: string;
}

export interface SbomComponent {
  /** purl when there is one, else name@version: unique within the document. */
  key: string;
  name: string;
  version: string;
  purl?: string;
  cpe?: string;
  role: "application" | "library" | "operating-system";
  supplier?: string;
  licenses: string[];
  confidence: number;
  methods: SbomMethod[];
  occurrences: SbomOccurrence[];
  /** Distinct sha256 of the files it was found in. */
  hashes: string[];
}

const TECHNIQUE: Record<string, Technique> = {
  opkg: "manifest-analysis",
  dpkg: "manifest-analysis",
  rpm: "manifest-analysis",
  fingerprint: "binary-analysis",
  vermagic: "binary-analysis",
  "kernel-banner": "binary-analysis",
  "kernel-module": "binary-analysis",
  filename: "filename",
  "modules-dir": "filename",
};

/** SPDX licence identifiers common in package databases; other licence text stays a free name. */
export const KNOWN_LICENSES: ReadonlySet<string> = new Set([
  "GPL-1.0-or-later",
  "GPL-2.0",
  "GPL-2.0-only",
  "GPL-2.0-or-later",
  "GPL-3.0-only",
  "GPL-3.0-or-later",
  "LGPL-2.1-only",
  "LGPL-2.1-or-later",
  "LGPL-3.0-or-later",
  "MIT",
  "BSD-2-Clause",
  "BSD-3-Clause",
  "ISC",
  "Apache-2.0",
  "OpenSSL",
  "Zlib",
  "MPL-2.0",
  "curl",
]);

export const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The filesystem part of an evidence location "squashfs@0x120000:/usr/lib/opkg/status:12". */
function filesystemOf(e: Evidence): string {
  const loc = e.source.location ?? "";
  const cut = loc.indexOf(":/");
  return cut > 0 ? loc.slice(0, cut) : "";
}

export function mergeComponents(evidence: readonly Evidence<ComponentData>[]): SbomComponent[] {
  const byKey = new Map<string, SbomComponent>();
  for (const e of evidence) {
    const d = e.data;
    const key = d.purl ?? `${d.name}@${d.version}`;
    const fs = filesystemOf(e);
    const at = (path: string) => (fs ? `${fs}:${path}` : path);
    let c = byKey.get(key);
    if (!c) {
      c = {
        key,
        name: d.name,
        version: d.version,
        purl: d.purl,
        cpe: d.cpe,
        role: d.role ?? (d.name.startsWith("lib") ? "library" : "application"),
        supplier: d.supplier,
        licenses: [],
        confidence: 0,
        methods: [],
        occurrences: [],
        hashes: [],
      };
      byKey.set(key, c);
    }
    c.cpe ??= d.cpe;
    c.supplier ??= d.supplier;
    for (const l of d.licenses ?? []) if (!c.licenses.includes(l)) c.licenses.push(l);
    const methods = [
      { method: d.method, confidence: d.confidence ?? 0.5, match: d.match },
      ...(d.corroboratedBy ?? []),
    ];
    for (const m of methods)
      if (!c.methods.some((x) => x.method === m.method))
        c.methods.push({ ...m, technique: TECHNIQUE[m.method] ?? "other" });
    c.confidence = Math.max(c.confidence, ...methods.map((m) => m.confidence));
    // A package with no files seen still occurs where its database entry is.
    const places = d.occurrences?.length
      ? d.occurrences.map((o) => ({
          location: at(o.path),
          offset: o.offset,
          sha256: o.sha256,
          match: o.match,
        }))
      : [{ location: e.source.location ?? "", sha256: d.fileSha256 }];
    for (const o of places) {
      if (!c.occurrences.some((x) => x.location === o.location)) c.occurrences.push(o);
      if (o.sha256 && !c.hashes.includes(o.sha256)) c.hashes.push(o.sha256);
    }
  }
  const out = [...byKey.values()].sort((a, b) => cmp(a.key, b.key));
  for (const c of out) {
    c.methods.sort((a, b) => b.confidence - a.confidence || cmp(a.method, b.method));
    c.occurrences.sort((a, b) => cmp(a.location, b.location));
    c.hashes.sort();
    c.licenses.sort();
  }
  return out;
}
