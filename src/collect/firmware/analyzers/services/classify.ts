// From one simple command to what it starts: wrappers (exec, nohup, busybox, start-stop-daemon,
// procd_set_param command, tcpsvd ...) are peeled off to reach the real program, and the program
// is recognised as a service with the settings its flags imply (telnetd -l /bin/sh logs nobody
// in; dropbear -s refuses passwords; nc -l -e /bin/sh is a shell for anyone who connects).
import { parseShell } from "./shell.js";

export interface Invocation {
  /** The program and its arguments after wrappers are removed. */
  argv: string[];
  /** Set when a super-server wrapper (tcpsvd, udpsvd) named the port. */
  port?: number;
}

export interface Recognized {
  service: string;
  detail: Record<string, unknown>;
}

export const SHELLS = new Set(["sh", "ash", "bash", "dash", "hush", "msh", "ksh", "zsh", "mksh"]);
const MAX_UNWRAP = 12;
const MAX_NESTED = 3;

export const baseName = (p: string): string => p.slice(p.lastIndexOf("/") + 1).replace(/^-/, "");

/** argv with words split on white space: an unquoted "$ARGS" expands to several arguments. */
export function splitWords(words: string[]): string[] {
  return words.flatMap((w) => w.split(/\s+/).filter(Boolean));
}

/** Peel wrappers off a command; a shell's -c string yields the commands inside it. */
export function unwrap(words: string[], depth = 0): Invocation[] {
  // Each argument remembers the word it came from, so "sh -c 'a b'" can get its string back.
  const parts = words.flatMap((w, wi) =>
    w
      .split(/\s+/)
      .filter(Boolean)
      .map((t) => ({ t, wi })),
  );
  let argv = parts.map((p) => p.t);
  let port: number | undefined;
  for (let guard = 0; guard < MAX_UNWRAP && argv.length > 0; guard++) {
    const b = baseName(argv[0]!);
    if (b === "exec" || b === "nohup" || b === "setsid" || b === "command" || b === "builtin" || b === "tcpd")
      argv = argv.slice(1);
    else if (b === "busybox" || b === "service_start") argv = argv.slice(1);
    else if (b === "procd_set_param") argv = argv[1] === "command" ? argv.slice(2) : [];
    else if (b === "nice" || b === "ionice" || b === "stdbuf" || b === "sudo" || b === "runuser")
      argv = skipOptions(argv.slice(1), /^-(n|c|i|p|u|g|o|e)$/);
    else if (b === "env") argv = skipWhile(skipOptions(argv.slice(1), /^-(u|C)$/), (w) => w.includes("="));
    else if (b === "timeout") argv = skipOptions(argv.slice(1), /^-(s|k)$/).slice(1);
    else if (b === "taskset" || b === "chroot" || b === "chrt")
      argv = skipOptions(argv.slice(1), /^$/).slice(1);
    else if (b === "start-stop-daemon") argv = startStopDaemon(argv.slice(1));
    else if (b === "tcpsvd" || b === "udpsvd") {
      const rest = skipOptions(argv.slice(1), /^-(c|C|b|u|l)$/);
      const p = Number(rest[1]);
      if (Number.isInteger(p) && p > 0 && p < 65536) port = p;
      argv = rest.slice(2);
    } else if (SHELLS.has(b) && argv.includes("-c")) {
      if (depth >= MAX_NESTED) return [];
      // The -c string is one word that may hold several commands: read it as a script.
      const idx = argv.indexOf("-c") + 1;
      if (argv[idx] === undefined) return [];
      const src = parts[parts.length - argv.length + idx];
      const script = src?.t === argv[idx] ? words[src.wi]! : argv.slice(idx).join(" ");
      return parseShell(script).flatMap((c) => unwrap(c.words, depth + 1));
    } else if (SHELLS.has(b) || b === "." || b === "source") {
      // "sh /etc/init.d/foo start" and ". /lib/functions.sh" run a script; a bare shell is itself.
      const rest = skipOptions(argv.slice(1), /^-o$/);
      if (rest.length === 0) break;
      argv = rest;
    } else break;
  }
  return argv.length > 0 ? [{ argv, port }] : [];
}

function skipOptions(argv: string[], takesValue: RegExp): string[] {
  let i = 0;
  while (i < argv.length && argv[i]!.startsWith("-") && argv[i] !== "-") {
    if (argv[i] === "--") return argv.slice(i + 1);
    i += takesValue.test(argv[i]!) ? 2 : 1;
  }
  return argv.slice(i);
}

function skipWhile(argv: string[], pred: (w: string) => boolean): string[] {
  let i = 0;
  while (i < argv.length && pred(argv[i]!)) i++;
  return argv.slice(i);
}

