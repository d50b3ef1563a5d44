// Shared by the boot-service, configuration and update checks: a pass needs an image that was
// read completely by the analyzer that would have found the problem. This says why an image does
// not qualify, and groups facts with their image records.
import type { FirmwareImageData } from "../evidence/firmware.js";
import type { Evidence, EvidenceIndex } from "../evidence/types.js";
import { groupByImage, imageKey, imagesAnalyzedBy, placeOf } from "./firmware-evidence.js";

/** Problems that do not mean something was left unread: names kept inside the image root. */
const HARMLESS = /name climbs above the image root/;

/** Why `analyzer` cannot vouch for the whole image, or undefined when it can. */
export function unreadable(image: Evidence<FirmwareImageData>, analyzer: string): string | undefined {
  const d = image.data;
  if (d.analyzers?.[analyzer] === undefined) return `the ${analyzer} analysis did not run`;
  if (d.stoppedBy) return `the analysis stopped early: ${d.stoppedBy}`;
  if (d.filesystems.length === 0) return "no filesystem could be unpacked from it";
  const problem = d.problems.find((p) => !HARMLESS.test(p));
  if (problem !== undefined)
    return `${d.problems.length} problem${d.problems.length === 1 ? "" : "s"} while reading it, e.g. ${problem}`;
  return undefined;
}

export interface ImageFacts<T> {
  /** The image record; undefined for facts whose image was not recorded (hand-made evidence). */
  image?: Evidence<FirmwareImageData>;
  facts: Evidence<T>[];
}

/** Facts of `kind` per image the analyzer ran on (in path order), then facts without an image record. */
export function factsPerImage<T>(evidence: EvidenceIndex, kind: string, analyzer: string): ImageFacts<T>[] {
  const byImage = groupByImage(evidence.ofKind<T>(kind));
  const out: ImageFacts<T>[] = [];
  const seen = new Set<string>();
  for (const image of imagesAnalyzedBy(evidence, analyzer)) {
    seen.add(imageKey(image));
    out.push({ image, facts: [...(byImage.get(imageKey(image)) ?? [])].sort(byLocation) });
  }
  for (const [key, facts] of byImage) if (!seen.has(key)) out.push({ facts: [...facts].sort(byLocation) });
  return out;
}

/** By path, then by line number as a number ("/etc/inittab:2" before "/etc/inittab:10"). */
export function byLocation(a: Evidence, b: Evidence): number {
  const [pa, la] = splitLine(placeOf(a));
  const [pb, lb] = splitLine(placeOf(b));
  return pa !== pb ? (pa < pb ? -1 : 1) : la - lb;
}

function splitLine(place: string): [string, number] {
  const m = /^(.*):(\d+)$/.exec(place);
  return m ? [m[1]!, Number(m[2])] : [place, 0];
}
