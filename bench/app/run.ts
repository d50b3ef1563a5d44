// bench/app: one realistic companion APK (bench/app/apk.ts: about 27 MB, four classes*.dex with ~200k
// strings, assets, res/raw, a resources.arsc naming a network security configuration, signed v1 + v2
// by apksigner with an openssl key). Concord's `concord app <apk> --json` (the built CLI, as a user
// runs it) against what a lab strings together from Debian when MobSF is not at hand:
//   aapt dump badging                       package, versions, SDKs, debuggable
//   aapt dump xmltree AndroidManifest.xml   flags, the network security config reference, components
//   aapt dump --values resources            which res/xml file that reference names
//   aapt dump xmltree <that file>           cleartext and trust anchors
//   apksigner verify --print-certs -v       schemes and signer DN
//   unzip -p 'classes*.dex' | strings | grep http://   plain-HTTP URLs in code
// Three runs each; prints the medians, the ratio of Concord to the peers together, and what each
// found, scored against what the APK was built with. Goal: at most the peers' total time, and at
// least their findings.
//
// Run: npm run bench:app   (needs aapt, apksigner, binutils, unzip, openssl, python3; and a current
// dist/: npm run build)
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { CHECKS } from "../../src/checks/index.js";
import { analyzeAppFile, anyAppEvidence } from "../../src/collect/app/collector.js";
import { EvidenceIndex } from "../../src/evidence/types.js";
import { buildApk, type Truth } from "./apk.js";

const RUNS = Number(process.argv[2] ?? 3);
const root = join(import.meta.dirname, "../..");
const cli = join(root, "bin/concord.js");

for (const tool of ["aapt", "apksigner", "strings", "unzip", "openssl", "python3"])
  if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0)
    throw new Error(`${tool} is not installed (apt-get install aapt apksigner binutils unzip openssl)`);

/** Sources of the app command newer than their compiled file: the CLI would run old code. */
function staleDist(): string[] {
  const stale: string[] = [];
  const visit = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.name.endsWith(".ts")) {
        const out = join(root, "dist", relative(join(root, "src"), p)).replace(/\.ts$/, ".js");
        if (!existsSync(out) || statSync(out).mtimeMs < statSync(p).mtimeMs) stale.push(relative(root, p));
      }
    }
  };
  for (const d of ["src/collect/app", "src/checks", "src/cli"]) visit(join(root, d));
  return stale;
}

