// AUTH-01 from a live probe: the credentials tester tried the default-credential dictionary (the
// Mirai table and documented vendor defaults) on each login service it found. A pair that logs in
// is a universal default password. A service that lets a random user name and password in
// accepts anything, which is reported as such and never as "a default password works".
import { PROBE } from "../evidence/probe.js";
import type { CredentialsData } from "../evidence/probe-credentials.js";
import { loginService, pairText } from "./probe-credentials-common.js";
import { finding, type Check, type CheckMeta, type Finding } from "./types.js";

const meta: CheckMeta = {
  id: "probe.default-credentials",
  title: "No login service on the device accepts a default password",
  description:
    "Reads the credential tests of a live probe (telnet, SSH, FTP, HTTP Basic/Digest, RTSP, MQTT), which first try a random user name and password, then the default-credential dictionary up to the attempt cap. Fails when a dictionary pair logs in (naming it) or when the service accepts any credentials; passes when none of the pairs tried logged in; informs when the test could not try any pair.",
  requirements: ["AUTH-01"],
  severity: "critical",
  reads: [PROBE.credentials],
  remediation:
    "Ship no shared password: have each unit generate a unique password or make the user set one at first use, and remove vendor, support and test accounts from every login service (telnet, SSH, FTP, web, RTSP, MQTT).",
};

const ANYTHING_FIX =
  "Make the service check credentials: a login that lets any user name and password in is no login. Require a per-unit or user-set password and refuse everything else.";

export const probeDefaultCredentials: Check = {
  meta,
  evaluate(evidence) {
    const out: Finding[] = [];
    for (const e of evidence.ofKind<CredentialsData>(PROBE.credentials)) {
      const d = e.data;
      const where = loginService(d);
      if (d.acceptsAnything) {
        out.push(
          finding(
            meta,
            "fail",
            `${where} accepts any credentials (${d.reason}): every password works, so no default password was judged.`,
            [e.id],
            { remediation: ANYTHING_FIX },
          ),
        );
        continue;
      }
      if (d.found.length) {
        out.push(
          finding(
            meta,
            "fail",
            `${where} logs in with default credentials: ${d.found.map(pairText).join("; ")}.`,
            [e.id],
          ),
        );
        continue;
      }
      if (d.stop === "no-login") continue;
      const list = d.dictionary.startsWith("supplied")
        ? "pairs from the supplied list"
        : "default credential pairs";
      if (d.tried === 0) {
        out.push(
          finding(
            meta,
            "info",
            `Could not try default credentials on ${where.replace(/^The /, "the ")}: ${d.reason}.`,
            [e.id],
          ),
        );
        continue;
      }
      const early = d.stop === "cap" || d.stop === "exhausted" ? "" : `; the test stopped early: ${d.reason}`;
      out.push(
        finding(
          meta,
          "pass",
          `None of the ${d.tried} ${list} tried logs in to ${where.replace(/^The /, "the ")}${early}.`,
          [e.id],
        ),
      );
    }
    return out;
  },
};
