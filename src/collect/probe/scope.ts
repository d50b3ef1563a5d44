// The scope of a live probe: only the hosts the user named, only private or loopback addresses
// unless --allow-public, and every connection through one gate (Scope.connect) that re-checks the
// address, paces connections (rate), bounds how many are open at once (concurrency), times each
// out, and stops at the total time budget. In a dry run the gate records and prints every
// connection it would make and makes none.
import { lookup as dnsLookup } from "node:dns/promises";
import { createSocket } from "node:dgram";
import { BlockList, isIP, Socket } from "node:net";
import type { ScopeDecisionData } from "../../evidence/probe.js";

export class ScopeError extends Error {}
export class BudgetError extends Error {}

/** An error from one connection attempt, with a short code: refused, timeout, unreachable, reset, error. */
export class ConnectError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ScopeLimits {
  /** New connections per second. */
  rate: number;
  /** Connections open at once. */
  concurrency: number;
  /** Per connection: connect timeout, and the default read timeout of an exchange. */
  timeoutMs: number;
  /** Total time the probe may take. */
  budgetMs: number;
}

export const DEFAULT_LIMITS: ScopeLimits = { rate: 20, concurrency: 8, timeoutMs: 2000, budgetMs: 300_000 };

export interface PlannedConnection {
  address: string;
  port: number;
  /** Absent means tcp. */
  proto?: "udp";
  purpose: string;
}

export interface UdpExchangeOptions {
  /** How long to wait for answers after sending. */
  waitMs: number;
  /** Stop once this many datagrams came back (default 1). */
  maxPackets?: number;
  /** Bytes kept per datagram. */
  maxBytes?: number;
}

export interface UdpExchangeResult {
  /** Datagrams that came back from the target address and port, in order. */
  received: Buffer[];
  /** complete (maxPackets reached), timeout (none or fewer came), unreachable (ICMP port unreachable), error: ... */
  outcome: "complete" | "timeout" | "unreachable" | `error: ${string}`;
}

export interface ScopeOptions extends Partial<ScopeLimits> {
  allowPublic?: boolean;
  dryRun?: boolean;
  /** Called for every connection a dry run would make. */
  onPlan?: (c: PlannedConnection) => void;
  /** Resolves a host name once; tests inject one so no DNS query leaves the machine. */
  lookup?: (host: string) => Promise<string>;
}

const RANGES: [string, number, "ipv4" | "ipv6", string][] = [
  ["127.0.0.0", 8, "ipv4", "loopback"],
  ["10.0.0.0", 8, "ipv4", "private"],
  ["172.16.0.0", 12, "ipv4", "private"],
  ["192.168.0.0", 16, "ipv4", "private"],
  ["::1", 128, "ipv6", "loopback"],
  ["fc00::", 7, "ipv6", "unique-local"],
  ["fe80::", 10, "ipv6", "link-local"],
  // Never targets, even with --allow-public: a datagram to these reaches hosts nobody named.
  ["224.0.0.0", 4, "ipv4", "multicast"],
  ["255.255.255.255", 32, "ipv4", "broadcast"],
  ["0.0.0.0", 8, "ipv4", "unspecified"],
  ["ff00::", 8, "ipv6", "multicast"],
  ["::", 128, "ipv6", "unspecified"],
];

/** Ranges that are never a target: one address standing for many hosts, or for none. */
const NEVER = new Set(["multicast", "broadcast", "unspecified"]);

const BLOCKS = RANGES.map(([net, prefix, type, name]) => {
  const b = new BlockList();
  b.addSubnet(net, prefix, type);
  return { b, type, name };
});

/** "::ffff:10.0.0.1" is 10.0.0.1; a zone index ("fe80::1%eth0") is kept for connecting, not for ranges. */
export function normalizeAddress(address: string): string {
  const a = address.replace(/^\[|\]$/g, "").toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  return mapped ? mapped[1]! : a;
}

/** The named range an address falls in: loopback, private, unique-local, link-local, or public. */
export function rangeOf(address: string): string {
  const a = normalizeAddress(address);
  const bare = a.split("%")[0]!;
  const v = isIP(bare);
  if (v === 0) throw new ScopeError(`"${address}" is not an IP address`);
  const type = v === 4 ? "ipv4" : "ipv6";
  for (const { b, type: t, name } of BLOCKS) if (t === type && b.check(bare, type)) return name;
  return "public";
}

function defaultLookup(host: string): Promise<string> {
  return dnsLookup(host).then((r) => r.address);
}

