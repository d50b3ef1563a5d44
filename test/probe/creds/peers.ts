// Login peers for the credential tests, all on 127.0.0.1: real daemons in temp dirs (busybox
// telnetd with a login script, lighttpd with mod_auth, vsftpd, mosquitto with a password file,
// dropbear) and in-process servers (an ssh2 Server, small Node servers) for the logic and the
// misbehaving peers. No system account or system file is touched.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ssh2 from "ssh2";
import { daemon, freePort, nodePeer, selfSigned, tmp, type Peer } from "../peers.js";

/** A camera-like login run by busybox telnetd: `good` logs in; after `lockAfter` failures it locks. */
export function loginScript(
  dir: string,
  good: { user: string; password: string },
  lockAfter?: number,
): string {
  const file = join(dir, "login.sh");
  const fails = join(dir, "fails");
  const lock =
    lockAfter === undefined
      ? ""
      : `n=$(cat ${fails} 2>/dev/null || echo 0)
if [ "$n" -ge ${lockAfter} ]; then printf 'Account locked: too many failed login attempts\\r\\n'; exit 1; fi
`;
  writeFileSync(
    file,
    `#!/bin/sh
printf 'camera login: '
read -r user
printf 'Password: '
stty -echo 2>/dev/null
read -r pass
stty echo 2>/dev/null
printf '\\r\\n'
${lock}if [ "$user" = '${good.user}' ] && [ "$pass" = '${good.password}' ]; then
  printf '\\r\\nBusyBox v1.35.0 built-in shell (ash)\\r\\n~ # '
  while read -r cmd; do [ "$cmd" = exit ] && exit 0; printf '~ # '; done
  exit 0
fi
echo $(( $(cat ${fails} 2>/dev/null || echo 0) + 1 )) > ${fails}
printf 'Login incorrect\\r\\n'
exit 1
`,
    { mode: 0o755 },
  );
  return file;
}

export async function telnetLogin(
  busybox: string,
  good: { user: string; password: string },
  lockAfter?: number,
): Promise<Peer> {
  const dir = tmp();
  const login = loginScript(dir, good, lockAfter);
  const port = await freePort();
  return daemon(busybox, ["telnetd", "-F", "-b", `127.0.0.1:${port}`, "-l", login], port);
}

/** lighttpd asking for Basic or Digest (MD5 or SHA-256) authentication on /, users from a plain file. */
export async function lighttpd(method: "basic" | "digest", users: string, algorithm = "MD5"): Promise<Peer> {
  const dir = tmp();
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, "www"));
  writeFileSync(join(dir, "www", "index.html"), "camera\n");
  writeFileSync(join(dir, "users"), users);
  const port = await freePort();
  const alg = method === "digest" ? `, "algorithm" => "${algorithm}"` : "";
  writeFileSync(
    join(dir, "lighttpd.conf"),
    `server.document-root = "${dir}/www"
server.bind = "127.0.0.1"
server.port = ${port}
index-file.names = ("index.html")
server.modules = ("mod_auth", "mod_authn_file")
auth.backend = "plain"
auth.backend.plain.userfile = "${dir}/users"
auth.require = ("/" => ("method" => "${method}", "realm" => "camera"${alg}, "require" => "valid-user"))
`,
  );
  return daemon("lighttpd", ["-D", "-f", join(dir, "lighttpd.conf")], port);
}

/** vsftpd in the foreground: anonymous logins on or off (local logins are on only when anonymous is off). */
export async function vsftpd(anonymous: boolean): Promise<Peer> {
  const dir = tmp();
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, "pub"), { mode: 0o755 });
  const port = await freePort();
  writeFileSync(
    join(dir, "vsftpd.conf"),
    `listen=YES
listen_address=127.0.0.1
listen_port=${port}
background=NO
anonymous_enable=${anonymous ? "YES" : "NO"}
local_enable=${anonymous ? "NO" : "YES"}
anon_root=${dir}/pub
write_enable=NO
seccomp_sandbox=NO
delay_failed_login=0
`,
  );
  return daemon("vsftpd", [join(dir, "vsftpd.conf")], port);
}

/** mosquitto refusing anonymous clients, with users from a password file made by mosquitto_passwd. */
export async function mosquittoWithUsers(user: string, password: string): Promise<Peer> {
  const dir = tmp();
  chmodSync(dir, 0o755);
  const pw = join(dir, "passwords");
  const r = spawnSync("mosquitto_passwd", ["-c", "-b", pw, user, password]);
  if (r.status !== 0) throw new Error(`mosquitto_passwd failed: ${r.stderr?.toString() ?? r.error?.message}`);
  chmodSync(pw, 0o644);
  const port = await freePort();
  const conf = join(dir, "mosquitto.conf");
  writeFileSync(
    conf,
    `listener ${port} 127.0.0.1\nallow_anonymous false\npassword_file ${pw}\npersistence false\n`,
  );
  return daemon("mosquitto", ["-c", conf], port);
}

/** dropbear with a fresh host key; logins are checked against the system's accounts (none is changed). */
export async function dropbear(): Promise<Peer> {
  const dir = tmp();
  const key = join(dir, "hostkey");
  const r = spawnSync("dropbearkey", ["-t", "ed25519", "-f", key]);
  if (r.status !== 0) throw new Error(`dropbearkey failed: ${r.stderr?.toString() ?? r.error?.message}`);
  const port = await freePort();
  return daemon("dropbear", ["-F", "-E", "-p", `127.0.0.1:${port}`, "-r", key], port);
}

