// Evidence kinds of the cloud endpoint audit (src/collect/cloud/audit.ts), with their data. Subject
// "cloud"; the location is the endpoint's URL.
import type { Transcript } from "./probe.js";
import type { TlsAuditData } from "./probe-tls.js";

export const CLOUD = {
  tls: "cloud.tls",
  auth: "cloud.auth",
} as const;

interface EndpointRef {
  url: string;
  purpose?: string;
  /** False when the endpoint could not be tested; `reason` says why. */
  tested: boolean;
  reason?: string;
}

export interface CloudTlsData extends EndpointRef {
  /** The TLS audit of the endpoint's host and port, when tested. */
  audit?: TlsAuditData;
}

export type AuthVerdict = "refuses" | "answers" | "undetermined";

export interface CloudAuthData extends EndpointRef {
  /** What was sent without credentials: "GET /v1/devices", "MQTT CONNECT". */
  request?: string;
  /** HTTP status (101 for an accepted WebSocket upgrade), or the MQTT CONNACK return code. */
  status?: number;
  statusText?: string;
  contentType?: string;
  bodyBytes?: number;
  /** refuses: 401/403 (or MQTT 4/5); answers: 2xx with a body, 101, MQTT 0; undetermined: anything else. */
  verdict?: AuthVerdict;
  /** One sentence on what came back. */
  detail?: string;
  transcript?: Transcript;
}
