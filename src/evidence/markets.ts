// Evidence kinds the manifest collector adds beyond src/evidence/kinds.ts.

export const MANIFEST_KIND = {
  /** The markets the product is sold in, for checks whose rule differs per market. */
  markets: "product.markets",
} as const;

export interface MarketsData {
  markets: string[];
}

/** An attestation's evidence file; `attestedSha256` is the hash recorded when it was attested. */
export interface AttestedFile {
  path: string;
  sha256: string;
  bytes: number;
  attestedSha256?: string;
}
