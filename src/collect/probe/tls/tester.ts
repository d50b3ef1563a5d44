// The "tls" service tester: the TLS audit on every service identified as TLS.
import { PROBE, type ServiceData } from "../../../evidence/probe.js";
import type { ServiceTester } from "../testers.js";
import { auditTls } from "./audit.js";

export const tlsTester: ServiceTester = {
  id: "tls",
  version: "1.0.0",
  kind: PROBE.tls,
  description:
    "TLS protocol versions (SSLv3 to TLS 1.3), the cipher suites accepted at each, and the certificate chain",
  applies: (s: ServiceData) => s.service === "tls",
  async run(scope, s) {
    const data = await auditTls(scope, s);
    return data ? [{ data }] : [];
  },
};
