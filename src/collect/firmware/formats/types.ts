// A format handler recognises one kind of payload by its magic bytes and extracts it: a
// compressed stream yields the decompressed bytes, a container yields regions to look into,
// a filesystem or archive yields a VirtualFS. Handlers read through a Source and must treat
// every field as hostile: validate before use, charge the budget for what they produce.
import type { Budget } from "../limits.js";
import type { Source } from "../source.js";
import type { VirtualFS } from "../vfs.js";

export interface FormatContext {
  budget: Budget;
  depth: number;
  /** Record something that could not be read, without stopping the unpack. */
  note(problem: string): void;
}

export type Extracted =
  | { kind: "stream"; data: Source; consumed: number; detail?: Record<string, unknown> }
  | {
      kind: "container";
      parts: { offset: number; length: number; label: string }[];
      consumed: number;
      detail?: Record<string, unknown>;
    }
  | { kind: "filesystem"; fs: VirtualFS; consumed: number; detail?: Record<string, unknown> };

export interface Format {
  id: string;
  /** Bumped whenever extraction changes, so cached analyses are recomputed. */
  version: string;
  /** Byte signatures, found `at` bytes after the start of the payload. */
  magics: { bytes: Uint8Array; at: number }[];
  /** Cheap header check at `offset` (the payload start), to reject chance matches of the magic. */
  probe(src: Source, offset: number): boolean;
  extract(src: Source, offset: number, ctx: FormatContext): Extracted;
}

export const ascii = (s: string) => new Uint8Array(Buffer.from(s, "latin1"));
export const hex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ""), "hex"));
