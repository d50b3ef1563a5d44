// COMM-03: the app's connections must authenticate the server. An Android app that trusts
// user-added CA certificates accepts any certificate from a CA the user (or malware, or an
// employer's device policy) installed, so its TLS can be intercepted. Android trusts them when
// the network security configuration says <certificates src="user"/> outside debug-overrides, and
// by default for apps targeting SDK 23 or lower. iOS apps have no such switch and are not judged.
import { APP, type AppManifestData } from "../evidence/app.js";
import { finding, type Check, type CheckMeta } from "./types.js";

const meta: CheckMeta = {
  id: "app.user-ca-trusted",
  title: "Android companion app does not trust user-added CA certificates",
  description:
    'Reads the Android app\'s network security configuration and target SDK. Fails when user-added CAs are trusted, by the configuration (<certificates src="user"/> outside debug-overrides) or by default (target SDK 23 or lower without a base-config that replaces the trust anchors); passes otherwise.',
  requirements: ["COMM-03"],
  severity: "high",
  reads: [APP.manifest, APP.networkConfig],
  remediation:
    'Remove <certificates src="user"/> from the trust anchors (keep it only under <debug-overrides>), and target SDK 24 or later or declare a base-config whose trust-anchors hold only <certificates src="system"/>.',
};

export const appUserCaTrusted: Check = {
  meta,
  evaluate(evidence) {
    const configs = evidence.ofKind(APP.networkConfig);
    return evidence.ofKind<AppManifestData>(APP.manifest).map((m) => {
      const name = m.data.package || m.data.path;
      const ids = [
        m.id,
        ...configs.filter((c) => c.source.artifact?.sha256 === m.source.artifact?.sha256).map((c) => c.id),
      ];
      if (m.data.userCAs === "trusted-by-config")
        return finding(
          meta,
          "fail",
          `The app ${name} trusts user-added CA certificates (its network security configuration has <certificates src="user"/> outside debug-overrides): a CA installed on the phone can intercept its TLS connections.`,
          ids,
        );
      if (m.data.userCAs === "trusted-by-default")
        return finding(
          meta,
          "fail",
          `The app ${name} trusts user-added CA certificates by default: it targets SDK ${m.data.targetSdk ?? "unknown"} (23 or lower) and no base-config replaces the trust anchors, so a CA installed on the phone can intercept its TLS connections.`,
          ids,
        );
      return finding(
        meta,
        "pass",
        `The app ${name} trusts only the system CA certificates, not user-added ones.`,
        ids,
      );
    });
  },
};
