// Configuration hazards: settings that make a device unsafe however well its code is written.
// UPnP that lets any LAN host map ports for any other (miniupnpd secure_mode off), Wi-Fi without
// encryption, the admin interface offered over plain HTTP to the WAN, SNMP's default communities,
// and files that anyone on the device may rewrite (world-writable under /etc, /bin, /sbin, /usr,
// /lib, and setuid programs writable by others).
import type { HazardData } from "../../../evidence/firmware.js";
import { FW } from "../../../evidence/firmware.js";
import type { VEntry } from "../vfs.js";
import { parseUci, uciBool, uciValues, type UciSection } from "./services/uci.js";
import type { Analyzer, AnalyzerContext, FileView } from "./types.js";

const MAX_TEXT = 1024 * 1024;
/** Individual findings per kind of permission hazard; the rest are summed up in one more. */
const MAX_PERMISSION_HAZARDS = 20;

const MINIUPNPD = /(^|\/)miniupnpd[^/]*\.conf$/;
const HOSTAPD = /(^|\/)hostapd[^/]*\.conf$/;
const SNMPD = /(^|\/)snmpd[^/]*\.conf$/;
const RALINK = /^\/etc\/Wireless\/[^/]+\/[^/]+\.dat$|(^|\/)RT\d+[^/]*\.dat$/;
const LIGHTTPD = /(^|\/)lighttpd[^/]*\.conf$|^\/etc\/lighttpd\/.*\.conf$/;
const UCI = /^\/etc\/config\/(upnpd|wireless|uhttpd|firewall|snmpd|[^/]*remote[^/]*)$/;
/** Vendor switches for administration from the internet (web UI reachable on the WAN side). */
const REMOTE_SWITCH =
  /^\s*(?:option\s+)?['"]?(remote_?(?:management|mgmt|admin|access|web|manage)|wan_?(?:web|http|admin|access)|http_?wan_?enable|web_?wan_?access)['"]?\s*(?:=\s*|\s+)['"]?(1|on|yes|true|enabled?)['"]?\s*$/im;
const SENSITIVE_DIRS = ["/etc/", "/bin/", "/sbin/", "/usr/", "/lib/"];

interface Hazard {
  data: HazardData;
  location: string;
}

export const configHazardsAnalyzer: Analyzer = {
  id: "config-hazards",
  version: "1",
  create() {
    const hazards: Hazard[] = [];
    const uci = new Map<string, { sections: UciSection[] }>();
    const lighttpd: { path: string; text: string }[] = [];
    let remoteSwitch: string | undefined;
    const add = (hazard: string, detail: string, location: string) =>
      hazards.push({ data: { hazard, detail }, location });

    return {
      wants: (f) =>
        f.entry.size <= MAX_TEXT &&
        (MINIUPNPD.test(f.path) ||
          HOSTAPD.test(f.path) ||
          SNMPD.test(f.path) ||
          RALINK.test(f.path) ||
          LIGHTTPD.test(f.path) ||
          f.path.startsWith("/etc/config/") ||
          /^\/etc\/[^/]*(nvram|default)[^/]*$/i.test(f.path)),
      analyze(file: FileView) {
        const text = file.text();
        const p = file.path;
        if (REMOTE_SWITCH.test(text) && !remoteSwitch) {
          const line = lineOf(text, REMOTE_SWITCH);
          remoteSwitch = `${p}:${line}`;
        }
        if (UCI.test(p)) uci.set(p.slice("/etc/config/".length), { sections: parseUci(text) });
        if (MINIUPNPD.test(p)) miniupnpd(text, p, add);
        if (HOSTAPD.test(p)) hostapd(text, p, add);
        if (SNMPD.test(p)) snmpd(text, p, add);
        if (RALINK.test(p)) ralink(text, p, add);
        if (LIGHTTPD.test(p)) lighttpd.push({ path: p, text });
      },
      finish(ctx: AnalyzerContext) {
        const get = (n: string) => uci.get(n)?.sections ?? [];
        uciUpnp(get("upnpd"), add);
        uciWireless(get("wireless"), add);
        uciSnmp(get("snmpd"), add);
        const remote = remoteAdmin(get("firewall")) ?? remoteSwitch;
        if (remote) {
          uciUhttpd(get("uhttpd"), remote, add);
          lighttpdPlain(lighttpd, remote, add);
        }
        permissions(ctx.vfs.list(), add);
        hazards.sort((a, b) => compareLocations(a.location, b.location));
        for (const h of hazards)
          ctx.emit<HazardData>({ kind: FW.hazard, subject: "device", data: h.data, location: h.location });
      },
    };
  },
};

type Add = (hazard: string, detail: string, location: string) => void;

function compareLocations(a: string, b: string): number {
  const [pa, la] = splitLocation(a);
  const [pb, lb] = splitLocation(b);
  return pa !== pb ? (pa < pb ? -1 : 1) : la - lb;
}

function splitLocation(l: string): [string, number] {
  const m = /^(.*):(\d+)$/.exec(l);
  return m ? [m[1]!, Number(m[2])] : [l, 0];
}

function lineOf(text: string, re: RegExp): number {
  const m = re.exec(text);
  return m ? text.slice(0, m.index + (m[0].length - m[0].trimStart().length)).split("\n").length : 1;
}

/** key=value lines (hostapd, miniupnpd, Ralink .dat): the last live value wins. */
function keyValues(text: string): Map<string, { value: string; line: number }> {
  const out = new Map<string, { value: string; line: number }>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) return;
    const eq = line.indexOf("=");
    if (eq <= 0) return;
    out.set(line.slice(0, eq).trim().toLowerCase(), { value: line.slice(eq + 1).trim(), line: i + 1 });
  });
  return out;
}