function startStopDaemon(args: string[]): string[] {
  let program: string | undefined;
  let startAs: string | undefined;
  let start = false;
  let i = 0;
  for (; i < args.length && args[i] !== "--"; i++) {
    const a = args[i]!;
    if (a === "-K" || a === "--stop" || a === "-T" || a === "--status") return [];
    if (a === "-S" || a === "--start") start = true;
    else if (a === "-x" || a === "--exec") program = args[++i];
    else if (a === "-a" || a === "--startas") startAs = args[++i];
    else if (a.startsWith("--exec=")) program = a.slice(7);
    else if (a.startsWith("--startas=")) startAs = a.slice(10);
    else if (/^-[SbmqovN]+$/.test(a)) start ||= a.includes("S");
  }
  const prog = startAs ?? program;
  if (!start || !prog) return [];
  return [prog, ...args.slice(i + 1)];
}

/** A login program that is really a shell: nobody is asked for a password. */
export function isShell(p: string | undefined): boolean {
  return p !== undefined && SHELLS.has(baseName(p));
}

/** Value of a short option ("-p 23" or "-p23"), the last one wins as in getopt. */
function opt(argv: string[], flag: string): string | undefined {
  let v: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === flag) v = argv[i + 1];
    else if (a.startsWith(flag) && a.length > flag.length && !a.startsWith("--")) v = a.slice(flag.length);
  }
  return v;
}

const has = (argv: string[], ...flags: string[]) => argv.slice(1).some((a) => flags.includes(a));

function portOf(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /(?:^|:)(\d{1,5})$/.exec(v);
  const p = m ? Number(m[1]) : NaN;
  return p > 0 && p < 65536 ? p : undefined;
}

const TELNETD = /^(telnetd|utelnetd|in\.telnetd|telnetd\.bin)$/;
const WEB = new Map([
  ["httpd", "httpd"],
  ["lighttpd", "lighttpd"],
  ["uhttpd", "uhttpd"],
  ["boa", "boa"],
  ["goahead", "goahead"],
  ["webs", "goahead"],
  ["mini_httpd", "mini_httpd"],
  ["thttpd", "thttpd"],
  ["nginx", "nginx"],
  ["apache2", "httpd"],
  ["webd", "httpd"],
]);
const FTPD = /^(ftpd|vsftpd|proftpd|pure-ftpd|bftpd|stupid-ftpd|in\.ftpd|tftpd-ftp)$/;
const TFTPD = /^(tftpd|in\.tftpd|atftpd|tftpd-hpa|opentftpd|utftpd)$/;
const UPNPD = /^(miniupnpd|upnpd|miniupnpd\.sh|igd|upnp_igd)$/;
const SNMPD = /^(snmpd|mini_snmpd|mini-snmpd)$/;
const NETCAT = /^(nc|netcat|ncat|nc\.traditional|nc\.openbsd)$/;
const RSH = new Map([
  ["rshd", "rshd"],
  ["in.rshd", "rshd"],
  ["rlogind", "rlogind"],
  ["in.rlogind", "rlogind"],
  ["rexecd", "rexecd"],
  ["in.rexecd", "rexecd"],
]);

/** Recognise a program as a service; undefined for anything else (echo, mount, killall ...). */
export function recognize(inv: Invocation, lineText = ""): Recognized | undefined {
  const argv = inv.argv;
  const prog = baseName(argv[0]!);
  const withPort = (r: Recognized): Recognized =>
    inv.port !== undefined ? { ...r, detail: { ...r.detail, port: inv.port } } : r;

  if (TELNETD.test(prog)) {
    const login = opt(argv, "-l");
    const port = portOf(opt(argv, "-p")) ?? inv.port ?? 23;
    const noLogin = isShell(login);
    const detail: Record<string, unknown> = { program: prog, port };
    if (login !== undefined) detail.login = login;
    if (noLogin) detail.noLogin = true;
    // A shell without login, or telnet on an odd port, is how debug backdoors are usually left in.
    if (noLogin || port !== 23) detail.backdoor = true;
    return { service: "telnetd", detail };
  }
  if (prog === "dropbear") return withPort({ service: "dropbear", detail: dropbearFlags(argv) });
  if (prog === "sshd") {
    const detail: Record<string, unknown> = { program: prog };
    const f = opt(argv, "-f");
    if (f) detail.configPath = f;
    const p = portOf(opt(argv, "-p"));
    if (p) detail.port = p;
    return { service: "sshd", detail };
  }
  const web = WEB.get(prog);
  if (web) {
    const detail: Record<string, unknown> = { program: prog };
    const p = portOf(opt(argv, "-p"));
    if (p) detail.port = p;
    if (prog === "uhttpd") {
      const plain = optAll(argv, "-p");
      const tls = optAll(argv, "-s");
      if (plain.length) detail.listenHttp = plain;
      if (tls.length) detail.listenHttps = tls;
    }
    // Only lighttpd takes its configuration with -f (uhttpd -f means "foreground").
    const conf = prog === "lighttpd" ? opt(argv, "-f") : undefined;
    if (conf) detail.configPath = conf;
    return withPort({ service: web, detail });
  }
  if (UPNPD.test(prog)) return { service: "upnpd", detail: { program: prog } };
  if (FTPD.test(prog)) {
    const detail: Record<string, unknown> = { program: prog };
    if (has(argv, "-A")) detail.anonymous = true;
    if (has(argv, "-w")) detail.writable = true;
    const conf = argv.slice(1).find((a) => a.endsWith(".conf"));
    if (conf) detail.configPath = conf;
    return withPort({ service: "ftpd", detail });
  }
  if (TFTPD.test(prog)) return withPort({ service: "tftpd", detail: { program: prog } });
  if (SNMPD.test(prog)) {
    const detail: Record<string, unknown> = { program: prog };
    const c = opt(argv, "-c");
    if (prog !== "snmpd" && c) detail.community = c;
    return { service: "snmpd", detail };
  }
  const r = RSH.get(prog);
  if (r) return withPort({ service: r, detail: { program: prog } });
  if (prog === "adbd") return { service: "adbd", detail: { program: prog } };
  if (prog === "gdbserver") {
    const where = argv.slice(1).find((a) => /^[\w.-]*:\d+$/.test(a));
    return { service: "gdbserver", detail: { program: prog, port: portOf(where) } };
  }
  if (prog === "inetd" || prog === "xinetd") return { service: prog, detail: { program: prog } };
  if (NETCAT.test(prog)) return netcat(argv, lineText);
  if (prog === "socat") return socat(argv);
  return undefined;
}

