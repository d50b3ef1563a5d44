// STOR-02: software must not carry hard-coded credentials or keys shared by every copy. A
// companion app is downloaded by anyone, so a token, password or private key in its code,
// resources or assets is public. Google API keys are the exception that is not judged: they
// identify a project and are meant to ship in apps (restricted to the app), so they are named in
// the pass instead. An iOS executable that is FairPlay-encrypted cannot be read, so a clean result
// for it is info, not a pass.
import { APP, type AppManifestData, type AppSecretData, type IosBundleData } from "../evidence/app.js";
import { finding, type Check, type CheckMeta } from "./types.js";

const meta: CheckMeta = {
  id: "app.hardcoded-secrets",
  title: "Companion app holds no hard-coded secrets",
  description:
    "Reads the secrets found in the app's dex strings, resource strings, assets, Mach-O string sections and bundle resources: shaped tokens (AWS, GitHub, Slack, Stripe, JWT), private keys, credentials assigned in configuration files, and key store files. Fails when any is found (Google API keys are reported but not judged); passes when none is.",
  requirements: ["STOR-02"],
  severity: "critical",
  reads: [APP.secret, APP.manifest, APP.iosBundle],
  remediation:
    "Remove the secrets from the app: issue per-user or per-device credentials after sign-in from your backend, keep service keys on the server, and rotate every key that shipped.",
};

/** Formats that identify a project rather than authenticate to it. */
const IDENTIFIERS = new Set(["google-api-key"]);

const describe = (s: AppSecretData) =>
  `${s.format}${s.name ? ` "${s.name}"` : ""} ${s.redacted} in ${s.file}`;

export const appHardcodedSecrets: Check = {
  meta,
  evaluate(evidence) {
    const secrets = evidence.ofKind<AppSecretData>(APP.secret);
    const apps = [
      ...evidence
        .ofKind<AppManifestData>(APP.manifest)
        .map((e) => ({ e, name: e.data.package, unread: false })),
      ...evidence
        .ofKind<IosBundleData>(APP.iosBundle)
        .map((e) => ({ e, name: e.data.bundleId, unread: e.data.encrypted })),
    ];
    return apps.map(({ e, name, unread }) => {
      const app = name || (e.data as { path: string }).path;
      const mine = secrets.filter((s) => s.source.artifact?.sha256 === e.source.artifact?.sha256);
      const real = mine.filter((s) => !IDENTIFIERS.has(s.data.format));
      const ids = [e.id, ...mine.map((s) => s.id)];
      if (real.length)
        return finding(
          meta,
          "fail",
          `The app ${app} holds ${real.length} hard-coded secret${real.length === 1 ? "" : "s"}: ${real
            .slice(0, 3)
            .map((s) => describe(s.data))
            .join("; ")}${real.length > 3 ? "; ..." : ""}.`,
          ids,
        );
      const keys = mine.length
        ? ` (${mine.length} Google API key${mine.length === 1 ? "" : "s"} found, in ${[...new Set(mine.map((s) => s.data.file))].join(", ")}: project identifiers meant to ship in apps; restrict them to this app)`
        : "";
      if (unread)
        return finding(
          meta,
          "info",
          `The iOS app ${app} holds no secrets in its resources${keys}, but its executable is encrypted and was not read.`,
          ids,
        );
      return finding(
        meta,
        "pass",
        `The app ${app} holds no hard-coded secrets in its code, resources or assets${keys}.`,
        ids,
      );
    });
  },
};
