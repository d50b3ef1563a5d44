// The TLS audit of one server (a device port or a cloud endpoint): Node's own handshake at each of
// TLS 1.0-1.3, then, for each of SSLv3-TLS 1.3, our raw ClientHellos offering every suite of that
// version in groups of 64; each time the server picks a suite it is removed and the rest offered
// again, until the server refuses (the way sslscan and nmap's ssl-enum-ciphers enumerate). So the
// connections spent are about one per accepted suite plus one per group, and never more than
// maxHandshakes. Every connection passes the scope's gate; reads are bounded in bytes and time.
import type { Socket } from "node:net";
import type { SecureVersion } from "node:tls";
import type { Transcript } from "../../../evidence/probe.js";
import { escapeBytes, exchange, type ExchangeResult } from "../exchange.js";
import { BudgetError, ConnectError, type Scope } from "../scope.js";
import { coversHost, describeServerCertificate } from "./certificate.js";
import { nodeHandshake, type HandshakeResult } from "./handshake.js";
import {
  alertName,
  clientHello,
  PROTOCOL_VERSION,
  readServerAnswer,
  VERSION_CODE,
  versionName,
  type ServerAnswer,
} from "./hello.js";
import { hexCode, suiteCode, suiteName, suitesFor, suiteWeaknesses } from "./suites.js";
import {
  TLS_VERSIONS,
  type CertificateChainData,
  type SuiteResult,
  type TlsAuditData,
  type TlsVersionName,
  type VersionResult,
} from "../../../evidence/probe-tls.js";

export interface TlsAuditOptions {
  /** Sent as SNI and checked against the certificate; defaults to the target's host when it is a name. */
  serverName?: string;
  /** Extra trusted CA certificates (PEM) for the trust verdict, e.g. a private PKI's root. */
  ca?: string[];
  /** At most this many connections for the whole audit (default 300). */
  maxHandshakes?: number;
  /** Suites per ClientHello (default 64; some embedded TLS stacks refuse longer lists). */
  suitesPerHello?: number;
}

export interface TlsTarget {
  host: string;
  address: string;
  port: number;
}

const NODE_VERSIONS: Partial<Record<TlsVersionName, SecureVersion>> = {
  "TLSv1.3": "TLSv1.3",
  "TLSv1.2": "TLSv1.2",
  "TLSv1.1": "TLSv1.1",
  "TLSv1.0": "TLSv1",
};

/** A host name, not an address, is what SNI and certificate names are about. */
export const hostName = (host: string): string | undefined =>
  /^[a-z]/i.test(host) && !host.includes(":") && !/^[\d.]+$/.test(host) ? host : undefined;

class Audit {
  handshakes = 0;
  stopped?: string;
  dryRun = false;
  readonly transcripts: Transcript[] = [];
  readonly limit: number;
  readonly perHello: number;
  readonly serverName?: string;

  constructor(
    readonly scope: Scope,
    readonly target: TlsTarget,
    readonly o: TlsAuditOptions,
  ) {
    this.limit = o.maxHandshakes ?? 300;
    this.perHello = Math.max(1, o.suitesPerHello ?? 64);
    this.serverName = o.serverName ?? hostName(target.host);
  }

  /** A connection through the gate; a string when it failed; null once the audit must stop. */
  async connect(purpose: string): Promise<Socket | string | null> {
    if (this.stopped) return null;
    if (this.handshakes >= this.limit) {
      this.stopped = `handshake limit of ${this.limit} reached`;
      return null;
    }
    try {
      const s = await this.scope.connect(this.target.address, this.target.port, purpose);
      if (s) {
        this.handshakes++;
        return s;
      }
      this.dryRun = true;
      this.stopped = "dry run";
      return null;
    } catch (e) {
      if (e instanceof BudgetError) {
        this.stopped = e.message;
        return null;
      }
      if (e instanceof ConnectError) {
        this.handshakes++;
        return `connect failed (${e.code})`;
      }
      throw e;
    }
  }

