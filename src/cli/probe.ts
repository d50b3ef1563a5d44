// concord probe <target...>   scoped, polite live testing: TCP connect scan and service identification
import type { Command } from "commander";
import type { IdentifiedFinding } from "../assess/types.js";
import { CHECKS } from "../checks/index.js";
import { credentialOptions } from "../collect/probe/creds/options.js";
import { runProbe, type ProbeResult } from "../collect/probe/run.js";
import { DEFAULT_LIMITS, ScopeError } from "../collect/probe/scope.js";
import { parseUdpPorts } from "../collect/probe/udp/common.js";
import { EvidenceIndex } from "../evidence/types.js";
import { today } from "../util/dates.js";
import { UsageError } from "../util/problems.js";

interface ProbeFlags {
  ports?: string;
  allowPublic?: boolean;
  dryRun?: boolean;
  rate: string;
  concurrency: string;
  timeout: string;
  budget: string;
  identify: boolean;
  skip?: string;
  udpPorts?: string;
  maxLogins?: string;
  loginConcurrency?: string;
  credentials?: string;
  json?: boolean;
  asOf?: string;
}

function num(name: string, v: string): number {
  const n = Number(v);
  if (!(Number.isFinite(n) && n > 0)) throw new UsageError(`--${name} takes a positive number, not "${v}"`);
  return n;
}

function summary(r: ProbeResult, findings: IdentifiedFinding[]): string {
  const out: string[] = [];
  for (const d of r.scan.targets)
    out.push(
      `${d.allowed ? "scope" : "REFUSED"}  ${d.target}${d.address && d.address !== d.target ? ` (${d.address})` : ""}: ${d.reason}`,
    );
  const c = r.scan.counts;
  out.push(
    `${r.scan.portCount} TCP ports per target, ${r.scope.connections} connections: ${c.open} open, ${c.closed} closed, ${c.filtered} filtered${c.notScanned ? `, ${c.notScanned} not scanned` : ""}`,
  );
  if (r.scan.stoppedBy) out.push(`! stopped: ${r.scan.stoppedBy}`);
  for (const p of r.ports.filter((x) => x.state !== "closed")) {
    const s = r.services.find((x) => x.address === p.address && x.port === p.port);
    const what = s
      ? `${s.service}${s.banner ? `  ${s.banner}` : ""}${s.service === "unknown" ? `  ${String(s.detail.reason)}` : ""}`
      : "";
    out.push(
      `  ${p.host}:${p.port}/tcp  ${p.state}${p.reason && p.state !== "open" ? ` (${p.reason})` : ""}  ${what}`,
    );
  }
  out.push("");
  for (const f of findings.filter((x) => x.status === "fail" || x.status === "pass"))
    out.push(
      `${f.status === "fail" ? "FAIL" : "pass"}  ${f.check} (${f.requirements.join(", ")})  ${f.message}`,
    );
  return out.join("\n");
}

export function registerProbe(program: Command): void {
  program
    .command("probe")
    .description(
      "test a live device you own: TCP connect scan and service identification, only on the hosts named, private and loopback addresses only unless --allow-public",
    )
    .argument("<targets...>", "host names or IPv4/IPv6 addresses, each named on its own (no ranges)")
    .option("--ports <list>", "ports and ranges, e.g. 1-1024,8080 (default: a list of common IoT ports)")
    .option("--allow-public", "allow targets outside loopback and private ranges (only devices you may test)")
    .option("--dry-run", "print every connection that would be made, and make none")
    .option("--rate <n>", "new connections per second", String(DEFAULT_LIMITS.rate))
    .option("--concurrency <n>", "connections open at once", String(DEFAULT_LIMITS.concurrency))
    .option("--timeout <ms>", "per connection and per read", String(DEFAULT_LIMITS.timeoutMs))
    .option("--budget <seconds>", "total time the probe may take", String(DEFAULT_LIMITS.budgetMs / 1000))
    .option("--no-identify", "scan only; do not talk to open ports")
    .option("--skip <testers>", "comma-separated tester ids not to run (see docs/probe.md)")
    .option(
      "--udp-ports <list>",
      "UDP ports per protocol, e.g. snmp=161,snmp=1161,coap=5683 (default ssdp=1900,mdns=5353,snmp=161,coap=5683)",
    )
    .option("--max-logins <n>", "credential test: logins per service at most (default 20)")
    .option(
      "--login-concurrency <n>",
      "credential test: dictionary logins in flight at once per service (default 4; 1 for one at a time)",
    )
    .option(
      "--credentials <file>",
      "credential test: a user,password,source CSV tried instead of the shipped default list (its passwords are never printed)",
    )
    .option("--json", "print scope decisions, evidence and findings as JSON")
    .option("--as-of <date>", "judge dates as of this day")
    .action(async (targets: string[], flags: ProbeFlags) => {
      let r: ProbeResult;
      try {
        r = await runProbe(targets, {
          ports: flags.ports,
          allowPublic: flags.allowPublic,
          dryRun: flags.dryRun,
          rate: num("rate", flags.rate),
          concurrency: num("concurrency", flags.concurrency),
          timeoutMs: num("timeout", flags.timeout),
          budgetMs: num("budget", flags.budget) * 1000,
          identify: flags.identify,
          skip: flags.skip?.split(",").map((x) => x.trim()),
          udpPorts: flags.udpPorts ? parseUdpPorts(flags.udpPorts) : undefined,
          ...credentialOptions(flags),
          onPlan: flags.json
            ? undefined
            : (c) =>
                process.stdout.write(
                  `would ${c.proto === "udp" ? "send a datagram" : "connect"} to ${c.address.includes(":") ? `[${c.address}]` : c.address}:${c.port}/${c.proto ?? "tcp"}  (${c.purpose})\n`,
                ),
        });
      } catch (e) {
        if (e instanceof ScopeError) throw new UsageError(e.message);
        throw e;
      }
      const refused = r.scan.targets.filter((d) => !d.allowed);
      if (r.scope.targets().length === 0)
        throw new UsageError(
          `no target in scope:\n${refused.map((d) => `  ${d.target}: ${d.reason}`).join("\n")}`,
        );
      if (flags.dryRun) {
        if (flags.json)
          process.stdout.write(
            `${JSON.stringify({ scope: r.scan.targets, planned: r.scope.planned }, null, 2)}\n`,
          );
        else process.stdout.write(`dry run: ${r.scope.planned.length} connections planned, none made\n`);
        return;
      }
      const index = new EvidenceIndex(r.evidence);
      const asOf = flags.asOf ?? today();
      const findings = CHECKS.flatMap((c) =>
        c.evaluate(index, { asOf }).map((f, i) => ({ id: `${c.meta.id}#${i + 1}`, ...f })),
      );
      if (flags.json)
        process.stdout.write(
          `${JSON.stringify({ scan: r.scan, evidence: r.evidence, findings }, null, 2)}\n`,
        );
      else process.stdout.write(`${summary(r, findings)}\n`);
      if (findings.some((f) => f.status === "fail")) process.exitCode = 1;
    });
}
