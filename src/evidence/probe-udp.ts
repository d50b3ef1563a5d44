// Data shapes of the UDP testers' evidence (probe.snmp, probe.mdns, probe.coap). Each record is
// one target and port, located "<address>:<port>/udp". A record exists even when nothing answered
// (answered: false with the reason), so a report can say what was asked.
import type { Transcript } from "./probe.js";

interface UdpBase {
  host: string;
  address: string;
  port: number;
  /** Something came back that parsed as the protocol. */
  answered: boolean;
  /** Why nothing usable came back: "no answer (timeout)", "port unreachable (ICMP)", "not SNMP: ..." */
  reason?: string;
  transcripts: Transcript[];
}

export interface SnmpCommunityResult {
  version: "v1" | "v2c";
  community: string;
  /** The agent answered a GetRequest carrying this community (whatever the error status). */
  accepted: boolean;
  /** sysDescr.0 when the answer carried it. */
  sysDescr?: string;
  /** The error-status of the answer when not noError (e.g. "noSuchName"). */
  errorStatus?: string;
  /** Why no answer was read: timeout, unreachable, not SNMP. */
  reason?: string;
}

export interface SnmpData extends UdpBase {
  /** The SNMPv3 engine that answered a discovery request (RFC 3414 section 4), if any. */
  v3?: {
    /** msgAuthoritativeEngineID in hex. */
    engineId: string;
    /** From an RFC 3411 engine ID: the vendor's IANA enterprise number and the ID format. */
    enterprise?: number;
    format?: string;
    engineBoots: number;
    engineTime: number;
    /** The Report's counter OID, e.g. usmStatsUnknownEngineIDs. */
    report?: string;
  };
  /** Each community tried, per version; in the order of catalog/credentials/snmp-communities.csv. */
  communities: SnmpCommunityResult[];
  /** The default SNMPv3 users tried, when the discovery gave an engine ID. */
  v3Users?: SnmpV3UsersData;
}

/** One row of catalog/credentials/snmp-v3-users.csv as tried against the agent. */
export interface SnmpV3UserAttempt {
  user: string;
  /** none: noAuthNoPriv; MD5 or SHA: authNoPriv with HMAC-MD5-96 or HMAC-SHA-96. */
  auth: "none" | "MD5" | "SHA";
  /** The documented default password (public); empty for none. */
  password: string;
  source: string;
  /**
   * accepted: a Response (for MD5/SHA carrying the HMAC of this password, so the password is
   * right); refused: a Report (see report) or, for none, an authorizationError Response; skipped:
   * an earlier row of the user decided (see note); no-answer; error: garbage or a wrong HMAC.
   */
  verdict: "accepted" | "refused" | "skipped" | "no-answer" | "error";
  /** The counter a Report named: usmStatsUnknownUserNames, usmStatsWrongDigests ... */
  report?: string;
  /** The error-status of a Response when not noError (authorizationError ...). */
  errorStatus?: string;
  sysDescr?: string;
  note?: string;
}

export interface SnmpV3UsersData {
  /** A random user name without authentication got data: any user is let in. */
  acceptsAnything: boolean;
  /** What the random user got (usmStatsUnknownUserNames, no answer ...). */
  canary?: string;
  /** Requests sent, the random user and one resend after a notInTimeWindow Report included. */
  sent: number;
  /** Each row in file order (empty when acceptsAnything stopped the test). */
  attempts: SnmpV3UserAttempt[];
}

export interface MdnsService {
  /** "_http._tcp.local" */
  type: string;
  /** Instances named in PTR answers, with their SRV target/port and TXT strings when sent. */
  instances: { name: string; target?: string; port?: number; txt?: string[] }[];
}

export interface MdnsData extends UdpBase {
  services: MdnsService[];
  /** Address records that came with the answers ("camera.local A 10.0.0.5"). */
  addresses: string[];
}

export interface CoapResource {
  path: string;
  attributes: Record<string, string | true>;
}

export interface CoapRead {
  path: string;
  /** "2.05", "4.01" ... or undefined with a reason. */
  code?: string;
  /** Payload bytes of the (first block of the) answer. */
  bytes?: number;
  reason?: string;
}

export interface CoapData extends UdpBase {
  /** The response code to GET /.well-known/core ("2.05"). */
  code?: string;
  /** Content-Format number of the discovery answer (40 is application/link-format). */
  contentFormat?: number;
  /** Resources from the link-format answer (RFC 6690). */
  resources: CoapResource[];
  /** Blocks read (RFC 7959 Block2) and whether more were left unread. */
  blocks?: number;
  truncated?: boolean;
  /** GETs of the listed resources (safe by RFC 7252), bounded in number. */
  reads: CoapRead[];
}

/** One answer to an M-SEARCH. */
export interface SsdpResponse {
  /** "200 OK", or the status line when not 200. */
  status: string;
  st?: string;
  usn?: string;
  location?: string;
  server?: string;
}
