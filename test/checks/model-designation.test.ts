import { modelDesignation } from "../../src/checks/model-designation.js";
import { KIND } from "../../src/evidence/kinds.js";
import { checkTable } from "../helpers/check-table.js";
import { ev } from "../helpers/evidence.js";

const id = (model?: string, version?: string) =>
  ev(KIND.productIdentity, { name: "Cam", maker: "Acme", category: "camera", model, version });

checkTable(modelDesignation, {
  valid: [
    {
      name: "model and version",
      evidence: [id("HC-200", "2.4.1")],
      expect: [
        {
          status: "pass",
          message: "Cam is identified as model HC-200, software 2.4.1.",
          requirements: ["UPD-11"],
        },
      ],
    },
  ],
  invalid: [
    {
      name: "no model",
      evidence: [id(undefined, "1.0")],
      expect: [{ status: "fail", message: "Cam has no model designation to identify it by." }],
    },
    {
      name: "neither",
      evidence: [id()],
      expect: [
        {
          status: "fail",
          message: "Cam has no model designation and no software version to identify it by.",
        },
      ],
    },
  ],
});
