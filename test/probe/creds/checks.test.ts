// Table tests for the credential checks: probe.default-credentials (AUTH-01),
// probe.bruteforce-protection (AUTH-05) and probe.ftp-anonymous (AUTH-06).
import { probeBruteforceProtection } from "../../../src/checks/probe-bruteforce-protection.js";
import { probeDefaultCredentials } from "../../../src/checks/probe-default-credentials.js";
import { probeFtpAnonymous } from "../../../src/checks/probe-ftp-anonymous.js";
import type { AttemptRecord, CredentialsData } from "../../../src/evidence/probe-credentials.js";
import { checkTable } from "../../helpers/check-table.js";
import { ev } from "../../helpers/evidence.js";

const MIRAI =
  "Mirai scanner.c credential table (source leaked October 2016); https://www.stateward.com/vulnerabilities/INFRA-MIRAI-2016";

const refused = (n: number): AttemptRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    kind: "dictionary",
    user: "root",
    password: `p${i}`,
    verdict: "rejected",
    ms: 20,
  }));

const rec = (extra: Partial<CredentialsData> = {}) =>
  ev<CredentialsData>(
    "probe.credentials",
    {
      host: "cam",
      address: "10.0.0.5",
      port: 23,
      service: "telnet",
      method: "login prompt",
      dictionary: "shipped (66 pairs)",
      maxLogins: 20,
      attempts: 20,
      tried: 19,
      acceptsAnything: false,
      found: [],
      lockout: false,
      throttled: false,
      stop: "cap",
      reason: "the attempt cap of 20 logins was reached",
      failDelayMs: 20,
      log: refused(20),
      transcripts: [],
      transcriptsOmitted: 0,
      ...extra,
    },
    "device",
    "10.0.0.5:23/tcp",
  );

checkTable(probeDefaultCredentials, {
  valid: [
    {
      name: "none of the pairs tried logs in",
      evidence: [rec()],
      expect: [
        {
          status: "pass",
          message: "None of the 19 default credential pairs tried logs in to Telnet on cam port 23.",
          requirements: ["AUTH-01"],
        },
      ],
    },
    {
      name: "a login form over TLS, and a broker over TLS, named as such",
      evidence: [
        rec({ service: "http", method: "form POST /login.cgi", tls: true, port: 443 }),
        rec({ service: "mqtt", method: "CONNECT", tls: true, port: 8883 }),
      ],
      expect: [
        {
          status: "pass",
          message:
            "None of the 19 default credential pairs tried logs in to the web login (form POST /login.cgi over TLS) on cam port 443.",
        },
        {
          status: "pass",
          message:
            "None of the 19 default credential pairs tried logs in to the MQTT broker (over TLS) on cam port 8883.",
        },
      ],
    },
    {
      name: "a lockout cut the test short",
      evidence: [
        rec({
          service: "http",
          method: "digest SHA-256",
          port: 80,
          tried: 4,
          stop: "lockout",
          lockout: true,
          reason: 'the peer locked logins at attempt 5: "429 Too Many Requests"',
        }),
      ],
      expect: [
        {
          status: "pass",
          message:
            'None of the 4 default credential pairs tried logs in to the web login (digest SHA-256) on cam port 80; the test stopped early: the peer locked logins at attempt 5: "429 Too Many Requests".',
        },
      ],
    },
    {
      name: "a supplied list",
      evidence: [rec({ dictionary: "supplied: ours.csv (3 pairs)", tried: 3, stop: "exhausted" })],
      expect: [
        {
          status: "pass",
          message: "None of the 3 pairs from the supplied list tried logs in to Telnet on cam port 23.",
        },
      ],
    },
    {
      name: "nothing could be tried",
      evidence: [
        rec({
          tried: 0,
          attempts: 1,
          stop: "error",
          reason: "attempt 1 could not be judged: no answer after the password",
        }),
      ],
      expect: [
        {
          status: "info",
          message:
            "Could not try default credentials on Telnet on cam port 23: attempt 1 could not be judged: no answer after the password.",
        },
      ],
    },
  ],
  invalid: [
    {
      name: "a Mirai pair and an empty password log in",
      evidence: [
        rec({
          found: [
            { user: "root", password: "xc3511", source: MIRAI },
            {
              user: "admin",
              password: "",
              source: `${MIRAI} | MikroTik RouterOS legacy: admin with an empty password; https://x`,
            },
          ],
        }),
      ],
      expect: [
        {
          status: "fail",
          message:
            'Telnet on cam port 23 logs in with default credentials: root / "xc3511" (Mirai scanner.c credential table (source leaked October 2016)); admin / (empty password) (Mirai scanner.c credential table (source leaked October 2016)).',
          requirements: ["AUTH-01"],
        },
      ],
    },
    {
      name: "a pair from the supplied list logs in; its password is not shown",
      evidence: [
        rec({
          service: "ssh",
          port: 22,
          dictionary: "supplied: ours.csv (3 pairs)",
          found: [{ user: "root", password: "(from the supplied list)", source: "our sheet" }],
        }),
      ],
      expect: [
        {
          status: "fail",
          message:
            "SSH on cam port 22 logs in with default credentials: root with a password from the supplied list.",
        },
      ],
    },
    {
      name: "accepts any credentials: never reported as a default password",
      evidence: [
        rec({
          service: "mqtt",
          port: 1883,
          acceptsAnything: true,
          found: [],
          stop: "accepts-anything",
          reason: "a random user name and password logged in: CONNACK 0 (accepted)",
        }),
      ],
      expect: [
        {
          status: "fail",
          message:
            "The MQTT broker on cam port 1883 accepts any credentials (a random user name and password logged in: CONNACK 0 (accepted)): every password works, so no default password was judged.",
        },
      ],
    },
  ],
  silent: [
    { name: "no credential test", evidence: [], expect: [] },
    {
      name: "no login to test",
      evidence: [
        rec({
          tried: 0,
          attempts: 0,
          stop: "no-login",
          reason: "no password login offered (methods: publickey)",
        }),
      ],
      expect: [],
    },
  ],
});

