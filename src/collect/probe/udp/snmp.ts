// SNMP (RFC 1157, RFC 3416, RFC 3412/3414): an SNMPv3 engine discovery (an empty-user request
// every v3 agent answers with a Report carrying its engine ID, boots and time), then a GetRequest
// for sysDescr.0 in v2c and v1 with each community of catalog/credentials/snmp-communities.csv,
// and as each default v3 user of catalog/credentials/snmp-v3-users.csv (snmp-users.ts).
// An agent drops requests with a wrong community silently, so "no answer" to every community is
// only read as "refused" when the agent showed itself some other way (the v3 Report).
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TargetTester, TesterOutput } from "../testers.js";
import type { Scope, UdpExchangeResult } from "../scope.js";
import {
  BerError,
  decode,
  describeValue,
  int,
  nul,
  octets,
  oid,
  readInt,
  readOctets,
  readOid,
  seq,
  TAG,
  type Tlv,
} from "./ber.js";
import { askUdp, silence, udpPortsFor, udpWhere } from "./common.js";
import type { SnmpCommunityResult, SnmpData } from "../../../evidence/probe-udp.js";
import { defaultV3Users, probeV3Users, type V3User } from "./snmp-users.js";

export const SYS_DESCR = "1.3.6.1.2.1.1.1.0";

const REPORT_OIDS: Record<string, string> = {
  "1.3.6.1.6.3.15.1.1.1.0": "usmStatsUnsupportedSecLevels",
  "1.3.6.1.6.3.15.1.1.2.0": "usmStatsNotInTimeWindows",
  "1.3.6.1.6.3.15.1.1.3.0": "usmStatsUnknownUserNames",
  "1.3.6.1.6.3.15.1.1.4.0": "usmStatsUnknownEngineIDs",
  "1.3.6.1.6.3.15.1.1.5.0": "usmStatsWrongDigests",
  "1.3.6.1.6.3.15.1.1.6.0": "usmStatsDecryptionErrors",
};

const ERROR_STATUS = [
  "noError",
  "tooBig",
  "noSuchName",
  "badValue",
  "readOnly",
  "genErr",
  "noAccess",
  "wrongType",
  "wrongLength",
  "wrongEncoding",
  "wrongValue",
  "noCreation",
  "inconsistentValue",
  "resourceUnavailable",
  "commitFailed",
  "undoFailed",
  "authorizationError",
  "notWritable",
  "inconsistentName",
];

export interface Community {
  community: string;
  source: string;
}

/** <package root>/catalog/credentials/snmp-communities.csv, from both src/ and dist/. */
export function communitiesFile(): string {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
  return join(root, "catalog", "credentials", "snmp-communities.csv");
}

/** One CSV line of two fields, the second possibly quoted (RFC 4180 doubled quotes). */
function twoFields(line: string): [string, string] | undefined {
  const comma = line.startsWith('"') ? line.indexOf('",') + 1 : line.indexOf(",");
  if (comma <= 0 && !line.startsWith(",")) return undefined;
  const unquote = (s: string) =>
    s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s;
  return [unquote(line.slice(0, comma)), unquote(line.slice(comma + 1))];
}

export function parseCommunities(text: string, file = "snmp-communities.csv"): Community[] {
  const lines = text.split(/\r?\n/);
  if (lines[0] !== "community,source") throw new Error(`${file}: the header must be community,source`);
  const out: Community[] = [];
  lines.slice(1).forEach((line, i) => {
    if (line === "") return;
    const f = twoFields(line);
    if (!f || !f[1]) throw new Error(`${file}:${i + 2}: expected community,source with a source`);
    out.push({ community: f[0], source: f[1] });
  });
  return out;
}

let loaded: Community[] | undefined;
export function defaultCommunities(): Community[] {
  loaded ??= parseCommunities(readFileSync(communitiesFile(), "utf8"), communitiesFile());
  return loaded;
}

/** A v1 (0) or v2c (1) GetRequest for the OIDs, each bound to NULL. */
export function getRequest(version: 0 | 1, community: string, requestId: number, oids: string[]): Buffer {
  const varbinds = seq(TAG.sequence, ...oids.map((o) => seq(TAG.sequence, oid(o), nul())));
  const pdu = seq(TAG.getRequest, int(requestId), int(0), int(0), varbinds);
  return seq(TAG.sequence, int(version), octets(community), pdu);
}

/**
 * An SNMPv3 discovery request (RFC 3414 section 4): noAuthNoPriv with the reportable flag, an
 * empty engine ID and user name, and an empty GetRequest. The agent answers with a Report.
 */
