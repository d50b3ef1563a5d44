// Update-mechanism hints: how a firmware updates itself (OpenWrt sysupgrade, vendor fwupdate
// scripts and OTA daemons), whether anything verifies what it installs (usign/ucert with the keys
// in /etc/opkg/keys, openssl -verify, gpgv, RAUC keyrings, Mender and SWUpdate verify keys), and
// the URLs updates come from (http:// can be swapped on the path, https:// cannot).
//
// Verification counts only when the tool it calls is in the image and nothing makes it optional:
// OpenWrt's fwtool_check_signature returns success without checking unless REQUIRE_IMAGE_SIGNATURE
// is 1, so a stock sysupgrade installs unsigned images.
import type { UpdateData } from "../../../evidence/firmware.js";
import { FW } from "../../../evidence/firmware.js";
import type { VirtualFS } from "../vfs.js";
import { parseUci, uciBool } from "./services/uci.js";
import type { Analyzer, AnalyzerContext, FileView } from "./types.js";

const MAX_TEXT = 1024 * 1024;
const BIN_DIRS = /^\/(usr\/(local\/)?)?s?bin\/|^\/usr\/libexec\/|^\/lib\/upgrade\/|^\/etc\/init\.d\//;
const UPDATER =
  /^(fw_?update|fwupdate|firmware_?update|fw_?upgrade|fwupgrade|firmware_?upgrade|upgrade_?(fw|firmware)|update_?(fw|firmware)|ota(_?(update|upgrade|client|agent|d))?|swupdate|rauc|mender|fwupd|upgraded|do_upgrade|flash_?update|auto_?upgrade|cloud_?upgrade)(\.sh|\.lua|\.py)?$/i;
const OPKG_KEY = /^\/etc\/opkg\/keys\/[^/]+$/;
const KEY_PATH = /(update|upgrade|firmware|\bfw|ota|swupdate|rauc|mender|sign|verif|keys?\b)/i;
const PEM_PUBLIC = /-----BEGIN (PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE|PGP PUBLIC KEY BLOCK)-----/;
const URL = /\b(https?|ftps?|tftp):\/\/[^\s"'<>`;()[\]{}|\\]+/gi;
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0)(:\d+)?$/i;
const UPDATE_WORDS =
  /(update|upgrade|firmware|\bfw[_\-./]|\bota\b|[/_.-]ota[/_.-]|sysupgrade|opkg|src\/gz|\.(bin|img|trx|ipk|swu|raucb|mender)\b)/i;

/** Verification commands: the tool, and what in a line calls it to verify. */
const VERIFIERS: { tool: string; re: RegExp; what: string }[] = [
  { tool: "ucert", re: /\bucert\b[^\n]*\s-V\b/, what: "ucert -V (signed image certificate)" },
  { tool: "usign", re: /\busign\b[^\n]*\s-V\b/, what: "usign -V (Ed25519 signature)" },
  {
    tool: "openssl",
    re: /\bopenssl\s+(dgst|pkeyutl|rsautl|smime|cms)\b[^\n]*-verify/,
    what: "openssl signature verification",
  },
  { tool: "gpgv", re: /\bgpgv\b/, what: "gpgv" },
  { tool: "gpg", re: /\bgpg2?\b[^\n]*--verify/, what: "gpg --verify" },
  { tool: "signify", re: /\bsignify\b[^\n]*\s-V\b/, what: "signify -V" },
  { tool: "minisign", re: /\bminisign\b[^\n]*\s-V\b/, what: "minisign -V" },
];

interface Hint {
  data: UpdateData;
  location: string;
}

interface Pending {
  tool: string;
  what: string;
  location: string;
  /** The script gates the check on REQUIRE_IMAGE_SIGNATURE (OpenWrt fwtool.sh). */
  gated: boolean;
}

const isText = (head: Uint8Array) => !head.includes(0);
const isScript = (head: Uint8Array) => head[0] === 0x23 && head[1] === 0x21;
const liveLines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l, i) => ({ l, n: i + 1 }))
    .filter(({ l }) => l.trim() && !l.trim().startsWith("#"));

