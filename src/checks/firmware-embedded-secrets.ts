// STOR-02: passwords and access tokens written into the firmware's configuration files, scripts
// and binaries are the same on every unit and readable by anyone who unpacks the image.
import { FW, type FirmwareImageData, type SecretData } from "../evidence/firmware.js";
import type { Evidence } from "../evidence/types.js";
import { groupBy, listPlaces, placeOf } from "./firmware-evidence.js";
import { byLocation, factsPerImage, unreadable } from "./firmware-readable.js";
import { finding, type Check, type CheckMeta, type Finding } from "./types.js";

const meta: CheckMeta = {
  id: "firmware.embedded-credentials",
  title: "No passwords or access tokens in the firmware image",
  description:
    "Reads the secrets the firmware analysis found. Fails once per distinct password or token in the image: values assigned to password-like names in configuration files and scripts (placeholders such as CHANGEME or $PASS are not counted), and access tokens with a known shape anywhere, binaries included (AWS access key IDs, JWTs, GitHub, Slack, Google and Stripe keys). Passes when the secrets analysis read the whole image and found none; an image not read completely gets info instead.",
  requirements: ["STOR-02"],
  severity: "critical",
  reads: [FW.secret, FW.image],
  remediation:
    "Remove the credential from the image and revoke it. Provision a unique credential per unit (at manufacture or first setup), or have the device obtain short-lived tokens from its service after authenticating with its own identity.",
};

const TOKEN_NAMES: Record<string, string> = {
  "aws-access-key-id": "AWS access key ID",
  jwt: "JSON Web Token",
  "github-token": "GitHub token",
  "slack-token": "Slack token",
  "google-api-key": "Google API key",
  "stripe-secret-key": "Stripe secret key",
};

function what(s: SecretData): string {
  if (TOKEN_NAMES[s.format]) return TOKEN_NAMES[s.format]!;
  if (s.format === "chpasswd")
    return `password for ${s.name?.replace(/^chpasswd:/, "") ?? "a user"} (set with chpasswd)`;
  const kind = s.type === "password" ? "password" : "secret";
  return s.name ? `${kind} assigned to "${s.name}"` : kind;
}

export const firmwareEmbeddedCredentials: Check = {
  meta,
  evaluate(evidence) {
    return factsPerImage<SecretData>(evidence, FW.secret, "secrets").flatMap(({ image, facts }) =>
      judgeImage(
        image,
        facts.filter((e) => e.data.type === "password" || e.data.type === "api-token"),
      ),
    );
  },
};

function judgeImage(
  image: Evidence<FirmwareImageData> | undefined,
  creds: Evidence<SecretData>[],
): Finding[] {
  const groups = groupBy([...creds].sort(byLocation), (e) => `${e.data.type}:${e.data.fingerprint}`);
  const out = groups.map((g) =>
    finding(
      meta,
      "fail",
      `A hard-coded ${what(g[0]!.data)} is in the image at ${listPlaces([...new Set(g.map(placeOf))])}.`,
      g.map((e) => e.id),
    ),
  );
  if (!image || out.length > 0) return out;
  const why = unreadable(image, "secrets");
  return [
    why
      ? finding(
          meta,
          "info",
          `The secrets analysis cannot vouch for all of ${image.data.path} (${why}); credentials in what was not read are unknown.`,
          [image.id],
        )
      : finding(
          meta,
          "pass",
          `No hard-coded password or access token was found in the configuration files, scripts or binaries of ${image.data.path}.`,
          [image.id],
        ),
  ];
}
