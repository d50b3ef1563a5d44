// COMM-02: the companion app must not send data in clear text. Fails when the platform permits
// cleartext for the app (usesCleartextTraffic, or a network security configuration that permits it
// globally or for some domains) or when the code or assets hold plain-HTTP endpoints.
import {
  APP,
  type AppEndpointData,
  type AppManifestData,
  type AppNetworkConfigData,
} from "../evidence/app.js";
import { finding, type Check, type CheckMeta } from "./types.js";

const meta: CheckMeta = {
  id: "app.cleartext-traffic",
  title: "Companion app does not permit or use cleartext traffic",
  description:
    "Reads the Android manifest, network security configuration and the plain-HTTP URLs found in the app's code and assets. Fails when cleartext traffic is permitted (globally or per domain) or http:// endpoints are present; passes when the app was analyzed and neither was found.",
  requirements: ["COMM-02"],
  severity: "high",
  reads: [APP.manifest, APP.networkConfig, APP.endpoint],
  remediation:
    'Set android:usesCleartextTraffic="false" (or a network security configuration with cleartextTrafficPermitted="false"), and move every endpoint to https://.',
};

export const appCleartextTraffic: Check = {
  meta,
  evaluate(evidence) {
    const configs = evidence.ofKind<AppNetworkConfigData>(APP.networkConfig);
    const endpoints = evidence.ofKind<AppEndpointData>(APP.endpoint);
    return evidence.ofKind<AppManifestData>(APP.manifest).map((m) => {
      const sameApp = (e: { source: { artifact?: { sha256: string } } }) =>
        e.source.artifact?.sha256 === m.source.artifact?.sha256;
      const config = configs.filter(sameApp);
      const urls = endpoints.filter(sameApp);
      const domains = config.flatMap((c) => c.data.cleartextDomains);
      const reasons: string[] = [];
      if (m.data.cleartextPermitted)
        reasons.push(
          config.length
            ? "its network security configuration permits cleartext by default"
            : m.data.usesCleartextTrafficDeclared
              ? 'it declares android:usesCleartextTraffic="true"'
              : `cleartext is Android's default for target SDK ${m.data.targetSdk ?? "unknown"} (below 28)`,
        );
      if (domains.length) reasons.push(`cleartext is permitted for ${domains.join(", ")}`);
      if (urls.length)
        reasons.push(
          `it holds ${urls.length} plain-HTTP endpoint${urls.length === 1 ? "" : "s"} (${urls
            .slice(0, 3)
            .map((u) => u.data.url)
            .join(", ")}${urls.length > 3 ? ", ..." : ""})`,
        );
      const ids = [m.id, ...config.map((c) => c.id), ...urls.map((u) => u.id)];
      const name = `${m.data.package || m.data.path}`;
      if (reasons.length)
        return finding(
          meta,
          "fail",
          `The app ${name} can send data in clear text: ${reasons.join("; ")}.`,
          ids,
        );
      return finding(
        meta,
        "pass",
        `The app ${name} permits no cleartext traffic and holds no plain-HTTP endpoints.`,
        ids,
      );
    });
  },
};
