// Daemon configuration that decides how a started service lets people in: sshd_config (root
// login, password and empty-password authentication) and vsftpd.conf (anonymous login).
import { sshDetail } from "./classify.js";

export interface KeyValue {
  value: string;
  line: number;
}

/**
 * sshd_config: "Keyword value", keywords case-insensitive, the first value wins (as sshd reads
 * it), and "Match" blocks apply only to some users, so reading stops there.
 */
export function parseSshdConfig(text: string): Map<string, KeyValue> {
  const out = new Map<string, KeyValue>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line || line.startsWith("#")) continue;
    const m = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    if (key === "match") break;
    if (!out.has(key)) out.set(key, { value: m[2]!.trim().replace(/^"(.*)"$/, "$1"), line: i + 1 });
  }
  return out;
}

const yes = (v: string | undefined, dflt: boolean) => (v === undefined ? dflt : v.toLowerCase() === "yes");

/** What sshd allows, from its configuration; defaults are OpenSSH's (7.0 and later). */
export function sshdDetail(conf: Map<string, KeyValue>, configAt: string): Record<string, unknown> {
  const permit = conf.get("permitrootlogin")?.value.toLowerCase();
  const port = Number(conf.get("port")?.value ?? 22);
  return {
    ...sshDetail({
      program: "sshd",
      port: Number.isInteger(port) && port > 0 && port < 65536 ? port : 22,
      passwordAuth: yes(conf.get("passwordauthentication")?.value, true),
      // Only "yes" lets root log in with a password; prohibit-password is the default since 7.0.
      rootPasswordAuth: permit === "yes",
      rootLogin: permit !== "no",
      blankPasswords: yes(conf.get("permitemptypasswords")?.value, false),
    }),
    permitRootLogin: permit ?? "prohibit-password (default)",
    config: configAt,
  };
}

/** vsftpd.conf: key=value; anonymous_enable defaults to YES in vsftpd itself. */
export function vsftpdAnonymous(text: string): { anonymous: boolean; line?: number } {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*anonymous_enable\s*=\s*(\S+)/i.exec(lines[i]!);
    if (m) return { anonymous: m[1]!.toUpperCase() === "YES", line: i + 1 };
  }
  return { anonymous: true };
}
