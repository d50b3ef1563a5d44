// The pairs the credentials tester tries: the shipped default-credential dictionary (the Mirai
// table and documented vendor defaults, catalog/credentials/default-credentials.csv), or a list
// the user supplies with --credentials. Default passwords are public and are written into the
// evidence as tried; a supplied password is never written anywhere.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { defaultCredentials, parseCredentials, type Credential } from "../../firmware/analyzers/crack.js";

export interface Dictionary {
  /** "shipped (N pairs)" or "supplied: <file> (N pairs)". */
  label: string;
  pairs: Credential[];
  /** True for a supplied list: its passwords are masked in transcripts and never recorded. */
  secret: boolean;
}

/** The same pair once, first occurrence kept (its source names where the pair is documented). */
function unique(pairs: readonly Credential[]): Credential[] {
  const seen = new Set<string>();
  return pairs.filter((c) => {
    const k = `${c.user}\u0000${c.password}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function shippedDictionary(): Dictionary {
  const pairs = unique(defaultCredentials());
  return { label: `shipped (${pairs.length} pairs)`, pairs, secret: false };
}

const supplied = new Map<string, Dictionary>();

/**
 * A user's list, in the format of the shipped one (CSV with the header user,password,source).
 * Read once per process; throws an Error naming the file when it cannot be read or parsed.
 */
export function suppliedDictionary(file: string): Dictionary {
  let d = supplied.get(file);
  if (d) return d;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(
      `--credentials ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      { cause: e },
    );
  }
  const pairs = unique(parseCredentials(text, file));
  if (pairs.length === 0) throw new Error(`--credentials ${file}: no user,password,source line in it`);
  d = { label: `supplied: ${file} (${pairs.length} pairs)`, pairs, secret: true };
  supplied.set(file, d);
  return d;
}

/** A user name and password no device has: if they log in, anything does. */
export function improbablePair(): { user: string; password: string } {
  return { user: `concord-${randomBytes(4).toString("hex")}`, password: improbablePassword() };
}

export function improbablePassword(): string {
  return `Cx${randomBytes(9).toString("base64url")}`;
}
