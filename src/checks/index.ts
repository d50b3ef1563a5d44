// Every check Concord has. A new check is one file and one line here.
import { appBackupAllowed } from "./app-backup-allowed.js";
import { appCleartextTraffic } from "./app-cleartext-traffic.js";
import { appDebuggable } from "./app-debuggable.js";
import { appExportedComponents } from "./app-exported-components.js";
import { attestationStatus } from "./attestation-status.js";
import { cloudEndpointsEncrypted } from "./cloud-endpoints-encrypted.js";
import { disclosurePolicyDeclared } from "./disclosure-policy-declared.js";
import { firmwareBinaryHardening } from "./firmware-binary-hardening.js";
import { firmwareCertificates } from "./firmware-certificates.js";
import { firmwareDefaultCredentials } from "./firmware-default-credentials.js";
import { firmwareEmbeddedCredentials } from "./firmware-embedded-secrets.js";
import { firmwareHardcodedKeys } from "./firmware-hardcoded-keys.js";
import { modelDesignation } from "./model-designation.js";
import { firmwareWeakPasswordHash } from "./firmware-weak-password-hash.js";
import { supportPeriodPublished } from "./support-period-published.js";
import { firmwareConfigHazards } from "./firmware-config-hazards.js";
import { firmwareDebugInterfaces } from "./firmware-debug-interfaces.js";
import { firmwareInsecureServices } from "./firmware-insecure-services.js";
import { firmwareUpdateChannel } from "./firmware-update-channel.js";
import { firmwareUpdateSigning } from "./firmware-update-signing.js";
import { probeInsecureServices } from "./probe-insecure-services.js";
import { probeMqttAnonymous } from "./probe-mqtt-anonymous.js";
import type { Check } from "./types.js";
import { knownVulnerabilities } from "./vuln-known-vulnerabilities.js";

export const CHECKS: readonly Check[] = [
  knownVulnerabilities,
  firmwareInsecureServices,
  firmwareDebugInterfaces,
  firmwareConfigHazards,
  firmwareUpdateChannel,
  firmwareUpdateSigning,
  attestationStatus,
  cloudEndpointsEncrypted,
  disclosurePolicyDeclared,
  firmwareBinaryHardening,
  firmwareCertificates,
  firmwareDefaultCredentials,
  firmwareEmbeddedCredentials,
  firmwareHardcodedKeys,
  modelDesignation,
  supportPeriodPublished,
  firmwareWeakPasswordHash,
  appCleartextTraffic,
  appDebuggable,
  appBackupAllowed,
  appExportedComponents,
  probeInsecureServices,
  probeMqttAnonymous,
];

export function checkById(id: string): Check | undefined {
  return CHECKS.find((c) => c.meta.id === id);
}
