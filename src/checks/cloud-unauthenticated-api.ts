// AUTH-06 from a live test of the cloud endpoints: a cloud API that hands out data to a request
// with no credentials at all is a network-reachable function without authentication. The
// request is the endpoint URL itself (GET, a WebSocket upgrade, or an MQTT CONNECT).
import { CLOUD, type CloudAuthData } from "../evidence/cloud.js";
import { finding, type Check, type CheckMeta } from "./types.js";

const meta: CheckMeta = {
  id: "cloud.unauthenticated-api",
  title: "Cloud APIs refuse requests without credentials",
  description:
    "Reads the unauthenticated request made to each cloud endpoint (GET of the URL for https, a WebSocket upgrade for wss, an MQTT CONNECT without user name for mqtts). Fails when the endpoint answers it (2xx with a body, an accepted upgrade, CONNACK 0); passes when it refuses (401, 403, CONNACK 4 or 5). Other answers (redirects, 404, empty bodies) and endpoints that could not be tested are info.",
  requirements: ["AUTH-06"],
  severity: "critical",
  reads: [CLOUD.auth],
  remediation:
    "Require authentication (OAuth tokens, client certificates, signed requests) on every cloud API and broker the device and app use, and return 401 or 403 without data otherwise.",
};

export const cloudUnauthenticatedApi: Check = {
  meta,
  evaluate(evidence) {
    return evidence.ofKind<CloudAuthData>(CLOUD.auth).map((e) => {
      const d = e.data;
      if (!d.tested)
        return finding(
          meta,
          "info",
          `Cloud endpoint ${d.url} was not tested for authentication: ${d.reason ?? "unknown reason"}.`,
          [e.id],
        );
      if (d.verdict === "answers")
        return finding(meta, "fail", `Cloud endpoint ${d.url} answers without authentication: ${d.detail}.`, [
          e.id,
        ]);
      if (d.verdict === "refuses")
        return finding(
          meta,
          "pass",
          `Cloud endpoint ${d.url} refuses a request without credentials: ${d.detail}.`,
          [e.id],
        );
      return finding(
        meta,
        "info",
        `Cloud endpoint ${d.url}: ${d.detail}, which does not show whether it requires authentication.`,
        [e.id],
      );
    });
  },
};
