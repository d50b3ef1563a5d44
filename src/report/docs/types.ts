// The shapes shared by every document renderer.
import type { Assessment } from "../../assess/types.js";
import type { Catalog } from "../../catalog/load.js";

export const DOC_KINDS = ["psti-statement", "eu-doc", "cra-annex-vii", "etsi-ics", "fact-sheet"] as const;
export type DocKind = (typeof DOC_KINDS)[number];

/** What the manifest says that the assessment does not carry (read by the CLI from concord.yaml). */
export interface ManifestFacts {
  makerCountry?: string;
  makerUrl?: string;
  description?: string;
}

export interface DocInput {
  assessment: Assessment;
  catalog: Catalog;
  manifest?: ManifestFacts;
  /** The user asked for a draft: declarations say so and do not fail when unsupported. */
  draft?: boolean;
}

export interface RenderedDoc {
  kind: DocKind;
  title: string;
  html: string;
  markdown?: string;
  /** For declarations of conformity: whether the assessment supports the claim they make. */
  claim?: { supported: boolean; reason: string };
}
