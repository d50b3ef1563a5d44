// CSAF 2.0 provider metadata (provider-metadata.json, CSAF 2.0 section 7.2.1 and its JSON schema
// provider_json_schema.json), written as a zod schema, plus the rules the schema cannot express:
// HTTPS everywhere a client fetches from, and a distribution for roles that must distribute.
import { z } from "zod";
import { JsonSyntaxError, parseJsonLocated } from "./json-located.js";
import type { CsafProviderMetadataData, SecurityTxtProblem } from "../../evidence/disclosure.js";
import { parseDateTime } from "./securitytxt/syntax.js";

const uri = z.string().refine((s) => {
  try {
    new URL(s);
    return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s);
  } catch {
    return false;
  }
}, "must be a URL");
const jsonUrl = uri.refine((s) => /\.json$/.test(s), "must be the URL of a .json file");
const dateTime = z
  .string()
  .refine((s) => "at" in parseDateTime(s), "must be an RFC 3339 date-time such as 2026-01-31T12:00:00Z");
const unique = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .min(1, "must list at least one entry")
    .refine(
      (a) => new Set(a.map((x) => JSON.stringify(x))).size === a.length,
      "must not list the same entry twice",
    );

export const CsafProviderMetadata = z.object({
  canonical_url: uri.refine(
    (s) => /\/provider-metadata\.json$/.test(s),
    "must end with /provider-metadata.json",
  ),
  distributions: unique(
    z
      .object({
        directory_url: uri.optional(),
        rolie: z
          .object({
            categories: unique(jsonUrl).optional(),
            feeds: unique(
              z.object({
                summary: z.string().optional(),
                tlp_label: z.enum(["UNLABELED", "WHITE", "GREEN", "AMBER", "RED"]),
                url: jsonUrl,
              }),
            ),
            services: unique(jsonUrl).optional(),
          })
          .optional(),
      })
      .refine((d) => d.directory_url !== undefined || d.rolie !== undefined, "needs directory_url or rolie"),
  ).optional(),
  last_updated: dateTime,
  list_on_CSAF_aggregators: z.boolean(),
  metadata_version: z.literal("2.0", { error: 'must be "2.0"' }),
  mirror_on_CSAF_aggregators: z.boolean(),
  public_openpgp_keys: z
    .array(
      z.object({
        fingerprint: z
          .string()
          .regex(/^[0-9a-fA-F]{40,}$/, "must be a hex fingerprint of at least 40 digits")
          .optional(),
        url: uri,
      }),
    )
    .optional(),
  publisher: z.object({
    category: z.enum(["coordinator", "discoverer", "other", "translator", "user", "vendor"]),
    contact_details: z.string().min(1).optional(),
    issuing_authority: z.string().min(1).optional(),
    name: z.string().min(1, "must not be empty"),
    namespace: uri,
  }),
  role: z.enum(["csaf_publisher", "csaf_provider", "csaf_trusted_provider"]),
});

export type CsafProviderMetadataT = z.infer<typeof CsafProviderMetadata>;

const KNOWN_TOP = new Set(Object.keys(CsafProviderMetadata.shape));

/** Validate a provider-metadata.json; every problem names its line. */
export function validateProviderMetadata(
  text: string,
): Pick<
  CsafProviderMetadataData,
  "role" | "publisher" | "canonicalUrl" | "lastUpdated" | "distributions" | "problems"
> {
  const problems: SecurityTxtProblem[] = [];
  let located;
  try {
    located = parseJsonLocated(text);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    return {
      distributions: 0,
      problems: [
        {
          severity: "error",
          code: "json-syntax",
          line: e.line,
          col: e.col,
          message: `not valid JSON: ${e.message}`,
        },
      ],
    };
  }
  const where = (path: readonly PropertyKey[]) => {
    for (let n = path.length; n >= 0; n--) {
      const p = located.at.get(path.slice(0, n).map(String).join("/"));
      if (p) return p;
    }
    return { line: 1, col: 1 };
  };
  const doc = located.value;
  const result = CsafProviderMetadata.safeParse(doc);
  if (!result.success)
    for (const issue of result.error.issues) {
      const path = issue.path.map(String).join(".");
      problems.push({
        severity: "error",
        code: "csaf-schema",
        ...where(issue.path),
        message: `${path || "the document"}: ${issue.code === "invalid_type" && issue.input === undefined ? "is required" : issue.message}`,
      });
    }
  const obj = (doc && typeof doc === "object" && !Array.isArray(doc) ? doc : {}) as Record<string, unknown>;
  for (const k of Object.keys(obj))
    if (!KNOWN_TOP.has(k))
      problems.push({
        severity: k === "pgp_keys" ? "error" : "warning",
        code: "csaf-unknown-property",
        ...where([k]),
        message:
          k === "pgp_keys"
            ? '"pgp_keys" is the draft name; CSAF 2.0 calls it "public_openpgp_keys"'
            : `"${k}" is not a CSAF 2.0 provider metadata property`,
      });
  // Requirement 3 of CSAF 2.0 section 7.1: everything is served over TLS.
  const https = (path: (string | number)[], value: unknown) => {
    if (typeof value === "string" && /^http:/i.test(value))
      problems.push({
        severity: "error",
        code: "csaf-insecure-url",
        ...where(path),
        message: `${path.join(".")} must use https://, not http://`,
      });
  };
  https(["canonical_url"], obj.canonical_url);
  const dists = Array.isArray(obj.distributions) ? (obj.distributions as Record<string, unknown>[]) : [];
  dists.forEach((d, i) => {
    https(["distributions", i, "directory_url"], d?.directory_url);
    const feeds = (d?.rolie as { feeds?: { url?: unknown }[] } | undefined)?.feeds;
    if (Array.isArray(feeds))
      feeds.forEach((f, j) => https(["distributions", i, "rolie", "feeds", j, "url"], f?.url));
  });
  // A provider (trusted or not) distributes its advisories (CSAF 2.0 section 7.2.2: directory or ROLIE).
  if (result.success && result.data.role !== "csaf_publisher" && !result.data.distributions)
    problems.push({
      severity: "error",
      code: "csaf-no-distribution",
      ...where(["role"]),
      message: `role ${result.data.role} distributes advisories, but distributions is missing (add a directory_url or a ROLIE feed)`,
    });
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
  return {
    role: typeof obj.role === "string" ? obj.role : undefined,
    publisher:
      typeof (obj.publisher as { name?: unknown })?.name === "string"
        ? (obj.publisher as { name: string }).name
        : undefined,
    canonicalUrl: typeof obj.canonical_url === "string" ? obj.canonical_url : undefined,
    lastUpdated: typeof obj.last_updated === "string" ? obj.last_updated : undefined,
    distributions: dists.length,
    problems,
  };
}
