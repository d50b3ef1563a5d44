// Table tests for the UDP checks: probe.snmp-default-community, probe.snmp-v3-default-user and
// probe.coap-unauthenticated.
import { probeCoapUnauthenticated } from "../../../src/checks/probe-coap-unauthenticated.js";
import { probeSnmpDefaultCommunity } from "../../../src/checks/probe-snmp-default-community.js";
import { probeSnmpV3DefaultUser } from "../../../src/checks/probe-snmp-v3-default-user.js";
import type {
  CoapData,
  SnmpCommunityResult,
  SnmpData,
  SnmpV3UserAttempt,
} from "../../../src/evidence/probe-udp.js";
import { checkTable } from "../../helpers/check-table.js";
import { ev } from "../../helpers/evidence.js";

const base = { host: "cam", address: "10.0.0.5", transcripts: [] };
const v3 = {
  engineId: "80001f888001",
  enterprise: 8072,
  format: "enterprise-specific (128)",
  engineBoots: 3,
  engineTime: 60,
};
const refused = (community: string, version: "v1" | "v2c" = "v2c"): SnmpCommunityResult => ({
  version,
  community,
  accepted: false,
  reason: "no answer (timeout)",
});
const snmp = (d: Partial<SnmpData>) =>
  ev<SnmpData>("probe.snmp", { ...base, port: 161, answered: true, communities: [], ...d }, "device");
const coap = (d: Partial<CoapData>) =>
  ev<CoapData>(
    "probe.coap",
    { ...base, port: 5683, answered: true, resources: [], reads: [], ...d },
    "device",
  );

checkTable(probeSnmpDefaultCommunity, {
  valid: [
    {
      name: "a v3 agent refusing every default community",
      evidence: [snmp({ v3, communities: [refused("public"), refused("private"), refused("public", "v1")] })],
      expect: [
        {
          status: "pass",
          message:
            "The SNMP agent on cam port 161/udp answered an SNMPv3 discovery but none of the 2 default communities tried in v1 and v2c.",
          requirements: ["AUTH-01"],
        },
      ],
    },
  ],
  invalid: [
    {
      name: "public in both versions, private in v2c, and the empty community",
      evidence: [
        snmp({
          communities: [
            { version: "v2c", community: "public", accepted: true, sysDescr: "Linux cam 4.9" },
            { version: "v2c", community: "private", accepted: true, errorStatus: "noSuchName" },
            { version: "v1", community: "public", accepted: true, sysDescr: "Linux cam 4.9" },
            { version: "v1", community: "", accepted: true },
          ],
        }),
      ],
      expect: [
        {
          status: "fail",
          message:
            'The SNMP agent on cam port 161/udp answers the default communities "public" (v1, v2c) and "private" (v2c) and the empty community (v1) (sysDescr "Linux cam 4.9"): anyone on the network can read its management data with a password every unit shares.',
          requirements: ["AUTH-01"],
        },
      ],
    },
  ],
  silent: [
    {
      name: "nothing answered",
      evidence: [snmp({ answered: false, reason: "no answer (timeout)", communities: [refused("public")] })],
      expect: [],
    },
    {
      name: "no v3 proof that an agent is there",
      evidence: [snmp({ communities: [refused("public")] })],
      expect: [],
    },
    { name: "a closed port", evidence: [snmp({ answered: false, v3, communities: [] })], expect: [] },
  ],
});

const row = (
  user: string,
  auth: SnmpV3UserAttempt["auth"],
  password: string,
  verdict: SnmpV3UserAttempt["verdict"],
  more: Partial<SnmpV3UserAttempt> = {},
): SnmpV3UserAttempt => ({
  user,
  auth,
  password,
  source: "Vendor Guide p.4: default user; https://example.invalid/guide | Other manual",
  verdict,
  ...more,
});
const users = (attempts: SnmpV3UserAttempt[], acceptsAnything = false) =>
  snmp({ v3, v3Users: { acceptsAnything, sent: attempts.length + 1, attempts } });

