// SURF-04: a release build of the companion app must not be debuggable: android:debuggable lets
// anyone with USB access attach a debugger and read the app's memory and data.
import { APP, type AppManifestData } from "../evidence/app.js";
import { finding, type Check, type CheckMeta } from "./types.js";

const meta: CheckMeta = {
  id: "app.debuggable",
  title: "Companion app is not a debuggable build",
  description:
    "Reads android:debuggable from the app's manifest. Fails when it is true; passes when it is false or absent.",
  requirements: ["SURF-04"],
  severity: "high",
  reads: [APP.manifest],
  remediation:
    'Ship a release build: remove android:debuggable="true" (release build types set it to false).',
};

export const appDebuggable: Check = {
  meta,
  evaluate(evidence) {
    return evidence.ofKind<AppManifestData>(APP.manifest).map((m) => {
      const name = m.data.package || m.data.path;
      return m.data.debuggable
        ? finding(meta, "fail", `The app ${name} is built debuggable (android:debuggable="true").`, [m.id])
        : finding(meta, "pass", `The app ${name} is not debuggable.`, [m.id]);
    });
  },
};
