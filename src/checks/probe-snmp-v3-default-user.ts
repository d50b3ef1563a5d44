// AUTH-01 from a live probe: an SNMPv3 user that ships with every unit (a user without
// authentication, or one whose documented default password authenticates) is a universal default
// credential, as a default community is for v1/v2c. The probe asked sysDescr.0 as each default user
// of catalog/credentials/snmp-v3-users.csv after a random user that must be refused; an answer for
// an authenticated user carried the HMAC of the documented password, so the password is proven.
import { PROBE } from "../evidence/probe.js";
import type { SnmpData, SnmpV3UserAttempt } from "../evidence/probe-udp.js";
import { finding, type Check, type CheckMeta } from "./types.js";

const meta: CheckMeta = {
  id: "probe.snmp-v3-default-user",
  title: "SNMPv3 agents on the device refuse default users",
  description:
    "Reads the SNMP probes of the device's UDP ports: after the engine discovery, a GetRequest for sysDescr.0 as a random user and as each default SNMPv3 user of catalog/credentials/snmp-v3-users.csv (noAuthNoPriv, or authNoPriv with the documented MD5 or SHA password). Fails when a default user gets an answer or when any user name is let in; passes when the agent refused every one with a Report; informs when some got no answer.",
  requirements: ["AUTH-01"],
  severity: "critical",
  reads: [PROBE.snmp],
  remediation:
    "Ship no SNMPv3 user: create users (authPriv, SHA-2 and AES where the agent supports them) per unit at commissioning or have the user create them, and delete the vendor's default users and their documented passwords from the firmware.",
};

const ANYTHING_FIX =
  "Make the agent check user names: a USM that answers an unknown user without authentication has no access control. Refuse unknown users with usmStatsUnknownUserNames and require authPriv users created per unit.";

/** "ExtremeWare XOS 10.1 Concepts Guide p.43": the first source, up to its first colon. */
function shortV3Source(source: string): string {
  return source.split("|")[0]!.split(";")[0]!.split(":")[0]!.trim();
}

function userText(a: SnmpV3UserAttempt): string {
  const how =
    a.auth === "none"
      ? "without authentication"
      : `with the ${a.auth} password ${JSON.stringify(a.password)}`;
  return `${JSON.stringify(a.user)} ${how} (${shortV3Source(a.source)})`;
}

export const probeSnmpV3DefaultUser: Check = {
  meta,
  evaluate(evidence) {
    return evidence.ofKind<SnmpData>(PROBE.snmp).flatMap((e) => {
      const u = e.data.v3Users;
      if (!u) return [];
      const where = `${e.data.host} port ${e.data.port}/udp`;
      if (u.acceptsAnything)
        return [
          finding(
            meta,
            "fail",
            `The SNMPv3 agent on ${where} answers a random user name without authentication: any user is let in, so no default user was judged.`,
            [e.id],
            { remediation: ANYTHING_FIX },
          ),
        ];
      const accepted = u.attempts.filter((a) => a.verdict === "accepted");
      if (accepted.length) {
        const descr = accepted.find((a) => a.sysDescr)?.sysDescr;
        return [
          finding(
            meta,
            "fail",
            `The SNMPv3 agent on ${where} answers the default user${accepted.length === 1 ? "" : "s"} ${accepted.map(userText).join(" and ")}${descr ? ` (sysDescr "${descr}")` : ""}: anyone who reads the vendor's manual can query it.`,
            [e.id],
          ),
        ];
      }
      const asked = u.attempts.filter((a) => a.verdict !== "skipped");
      const unjudged = asked.filter((a) => a.verdict === "no-answer" || a.verdict === "error");
      const users = new Set(u.attempts.map((a) => a.user)).size;
      if (asked.length === 0) return [];
      if (unjudged.length) {
        const why = [...new Set(unjudged.map((a) => a.note ?? a.verdict))].slice(0, 3).join("; ");
        return [
          finding(
            meta,
            "info",
            `Could not judge ${unjudged.length} of the ${asked.length} default SNMPv3 user requests on ${where}: ${why}.`,
            [e.id],
          ),
        ];
      }
      const counts = new Map<string, number>();
      for (const a of asked) {
        const k = a.report ?? a.errorStatus ?? "refused";
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      const breakdown = [...counts]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([k, n]) => `${n} ${k}`)
        .join(", ");
      return [
        finding(
          meta,
          "pass",
          `The SNMPv3 agent on ${where} let in none of the ${users} default users tried (${asked.length} requests refused: ${breakdown}).`,
          [e.id],
        ),
      ];
    });
  },
};
