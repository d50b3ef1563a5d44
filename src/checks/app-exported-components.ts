// AUTH-06: functions reachable from outside must require authorisation. An exported activity,
// service, receiver or provider without a permission can be invoked by any app on the phone.
// Judgement: info, not fail: whether the component reaches a sensitive function needs review, and
// many exported components are harmless. Launcher activities are exported by necessity and skipped.
// Silent when there is none, since an app alone cannot show that device functions are authorised.
import { APP, type AppComponentData } from "../evidence/app.js";
import { finding, type Check, type CheckMeta } from "./types.js";

const meta: CheckMeta = {
  id: "app.exported-components",
  title: "Companion app components reachable by other apps are protected",
  description:
    "Lists components of the companion app that other apps can start or bind (exported, or implied by intent filters below target SDK 31) without a permission, as info for review. Launcher activities are not listed.",
  requirements: ["AUTH-06"],
  severity: "medium",
  reads: [APP.component],
  remediation:
    'Set android:exported="false" on components other apps need not reach, or protect them with android:permission (a signature-level permission for your own apps).',
};

export const appExportedComponents: Check = {
  meta,
  evaluate(evidence) {
    return evidence
      .ofKind<AppComponentData>(APP.component)
      .filter((c) => c.data.exported && !c.data.permission && !c.data.launcher)
      .map((c) =>
        finding(
          meta,
          "info",
          `The ${c.data.type} ${c.data.name} is exported${c.data.exportedBy === "declared" ? "" : ` (implied by ${c.data.exportedBy === "intent-filter" ? "its intent filters" : "the provider default"})`} without a permission: any app on the phone can invoke it.`,
          [c.id],
        ),
      );
  },
};
