// Consoles: what /etc/inittab (BusyBox and SysV syntax) or a getty unit runs on a terminal, and
// whether it asks for a password. "::respawn:/bin/sh", "getty -n -l /bin/sh" and "login -f root"
// all hand a root shell to whoever plugs into the serial port.
import { baseName, isShell, SHELLS, type Recognized } from "./classify.js";

export interface InittabEntry {
  id: string;
  runlevels: string;
  action: string;
  process: string;
  line: number;
}

/** Actions that run while the system boots (not at shutdown, on Ctrl-Alt-Del or never). */
const BOOT_ACTIONS = new Set([
  "sysinit",
  "wait",
  "once",
  "respawn",
  "askfirst",
  "askconsole",
  "boot",
  "bootwait",
]);

export function parseInittab(text: string): InittabEntry[] {
  const out: InittabEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const a = line.indexOf(":");
    const b = a < 0 ? -1 : line.indexOf(":", a + 1);
    const c = b < 0 ? -1 : line.indexOf(":", b + 1);
    if (c < 0) return;
    out.push({
      id: line.slice(0, a).trim(),
      runlevels: line.slice(a + 1, b).trim(),
      action: line
        .slice(b + 1, c)
        .trim()
        .toLowerCase(),
      process: line.slice(c + 1).trim(),
      line: i + 1,
    });
  });
  return out;
}

export function runsAtBoot(e: InittabEntry): boolean {
  if (!BOOT_ACTIONS.has(e.action) || !e.process) return false;
  // SysV runlevels 0 and 6 are halt and reboot.
  return !(e.runlevels !== "" && /^[06]+$/.test(e.runlevels));
}

/** The terminal of an inittab entry: BusyBox names it in the id field, SysV in getty's arguments. */
export function ttyOf(id: string, argv: string[]): string {
  const fromArgs = argv
    .slice(1)
    .find((a) => /^(tty[\w/]*|console|hvc\d+|ttyS\d+|ttyAMA\d+|%I|tts\/\d+)$/.test(a));
  if (fromArgs) return fromArgs;
  if (/^(tty|console|hvc|tts)/.test(id)) return id;
  return "console";
}

const GETTY = /^(a|min|m|fb|uu|s)?getty$/;

/**
 * A console program: a shell (no login), a getty or login (with or without a password), or
 * OpenWrt's login.sh, which asks for a password only when /etc/config/system sets ttylogin 1.
 */
export function recognizeConsole(
  argv: string[],
  tty: string,
  openwrtTtyLogin: boolean | undefined,
): Recognized | undefined {
  const prog = baseName(argv[0]!);
  if (SHELLS.has(prog) && argv.slice(1).every((a) => a.startsWith("-")))
    return { service: "console-shell", detail: { tty, program: prog, noLogin: true } };
  if (GETTY.test(prog)) {
    let login: string | undefined;
    let autologin: string | undefined;
    for (let i = 1; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === "-l" || a === "--login-program") login = argv[++i];
      else if (a.startsWith("--login-program=")) login = a.slice(16);
      else if (a === "-a" || a === "--autologin") autologin = argv[++i];
      else if (a.startsWith("--autologin=")) autologin = a.slice(12);
    }
    if (isShell(login))
      return { service: "console-shell", detail: { tty, program: prog, login, noLogin: true } };
    if (autologin) return { service: "console-shell", detail: { tty, program: prog, autologin } };
    return { service: "console-login", detail: { tty, program: prog } };
  }
  if (prog === "login") {
    const f = argv.indexOf("-f");
    if (f > 0 && argv[f + 1])
      return { service: "console-shell", detail: { tty, program: prog, autologin: argv[f + 1] } };
    return { service: "console-login", detail: { tty, program: prog } };
  }
  if (prog === "login.sh") {
    if (openwrtTtyLogin === true) return { service: "console-login", detail: { tty, program: prog } };
    return {
      service: "console-shell",
      detail: { tty, program: prog, noLogin: true, why: "ttylogin is not 1 in /etc/config/system" },
    };
  }
  return undefined;
}