function miniupnpd(text: string, path: string, add: Add): void {
  const kv = keyValues(text);
  const s = kv.get("secure_mode");
  if (s && /^(no|0|off|false)$/i.test(s.value))
    add(
      "upnp-secure-mode-off",
      `miniupnpd secure_mode=${s.value}: any host on the LAN can open ports to any other host`,
      `${path}:${s.line}`,
    );
}

function uciUpnp(sections: UciSection[], add: Add): void {
  for (const s of sections) {
    if (s.type !== "upnpd") continue;
    const secure = s.options.get("secure_mode");
    if (secure && !uciBool(secure.value, true) && uciBool(s.options.get("enabled")?.value, true))
      add(
        "upnp-secure-mode-off",
        `UPnP (upnpd) option secure_mode '${secure.value}': any host on the LAN can open ports to any other host`,
        `/etc/config/upnpd:${secure.line}`,
      );
  }
}

function hostapd(text: string, path: string, add: Add): void {
  const kv = keyValues(text);
  const ssid = kv.get("ssid") ?? kv.get("ssid2");
  if (!ssid) return;
  const wpa = Number(kv.get("wpa")?.value ?? 0);
  const enc = wpa > 0 || kv.has("wep_key0") || kv.get("ieee8021x")?.value === "1";
  if (!enc)
    add(
      "open-wifi",
      `hostapd network "${ssid.value}" has no encryption (no wpa= setting)`,
      `${path}:${ssid.line}`,
    );
}

function ralink(text: string, path: string, add: Add): void {
  const kv = keyValues(text);
  const auth = kv.get("authmode");
  const enc = kv.get("encryptype");
  if (!auth || !enc) return;
  // Multi-SSID drivers list one value per SSID separated by ";": the first SSID is the main one.
  if (/^open$/i.test(auth.value.split(";")[0]!) && /^none$/i.test(enc.value.split(";")[0]!))
    add(
      "open-wifi",
      `Wi-Fi driver settings AuthMode=OPEN, EncrypType=NONE for "${kv.get("ssid1")?.value ?? kv.get("ssid")?.value ?? "SSID1"}"`,
      `${path}:${enc.line}`,
    );
}

function uciWireless(sections: UciSection[], add: Add): void {
  const disabledDevices = new Set(
    sections
      .filter((s) => s.type === "wifi-device" && uciBool(s.options.get("disabled")?.value, false))
      .map((s) => s.name),
  );
  for (const s of sections) {
    if (s.type !== "wifi-iface") continue;
    const o = (k: string) => s.options.get(k)?.value;
    if (uciBool(o("disabled"), false) || disabledDevices.has(o("device"))) continue;
    if (["sta", "monitor"].includes(o("mode") ?? "ap")) continue;
    const enc = s.options.get("encryption");
    if (enc === undefined || enc.value === "none" || enc.value === "")
      add(
        "open-wifi",
        `Wi-Fi interface "${o("ssid") ?? s.name ?? "?"}" has encryption '${enc?.value ?? "none"}'`,
        `/etc/config/wireless:${enc?.line ?? s.line}`,
      );
  }
}

const DEFAULT_COMMUNITIES = new Set(["public", "private"]);

function snmpd(text: string, path: string, add: Add): void {
  text.split(/\r?\n/).forEach((raw, i) => {
    const w = raw.trim().split(/\s+/);
    const d = w[0]?.toLowerCase();
    // rocommunity/rwcommunity COMMUNITY [source]; com2sec NAME SOURCE COMMUNITY.
    const community = /^r[ow]community6?$/.test(d ?? "")
      ? w[1]
      : /^com2sec6?$/.test(d ?? "")
        ? w[3]
        : undefined;
    if (community && DEFAULT_COMMUNITIES.has(community.toLowerCase()))
      add(
        "snmp-default-community",
        `SNMP ${d} uses the default community "${community}"${d!.startsWith("rw") ? " with write access" : ""}`,
        `${path}:${i + 1}`,
      );
  });
}

