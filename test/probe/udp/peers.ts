// UDP peers on 127.0.0.1 for the UDP, UPnP and HTTP-admin probe tests: snmpd (the real Debian
// daemon), lighttpd, and small Node responders where no installable daemon fits an unprivileged
// offline test (SSDP/UPnP IGD: miniupnpd needs root and iptables; CoAP and mDNS: no daemon in the
// image). The Node responders answer only the unicast datagrams sent to them on loopback.
import { spawn, type ChildProcess } from "node:child_process";
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from "node:dgram";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { int, octets, oid, seq, TAG } from "../../../src/collect/probe/udp/ber.js";
import { getRequest, v3DiscoveryRequest } from "../../../src/collect/probe/udp/snmp.js";
import {
  readV3,
  userKey,
  v3Message,
  verifyAuth,
  type AuthProtocol,
  type V3Message,
} from "../../../src/collect/probe/udp/usm.js";
import { freePort, selfSigned, tmp, waitForPort, type Peer } from "../peers.js";

export interface UdpPeer {
  port: number;
  /** Datagrams received, in order. */
  received: Buffer[];
  close: () => Promise<void>;
}

/** A Node UDP responder on 127.0.0.1: `answer` returns the datagrams to send back (none = silence). */
export async function udpResponder(
  answer: (msg: Buffer, from: RemoteInfo) => Buffer[] = () => [],
): Promise<UdpPeer> {
  const sock: UdpSocket = createSocket("udp4");
  const received: Buffer[] = [];
  sock.on("message", (msg, from) => {
    received.push(msg);
    for (const d of answer(msg, from)) sock.send(d, from.port, from.address);
  });
  await new Promise<void>((r) => sock.bind(0, "127.0.0.1", r));
  return {
    port: sock.address().port,
    received,
    close: () => new Promise((r) => sock.close(() => r())),
  };
}

/** A UDP port on 127.0.0.1 that nothing listens on (bound, read, released). */
export async function freeUdpPort(): Promise<number> {
  const s = createSocket("udp4");
  await new Promise<void>((r) => s.bind(0, "127.0.0.1", r));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Wait until something answers an SNMPv3 discovery on the port. */
async function waitForSnmp(port: number, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = createSocket("udp4");
      const t = setTimeout(() => {
        s.close();
        resolve(false);
      }, 200);
      s.on("error", () => {
        clearTimeout(t);
        s.close();
        resolve(false);
      });
      s.on("message", () => {
        clearTimeout(t);
        s.close();
        resolve(true);
      });
      s.send(v3DiscoveryRequest(1, 1), port, "127.0.0.1");
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`snmpd did not answer on 127.0.0.1:${port}/udp`);
}

/** A daemon the tests need; CI installs it, so a missing one fails the test loudly instead of skipping. */
function required(path: string, pkg: string): string {
  if (!existsSync(path)) throw new Error(`${path} is missing: install the Debian package ${pkg}`);
  return path;
}

/**
 * The real net-snmp agent, unprivileged, on a free UDP port, answering read-only to `community`
 * from 127.0.0.1 only, with its own persistent directory and no system configuration (-C).
 * `extra` lines are added to its configuration (createUser and rouser lines for SNMPv3 users:
 * snmpd reads createUser from its configuration and keeps the keys in the persistent directory).
 */
