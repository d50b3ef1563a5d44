// DATA-06: data the companion app stores must stay confidential. android:allowBackup (true when
// absent) lets the app's private files be copied off the phone by backup; without backup rules
// (fullBackupContent or dataExtractionRules) everything goes. Judgement: allowed without rules
// fails; allowed with rules is info (the rules need a reviewer); disallowed passes.
import { APP, type AppManifestData } from "../evidence/app.js";
import { finding, type Check, type CheckMeta } from "./types.js";

const meta: CheckMeta = {
  id: "app.backup-allowed",
  title: "Companion app data is not exposed through backup",
  description:
    "Reads android:allowBackup, android:fullBackupContent and android:dataExtractionRules. Fails when backup is allowed (explicitly or by default) with no rules limiting it; info when rules limit it; passes when backup is disallowed.",
  requirements: ["DATA-06"],
  severity: "medium",
  reads: [APP.manifest],
  remediation:
    'Set android:allowBackup="false", or declare android:dataExtractionRules / android:fullBackupContent that exclude credentials, tokens and personal data.',
};

export const appBackupAllowed: Check = {
  meta,
  evaluate(evidence) {
    return evidence.ofKind<AppManifestData>(APP.manifest).map((m) => {
      const name = m.data.package || m.data.path;
      if (!m.data.allowBackup)
        return finding(meta, "pass", `The app ${name} disallows backup of its data.`, [m.id]);
      const how = m.data.allowBackupDeclared
        ? 'android:allowBackup="true"'
        : "allowBackup is not declared (Android's default is true)";
      if (m.data.backupRules)
        return finding(
          meta,
          "info",
          `The app ${name} allows backup (${how}) limited by backup rules; review that they exclude sensitive data.`,
          [m.id],
        );
      return finding(
        meta,
        "fail",
        `The app ${name} allows backup of all its data: ${how}, with no backup rules.`,
        [m.id],
      );
    });
  },
};
