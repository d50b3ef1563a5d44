// Accounts: /etc/passwd and /etc/shadow, and the backups build tools leave behind (passwd-,
// shadow-, *.bak, *.old). Reports every account with its shell and password state; hashes are
// tried against the default-credential dictionary (crack.ts). A backup shadow whose hash differs
// from the live one is reported as an account fact of its own ("from": "shadow-"): the old hash
// ships in the image and may be the same on every unit.
import type { AccountData, PasswordState } from "../../../evidence/firmware.js";
import { FW } from "../../../evidence/firmware.js";
import { CRACK_LIMITS, crackHash, hashScheme, type CrackBudget, type CrackResult } from "./crack.js";
import type { Analyzer, AnalyzerContext, FileView } from "./types.js";

const PASSWD = /^\/etc\/(passwd|passwd-|passwd\.bak|passwd\.old)$/;
const SHADOW = /^\/etc\/(shadow|shadow-|shadow\.bak|shadow\.old)$/;
const NO_LOGIN = /(^|\/)(nologin|false|sync|shutdown|halt)$/;
/** Larger files are not account databases; more lines than this are not a real system either. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;
const MAX_ENTRIES = 10_000;

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

interface ShadowLine {
  field: string;
  line: number;
  file: string;
}

function parseColonFile(text: string, minFields: number): { fields: string[]; line: number }[] {
  const out: { fields: string[]; line: number }[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length && out.length < MAX_ENTRIES; i++) {
    const raw = lines[i]!;
    if (!raw || raw.startsWith("#")) continue;
    const fields = raw.split(":");
    if (fields.length >= minFields && fields[0]) out.push({ fields, line: i + 1 });
  }
  return out;
}

const ID = /^\d{1,10}$/;

function stateOf(field: string): PasswordState {
  if (field === "") return "empty";
  if (field === "x") return "unknown";
  if (/^[!*]/.test(field) || field === "LK" || field === "NP") return "locked";
  return "hash";
}

const baseName = (path: string) => path.replace(/^\/etc\//, "");

export const accountsAnalyzer: Analyzer = {
  id: "accounts",
  version: "2",
  create() {
    const passwd = new Map<string, PasswdLine>();
    const liveShadow = new Map<string, ShadowLine>();
    const backupShadow = new Map<string, ShadowLine[]>();
    const budget: CrackBudget = { remaining: CRACK_LIMITS.perImage };
    const cracked = new Map<string, CrackResult>();
    const crack = (field: string, user: string) => {
      const key = `${user}\0${field}`;
      let r = cracked.get(key);
      if (!r) cracked.set(key, (r = crackHash(field, user, { budget })));
      return r;
    };

    const account = (p: PasswdLine, field: string, from: ShadowLine | undefined): AccountData => {
      let state = stateOf(field);
      const scheme = state === "hash" ? hashScheme(field) : undefined;
      const data: AccountData = {
        user: p.user,
        uid: p.uid,
        gid: p.gid,
        shell: p.shell,
        home: p.home,
        // An empty shell field means /bin/sh (passwd(5)), so it logs in.
        loginShell: !NO_LOGIN.test(p.shell),
        state,
        scheme,
        from: baseName(from ? from.file : p.file),
      };
      if (state === "hash") {
        const r = crack(field, p.user);
        if (r.password !== undefined) {
          state = "cracked";
          data.state = state;
          data.password = r.password;
        } else if (r.limited) data.crackLimited = true;
      }
      return data;
    };

    return {
      wants: (f) => PASSWD.test(f.path) || SHADOW.test(f.path),
      analyze(file: FileView) {
        if (file.entry.size > MAX_FILE_BYTES) return;
        const text = file.text();
        if (PASSWD.test(file.path)) {
          for (const { fields, line } of parseColonFile(text, 7)) {
            const [user, field, uid, gid, , home, shell] = fields as [
              string,
              string,
              string,
              string,
              string,
              string,
              string,
            ];
            if (!ID.test(uid) || !ID.test(gid)) continue; // not a passwd line
            // The live /etc/passwd wins over backups, whatever order the walk sees them in.
            const known = passwd.get(user);
            if (known && (known.file === "/etc/passwd" || file.path !== "/etc/passwd")) continue;
            passwd.set(user, {
              user,
              field,
              uid: Number(uid),
              gid: Number(gid),
              home,
              shell,
              line,
              file: file.path,
            });
          }
        } else {
          const live = file.path === "/etc/shadow";
          for (const { fields, line } of parseColonFile(text, 2)) {
            const entry = { field: fields[1]!, line, file: file.path };
            if (live) liveShadow.set(fields[0]!, entry);
            else backupShadow.set(fields[0]!, [...(backupShadow.get(fields[0]!) ?? []), entry]);
          }
        }
      },
      finish(ctx: AnalyzerContext) {
        for (const p of [...passwd.values()].sort(
          (a, b) => a.line - b.line || a.user.localeCompare(b.user),
        )) {
          const backups = backupShadow.get(p.user) ?? [];
          const sh = p.field === "x" ? (liveShadow.get(p.user) ?? backups[0]) : undefined;
          const field = sh ? sh.field : p.field;
          ctx.emit({
            kind: FW.account,
            subject: "device",
            data: account(p, field, sh),
            location: sh ? `${sh.file}:${sh.line}` : `${p.file}:${p.line}`,
          });
          // Older hashes left in backups: reported once each when they differ from the one in use.
          const reported = new Set([field]);
          for (const b of backups) {
            if (reported.has(b.field) || !["hash", "empty"].includes(stateOf(b.field))) continue;
            reported.add(b.field);
            ctx.emit({
              kind: FW.account,
              subject: "device",
              data: account(p, b.field, b),
              location: `${b.file}:${b.line}`,
            });
          }
        }
      },
    };
  },
};
