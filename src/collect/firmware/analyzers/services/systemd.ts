// systemd units: ExecStart of .service units, ListenStream of .socket units, and which units are
// enabled (a symlink in some *.wants/ or *.requires/ directory) or masked (linked to /dev/null).
import type { VirtualFS } from "../../vfs.js";

export const SYSTEMD_DIRS = ["/etc/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system"];
export const UNIT_FILE = /^\/(etc|lib|usr\/lib)\/systemd\/system\/[^/]+\.(service|socket)$/;
const WANTS = /^\/(etc|lib|usr\/lib)\/systemd\/system\/[^/]+\.(wants|requires)\/([^/]+)$/;

export interface UnitFile {
  execStart: { command: string; line: number }[];
  listen: string[];
}

export function parseUnit(text: string): UnitFile {
  const out: UnitFile = { execStart: [], listen: [] };
  let section = "";
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!.trim();
    while (line.endsWith("\\") && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i]!.trim()}`;
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    if (line.startsWith("[")) {
      section = line.replace(/[[\]]/g, "");
      continue;
    }
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (section === "Service" && key === "ExecStart") {
      if (value === "")
        out.execStart = []; // an empty assignment resets the list
      else out.execStart.push({ command: value.replace(/^[-@:+!]+/, ""), line: start + 1 });
    } else if (section === "Socket" && /^Listen(Stream|Datagram)$/.test(key)) out.listen.push(value);
  }
  return out;
}

export interface UnitState {
  /** Enabled unit names; a template instance ("getty@ttyS0.service") also enables its template. */
  enabled: Map<string, { via: string; instances: string[] }>;
  masked: Set<string>;
}

export function unitState(vfs: VirtualFS, entries = vfs.list()): UnitState {
  const enabled = new Map<string, { via: string; instances: string[] }>();
  const masked = new Set<string>();
  for (const e of entries) {
    const m = WANTS.exec(e.path);
    if (m) {
      const name = m[3]!;
      const at = /^([^@]+@)([^.]*)(\.\w+)$/.exec(name);
      const key = at && at[2] ? `${at[1]}${at[3]}` : name;
      const rec = enabled.get(key) ?? { via: e.path, instances: [] };
      if (at && at[2]) rec.instances.push(at[2]);
      enabled.set(key, rec);
    } else if (
      e.type === "symlink" &&
      e.linkTarget === "/dev/null" &&
      e.path.startsWith("/etc/systemd/system/")
    )
      masked.add(e.path.slice("/etc/systemd/system/".length));
  }
  return { enabled, masked };
}
