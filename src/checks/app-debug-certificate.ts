// UPD-02: Android installs an app update only if it is signed with the same certificate as the
// installed app, so the signing key is the trust anchor of every app update. The Android SDK's
// debug certificate ("CN=Android Debug, O=Android, C=US") belongs to a key that the SDK generates
// in ~/.android/debug.keystore with the well-known password "android", on every developer
// machine: it is not a release key under the maker's custody, and a build signed with it is a
// development build.
import { APP, type AppSigningData } from "../evidence/app.js";
import { finding, type Check, type CheckMeta } from "./types.js";

const meta: CheckMeta = {
  id: "app.debug-certificate",
  title: "Android companion app is signed with a release key, not the debug certificate",
  description:
    "Reads the certificates of the APK's v1, v2 and v3 signatures. Fails when a signer uses the Android SDK's debug certificate (CN=Android Debug); passes when every signer uses another certificate. Silent for unsigned packages.",
  requirements: ["UPD-02"],
  severity: "high",
  reads: [APP.signing],
  remediation:
    "Sign releases with a dedicated release key kept under the maker's control (Play App Signing or a hardware-backed key store), never with ~/.android/debug.keystore.",
};

export const appDebugCertificate: Check = {
  meta,
  evaluate(evidence) {
    return evidence
      .ofKind<AppSigningData>(APP.signing)
      .filter((s) => s.data.signers.length > 0)
      .map((s) => {
        const name = s.data.package || s.data.path;
        const certs = [...new Map(s.data.signers.map((x) => [x.sha256, x])).values()];
        const debug = certs.filter((c) => c.debug);
        if (debug.length)
          return finding(
            meta,
            "fail",
            `The app ${name} is signed with the Android debug certificate (${debug[0]!.subject}; schemes ${s.data.signers
              .filter((x) => x.debug)
              .map((x) => x.scheme)
              .join(", ")}): a development key, not a release key under the maker's control.`,
            [s.id],
          );
        return finding(
          meta,
          "pass",
          `The app ${name} is signed with a release certificate (${certs
            .map((c) => `${c.subject}, valid to ${c.notAfter.slice(0, 10)}`)
            .join("; ")}).`,
          [s.id],
        );
      });
  },
};