  async handshake(version: TlsVersionName): Promise<HandshakeResult | null> {
    const v = NODE_VERSIONS[version]!;
    const raw = await this.connect(`tls audit: handshake ${version}`);
    if (raw === null) return null;
    const r =
      typeof raw === "string"
        ? { ok: false, reason: raw }
        : await nodeHandshake(raw, v, {
            servername: this.serverName,
            ca: this.o.ca,
            timeoutMs: this.scope.limits.timeoutMs,
          });
    this.transcripts.push({
      step: `handshake ${version}`,
      sent: `Node TLS ClientHello, ${version} only`,
      received: r.ok ? `${version} handshake, ${r.suite}` : "",
      receivedBytes: 0,
      outcome: r.ok ? "complete" : r.reason,
    });
    return r;
  }

  /** One raw ClientHello; the answer, a reason string when none came, or null to stop. */
  async hello(
    version: TlsVersionName,
    suites: number[],
    certificates: boolean,
    record: boolean,
  ): Promise<ServerAnswer | string | null> {
    const sock = await this.connect(`tls audit: ClientHello ${version}`);
    if (sock === null || typeof sock === "string") return sock;
    const send = clientHello(version, suites, { serverName: this.serverName });
    let r: ExchangeResult;
    try {
      r = await exchange(sock, {
        send,
        maxBytes: certificates ? 65536 : 16384,
        waitMs: this.scope.limits.timeoutMs,
        complete: (b) => readServerAnswer(b, { certificates }) !== undefined,
      });
    } finally {
      sock.destroy();
    }
    // A server that stops after its ServerHello still answered, with no certificate to read.
    const answer =
      readServerAnswer(r.received, { certificates }) ??
      (certificates ? readServerAnswer(r.received) : undefined) ??
      noAnswer(r);
    if (record)
      this.transcripts.push({
        step: `hello ${version}`,
        sent: `ClientHello ${version} offering ${suites.length} suites${this.serverName ? `, SNI ${this.serverName}` : ""}`,
        received: summary(answer, r),
        receivedBytes: r.received.length,
        outcome: r.outcome,
      });
    return answer;
  }
}

function noAnswer(r: ExchangeResult): string {
  if (r.received.length) return `an incomplete answer of ${r.received.length} bytes (${r.outcome})`;
  if (r.outcome === "timeout") return "no answer (timeout)";
  if (r.outcome === "closed") return "closed without answering";
  if (r.outcome === "reset") return "connection reset";
  return r.outcome;
}

function summary(a: ServerAnswer | string, r: ExchangeResult): string {
  if (typeof a === "string") return r.received.length ? escapeBytes(r.received, 80) : a;
  if (a.kind === "hello")
    return `ServerHello ${versionName(a.version)} ${suiteName(a.suite)}${a.retry ? " (HelloRetryRequest)" : ""}`;
  if (a.kind === "alert") return `alert ${alertName(a.description)}`;
  return `${a.reason}: ${escapeBytes(r.received, 80)}`;
}

const describe = (a: ServerAnswer | string): string =>
  typeof a === "string"
    ? a
    : a.kind === "alert"
      ? `alert ${alertName(a.description)}`
      : a.kind === "garbage"
        ? `not TLS (${a.reason})`
        : `ServerHello ${versionName(a.version)}`;

interface Enumerated {
  hello: string;
  suites: number[];
  incomplete?: string;
  certificates?: Buffer[];
}