export function v3DiscoveryRequest(msgId: number, requestId: number): Buffer {
  const global = seq(TAG.sequence, int(msgId), int(65507), octets(Buffer.from([0x04])), int(3));
  const usm = seq(TAG.sequence, octets(""), int(0), int(0), octets(""), octets(""), octets(""));
  const pdu = seq(TAG.getRequest, int(requestId), int(0), int(0), seq(TAG.sequence));
  const scoped = seq(TAG.sequence, octets(""), octets(""), pdu);
  return seq(TAG.sequence, int(3), global, octets(usm), scoped);
}

export interface Pdu {
  type: number;
  requestId: number;
  errorStatus: number;
  errorIndex: number;
  varbinds: { oid: string; type: string; value: string | number }[];
}

export interface SnmpMessage {
  version: number;
  community?: string;
  pdu?: Pdu;
  usm?: { engineId: Buffer; engineBoots: number; engineTime: number; userName: string };
  msgId?: number;
}

function parsePdu(t: Tlv | undefined): Pdu {
  if (!t?.children || t.tag < 0xa0 || t.tag > 0xa8) throw new BerError("no PDU where one was expected");
  const [rid, es, ei, vbl] = t.children;
  const varbinds = (vbl?.children ?? []).slice(0, 32).map((vb) => {
    if (!vb.children || vb.children.length < 2) throw new BerError("a varbind is not a pair");
    return { oid: readOid(vb.children[0], "varbind name"), ...describeValue(vb.children[1]!) };
  });
  return {
    type: t.tag,
    requestId: readInt(rid, "request-id"),
    errorStatus: readInt(es, "error-status"),
    errorIndex: readInt(ei, "error-index"),
    varbinds,
  };
}

/** Any SNMP message: v1/v2c with community, or v3 with its USM parameters (plaintext scoped PDU only). */
export function parseSnmp(buf: Buffer): SnmpMessage {
  const top = decode(buf);
  if (top.tag !== TAG.sequence || !top.children) throw new BerError("not an SNMP message (no SEQUENCE)");
  const [ver, second, third, fourth] = top.children;
  if (ver?.tag !== TAG.integer) throw new BerError("not an SNMP message (no version)");
  const version = readInt(ver, "version");
  if (version === 0 || version === 1)
    return {
      version,
      community: readOctets(second, "community").toString("latin1"),
      pdu: parsePdu(third),
    };
  if (version !== 3) throw new BerError(`unknown SNMP version ${version}`);
  const msgId = readInt(second?.children?.[0], "msgID");
  const usmSeq = decode(readOctets(third, "msgSecurityParameters"));
  const [eid, boots, time, user] = usmSeq.children ?? [];
  const usm = {
    engineId: readOctets(eid, "msgAuthoritativeEngineID"),
    engineBoots: readInt(boots, "msgAuthoritativeEngineBoots"),
    engineTime: readInt(time, "msgAuthoritativeEngineTime"),
    userName: readOctets(user, "msgUserName").toString("latin1"),
  };
  // An encrypted scoped PDU is an OCTET STRING; only a plaintext one is read.
  const pdu = fourth?.tag === TAG.sequence ? parsePdu(fourth.children?.[2]) : undefined;
  return { version, msgId, usm, pdu };
}

const ENGINE_FORMATS: Record<number, string> = {
  1: "ipv4",
  2: "ipv6",
  3: "mac",
  4: "text",
  5: "octets",
};

/** RFC 3411 SnmpEngineID: the enterprise number, and the format when the high bit says "new style". */
export function describeEngineId(id: Buffer): { enterprise?: number; format?: string } {
  if (id.length < 5) return {};
  const enterprise = id.readUInt32BE(0) & 0x7fffffff;
  if ((id[0]! & 0x80) === 0) return { enterprise, format: "rfc1910" };
  const f = id[4]!;
  return {
    enterprise,
    format: ENGINE_FORMATS[f] ?? (f >= 128 ? `enterprise-specific (${f})` : `reserved (${f})`),
  };
}