function run(cmd: string, args: string[], okStatus = [0]): { ms: number; out: string } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.error || !okStatus.includes(r.status ?? -1))
    throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${r.error?.message ?? r.stderr}`);
  return { ms, out: r.stdout };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

// --- aapt's xmltree output as a tree -------------------------------------------------------------

interface XNode {
  name: string;
  attrs: Map<string, string>;
  text: string[];
  children: XNode[];
}

/** Parse `aapt dump xmltree` (E: element, A: attribute, C: text; nesting by indentation). */
function xmltree(out: string): XNode {
  const top: XNode = { name: "", attrs: new Map(), text: [], children: [] };
  const stack: { indent: number; node: XNode }[] = [{ indent: -1, node: top }];
  for (const line of out.split("\n")) {
    const m = /^( *)([EAC]): (.*)$/.exec(line);
    if (!m) continue;
    const indent = m[1]!.length;
    while (stack.length > 1 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const parent = stack[stack.length - 1]!.node;
    if (m[2] === "E") {
      const node: XNode = {
        name: m[3]!.replace(/ \(line=\d+\)$/, ""),
        attrs: new Map(),
        text: [],
        children: [],
      };
      parent.children.push(node);
      stack.push({ indent, node });
    } else if (m[2] === "A") {
      const a = /^([^=(]+)(?:\(0x[0-9a-f]+\))?=(.*)$/.exec(m[3]!);
      if (a) parent.attrs.set(a[1]!, a[2]!.replace(/^"(.*)" \(Raw: .*\)$/, "$1"));
    } else parent.text.push(m[3]!.replace(/^"(.*)"$/, "$1"));
  }
  return top;
}

const isTrue = (v: string | undefined) => v === "(type 0x12)0xffffffff";
const isFalse = (v: string | undefined) => v === "(type 0x12)0x0";
function* walk(n: XNode): Generator<XNode> {
  yield n;
  for (const c of n.children) yield* walk(c);
}

// --- one run of each side ------------------------------------------------------------------------

interface Found {
  package?: string;
  version?: string;
  sdk?: string;
  debuggable?: boolean;
  /** "base permitted|not permitted; domains: a, b" */
  cleartext?: string;
  userCAs?: boolean;
  signerDN?: string;
  schemes?: string;
  /** Exported components without a permission, not the launcher. */
  exported: string[];
  urls: string[];
  secrets: string[];
}

/** The Debian tools, chained as a lab does; each timed. */
function peers(apk: string): { ms: Record<string, number>; found: Found } {
  const ms: Record<string, number> = {};
  const badging = run("aapt", ["dump", "badging", apk]);
  ms["aapt dump badging"] = badging.ms;
  const manifest = run("aapt", ["dump", "xmltree", apk, "AndroidManifest.xml"]);
  ms["aapt dump xmltree AndroidManifest.xml"] = manifest.ms;
  const resources = run("aapt", ["dump", "--values", "resources", apk]);
  ms["aapt dump --values resources"] = resources.ms;
  // The manifest names the configuration by resource id; the resource dump turns it into a file.
  const tree = xmltree(manifest.out);
  const app = [...walk(tree)].find((n) => n.name === "application");
  const nscRef = app?.attrs.get("android:networkSecurityConfig")?.replace(/^@/, "");
  let nsc: XNode | undefined;
  if (nscRef) {
    // "resource 0x7f040000 pkg:xml/name: t=0x03 ..." and, with --values, the string on the next line
    const value = new RegExp(String.raw`^ +resource ${nscRef} [^\n]*\n +\(string8\) "([^"]+)"`, "m");
    const file = value.exec(resources.out)?.[1];
    if (file) {
      const x = run("aapt", ["dump", "xmltree", apk, file]);
      ms["aapt dump xmltree <network security config>"] = x.ms;
      nsc = xmltree(x.out);
    }
  }
  const signer = run("apksigner", ["verify", "--print-certs", "-v", apk]);
  ms["apksigner verify --print-certs -v"] = signer.ms;
  const strings = run("bash", [
    "-c",
    `set -o pipefail; unzip -p "$1" 'classes*.dex' | strings | { grep -oE 'http://[^[:space:]]+' || true; } | sort -u`,
    "bash",
    apk,
  ]);
  ms["unzip -p classes*.dex | strings | grep http://"] = strings.ms;

  const b = badging.out;
  const found: Found = { exported: [], urls: [], secrets: [] };
  const pkg = /^package: name='([^']*)' versionCode='([^']*)' versionName='([^']*)'/m.exec(b);
  if (pkg) {
    found.package = pkg[1];
    found.version = `${pkg[3]} (${pkg[2]})`;
  }
  const min = /^sdkVersion:'(\d+)'/m.exec(b)?.[1];
  const target = /^targetSdkVersion:'(\d+)'/m.exec(b)?.[1];
  found.sdk = `min ${min ?? "?"}, target ${target ?? "?"}`;
  found.debuggable = /^application-debuggable$/m.test(b);
  if (nsc) {
    const nodes = [...walk(nsc)];
    const base = nodes.find((n) => n.name === "base-config")?.attrs.get("cleartextTrafficPermitted");
    const domains = nodes
      .filter((n) => n.name === "domain-config" && isTrue(n.attrs.get("cleartextTrafficPermitted")))
      .flatMap((n) => n.children.filter((c) => c.name === "domain").flatMap((c) => c.text))
      .sort();
    found.cleartext = `base ${isTrue(base) ? "permitted" : isFalse(base) ? "not permitted" : "default"}; domains: ${domains.join(", ") || "none"}`;
    found.userCAs = nodes.some((n) => n.name === "certificates" && n.attrs.get("src") === "user");
  } else if (app) {
    const flag = app.attrs.get("android:usesCleartextTraffic");
    found.cleartext = `base ${isTrue(flag) ? "permitted" : isFalse(flag) ? "not permitted" : "default"}; domains: none`;
  }
  for (const n of walk(tree)) {
    if (!["activity", "activity-alias", "service", "receiver", "provider"].includes(n.name)) continue;
    const launcher = n.children.some(
      (f) =>
        f.name === "intent-filter" &&
        f.children.some((c) => c.attrs.get("android:name") === "android.intent.category.LAUNCHER"),
    );
    if (isTrue(n.attrs.get("android:exported")) && !n.attrs.has("android:permission") && !launcher)
      found.exported.push(n.attrs.get("android:name") ?? "?");
  }
  const s = signer.out;
  found.signerDN = /^Signer #1 certificate DN: (.*)$/m.exec(s)?.[1];
  found.schemes = ["v1", "v2", "v3"]
    .filter((v) => new RegExp(`^Verified using ${v} scheme.*: true$`, "m").test(s))
    .join(", ");
  found.urls = strings.out.split("\n").filter(Boolean);
  return { ms, found };
}

