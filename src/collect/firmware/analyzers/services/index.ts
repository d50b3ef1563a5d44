// Services: what a firmware starts at boot and how. Boot starts at the roots (inittab, rc.local,
// rcS without an inittab, S-links in rc directories, enabled systemd units) and follows every
// live line that runs another script; every live line that starts a known program in a reached
// script is a started service. Init scripts and units that nothing enables are reported with
// enabled: false, and commented-out lines are not reported at all.
import type { ServiceData } from "../../../../evidence/firmware.js";
import { FW } from "../../../../evidence/firmware.js";
import type { VirtualFS } from "../../vfs.js";
import type { Analyzer, AnalyzerContext, FileView } from "../types.js";
import { baseName, recognize, sshDetail, unwrap, type Invocation, type Recognized } from "./classify.js";
import { parseSshdConfig, sshdDetail, vsftpdAnonymous } from "./configs.js";
import { parseInittab, recognizeConsole, runsAtBoot, ttyOf } from "./console.js";
import { parseShell, type ShellCommand } from "./shell.js";
import { BY_NAME, parseInetd, parseXinetd, type SuperService } from "./superserver.js";
import { parseUnit, SYSTEMD_DIRS, UNIT_FILE, unitState } from "./systemd.js";
import { parseUci, uciBool, uciValues, type UciSection } from "./uci.js";

const MAX_TEXT = 1024 * 1024;
const MAX_TOTAL_TEXT = 64 * 1024 * 1024;
const MAX_SCRIPTS = 5000;
const PATH_DIRS = ["/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin"];

const INIT_SCRIPT = /^\/etc\/init\.d\/[^/]+$/;
/** S-links of runlevels that boot (not 0 halt or 6 reboot), and OpenWrt's /etc/rc.d/S??name. */
const RC_START = /^\/etc\/(?:rc\.d\/|(?:rc\.d\/)?rc[1-5S]\.d\/)S[^/]+$/;
const RC_ANY = /^\/etc\/(?:rc\.d\/)?rc[0-9S]\.d\/[^/]+$|^\/etc\/rc\.d\/[^/]+$/;
const RC_LOCAL = ["/etc/rc.local", "/etc/rc.d/rc.local"];
const RCS = ["/etc/init.d/rcS", "/etc/rcS", "/etc/rc.d/rcS"];
const CONFIG =
  /^\/etc\/(inittab|inetd\.conf|xinetd\.conf|xinetd\.d\/[^/]+|config\/(system|dropbear|uhttpd)|ssh\/sshd_config|sshd_config|vsftpd\.conf|vsftpd\/vsftpd\.conf)$/;
const SHEBANG = /^#!\s*\S*?(\/env\s+)?\b((ba|a|da|k|mk|z|h)?sh|busybox\s+sh|rc\.common)\b/;
const STOP_ACTIONS = new Set(["stop", "disable", "status", "kill", "shutdown", "uninstall"]);

interface Found {
  data: ServiceData;
  file: string;
  line: number;
}

function isScriptPath(path: string): boolean {
  return INIT_SCRIPT.test(path) || RC_ANY.test(path) || RC_LOCAL.includes(path) || RCS.includes(path);
}

export const servicesAnalyzer: Analyzer = {
  id: "services",
  version: "1",
  create() {
    const texts = new Map<string, string>();
    const scripts = new Set<string>();
    let stored = 0;
    return {
      wants(f) {
        if (f.entry.size > MAX_TEXT) return false;
        if (isScriptPath(f.path) || CONFIG.test(f.path) || UNIT_FILE.test(f.path)) return true;
        const head = f.head();
        return head[0] === 0x23 && head[1] === 0x21 && SHEBANG.test(Buffer.from(head).toString("latin1"));
      },
      analyze(file: FileView) {
        if (!CONFIG.test(file.path) && !UNIT_FILE.test(file.path)) scripts.add(file.path);
        if (stored + file.entry.size <= MAX_TOTAL_TEXT) {
          texts.set(file.path, file.text());
          stored += file.entry.size;
        }
      },
      finish(ctx: AnalyzerContext) {
        for (const f of new BootGraph(ctx.vfs, texts, scripts).run())
          ctx.emit<ServiceData>({
            kind: FW.service,
            subject: "device",
            data: f.data,
            location: `${f.file}:${f.line}`,
          });
      },
    };
  },
};

