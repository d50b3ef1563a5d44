// AUTH-06 from a live probe: CoAP on UDP 5683 runs without DTLS ("NoSec", RFC 7252 section 9),
// so a resource that answers a GET there answers anyone. Resource discovery (/.well-known/core)
// is public by design and not counted; the resources it lists are.
import { PROBE } from "../evidence/probe.js";
import type { CoapData } from "../evidence/probe-udp.js";
import { finding, type Check, type CheckMeta } from "./types.js";

const meta: CheckMeta = {
  id: "probe.coap-unauthenticated",
  title: "CoAP resources on the device require authentication",
  description:
    "Reads the CoAP probes of the device's UDP ports (GET /.well-known/core without DTLS, then a GET of each listed resource, bounded). Fails when a listed resource returns content to the anonymous client; passes when discovery or every resource read is refused (4.01 Unauthorized or 4.03 Forbidden).",
  requirements: ["AUTH-06"],
  severity: "high",
  reads: [PROBE.coap],
  remediation:
    "Serve CoAP over DTLS (coaps, UDP 5684) with per-device credentials, or protect the resources with OSCORE; close plain CoAP on 5683.",
};

const refused = (code: string | undefined) => code === "4.01" || code === "4.03";

export const probeCoapUnauthenticated: Check = {
  meta,
  evaluate(evidence) {
    return evidence.ofKind<CoapData>(PROBE.coap).flatMap((e) => {
      const d = e.data;
      const where = `The CoAP server on ${d.host} port ${d.port}/udp`;
      const open = d.reads.filter((r) => r.code?.startsWith("2."));
      if (open.length > 0) {
        const paths = open.map((r) => r.path);
        return [
          finding(
            meta,
            "fail",
            `${where} serves ${open.length} resource${open.length === 1 ? "" : "s"} to an anonymous client without DTLS (${paths.slice(0, 5).join(", ")}${paths.length > 5 ? ", ..." : ""}).`,
            [e.id],
          ),
        ];
      }
      if (refused(d.code))
        return [finding(meta, "pass", `${where} refuses anonymous resource discovery (${d.code}).`, [e.id])];
      if (d.reads.length > 0 && d.reads.every((r) => refused(r.code)))
        return [
          finding(
            meta,
            "pass",
            `${where} refuses every listed resource to an anonymous client (${d.reads.length} read, ${[...new Set(d.reads.map((r) => r.code))].join("/")}).`,
            [e.id],
          ),
        ];
      return [];
    });
  },
};