interface Report {
  evidence: { kind: string; data: Record<string, unknown> }[];
  findings: { check: string; status: string; message: string }[];
}

function concord(apk: string): { ms: number; found: Found; report: Report } {
  // exit status 1: some finding fails, which is the point of this APK
  const r = run(process.execPath, [cli, "app", apk, "--json"], [0, 1]);
  const report = JSON.parse(r.out) as Report;
  const of = (kind: string) => report.evidence.filter((e) => e.kind === kind).map((e) => e.data);
  const m = of("app.manifest")[0] as Record<string, unknown> & { package: string; debuggable: boolean };
  const nsc = of("app.network-config")[0] as
    { cleartextDomains: string[]; baseCleartext?: boolean } | undefined;
  const signing = of("app.signing")[0] as {
    schemes: string[];
    signers: { scheme: string; subject: string; verified: boolean }[];
  };
  const base = nsc ? nsc.baseCleartext : (m.usesCleartextTrafficDeclared as boolean | undefined);
  return {
    ms: r.ms,
    report,
    found: {
      package: m.package,
      version: `${String(m.versionName)} (${String(m.versionCode)})`,
      sdk: `min ${String(m.minSdk)}, target ${String(m.targetSdk)}`,
      debuggable: m.debuggable,
      cleartext: `base ${base === true ? "permitted" : base === false ? "not permitted" : "default"}; domains: ${nsc?.cleartextDomains.join(", ") || "none"}`,
      userCAs: m.userCAs === "trusted-by-config" || m.userCAs === "trusted-by-default",
      signerDN: [...new Set(signing.signers.map((x) => x.subject))].join(" | "),
      schemes: signing.schemes
        .filter((sc) => signing.signers.some((x) => x.scheme === sc && x.verified))
        .join(", "),
      exported: of("app.component")
        .filter((c) => c.exported && !c.permission && !c.launcher)
        .map((c) => String(c.name)),
      urls: of("app.endpoint").map((e) => `${String(e.url)}  [${String(e.file)}]`),
      secrets: of("app.secret").map((e) => `${String(e.format)} ${String(e.redacted)} in ${String(e.file)}`),
    },
  };
}

/** The same analysis and checks in this process: what remains without process start and CLI load. */
function inProcess(apk: string): number {
  const t0 = performance.now();
  const index = new EvidenceIndex(anyAppEvidence(analyzeAppFile(apk, "bench.apk"), new Date().toISOString()));
  for (const check of CHECKS) check.evaluate(index, { asOf: "2026-01-01" });
  return performance.now() - t0;
}

