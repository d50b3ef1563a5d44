// What a probe does after identifying services: a list of testers, each one file under probe/,
// each declaring what it applies to. Service testers run on every identified service they accept
// (credentials on telnet, the TLS audit on anything that speaks TLS); target testers run once per
// target (UDP probes). Each output becomes one evidence record of the tester's kind. Adding a
// tester is one import and one list entry below.
import type { ServiceData } from "../../evidence/probe.js";
import type { Scope } from "./scope.js";
import { httpAdminTester } from "./http/admin.js";
import { coapTester } from "./udp/coap.js";
import { mdnsTester } from "./udp/mdns.js";
import { snmpTester } from "./udp/snmp.js";
import { upnpTester } from "./upnp/tester.js";
import { tlsTester } from "./tls/tester.js";
import { sshAlgorithmsTester } from "./ssh/tester.js";
import { credentialsTester } from "./creds/tester.js";

/** Options testers read; each tester adds its own optional fields here. */
export interface TesterOptions {
  /** Tester ids not to run (from --skip). */
  skip?: string[];
  /** credentials: logins per service at most (--max-logins, default 20). */
  maxLogins?: number;
  /** credentials: dictionary logins in flight at once per service (--login-concurrency, default 4). */
  loginConcurrency?: number;
  /** credentials: a user,password,source CSV tried instead of the shipped dictionary (--credentials). */
  credentialsFile?: string;
  /** credentials: how long to wait for the verdict after a password (default 5 s or the timeout). */
  loginWaitMs?: number;
  /** UDP ports per protocol (ssdp, mdns, snmp, coap) from --udp-ports; defaults in probe/udp/common.ts. */
  udpPorts?: Record<string, number[]>;
}

export interface TesterOutput {
  /** Where the finding is, "<address>:<port>/tcp" or "/udp"; defaults to the service's location. */
  location?: string;
  data: unknown;
}

interface TesterMeta {
  /** Short id, used by --skip (e.g. "credentials", "tls"). */
  id: string;
  version: string;
  /** The evidence kind its outputs become. */
  kind: string;
  description: string;
}

export interface ServiceTester extends TesterMeta {
  applies(service: ServiceData): boolean;
  run(scope: Scope, service: ServiceData, opts: TesterOptions): Promise<TesterOutput[]>;
}

export interface TargetTester extends TesterMeta {
  run(scope: Scope, target: { host: string; address: string }, opts: TesterOptions): Promise<TesterOutput[]>;
}

export const SERVICE_TESTERS: ServiceTester[] = [
  httpAdminTester,
  tlsTester,
  sshAlgorithmsTester,
  credentialsTester,
];

export const TARGET_TESTERS: TargetTester[] = [upnpTester, mdnsTester, snmpTester, coapTester];
