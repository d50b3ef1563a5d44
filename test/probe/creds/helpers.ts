// Shared by the credential tests: run the tester on one port, and judge the record with the checks.
import { probeBruteforceProtection } from "../../../src/checks/probe-bruteforce-protection.js";
import { probeDefaultCredentials } from "../../../src/checks/probe-default-credentials.js";
import { probeFtpAnonymous } from "../../../src/checks/probe-ftp-anonymous.js";
import type { CredentialsData } from "../../../src/evidence/probe-credentials.js";
import { testServiceCredentials } from "../../../src/collect/probe/creds/tester.js";
import { Scope } from "../../../src/collect/probe/scope.js";
import type { TesterOptions } from "../../../src/collect/probe/testers.js";
import { PROBE } from "../../../src/evidence/probe.js";
import { ev, index } from "../../helpers/evidence.js";

export async function creds(
  service: string,
  port: number,
  opts: TesterOptions = {},
  limits: { timeoutMs?: number; rate?: number } = {},
): Promise<CredentialsData> {
  const scope = await Scope.create(["127.0.0.1"], { timeoutMs: 1500, rate: 500, ...limits });
  return testServiceCredentials(
    scope,
    { host: "127.0.0.1", address: "127.0.0.1", port, service, detail: {}, transcripts: [] },
    opts,
  );
}

/** The findings of the three credential checks on one record: [check, status, message]. */
export function judge(d: CredentialsData): [string, string, string][] {
  const idx = index(ev(PROBE.credentials, d, "device"));
  return [probeDefaultCredentials, probeBruteforceProtection, probeFtpAnonymous].flatMap((c) =>
    c
      .evaluate(idx, { asOf: "2026-11-25" })
      .map((f): [string, string, string] => [f.check, f.status, f.message]),
  );
}

/** The log as "kind user/password verdict" lines, the random pairs written as (random). */
export function logLines(d: CredentialsData): string[] {
  return d.log.map((l) => {
    const pair =
      l.kind === "canary"
        ? "(random)/(random)"
        : l.kind === "verify"
          ? `${l.user}/(random)`
          : `${l.user}/${l.password}`;
    return `${l.kind} ${pair} ${l.verdict}`;
  });
}

/** The headline of a record, without the parts that vary from run to run. */
export function headline(d: CredentialsData) {
  return {
    service: d.service,
    method: d.method,
    attempts: d.attempts,
    tried: d.tried,
    acceptsAnything: d.acceptsAnything,
    found: d.found.map((f) => `${f.user}/${f.password}`),
    lockout: d.lockout,
    throttled: d.throttled,
    stop: d.stop,
  };
}
