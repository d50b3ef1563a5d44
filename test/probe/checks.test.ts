// Table tests for the probe checks.
import { probeInsecureServices } from "../../src/checks/probe-insecure-services.js";
import { probeMqttAnonymous } from "../../src/checks/probe-mqtt-anonymous.js";
import type { ScanData, ServiceData } from "../../src/evidence/probe.js";
import { checkTable } from "../helpers/check-table.js";
import { ev } from "../helpers/evidence.js";

const svc = (service: string, port: number, detail: Record<string, unknown> = {}, banner?: string) =>
  ev<ServiceData>(
    "probe.service",
    { host: "cam", address: "10.0.0.5", port, service, banner, detail, transcripts: [] },
    "device",
  );
const scan = (extra: Partial<ScanData> = {}) =>
  ev<ScanData>(
    "probe.scan",
    {
      targets: [
        { target: "cam", address: "10.0.0.5", range: "private", allowed: true, reason: "private address" },
      ],
      ports: "default",
      portCount: 27,
      dryRun: false,
      limits: { rate: 20, concurrency: 8, timeoutMs: 2000, budgetMs: 300000 },
      counts: { open: 1, closed: 26, filtered: 0, notScanned: 0 },
      ...extra,
    },
    "device",
  );

checkTable(probeInsecureServices, {
  valid: [
    {
      name: "scanned, only SSH answers",
      evidence: [scan(), svc("ssh", 22)],
      expect: [
        {
          status: "pass",
          message: "Neither Telnet nor FTP answers on cam (27 TCP ports scanned).",
          requirements: ["SURF-05"],
        },
      ],
    },
    {
      name: "an open port not identified is said",
      evidence: [scan(), svc("unknown", 9999)],
      expect: [
        {
          status: "pass",
          message:
            "Neither Telnet nor FTP answers on cam (27 TCP ports scanned; 1 open port not identified).",
        },
      ],
    },
  ],
  invalid: [
    {
      name: "telnet on 2323",
      evidence: [scan(), svc("telnet", 2323, {}, "camera login:")],
      expect: [
        {
          status: "fail",
          message: 'Telnet answers on cam port 2323 ("camera login:"): it sends logins in clear text.',
        },
      ],
    },
    {
      name: "ftp",
      evidence: [svc("ftp", 21)],
      expect: [{ status: "fail", message: "FTP answers on cam port 21: it sends logins in clear text." }],
    },
  ],
  silent: [
    { name: "no scan", evidence: [], expect: [] },
    { name: "dry run", evidence: [scan({ dryRun: true })], expect: [] },
    {
      name: "scan stopped by the budget",
      evidence: [scan({ stoppedBy: "time budget of 1 ms spent" })],
      expect: [],
    },
  ],
});

checkTable(probeMqttAnonymous, {
  valid: [
    {
      name: "broker refuses anonymous",
      evidence: [svc("mqtt", 1883, { anonymous: false, returnCode: 5, meaning: "not authorized" })],
      expect: [
        {
          status: "pass",
          message: "The MQTT broker on cam port 1883 refuses an anonymous CONNECT (not authorized).",
        },
      ],
    },
  ],
  invalid: [
    {
      name: "broker accepts anonymous",
      evidence: [svc("mqtt", 1883, { anonymous: true, returnCode: 0, meaning: "accepted" })],
      expect: [
        {
          status: "fail",
          message:
            "The MQTT broker on cam port 1883 accepts an anonymous CONNECT: anyone on the network can subscribe and publish.",
          requirements: ["AUTH-06"],
        },
      ],
    },
  ],
  silent: [{ name: "no mqtt", evidence: [svc("http", 80)], expect: [] }],
});
