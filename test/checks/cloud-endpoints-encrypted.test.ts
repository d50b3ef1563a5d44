import { cloudEndpointsEncrypted } from "../../src/checks/cloud-endpoints-encrypted.js";
import { KIND } from "../../src/evidence/kinds.js";
import { checkTable } from "../helpers/check-table.js";
import { ev } from "../helpers/evidence.js";

const ep = (url: string) => ev(KIND.cloudEndpoint, { url }, "cloud");

checkTable(cloudEndpointsEncrypted, {
  valid: [
    {
      name: "HTTPS and MQTTS are noted, never passed on a declaration alone",
      evidence: [ep("https://api.x.example"), ep("mqtts://iot.x.example:8883")],
      expect: [
        {
          status: "info",
          message:
            "Cloud endpoint https://api.x.example declares an encrypted scheme; its TLS configuration has not been tested.",
        },
        { status: "info", message: /mqtts:\/\/iot\.x\.example:8883 declares an encrypted scheme/ },
      ],
    },
  ],
  invalid: [
    {
      name: "plain MQTT",
      evidence: [ep("mqtt://t.x.example:1883")],
      expect: [
        {
          status: "fail",
          message: "Cloud endpoint mqtt://t.x.example:1883 uses mqtt, which is not encrypted.",
          requirements: ["COMM-03"],
        },
      ],
    },
    {
      name: "plain HTTP, upper-case scheme",
      evidence: [ep("HTTP://api.x.example")],
      expect: [
        { status: "fail", message: "Cloud endpoint HTTP://api.x.example uses http, which is not encrypted." },
      ],
    },
    {
      name: "CoAP without DTLS",
      evidence: [ep("coap://c.x.example")],
      expect: [{ status: "fail", message: /uses coap/ }],
    },
  ],
});