checkTable(probeSnmpV3DefaultUser, {
  valid: [
    {
      name: "every default user refused with a Report",
      evidence: [
        users([
          row("initial", "none", "", "refused", { report: "usmStatsUnknownUserNames" }),
          row("initial", "MD5", "initial", "skipped", { note: "the agent does not know this user" }),
          row("admin", "none", "", "refused", { errorStatus: "authorizationError" }),
          row("admin", "SHA", "password", "refused", { report: "usmStatsWrongDigests" }),
        ]),
      ],
      expect: [
        {
          status: "pass",
          message:
            "The SNMPv3 agent on cam port 161/udp let in none of the 2 default users tried (3 requests refused: 1 authorizationError, 1 usmStatsUnknownUserNames, 1 usmStatsWrongDigests).",
          requirements: ["AUTH-01"],
        },
      ],
    },
    {
      name: "some requests unanswered: not judged",
      evidence: [
        users([
          row("initial", "none", "", "refused", { report: "usmStatsUnknownUserNames" }),
          row("admin", "MD5", "password", "no-answer", { note: "no answer (timeout)" }),
        ]),
      ],
      expect: [
        {
          status: "info",
          message:
            "Could not judge 1 of the 2 default SNMPv3 user requests on cam port 161/udp: no answer (timeout).",
        },
      ],
    },
  ],
  invalid: [
    {
      name: "a user without authentication and a documented SHA password",
      evidence: [
        users([
          row("initial", "none", "", "accepted", { sysDescr: "Linux cam 4.9" }),
          row("adminsha", "SHA", "adminsha", "accepted", { errorStatus: "authorizationError" }),
        ]),
      ],
      expect: [
        {
          status: "fail",
          message:
            'The SNMPv3 agent on cam port 161/udp answers the default users "initial" without authentication (Vendor Guide p.4) and "adminsha" with the SHA password "adminsha" (Vendor Guide p.4) (sysDescr "Linux cam 4.9"): anyone who reads the vendor\'s manual can query it.',
          requirements: ["AUTH-01"],
        },
      ],
    },
    {
      name: "any user name let in",
      evidence: [users([], true)],
      expect: [
        {
          status: "fail",
          message:
            "The SNMPv3 agent on cam port 161/udp answers a random user name without authentication: any user is let in, so no default user was judged.",
        },
      ],
    },
  ],
  silent: [
    { name: "no engine, no user tried", evidence: [snmp({ v3 })], expect: [] },
    {
      name: "every row skipped",
      evidence: [users([row("initial", "MD5", "initial", "skipped", { note: "x" })])],
      expect: [],
    },
  ],
});

checkTable(probeCoapUnauthenticated, {
  valid: [
    {
      name: "discovery refused",
      evidence: [coap({ code: "4.01" })],
      expect: [
        {
          status: "pass",
          message: "The CoAP server on cam port 5683/udp refuses anonymous resource discovery (4.01).",
        },
      ],
    },
    {
      name: "every resource refused",
      evidence: [coap({ code: "2.05", reads: [{ path: "/a", code: "4.03", bytes: 0 }] })],
      expect: [
        {
          status: "pass",
          message:
            "The CoAP server on cam port 5683/udp refuses every listed resource to an anonymous client (1 read, 4.03).",
          requirements: ["AUTH-06"],
        },
      ],
    },
  ],
  invalid: [
    {
      name: "six open resources, five named",
      evidence: [
        coap({
          code: "2.05",
          reads: ["/a", "/b", "/c", "/d", "/e", "/f"].map((path) => ({ path, code: "2.05", bytes: 3 })),
        }),
      ],
      expect: [
        {
          status: "fail",
          message:
            "The CoAP server on cam port 5683/udp serves 6 resources to an anonymous client without DTLS (/a, /b, /c, /d, /e, ...).",
        },
      ],
    },
  ],
  silent: [
    { name: "no answer", evidence: [coap({ answered: false, reason: "no answer (timeout)" })], expect: [] },
    { name: "discovery only, nothing listed", evidence: [coap({ code: "2.05" })], expect: [] },
    {
      name: "reads that timed out",
      evidence: [coap({ code: "2.05", reads: [{ path: "/a", reason: "no answer (timeout)" }] })],
      expect: [],
    },
  ],
});
