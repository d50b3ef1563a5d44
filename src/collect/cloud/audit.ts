// The cloud endpoint audit: for each endpoint URL over TLS (https, wss, mqtts, amqps), the same TLS
// audit a device port gets (src/collect/probe/tls/audit.ts), and for https, wss and mqtts whether
// the service answers a request that carries no credentials. Every connection passes a Scope:
// only the endpoints' own hosts, each resolved once; public addresses need allowPublic, as cloud
// endpoints usually are. Evidence: cloud.tls and cloud.auth, subject "cloud", located at the URL.
import { makeEvidence, type Evidence } from "../../evidence/types.js";
import { Scope, type ScopeOptions } from "../probe/scope.js";
import { auditTls, hostName, type TlsAuditOptions } from "../probe/tls/audit.js";
import type { TlsAuditData } from "../../evidence/probe-tls.js";
import { testUnauthenticated } from "./auth.js";
import { CLOUD, type CloudAuthData, type CloudTlsData } from "../../evidence/cloud.js";

export const CLOUD_COLLECTOR = { id: "cloud", version: "0.1.0" } as const;

/** Schemes carried over TLS on TCP, with their default ports. */
const TLS_SCHEMES: Record<string, number> = { "https:": 443, "wss:": 443, "mqtts:": 8883, "amqps:": 5671 };
/** Schemes whose unauthenticated request we know how to make. */
const AUTH_SCHEMES = new Set(["https:", "wss:", "mqtts:"]);

export interface CloudEndpointInput {
  url: string;
  purpose?: string;
}

export interface CloudAuditOptions extends ScopeOptions, Pick<TlsAuditOptions, "ca" | "maxHandshakes"> {
  /** The timestamp stamped on the evidence. */
  at?: string;
}

export interface CloudAuditResult {
  evidence: Evidence[];
  /** The gate the connections went through: its decisions, and in a dry run the planned connections. */
  scope: Scope;
}

interface Parsed {
  input: CloudEndpointInput;
  url?: URL;
  host?: string;
  port?: number;
  /** Why the endpoint is not tested, when it is not. */
  skip?: string;
}

function parse(input: CloudEndpointInput): Parsed | undefined {
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    return { input, skip: `"${input.url}" is not a URL` };
  }
  const defaultPort = TLS_SCHEMES[url.protocol];
  // Clear-text schemes are cloud.endpoints-encrypted's business; DTLS (coaps) is UDP, not audited here.
  if (defaultPort === undefined)
    return url.protocol === "coaps:"
      ? { input, url, skip: "coaps (DTLS over UDP) is not audited" }
      : undefined;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!host) return { input, url, skip: `"${input.url}" names no host` };
  return { input, url, host, port: url.port ? Number(url.port) : defaultPort };
}

/**
 * Audit each endpoint. Endpoints on the same host and port share one TLS audit. In a dry run no
 * connection is made and no evidence comes back; `scope.planned` lists the first connection of each.
 */
export async function auditCloudEndpoints(
  endpoints: CloudEndpointInput[],
  opts: CloudAuditOptions = {},
): Promise<CloudAuditResult> {
  const parsed = endpoints.map(parse).filter((p) => p !== undefined);
  const hosts = [...new Set(parsed.filter((p) => !p.skip).map((p) => p.host!))];
  const scope = await Scope.create(hosts, opts);
  const addressOf = new Map(scope.targets().map((t) => [t.host, t.address]));
  const at = opts.at ?? new Date().toISOString();
  const src = (url: string) => ({
    collector: CLOUD_COLLECTOR.id,
    version: CLOUD_COLLECTOR.version,
    location: url,
    at,
  });
  const evidence: Evidence[] = [];
  const audits = new Map<string, Promise<TlsAuditData | undefined>>();
  for (const p of parsed) {
    const ref = { url: p.input.url, ...(p.input.purpose ? { purpose: p.input.purpose } : {}) };
    const untested = (reason: string) => {
      evidence.push(
        makeEvidence<CloudTlsData>(CLOUD.tls, "cloud", { ...ref, tested: false, reason }, src(ref.url)),
      );
      if (p.url && AUTH_SCHEMES.has(p.url.protocol))
        evidence.push(
          makeEvidence<CloudAuthData>(CLOUD.auth, "cloud", { ...ref, tested: false, reason }, src(ref.url)),
        );
    };
    if (p.skip) {
      untested(p.skip);
      continue;
    }
    const host = p.host!;
    const address = addressOf.get(host);
    if (!address) {
      const d = scope.decisions.find((x) => x.target === host);
      untested(d?.reason ?? `${host} is not in scope`);
      continue;
    }
    const serverName = hostName(host);
    const key = `${address}|${p.port}|${serverName ?? ""}`;
    if (!audits.has(key))
      audits.set(
        key,
        auditTls(
          scope,
          { host, address, port: p.port! },
          { serverName, ca: opts.ca, maxHandshakes: opts.maxHandshakes },
        ),
      );
    const audit = await audits.get(key)!;
    if (!audit) continue; // dry run
    const reachable = audit.versions.some((v) => v.accepted);
    evidence.push(
      makeEvidence<CloudTlsData>(
        CLOUD.tls,
        "cloud",
        reachable ? { ...ref, tested: true, audit } : { ...ref, tested: false, reason: noTls(audit), audit },
        src(ref.url),
      ),
    );
    if (!AUTH_SCHEMES.has(p.url!.protocol)) continue;
    const auth = await testUnauthenticated(scope, { url: p.url!, host, address, port: p.port!, serverName });
    if (auth)
      evidence.push(makeEvidence<CloudAuthData>(CLOUD.auth, "cloud", { ...ref, ...auth }, src(ref.url)));
  }
  return { evidence, scope };
}

/** Why no TLS version was accepted: the audit's first answer. */
function noTls(a: TlsAuditData): string {
  if (a.outcome !== "complete") return `the TLS audit stopped: ${a.outcome}`;
  const tls12 = a.versions.find((v) => v.version === "TLSv1.2");
  return `no TLS version was accepted (TLS 1.2: ${tls12?.handshake ?? tls12?.hello ?? "not tried"})`;
}
