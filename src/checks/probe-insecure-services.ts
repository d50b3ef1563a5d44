// SURF-05 from a live probe: Telnet or FTP answering on the device fails; a finished scan of a
// target that found neither passes (for the ports scanned).
import { PROBE, type ScanData, type ServiceData } from "../evidence/probe.js";
import { finding, type Check, type CheckMeta, type Finding } from "./types.js";

const meta: CheckMeta = {
  id: "probe.insecure-services",
  title: "No Telnet or FTP answers on the device",
  description:
    "Reads the services a live probe identified on the device's open TCP ports. Fails for each port where Telnet or FTP answers (both send logins in clear text). Passes for each scanned target where the scan finished and neither answered on the ports scanned.",
  requirements: ["SURF-05"],
  severity: "high",
  reads: [PROBE.service, PROBE.scan],
  remediation:
    "Turn Telnet and FTP off in the shipped configuration (and remove them from the firmware); offer SSH with key-based login and SFTP instead.",
};

const CLEAR: Record<string, { name: string; fix: string }> = {
  telnet: {
    name: "Telnet",
    fix: "Stop telnetd on the device (and remove it from the firmware); offer SSH with key-based login instead.",
  },
  ftp: { name: "FTP", fix: "Stop the FTP server on the device, or replace it with SFTP over SSH." },
};

export const probeInsecureServices: Check = {
  meta,
  evaluate(evidence) {
    const services = evidence.ofKind<ServiceData>(PROBE.service);
    const out: Finding[] = [];
    for (const e of services) {
      const c = CLEAR[e.data.service];
      if (!c) continue;
      const banner = e.data.banner ? ` ("${e.data.banner}")` : "";
      out.push(
        finding(
          meta,
          "fail",
          `${c.name} answers on ${e.data.host} port ${e.data.port}${banner}: it sends logins in clear text.`,
          [e.id],
          { remediation: c.fix },
        ),
      );
    }
    for (const scan of evidence.ofKind<ScanData>(PROBE.scan)) {
      if (scan.data.dryRun || scan.data.stoppedBy) continue;
      for (const t of scan.data.targets.filter((d) => d.allowed)) {
        const mine = services.filter((s) => s.data.address === t.address);
        if (mine.some((s) => CLEAR[s.data.service])) continue;
        const unknown = mine.filter((s) => s.data.service === "unknown").length;
        out.push(
          finding(
            meta,
            "pass",
            `Neither Telnet nor FTP answers on ${t.target} (${scan.data.portCount} TCP ports scanned${unknown ? `; ${unknown} open port${unknown === 1 ? "" : "s"} not identified` : ""}).`,
            [scan.id, ...mine.map((s) => s.id)],
          ),
        );
      }
    }
    return out;
  },
};
