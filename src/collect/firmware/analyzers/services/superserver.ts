// Super-servers: /etc/inetd.conf (one service a line) and xinetd ("service NAME { key = value }"
// in /etc/xinetd.conf and /etc/xinetd.d/*). Both start programs only when a client connects, so
// their services are live only when inetd or xinetd itself starts at boot.

export interface SuperService {
  name: string;
  argv: string[];
  line: number;
  disabled: boolean;
  port?: number;
}

/** Well-known ports of the services that matter here. */
export const SERVICE_PORTS: Record<string, number> = {
  ftp: 21,
  ssh: 22,
  telnet: 23,
  tftp: 69,
  http: 80,
  snmp: 161,
  exec: 512,
  login: 513,
  shell: 514,
};

/** Services named by their inetd name when the program is not recognised by itself. */
export const BY_NAME: Record<string, string> = {
  telnet: "telnetd",
  ftp: "ftpd",
  tftp: "tftpd",
  shell: "rshd",
  login: "rlogind",
  exec: "rexecd",
};

export function parseInetd(text: string): SuperService[] {
  const out: SuperService[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const f = line.split(/\s+/);
    if (f.length < 6 || f[5] === "internal") return;
    const name = f[0]!.replace(/^.*:/, ""); // "127.0.0.1:telnet"
    // Field 7 is argv[0]; tcpd takes the real program as its argv[0].
    const program = f[5]!.endsWith("/tcpd") || f[5] === "tcpd" ? (f[6] ?? "") : f[5]!;
    const args = f.slice(7);
    const port = /^\d+$/.test(name) ? Number(name) : SERVICE_PORTS[name];
    if (program) out.push({ name, argv: [program, ...args], line: i + 1, disabled: false, port });
  });
  return out;
}

export function parseXinetd(text: string): SuperService[] {
  const out: SuperService[] = [];
  let current: { name: string; line: number; attrs: Map<string, string> } | undefined;
  let open = false;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, "").trim();
    if (!line) return;
    const svc = /^service\s+(\S+)/.exec(line);
    if (svc && !open) {
      current = { name: svc[1]!, line: i + 1, attrs: new Map() };
      if (line.includes("{")) open = true;
      return;
    }
    if (line === "{" && current) {
      open = true;
      return;
    }
    if (line.startsWith("}")) {
      if (current && open) {
        const a = current.attrs;
        const server = a.get("server");
        const port = Number(a.get("port") ?? SERVICE_PORTS[current.name]);
        if (server)
          out.push({
            name: current.name,
            argv: [server, ...(a.get("server_args") ?? "").split(/\s+/).filter(Boolean)],
            line: current.line,
            disabled: (a.get("disable") ?? "no").toLowerCase() === "yes",
            port: Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined,
          });
      }
      current = undefined;
      open = false;
      return;
    }
    const kv = /^(\w+)\s*[+-]?=\s*(.*)$/.exec(line);
    if (kv && current && open) current.attrs.set(kv[1]!.toLowerCase(), kv[2]!.trim());
  });
  return out;
}
