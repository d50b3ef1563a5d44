// SURF-04: a release build of the companion app must not be debuggable. On Android,
// android:debuggable lets anyone with USB access attach a debugger and read the app's memory and
// data; on iOS, the get-task-allow entitlement (development signing) does the same.
import { APP, type AppManifestData, type IosBundleData } from "../evidence/app.js";
import { finding, type Check, type CheckMeta } from "./types.js";

const meta: CheckMeta = {
  id: "app.debuggable",
  title: "Companion app is not a debuggable build",
  description:
    "Reads android:debuggable from an Android app's manifest, and get-task-allow from an iOS app's code-signature entitlements (or its provisioning profile). Fails when either is true; passes when it is false or absent. Silent for an iOS app whose entitlements cannot be read.",
  requirements: ["SURF-04"],
  severity: "high",
  reads: [APP.manifest, APP.iosBundle],
  remediation:
    'Ship a release build: remove android:debuggable="true" (release build types set it to false); on iOS, sign with a distribution profile, which does not grant get-task-allow.',
};

export const appDebuggable: Check = {
  meta,
  evaluate(evidence) {
    const android = evidence.ofKind<AppManifestData>(APP.manifest).map((m) => {
      const name = m.data.package || m.data.path;
      return m.data.debuggable
        ? finding(meta, "fail", `The app ${name} is built debuggable (android:debuggable="true").`, [m.id])
        : finding(meta, "pass", `The app ${name} is not debuggable.`, [m.id]);
    });
    const ios = evidence
      .ofKind<IosBundleData>(APP.iosBundle)
      .filter((b) => b.data.getTaskAllow !== undefined)
      .map((b) => {
        const name = b.data.bundleId || b.data.path;
        const from =
          b.data.entitlementsFrom === "provisioning-profile" ? "provisioning profile" : "code signature";
        return b.data.getTaskAllow
          ? finding(
              meta,
              "fail",
              `The iOS app ${name} is a development build: its ${from} grants get-task-allow, so a debugger can attach to it.`,
              [b.id],
            )
          : finding(
              meta,
              "pass",
              `The iOS app ${name} does not grant get-task-allow (its ${from} says so).`,
              [b.id],
            );
      });
    return [...android, ...ios];
  },
};
