// The evidence kinds the manifest collector emits, with their data shapes. Checks import these
// types so a change in shape is a compile error, not a silent miss.

export interface ProductIdentityData {
  name: string;
  maker: string;
  model?: string;
  version?: string;
  category: string;
}

export interface SupportPeriodData {
  /** ISO date, or "none" when the maker declares no defined support period. */
  until: string;
  publishedAt?: string;
  freeOfCharge?: boolean;
}

export interface DisclosureData {
  policy?: string;
  contact?: string;
  securityTxt?: string;
  acknowledgeWithinDays?: number;
}

export interface CloudEndpointData {
  url: string;
  purpose?: string;
}

export interface AttestationData {
  requirement?: string;
  provision?: string;
  claim: "satisfied" | "not-satisfied" | "not-applicable";
  statement: string;
  by: { name: string; role?: string; organisation?: string };
  date: string;
  validUntil?: string;
  files: { path: string; sha256: string; bytes: number }[];
}

export interface ArtifactData {
  type: "firmware" | "sbom" | "app" | "mud" | "device";
  path?: string;
  sha256?: string;
  bytes?: number;
  detail?: Record<string, unknown>;
}

export const KIND = {
  productIdentity: "product.identity",
  supportPeriod: "support.period",
  disclosure: "disclosure.policy",
  cloudEndpoint: "cloud.endpoint",
  attestation: "attestation",
  artifact: "artifact.declared",
} as const;
