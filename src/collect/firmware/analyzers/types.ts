// An analyzer declares which files it wants (by path, entry and magic bytes) and a version; one
// walk over each unpacked filesystem hands every file to every analyzer that wants it (the Trivy
// analyzer idea). Analyzers that need several files together (passwd with shadow, init scripts
// with the binaries they start) collect in analyze() and conclude in finish().
import type { Layer } from "../../../catalog/schema.js";
import type { MountedFs } from "../unpack.js";
import type { VEntry, VirtualFS } from "../vfs.js";

export interface FileRef {
  path: string;
  entry: VEntry;
  /** The first bytes of the file (up to 512), read lazily once per file. */
  head(): Uint8Array;
}

export interface FileView extends FileRef {
  /** The whole content; analyzers read only what they want. */
  read(): Uint8Array;
  text(): string;
}

/** A fact an analyzer found; the collector adds provenance and turns it into evidence. */
export interface Fact<T = unknown> {
  kind: string;
  subject: Layer;
  data: T;
  /** Path inside the filesystem, optionally with ":line" or "@0xoffset". */
  location?: string;
}

export interface AnalyzerContext {
  fs: MountedFs;
  vfs: VirtualFS;
  emit<T>(fact: Fact<T>): void;
}

export interface AnalyzerRun {
  wants(file: FileRef): boolean;
  analyze(file: FileView, ctx: AnalyzerContext): void;
  finish?(ctx: AnalyzerContext): void;
}

export interface Analyzer {
  id: string;
  /** Bumped whenever output changes, so cached results are recomputed. */
  version: string;
  /** A fresh run per filesystem, so state never leaks between images. */
  create(): AnalyzerRun;
}
