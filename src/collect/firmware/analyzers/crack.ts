// The dictionary attack against default credentials: every password hash in an image is tried
// against catalog/credentials/default-credentials.csv. Work is bounded by the estimated cost of
// each scheme (deterministic, so the same image always gives the same facts): a hash whose
// candidates do not all fit the budget is reported as cut short.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { cryptScheme, parseHash } from "../crypt/index.js";

/** The crypt scheme of a stored hash. */
export function hashScheme(hash: string): string {
  return cryptScheme(hash);
}

export interface Credential {
  user: string;
  password: string;
  source: string;
}

/** <package root>/catalog/credentials, from both src/ and dist/. */
export function defaultCredentialsFile(): string {
  return join(
    resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", ".."),
    "catalog",
    "credentials",
    "default-credentials.csv",
  );
}

/** RFC 4180 fields of one CSV line (quotes doubled inside quoted fields). */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let field = "";
    if (line[i] === '"') {
      i++;
      for (; i < line.length; i++) {
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i++;
          } else break;
        } else field += line[i];
      }
      i++; // closing quote
    } else {
      const end = line.indexOf(",", i);
      field = line.slice(i, end < 0 ? line.length : end);
      i = end < 0 ? line.length : end;
    }
    out.push(field);
    if (line[i] !== ",") return out;
    i++;
  }
}

export function parseCredentials(text: string, file = "default-credentials.csv"): Credential[] {
  const lines = text.split(/\r?\n/);
  const header = csvFields(lines[0] ?? "").join(",");
  if (header !== "user,password,source") throw new Error(`${file}: header must be user,password,source`);
  const out: Credential[] = [];
  lines.slice(1).forEach((line, i) => {
    if (line === "") return;
    const [user, password, source, ...extra] = csvFields(line);
    if (user === undefined || password === undefined || !source || extra.length)
      throw new Error(`${file}:${i + 2}: expected user,password,source with a source`);
    out.push({ user, password, source });
  });
  return out;
}

let loaded: Credential[] | undefined;

/** The shipped dictionary, read once per process. */
export function defaultCredentials(): Credential[] {
  loaded ??= parseCredentials(readFileSync(defaultCredentialsFile(), "utf8"), defaultCredentialsFile());
  return loaded;
}

/**
 * Candidates for one account, most likely first: passwords documented for this user name, then
 * every other dictionary password, then the user name itself and empty-ish variants.
 */
export function candidates(user: string, dictionary: readonly Credential[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const add = (pw: string) => {
    if (!seen.has(pw)) {
      seen.add(pw);
      out.push(pw);
    }
  };
  for (const c of dictionary) if (c.user === user) add(c.password);
  for (const c of dictionary) add(c.password);
  for (const pw of [user, "", " ", `${user}1`, `${user}123`, `${user}1234`]) add(pw);
  return out;
}

/** Work allowed per hash and per image, in the verifiers' cost units (about 1 ms each). */
export const CRACK_LIMITS = { perHash: 3000, perImage: 15000 };

export interface CrackBudget {
  remaining: number;
}

export interface CrackResult {
  password?: string;
  /** Candidates tried. */
  attempts: number;
  /** Set when the budget stopped the attack before every candidate was tried. */
  limited: boolean;
  /** Why the hash could not be tried at all. */
  unsupported?: string;
}

export function crackHash(
  hash: string,
  user: string,
  opts: { dictionary?: readonly Credential[]; budget?: CrackBudget; perHash?: number } = {},
): CrackResult {
  const parsed = parseHash(hash);
  if (!("verifier" in parsed)) return { attempts: 0, limited: false, unsupported: parsed.unsupported };
  const { verifier } = parsed;
  const list = candidates(user, opts.dictionary ?? defaultCredentials());
  const budget = opts.budget ?? { remaining: Infinity };
  const allowance = Math.min(opts.perHash ?? CRACK_LIMITS.perHash, budget.remaining);
  // Never more than the budget allows: a hostile round count simply gets no attempt.
  const tries = Math.min(list.length, Math.floor(allowance / verifier.cost));
  let attempts = 0;
  let password: string | undefined;
  for (; attempts < tries;) {
    const pw = list[attempts++]!;
    if (verifier.verify(pw)) {
      password = pw;
      break;
    }
  }
  budget.remaining -= attempts * verifier.cost;
  return { password, attempts, limited: password === undefined && attempts < list.length };
}
