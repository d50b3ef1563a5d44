// Shared wording for the checks that read probe.credentials records.
import type { CredentialsData, FoundCredential } from "../evidence/probe-credentials.js";
import { SUPPLIED_PASSWORD } from "../evidence/probe-credentials.js";

const NAMES: Record<string, string> = {
  telnet: "Telnet",
  ssh: "SSH",
  ftp: "FTP",
  http: "The web login",
  rtsp: "The RTSP server",
  mqtt: "The MQTT broker",
  tls: "The TLS service",
};

/**
 * "Telnet on cam port 23", "The web login (digest SHA-256) on cam port 80", "The web login
 * (form POST /login.cgi over TLS) on cam port 443", "The MQTT broker (over TLS) on cam port 8883".
 */
export function loginService(d: CredentialsData): string {
  const name = NAMES[d.service] ?? d.service;
  const tls = d.tls && d.service !== "tls" ? "over TLS" : "";
  const how =
    d.service === "http" || d.service === "rtsp"
      ? ` (${[d.method ?? "?", tls].filter(Boolean).join(" ")})`
      : tls
        ? ` (${tls})`
        : "";
  return `${name}${how} on ${d.host} port ${d.port}`;
}

/** The first claim of a dictionary source: "Mirai scanner.c credential table (source leaked October 2016)". */
export function shortSource(source: string): string {
  return source.split("|")[0]!.split(";")[0]!.trim();
}

export function pairText(f: FoundCredential): string {
  if (f.password === SUPPLIED_PASSWORD) return `${f.user} with a password from the supplied list`;
  return `${f.user} / ${f.password === "" ? "(empty password)" : JSON.stringify(f.password)} (${shortSource(f.source)})`;
}

/** Failed logins the peer refused, as seen by the tester. */
export function refusals(d: CredentialsData): number {
  return d.log.filter((l) => l.verdict === "rejected").length;
}
