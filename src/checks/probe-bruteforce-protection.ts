// AUTH-05 from a live probe: while trying the default-credential dictionary, the credentials
// tester watches for a limit: a lock message, refused connections, silence or markedly slower
// refusals. Seeing one passes. Reaching the attempt cap (or the end of the dictionary) without
// one fails, worded as what it is: no limit observed in that many attempts; a device may still
// lock after more. Too few refusals to judge, or no test at all, decide nothing.
import { PROBE } from "../evidence/probe.js";
import type { CredentialsData } from "../evidence/probe-credentials.js";
import { loginService, refusals } from "./probe-credentials-common.js";
import { finding, type Check, type CheckMeta, type Finding } from "./types.js";

/** Refused logins needed before "no limit observed" means anything. */
export const MIN_REFUSALS = 5;

const meta: CheckMeta = {
  id: "probe.bruteforce-protection",
  title: "Login services on the device limit password guessing",
  description: `Reads the credential tests of a live probe. Passes when a login service locked logins, began refusing connections, stopped answering or slowed its refusals markedly during the test; fails when the attempt cap or the dictionary was reached without any such sign (at least ${MIN_REFUSALS} refused logins); informs when fewer logins were refused.`,
  requirements: ["AUTH-05"],
  severity: "high",
  reads: [PROBE.credentials],
  remediation:
    "Limit failed logins on every network login: increasing delays per source and per account, a temporary lockout after a few failures, and a log entry for each; apply it to telnet, SSH, FTP, web, RTSP and MQTT alike.",
};

export const probeBruteforceProtection: Check = {
  meta,
  evaluate(evidence) {
    const out: Finding[] = [];
    for (const e of evidence.ofKind<CredentialsData>(PROBE.credentials)) {
      const d = e.data;
      const where = loginService(d);
      if (d.lockout || d.throttled) {
        out.push(finding(meta, "pass", `${where} limits password guessing: ${d.limit ?? d.reason}.`, [e.id]));
        continue;
      }
      if (d.stop !== "cap" && d.stop !== "exhausted") continue;
      const n = refusals(d);
      if (n < MIN_REFUSALS) {
        out.push(
          finding(
            meta,
            "info",
            `${where}: only ${n} failed logins were tried, too few to judge brute-force protection (raise --max-logins).`,
            [e.id],
          ),
        );
        continue;
      }
      const pace =
        d.failDelayMs === undefined ? "" : `; each wrong password was refused in about ${d.failDelayMs} ms`;
      out.push(
        finding(
          meta,
          "fail",
          `${where}: no limit observed in ${d.attempts} attempts (${n} refused, no lockout, refusal or slowdown${pace}).`,
          [e.id],
        ),
      );
    }
    return out;
  },
};
