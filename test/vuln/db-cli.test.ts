// concord vulndb as a user runs it, and downloads from a feed server on 127.0.0.1 standing in for
// the public locations (checksums, unreachable hosts, --offline).

import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";

import { importUrl, openVulnDb, status, updateFromPublic } from "../../src/collect/vuln/db/index.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = join(here, "..", "..");
const FEEDS = join(here, "fixtures", "feeds");
const KEV = join(FEEDS, "cisa-kev", "known_exploited_vulnerabilities.json");
const NVD = join(root, "data", "vulndb", "nvd.json");
const tmp = () => mkdtempSync(join(tmpdir(), "concord-vulndb-cli-"));
const env = { ...process.env, NO_COLOR: "1", CONCORD_VULNDB: "" };

function concord(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: root,
    encoding: "utf8",
    env,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The same, without blocking this process (the feed server runs in it). */
async function concordAsync(...args: string[]) {
  try {
    const r = await promisify(execFile)(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
      cwd: root,
      encoding: "utf8",
      env,
    });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

describe("concord vulndb", () => {
  it("imports fixtures, reports malformed records on stderr, and shows the status", () => {
    const db = join(tmp(), "v.sqlite");
    const r = concord("vulndb", "import", FEEDS, NVD, "--db", db);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^imported 1404 records {2}kev {2}.*known_exploited_vulnerabilities\.json$/m);
    assert.match(r.out, /^imported 2 records {2}nvd {2}.*nvd-malformed\.json {2}\(3 errors\)$/m);
    assert.match(
      r.err,
      /nvd-malformed\.json: record CVE-2099-0001: field cve\.configurations\[0\]\.nodes\[0\]\.cpeMatch\[0\]\.criteria: not a CPE name: "cpe:2\.3:a:broken"/,
    );
    const s = concord("vulndb", "status", "--db", db, "--json");
    assert.equal(s.code, 0, s.err);
    const json = JSON.parse(s.out) as { exists: boolean; sources: { source: string; records: number }[] };
    assert.equal(json.exists, true);
    assert.deepEqual(
      json.sources.map((x) => [x.source, x.records]),
      [
        ["nvd", 16],
        ["osv", 4],
        ["kev", 1404],
        ["epss", 3],
        ["csaf", 3],
      ],
    );
    const table = concord("vulndb", "status", "--db", db);
    assert.match(table.out, /│ kev +│ 1404 +│ \d{4}-\d\d-\d\dT[\d:.]+Z │ partial +│/);
  });

  it("exits 2 and imports nothing from a truncated file", () => {
    const dir = tmp();
    const cut = join(dir, "cut.json");
    writeFileSync(cut, readFileSync(NVD).subarray(0, 12000));
    const r = concord("vulndb", "import", cut, "--db", join(dir, "v.sqlite"));
    assert.equal(r.code, 2);
    assert.match(r.out, /^FAILED {2}nvd {2}/m);
    assert.match(
      r.err,
      /the file ends inside the JSON at character 12000, after 4 complete records \(truncated\?\); nothing imported from it/,
    );
  });

  it("says there is no database yet, and how to make one", () => {
    const r = concord("vulndb", "status", "--db", join(tmp(), "none.sqlite"));
    assert.equal(r.code, 0);
    assert.match(r.out, /^no vulnerability database at .*none\.sqlite$/m);
  });

  it("update --offline changes nothing and says why", () => {
    const db = join(tmp(), "v.sqlite");
    const r = concord("vulndb", "update", "--offline", "--db", db);
    assert.equal(r.code, 2);
    assert.match(
      r.err,
      /concord: `concord vulndb update` downloads the public feeds and --offline forbids the network; nothing was changed/,
    );
  });

  it("match builds the bundled database when there is none and lists the CVEs", () => {
    const db = join(tmp(), "v.sqlite");
    const r = concord("vulndb", "match", "dnsmasq", "2.75-1", "--method", "opkg", "--db", db, "--json");
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(
      (JSON.parse(r.out) as { id: string }[]).map((m) => m.id),
      ["CVE-2017-14491", "CVE-2020-25681", "CVE-2023-28450"],
    );
  });
});

describe("downloads", () => {
  let server: Server;
  let base: string;
  const nvdGz = gzipSync(readFileSync(NVD));
  const nvdSha = createHash("sha256").update(readFileSync(NVD)).digest("hex");
  const files: Record<string, Buffer | string> = {
    "/known_exploited_vulnerabilities.json": readFileSync(KEV),
    "/nvdcve-2.0-modified.json.gz": nvdGz,
    "/nvdcve-2.0-modified.meta": `lastModifiedDate:2026-11-25T03:00:01-05:00\r\nsize:${readFileSync(NVD).length}\r\ngzSize:${nvdGz.length}\r\nsha256:${nvdSha.toUpperCase()}\r\n`,
    "/bad.meta": `sha256:${"0".repeat(64)}\n`,
  };
  before(async () => {
    server = createServer((req, res) => {
      const body = files[req.url ?? ""];
      if (body === undefined) {
        res.writeHead(404).end("not found");
        return;
      }
      res.writeHead(200).end(body);
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  it("import --from-url downloads and imports, logging the URL", async () => {
    const db = join(tmp(), "v.sqlite");
    const r = await concordAsync(
      "vulndb",
      "import",
      "--from-url",
      `${base}/known_exploited_vulnerabilities.json`,
      "--db",
      db,
    );
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, `imported 1404 records  kev  ${base}/known_exploited_vulnerabilities.json\n`);
    const d = openVulnDb(db, { readonly: true });
    assert.equal(
      d.prepare("SELECT location FROM imports").pluck().get(),
      `${base}/known_exploited_vulnerabilities.json`,
    );
    d.close();
  });

  it("verifies the sha256 an NVD .meta file publishes (of the uncompressed feed)", async () => {
    const db = openVulnDb(":memory:");
    const ok = await importUrl(db, `${base}/nvdcve-2.0-modified.json.gz`, {
      metaUrl: `${base}/nvdcve-2.0-modified.meta`,
    });
    assert.deepEqual([ok.status, ok.records], ["ok", 16]);
    await assert.rejects(
      importUrl(db, `${base}/nvdcve-2.0-modified.json.gz`, { metaUrl: `${base}/bad.meta` }),
      new RegExp(`does not match the published ${"0".repeat(64)}; nothing imported`),
    );
    assert.equal(status(db).imports, 1);
  });

  it("refuses a download whose checksum differs", async () => {
    const db = join(tmp(), "v.sqlite");
    const r = await concordAsync(
      "vulndb",
      "import",
      "--from-url",
      `${base}/known_exploited_vulnerabilities.json`,
      "--sha256",
      "ab".repeat(32),
      "--db",
      db,
    );
    assert.equal(r.code, 2);
    assert.match(r.err, /sha256 [0-9a-f]{64} does not match the published (ab){32}; nothing imported/);
  });

  it("says so clearly when the host cannot be reached", async () => {
    const db = openVulnDb(":memory:");
    // A port nothing listens on: a server opened and closed again.
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, "127.0.0.1", ok));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((ok) => closed.close(ok));
    await assert.rejects(
      importUrl(db, `http://127.0.0.1:${port}/known_exploited_vulnerabilities.json`),
      new RegExp(
        `^NetworkError: cannot reach http://127\\.0\\.0\\.1:${port}/known_exploited_vulnerabilities\\.json \\(connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\): is there network access\\?`,
      ),
    );
    await assert.rejects(updateFromPublic(db, { offline: true }), /--offline was given; nothing was changed/);
    assert.equal(status(db).imports, 0);
  });

  it("reports a missing file as the server's answer", async () => {
    const db = openVulnDb(":memory:");
    await assert.rejects(importUrl(db, `${base}/nope.json`), /nope\.json: the server answered 404 Not Found/);
  });
});
