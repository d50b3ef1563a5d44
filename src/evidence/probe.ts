// Evidence kinds produced by `concord probe` (live device testing), with their data shapes.
// Locations are "<address>:<port>/tcp" for ports and services, "probe:<targets>" for the scan.

export const PROBE = {
  port: "probe.port",
  service: "probe.service",
  scan: "probe.scan",
  /** SNMP on one UDP port: SnmpData in probe-udp.ts (also MdnsData, CoapData). */
  snmp: "probe.snmp",
  mdns: "probe.mdns",
  coap: "probe.coap",
  /** SSDP answers and UPnP descriptions/IGD control: UpnpData in probe-upnp.ts. */
  upnp: "probe.upnp",
  /** The first page of a plain-HTTP service: HttpAdminData in probe-http.ts. */
  httpAdmin: "probe.http-admin",
  /** A TLS audit of one port: TlsAuditData in probe-tls.ts. */
  tls: "probe.tls",
  /** An SSH algorithm audit of one port: SshAuditData in probe-ssh.ts. */
  ssh: "probe.ssh",
  /** A credential test of one login service: CredentialsData in probe-credentials.ts. */
  credentials: "probe.credentials",
} as const;

export type PortState = "open" | "closed" | "filtered";

export interface PortData {
  /** The target as the user named it. */
  host: string;
  /** The address it resolved to (once), which every connection used. */
  address: string;
  port: number;
  proto: "tcp";
  state: PortState;
  /** Why closed or filtered: "refused", "timeout", "unreachable" ... */
  reason?: string;
}

/** One exchange with a peer: what was sent and what came back, escaped and truncated. */
export interface Transcript {
  step: string;
  sent: string;
  received: string;
  receivedBytes: number;
  /** complete, closed, reset, timeout, limit (stopped reading), error: <message> */
  outcome: string;
}

export interface ServiceData {
  host: string;
  address: string;
  port: number;
  /** ssh, telnet, ftp, http, rtsp, mqtt, tls, unknown */
  service: string;
  /** The first line the service identified itself with, if any. */
  banner?: string;
  /**
   * Per service: ssh {software}, telnet {negotiation, prompt}, http/rtsp {status, server},
   * mqtt {anonymous, returnCode}, tls {protocol, subject, issuer, selfSigned, validTo, expired},
   * unknown {reason: "could not determine: ..."}.
   */
  detail: Record<string, unknown>;
  transcripts: Transcript[];
}

export interface ScopeDecisionData {
  target: string;
  address?: string;
  /** loopback, private, link-local, unique-local, public */
  range?: string;
  allowed: boolean;
  reason: string;
}

export interface ScanData {
  targets: ScopeDecisionData[];
  /** The port list as asked ("1-1024,8080" or "default"), and how many ports that is. */
  ports: string;
  portCount: number;
  dryRun: boolean;
  limits: { rate: number; concurrency: number; timeoutMs: number; budgetMs: number };
  counts: { open: number; closed: number; filtered: number; notScanned: number };
  /** Set when the scan did not finish, e.g. "time budget of 300000 ms spent". */
  stoppedBy?: string;
  /** Testers that failed unexpectedly on a peer (the rest of the probe went on). */
  testerErrors?: { tester: string; location: string; message: string }[];
}
