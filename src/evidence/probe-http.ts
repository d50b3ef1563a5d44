// Data shape of probe.http-admin evidence: the first page of a plain-HTTP service, at most one
// redirect on the same target, and the signs that the page is an administration or login interface.
import type { Transcript } from "./probe.js";

export interface HttpPage {
  url: string;
  status?: number;
  server?: string;
  title?: string;
  /** An <input type="password"> in the page. */
  passwordField: boolean;
  /** The WWW-Authenticate scheme of a 401 (Basic, Digest ...). */
  authenticate?: string;
  /** Links, form actions and scripts in the page that point at admin or login paths (bounded). */
  adminPaths: string[];
  bytes: number;
  truncated?: boolean;
  /** Why nothing was read. */
  reason?: string;
}

export interface HttpAdminData {
  host: string;
  address: string;
  port: number;
  first: HttpPage;
  /** A Location header (3xx) or a meta refresh on the first page. */
  redirect?: {
    via: "location" | "meta refresh";
    to: string;
    https: boolean;
    sameTarget: boolean;
    followed: boolean;
    /** Why it was not followed: another host, another scheme, the one-redirect limit. */
    reason?: string;
  };
  /** The page the redirect led to, when followed. */
  final?: HttpPage;
  /** Which signs of a login interface were seen on a page served over plain HTTP. */
  cleartextLogin: string[];
  transcripts: Transcript[];
}
