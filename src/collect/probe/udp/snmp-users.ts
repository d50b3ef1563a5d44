// SNMPv3 default users: after the engine discovery gave the agent's engine ID, boots and time, one
// GetRequest for sysDescr.0 per row of catalog/credentials/snmp-v3-users.csv: noAuthNoPriv for
// rows without a password, authNoPriv (HMAC-MD5-96 or HMAC-SHA-96 with the documented password
// localized to this engine) for the others. A random user name goes first: an agent that answers
// it accepts any user, and no default user would mean anything. The answer decides: a Response
// (for authNoPriv, one that carries the right HMAC) logs in; a Report names the usmStats counter
// that refused (unknown user, wrong digest, unsupported level); a notInTimeWindow Report brings
// the agent's clock and the request is sent once more.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Scope } from "../scope.js";
import type { SnmpV3UserAttempt, SnmpV3UsersData } from "../../../evidence/probe-udp.js";
import type { Transcript } from "../../../evidence/probe.js";
import { describeValue, TAG } from "./ber.js";
import { askUdp, silence } from "./common.js";
import { readV3, userKey, v3GetRequest, verifyAuth, type AuthProtocol, type V3Message } from "./usm.js";

export interface V3User {
  user: string;
  auth: "none" | AuthProtocol;
  password: string;
  source: string;
}

const SYS_DESCR = "1.3.6.1.2.1.1.1.0";

/** The Report counters of RFC 3414 section 5 (usmStats) and RFC 3412 (snmpUnknownPDUHandlers ...). */
const REPORTS: Record<string, string> = {
  "1.3.6.1.6.3.15.1.1.1.0": "usmStatsUnsupportedSecLevels",
  "1.3.6.1.6.3.15.1.1.2.0": "usmStatsNotInTimeWindows",
  "1.3.6.1.6.3.15.1.1.3.0": "usmStatsUnknownUserNames",
  "1.3.6.1.6.3.15.1.1.4.0": "usmStatsUnknownEngineIDs",
  "1.3.6.1.6.3.15.1.1.5.0": "usmStatsWrongDigests",
  "1.3.6.1.6.3.15.1.1.6.0": "usmStatsDecryptionErrors",
  "1.3.6.1.6.3.11.2.1.1.0": "snmpUnknownSecurityModels",
  "1.3.6.1.6.3.11.2.1.2.0": "snmpInvalidMsgs",
  "1.3.6.1.6.3.11.2.1.3.0": "snmpUnknownPDUHandlers",
};

/** error-status 16 (RFC 3416): the request was understood but the user's view does not allow it. */
const AUTHORIZATION_ERROR = 16;

/** At most this many rows are tried per agent. */
export const MAX_V3_ROWS = 64;

/** <package root>/catalog/credentials/snmp-v3-users.csv, from both src/ and dist/. */
export function v3UsersFile(): string {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
  return join(root, "catalog", "credentials", "snmp-v3-users.csv");
}

/** RFC 4180 fields of one line: quoted fields may hold commas and doubled quotes. */
function fields(line: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let f = "";
    if (line[i] === '"') {
      for (i++; i < line.length; i++) {
        if (line[i] === '"' && line[i + 1] === '"') f += line[i++];
        else if (line[i] === '"') break;
        else f += line[i];
      }
      if (line[i] !== '"') return undefined; // an unclosed quote
      i++;
    } else {
      const end = line.indexOf(",", i);
      f = line.slice(i, end < 0 ? line.length : end);
      i = end < 0 ? line.length : end;
    }
    out.push(f);
    if (i >= line.length) return out;
    if (line[i] !== ",") return undefined;
    i++;
  }
}

export function parseV3Users(text: string, file = "snmp-v3-users.csv"): V3User[] {
  const lines = text.split(/\r?\n/);
  if (lines[0] !== "user,auth,password,source")
    throw new Error(`${file}: the header must be user,auth,password,source`);
  const out: V3User[] = [];
  lines.slice(1).forEach((line, i) => {
    if (line === "") return;
    const f = fields(line);
    const where = `${file}:${i + 2}`;
    if (!f || f.length !== 4 || !f[0] || !f[3])
      throw new Error(`${where}: expected user,auth,password,source with a user and a source`);
    const [user, auth, password, source] = f as [string, string, string, string];
    if (auth !== "none" && auth !== "MD5" && auth !== "SHA")
      throw new Error(`${where}: auth must be none, MD5 or SHA, not "${auth}"`);
    if (auth === "none" && password !== "")
      throw new Error(`${where}: a user without authentication has no password`);
    if (auth !== "none" && password === "")
      throw new Error(`${where}: ${auth} needs the documented password`);
    out.push({ user, auth, password, source });
  });
  return out;
}

let loaded: V3User[] | undefined;
export function defaultV3Users(): V3User[] {
  loaded ??= parseV3Users(readFileSync(v3UsersFile(), "utf8"), v3UsersFile());
  return loaded;
}

export interface Engine {
  id: Buffer;
  boots: number;
  time: number;
}

interface Sent {
  answer?: {
    verdict: SnmpV3UserAttempt["verdict"];
    report?: string;
    errorStatus?: number;
    sysDescr?: string;
    note?: string;
    m?: V3Message;
  };
  transcript?: Transcript;
  planned: boolean;
}

/**
 * Tries the users on one agent. `engine` comes from the discovery; undefined in a dry run, where
 * every request the list could need is planned instead (the most that would be sent).
 */
