// AUTH-01 from a live probe: an SNMP community is a password shared by every unit that ships with
// it, so an agent answering a default community ("public", "private", ...) is a universal default
// credential. A pass needs proof that an agent is there (it answered the SNMPv3 discovery) and
// refused every default community; silence from the port decides nothing.
import { PROBE } from "../evidence/probe.js";
import type { SnmpData } from "../evidence/probe-udp.js";
import { finding, type Check, type CheckMeta } from "./types.js";

const meta: CheckMeta = {
  id: "probe.snmp-default-community",
  title: "SNMP agents on the device refuse default communities",
  description:
    "Reads the SNMP probes of the device's UDP ports (a GetRequest for sysDescr.0 in SNMPv1 and v2c with each default community of catalog/credentials/snmp-communities.csv, and an SNMPv3 engine discovery). Fails when the agent answers a default community; passes when an agent that answered the SNMPv3 discovery answered none of them.",
  requirements: ["AUTH-01"],
  severity: "critical",
  reads: [PROBE.snmp],
  remediation:
    "Ship SNMP off, or with SNMPv1/v2c disabled and SNMPv3 users (authPriv) created per unit at commissioning; if v2c must stay, require the user to set a community unique to the unit, and never answer public, private or an empty community.",
};

const shown = (c: string) => (c === "" ? "the empty community" : `"${c}"`);

export const probeSnmpDefaultCommunity: Check = {
  meta,
  evaluate(evidence) {
    return evidence.ofKind<SnmpData>(PROBE.snmp).flatMap((e) => {
      const d = e.data;
      const where = `${d.host} port ${d.port}/udp`;
      const accepted = new Map<string, string[]>();
      for (const c of d.communities.filter((x) => x.accepted))
        accepted.set(c.community, [...(accepted.get(c.community) ?? []), c.version]);
      if (accepted.size > 0) {
        const list = [...accepted].map(([c, v]) => `${shown(c)} (${v.sort().join(", ")})`).join(" and ");
        const descr = d.communities.find((c) => c.sysDescr)?.sysDescr;
        return [
          finding(
            meta,
            "fail",
            `The SNMP agent on ${where} answers the default communit${accepted.size === 1 ? "y" : "ies"} ${list}${descr ? ` (sysDescr "${descr}")` : ""}: anyone on the network can read its management data with a password every unit shares.`,
            [e.id],
          ),
        ];
      }
      const tried = new Set(
        d.communities.filter((c) => !c.reason?.startsWith("dry run")).map((c) => c.community),
      );
      if (!d.v3 || tried.size === 0) return [];
      return [
        finding(
          meta,
          "pass",
          `The SNMP agent on ${where} answered an SNMPv3 discovery but none of the ${tried.size} default communities tried in v1 and v2c.`,
          [e.id],
        ),
      ];
    });
  },
};
