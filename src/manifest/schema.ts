// concord.yaml: the product described once. docs/manifest.md documents every field.
import { z } from "zod";
import { ISO_DATE } from "../util/dates.js";

const text = z.string().trim().min(1, "must not be empty");
const isoDate = z.string().regex(ISO_DATE, 'expected a date as YYYY-MM-DD, for example "2030-12-31"');
const url = z.url({ error: "expected a URL such as https://example.com/security" });
const filePath = text;
/** A URL (with a scheme), or a file path relative to the manifest's folder. */
const urlOrPath = text.refine(
  (v) => !/^[a-z][a-z0-9+.-]*:/i.test(v) || URL.canParse(v),
  "expected an https:// URL or a file path relative to the manifest",
);
const positiveInt = z.number().int().positive();

export const CRA_CLASSES = [
  "default",
  "important-class-1",
  "important-class-2",
  "critical",
  "out-of-scope",
] as const;

export const Attestation = z
  .strictObject({
    requirement: z
      .string()
      .regex(/^[A-Z]{3,4}-\d{2}$/, "expected a core requirement id such as VULN-02")
      .optional(),
    provision: z
      .string()
      .regex(/^[a-z0-9-]+:.+$/, "expected <regime id>:<provision id>, for example uk-psti:Sch1-3")
      .optional(),
    claim: z.enum(["satisfied", "not-satisfied", "not-applicable"]).default("satisfied"),
    statement: text,
    evidence: z
      .array(filePath)
      .min(1, "an attestation needs at least one evidence file (the document that backs it)"),
    by: z.strictObject({ name: text, role: text.optional(), organisation: text.optional() }),
    date: isoDate,
    validUntil: isoDate.optional(),
    /** The sha256 of each evidence file when it was attested (`concord attest` records them). */
    evidenceSha256: z
      .record(z.string(), z.string().regex(/^[0-9a-f]{64}$/, "expected a sha256 in hex"))
      .optional(),
  })
  .refine((a) => (a.requirement === undefined) !== (a.provision === undefined), {
    message: "an attestation names exactly one of `requirement` or `provision`",
    path: ["requirement"],
  });

export const Manifest = z.strictObject({
  concord: z.literal(1, { error: "the manifest format version: write `concord: 1`" }),
  product: z.strictObject({
    name: text,
    maker: z.strictObject({
      name: text,
      country: z
        .string()
        .regex(/^[A-Z]{2}$/)
        .optional(),
      url: url.optional(),
    }),
    model: text.optional(),
    version: text.optional(),
    category: text,
    craClass: z.enum(CRA_CLASSES).optional(),
    description: text.optional(),
  }),
  markets: z
    .array(z.string().regex(/^[A-Z]{2,4}(-[A-Z]{2})?$/, "market codes look like EU, UK, US, US-CA"))
    .min(1, "name at least one market"),
  regimes: z
    .strictObject({ include: z.array(z.string()).default([]), exclude: z.array(z.string()).default([]) })
    .optional(),
  conditions: z.record(z.string(), z.boolean()).optional(),
  support: z
    .strictObject({
      until: z.union([isoDate, z.literal("none")]),
      publishedAt: url.optional(),
      freeOfCharge: z.boolean().optional(),
      /** First day of the support period (when the product is first placed on the market). */
      from: isoDate.optional(),
      /** How long buyers are expected to use the product, when that is shorter than the legal minimum. */
      expectedUseYears: z.number().positive().max(100).optional(),
      /** Whether the end date is stated to buyers at the time of purchase. */
      statedAtPurchase: z.boolean().optional(),
    })
    .optional(),
  disclosure: z
    .strictObject({
      policy: url.optional(),
      contact: z
        .string()
        .regex(/^(mailto:|https?:)/, "expected mailto:address or an https:// URL")
        .optional(),
      securityTxt: urlOrPath.optional(),
      acknowledgeWithinDays: z.number().int().positive().optional(),
      /** The OpenPGP public key that signs security.txt (a file), to verify its signature. */
      signingKey: filePath.optional(),
      csafProviderMetadata: urlOrPath.optional(),
      /** Committed deadlines for reporting exploited vulnerabilities and severe incidents. */
      reporting: z
        .strictObject({
          earlyWarningHours: positiveInt,
          notificationHours: positiveInt,
          finalReportDays: positiveInt,
          incidentFinalReportDays: positiveInt.optional(),
        })
        .optional(),
    })
    .optional(),
  artifacts: z
    .strictObject({
      firmware: z.array(z.strictObject({ path: filePath, version: text.optional() })).optional(),
      sboms: z
        .array(z.strictObject({ path: filePath, format: z.enum(["cyclonedx", "spdx"]).optional() }))
        .optional(),
      device: z
        .strictObject({ address: text, ports: z.array(z.number().int().min(1).max(65535)).optional() })
        .optional(),
      apps: z
        .array(
          z.strictObject({
            platform: z.enum(["android", "ios"]),
            path: filePath.optional(),
            id: text.optional(),
          }),
        )
        .optional(),
      cloud: z
        .array(
          z.strictObject({
            url: z
              .string()
              .regex(
                /^[a-z][a-z0-9+.-]*:\/\//,
                "expected a URL with a scheme, such as https://api.example.com",
              ),
            purpose: text.optional(),
          }),
        )
        .optional(),
      mud: z.strictObject({ path: filePath }).optional(),
      vex: z.array(z.strictObject({ path: filePath })).optional(),
    })
    .optional(),
  attestations: z.array(Attestation).optional(),
  /** A YAML file holding more attestations (`attestations: [...]`); `concord attest` writes there. */
  attestationsFile: filePath.optional(),
});

export type ManifestT = z.infer<typeof Manifest>;
export type AttestationT = z.infer<typeof Attestation>;