/** Offer every suite of `version`, a group at a time, removing each one the server picks. */
async function enumerate(
  audit: Audit,
  version: TlsVersionName,
  wantCertificates: boolean,
): Promise<Enumerated> {
  const all = suitesFor(version);
  const accepted: number[] = [];
  let first: string | undefined;
  let certificates: Buffer[] | undefined;
  const result = (extra: Partial<Enumerated> = {}): Enumerated => ({
    hello: accepted.length ? "accepted" : (first ?? "not tried"),
    suites: accepted,
    ...(certificates ? { certificates } : {}),
    ...extra,
  });
  for (let at = 0; at < all.length; at += audit.perHello) {
    const remaining = all.slice(at, at + audit.perHello);
    while (remaining.length) {
      const certs = wantCertificates && !certificates && version !== "TLSv1.3";
      const a = await audit.hello(version, remaining, certs, first === undefined);
      if (a === null) return result({ incomplete: audit.stopped });
      first ??= describe(a);
      if (typeof a === "string") {
        // Some stacks close or reset instead of sending an alert when no suite fits: the next
        // group is still worth asking. A server that hangs would cost a timeout per group, so a
        // timeout ends the version.
        if (!/timeout/.test(a)) break;
        return result(accepted.length ? { incomplete: `the server stopped answering: ${a}` } : {});
      }
      if (a.kind === "garbage") return result(accepted.length ? { incomplete: `not TLS: ${a.reason}` } : {});
      if (a.kind === "alert") {
        if (a.description === PROTOCOL_VERSION && accepted.length === 0) return result();
        break; // nothing more in this group the server will pick
      }
      if (a.version !== VERSION_CODE[version]) {
        if (accepted.length === 0)
          return result({ hello: `the server answered with ${versionName(a.version)}` });
        return result({ incomplete: `the server switched to ${versionName(a.version)}` });
      }
      const i = remaining.indexOf(a.suite);
      if (i < 0)
        return result({
          incomplete: `the server chose ${suiteName(a.suite)}, which was not offered`,
          ...(accepted.length
            ? {}
            : { hello: `the server chose ${suiteName(a.suite)}, which was not offered` }),
        });
      accepted.push(a.suite);
      remaining.splice(i, 1);
      if (a.certificates?.length) certificates = a.certificates;
    }
  }
  return result();
}

function chainData(
  ders: Buffer[],
  from: string,
  trust: { trusted: boolean; trustError?: string },
  serverName: string | undefined,
): CertificateChainData | undefined {
  const chain = ders.map((d) => describeServerCertificate(d)).filter((c) => c !== undefined);
  if (chain.length === 0) return undefined;
  return {
    chain,
    from,
    ...trust,
    ...(serverName ? { hostname: { name: serverName, matches: coversHost(ders[0]!, serverName) } } : {}),
  };
}

/** Audit TLS on one port. Undefined in a dry run (the gate lists the first connection it would make). */
export async function auditTls(
  scope: Scope,
  target: TlsTarget,
  o: TlsAuditOptions = {},
): Promise<TlsAuditData | undefined> {
  const audit = new Audit(scope, target, o);
  const handshakes: Partial<Record<TlsVersionName, HandshakeResult>> = {};
  let certificate: CertificateChainData | undefined;
  for (const v of ["TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1.0"] as const) {
    const r = await audit.handshake(v);
    if (r === null) break;
    handshakes[v] = r;
    if (r.ok && !certificate && r.chain?.length)
      certificate = chainData(
        r.chain,
        `${v} handshake`,
        { trusted: r.trusted ?? false, ...(r.trustError ? { trustError: r.trustError } : {}) },
        audit.serverName,
      );
  }
  if (audit.dryRun) return undefined;
  const versions: VersionResult[] = [];
  for (const v of TLS_VERSIONS) {
    const e: Enumerated = audit.stopped
      ? { hello: "not tried", suites: [], incomplete: audit.stopped }
      : await enumerate(audit, v, !certificate);
    if (!certificate && e.certificates?.length)
      certificate = chainData(
        e.certificates,
        `${v} ClientHello`,
        { trusted: false, trustError: "not checked: only a raw ClientHello reached the certificate" },
        audit.serverName,
      );
    const h = handshakes[v];
    const codes = [...e.suites];
    // Node's handshake may land on a suite our hellos did not reach (a server quirk): keep it.
    const nodeCode = h?.ok && h.suite ? suiteCode(h.suite) : undefined;
    if (nodeCode !== undefined && !codes.includes(nodeCode)) codes.push(nodeCode);
    const suites: SuiteResult[] = codes.map((c) => ({
      code: hexCode(c),
      name: suiteName(c),
      weak: suiteWeaknesses(suiteName(c), v),
    }));
    versions.push({
      version: v,
      accepted: suites.length > 0 || (h?.ok ?? false),
      ...(h ? { handshake: h.reason } : {}),
      hello: e.hello,
      suites,
      ...(e.incomplete ? { incomplete: e.incomplete } : {}),
    });
  }
  return {
    host: target.host,
    address: target.address,
    port: target.port,
    versions,
    ...(certificate ? { certificate } : {}),
    handshakes: audit.handshakes,
    outcome: audit.stopped ?? "complete",
    transcripts: audit.transcripts,
  };
}