function uciSnmp(sections: UciSection[], add: Add): void {
  for (const s of sections) {
    const c = s.options.get("community");
    if (c && DEFAULT_COMMUNITIES.has(c.value.toLowerCase()))
      add(
        "snmp-default-community",
        `SNMP ${s.type} uses the default community "${c.value}"`,
        `/etc/config/snmpd:${c.line}`,
      );
  }
}

/** A firewall rule that accepts web ports from the WAN zone: remote administration. */
function remoteAdmin(firewall: UciSection[]): string | undefined {
  for (const s of firewall) {
    if (s.type !== "rule") continue;
    const o = (k: string) => s.options.get(k)?.value;
    if (o("src") !== "wan" || o("dest") !== undefined || (o("target") ?? "").toUpperCase() !== "ACCEPT")
      continue;
    if (!uciBool(o("enabled"), true)) continue;
    const ports = (o("dest_port") ?? "").split(/[\s,]+/);
    if (ports.some((p) => ["80", "8080", "443", "8443"].includes(p))) return `/etc/config/firewall:${s.line}`;
  }
  return undefined;
}

const ALL_ADDRESSES = /^(0\.0\.0\.0:|\[::\]:|\*:|:)?\d+$/;

function uciUhttpd(sections: UciSection[], remote: string, add: Add): void {
  for (const s of sections) {
    if (s.type !== "uhttpd") continue;
    if (uciBool(s.options.get("redirect_https")?.value, false)) continue;
    const open = uciValues(s, "listen_http").find((v) => ALL_ADDRESSES.test(v.value));
    if (open)
      add(
        "remote-admin-http",
        `uhttpd serves the admin interface over plain HTTP on ${open.value} and remote administration is enabled (${remote})`,
        `/etc/config/uhttpd:${open.line}`,
      );
  }
}

function lighttpdPlain(files: { path: string; text: string }[], remote: string, add: Add): void {
  if (files.length === 0) return;
  const all = files.map((f) => f.text).join("\n");
  if (/^\s*ssl\.engine\s*=\s*"enable"/m.test(all)) return;
  const bind = /^\s*server\.bind\s*=\s*"([^"]*)"/m.exec(all)?.[1];
  if (bind && bind !== "0.0.0.0" && bind !== "::") return;
  const f = files.find((x) => /^\s*server\.port\s*=/m.test(x.text)) ?? files[0]!;
  add(
    "remote-admin-http",
    `lighttpd serves without TLS (no ssl.engine) on all addresses and remote administration is enabled (${remote})`,
    `${f.path}:${lineOf(f.text, /^\s*server\.port\s*=/m)}`,
  );
}

/** World-writable files and directories where code and configuration live; writable setuid programs. */
function permissions(entries: VEntry[], add: Add): void {
  const worldWritable: VEntry[] = [];
  const setuid: VEntry[] = [];
  for (const e of entries) {
    if (e.type !== "file" && e.type !== "dir") continue;
    if (e.type === "file" && e.mode & 0o6000 && e.mode & 0o022) setuid.push(e);
    else if (
      e.mode & 0o002 &&
      !(e.type === "dir" && e.mode & 0o1000) &&
      SENSITIVE_DIRS.some((d) => e.path.startsWith(d))
    )
      worldWritable.push(e);
  }
  const report = (list: VEntry[], hazard: string, what: (e: VEntry) => string) => {
    list.slice(0, MAX_PERMISSION_HAZARDS).forEach((e) => add(hazard, what(e), e.path));
    if (list.length > MAX_PERMISSION_HAZARDS)
      add(
        hazard,
        `${list.length - MAX_PERMISSION_HAZARDS} more paths like these, e.g. ${list[MAX_PERMISSION_HAZARDS]!.path}`,
        list[MAX_PERMISSION_HAZARDS]!.path,
      );
  };
  report(
    setuid,
    "setuid-writable",
    (e) =>
      `${e.mode & 0o4000 ? "setuid" : "setgid"} program ${e.path} (mode ${octal(e.mode)}) is writable by ${e.mode & 0o002 ? "everyone" : "its group"}`,
  );
  report(
    worldWritable,
    "world-writable",
    (e) =>
      `${e.type === "dir" ? "directory" : "file"} ${e.path} (mode ${octal(e.mode)}) is writable by everyone`,
  );
}

const octal = (m: number) => `0${(m & 0o7777).toString(8).padStart(3, "0")}`;
