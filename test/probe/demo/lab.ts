// The demo device (scripts/demo-device.sh) for the tests: an insecure device and its hardened twin,
// each in its own network namespace, attached to a "lab" namespace the test creates. The probe runs
// inside the lab, so the only hosts it can reach are the two devices, and a capture on the lab's
// interfaces sees every packet it sends.
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const SCRIPT = join(ROOT, "scripts", "demo-device.sh");

export interface Lab {
  name: string;
  insecure: string;
  hardened: string;
  /** The lab's own ends of the two links. */
  gateways: string[];
  down(): void;
}

/** Why the demo cannot run here, or undefined when it can. In CI it must run: no reason is given there. */
export function labUnavailable(): string | undefined {
  if (process.env.CI) return undefined;
  if (process.getuid?.() !== 0) return "needs root for network namespaces";
  if (spawnSync("ip", ["netns", "list"]).status !== 0) return "ip netns is not available";
  return undefined;
}

export function labUp(tag: string): Lab {
  const name = `cdt-${tag}-${process.pid}`;
  const args = ["--name", name, "--net", "10.231", "--lab", `${name}-lab`];
  spawnSync(SCRIPT, ["down", ...args]);
  const r = spawnSync(SCRIPT, ["up", ...args], { encoding: "utf8", timeout: 60_000 });
  if (r.status !== 0) throw new Error(`demo-device.sh up failed (${r.status}): ${r.stderr}${r.stdout}`);
  return {
    name: `${name}-lab`,
    insecure: "10.231.1.2",
    hardened: "10.231.2.2",
    gateways: ["10.231.1.1", "10.231.2.1"],
    down: () => void spawnSync(SCRIPT, ["down", ...args], { timeout: 30_000 }),
  };
}

/** Run the concord CLI inside the lab namespace. */
export function concordInLab(
  lab: Lab,
  args: string[],
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      "ip",
      [
        "netns",
        "exec",
        lab.name,
        process.execPath,
        "--import",
        "tsx",
        join(ROOT, "src/cli/main.ts"),
        ...args,
      ],
      { cwd: ROOT },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** A tshark capture on every interface of the lab; stop() returns one "src dst proto" line per IP packet. */
export async function capture(lab: Lab): Promise<{ stop(): Promise<string[]> }> {
  const child = spawn("ip", [
    "netns",
    "exec",
    lab.name,
    "tshark",
    "-i",
    "any",
    "-f",
    "ip or ip6",
    "-l",
    "-n",
    "-T",
    "fields",
    "-e",
    "ip.src",
    "-e",
    "ip.dst",
    "-e",
    "ipv6.src",
    "-e",
    "ipv6.dst",
  ]);
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`tshark did not start: ${err}`)), 20_000);
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
      if (err.includes("Capturing on")) {
        clearTimeout(t);
        resolve();
      }
    });
    child.on("exit", (code) => reject(new Error(`tshark exited (${code}): ${err}`)));
  });
  return {
    async stop() {
      await new Promise((r) => setTimeout(r, 500)); // let the last packets through
      const gone = new Promise((r) => child.once("exit", r));
      child.kill("SIGINT");
      await gone;
      return out
        .split("\n")
        // An ICMP error carries the header of the packet it answers: tshark lists both, comma-separated.
        .map((l) => l.trim().split(/[\s,]+/).filter(Boolean).join(" "))
        .filter(Boolean);
    },
  };
}
