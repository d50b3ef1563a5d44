// The evidence the disclosure collector yields: what a security.txt and a CSAF provider metadata
// document say and everything wrong with them, located by line. Checks import these shapes.

export const DISCLOSURE_KIND = {
  securityTxt: "disclosure.security-txt",
  csafProviderMetadata: "disclosure.csaf-provider-metadata",
} as const;

export interface SecurityTxtProblem {
  /** error: breaks a MUST of RFC 9116; warning: a SHOULD or a trap for readers; notice: advice. */
  severity: "error" | "warning" | "notice";
  /** Stable identifier, listed in docs/disclosure.md. */
  code: string;
  /** 1-based line in the file; absent only for problems of the HTTP exchange. */
  line?: number;
  col?: number;
  message: string;
}

export interface FieldValue {
  value: string;
  line: number;
}

export interface SecurityTxtFields {
  contact: FieldValue[];
  expires?: FieldValue & { at?: string };
  encryption: FieldValue[];
  acknowledgments: FieldValue[];
  canonical: FieldValue[];
  policy: FieldValue[];
  hiring: FieldValue[];
  csaf: FieldValue[];
  preferredLanguages?: FieldValue & { tags: string[] };
  /** Fields RFC 9116 and its registry do not define; researchers ignore them. */
  other: (FieldValue & { name: string })[];
}

export interface SecurityTxtSource {
  kind: "file" | "url";
  /** A path relative to the manifest, or the URL asked for. */
  location: string;
  /** Where the file finally came from, after redirects. */
  finalUrl?: string;
  redirects?: string[];
  status?: number;
  contentType?: string;
}

export interface SecurityTxtData {
  source: SecurityTxtSource;
  sha256?: string;
  bytes?: number;
  signed: boolean;
  signature?: SignatureCheck;
  fields: SecurityTxtFields;
  problems: SecurityTxtProblem[];
}

export interface CsafProviderMetadataData {
  source: { kind: "file" | "url"; location: string; finalUrl?: string };
  sha256?: string;
  role?: string;
  publisher?: string;
  canonicalUrl?: string;
  lastUpdated?: string;
  distributions: number;
  problems: SecurityTxtProblem[];
}

/** What checking a security.txt's OpenPGP signature found. */
export interface SignatureCheck {
  /**
   * verified: a given key verifies it; bad: the key it names is given but the signature fails;
   * unknown-key: none of the given keys made it; not-checked: no key was given; invalid: the
   * signature block itself is unusable.
   */
  status: "verified" | "bad" | "unknown-key" | "not-checked" | "invalid";
  reason?: string;
  /** Key ID or fingerprint the signature names (upper-case hex). */
  issuer?: string;
  hashAlgo?: string;
  created?: string;
  signer?: { fingerprint: string; userId?: string };
}
