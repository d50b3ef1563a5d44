// COMM-03 from a live test of the cloud endpoints: each endpoint must be reached over TLS that is
// both current and server-authenticated. It reads the same TLS audit a device port gets and
// judges it with the same rules (deprecated versions, weak suites, the certificate), and, since a
// cloud service can have a publicly trusted certificate, also requires that the trust store
// accepts it.
import { CLOUD, type CloudTlsData } from "../evidence/cloud.js";
import { certificateProblems, certificateSummary } from "./probe-tls-certificate.js";
import { describeWeakSuites, weakSuites } from "./probe-tls-weak-ciphers.js";
import { accepted, deprecatedAccepted, listOf } from "./probe-tls-weak-protocols.js";
import { finding, type Check, type CheckMeta } from "./types.js";

const meta: CheckMeta = {
  id: "cloud.tls-weak",
  title: "Cloud endpoints offer current TLS with a trusted certificate",
  description:
    "Reads the TLS audits of the cloud endpoints (https, wss, mqtts, amqps). Fails for each endpoint that accepts SSLv3, TLS 1.0 or TLS 1.1, accepts a weak cipher suite, or presents a certificate that is expired, not yet valid, self-signed, not trusted, weakly keyed or signed, or not valid for the endpoint's host name. Passes when none of these holds. Endpoints that could not be tested are reported as info.",
  requirements: ["COMM-03"],
  severity: "high",
  reads: [CLOUD.tls],
  remediation:
    "Serve the endpoint with TLS 1.2 and 1.3 only, AEAD suites with forward secrecy, and a certificate from a publicly trusted CA that names the host and uses SHA-256 or better with RSA 2048+ or EC P-256+.",
};

export const cloudTlsWeak: Check = {
  meta,
  evaluate(evidence, ctx) {
    return evidence.ofKind<CloudTlsData>(CLOUD.tls).map((e) => {
      const d = e.data;
      if (!d.tested || !d.audit)
        return finding(
          meta,
          "info",
          `Cloud endpoint ${d.url} was not tested: ${d.reason ?? "no TLS audit"}.`,
          [e.id],
        );
      const a = d.audit;
      const problems: string[] = [];
      const old = deprecatedAccepted(a);
      if (old.length) problems.push(`accepts ${listOf(old)}`);
      const weak = weakSuites(a);
      if (weak.length) problems.push(`accepts ${describeWeakSuites(weak)}`);
      if (!a.certificate) problems.push("presents no certificate");
      else {
        const c = certificateProblems(a.certificate, ctx.asOf, { requireTrust: true });
        if (c.length)
          problems.push(`presents a certificate ("${a.certificate.chain[0]!.subject}") that ${listOf(c)}`);
      }
      if (problems.length)
        return finding(meta, "fail", `Cloud endpoint ${d.url} ${listOf(problems)}.`, [e.id]);
      const versions = listOf(accepted(a));
      const summary = `accepts ${versions} with no weak cipher suite and presents a trusted certificate ${certificateSummary(a.certificate!)}`;
      if (a.outcome !== "complete")
        return finding(
          meta,
          "info",
          `Cloud endpoint ${d.url} ${summary}, but the audit stopped early (${a.outcome}).`,
          [e.id],
        );
      return finding(meta, "pass", `Cloud endpoint ${d.url} ${summary}.`, [e.id]);
    });
  },
};
