// The "credentials" service tester: tries the default-credential dictionary against every login
// service the probe identified (telnet, SSH, FTP, HTTP with Basic, Digest or a login form, RTSP,
// MQTT, and HTTP or MQTT inside TLS) and records one probe.credentials record per service.
// docs/probe.md, "Credentials".
import { PROBE, type ServiceData } from "../../../evidence/probe.js";
import type { ServiceTester, TesterOptions } from "../testers.js";
import type { CredentialsData, LoginService } from "../../../evidence/probe-credentials.js";
import { shippedDictionary, suppliedDictionary } from "./dictionary.js";
import { testCredentials } from "./engine.js";
import { ftpProtocol } from "./ftp.js";
import { httpProtocol, rtspProtocol } from "./httpauth.js";
import { mqttProtocol } from "./mqtt.js";
import type { LoginProtocol } from "./protocol.js";
import { sshProtocol } from "./ssh.js";
import { telnetProtocol } from "./telnet.js";
import { tlsProtocol } from "./tls.js";

/** Logins per service at most unless --max-logins says otherwise. */
export const DEFAULT_MAX_LOGINS = 20;

const PROTOCOLS: Record<LoginService, () => LoginProtocol> = {
  telnet: telnetProtocol,
  ssh: sshProtocol,
  ftp: ftpProtocol,
  http: httpProtocol,
  rtsp: rtspProtocol,
  mqtt: mqttProtocol,
  tls: tlsProtocol,
};

function isLoginService(s: string): s is LoginService {
  return Object.hasOwn(PROTOCOLS, s);
}

/** Runs the credential test on one service; exported for tests and for callers outside a probe run. */
export async function testServiceCredentials(
  scope: Parameters<ServiceTester["run"]>[0],
  service: ServiceData,
  opts: TesterOptions = {},
): Promise<CredentialsData> {
  if (!isLoginService(service.service)) throw new Error(`no login protocol for service "${service.service}"`);
  const maxLogins = opts.maxLogins ?? DEFAULT_MAX_LOGINS;
  if (!(Number.isInteger(maxLogins) && maxLogins >= 1))
    throw new Error(`maxLogins must be a whole number of at least 1, not ${maxLogins}`);
  const dictionary = opts.credentialsFile ? suppliedDictionary(opts.credentialsFile) : shippedDictionary();
  const timeoutMs = scope.limits.timeoutMs;
  const tls = service.service === "tls";
  const data = await testCredentials(
    {
      scope,
      service,
      timeoutMs,
      // Login programs pause before refusing (busybox login 3 s, PAM about 2 s): wait longer than that.
      loginWaitMs: opts.loginWaitMs ?? Math.max(5000, timeoutMs),
      maxBytes: 16384,
      ...(tls ? { tls } : {}),
    },
    PROTOCOLS[service.service](),
    { dictionary, maxLogins, parallel: opts.loginConcurrency },
  );
  return tls ? { ...data, tls } : data;
}

export const credentialsTester: ServiceTester = {
  id: "credentials",
  version: "0.2.0",
  kind: PROBE.credentials,
  description:
    "tries the default-credential dictionary (or --credentials) on telnet, SSH, FTP, HTTP (Basic, Digest or an HTML login form), RTSP and MQTT logins, and on HTTP and MQTT inside TLS, after a random pair that must fail, up to --max-logins attempts per service, stopping at any lockout or slowdown",
  // Every HTTP service: identification sends HEAD, so only GET / shows whether a page holds a
  // login form; every TLS service: only a look inside tells HTTPS or MQTT.
  applies: (s) => isLoginService(s.service),
  async run(scope, service, opts) {
    return [{ data: await testServiceCredentials(scope, service, opts) }];
  },
};