export async function snmpd(community: string, sysDescr: string, extra: string[] = []): Promise<Peer> {
  const dir = tmp();
  const conf = join(dir, "snmpd.conf");
  writeFileSync(
    conf,
    [`rocommunity ${community} 127.0.0.1`, `sysDescr ${sysDescr}`, ...extra, ""].join("\n"),
  );
  mkdirSync(join(dir, "persist"));
  const port = await freeUdpPort();
  const child: ChildProcess = spawn(
    required("/usr/sbin/snmpd", "snmpd"),
    ["-f", "-Lo", "-C", "-c", conf, "-M", "/nonexistent", "-m", "", `udp:127.0.0.1:${port}`],
    { stdio: "ignore", env: { ...process.env, SNMP_PERSISTENT_DIR: join(dir, "persist"), MIBS: "" } },
  );
  try {
    await waitForSnmp(port);
  } catch (e) {
    child.kill("SIGKILL");
    throw e;
  }
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

/**
 * lighttpd serving `files` from a temp document root on a plain HTTP port; with `redirectTo`, every
 * plain-HTTP request is redirected there. With `tls`, a second socket serves the same files over
 * HTTPS (mod_openssl) with a fresh self-signed certificate; its port is `tlsPort`.
 */
export async function lighttpd(o: {
  files: Record<string, string>;
  redirectToTls?: boolean;
  tls?: boolean;
}): Promise<Peer & { tlsPort?: number }> {
  const dir = tmp();
  const root = join(dir, "www");
  mkdirSync(root);
  for (const [name, body] of Object.entries(o.files)) writeFileSync(join(root, name), body);
  const port = await freePort();
  const lines = [
    `server.document-root = "${root}"`,
    `server.bind = "127.0.0.1"`,
    `server.port = ${port}`,
    `server.errorlog = "${join(dir, "error.log")}"`,
    `index-file.names = ("index.html")`,
    `mimetype.assign = (".html" => "text/html")`,
    `server.modules += ("mod_redirect")`,
  ];
  let tlsPort: number | undefined;
  if (o.tls || o.redirectToTls) {
    tlsPort = await freePort();
    const { pem } = selfSigned(dir, "router.local");
    lines.push(
      `server.modules += ("mod_openssl")`,
      `$SERVER["socket"] == "127.0.0.1:${tlsPort}" {`,
      `  ssl.engine = "enable"`,
      `  ssl.pemfile = "${pem}"`,
      `}`,
    );
    if (o.redirectToTls)
      lines.push(
        `$SERVER["socket"] == "127.0.0.1:${port}" {`,
        `  url.redirect = ("^/(.*)" => "https://127.0.0.1:${tlsPort}/$1")`,
        `}`,
      );
  }
  const conf = join(dir, "lighttpd.conf");
  writeFileSync(conf, `${lines.join("\n")}\n`);
  const child = spawn(required("/usr/sbin/lighttpd", "lighttpd"), ["-D", "-f", conf], { stdio: "ignore" });
  await waitForPort(port);
  if (tlsPort) await waitForPort(tlsPort);
  return {
    port,
    tlsPort,
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

/** A v2c GetRequest, for tests that need a well-formed request to send a peer by hand. */
export const sampleGet = (community: string) => getRequest(1, community, 7, ["1.3.6.1.2.1.1.1.0"]);

/**
 * A small SNMPv3 agent in Node for what snmpd will not do on demand: a clock it reports as zero in
 * the discovery (so the first authenticated request is out of its time window), a Response to
 * every user (an agent that checks no user name), or a Response that does not carry the HMAC.
 * Users map to their protocol and password; the engine's real boots and time are 7 and 5000.
 */
export async function v3Agent(o: {
  users: Record<string, { auth: "none" | AuthProtocol; password: string }>;
  anyUser?: boolean;
  forgeHmac?: boolean;
  /** Answer every request after the discovery with these bytes. */
  garbage?: Buffer;
}): Promise<UdpPeer> {
  const engineId = Buffer.from("8000a4b10401020304", "hex");
  const [boots, time] = [7, 5000];
  const reply = (
    m: V3Message,
    tag: number,
    varbind: Buffer,
    auth?: { protocol: AuthProtocol; key: Buffer },
  ) =>
    v3Message({
      msgId: m.msgId,
      reportable: false,
      engineId,
      engineBoots: boots,
      engineTime: time,
      user: m.userName,
      ...(auth ? { auth } : {}),
      pdu: { tag, requestId: m.pdu?.requestId ?? 0, varbinds: [varbind] },
    });
  const counter = (oidText: string) => seq(TAG.sequence, oid(oidText), int(1, TAG.counter32));
  const descr = seq(TAG.sequence, oid("1.3.6.1.2.1.1.1.0"), octets("Node v3 agent"));
  return udpResponder((msg) => {
    let m: V3Message;
    try {
      m = readV3(msg);
    } catch {
      return [];
    }
    if (m.engineId.length === 0)
      // Discovery: the engine ID, but boots and time left at zero.
      return [
        v3Message({
          msgId: m.msgId,
          reportable: false,
          engineId,
          engineBoots: 0,
          engineTime: 0,
          user: "",
          pdu: {
            tag: TAG.report,
            requestId: m.pdu?.requestId ?? 0,
            varbinds: [counter("1.3.6.1.6.3.15.1.1.4.0")],
          },
        }),
      ];
    if (o.garbage) return [o.garbage];
    const u = o.users[m.userName];
    if (!u && !o.anyUser) return [reply(m, TAG.report, counter("1.3.6.1.6.3.15.1.1.3.0"))];
    if (!u || u.auth === "none" || (m.flags & 1) === 0) return [reply(m, TAG.response, descr)];
    const key = userKey(u.password, u.auth, engineId);
    if (!verifyAuth(msg, m, key, u.auth)) return [reply(m, TAG.report, counter("1.3.6.1.6.3.15.1.1.5.0"))];
    if (m.engineBoots !== boots || Math.abs(m.engineTime - time) > 150)
      return [reply(m, TAG.report, counter("1.3.6.1.6.3.15.1.1.2.0"), { protocol: u.auth, key })];
    return [reply(m, TAG.response, descr, o.forgeHmac ? undefined : { protocol: u.auth, key })];
  });
}
