// The data of a probe.credentials record: what the credentials tester did against one login
// service and what it saw. Checks read it (type-only import), the tester writes it.
import type { Transcript } from "./probe.js";

/** The services the tester logs in to; "tls" only while the protocol inside TLS is not known. */
export type LoginService = "telnet" | "ssh" | "ftp" | "http" | "rtsp" | "mqtt" | "tls";

/** A pair that logged in: where it came from (the dictionary's source column). */
export interface FoundCredential {
  user: string;
  /** The password as tried; "(from the supplied list)" when it came from a --credentials file. */
  password: string;
  source: string;
}

/** How one login attempt ended. */
export type AttemptVerdict =
  | "accepted"
  | "rejected"
  /** The peer said it is locked, blocked or that there were too many attempts. */
  | "locked"
  /** The connection was refused, reset or closed before the login could be tried. */
  | "refused"
  /** No answer in time, before or after the password. */
  | "timeout"
  /** The peer answered something the tester cannot judge (flood, garbage, protocol error). */
  | "error";

export interface AttemptRecord {
  /** canary: the random improbable pair; dictionary; anonymous (FTP); verify: same user, random password. */
  kind: "canary" | "dictionary" | "anonymous" | "verify";
  user: string;
  /** "(from the supplied list)" for a --credentials password: those are never written down. */
  password: string;
  verdict: AttemptVerdict;
  /** Time from sending the password to the verdict, in ms. */
  ms: number;
  note?: string;
}

/** Why the run stopped. */
export type CredentialsStop =
  /** --max-logins attempts were made. */
  | "cap"
  /** Every dictionary pair was tried. */
  | "exhausted"
  /** The peer locked us out or started refusing connections. */
  | "lockout"
  /** The peer slowed down markedly or stopped answering. */
  | "throttled"
  /** A random pair (or a random password for a user) logged in. */
  | "accepts-anything"
  /** There is nothing to log in to (no authentication asked, no password method offered). */
  | "no-login"
  /** The first attempts could not be judged (no answer, garbage, reset). */
  | "error"
  /** The probe's time budget ran out. */
  | "budget";

export interface CredentialsData {
  host: string;
  address: string;
  port: number;
  service: LoginService;
  /** How credentials were sent: password, keyboard-interactive, basic, digest MD5, form POST /login, USER/PASS, CONNECT, login prompt. */
  method?: string;
  /** The service runs inside TLS (HTTPS, MQTT over TLS): every login was sent through a TLS connection. */
  tls?: boolean;
  /** HTTP: the login form that was filled, when the page had one instead of a 401. */
  form?: {
    page: string;
    action: string;
    method: "GET" | "POST";
    userField: string;
    passwordField: string;
    otherFields: string[];
  };
  /** "shipped (N pairs)" or "supplied: <file> (N pairs)". */
  dictionary: string;
  /** The attempt cap (--max-logins), counting every login the tester made. */
  maxLogins: number;
  /** Logins attempted in all: the canary, anonymous, dictionary pairs and verifications. */
  attempts: number;
  /** Dictionary pairs tried. */
  tried: number;
  /** True when a random user and password, or a random password for a found user, logged in. */
  acceptsAnything: boolean;
  /** Pairs that logged in and whose user did not also accept a random password. */
  found: FoundCredential[];
  /** FTP only: whether the anonymous login was accepted. */
  anonymous?: boolean;
  /** The peer said it locked logins, or started refusing connections. */
  lockout: boolean;
  /** The peer slowed its answers markedly, or stopped answering. */
  throttled: boolean;
  /** What the limit looked like, e.g. 'it answered "Account locked" after 4 failed attempts'. */
  limit?: string;
  stop: CredentialsStop;
  /** Why the run stopped, in words. */
  reason: string;
  /** Median time the peer took to refuse a wrong password, in ms. */
  failDelayMs?: number;
  log: AttemptRecord[];
  /** Transcripts of the first attempts and of every attempt that was not a plain refusal. */
  transcripts: Transcript[];
  /** Transcripts of plain refusals left out to keep the record small. */
  transcriptsOmitted: number;
}

/** How a supplied password is written down instead of itself. */
export const SUPPLIED_PASSWORD = "(from the supplied list)";
