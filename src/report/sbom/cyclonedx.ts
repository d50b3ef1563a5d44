// CycloneDX 1.6 JSON for one firmware image: the image is metadata.component (type firmware, with
// its sha256), each identified component carries its purl and CPE and the evidence behind it:
// evidence.identity says how it was identified (manifest-analysis for a package database,
// binary-analysis for a version banner, filename for a version in a path) with a confidence, and
// evidence.occurrences lists every file it was found in. The serial number is derived from the
// content, so the same image and components give the same bytes except for the timestamp.
import { basename } from "node:path";
import { TOOL_VERSION } from "../../util/version.js";
import type { ComponentData, FirmwareImageData } from "../../evidence/firmware.js";
import type { Evidence } from "../../evidence/types.js";
import { sha256, stableUuid } from "../../util/hash.js";
import { KNOWN_LICENSES, mergeComponents, type SbomComponent, type SbomOptions } from "./common.js";

const MAX_CONTEXT = 200;

function firmwareRef(image: FirmwareImageData): string {
  return `firmware:${image.sha256.slice(0, 16)}`;
}

function component(c: SbomComponent): Record<string, unknown> {
  const identity = {
    field: c.purl ? "purl" : "name",
    confidence: c.confidence,
    concludedValue: c.purl ?? c.name,
    methods: c.methods.map((m) => ({ technique: m.technique, confidence: m.confidence, value: m.match })),
  };
  const occurrences = c.occurrences.map((o) => ({
    location: o.location,
    ...(o.offset !== undefined ? { offset: o.offset } : {}),
    ...(o.match !== undefined || o.sha256 !== undefined
      ? {
          additionalContext: [o.sha256 ? `sha256:${o.sha256}` : "", o.match ? `matched: ${o.match}` : ""]
            .filter(Boolean)
            .join("; ")
            .slice(0, MAX_CONTEXT + 80),
        }
      : {}),
  }));
  return {
    type: c.role,
    "bom-ref": c.key,
    ...(c.supplier ? { supplier: { name: c.supplier } } : {}),
    name: c.name,
    version: c.version,
    // One file, one hash: a component found in several different files has no single hash.
    ...(c.hashes.length === 1 ? { hashes: [{ alg: "SHA-256", content: c.hashes[0] }] } : {}),
    ...(c.licenses.length
      ? {
          licenses: c.licenses.map((l) =>
            KNOWN_LICENSES.has(l) ? { license: { id: l } } : { license: { name: l } },
          ),
        }
      : {}),
    ...(c.cpe ? { cpe: c.cpe } : {}),
    ...(c.purl ? { purl: c.purl } : {}),
    evidence: { identity: [identity], occurrences },
  };
}

export function toCycloneDx(
  image: FirmwareImageData,
  components: readonly Evidence<ComponentData>[],
  generatedAt: string,
  opts: SbomOptions = {},
): Record<string, unknown> {
  const merged = mergeComponents(components);
  const root = firmwareRef(image);
  const body = merged.map(component);
  return {
    bomFormat: "CycloneDX",
    specVersion: "1.6",
    serialNumber: `urn:uuid:${stableUuid(`cyclonedx:${image.sha256}:${sha256(JSON.stringify(body))}`)}`,
    version: 1,
    metadata: {
      timestamp: generatedAt,
      tools: {
        components: [{ type: "application", name: "concord", version: opts.toolVersion ?? TOOL_VERSION }],
      },
      component: {
        type: "firmware",
        "bom-ref": root,
        name: basename(image.path),
        hashes: [{ alg: "SHA-256", content: image.sha256 }],
      },
    },
    components: body,
    dependencies: [
      { ref: root, dependsOn: merged.map((c) => c.key) },
      ...merged.map((c) => ({ ref: c.key })),
    ],
  };
}
