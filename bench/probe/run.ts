// bench/probe: one run against the insecure demo device (scripts/demo-device.sh, in network
// namespaces; needs root). Concord's full probe (scan, identification, credentials, TLS, SSH, UDP,
// UPnP, HTTP) against what a lab would otherwise string together: nmap -sT on the same ports with
// telnet-brute and http-brute on the same dictionary, ssl-enum-ciphers and ssh2-enum-algos, then
// sslscan and ssh-audit. Prints each time, the ratio of Concord to the peers together, and what
// each found. Goal: at least the same findings in at most the peers' total time.
//
// Run: sudo npm run bench:probe   (needs the packages .ci/run installs)
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_PORTS } from "../../src/collect/probe/ports.js";
import { concordInLab, labUp } from "../../test/probe/demo/lab.js";

const work = mkdtempSync(join(tmpdir(), "concord-bench-probe-"));
const ports = DEFAULT_PORTS.join(",");

function inLab(lab: string, cmd: string, args: string[]): { ms: number; out: string } {
  const t0 = performance.now();
  const r = spawnSync("ip", ["netns", "exec", lab, cmd, ...args], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    timeout: 15 * 60_000,
  });
  const ms = performance.now() - t0;
  if (r.error) throw new Error(`${cmd} failed: ${r.error.message}`);
  return { ms, out: `${r.stdout}${r.stderr}` };
}

/** The shipped dictionary as nmap's brute.credfile ("user/password" per line). */
function credfile(): string {
  const csv = readFileSync(
    join(import.meta.dirname, "../../catalog/credentials/default-credentials.csv"),
    "utf8",
  );
  const pairs = csv
    .split("\n")
    .slice(1)
    .map((l) => /^([^,]*),([^,]*),/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `${m[1]}/${m[2]}`);
  const f = join(work, "creds.txt");
  writeFileSync(f, `${pairs.join("\n")}\n`);
  return f;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const lab = labUp("bench");
try {
  const target = lab.insecure;
  console.log(`target: the insecure demo device ${target}, ${DEFAULT_PORTS.length} TCP ports`);

  // Concord twice: with its polite defaults (20 new connections a second, 8 at once, 4 logins at
  // once per service), and with limits closer to what nmap's brute scripts allow themselves.
  const FAST = ["--rate", "100", "--concurrency", "16", "--login-concurrency", "8"];
  const run = async (extra: string[]) => {
    const t0 = performance.now();
    const c = await concordInLab(lab, ["probe", target, "--json", "--budget", "900", ...extra]);
    const report = JSON.parse(c.stdout) as { findings: { check: string; status: string; message: string }[] };
    return { ms: performance.now() - t0, failing: report.findings.filter((f) => f.status === "fail") };
  };
  const polite = await run([]);
  const fast = await run(FAST);
  const concordMs = polite.ms;
  const failing = polite.failing;

  const nmap = inLab(lab.name, "nmap", [
    "-sT",
    "-Pn",
    "-n",
    "-p",
    ports,
    "--script",
    "telnet-brute,http-brute,ssl-enum-ciphers,ssh2-enum-algos,ftp-anon",
    "--script-args",
    `brute.credfile=${credfile()},http-brute.path=/,unpwdb.timelimit=0`,
    target,
  ]);
  const sslscan = inLab(lab.name, "sslscan", ["--no-colour", `${target}:443`]);
  const sshAudit = [22, 2222].map((p) => inLab(lab.name, "ssh-audit", ["-n", `${target}:${p}`]));
  const peersMs = nmap.ms + sslscan.ms + sshAudit.reduce((s, r) => s + r.ms, 0);

  console.log("");
  console.log(`concord probe (everything)        ${secs(concordMs)}   (defaults)`);
  console.log(
    `concord probe ${FAST.join(" ")}  ${secs(fast.ms)}   (${fast.failing.length} failing findings)`,
  );
  console.log(`nmap -sT + NSE brute/tls/ssh      ${secs(nmap.ms)}`);
  console.log(`sslscan :443                      ${secs(sslscan.ms)}`);
  console.log(`ssh-audit :22 and :2222           ${secs(sshAudit.reduce((s, r) => s + r.ms, 0))}`);
  console.log(`peers together                    ${secs(peersMs)}`);
  console.log(
    `ratio concord / peers             ${(concordMs / peersMs).toFixed(2)}x with the defaults, ${(fast.ms / peersMs).toFixed(2)}x with ${FAST.join(" ")}`,
  );

  console.log("\nWhat each found:");
  console.log(`  concord: ${failing.length} failing findings`);
  for (const f of failing) console.log(`    ${f.check}: ${f.message}`);
  const nmapValid = nmap.out
    .split("\n")
    .filter((l) => /Valid credentials|Anonymous FTP login allowed/.test(l));
  console.log(`  nmap: ${nmapValid.length} credential lines`);
  for (const l of nmapValid) console.log(`    ${l.trim()}`);
  const weakTls = sslscan.out.split("\n").filter((l) => /(SSLv3|TLSv1\.0|TLSv1\.1)\s+enabled/i.test(l));
  console.log(`  sslscan: ${weakTls.map((l) => l.trim()).join("; ") || "no legacy protocol enabled"}`);
  for (const [i, r] of sshAudit.entries()) {
    const fails = r.out.split("\n").filter((l) => /\[fail\]/.test(l)).length;
    console.log(`  ssh-audit :${[22, 2222][i]}: ${fails} [fail] lines`);
  }
} finally {
  lab.down();
}
