// SPDX 2.3 JSON for one firmware image: the document DESCRIBES the firmware package, which
// CONTAINS one package per identified component, each with its purl (PACKAGE-MANAGER) and CPE
// (SECURITY cpe23Type) as external references. SPDX has no field for identification evidence,
// so sourceInfo says how and where each component was found. Element ids and the namespace are
// derived from content; only `created` varies between runs.
import { basename } from "node:path";
import { TOOL_VERSION } from "../../util/version.js";
import type { ComponentData, FirmwareImageData } from "../../evidence/firmware.js";
import type { Evidence } from "../../evidence/types.js";
import { sha256, stableUuid } from "../../util/hash.js";
import { cmp, KNOWN_LICENSES, mergeComponents, type SbomComponent, type SbomOptions } from "./common.js";

const PURPOSE = { application: "APPLICATION", library: "LIBRARY", "operating-system": "OPERATING_SYSTEM" };
const MAX_PLACES = 20;

const spdxId = (kind: string, name: string, key: string) =>
  `SPDXRef-${kind}-${name.replace(/[^A-Za-z0-9.-]/g, "-").slice(0, 64)}-${sha256(key).slice(0, 12)}`;

/** SPDX wants "YYYY-MM-DDThh:mm:ssZ": no fractional seconds. */
function spdxTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new Error(`generatedAt is not a date: ${JSON.stringify(iso)}`);
  return `${d.toISOString().slice(0, 19)}Z`;
}

/** A declared licence only when every part is a known SPDX identifier; otherwise NOASSERTION. */
function declared(licenses: string[]): string {
  return licenses.length && licenses.every((l) => KNOWN_LICENSES.has(l))
    ? licenses.join(" AND ")
    : "NOASSERTION";
}

function sourceInfo(c: SbomComponent): string {
  const how = c.methods.map((m) => `${m.method} (${m.technique}, confidence ${m.confidence}): ${m.match}`);
  const places = c.occurrences.slice(0, MAX_PLACES).map((o) => o.location);
  const more = c.occurrences.length > MAX_PLACES ? ` and ${c.occurrences.length - MAX_PLACES} more` : "";
  return `identified by ${how.join("; ")}; found at ${places.join(", ")}${more}`;
}

function pkg(c: SbomComponent, id: string): Record<string, unknown> {
  const refs = [
    ...(c.purl
      ? [{ referenceCategory: "PACKAGE-MANAGER", referenceType: "purl", referenceLocator: c.purl }]
      : []),
    ...(c.cpe
      ? [{ referenceCategory: "SECURITY", referenceType: "cpe23Type", referenceLocator: c.cpe }]
      : []),
  ];
  return {
    SPDXID: id,
    name: c.name,
    versionInfo: c.version,
    downloadLocation: "NOASSERTION",
    filesAnalyzed: false,
    ...(c.hashes.length === 1 ? { checksums: [{ algorithm: "SHA256", checksumValue: c.hashes[0] }] } : {}),
    sourceInfo: sourceInfo(c),
    licenseConcluded: "NOASSERTION",
    licenseDeclared: declared(c.licenses),
    copyrightText: "NOASSERTION",
    ...(refs.length ? { externalRefs: refs } : {}),
    primaryPackagePurpose: PURPOSE[c.role],
  };
}

export function toSpdx(
  image: FirmwareImageData,
  components: readonly Evidence<ComponentData>[],
  generatedAt: string,
  opts: SbomOptions = {},
): Record<string, unknown> {
  const name = basename(image.path);
  const root = spdxId("Firmware", name, image.sha256);
  const merged = mergeComponents(components);
  const packages = merged.map((c) => pkg(c, spdxId("Package", c.name, c.key)));
  const ids = packages.map((p) => p.SPDXID as string).sort(cmp);
  const content = sha256(JSON.stringify(packages));
  return {
    spdxVersion: "SPDX-2.3",
    dataLicense: "CC0-1.0",
    SPDXID: "SPDXRef-DOCUMENT",
    name: `${name} firmware SBOM`,
    documentNamespace: `https://spdx.org/spdxdocs/concord-${name.replace(/[^A-Za-z0-9.-]/g, "-")}-${stableUuid(`spdx:${image.sha256}:${content}`)}`,
    creationInfo: {
      created: spdxTime(generatedAt),
      creators: [`Tool: concord-${opts.toolVersion ?? TOOL_VERSION}`],
    },
    packages: [
      {
        SPDXID: root,
        name,
        downloadLocation: "NOASSERTION",
        filesAnalyzed: false,
        checksums: [{ algorithm: "SHA256", checksumValue: image.sha256 }],
        licenseConcluded: "NOASSERTION",
        licenseDeclared: "NOASSERTION",
        copyrightText: "NOASSERTION",
        primaryPackagePurpose: "FIRMWARE",
      },
      ...packages,
    ],
    relationships: [
      { spdxElementId: "SPDXRef-DOCUMENT", relationshipType: "DESCRIBES", relatedSpdxElement: root },
      ...ids.map((id) => ({ spdxElementId: root, relationshipType: "CONTAINS", relatedSpdxElement: id })),
    ],
  };
}
