// Firmware evidence for check tables: facts tied to an image by its artifact hash, as the
// firmware collector records them.
import type { FirmwareImageData } from "../../src/evidence/firmware.js";
import { FW } from "../../src/evidence/firmware.js";
import { makeEvidence, type Evidence } from "../../src/evidence/types.js";

const AT = "2026-11-25T00:00:00.000Z";

export function fwFact<T>(kind: string, data: T, location: string, image = "img-a"): Evidence<T> {
  return makeEvidence(kind, "device", data, {
    collector: "firmware/test",
    version: "1",
    artifact: { path: `${image}.bin`, sha256: image },
    location: `squashfs@0x0:${location}`,
    at: AT,
  });
}

export function fwImage(
  image = "img-a",
  analyzers: Record<string, string> = { secrets: "1", elf: "1" },
  stoppedBy?: string,
): Evidence<FirmwareImageData> {
  const data: FirmwareImageData = {
    path: `${image}.bin`,
    sha256: image,
    bytes: 1024,
    layers: [],
    filesystems: [{ id: "squashfs@0x0", format: "squashfs", files: 10 }],
    problems: stoppedBy ? [stoppedBy] : [],
    analyzers,
  };
  if (stoppedBy) data.stoppedBy = stoppedBy;
  return makeEvidence(FW.image, "device", data, {
    collector: "firmware",
    version: "1",
    artifact: { path: `${image}.bin`, sha256: image },
    location: `${image}.bin`,
    at: AT,
  });
}