export async function probeV3Users(
  scope: Scope,
  address: string,
  port: number,
  engine: Engine | undefined,
  users: V3User[] = defaultV3Users(),
): Promise<{ users: SnmpV3UsersData; transcripts: Transcript[] } | undefined> {
  const rows = users.slice(0, MAX_V3_ROWS);
  const transcripts: Transcript[] = [];
  let ids = 0x5500 + (randomBytes(2).readUInt16BE(0) & 0x0fff);
  const started = Date.now();
  // The agent's clock as last learned; a notInTimeWindow Report updates it.
  const clock = engine ? { boots: engine.boots, time: engine.time, at: started } : undefined;
  const data: SnmpV3UsersData = { acceptsAnything: false, sent: 0, attempts: [] };

  const ask = async (row: Pick<V3User, "user" | "auth" | "password">, retried = false): Promise<Sent> => {
    const id = ids++;
    const key = engine && row.auth !== "none" ? userKey(row.password, row.auth, engine.id) : undefined;
    const now = clock ? clock.time + Math.floor((Date.now() - clock.at) / 1000) : 0;
    const msg = v3GetRequest({
      msgId: id,
      requestId: id,
      engineId: engine?.id ?? Buffer.alloc(0),
      engineBoots: clock?.boots ?? 0,
      engineTime: now,
      user: row.user,
      ...(key && row.auth !== "none" ? { auth: { protocol: row.auth, key } } : {}),
      oids: [SYS_DESCR],
    });
    const level = row.auth === "none" ? "noAuthNoPriv" : `authNoPriv ${row.auth}`;
    const r = await askUdp(
      scope,
      address,
      port,
      msg,
      `snmp v3 get sysDescr.0 as ${JSON.stringify(row.user)} (${level})`,
    );
    if (!r) return { planned: true };
    data.sent++;
    transcripts.push(r.transcript);
    const d = r.received[0];
    if (!d)
      return { answer: { verdict: "no-answer", note: silence(r) }, transcript: r.transcript, planned: false };
    let m: V3Message;
    try {
      m = readV3(d);
    } catch (e) {
      return { answer: { verdict: "error", note: `not SNMPv3: ${(e as Error).message}` }, planned: false };
    }
    if (m.msgId !== id)
      return { answer: { verdict: "error", note: "an answer to another request" }, planned: false };
    if (m.pdu?.type === TAG.report) {
      const oid = m.pdu.varbinds[0]?.oid ?? "";
      const report = REPORTS[oid] ?? (oid || "an empty Report");
      if (report === "usmStatsNotInTimeWindows" && key && clock && !retried) {
        // RFC 3414 section 4: the Report carries the agent's boots and time; resend once with them.
        clock.boots = m.engineBoots;
        clock.time = m.engineTime;
        clock.at = Date.now();
        return ask(row, true);
      }
      return { answer: { verdict: "refused", report, m }, planned: false };
    }
    if (m.pdu?.type !== TAG.response || m.pdu.requestId !== id)
      return {
        answer: { verdict: "error", note: "neither a Response nor a Report to the request", m },
        planned: false,
      };
    if (key && row.auth !== "none" && !verifyAuth(d, m, key, row.auth))
      return {
        answer: { verdict: "error", note: "a Response without the HMAC of this password", m },
        planned: false,
      };
    const descr = m.pdu.varbinds.find((v) => v.oid === SYS_DESCR && v.value.tag === TAG.octetString);
    return {
      answer: {
        verdict: "accepted",
        errorStatus: m.pdu.errorStatus,
        ...(descr ? { sysDescr: String(describeValue(descr.value).value).slice(0, 300) } : {}),
        m,
      },
      planned: false,
    };
  };

  // 1. A random user, no authentication: answered with data means any user name is let in.
  const canary = await ask({ user: `concord-${randomBytes(4).toString("hex")}`, auth: "none", password: "" });
  if (
    !canary.planned &&
    canary.answer?.verdict === "accepted" &&
    canary.answer.errorStatus !== AUTHORIZATION_ERROR
  ) {
    data.acceptsAnything = true;
    data.canary = "answered with data: the agent lets any user name in";
    return { users: data, transcripts };
  }
  if (canary.answer) data.canary = canary.answer.report ?? canary.answer.note ?? canary.answer.verdict;

  // 2. The rows, one user after another in parallel (the scope paces them); a user's rows in order.
  const byUser = new Map<string, V3User[]>();
  for (const r of rows) byUser.set(r.user, [...(byUser.get(r.user) ?? []), r]);
  const results = new Map<V3User, SnmpV3UserAttempt>();
  let planned = false;
  await Promise.all(
    [...byUser.values()].map(async (list) => {
      let done: string | undefined;
      for (const row of list) {
        const base = { user: row.user, auth: row.auth, password: row.password, source: row.source };
        if (done) {
          results.set(row, { ...base, verdict: "skipped", note: done });
          continue;
        }
        const s = await ask(row);
        if (s.planned) {
          planned = true;
          continue;
        }
        const a = s.answer!;
        const rec: SnmpV3UserAttempt = { ...base, verdict: a.verdict };
        if (a.report) rec.report = a.report;
        if (a.note) rec.note = a.note;
        if (a.sysDescr) rec.sysDescr = a.sysDescr;
        if (a.errorStatus)
          rec.errorStatus =
            a.errorStatus === AUTHORIZATION_ERROR ? "authorizationError" : String(a.errorStatus);
        if (a.verdict === "accepted" && row.auth === "none" && a.errorStatus === AUTHORIZATION_ERROR) {
          // The user exists (its name got past USM) but its view refuses unauthenticated requests.
          rec.verdict = "refused";
          rec.note = "the user exists; its access needs authentication";
        }
        results.set(row, rec);
        if (rec.verdict === "accepted") done = "the user already answered";
        else if (rec.report === "usmStatsUnknownUserNames") done = "the agent does not know this user";
      }
    }),
  );
  if (planned) return undefined; // dry run
  data.attempts = rows.map((r) => results.get(r)!);
  return { users: data, transcripts };
}