/** Reads text from what the walk kept, or from the image when the walk could not keep it. */
function reader(vfs: VirtualFS, texts: Map<string, string>) {
  return (path: string): string | undefined => {
    const kept = texts.get(path);
    if (kept !== undefined) return kept;
    const e = vfs.resolve(path);
    if (e?.type !== "file" || e.size > MAX_TEXT) return undefined;
    try {
      return vfs.readText(path);
    } catch {
      return undefined;
    }
  };
}

class BootGraph {
  private readonly found: Found[] = [];
  private readonly reached = new Map<string, string>();
  private readonly queue: string[] = [];
  private readonly parsed = new Map<string, ShellCommand[]>();
  private readonly text: (path: string) => string | undefined;
  private readonly uci = new Map<string, UciSection[]>();

  constructor(
    private readonly vfs: VirtualFS,
    texts: Map<string, string>,
    private readonly scripts: Set<string>,
  ) {
    this.text = reader(vfs, texts);
  }

  run(): Found[] {
    const entries = this.vfs.list();
    const inittab = this.text("/etc/inittab");
    if (inittab !== undefined) this.inittab(inittab);
    else
      for (const p of RCS)
        if (this.scripts.has(p)) this.reach(p, "BusyBox init runs rcS when there is no /etc/inittab");
    for (const p of RC_LOCAL) if (this.scripts.has(p)) this.reach(p, "rc.local runs at the end of boot");
    for (const e of entries) {
      if (!RC_START.test(e.path)) continue;
      const target = this.vfs.resolve(e.path);
      if (target?.type === "file" && this.scripts.has(target.path)) this.reach(target.path, e.path);
    }
    for (const p of [...this.scripts].sort())
      if (/^\/etc\/init\.d\/S\d/.test(p)) this.reach(p, "named S<nn> in /etc/init.d, run in order by rcS");
    this.systemd(entries);
    while (this.queue.length > 0) this.scan(this.queue.shift()!, true);
    // Init scripts nothing enables: reported, but not started.
    for (const p of [...this.scripts].sort())
      if (INIT_SCRIPT.test(p) && !this.reached.has(p)) this.scan(p, false);
    this.superServers();
    this.applyConfigs();
    return this.result();
  }

  private reach(script: string, via: string): void {
    if (this.reached.has(script) || this.reached.size >= MAX_SCRIPTS) return;
    this.reached.set(script, via);
    this.queue.push(script);
  }

  private commands(path: string): ShellCommand[] {
    let c = this.parsed.get(path);
    if (!c) {
      c = parseShell(this.text(path) ?? "");
      this.parsed.set(path, c);
    }
    return c;
  }

  /** The script a command runs, when it is a shell script in the image. */
  private scriptTarget(program: string): string | undefined {
    const candidates = program.includes("/")
      ? program.startsWith("/")
        ? [program]
        : []
      : PATH_DIRS.map((d) => `${d}/${program}`);
    for (const c of candidates) {
      const e = this.vfs.resolve(c);
      if (e?.type === "file" && this.scripts.has(e.path)) return e.path;
    }
    return undefined;
  }

  private add(
    r: Recognized,
    inv: Invocation,
    file: string,
    line: number,
    startedBy: string,
    enabled: boolean,
  ) {
    const detail = { ...r.detail };
    const via = this.reached.get(file);
    if (enabled && via !== undefined) detail.via = via;
    this.found.push({
      data: { service: r.service, command: inv.argv.join(" "), startedBy, enabled, detail },
      file,
      line,
    });
  }

  private inittab(text: string): void {
    const ttyLogin = this.ttyLogin();
    for (const e of parseInittab(text)) {
      if (!runsAtBoot(e)) continue;
      for (const cmd of parseShell(e.process.replace(/^-/, "")))
        for (const inv of unwrap(cmd.words)) {
          const tty = ttyOf(e.id, inv.argv);
          const consoleUse = recognizeConsole(inv.argv, tty, ttyLogin);
          if (consoleUse) {
            consoleUse.detail.action = e.action;
            this.add(consoleUse, inv, "/etc/inittab", e.line, "inittab", true);
            continue;
          }
          const target = this.scriptTarget(inv.argv[0]!);
          if (target) this.reach(target, `/etc/inittab:${e.line}`);
          else {
            const r = recognize(inv, cmd.text);
            if (r) this.add(r, inv, "/etc/inittab", e.line, "inittab", true);
          }
        }
    }
  }

  private ttyLogin(): boolean | undefined {
    const sys = this.uciOf("system").find((s) => s.type === "system");
    const v = sys?.options.get("ttylogin")?.value;
    return v === undefined ? undefined : uciBool(v, false);
  }

