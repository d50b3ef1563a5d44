// The command-line flags of the credentials tester, checked before any connection is made so a
// typo fails at once instead of as a tester error at the end of a probe.
import { UsageError } from "../../../util/problems.js";
import type { TesterOptions } from "../testers.js";
import { suppliedDictionary } from "./dictionary.js";

/**
 * Dictionary logins in flight per service for `concord probe` and `assess --live` (the library's
 * own default is 1): a few at once, as brute-force tools do, keeps a service that pauses a second
 * before each refusal from taking twenty seconds; the cap and the lockout signs still apply.
 */
export const DEFAULT_LOGIN_CONCURRENCY = 4;

export function credentialOptions(flags: {
  maxLogins?: string;
  loginConcurrency?: string;
  credentials?: string;
}): Pick<TesterOptions, "maxLogins" | "loginConcurrency" | "credentialsFile"> {
  const out: Pick<TesterOptions, "maxLogins" | "loginConcurrency" | "credentialsFile"> = {
    loginConcurrency: DEFAULT_LOGIN_CONCURRENCY,
  };
  if (flags.loginConcurrency !== undefined) {
    const n = Number(flags.loginConcurrency);
    if (!(Number.isInteger(n) && n >= 1))
      throw new UsageError(
        `--login-concurrency takes a whole number of at least 1, not "${flags.loginConcurrency}"`,
      );
    out.loginConcurrency = n;
  }
  if (flags.maxLogins !== undefined) {
    const n = Number(flags.maxLogins);
    if (!(Number.isInteger(n) && n >= 1))
      throw new UsageError(`--max-logins takes a whole number of at least 1, not "${flags.maxLogins}"`);
    out.maxLogins = n;
  }
  if (flags.credentials !== undefined) {
    try {
      suppliedDictionary(flags.credentials);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    out.credentialsFile = flags.credentials;
  }
  return out;
}