checkTable(probeBruteforceProtection, {
  valid: [
    {
      name: "a lockout",
      evidence: [
        rec({
          stop: "lockout",
          lockout: true,
          attempts: 5,
          limit: 'it answered "Account locked: too many failed login attempts" after 4 failed attempts',
        }),
      ],
      expect: [
        {
          status: "pass",
          message:
            'Telnet on cam port 23 limits password guessing: it answered "Account locked: too many failed login attempts" after 4 failed attempts.',
          requirements: ["AUTH-05"],
        },
      ],
    },
    {
      name: "a slowdown",
      evidence: [
        rec({
          stop: "throttled",
          throttled: true,
          limit: "its refusals slowed from about 20 ms to 3100 ms after 6 attempts",
        }),
      ],
      expect: [
        {
          status: "pass",
          message:
            "Telnet on cam port 23 limits password guessing: its refusals slowed from about 20 ms to 3100 ms after 6 attempts.",
        },
      ],
    },
    {
      name: "too few refusals to judge",
      evidence: [rec({ attempts: 4, stop: "exhausted", log: refused(4) })],
      expect: [
        {
          status: "info",
          message:
            "Telnet on cam port 23: only 4 failed logins were tried, too few to judge brute-force protection (raise --max-logins).",
        },
      ],
    },
  ],
  invalid: [
    {
      name: "the cap was reached without a sign of a limit",
      evidence: [rec()],
      expect: [
        {
          status: "fail",
          message:
            "Telnet on cam port 23: no limit observed in 20 attempts (20 refused, no lockout, refusal or slowdown; each wrong password was refused in about 20 ms).",
          requirements: ["AUTH-05"],
        },
      ],
    },
  ],
  silent: [
    {
      name: "accepts anything",
      evidence: [rec({ acceptsAnything: true, stop: "accepts-anything", log: [] })],
      expect: [],
    },
    { name: "no login", evidence: [rec({ stop: "no-login", log: [] })], expect: [] },
    { name: "could not be judged", evidence: [rec({ stop: "error", log: refused(1) })], expect: [] },
    { name: "the budget ran out", evidence: [rec({ stop: "budget" })], expect: [] },
  ],
});

checkTable(probeFtpAnonymous, {
  valid: [
    {
      name: "anonymous refused",
      evidence: [rec({ service: "ftp", port: 21, anonymous: false })],
      expect: [
        {
          status: "pass",
          message: "The FTP server on cam port 21 refuses anonymous logins.",
          requirements: ["AUTH-06"],
        },
      ],
    },
  ],
  invalid: [
    {
      name: "anonymous accepted",
      evidence: [rec({ service: "ftp", port: 21, anonymous: true })],
      expect: [
        {
          status: "fail",
          message:
            "The FTP server on cam port 21 accepts anonymous logins: anyone on the network can read what it serves.",
        },
      ],
    },
  ],
  silent: [
    {
      name: "not tried (the canary logged in first)",
      evidence: [rec({ service: "ftp", acceptsAnything: true })],
      expect: [],
    },
    { name: "not FTP", evidence: [rec()], expect: [] },
  ],
});
