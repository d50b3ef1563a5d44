// Shared by the firmware checks: which image a fact came from, where inside it, and whether an
// analyzer ran on the image, so a check can tell "found nothing" from "did not look".
import { FW, type FirmwareImageData } from "../evidence/firmware.js";
import type { Evidence, EvidenceIndex } from "../evidence/types.js";

/** Facts of one image share its artifact hash; facts without one (tests, hand-made) form one group. */
export function imageKey(e: Evidence): string {
  return e.source.artifact?.sha256 ?? "";
}

/** The place inside the image without the filesystem label: "/etc/ssl/private/a.key", "/bin/x@0x40". */
export function placeOf(e: Evidence): string {
  const loc = e.source.location ?? "";
  // "<filesystem id>:<path>": the id ("squashfs@0x120000", "tar@0x0#2") has no ':' or '/'.
  return loc.replace(/^[^:/]+:(?=\/)/, "");
}

export function groupByImage<T>(items: Evidence<T>[]): Map<string, Evidence<T>[]> {
  const out = new Map<string, Evidence<T>[]>();
  for (const e of items) {
    const list = out.get(imageKey(e)) ?? [];
    list.push(e);
    out.set(imageKey(e), list);
  }
  return out;
}

/** Image records on which `analyzer` ran, in a stable order. */
export function imagesAnalyzedBy(evidence: EvidenceIndex, analyzer: string): Evidence<FirmwareImageData>[] {
  return evidence
    .ofKind<FirmwareImageData>(FW.image)
    .filter((e) => e.data.analyzers?.[analyzer] !== undefined)
    .sort((a, b) => (a.data.path < b.data.path ? -1 : a.data.path > b.data.path ? 1 : 0));
}

/** "a", "a and b", "a, b and 3 more places". */
export function listPlaces(places: string[], max = 3): string {
  const shown = places.slice(0, max);
  const rest = places.length - shown.length;
  if (rest > 0) return `${shown.join(", ")} and ${rest} more place${rest === 1 ? "" : "s"}`;
  return shown.length <= 1
    ? (shown[0] ?? "")
    : `${shown.slice(0, -1).join(", ")} and ${shown[shown.length - 1]}`;
}

/** Group facts by a key in first-seen order, e.g. secrets by fingerprint. */
export function groupBy<T>(items: Evidence<T>[], key: (e: Evidence<T>) => string): Evidence<T>[][] {
  const out = new Map<string, Evidence<T>[]>();
  for (const e of items) {
    const k = key(e);
    const list = out.get(k) ?? [];
    list.push(e);
    out.set(k, list);
  }
  return [...out.values()];
}

/** Sort facts by where they are, so findings come out in the same order every run. */
export function byPlace<T>(a: Evidence<T>, b: Evidence<T>): number {
  const x = placeOf(a);
  const y = placeOf(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
