// The HTTP admin tester: on each service identified as plain HTTP, GET / (bounded), follow at
// most one redirect on the same target (to HTTPS or not), and record whether the page served over
// plain HTTP looks like an administration or login interface: a password field, an HTTP
// authentication challenge, or links and forms pointing at admin paths.
import type { ServiceData } from "../../../evidence/probe.js";
import type { Scope } from "../scope.js";
import type { ServiceTester } from "../testers.js";
import type { HttpAdminData, HttpPage } from "../../../evidence/probe-http.js";
import { header, hostHeader, httpRequest, sameTarget, urlPort, type HttpResult } from "./client.js";

const MAX_BODY = 65536;
const MAX_PATHS = 10;

/** Path segments that name an admin or login interface on embedded web servers. */
const ADMIN =
  /(^|[/._-])(admin|administrator|login|logon|signin|sign-in|auth|cgi-bin|setup|settings?|config|configuration|manage|management|webadmin|system|userRpm|goform|boaform)([/._?#-]|$)/i;

const PASSWORD_FIELD = /<input\b[^>]{0,500}?\btype\s*=\s*["']?password\b/i;
const TITLE = /<title[^>]{0,200}>([^<]{0,200})/i;
const META_REFRESH = /<meta\b[^>]{0,300}?http-equiv\s*=\s*["']?refresh["']?[^>]{0,300}?>/i;

/** Where links, forms and scripts in the page point, when it is this device (relative or same host). */
export function adminPaths(html: string, base: URL, target: { host: string; address: string }): string[] {
  const out: string[] = [];
  const refs = [
    ...html.matchAll(/\b(?:href|src|action)\s*=\s*["']([^"'<>]{1,300})["']/gi),
    ...html.matchAll(/\blocation(?:\.href)?\s*=\s*["']([^"'<>]{1,300})["']/gi),
  ];
  for (const m of refs) {
    if (out.length >= MAX_PATHS) break;
    let u: URL;
    try {
      u = new URL(m[1]!, base);
    } catch {
      continue;
    }
    if (!/^https?:$/.test(u.protocol) || !sameTarget(u, target)) continue;
    const path = u.pathname + u.search;
    if (ADMIN.test(path) && !out.includes(path)) out.push(path.slice(0, 200));
  }
  return out;
}

/** The URL of a meta refresh ("0; url=https://..."), if the page has one. */
export function metaRefresh(html: string): string | undefined {
  const tag = META_REFRESH.exec(html)?.[0];
  const content = tag && /content\s*=\s*["']([^"']{0,400})["']/i.exec(tag)?.[1];
  const m = content && /url\s*=\s*['"]?([^'"\s;]+)/i.exec(content);
  return m ? m[1] : undefined;
}

/** The page, and where it sends the browser next (a Location header on a 3xx, or a meta refresh). */
function page(
  url: URL,
  r: HttpResult,
  target: { host: string; address: string },
): { page: HttpPage; next?: { to: string; via: "location" | "meta refresh" } } {
  const p: HttpPage = { url: url.href, passwordField: false, adminPaths: [], bytes: 0 };
  if (!r.response) return { page: { ...p, reason: r.reason ?? "no answer" } };
  const res = r.response;
  const html = res.body.toString("latin1");
  p.status = res.status;
  const server = header(res, "server");
  if (server) p.server = server.slice(0, 200);
  const title = TITLE.exec(html)?.[1]?.trim();
  if (title) p.title = title;
  p.passwordField = PASSWORD_FIELD.test(html);
  const auth = header(res, "www-authenticate");
  if (res.status === 401 && auth) p.authenticate = auth.split(/[\s,]/)[0];
  p.adminPaths = adminPaths(html, url, target);
  p.bytes = res.body.length;
  if (res.truncated) p.truncated = true;
  const location = res.status >= 300 && res.status < 400 ? header(res, "location") : undefined;
  if (location) return { page: p, next: { to: location, via: "location" } };
  const refresh = res.status === 200 ? metaRefresh(html) : undefined;
  return { page: p, ...(refresh ? { next: { to: refresh, via: "meta refresh" as const } } : {}) };
}

/** The signs of a login interface on a page, in words. */
export function loginSigns(p: HttpPage): string[] {
  const out: string[] = [];
  if (p.passwordField) out.push("a password field");
  if (p.authenticate) out.push(`HTTP ${p.authenticate} authentication`);
  if (p.adminPaths.length) out.push(`admin paths (${p.adminPaths.slice(0, 3).join(", ")})`);
  return out;
}

async function fetchPage(
  scope: Scope,
  target: { host: string; address: string },
  url: URL,
  step: string,
  data: HttpAdminData,
): Promise<ReturnType<typeof page> | undefined> {
  const r = await httpRequest(
    scope,
    target,
    urlPort(url),
    { method: "GET", path: url.pathname + url.search, tls: url.protocol === "https:" },
    { step, maxBytes: MAX_BODY },
  );
  if (!r) return undefined;
  if (r.transcript) data.transcripts.push(r.transcript);
  return page(url, r, target);
}

export async function probeHttpAdmin(scope: Scope, s: ServiceData): Promise<HttpAdminData | undefined> {
  const target = { host: s.host, address: s.address };
  const start = new URL(`http://${hostHeader(s.address, s.port)}/`);
  const transcripts: HttpAdminData["transcripts"] = [];
  const holder = { transcripts } as HttpAdminData;
  const first = await fetchPage(scope, target, start, "http-admin GET /", holder);
  if (!first) return undefined; // dry run
  const data: HttpAdminData = { ...target, port: s.port, first: first.page, cleartextLogin: [], transcripts };
  let u: URL | undefined;
  try {
    u = first.next ? new URL(first.next.to, start) : undefined;
  } catch {
    u = undefined;
  }
  if (first.next && u) {
    const same = sameTarget(u, target);
    const web = u.protocol === "http:" || u.protocol === "https:";
    data.redirect = {
      via: first.next.via,
      to: u.href.slice(0, 300),
      https: u.protocol === "https:",
      sameTarget: same,
      followed: same && web,
      ...(same
        ? web
          ? {}
          : { reason: `${u.protocol} is not http(s)` }
        : { reason: "another host: not followed" }),
    };
    // One redirect at most: where the second page sends the browser is recorded in its status only.
    if (same && web) data.final = (await fetchPage(scope, target, u, "http-admin redirect", holder))?.page;
  }
  const signs = loginSigns(data.first).map((x) => `${x} on ${data.first.url}`);
  if (data.final?.url.startsWith("http:"))
    signs.push(...loginSigns(data.final).map((x) => `${x} on ${data.final!.url}`));
  data.cleartextLogin = signs;
  return data;
}

export const httpAdminTester: ServiceTester = {
  id: "http-admin",
  version: "0.1.0",
  kind: "probe.http-admin",
  description:
    "GET / on each plain-HTTP service, at most one redirect on the same target: does it redirect to HTTPS, does it serve a login or admin interface over plain HTTP",
  applies: (s) => s.service === "http",
  async run(scope, service) {
    const d = await probeHttpAdmin(scope, service);
    return d ? [{ data: d }] : [];
  },
};