// --- scoring against what was planted ------------------------------------------------------------

/** A distinguished name as its set of attribute=value pairs: the tools print them in opposite orders. */
const dn = (s: string | undefined) =>
  (s ?? "")
    .split(/,\s*/)
    .map((x) => x.trim())
    .filter(Boolean)
    .sort()
    .join(", ");

function expected(t: Truth): Omit<Found, "urls" | "secrets" | "schemes"> {
  return {
    package: t.package,
    version: `${t.versionName} (${t.versionCode})`,
    sdk: `min ${t.minSdk}, target ${t.targetSdk}`,
    debuggable: t.debuggable,
    cleartext: `base ${t.baseCleartext ? "permitted" : "not permitted"}; domains: ${t.cleartextDomains.join(", ")}`,
    userCAs: true,
    signerDN: t.signerSubject,
    exported: [".hub.HubDiscoveryReceiver"],
  };
}

/** Score the http:// URLs a side reported against the planted ones. */
function scoreUrls(urls: string[], t: Truth) {
  const bare = urls.map((u) => u.replace(/ {2}\[.*\]$/, ""));
  const endpoints = new Set([...t.httpInDex, ...t.httpElsewhere]);
  return {
    inDex: bare.filter((u) => t.httpInDex.includes(u)).length,
    elsewhere: bare.filter((u) => t.httpElsewhere.includes(u)).length,
    notEndpoints: bare.filter((u) => t.httpNotEndpoints.includes(u)).length,
    other: bare.filter((u) => !endpoints.has(u) && !t.httpNotEndpoints.includes(u)),
  };
}

// --- the run ---------------------------------------------------------------------------------------

const stale = staleDist();
if (stale.length)
  console.log(`warning: dist/ is older than ${stale.length} source file(s) (${stale[0]} ...): npm run build`);

