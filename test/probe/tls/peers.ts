// TLS peers on 127.0.0.1 for the TLS audit tests: openssl s_server in a weak and a hardened
// configuration, mosquitto with a TLS listener, certificates made with openssl, and a scripted
// Node peer that answers our raw ClientHellos from a suite list of its own (for what OpenSSL 3
// no longer speaks: SSLv3, RC4, export, DES). Nothing here talks to anything but loopback.
import { spawnSync } from "node:child_process";
import { chmodSync, writeFileSync } from "node:fs";
import type { Socket } from "node:net";
import { join } from "node:path";
import { daemon, freePort, nodePeer, tmp, type Peer } from "../peers.js";

function openssl(args: string[]): void {
  const r = spawnSync("openssl", args);
  if (r.error) throw new Error(`openssl is needed for the TLS tests: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr.toString()}`);
}

export interface Certs {
  dir: string;
  cert: string;
  key: string;
  /** The CA certificate (PEM path) when the leaf was issued by the test CA. */
  ca?: string;
}

/** A self-signed RSA certificate; `weak` makes it RSA 1024 with a SHA-1 signature. */
export function selfSigned(subject: string, weak = false): Certs {
  const dir = tmp();
  const [key, cert] = [join(dir, "key.pem"), join(dir, "cert.pem")];
  openssl([
    "req",
    "-x509",
    "-newkey",
    weak ? "rsa:1024" : "rsa:2048",
    ...(weak ? ["-sha1"] : []),
    "-nodes",
    "-keyout",
    key,
    "-out",
    cert,
    "-days",
    "30",
    "-subj",
    subject,
  ]);
  return { dir, cert, key };
}

/** A test CA (EC P-256) and a leaf for `name` it signed with SHA-256, naming `name` in subjectAltName. */
export function caIssued(name: string): Certs {
  const dir = tmp();
  const p = (f: string) => join(dir, f);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  openssl([
    "req",
    "-x509",
    ...ec,
    "-keyout",
    p("ca.key"),
    "-out",
    p("ca.pem"),
    "-days",
    "365",
    "-subj",
    "/CN=Concord Test CA",
  ]);
  openssl(["req", "-new", ...ec, "-keyout", p("key.pem"), "-out", p("leaf.csr"), "-subj", `/CN=${name}`]);
  writeFileSync(p("ext.cnf"), `subjectAltName=DNS:${name}\nbasicConstraints=CA:FALSE\n`);
  openssl([
    "x509",
    "-req",
    "-in",
    p("leaf.csr"),
    "-CA",
    p("ca.pem"),
    "-CAkey",
    p("ca.key"),
    "-CAcreateserial",
    "-out",
    p("cert.pem"),
    "-days",
    "90",
    "-sha256",
    "-extfile",
    p("ext.cnf"),
  ]);
  return { dir, cert: p("cert.pem"), key: p("key.pem"), ca: p("ca.pem") };
}

export async function sServer(certs: Certs, args: string[]): Promise<Peer> {
  const port = await freePort();
  return daemon(
    "openssl",
    [
      "s_server",
      "-quiet",
      "-accept",
      `127.0.0.1:${port}`,
      "-cert",
      certs.cert,
      "-key",
      certs.key,
      ...(certs.ca ? ["-cert_chain", certs.ca] : []),
      ...args,
    ],
    port,
  );
}

/** TLS 1.0 to 1.2 with every suite OpenSSL 3 still has (NULL and anonymous included), RSA 1024 SHA-1 self-signed. */
export const WEAK_ARGS = ["-no_tls1_3", "-cipher", "ALL:eNULL:@SECLEVEL=0"];
/** TLS 1.2 and 1.3 only, ECDHE with AES-GCM or ChaCha20-Poly1305. */
export const HARDENED_ARGS = ["-no_ssl3", "-no_tls1", "-no_tls1_1", "-cipher", "ECDHE+AESGCM:ECDHE+CHACHA20"];

