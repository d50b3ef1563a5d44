// Every check Concord has. A new check is one file and one line here.
import { appBackupAllowed } from "./app-backup-allowed.js";
import { appCleartextTraffic } from "./app-cleartext-traffic.js";
import { appDebuggable } from "./app-debuggable.js";
import { appExportedComponents } from "./app-exported-components.js";
import { appAtsExceptions } from "./app-ats-exceptions.js";
import { appCertificatePinning } from "./app-certificate-pinning.js";
import { appDebugCertificate } from "./app-debug-certificate.js";
import { appHardcodedSecrets } from "./app-hardcoded-secrets.js";
import { appSignatureScheme } from "./app-signature-scheme.js";
import { appUserCaTrusted } from "./app-user-ca-trusted.js";
import { attestationStatus } from "./attestation-status.js";
import { cloudEndpointsEncrypted } from "./cloud-endpoints-encrypted.js";
import { disclosurePolicyDeclared } from "./disclosure-policy-declared.js";
import { disclosureCsafProviderMetadata } from "./disclosure-csaf-provider-metadata.js";
import { disclosureReportingDeadlines } from "./disclosure-reporting-deadlines.js";
import { disclosureSecurityTxt } from "./disclosure-security-txt.js";
import { firmwareBinaryHardening } from "./firmware-binary-hardening.js";
import { firmwareCertificates } from "./firmware-certificates.js";
import { firmwareDefaultCredentials } from "./firmware-default-credentials.js";
import { firmwareEmbeddedCredentials } from "./firmware-embedded-secrets.js";
import { firmwareHardcodedKeys } from "./firmware-hardcoded-keys.js";
import { modelDesignation } from "./model-designation.js";
import { firmwareWeakPasswordHash } from "./firmware-weak-password-hash.js";
import { supportPeriodPublished } from "./support-period-published.js";
import { supportPeriodMinimum } from "./support-period-minimum.js";
import { firmwareConfigHazards } from "./firmware-config-hazards.js";
import { firmwareDebugInterfaces } from "./firmware-debug-interfaces.js";
import { firmwareInsecureServices } from "./firmware-insecure-services.js";
import { firmwareUpdateChannel } from "./firmware-update-channel.js";
import { firmwareUpdateSigning } from "./firmware-update-signing.js";
import { probeInsecureServices } from "./probe-insecure-services.js";
import { probeMqttAnonymous } from "./probe-mqtt-anonymous.js";
import { probeDefaultCredentials } from "./probe-default-credentials.js";
import { probeBruteforceProtection } from "./probe-bruteforce-protection.js";
import { probeFtpAnonymous } from "./probe-ftp-anonymous.js";
import { probeTlsWeakProtocols } from "./probe-tls-weak-protocols.js";
import { probeTlsWeakCiphers } from "./probe-tls-weak-ciphers.js";
import { probeTlsCertificate } from "./probe-tls-certificate.js";
import { probeSshWeakAlgorithms } from "./probe-ssh-weak-algorithms.js";
import { cloudTlsWeak } from "./cloud-tls-weak.js";
import { cloudUnauthenticatedApi } from "./cloud-unauthenticated-api.js";
import { probeCoapUnauthenticated } from "./probe-coap-unauthenticated.js";
import { probeHttpAdminCleartext } from "./probe-http-admin-cleartext.js";
import { probeSnmpDefaultCommunity } from "./probe-snmp-default-community.js";
import { probeSnmpV3DefaultUser } from "./probe-snmp-v3-default-user.js";
import { probeUpnpIgdUnauthenticated } from "./probe-upnp-igd-unauthenticated.js";
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
  disclosureSecurityTxt,
  disclosureCsafProviderMetadata,
  disclosureReportingDeadlines,
  firmwareBinaryHardening,
  firmwareCertificates,
  firmwareDefaultCredentials,
  firmwareEmbeddedCredentials,
  firmwareHardcodedKeys,
  modelDesignation,
  supportPeriodPublished,
  supportPeriodMinimum,
  firmwareWeakPasswordHash,
  appCleartextTraffic,
  appDebuggable,
  appBackupAllowed,
  appExportedComponents,
  appAtsExceptions,
  appUserCaTrusted,
  appCertificatePinning,
  appHardcodedSecrets,
  appDebugCertificate,
  appSignatureScheme,
  probeInsecureServices,
  probeMqttAnonymous,
  probeDefaultCredentials,
  probeBruteforceProtection,
  probeFtpAnonymous,
  probeTlsWeakProtocols,
  probeTlsWeakCiphers,
  probeTlsCertificate,
  probeSshWeakAlgorithms,
  cloudTlsWeak,
  cloudUnauthenticatedApi,
  probeSnmpDefaultCommunity,
  probeSnmpV3DefaultUser,
  probeUpnpIgdUnauthenticated,
  probeHttpAdminCleartext,
  probeCoapUnauthenticated,
];

export function checkById(id: string): Check | undefined {
  return CHECKS.find((c) => c.meta.id === id);
}