export interface SshPeerOptions {
  /** Methods offered after "none". */
  methods: ("password" | "keyboard-interactive" | "publickey")[];
  /** Whether a pair logs in. */
  accept: (user: string, password: string) => boolean;
  /** Let "none" in (no authentication at all). */
  none?: boolean;
}

let hostKey: string | undefined;

/** An in-process SSH server (ssh2) for the password and keyboard-interactive logic. */
export async function sshPeer(o: SshPeerOptions): Promise<Peer & { tries: string[] }> {
  hostKey ??= ssh2.utils.generateKeyPairSync("ed25519").private;
  const tries: string[] = [];
  const server = new ssh2.Server({ hostKeys: [hostKey] }, (client) => {
    client.on("error", () => {});
    client.on("authentication", (ctx) => {
      if (ctx.method === "none") return o.none ? ctx.accept() : ctx.reject(o.methods);
      if (ctx.method === "password" && o.methods.includes("password")) {
        tries.push(`password ${ctx.username}/${ctx.password}`);
        return o.accept(ctx.username, ctx.password) ? ctx.accept() : ctx.reject(o.methods);
      }
      if (ctx.method === "keyboard-interactive" && o.methods.includes("keyboard-interactive")) {
        return ctx.prompt([{ prompt: "Password: ", echo: false }], "", (answers) => {
          tries.push(`keyboard-interactive ${ctx.username}/${answers[0]}`);
          return o.accept(ctx.username, answers[0] ?? "") ? ctx.accept() : ctx.reject(o.methods);
        });
      }
      return ctx.reject(o.methods);
    });
    client.on("ready", () => client.end());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as { port: number }).port,
    accepts: () => -1,
    tries,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * A Node telnet-like peer: a login prompt, a password prompt, then `after(user, password, n)`
 * (n counts attempts, from 1) decides what to write, or to hang (undefined); after
 * `resetAfterConnections` connections every new one is reset.
 */
export function telnetNodePeer(
  after: (user: string, password: string, n: number) => string | undefined,
  delayMs: (n: number) => number = () => 0,
  resetAfterConnections = Infinity,
): Promise<Peer> {
  let n = 0;
  let connections = 0;
  return nodePeer((s) => {
    if (++connections > resetAfterConnections) return s.resetAndDestroy();
    let state = 0;
    let user = "";
    let buf = "";
    s.write(Buffer.from([0xff, 0xfd, 0x18, 0xff, 0xfb, 0x01])); // DO TERMINAL-TYPE, WILL ECHO
    s.write("router login: ");
    s.on("data", (d: Buffer) => {
      buf += d.toString("latin1").replace(/\xff[\xfb-\xfe]./gs, "");
      const i = buf.indexOf("\r\n");
      if (i < 0) return;
      const line = buf.slice(0, i);
      buf = buf.slice(i + 2);
      if (state === 0) {
        user = line;
        state = 1;
        s.write("Password: ");
        return;
      }
      const k = ++n;
      const answer = after(user, line, k);
      setTimeout(() => {
        if (answer !== undefined) s.write(answer);
      }, delayMs(k));
    });
  });
}

/** lighttpd serving HTTPS only (mod_openssl) and asking for Basic authentication on /, users from a plain file. */
export async function lighttpdTls(users: string): Promise<Peer> {
  const dir = tmp();
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, "www"));
  writeFileSync(join(dir, "www", "index.html"), "camera\n");
  writeFileSync(join(dir, "users"), users);
  const { pem } = selfSigned(dir);
  const port = await freePort();
  writeFileSync(
    join(dir, "lighttpd.conf"),
    `server.document-root = "${dir}/www"
server.bind = "127.0.0.1"
server.port = ${port}
index-file.names = ("index.html")
server.modules = ("mod_openssl", "mod_auth", "mod_authn_file")
ssl.engine = "enable"
ssl.pemfile = "${pem}"
auth.backend = "plain"
auth.backend.plain.userfile = "${dir}/users"
auth.require = ("/" => ("method" => "basic", "realm" => "camera", "require" => "valid-user"))
`,
  );
  return daemon("lighttpd", ["-D", "-f", join(dir, "lighttpd.conf")], port);
}

/** mosquitto with a TLS listener only (its certificate self-signed), refusing anonymous clients, users from a password file. */
export async function mosquittoTls(user: string, password: string): Promise<Peer> {
  const dir = tmp();
  chmodSync(dir, 0o755);
  const pw = join(dir, "passwords");
  const r = spawnSync("mosquitto_passwd", ["-c", "-b", pw, user, password]);
  if (r.status !== 0) throw new Error(`mosquitto_passwd failed: ${r.stderr?.toString() ?? r.error?.message}`);
  chmodSync(pw, 0o644);
  const { key, cert } = selfSigned(dir);
  const port = await freePort();
  const conf = join(dir, "mosquitto.conf");
  writeFileSync(
    conf,
    `listener ${port} 127.0.0.1\ncertfile ${cert}\nkeyfile ${key}\nallow_anonymous false\npassword_file ${pw}\npersistence false\n`,
  );
  return daemon("mosquitto", ["-c", conf], port);
}