function optAll(argv: string[], flag: string): string[] {
  const out: string[] = [];
  for (let i = 1; i < argv.length; i++) if (argv[i] === flag && argv[i + 1]) out.push(argv[i + 1]!);
  return out;
}

/** Dropbear's flags may be combined ("-sgF"); the ones that take a value end the group. */
function dropbearFlags(argv: string[]): Record<string, unknown> {
  let passwordAuth = true;
  let rootPasswordAuth = true;
  let rootLogin = true;
  let blankPasswords = false;
  const ports: number[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("-") || a.startsWith("--")) continue;
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      if ("brPpKIWTcA".includes(c)) {
        const value = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
        const p = c === "p" ? portOf(value) : undefined;
        if (p) ports.push(p);
        break;
      }
      if (c === "s") passwordAuth = false;
      else if (c === "g") rootPasswordAuth = false;
      else if (c === "w") rootLogin = false;
      else if (c === "B") blankPasswords = true;
    }
  }
  return sshDetail({
    program: "dropbear",
    port: ports[0] ?? 22,
    passwordAuth,
    rootPasswordAuth,
    rootLogin,
    blankPasswords,
  });
}

/** The summary the checks read: can root log in with a password, are empty passwords accepted. */
export function sshDetail(d: {
  program: string;
  port: number;
  passwordAuth: boolean;
  rootPasswordAuth: boolean;
  rootLogin: boolean;
  blankPasswords: boolean;
}): Record<string, unknown> {
  return {
    ...d,
    rootPasswordLogin: d.passwordAuth && d.rootPasswordAuth && d.rootLogin,
    emptyPasswords: d.passwordAuth && d.blankPasswords,
  };
}

function netcat(argv: string[], lineText: string): Recognized | undefined {
  let listen = false;
  let port: number | undefined;
  let exec: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--listen") listen = true;
    else if (a === "--exec" || a === "--sh-exec") exec = argv[++i];
    else if (a.startsWith("-") && !a.startsWith("--")) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (c === "l" || c === "L") listen = true;
        else if ("pec".includes(c)) {
          const value = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
          if (c === "p") port = portOf(value);
          else exec = value;
          break;
        } else if ("sqwiOT".includes(c)) {
          if (j + 1 === a.length) i++; // options with a value we do not need
          break;
        }
      }
    } else if (/^\d{1,5}$/.test(a)) port ??= portOf(a);
  }
  if (!listen) return undefined;
  // "nc -l -p 4444 | /bin/sh | nc ..." pipes a shell without -e.
  const piped = /\|\s*(\S*\/)?(sh|ash|bash|dash|busybox\s+sh)\b/.test(lineText);
  const prog = baseName(argv[0]!);
  if (exec !== undefined || piped)
    return {
      service: "debug-shell",
      detail: { program: prog, port, exec: exec ?? "piped to a shell", shell: exec ? isShell(exec) : true },
    };
  return { service: "listener", detail: { program: prog, port } };
}

function socat(argv: string[]): Recognized | undefined {
  const listenAddr = argv
    .slice(1)
    .find((a) => /^(tcp|tcp4|tcp6|udp|udp4|udp6)-(listen|l|recvfrom):/i.test(a));
  if (!listenAddr) return undefined;
  const port = portOf(/:(\d{1,5})/.exec(listenAddr)?.[0]);
  const exec = argv.slice(1).find((a) => /^(exec|system):/i.test(a));
  if (exec)
    return { service: "debug-shell", detail: { program: "socat", port, exec: exec.replace(/,.*$/, "") } };
  return { service: "listener", detail: { program: "socat", port } };
}
