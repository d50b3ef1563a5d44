// COMM-02 from a live probe: a web interface that asks for a password over plain HTTP sends that
// password (a critical security parameter) across the network in clear text. Redirecting plain
// HTTP to HTTPS before any login passes.
import { PROBE } from "../evidence/probe.js";
import type { HttpAdminData } from "../evidence/probe-http.js";
import { finding, type Check, type CheckMeta } from "./types.js";

const meta: CheckMeta = {
  id: "probe.http-admin-cleartext",
  title: "Web logins on the device are not served over plain HTTP",
  description:
    "Reads the first page of every plain-HTTP service a live probe found (GET /, following at most one redirect on the same device). Fails when a page served over plain HTTP shows a login or admin interface (a password field, an HTTP Basic or Digest challenge, or links to admin paths); passes when plain HTTP redirects to HTTPS.",
  requirements: ["COMM-02"],
  severity: "high",
  reads: [PROBE.httpAdmin],
  remediation:
    "Serve the web interface over HTTPS only and make plain HTTP answer with a redirect to it (or close port 80); use a per-device certificate and set HSTS.",
};

export const probeHttpAdminCleartext: Check = {
  meta,
  evaluate(evidence) {
    return evidence.ofKind<HttpAdminData>(PROBE.httpAdmin).flatMap((e) => {
      const d = e.data;
      const where = `The web interface on ${d.host} port ${d.port}`;
      if (d.cleartextLogin.length > 0)
        return [
          finding(
            meta,
            "fail",
            `${where} serves a login over plain HTTP (${d.cleartextLogin.join("; ")}): passwords cross the network in clear text.`,
            [e.id],
          ),
        ];
      if (d.redirect?.https)
        return [finding(meta, "pass", `${where} redirects plain HTTP to HTTPS (${d.redirect.to}).`, [e.id])];
      return [];
    });
  },
};
