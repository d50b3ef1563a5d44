// Real peers on 127.0.0.1 for the probe tests: daemons started per test on free ports, and small
// Node servers for the misbehaving peers. Nothing here talks to anything but loopback.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, connect, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

export async function waitForPort(port: number, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise<boolean>((r) => {
      const s = connect({ host: "127.0.0.1", port }, () => {
        s.destroy();
        r(true);
      });
      s.on("error", () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`);
}

export interface Peer {
  port: number;
  accepts: () => number;
  close: () => Promise<void>;
}

/** A Node TCP server on 127.0.0.1 that counts accepted connections. */
export async function nodePeer(onConn: (s: Socket) => void = () => {}): Promise<Peer> {
  let n = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    n++;
    sockets.add(s);
    s.on("error", () => {});
    s.on("close", () => sockets.delete(s));
    onConn(s);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as { port: number }).port,
    accepts: () => n,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

export async function daemon(cmd: string, args: string[], port: number): Promise<Peer> {
  const child: ChildProcess = spawn(cmd, args, { stdio: "ignore" });
  await waitForPort(port);
  return {
    port,
    accepts: () => -1,
    close: async () => {
      if (child.exitCode === null) {
        const gone = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await gone;
      }
    },
  };
}

export const tmp = () => mkdtempSync(join(tmpdir(), "concord-probe-"));

export async function mosquitto(anonymous: boolean): Promise<Peer> {
  const port = await freePort();
  const conf = join(tmp(), "mosquitto.conf");
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous ${anonymous}\npersistence false\n`);
  return daemon("mosquitto", ["-c", conf], port);
}

/** A fresh self-signed certificate for a TLS peer: paths of the key, the certificate, and both in one PEM. */
export function selfSigned(dir: string, cn = "camera.local"): { key: string; cert: string; pem: string } {
  const [key, cert, pem] = [join(dir, "key.pem"), join(dir, "cert.pem"), join(dir, "server.pem")];
  const r = spawnSync("openssl", [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    key,
    "-out",
    cert,
    "-days",
    "30",
    "-subj",
    `/CN=${cn}/O=Concord Test`,
  ]);
  if (r.status !== 0) throw new Error(`openssl req failed: ${r.stderr?.toString() ?? r.error?.message}`);
  writeFileSync(pem, Buffer.concat([readFileSync(key), readFileSync(cert)]));
  chmodSync(key, 0o644);
  chmodSync(pem, 0o644);
  return { key, cert, pem };
}

export async function opensslServer(): Promise<Peer> {
  const { key, cert } = selfSigned(tmp());
  const port = await freePort();
  return daemon(
    "openssl",
    ["s_server", "-quiet", "-accept", `127.0.0.1:${port}`, "-cert", cert, "-key", key],
    port,
  );
}

/** A busybox with telnetd: $CONCORD_BUSYBOX, or the private copy deps.md describes, or the system one. */
export function busyboxWithTelnetd(): string | undefined {
  for (const b of [process.env.CONCORD_BUSYBOX, "/tmp/probe-bb/x/bin/busybox", "busybox"]) {
    if (!b || (b.includes("/") && !existsSync(b))) continue;
    const r = spawnSync(b, ["telnetd", "--help"]);
    if (
      r.error === undefined &&
      /telnetd/.test(`${r.stdout.toString()}${r.stderr.toString()}`) &&
      !/applet not found/.test(r.stderr.toString())
    )
      return b;
  }
  return undefined;
}

export async function telnetd(busybox: string): Promise<Peer> {
  const dir = tmp();
  const login = join(dir, "login.sh");
  writeFileSync(login, "#!/bin/sh\nprintf 'camera login: '\nread user\nexit 0\n", { mode: 0o755 });
  const port = await freePort();
  return daemon(busybox, ["telnetd", "-F", "-b", `127.0.0.1:${port}`, "-l", login], port);
}
