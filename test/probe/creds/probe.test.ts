// The credentials tester inside a whole probe: registered in SERVICE_TESTERS, it runs on the
// services identification found, each record becomes probe.credentials evidence located at the
// service, and the checks judge it. Also `concord probe` with --max-logins and --credentials.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { CHECKS } from "../../../src/checks/index.js";
import type { CredentialsData } from "../../../src/evidence/probe-credentials.js";
import { runProbe } from "../../../src/collect/probe/run.js";
import { SERVICE_TESTERS } from "../../../src/collect/probe/testers.js";
import { EvidenceIndex } from "../../../src/evidence/types.js";
import { nodePeer, tmp, type Peer } from "../peers.js";
import { mosquittoWithUsers, sshPeer } from "./peers.js";

const peers: Peer[] = [];
after(async () => {
  for (const p of peers) await p.close();
});
const keep = <P extends Peer>(p: P) => (peers.push(p), p);

/** An FTP server where root/xc3511 logs in. */
const ftp = () =>
  nodePeer((s) => {
    s.write("220 (vsFTPd 3.0.3)\r\n");
    let user = "";
    s.on("data", (d: Buffer) => {
      for (const line of d.toString().split("\r\n").filter(Boolean)) {
        if (line.startsWith("USER ")) {
          user = line.slice(5);
          s.write("331 Please specify the password.\r\n");
        } else if (line.startsWith("PASS "))
          s.write(
            user === "root" && line === "PASS xc3511"
              ? "230 Login successful.\r\n"
              : "530 Login incorrect.\r\n",
          );
        else s.end("221 Goodbye.\r\n");
      }
    });
  });

const MINE = ["probe.default-credentials", "probe.bruteforce-protection", "probe.ftp-anonymous"];

describe("the credentials tester in a probe", () => {
  it("is registered, runs on FTP, SSH and MQTT, and its evidence is judged", async () => {
    assert.ok(SERVICE_TESTERS.some((t) => t.id === "credentials" && t.kind === "probe.credentials"));
    const f = keep(await ftp());
    const s = keep(await sshPeer({ methods: ["password"], accept: () => false }));
    const m = keep(await mosquittoWithUsers("admin", "admin"));
    const r = await runProbe(["127.0.0.1"], {
      timeoutMs: 1500,
      rate: 500,
      ports: [f.port, s.port, m.port].join(","),
      bannerWaitMs: 400,
      maxLogins: 6,
      at: "2026-01-01T00:00:00.000Z",
    });
    const records = r.evidence.filter((e) => e.kind === "probe.credentials");
    const byPort = new Map(records.map((e) => [(e.data as CredentialsData).port, e]));
    assert.deepEqual(
      [f.port, s.port, m.port].map((p) => {
        const e = byPort.get(p)!;
        const d = e.data as CredentialsData;
        return [
          e.source.location,
          e.source.version,
          d.service,
          d.found.map((x) => `${x.user}/${x.password}`),
        ];
      }),
      [
        [`127.0.0.1:${f.port}/tcp`, "0.1.0+credentials@0.2.0", "ftp", ["root/xc3511"]],
        [`127.0.0.1:${s.port}/tcp`, "0.1.0+credentials@0.2.0", "ssh", []],
        [`127.0.0.1:${m.port}/tcp`, "0.1.0+credentials@0.2.0", "mqtt", ["admin/admin"]],
      ],
    );
    const index = new EvidenceIndex(r.evidence);
    const findings = CHECKS.filter((c) => MINE.includes(c.meta.id)).flatMap((c) =>
      c
        .evaluate(index, { asOf: "2026-01-01" })
        .map((x) => `${x.check} ${x.status} ${x.message.split(":")[0]}`),
    );
    assert.deepEqual(
      findings.sort(),
      [
        `probe.bruteforce-protection fail FTP on 127.0.0.1 port ${f.port}`,
        `probe.bruteforce-protection fail SSH on 127.0.0.1 port ${s.port}`,
        `probe.bruteforce-protection fail The MQTT broker on 127.0.0.1 port ${m.port}`,
        `probe.default-credentials fail FTP on 127.0.0.1 port ${f.port} logs in with default credentials`,
        `probe.default-credentials fail The MQTT broker on 127.0.0.1 port ${m.port} logs in with default credentials`,
        `probe.default-credentials pass None of the 5 default credential pairs tried logs in to SSH on 127.0.0.1 port ${s.port}.`,
        `probe.ftp-anonymous pass The FTP server on 127.0.0.1 port ${f.port} refuses anonymous logins.`,
      ].sort(),
    );
  });

  it("--skip credentials leaves it out", async () => {
    const f = keep(await ftp());
    const r = await runProbe(["127.0.0.1"], {
      timeoutMs: 1500,
      rate: 500,
      ports: String(f.port),
      bannerWaitMs: 400,
      skip: ["credentials"],
    });
    assert.deepEqual(
      r.evidence.filter((e) => e.kind === "probe.credentials"),
      [],
    );
  });
});

/** The concord command, run asynchronously: the peers it talks to live in this process. */
function concord(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    env: { ...process.env, NO_COLOR: "1" },
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, out, err })));
}

describe("concord probe: credential flags", () => {
  it("refuses a bad --max-logins or --credentials before any connection", async () => {
    const a = await concord("probe", "127.0.0.1", "--ports", "9", "--max-logins", "0");
    assert.notEqual(a.code, 0);
    assert.match(a.err, /--max-logins takes a whole number of at least 1, not "0"/);
    const b = await concord("probe", "127.0.0.1", "--ports", "9", "--credentials", "/nonexistent/list.csv");
    assert.notEqual(b.code, 0);
    assert.match(b.err, /--credentials \/nonexistent\/list\.csv: cannot read it \(ENOENT\)/);
  });

  it("--credentials: a supplied pair that works is reported without its password", async () => {
    const f = keep(await ftp());
    const file = join(tmp(), "ours.csv");
    writeFileSync(file, "user,password,source\nroot,xc3511,our factory sheet\n");
    const r = await concord(
      "probe",
      "127.0.0.1",
      "--ports",
      String(f.port),
      "--credentials",
      file,
      "--json",
      "--rate",
      "200",
    );
    assert.equal(r.code, 1, r.err);
    assert.ok(!r.out.includes("xc3511"), "the supplied password is printed nowhere");
    const out = JSON.parse(r.out) as { findings: { check: string; status: string; message: string }[] };
    assert.deepEqual(
      out.findings.filter((x) => x.check === "probe.default-credentials").map((x) => [x.status, x.message]),
      [
        [
          "fail",
          `FTP on 127.0.0.1 port ${f.port} logs in with default credentials: root with a password from the supplied list.`,
        ],
      ],
    );
  });
});
