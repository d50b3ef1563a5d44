// COMM-03: every cloud endpoint must be reached over an encrypted, authenticated channel. From the
// manifest alone this check can prove a failure (a clear-text scheme) but never a pass: a declared
// https:// URL says nothing about the TLS behind it, so those get an info finding only.
import { KIND, type CloudEndpointData } from "../evidence/kinds.js";
import { finding, type Check, type CheckMeta } from "./types.js";

/** Schemes that carry data in clear text, with the encrypted scheme to use instead. */
const CLEARTEXT: Record<string, string> = {
  "http:": "https:",
  "ws:": "wss:",
  "mqtt:": "mqtts:",
  "tcp:": "mqtts: or tls:",
  "coap:": "coaps:",
  "ftp:": "sftp: or https:",
  "amqp:": "amqps:",
};

const meta: CheckMeta = {
  id: "cloud.endpoints-encrypted",
  title: "Cloud endpoints use encrypted transports",
  description:
    "Fails for each declared cloud endpoint whose scheme sends data in clear text (http, ws, mqtt, coap, ftp, amqp).",
  requirements: ["COMM-03"],
  severity: "high",
  reads: [KIND.cloudEndpoint],
  remediation:
    "Serve the endpoint only over TLS (https, wss, mqtts, coaps) with certificate validation on the device and app.",
};

export const cloudEndpointsEncrypted: Check = {
  meta,
  evaluate(evidence) {
    return evidence.ofKind<CloudEndpointData>(KIND.cloudEndpoint).map((e) => {
      const scheme = e.data.url.slice(0, e.data.url.indexOf(":") + 1).toLowerCase();
      const instead = CLEARTEXT[scheme];
      if (instead)
        return finding(
          meta,
          "fail",
          `Cloud endpoint ${e.data.url} uses ${scheme.slice(0, -1)}, which is not encrypted.`,
          [e.id],
          {
            remediation: `Move ${e.data.url} to ${instead} and refuse clear-text connections.`,
          },
        );
      return finding(
        meta,
        "info",
        `Cloud endpoint ${e.data.url} declares an encrypted scheme; its TLS configuration has not been tested.`,
        [e.id],
      );
    });
  },
};
