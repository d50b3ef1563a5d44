// An SBOM component as the firmware.component evidence shape, so the vulnerability matcher reads
// components from a supplier's SBOM the same way as those found in an image.

import type { ComponentData } from "../../evidence/firmware.js";
import type { SbomComponent, SbomFormat } from "./types.js";

const ROLES: Record<string, ComponentData["role"]> = {
  application: "application",
  library: "library",
  framework: "library",
  "operating-system": "operating-system",
};

/** `method` is "sbom"; `match` names the document and where in it the component was read. */
export function toComponentData(c: SbomComponent, file: string, format?: SbomFormat): ComponentData {
  const d: ComponentData = {
    name: c.name,
    version: c.version,
    method: "sbom",
    match: `${file}${format ? ` (${format})` : ""}: ${c.location}`,
    confidence: 1,
  };
  if (c.purl) d.purl = c.purl;
  if (c.cpe) d.cpe = c.cpe;
  if (c.supplier) d.supplier = c.supplier;
  if (c.licenses?.length) d.licenses = [...c.licenses];
  const role = c.type ? ROLES[c.type] : undefined;
  if (role) d.role = role;
  return d;
}