  private uciOf(name: string): UciSection[] {
    let s = this.uci.get(name);
    if (!s) {
      s = parseUci(this.text(`/etc/config/${name}`) ?? "");
      this.uci.set(name, s);
    }
    return s;
  }

  private startedBy(path: string, cmd: ShellCommand): string {
    if (RC_LOCAL.includes(path)) return "rc.local";
    if (RCS.includes(path)) return "rcS";
    if (INIT_SCRIPT.test(path) || RC_ANY.test(path))
      return cmd.words[0] === "procd_set_param" && /^\s*USE_PROCD=1/m.test(this.text(path) ?? "")
        ? "procd"
        : "init.d";
    return "script";
  }

  /** Every live line of a script: calls to other scripts are followed, known programs recorded. */
  private scan(path: string, enabled: boolean): void {
    for (const cmd of this.commands(path))
      for (const inv of unwrap(cmd.words)) {
        const target = this.scriptTarget(inv.argv[0]!);
        if (target) {
          if (enabled && !STOP_ACTIONS.has(inv.argv[1] ?? "")) this.reach(target, `${path}:${cmd.line}`);
          continue;
        }
        const r = recognize(inv, cmd.text);
        if (r) this.add(r, inv, path, cmd.line, this.startedBy(path, cmd), enabled);
      }
  }

  private systemd(entries: ReturnType<VirtualFS["list"]>): void {
    const state = unitState(this.vfs, entries);
    // /etc overrides /lib overrides /usr/lib for units of the same name.
    const units = new Map<string, string>();
    for (const dir of [...SYSTEMD_DIRS].reverse())
      for (const e of entries)
        if (e.path.startsWith(`${dir}/`) && UNIT_FILE.test(e.path) && e.type === "file")
          units.set(e.path.slice(dir.length + 1), e.path);
    const ports = new Map<string, number>();
    for (const [name, path] of units) {
      if (!name.endsWith(".socket") || !state.enabled.has(name) || state.masked.has(name)) continue;
      const port = parseUnit(this.text(path) ?? "")
        .listen.map((l) => Number(/(\d{1,5})$/.exec(l)?.[1]))
        .find((p) => p > 0 && p < 65536);
      const stem = name.slice(0, -".socket".length);
      for (const svc of [`${stem}.service`, `${stem}@.service`])
        if (units.has(svc)) {
          state.enabled.set(
            svc,
            state.enabled.get(svc) ?? { via: `${name} (socket activation)`, instances: [] },
          );
          if (port !== undefined) ports.set(svc, port);
        }
    }
    for (const [name, path] of [...units].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (!name.endsWith(".service")) continue;
      const en = state.enabled.get(name);
      const enabled = en !== undefined && !state.masked.has(name);
      const instances = name.includes("@.") && en && en.instances.length > 0 ? en.instances : [undefined];
      for (const instance of instances)
        for (const exec of parseUnit(this.text(path) ?? "").execStart) {
          const command = instance === undefined ? exec.command : exec.command.replace(/%[iI]/g, instance);
          for (const cmd of parseShell(command))
            for (const inv of unwrap(cmd.words)) {
              const consoleUse = recognizeConsole(inv.argv, instance ?? ttyOf("", inv.argv), undefined);
              if (consoleUse) {
                this.add(consoleUse, inv, path, exec.line, "systemd", enabled);
                continue;
              }
              const target = this.scriptTarget(inv.argv[0]!);
              if (target) {
                if (enabled) this.reach(target, `${path}:${exec.line}`);
                continue;
              }
              const r = recognize(inv, cmd.text);
              if (!r) continue;
              const port = ports.get(name);
              if (port !== undefined) r.detail.port = port;
              if (enabled) r.detail.via = en.via;
              this.add(r, inv, path, exec.line, "systemd", enabled);
            }
        }
    }
  }

  private superServers(): void {
    const started = (svc: string) => this.found.some((f) => f.data.enabled && f.data.service === svc);
    const inetd = this.text("/etc/inetd.conf");
    if (inetd !== undefined)
      this.superServices(parseInetd(inetd), "/etc/inetd.conf", "inetd", started("inetd"));
    const xfiles = ["/etc/xinetd.conf", ...this.vfs.children("/etc/xinetd.d").map((e) => e.path)];
    for (const p of xfiles) {
      const t = this.text(p);
      if (t !== undefined) this.superServices(parseXinetd(t), p, "xinetd", started("xinetd"));
    }
  }