/** The tester's work on one port. */
export async function probeSnmp(
  scope: Scope,
  target: { host: string; address: string },
  port: number,
  communities: Community[] = defaultCommunities(),
  v3Users: V3User[] = defaultV3Users(),
): Promise<SnmpData | undefined> {
  const data: SnmpData = { ...target, port, answered: false, communities: [], transcripts: [] };
  const disc = await askUdp(
    scope,
    target.address,
    port,
    v3DiscoveryRequest(0x4343, 0x4343),
    "snmp v3 discovery",
  );
  if (disc) {
    data.transcripts.push(disc.transcript);
    if (disc.outcome === "unreachable") return { ...data, reason: "port unreachable (ICMP)" };
  }
  let firstReason: string | undefined;
  let engine: { id: Buffer; boots: number; time: number } | undefined;
  if (disc?.received[0]) {
    try {
      const m = parseSnmp(disc.received[0]);
      if (m.usm) {
        const report = m.pdu?.varbinds[0]?.oid;
        data.v3 = {
          engineId: m.usm.engineId.toString("hex"),
          ...describeEngineId(m.usm.engineId),
          engineBoots: m.usm.engineBoots,
          engineTime: m.usm.engineTime,
          ...(report ? { report: REPORT_OIDS[report] ?? report } : {}),
        };
        data.answered = true;
        if (m.usm.engineId.length >= 5 && m.usm.engineId.length <= 32)
          engine = { id: m.usm.engineId, boots: m.usm.engineBoots, time: m.usm.engineTime };
      }
    } catch (e) {
      firstReason = `not SNMP: ${(e as Error).message}`;
    }
  } else if (disc) firstReason = silence(disc);

  // Every community in both versions at once: the gate paces them and bounds how many are open.
  const jobs = (["v2c", "v1"] as const).flatMap((version) =>
    communities.slice(0, 64).map((c, i) => ({
      version,
      community: c.community,
      id: (version === "v2c" ? 0x4300 : 0x4380) + i,
    })),
  );
  const answers = await Promise.all(
    jobs.map((j) =>
      askUdp(
        scope,
        target.address,
        port,
        getRequest(j.version === "v1" ? 0 : 1, j.community, j.id, [SYS_DESCR]),
        `snmp ${j.version} get sysDescr.0 with community ${JSON.stringify(j.community)}`,
      ),
    ),
  );
  // The default v3 users, once the agent named its engine (in a dry run: every request planned).
  const users = disc
    ? engine
      ? await probeV3Users(scope, target.address, port, engine, v3Users)
      : undefined
    : await probeV3Users(scope, target.address, port, undefined, v3Users);
  if (!disc) return undefined; // dry run: every datagram above was planned, none sent
  data.communities = jobs.map((j, i) => {
    const r = answers[i];
    const base = { version: j.version, community: j.community };
    if (!r) return { ...base, accepted: false, reason: "dry run" };
    data.transcripts.push(r.transcript);
    return readCommunityAnswer(base, j.id, r);
  });
  if (users) {
    data.v3Users = users.users;
    data.transcripts.push(...users.transcripts);
  }
  if (data.communities.some((r) => r.accepted)) data.answered = true;
  if (!data.answered)
    data.reason =
      data.communities.find((r) => r.reason?.startsWith("not SNMP"))?.reason ??
      firstReason ??
      "no answer (timeout)";
  return data;
}

function readCommunityAnswer(
  base: { version: "v1" | "v2c"; community: string },
  requestId: number,
  r: UdpExchangeResult,
): SnmpCommunityResult {
  const d = r.received[0];
  if (!d) return { ...base, accepted: false, reason: silence(r) };
  try {
    const m = parseSnmp(d);
    if (m.pdu?.type !== TAG.response || m.pdu.requestId !== requestId)
      return { ...base, accepted: false, reason: "an SNMP message that does not answer the request" };
    const descr = m.pdu.varbinds.find((v) => v.oid === SYS_DESCR && v.type === "octets");
    return {
      ...base,
      accepted: true,
      ...(descr ? { sysDescr: String(descr.value).slice(0, 300) } : {}),
      ...(m.pdu.errorStatus !== 0
        ? { errorStatus: ERROR_STATUS[m.pdu.errorStatus] ?? String(m.pdu.errorStatus) }
        : {}),
    };
  } catch (e) {
    return { ...base, accepted: false, reason: `not SNMP: ${(e as Error).message}` };
  }
}

export const snmpTester: TargetTester = {
  id: "snmp",
  version: "0.2.0",
  kind: "probe.snmp",
  description:
    "SNMP on UDP 161: v3 engine discovery, GetRequest sysDescr.0 as each default v3 user of catalog/credentials/snmp-v3-users.csv (noAuthNoPriv or authNoPriv), and in v1 and v2c with the default communities of catalog/credentials/snmp-communities.csv",
  async run(scope, target, opts) {
    const out: TesterOutput[] = [];
    for (const port of udpPortsFor(opts, "snmp")) {
      const data = await probeSnmp(scope, target, port);
      if (data) out.push({ location: udpWhere(target.address, port), data });
    }
    return out;
  },
};
