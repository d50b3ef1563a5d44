// The command-line flags of the credentials tester, checked before any connection is made so a
// typo fails at once instead of as a tester error at the end of a probe.
import { UsageError } from "../../../util/problems.js";
import type { TesterOptions } from "../testers.js";
import { suppliedDictionary } from "./dictionary.js";

export function credentialOptions(flags: {
  maxLogins?: string;
  credentials?: string;
}): Pick<TesterOptions, "maxLogins" | "credentialsFile"> {
  const out: Pick<TesterOptions, "maxLogins" | "credentialsFile"> = {};
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