/** Strip brackets from "[::1]"; refuse ranges, CIDR blocks, URLs and ports: targets are named one by one. */
export function parseTarget(raw: string): string {
  const t = raw.trim();
  if (t.startsWith("[") && t.endsWith("]")) return t.slice(1, -1);
  if (isIP(t.split("%")[0]!)) return t;
  if (/[/*\s]|:\/\//.test(t) || t.includes(":") || !/^[a-z0-9.-]+$/i.test(t) || t.length > 253)
    throw new ScopeError(
      `"${raw}" is not a host: name each host (name, IPv4 or IPv6 address) on its own; ranges, CIDR blocks, URLs and ports are not accepted`,
    );
  return t;
}

export class Scope {
  readonly limits: ScopeLimits;
  readonly decisions: ScopeDecisionData[] = [];
  readonly planned: PlannedConnection[] = [];
  readonly dryRun: boolean;
  /** Connections actually attempted (not counting dry-run plans). */
  connections = 0;
  private readonly allowed = new Set<string>();
  private readonly allowPublic: boolean;
  private readonly onPlan?: (c: PlannedConnection) => void;
  private readonly deadline: number;
  private active = 0;
  private readonly waiters: (() => void)[] = [];
  private nextAt = 0;

  private constructor(opts: ScopeOptions) {
    this.limits = {
      rate: opts.rate ?? DEFAULT_LIMITS.rate,
      concurrency: opts.concurrency ?? DEFAULT_LIMITS.concurrency,
      timeoutMs: opts.timeoutMs ?? DEFAULT_LIMITS.timeoutMs,
      budgetMs: opts.budgetMs ?? DEFAULT_LIMITS.budgetMs,
    };
    for (const [k, v] of Object.entries(this.limits))
      if (!(Number.isFinite(v) && v > 0)) throw new ScopeError(`${k} must be a positive number, not ${v}`);
    this.allowPublic = opts.allowPublic ?? false;
    this.dryRun = opts.dryRun ?? false;
    this.onPlan = opts.onPlan;
    this.deadline = Date.now() + this.limits.budgetMs;
  }

  /** Resolve each named target once and decide whether it is in scope. Refused targets are kept as decisions. */
  static async create(targets: string[], opts: ScopeOptions = {}): Promise<Scope> {
    const scope = new Scope(opts);
    const lookup = opts.lookup ?? defaultLookup;
    for (const raw of targets) {
      let host: string;
      try {
        host = parseTarget(raw);
      } catch (e) {
        scope.decisions.push({ target: raw, allowed: false, reason: (e as Error).message });
        continue;
      }
      let address: string;
      try {
        address = isIP(host.split("%")[0]!) ? host : await lookup(host);
      } catch (e) {
        scope.decisions.push({
          target: raw,
          allowed: false,
          reason: `could not resolve: ${(e as Error).message}`,
        });
        continue;
      }
      address = normalizeAddress(address);
      const range = rangeOf(address);
      const allowed = !NEVER.has(range) && (range !== "public" || scope.allowPublic);
      scope.decisions.push({
        target: host,
        address,
        range,
        allowed,
        reason: NEVER.has(range)
          ? `${range} address: never a target (it reaches hosts nobody named); name each device by its own address`
          : allowed
            ? range === "public"
              ? "public address, allowed by --allow-public"
              : `${range} address`
            : "public address: refused without --allow-public (probe only devices you own or may test)",
      });
      if (allowed) scope.allowed.add(address);
    }
    return scope;
  }

  /** The targets in scope, as { host, address }. */
  targets(): { host: string; address: string }[] {
    return this.decisions.filter((d) => d.allowed).map((d) => ({ host: d.target, address: d.address! }));
  }

  /** Throws ScopeError unless the address is one the user named and its range is allowed. */
  check(address: string, port: number): void {
    const a = normalizeAddress(address);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new ScopeError(`port ${port} is not a port number`);
    if (!this.allowed.has(a))
      throw new ScopeError(`${address} is not a target named for this probe: refused`);
    if (NEVER.has(rangeOf(a))) throw new ScopeError(`${address} is a ${rangeOf(a)} address: refused`);
    if (rangeOf(a) === "public" && !this.allowPublic)
      throw new ScopeError(`${address} is a public address and --allow-public was not given: refused`);
  }

  remainingMs(): number {
    return this.deadline - Date.now();
  }

  private checkBudget(): void {
    if (this.remainingMs() <= 0) throw new BudgetError(`time budget of ${this.limits.budgetMs} ms spent`);
  }

  private async acquire(): Promise<void> {
    while (this.active >= this.limits.concurrency) await new Promise<void>((r) => this.waiters.push(r));
    this.active++;
  }

  private release(): void {
    this.active--;
    this.waiters.shift()?.();
  }

  /** A dry run records what it would do instead of doing it. */
  private plan(c: PlannedConnection): undefined {
    this.planned.push(c);
    this.onPlan?.(c);
    return undefined;
  }

  /**
   * Wait for a concurrency slot and the rate, then check the budget and the address once more
   * (the wait may have been long). The caller owns the slot afterwards and must release it.
   */
  private async admit(address: string, port: number): Promise<void> {
    this.checkBudget();
    await this.acquire();
    try {
      await this.pace();
      this.checkBudget();
      this.check(address, port);
    } catch (e) {
      this.release();
      throw e;
    }
    this.connections++;
  }

  private async pace(): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.nextAt);
    this.nextAt = at + 1000 / this.limits.rate;
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  }

  /**
   * The one way to open a connection. Resolves with a connected socket (the caller must end or
   * destroy it; its concurrency slot is freed when it closes), or undefined in a dry run.
   * Rejects with ScopeError, BudgetError or ConnectError.
   */
  async connect(address: string, port: number, purpose: string): Promise<Socket | undefined> {
    this.check(address, port);
    const a = normalizeAddress(address);
    if (this.dryRun) return this.plan({ address: a, port, purpose });
    await this.admit(a, port);
    const timeoutMs = Math.max(1, Math.min(this.limits.timeoutMs, this.remainingMs()));
    return new Promise<Socket>((resolve, reject) => {
      const sock = new Socket();
      let released = false;
      sock.once("close", () => {
        if (!released) {
          released = true;
          this.release();
        }
      });
      const timer = setTimeout(() => {
        sock.destroy();
        reject(new ConnectError("timeout", `no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      // A permanent handler: errors after connect must not crash the process; readers see "close".
      sock.on("error", (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        sock.destroy();
        reject(connectError(err));
      });
      sock.connect({ host: a, port }, () => {
        clearTimeout(timer);
        resolve(sock);
      });
    });
  }

  /**
   * The one way to send a UDP datagram: to a named target only (unicast; never a broadcast or
   * multicast group, which are not targets), paced and counted like a connection. Keeps only
   * datagrams that come back from the same address and port. Undefined in a dry run.
   */
  async udp(
    address: string,
    port: number,
    payload: Buffer,
    purpose: string,
    o: UdpExchangeOptions,
  ): Promise<UdpExchangeResult | undefined> {
    this.check(address, port);
    const a = normalizeAddress(address);
    if (this.dryRun) return this.plan({ address: a, port, proto: "udp", purpose });
    await this.admit(a, port);
    const bare = a.split("%")[0]!;
    const sock = createSocket(isIP(bare) === 6 ? "udp6" : "udp4");
    const waitMs = Math.max(1, Math.min(o.waitMs, this.remainingMs()));
    const maxPackets = o.maxPackets ?? 1;
    const maxBytes = o.maxBytes ?? 65535;
    return new Promise<UdpExchangeResult>((resolve) => {
      const received: Buffer[] = [];
      let finished = false;
      const finish = (outcome: UdpExchangeResult["outcome"]) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        sock.close();
        this.release();
        resolve({ received, outcome });
      };
      const timer = setTimeout(() => finish("timeout"), waitMs);
      sock.on("error", (err: NodeJS.ErrnoException) =>
        finish(err.code === "ECONNREFUSED" ? "unreachable" : `error: ${err.code ?? err.message}`),
      );
      sock.on("message", (msg, rinfo) => {
        if (normalizeAddress(rinfo.address) !== bare || rinfo.port !== port) return;
        received.push(msg.subarray(0, maxBytes));
        if (received.length >= maxPackets) finish("complete");
      });
      // connect() makes the kernel deliver ICMP port-unreachable as ECONNREFUSED, and only
      // datagrams from this peer.
      sock.connect(port, a, () => {
        sock.send(payload, (err) => {
          if (err) finish(`error: ${(err as NodeJS.ErrnoException).code ?? err.message}`);
        });
      });
    });
  }
}

function connectError(err: NodeJS.ErrnoException): ConnectError {
  switch (err.code) {
    case "ECONNREFUSED":
      return new ConnectError("refused", "connection refused");
    case "ECONNRESET":
      return new ConnectError("reset", "connection reset");
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return new ConnectError("unreachable", err.code);
    case "ETIMEDOUT":
      return new ConnectError("timeout", "timed out");
    default:
      return new ConnectError("error", err.message);
  }
}