export const updateHintsAnalyzer: Analyzer = {
  id: "update-hints",
  version: "1",
  create() {
    const hints: Hint[] = [];
    const pending: Pending[] = [];
    let requireSignature: string | undefined;
    let keepList = false;
    const add = (data: UpdateData, location: string) => hints.push({ data, location });

    return {
      wants(f) {
        if (f.path === "/sbin/sysupgrade" || (BIN_DIRS.test(f.path) && UPDATER.test(base(f.path))))
          return true;
        if (f.entry.size > MAX_TEXT || f.entry.size === 0) return false;
        if (f.path.startsWith("/etc/") || f.path.startsWith("/lib/upgrade/")) return isText(f.head());
        const h = f.head();
        return isScript(h) && isText(h);
      },
      analyze(file: FileView) {
        const p = file.path;
        const name = base(p);
        if (p === "/etc/sysupgrade.conf") keepList = true;
        if (p === "/sbin/sysupgrade")
          add({ hint: "sysupgrade", detail: "OpenWrt sysupgrade flashes images" }, p);
        else if (BIN_DIRS.test(p) && UPDATER.test(name)) {
          const h = file.entry.size > 0 ? file.head() : new Uint8Array();
          const script = isScript(h) || (h.length > 0 && isText(h) && !startsElf(h));
          add(
            {
              hint: script ? "updater-script" : "updater-binary",
              detail: `${script ? "update script" : "update program"} ${name}`,
            },
            p,
          );
        }
        if (file.entry.size > MAX_TEXT || !isText(file.head())) return;
        const text = file.text();
        if (OPKG_KEY.test(p)) usignKey(text, p, add);
        else if (PEM_PUBLIC.test(text) && KEY_PATH.test(p)) {
          const kind = PEM_PUBLIC.exec(text)![1]!.toLowerCase();
          add({ hint: "signing-key", detail: `${kind} ${p}` }, p);
        }
        if (/^\s*(export\s+)?REQUIRE_IMAGE_SIGNATURE=["']?1\b/m.test(text))
          requireSignature ??= `${p}:${lineOfRe(text, /^\s*(export\s+)?REQUIRE_IMAGE_SIGNATURE=["']?1\b/m)}`;
        if (p === "/etc/config/system") {
          const s = parseUci(text)
            .find((x) => x.type === "system")
            ?.options.get("require_image_signature");
          if (s && uciBool(s.value, false)) requireSignature ??= `${p}:${s.line}`;
        }
        verifiers(text, p, pending, add);
        urls(text, p, UPDATER.test(name) || p.startsWith("/lib/upgrade/") || p === "/sbin/sysupgrade", add);
      },
      finish(ctx: AnalyzerContext) {
        if (keepList)
          for (const h of hints)
            if (h.data.hint === "sysupgrade")
              h.data.detail += " (keeping the files listed in /etc/sysupgrade.conf)";
        for (const v of pending) {
          const present = toolIn(ctx.vfs, v.tool);
          if (!present)
            add(
              {
                hint: "verification-optional",
                detail: `${v.what} is called but ${v.tool} is not in the image`,
              },
              v.location,
            );
          else if (v.gated && !requireSignature)
            add(
              {
                hint: "verification-optional",
                detail: `${v.what} runs only when REQUIRE_IMAGE_SIGNATURE=1, which nothing sets: unsigned images are accepted`,
              },
              v.location,
            );
          else
            add(
              {
                hint: "verification",
                detail: `${v.what} with ${present}${v.gated ? ` (required by ${requireSignature})` : ""}`,
              },
              v.location,
            );
        }
        hints.sort((a, b) => compare(a.location, b.location));
        for (const h of hints)
          ctx.emit<UpdateData>({ kind: FW.update, subject: "update", data: h.data, location: h.location });
      },
    };
  },
};

const base = (p: string) => p.slice(p.lastIndexOf("/") + 1);
const startsElf = (h: Uint8Array) => h[0] === 0x7f && h[1] === 0x45 && h[2] === 0x4c && h[3] === 0x46;

function compare(a: string, b: string): number {
  const [pa, la] = split(a);
  const [pb, lb] = split(b);
  return pa !== pb ? (pa < pb ? -1 : 1) : la - lb;
}

function split(l: string): [string, number] {
  const m = /^(.*):(\d+)$/.exec(l);
  return m ? [m[1]!, Number(m[2])] : [l, 0];
}

function lineOfRe(text: string, re: RegExp): number {
  const m = re.exec(text);
  return m ? text.slice(0, m.index).split("\n").length + (m[0].startsWith("\n") ? 1 : 0) : 1;
}

function toolIn(vfs: VirtualFS, tool: string): string | undefined {
  for (const d of ["/usr/bin", "/usr/sbin", "/bin", "/sbin", "/usr/local/bin"]) {
    const e = vfs.resolve(`${d}/${tool}`);
    if (e?.type === "file") return `${d}/${tool}`;
  }
  return undefined;
}

/** usign public keys: "untrusted comment: ..." then base64 of "Ed" + 8-byte key id + 32-byte key. */
function usignKey(text: string, path: string, add: (d: UpdateData, l: string) => void): void {
  const lines = text.split(/\r?\n/);
  const comment = /^untrusted comment:\s*(.*)$/.exec(lines[0] ?? "")?.[1];
  const b64 = (lines[1] ?? "").trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return;
  const raw = Buffer.from(b64, "base64");
  if (raw.length !== 42 || raw[0] !== 0x45 || raw[1] !== 0x64) return;
  const id = raw.subarray(2, 10).toString("hex");
  add(
    { hint: "signing-key", detail: `usign Ed25519 public key ${id}${comment ? ` (${comment})` : ""}` },
    path,
  );
}

function verifiers(
  text: string,
  path: string,
  pending: Pending[],
  add: (d: UpdateData, l: string) => void,
): void {
  const gated = /\bREQUIRE_IMAGE_SIGNATURE\b/.test(text);
  for (const { l, n } of liveLines(text)) {
    for (const v of VERIFIERS)
      if (v.re.test(l)) pending.push({ tool: v.tool, what: v.what, location: `${path}:${n}`, gated });
    if (/^\s*option\s+check_signature\b/.test(l) && /opkg/.test(path))
      pending.push({
        tool: "usign",
        what: "opkg check_signature (package feeds)",
        location: `${path}:${n}`,
        gated: false,
      });
  }
  // Update frameworks that verify by configuration: RAUC keyring, Mender and SWUpdate verify keys.
  const keyring = /^\s*\[keyring\][^[]*?^\s*path\s*=\s*(\S+)/m.exec(text);
  if (/\/rauc\/system\.conf$/.test(path) && keyring)
    add({ hint: "verification", detail: `RAUC verifies bundles against keyring ${keyring[1]}` }, path);
  const mender = /"ArtifactVerifyKey"\s*:\s*"([^"]+)"/.exec(text);
  if (/mender[^/]*\.conf$/.test(path) && mender)
    add({ hint: "verification", detail: `Mender verifies artifacts with ${mender[1]}` }, path);
  const swu = /public-key-file\s*=\s*"([^"]+)"/.exec(text);
  if (/swupdate[^/]*\.cfg$/.test(path) && swu)
    add({ hint: "verification", detail: `SWUpdate verifies images with ${swu[1]}` }, path);
}

function urls(text: string, path: string, updater: boolean, add: (d: UpdateData, l: string) => void): void {
  const seen = new Set<string>();
  for (const { l, n } of liveLines(text)) {
    for (const m of l.matchAll(URL)) {
      const url = m[0].replace(/[.,]+$/, "");
      const scheme = m[1]!.toLowerCase();
      const host = url.slice(scheme.length + 3).split("/")[0]!;
      if (!host || LOOPBACK.test(host) || seen.has(url)) continue;
      if (!updater && !UPDATE_WORDS.test(l)) continue;
      seen.add(url);
      add(
        {
          hint: "update-url",
          detail: l.trim().slice(0, 200),
          url,
          // Every scheme but https (and ftps) carries the update in clear text.
          plainHttp: scheme !== "https" && scheme !== "ftps",
        },
        `${path}:${n}`,
      );
    }
  }
}