const work = mkdtempSync(join(tmpdir(), "concord-bench-app-"));
try {
  const t0 = performance.now();
  const { apk, truth } = buildApk(work);
  const entries = run("unzip", ["-Z1", apk]).out.split("\n").filter(Boolean).length;
  console.log(
    `APK: ${(statSync(apk).size / 1024 / 1024).toFixed(1)} MB, ${entries} entries, ${truth.dexStrings} dex strings in 4 classes*.dex, signed v1 + v2 by apksigner (built in ${secs(performance.now() - t0)})`,
  );

  const startMs: number[] = [];
  const libraryMs: number[] = [];
  const concordMs: number[] = [];
  const peerTotals: number[] = [];
  const peerMs: Record<string, number[]> = {};
  let c: ReturnType<typeof concord> | undefined;
  let p: ReturnType<typeof peers> | undefined;
  for (let i = 0; i < RUNS; i++) {
    startMs.push(run(process.execPath, [cli, "--version"]).ms);
    libraryMs.push(inProcess(apk));
    c = concord(apk);
    concordMs.push(c.ms);
    p = peers(apk);
    peerTotals.push(Object.values(p.ms).reduce((s, x) => s + x, 0));
    for (const [k, v] of Object.entries(p.ms)) (peerMs[k] ??= []).push(v);
  }
  if (!c || !p) throw new Error("no runs");

  const cm = median(concordMs);
  const pm = median(peerTotals);
  console.log(`\nmedian of ${RUNS} runs`);
  console.log(`  concord app --json (the built CLI)              ${secs(cm)}`);
  console.log(
    `    of which process start and CLI load          ${secs(median(startMs))} (concord --version)`,
  );
  console.log(`    analysis and checks alone (in this process)  ${secs(median(libraryMs))}`);
  for (const [k, v] of Object.entries(peerMs)) console.log(`  ${k.padEnd(47)} ${secs(median(v))}`);
  console.log(`  peers together                                  ${secs(pm)}`);
  console.log(`  ratio concord / peers                           ${(cm / pm).toFixed(2)}x (goal <= 1.00x)`);

  const want = expected(truth);
  const rows: [string, (f: Found) => string, string][] = [
    ["package", (f) => f.package ?? "-", want.package!],
    ["version", (f) => f.version ?? "-", want.version!],
    ["SDKs", (f) => f.sdk ?? "-", want.sdk!],
    ["debuggable", (f) => String(f.debuggable ?? "-"), String(want.debuggable)],
    ["cleartext", (f) => f.cleartext ?? "-", want.cleartext!],
    ["user CAs trusted", (f) => String(f.userCAs ?? "-"), String(want.userCAs)],
    ["exported, no permission", (f) => f.exported.join(", ") || "none", want.exported.join(", ")],
    ["signer DN", (f) => f.signerDN ?? "-", want.signerDN!],
    ["verified schemes", (f) => f.schemes || "none", "v1, v2"],
  ];
  console.log("\nWhat each found (ok: as built)");
  let concordMisses = 0;
  let peerMisses = 0;
  for (const [label, get, truthValue] of rows) {
    const same = (v: string) => (label === "signer DN" ? dn(v) === dn(truthValue) : v === truthValue);
    const cv = get(c.found);
    const pv = get(p.found);
    if (!same(cv)) concordMisses++;
    if (!same(pv)) peerMisses++;
    console.log(`  ${label}`);
    console.log(`    concord: ${cv}${same(cv) ? "  ok" : "  WRONG"}`);
    console.log(`    peers:   ${pv}${same(pv) ? "  ok" : "  WRONG"}`);
  }
  const cu = scoreUrls(c.found.urls, truth);
  const pu = scoreUrls(p.found.urls, truth);
  const planted = `${truth.httpInDex.length} planted in dex, ${truth.httpElsewhere.length} in resources and assets, ${truth.httpNotEndpoints.length} non-endpoint http:// strings in dex`;
  console.log(`  plain-HTTP URLs (${planted})`);
  console.log(
    `    concord: ${c.found.urls.length} endpoints: ${cu.inDex} from dex, ${cu.elsewhere} from resources/assets, ${cu.notEndpoints} non-endpoints, ${cu.other.length} unexpected`,
  );
  console.log(
    `    peers:   ${p.found.urls.length} unique http:// strings: ${pu.inDex} planted endpoints, ${pu.notEndpoints} non-endpoints (namespaces, loopback, a %s template) to weed out by hand, ${pu.other.length} unexpected`,
  );
  for (const u of [...cu.other.map((x) => `concord: ${x}`), ...pu.other.map((x) => `peers: ${x}`)])
    console.log(`      unexpected ${u}`);
  console.log(`  secrets (planted: an AWS access key id in classes3.dex, a password in assets/config)`);
  console.log(`    concord: ${c.found.secrets.join("; ") || "none"}`);
  console.log(`    peers:   not searched (the chain greps for http:// only)`);
  const peerEndpoints = p.found.urls.filter((u) => truth.httpInDex.includes(u));
  const missed = peerEndpoints.filter((u) => !c.found.urls.some((x) => x.startsWith(`${u}  [`)));
  console.log("\nConcord's failing findings:");
  for (const f of c.report.findings.filter((x) => x.status === "fail"))
    console.log(`  ${f.check}: ${f.message.length > 150 ? `${f.message.slice(0, 150)}...` : f.message}`);

  console.log(`\nFacts wrong or missing: concord ${concordMisses}, peers ${peerMisses}`);
  console.log(
    `Peer endpoints Concord did not report: ${missed.length ? missed.join(", ") : "none"}; endpoints only Concord found: ${cu.inDex + cu.elsewhere - (pu.inDex - missed.length)}`,
  );
  console.log(
    `Goal: time ${cm <= pm ? "met" : "NOT met"} (${(cm / pm).toFixed(2)}x), findings ${concordMisses <= peerMisses && missed.length === 0 ? "met" : "NOT met"}`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
