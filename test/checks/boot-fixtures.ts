// Evidence builders for the boot-service, configuration and update check tables.
import type { FirmwareImageData, HazardData, ServiceData, UpdateData } from "../../src/evidence/firmware.js";
import { FW } from "../../src/evidence/firmware.js";
import { makeEvidence, type Evidence } from "../../src/evidence/types.js";
import { fwFact, fwImage } from "./firmware-fixtures.js";

export const ALL = { services: "1", "config-hazards": "1", "update-hints": "1" };

export function image(
  opts: {
    name?: string;
    problems?: string[];
    stoppedBy?: string;
    analyzers?: Record<string, string>;
    filesystems?: number;
  } = {},
): Evidence<FirmwareImageData> {
  const base = fwImage(opts.name ?? "img-a", opts.analyzers ?? ALL, opts.stoppedBy);
  if (!opts.problems && opts.filesystems === undefined) return base;
  const data: FirmwareImageData = {
    ...base.data,
    problems: [...base.data.problems, ...(opts.problems ?? [])],
    filesystems: opts.filesystems === 0 ? [] : base.data.filesystems,
  };
  return makeEvidence(FW.image, "device", data, base.source);
}

export const svc = (
  location: string,
  service: string,
  command: string,
  detail: Record<string, unknown> = {},
  o: { enabled?: boolean; startedBy?: string; image?: string } = {},
): Evidence<ServiceData> =>
  fwFact<ServiceData>(
    FW.service,
    { service, command, startedBy: o.startedBy ?? "init.d", enabled: o.enabled ?? true, detail },
    location,
    o.image,
  );

export const hazard = (location: string, h: string, detail: string, img?: string): Evidence<HazardData> =>
  fwFact<HazardData>(FW.hazard, { hazard: h, detail }, location, img);

export const upd = (location: string, data: UpdateData, img?: string): Evidence<UpdateData> =>
  fwFact<UpdateData>(FW.update, data, location, img);