  private superServices(list: SuperService[], file: string, by: string, serverStarted: boolean): void {
    for (const s of list) {
      const inv = unwrap(s.argv)[0];
      if (!inv) continue;
      const known = recognize(inv);
      const r: Recognized | undefined =
        known ??
        (BY_NAME[s.name]
          ? { service: BY_NAME[s.name]!, detail: { program: baseName(inv.argv[0]!) } }
          : undefined);
      if (!r) continue;
      r.detail = { ...r.detail, name: s.name };
      if (s.port !== undefined) r.detail.port = s.port;
      if (!serverStarted) r.detail.note = `${by} itself is not started at boot`;
      this.add(r, inv, file, s.line, by, serverStarted && !s.disabled);
    }
  }

  /** Settings that live in configuration files rather than on the command line. */
  private applyConfigs(): void {
    const out: Found[] = [];
    for (const f of this.found) {
      const d = f.data;
      const script = this.text(f.file) ?? "";
      const readsUci = /\bconfig_(load|foreach|get)\b/.test(script);
      if (d.service === "dropbear" && readsUci && this.uciOf("dropbear").some((s) => s.type === "dropbear")) {
        out.push(...this.dropbearInstances(f));
        continue;
      }
      if (d.service === "uhttpd" && readsUci) {
        const main = this.uciOf("uhttpd").find((s) => s.type === "uhttpd");
        if (main) {
          d.detail = {
            ...d.detail,
            listenHttp: uciValues(main, "listen_http").map((v) => v.value),
            listenHttps: uciValues(main, "listen_https").map((v) => v.value),
            redirectHttps: uciBool(main.options.get("redirect_https")?.value, false),
            config: `/etc/config/uhttpd:${main.line}`,
          };
        }
      }
      if (d.service === "sshd") {
        const path = [d.detail?.configPath, "/etc/ssh/sshd_config", "/etc/sshd_config"].find(
          (p): p is string => typeof p === "string" && this.text(p) !== undefined,
        );
        d.detail = path
          ? { ...d.detail, ...sshdDetail(parseSshdConfig(this.text(path)!), path) }
          : { ...d.detail, config: "not found" };
      }
      if (d.service === "ftpd" && d.detail?.program === "vsftpd") {
        const path = [d.detail.configPath, "/etc/vsftpd.conf", "/etc/vsftpd/vsftpd.conf"].find(
          (p): p is string => typeof p === "string" && this.text(p) !== undefined,
        );
        if (path) {
          const a = vsftpdAnonymous(this.text(path)!);
          d.detail = { ...d.detail, anonymous: a.anonymous, config: a.line ? `${path}:${a.line}` : path };
        }
      }
      out.push(f);
    }
    this.found.splice(0, this.found.length, ...out);
  }

  /** OpenWrt's dropbear script builds its flags from each "config dropbear" section. */
  private dropbearInstances(f: Found): Found[] {
    const flags = f.data.detail ?? {};
    const out: Found[] = [];
    for (const s of this.uciOf("dropbear")) {
      if (s.type !== "dropbear") continue;
      const opt = (k: string) => s.options.get(k)?.value;
      const port = Number(opt("Port") ?? 22);
      out.push({
        ...f,
        data: {
          ...f.data,
          enabled: f.data.enabled && uciBool(opt("enable"), true),
          detail: {
            ...sshDetail({
              program: "dropbear",
              port: Number.isInteger(port) && port > 0 && port < 65536 ? port : 22,
              passwordAuth: flags.passwordAuth !== false && uciBool(opt("PasswordAuth"), true),
              rootPasswordAuth: flags.rootPasswordAuth !== false && uciBool(opt("RootPasswordAuth"), true),
              rootLogin: flags.rootLogin !== false && uciBool(opt("RootLogin"), true),
              blankPasswords: flags.blankPasswords === true,
            }),
            ...(flags.via !== undefined ? { via: flags.via } : {}),
            config: `/etc/config/dropbear:${s.line}`,
          },
        },
      });
    }
    return out;
  }

  /** Sorted by place, one record per service and command in each file. */
  private result(): Found[] {
    const sorted = [...this.found].sort((a, b) =>
      a.file !== b.file ? (a.file < b.file ? -1 : 1) : a.line - b.line,
    );
    const seen = new Set<string>();
    return sorted.filter((f) => {
      const key = `${f.file}\0${f.data.service}\0${f.data.command}\0${JSON.stringify(f.data.detail ?? {})}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
}
