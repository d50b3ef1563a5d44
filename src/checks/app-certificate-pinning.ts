// COMM-03, reported: certificate pinning makes an app accept only its own servers' keys, so a
// CA that misissues (or a CA installed on the phone) cannot intercept its API traffic. Pinning is
// good practice, not a requirement of its own, so this check only reports what it found (info),
// attached to COMM-03 for the reader but not one of the checks that decide it (an info-only check
// among them would keep COMM-03 from ever being satisfied):
// Android network security configuration pin-sets, iOS NSPinnedDomains, TrustKit configuration,
// and "sha256/..." pins written in code (OkHttp CertificatePinner, TrustKit).
import { APP, type AppPinningData } from "../evidence/app.js";
import { finding, type Check, type CheckMeta } from "./types.js";

const meta: CheckMeta = {
  id: "app.certificate-pinning",
  title: "Companion app pins its servers' certificates (reported)",
  description:
    "Reports, as info, whether the companion app pins certificates or public keys: network security configuration pin-sets (Android), NSPinnedDomains and TrustKit configuration (iOS), and sha256/ pins in code. Library classes alone are not counted: only pins found.",
  requirements: [],
  severity: "low",
  reads: [APP.pinning],
  remediation:
    "Pin the public keys of your API servers (a pin-set in the network security configuration, NSPinnedDomains, or your HTTP client's pinner), with a backup pin and a plan for key rotation.",
};

const COMM_03 = { requirements: ["COMM-03"] };

export const appCertificatePinning: Check = {
  meta,
  evaluate(evidence) {
    const names = new Map<string, string>();
    for (const m of evidence.ofKind<{ package: string }>(APP.manifest))
      if (m.source.artifact) names.set(m.source.artifact.sha256, m.data.package);
    for (const b of evidence.ofKind<{ bundleId: string }>(APP.iosBundle))
      if (b.source.artifact) names.set(b.source.artifact.sha256, b.data.bundleId);
    return evidence.ofKind<AppPinningData>(APP.pinning).map((p) => {
      const name = names.get(p.source.artifact?.sha256 ?? "") || p.data.path;
      const found = p.data.mechanisms;
      return found.length
        ? finding(
            meta,
            "info",
            `The app ${name} pins certificates: ${found.map((x) => `${x.detail} (${x.file})`).join("; ")}.`,
            [p.id],
            COMM_03,
          )
        : finding(
            meta,
            "info",
            `The app ${name} pins no certificates (no pin-set, NSPinnedDomains, TrustKit configuration or sha256/ pins in code): any CA the phone trusts can vouch for its servers.`,
            [p.id],
            COMM_03,
          );
    });
  },
};
