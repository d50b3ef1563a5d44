// Every check Concord has. A new check is one file and one line here.
import { attestationStatus } from "./attestation-status.js";
import { cloudEndpointsEncrypted } from "./cloud-endpoints-encrypted.js";
import { disclosurePolicyDeclared } from "./disclosure-policy-declared.js";
import { modelDesignation } from "./model-designation.js";
import { supportPeriodPublished } from "./support-period-published.js";
import type { Check } from "./types.js";

export const CHECKS: readonly Check[] = [
  attestationStatus,
  cloudEndpointsEncrypted,
  disclosurePolicyDeclared,
  modelDesignation,
  supportPeriodPublished,
];

export function checkById(id: string): Check | undefined {
  return CHECKS.find((c) => c.meta.id === id);
}
