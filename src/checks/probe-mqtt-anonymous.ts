// AUTH-06 from a live probe: an MQTT broker on the device that accepts a CONNECT without user name
// or password lets anyone read and publish device messages.
import { PROBE, type ServiceData } from "../evidence/probe.js";
import { finding, type Check, type CheckMeta } from "./types.js";

const meta: CheckMeta = {
  id: "probe.mqtt-anonymous",
  title: "MQTT brokers on the device refuse anonymous clients",
  description:
    "Reads the MQTT brokers a live probe found on the device (it sends an MQTT 3.1.1 CONNECT without credentials and reads the CONNACK). Fails when the broker accepts the anonymous CONNECT; passes when it refuses it.",
  requirements: ["AUTH-06"],
  severity: "critical",
  reads: [PROBE.service],
  remediation:
    "Require authentication on the broker (mosquitto: allow_anonymous false with a password file or client certificates) and restrict topics per client with an ACL.",
};

export const probeMqttAnonymous: Check = {
  meta,
  evaluate(evidence) {
    return evidence
      .ofKind<ServiceData>(PROBE.service)
      .filter((e) => e.data.service === "mqtt" && typeof e.data.detail.anonymous === "boolean")
      .map((e) => {
        const where = `${e.data.host} port ${e.data.port}`;
        return e.data.detail.anonymous
          ? finding(
              meta,
              "fail",
              `The MQTT broker on ${where} accepts an anonymous CONNECT: anyone on the network can subscribe and publish.`,
              [e.id],
            )
          : finding(
              meta,
              "pass",
              `The MQTT broker on ${where} refuses an anonymous CONNECT (${String(e.data.detail.meaning)}).`,
              [e.id],
            );
      });
  },
};