export async function mosquittoTls(certs: Certs, anonymous: boolean): Promise<Peer> {
  // Started as root, mosquitto drops to its own user, which must be able to read the test key.
  chmodSync(certs.dir, 0o755);
  chmodSync(certs.key, 0o644);
  const port = await freePort();
  const conf = join(tmp(), "mosquitto.conf");
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      `certfile ${certs.cert}`,
      `keyfile ${certs.key}`,
      "tls_version tlsv1.2",
      `allow_anonymous ${anonymous}`,
      "persistence false",
      "",
    ].join("\n"),
  );
  return daemon("mosquitto", ["-c", conf], port);
}

/** The suite codes and version of a ClientHello record, or undefined. */
export function parseClientHello(
  b: Buffer,
): { version: number; suites: number[]; supportedVersions: number[] } | undefined {
  if (b.length < 9 || b[0] !== 22 || b[5] !== 1) return undefined;
  const len = b.readUInt16BE(3);
  if (b.length < 5 + len) return undefined;
  const h = b.subarray(9, 5 + len);
  const version = h.readUInt16BE(0);
  let p = 34;
  p += 1 + h[p]!;
  const n = h.readUInt16BE(p);
  const suites: number[] = [];
  for (let i = 0; i < n; i += 2) suites.push(h.readUInt16BE(p + 2 + i));
  p += 2 + n;
  p += 1 + h[p]!;
  const supportedVersions: number[] = [];
  if (p + 2 <= h.length) {
    const end = p + 2 + h.readUInt16BE(p);
    p += 2;
    while (p + 4 <= end) {
      const type = h.readUInt16BE(p);
      const l = h.readUInt16BE(p + 2);
      if (type === 43)
        for (let i = 1; i < 1 + h[p + 4]!; i += 2) supportedVersions.push(h.readUInt16BE(p + 4 + i));
      p += 4 + l;
    }
  }
  return { version, suites, supportedVersions };
}

export const record = (type: number, version: number, body: Buffer) =>
  Buffer.concat([
    Buffer.from([type, version >> 8, version & 0xff, body.length >> 8, body.length & 0xff]),
    body,
  ]);

export function serverHello(version: number, suite: number): Buffer {
  const body = Buffer.concat([
    Buffer.from([version >> 8, version & 0xff]),
    Buffer.alloc(32, 7),
    Buffer.from([0, suite >> 8, suite & 0xff, 0]),
  ]);
  const hs = Buffer.concat([Buffer.from([2, 0, body.length >> 8, body.length & 0xff]), body]);
  return record(22, version, hs);
}

const u24 = (n: number) => Buffer.from([n >> 16, (n >> 8) & 0xff, n & 0xff]);

/** A Certificate message holding one DER certificate, then ServerHelloDone, in one record. */
export function certificateFlight(version: number, der: Buffer): Buffer {
  const list = Buffer.concat([u24(der.length), der]);
  const body = Buffer.concat([u24(list.length), list]);
  return record(
    22,
    version,
    Buffer.concat([Buffer.from([11]), u24(body.length), body, Buffer.from([14, 0, 0, 0])]),
  );
}

export const alert = (description: number) => record(21, 0x0301, Buffer.from([2, description]));

/**
 * A scripted TLS server: to each ClientHello whose version is in `versions` (TLS 1.2 and older,
 * the legacy version field) it answers a ServerHello with the first of its own `suites` the
 * client offered (then, if given, a Certificate message with `certificate` and a ServerHelloDone),
 * or a handshake_failure alert (or just a close, with noMatch "close"); other versions get protocol_version. Node's real handshakes then
 * fail (the flight ends there), so only the raw hellos find anything.
 */
export function scriptedTls(
  versions: number[],
  suites: number[],
  certificate?: Buffer,
  noMatch: "alert" | "close" = "alert",
): Promise<Peer> {
  return nodePeer((s: Socket) => {
    let buf = Buffer.alloc(0);
    s.on("data", (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const hello = parseClientHello(buf);
      if (!hello) return;
      if (hello.supportedVersions.length || !versions.includes(hello.version)) s.end(alert(70));
      else {
        const pick = suites.find((c) => hello.suites.includes(c));
        if (pick === undefined) {
          if (noMatch === "alert") s.end(alert(40));
          else s.end();
        } else
          s.end(
            Buffer.concat([
              serverHello(hello.version, pick),
              ...(certificate ? [certificateFlight(hello.version, certificate)] : []),
            ]),
          );
      }
    });
  });
}
