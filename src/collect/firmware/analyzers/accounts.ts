// Accounts: /etc/passwd and /etc/shadow (and backups such as shadow- or passwd.bak left behind).
// Reports every account with its shell and password state; hashes are cracked against the
// default-credential dictionary by crack.ts.
import type { AccountData, PasswordState } from "../../../evidence/firmware.js";
import { FW } from "../../../evidence/firmware.js";
import { crackHash, hashScheme } from "./crack.js";
import type { Analyzer, AnalyzerContext, FileView } from "./types.js";

const PASSWD = /^\/etc\/(passwd|passwd-|passwd\.bak|passwd\.old)$/;
const SHADOW = /^\/etc\/(shadow|shadow-|shadow\.bak|shadow\.old|gshadow)$/;
const NO_LOGIN = /(^|\/)(nologin|false|sync|shutdown|halt)$/;

interface PasswdLine {
  user: string;
  field: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
  line: number;
  file: string;
}

function parseColonFile(text: string, minFields: number): { fields: string[]; line: number }[] {
  const out: { fields: string[]; line: number }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (!raw || raw.startsWith("#")) return;
    const fields = raw.split(":");
    if (fields.length >= minFields && fields[0]) out.push({ fields, line: i + 1 });
  });
  return out;
}

function stateOf(field: string): PasswordState {
  if (field === "") return "empty";
  if (/^[!*]/.test(field) || field === "x" || field === "LK" || field === "NP")
    return field === "x" ? "unknown" : "locked";
  return "hash";
}

export const accountsAnalyzer: Analyzer = {
  id: "accounts",
  version: "1",
  create() {
    const passwd: PasswdLine[] = [];
    const shadow = new Map<string, { field: string; line: number; file: string }>();
    return {
      wants: (f) => PASSWD.test(f.path) || SHADOW.test(f.path),
      analyze(file: FileView) {
        if (file.entry.size > 4 * 1024 * 1024) return; // not a real account file
        const text = file.text();
        if (PASSWD.test(file.path)) {
          for (const { fields, line } of parseColonFile(text, 7))
            passwd.push({
              user: fields[0]!,
              field: fields[1]!,
              uid: Number(fields[2]),
              gid: Number(fields[3]),
              home: fields[5] ?? "",
              shell: fields[6] ?? "",
              line,
              file: file.path,
            });
        } else if (!file.path.endsWith("gshadow")) {
          for (const { fields, line } of parseColonFile(text, 2)) {
            // The live shadow wins over backups; a backup's hash is reported only if it differs.
            if (!shadow.has(fields[0]!) || file.path === "/etc/shadow")
              shadow.set(fields[0]!, { field: fields[1]!, line, file: file.path });
          }
        }
      },
      finish(ctx: AnalyzerContext) {
        const seen = new Set<string>();
        for (const p of passwd) {
          if (seen.has(p.user) && p.file !== "/etc/passwd") continue;
          seen.add(p.user);
          const sh = p.field === "x" ? shadow.get(p.user) : undefined;
          const field = sh ? sh.field : p.field;
          let state = stateOf(field);
          const scheme = state === "hash" ? hashScheme(field) : undefined;
          let password: string | undefined;
          if (state === "hash") {
            password = crackHash(field, p.user);
            if (password !== undefined) state = "cracked";
          }
          const data: AccountData = {
            user: p.user,
            uid: p.uid,
            gid: p.gid,
            shell: p.shell,
            home: p.home,
            loginShell: p.shell !== "" && !NO_LOGIN.test(p.shell),
            state,
            scheme,
            password,
            from: sh ? sh.file.replace("/etc/", "") : p.file.replace("/etc/", ""),
          };
          ctx.emit({
            kind: FW.account,
            subject: "device",
            data,
            location: sh ? `${sh.file}:${sh.line}` : `${p.file}:${p.line}`,
          });
        }
      },
    };
  },
};
