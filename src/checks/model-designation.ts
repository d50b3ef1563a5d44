// UPD-11: users and authorities must be able to tell which model and software version they have.
import { KIND, type ProductIdentityData } from "../evidence/kinds.js";
import { finding, type Check, type CheckMeta } from "./types.js";

const meta: CheckMeta = {
  id: "identity.model-designation",
  title: "Model designation and software version are declared",
  description: "Fails when the product has no model designation or no software version to identify it by.",
  requirements: ["UPD-11"],
  severity: "medium",
  reads: [KIND.productIdentity],
  remediation:
    "Declare `product.model` (as printed on the label) and `product.version` (the software version the device reports).",
};

export const modelDesignation: Check = {
  meta,
  evaluate(evidence) {
    return evidence.ofKind<ProductIdentityData>(KIND.productIdentity).map((e) => {
      const { model, version, name } = e.data;
      const missing = [!model && "model designation", !version && "software version"].filter(Boolean);
      if (missing.length > 0)
        return finding(meta, "fail", `${name} has no ${missing.join(" and no ")} to identify it by.`, [e.id]);
      return finding(meta, "pass", `${name} is identified as model ${model}, software ${version}.`, [e.id]);
    });
  },
};
