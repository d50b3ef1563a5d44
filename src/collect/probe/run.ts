// A live probe: scope the targets, TCP-connect scan the ports, identify what answers on the open
// ones, and turn it all into evidence (probe.port, probe.service, probe.scan).
import { PROBE, type PortData, type ScanData, type ServiceData } from "../../evidence/probe.js";
import { makeEvidence, type Evidence } from "../../evidence/types.js";
import { identify, type IdentifyOptions } from "./identify.js";
import { DEFAULT_PORTS, parsePorts } from "./ports.js";
import { BudgetError, ConnectError, Scope, ScopeError, type ScopeOptions } from "./scope.js";
import { SERVICE_TESTERS, TARGET_TESTERS, type TesterOptions, type TesterOutput } from "./testers.js";

export const PROBE_COLLECTOR = { id: "probe", version: "0.1.0" } as const;

export interface ProbeOptions extends ScopeOptions, IdentifyOptions, TesterOptions {
  /** "1-1024,8080"; the default IoT list when not given. */
  ports?: string;
  /** Identify services on open ports (default true). */
  identify?: boolean;
  /** The timestamp stamped on the evidence. */
  at?: string;
}

export interface ProbeResult {
  scope: Scope;
  ports: PortData[];
  services: ServiceData[];
  scan: ScanData;
  evidence: Evidence[];
}

interface TesterRecord {
  kind: string;
  tester: string;
  version: string;
  location: string;
  data: unknown;
}

async function scanPort(
  scope: Scope,
  t: { host: string; address: string },
  port: number,
): Promise<PortData | undefined> {
  const base = { host: t.host, address: t.address, port, proto: "tcp" as const };
  try {
    const sock = await scope.connect(t.address, port, "tcp connect scan");
    if (!sock) return undefined; // dry run
    sock.destroy();
    return { ...base, state: "open" };
  } catch (e) {
    if (!(e instanceof ConnectError)) throw e;
    if (e.code === "refused") return { ...base, state: "closed", reason: "refused" };
    if (e.code === "reset") return { ...base, state: "closed", reason: "reset" };
    return { ...base, state: "filtered", reason: e.code };
  }
}

/** Run `work` over items with at most `n` in flight, in order; stop taking new items once `stop` is set. */
async function pool<T>(items: T[], n: number, work: (item: T) => Promise<void>): Promise<string | undefined> {
  let next = 0;
  let stoppedBy: string | undefined;
  const worker = async () => {
    while (next < items.length && !stoppedBy) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (e) {
        if (e instanceof BudgetError) stoppedBy = e.message;
        else throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, n) }, worker));
  return stoppedBy;
}

/** "<address>:<port>/tcp", with IPv6 addresses in brackets. */
export function where(p: { address: string; port: number }, proto: "tcp" | "udp" = "tcp"): string {
  return `${p.address.includes(":") ? `[${p.address}]` : p.address}:${p.port}/${proto}`;
}

export async function runProbe(targets: string[], opts: ProbeOptions = {}): Promise<ProbeResult> {
  const portList = opts.ports ? parsePorts(opts.ports) : [...DEFAULT_PORTS];
  const scope = await Scope.create(targets, opts);
  const inScope = scope.targets();
  const jobs = inScope.flatMap((t) => portList.map((port) => ({ t, port })));
  const ports: PortData[] = [];
  let stoppedBy = await pool(jobs, scope.limits.concurrency, async ({ t, port }) => {
    const r = await scanPort(scope, t, port);
    if (r) ports.push(r);
  });
  const order = (a: { address: string; port: number }, b: { address: string; port: number }) =>
    a.address.localeCompare(b.address) || a.port - b.port;
  ports.sort(order);
  const services: ServiceData[] = [];
  if (opts.identify !== false && !stoppedBy) {
    const open = ports.filter((p) => p.state === "open");
    stoppedBy = await pool(open, scope.limits.concurrency, async (p) => {
      services.push(await identify(scope, p, p.port, opts));
    });
    services.sort(order);
  }
  // Testers: each service tester on each service it applies to, then each target tester once per
  // target. A tester that fails unexpectedly is recorded, not fatal: the other results stay.
  const tested: TesterRecord[] = [];
  const testerErrors: { tester: string; location: string; message: string }[] = [];
  const skip = new Set(opts.skip ?? []);
  const jobsAfter: {
    tester: (typeof SERVICE_TESTERS)[number] | (typeof TARGET_TESTERS)[number];
    location: string;
    go: () => Promise<TesterOutput[]>;
  }[] = [];
  if (opts.identify !== false)
    for (const s of services)
      for (const t of SERVICE_TESTERS)
        if (!skip.has(t.id) && t.applies(s))
          jobsAfter.push({ tester: t, location: where(s), go: () => t.run(scope, s, opts) });
  for (const target of inScope)
    for (const t of TARGET_TESTERS)
      if (!skip.has(t.id))
        jobsAfter.push({ tester: t, location: target.address, go: () => t.run(scope, target, opts) });
  if (!stoppedBy)
    stoppedBy = await pool(jobsAfter, scope.limits.concurrency, async (j) => {
      try {
        for (const out of await j.go())
          tested.push({
            kind: j.tester.kind,
            tester: j.tester.id,
            version: j.tester.version,
            location: out.location ?? j.location,
            data: out.data,
          });
      } catch (e) {
        if (e instanceof BudgetError) throw e;
        testerErrors.push({ tester: j.tester.id, location: j.location, message: (e as Error).message });
      }
    });
  tested.sort((a, b) => a.kind.localeCompare(b.kind) || a.location.localeCompare(b.location));
  if (!stoppedBy && !scope.dryRun && scope.remainingMs() <= 0)
    stoppedBy = `time budget of ${scope.limits.budgetMs} ms spent`;
  const count = (s: string) => ports.filter((p) => p.state === s).length;
  const scan: ScanData = {
    targets: scope.decisions,
    ports: opts.ports ?? "default",
    portCount: portList.length,
    dryRun: scope.dryRun,
    limits: scope.limits,
    counts: {
      open: count("open"),
      closed: count("closed"),
      filtered: count("filtered"),
      notScanned: jobs.length - ports.length,
    },
    ...(stoppedBy ? { stoppedBy } : {}),
    ...(testerErrors.length ? { testerErrors } : {}),
  };
  const at = opts.at ?? new Date().toISOString();
  const src = (location: string) => ({
    collector: PROBE_COLLECTOR.id,
    version: PROBE_COLLECTOR.version,
    location,
    at,
  });
  const evidence: Evidence[] = [
    makeEvidence(PROBE.scan, "device", scan, src(`probe:${targets.join(",")}`)),
    ...ports.map((p) => makeEvidence(PROBE.port, "device", p, src(where(p)))),
    ...services.map((s) => makeEvidence(PROBE.service, "device", s, src(where(s)))),
    ...tested.map((t) =>
      makeEvidence(t.kind, "device", t.data, {
        collector: PROBE_COLLECTOR.id,
        version: `${PROBE_COLLECTOR.version}+${t.tester}@${t.version}`,
        location: t.location,
        at,
      }),
    ),
  ];
  return { scope, ports, services, scan, evidence };
}

export { ScopeError };
