// The vulnerability database's importers on feeds in their published formats (fixtures/feeds/):
// exact counts and rows, the exact error for each malformed record, truncated files, idempotent
// re-imports, and imports that fail half-way leaving the previous data as it was.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { describe, it } from "node:test";

import {
  SCHEMA_VERSION,
  candidatesByCpe,
  candidatesByPackage,
  cvss3BaseScore,
  detectSource,
  epss,
  importFile,
  importPaths,
  kev,
  openVulnDb,
  schemaVersion,
  status,
  vexStatements,
  vulnerability,
  type VulnDb,
} from "../../src/collect/vuln/db/index.js";
import { ArrayScanner } from "../../src/collect/vuln/db/json-stream.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const FEEDS = join(here, "fixtures", "feeds");
const feed = (name: string) => join(FEEDS, name);
const BUNDLED_NVD = join(here, "..", "..", "data", "vulndb", "nvd.json");
const tmp = () => mkdtempSync(join(tmpdir(), "concord-vulndb-"));
const fresh = () => openVulnDb(":memory:");

/** Every table but the imports log, as text: for "nothing changed" comparisons. */
function dump(db: VulnDb): string {
  return ["vulnerabilities", "affected", "kev", "epss", "vex"]
    .map((t) => JSON.stringify(db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2, 3`).all()))
    .join("\n");
}
const count = (db: VulnDb, table: string) =>
  db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;

describe("schema", () => {
  it("migrates a new database to the current version, in WAL mode", () => {
    const dir = tmp();
    const db = openVulnDb(join(dir, "v.sqlite"));
    assert.equal(schemaVersion(db), SCHEMA_VERSION);
    assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
    db.close();
    const again = openVulnDb(join(dir, "v.sqlite"), { readonly: true });
    assert.equal(schemaVersion(again), SCHEMA_VERSION);
    again.close();
  });

  it("refuses a database written by a newer Concord", () => {
    const path = join(tmp(), "v.sqlite");
    const db = openVulnDb(path);
    db.prepare("INSERT INTO schema_version (version, applied) VALUES (?, ?)").run(
      SCHEMA_VERSION + 1,
      "2099-01-01",
    );
    db.close();
    assert.throws(() => openVulnDb(path), /has schema version 2, newer than this Concord knows \(1\)/);
  });

  it("says how to create a database when a read-only open finds none", () => {
    assert.throws(
      () => openVulnDb(join(tmp(), "none.sqlite"), { readonly: true }),
      /no vulnerability database at .*none\.sqlite; create one with `concord vulndb import <files>`/,
    );
  });
});

describe("feed detection", () => {
  it("tells each feed from its content", () => {
    assert.equal(detectSource(feed("cisa-kev/known_exploited_vulnerabilities.json")), "kev");
    assert.equal(detectSource(feed("nvd-malformed.json")), "nvd");
    assert.equal(detectSource(BUNDLED_NVD), "nvd");
    assert.equal(detectSource(feed("epss.csv")), "epss");
    assert.equal(detectSource(feed("csaf-vex-hc200.json")), "csaf");
    assert.equal(detectSource(feed("osv/DEBIAN-CVE-2017-14491.json")), "osv");
    assert.equal(detectSource(feed("osv-alpine-all.zip")), "osv");
    const gz = join(tmp(), "nvdcve-2.0-modified.json.gz");
    writeFileSync(gz, gzipSync(readFileSync(BUNDLED_NVD)));
    assert.equal(detectSource(gz), "nvd");
    assert.equal(detectSource(join(here, "fixtures", "osv-records.json")), "osv");
  });
});

describe("CISA KEV", () => {
  it("imports the whole 2025.08.25 snapshot: 1404 entries, 293 with known ransomware use", async () => {
    const db = fresh();
    const r = await importFile(db, feed("cisa-kev/known_exploited_vulnerabilities.json"));
    assert.deepEqual([r.source, r.status, r.records, r.errors], ["kev", "ok", 1404, []]);
    assert.equal(count(db, "kev"), 1404);
    assert.equal(db.prepare("SELECT COUNT(*) FROM kev WHERE ransomware = 'Known'").pluck().get(), 293);
    assert.deepEqual(kev(db, "CVE-2014-0160"), {
      cve: "CVE-2014-0160",
      vendor: "OpenSSL",
      product: "OpenSSL",
      name: "OpenSSL Information Disclosure Vulnerability",
      dateAdded: "2022-05-04",
      dueDate: "2022-05-25",
      knownRansomwareCampaignUse: "Unknown",
      catalogVersion: "2025.08.25",
    });
    assert.equal(kev(db, "CVE-2017-14491"), undefined);
  });

  it("skips malformed entries with the file, the record and the field", async () => {
    const db = fresh();
    const f = feed("kev-malformed.json");
    const r = await importFile(db, f);
    assert.equal(r.status, "partial");
    assert.equal(r.records, 1);
    assert.deepEqual(r.errors, [
      `${f}: record CVE-2099-0002: field dateAdded: not a valid value: "05/04/2022"`,
      `${f}: record #3: field cveID: missing`,
    ]);
    assert.equal(count(db, "kev"), 1);
  });
});

describe("NVD CVE API 2.0", () => {
  it("imports the bundled records with their CVSS, ranges and AND configurations", async () => {
    const db = fresh();
    const r = await importFile(db, BUNDLED_NVD);
    assert.deepEqual([r.source, r.status, r.records], ["nvd", "ok", 16]);
    assert.deepEqual(vulnerability(db, "nvd", "CVE-2016-7406"), {
      source: "nvd",
      id: "CVE-2016-7406",
      published: "2017-03-03T16:59:00.387",
      modified: "2026-05-13T00:24:29.033",
      withdrawn: undefined,
      summary:
        "Format string vulnerability in Dropbear SSH before 2016.74 allows remote attackers to execute arbitrary code via format string specifiers in the (1) username or (2) host argument.",
      aliases: [],
      cvss3: { version: "3.0", score: 9.8, vector: "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" },
    });
    const dnsmasq = candidatesByCpe(db, "thekelleys", "dnsmasq");
    assert.deepEqual(
      dnsmasq.map((c) => c.vulnId),
      ["CVE-2017-14491", "CVE-2020-25681", "CVE-2023-28450"],
    );
    assert.deepEqual(dnsmasq[0]!.entry, {
      vulnerable: true,
      criteria: "cpe:2.3:a:thekelleys:dnsmasq:*:*:*:*:*:*:*:*",
      matchCriteriaId: "B85D7A28-8CBA-4D77-AD30-DB3CA49F2F98",
      versionEndIncluding: "2.77",
    });
    // The Tegra entry of CVE-2017-14491 is ANDed with a hardware platform (vulnerable: false, not stored).
    const [tegra] = candidatesByCpe(db, "NVIDIA", "Linux_for_Tegra");
    assert.equal(tegra?.kind === "cpe" && tegra.platforms, "cpe:2.3:h:nvidia:jetson_tk1:-:*:*:*:*:*:*:*");
    assert.equal(candidatesByCpe(db, "nvidia", "jetson_tk1").length, 0);
    // CVE-2017-3731 lists 13 exact 1.0.2 versions and 3 of 1.1.0.
    assert.equal(
      candidatesByCpe(db, "openssl", "openssl").filter((c) => c.vulnId === "CVE-2017-3731").length,
      16,
    );
  });

  it("skips each malformed record with the exact error and imports the rest", async () => {
    const db = fresh();
    const f = feed("nvd-malformed.json");
    const r = await importFile(db, f);
    assert.equal(r.status, "partial");
    assert.equal(r.records, 2);
    assert.deepEqual(r.errors, [
      `${f}: record CVE-2099-0001: field cve.configurations[0].nodes[0].cpeMatch[0].criteria: not a CPE name: "cpe:2.3:a:broken"`,
      `${f}: record #3: field cve.id: missing`,
      `${f}: record CVE-2099-0003: field cve.metrics.cvssMetricV31[0].cvssData.baseScore: expected a number from 0 to 10, got "high"`,
    ]);
    assert.deepEqual(db.prepare("SELECT id FROM vulnerabilities ORDER BY id").pluck().all(), [
      "CVE-2016-7406",
      "CVE-2017-14491",
    ]);
    const log = db.prepare("SELECT source, records, errors, status, messages FROM imports").get() as Record<
      string,
      unknown
    >;
    assert.deepEqual(
      { ...log, messages: JSON.parse(log.messages as string) as unknown },
      { source: "nvd", records: 2, errors: 3, status: "partial", messages: r.errors },
    );
  });

  it("imports nothing from a truncated file and says where it ends", async () => {
    const db = fresh();
    await importFile(db, BUNDLED_NVD);
    const before = dump(db);
    const cut = join(tmp(), "nvdcve-2.0-cut.json");
    writeFileSync(cut, readFileSync(BUNDLED_NVD).subarray(0, 12000));
    const r = await importFile(db, cut);
    assert.equal(r.status, "failed");
    assert.deepEqual(r.errors, [
      `${cut}: the file ends inside the JSON at character 12000, after 4 complete records (truncated?); nothing imported from it`,
    ]);
    assert.equal(dump(db), before);
  });

  it("imports nothing from a truncated gzip file", async () => {
    const db = fresh();
    const cut = join(tmp(), "nvdcve-2.0-cut.json.gz");
    writeFileSync(cut, gzipSync(readFileSync(BUNDLED_NVD)).subarray(0, 3000));
    const r = await importFile(db, cut, { source: "nvd" });
    assert.deepEqual(r.errors, [
      `${cut}: the gzip stream is damaged or cut short (unexpected end of file); nothing imported from it`,
    ]);
    assert.equal(count(db, "vulnerabilities"), 0);
  });

  it("reads gzip feeds as published (nvdcve-2.0-*.json.gz)", async () => {
    const db = fresh();
    const gz = join(tmp(), "nvdcve-2.0-2017.json.gz");
    writeFileSync(gz, gzipSync(readFileSync(BUNDLED_NVD)));
    const r = await importFile(db, gz);
    assert.deepEqual([r.status, r.records], ["ok", 16]);
  });

  it("keeps a newer copy of a record when an older one is imported", async () => {
    const db = fresh();
    await importFile(db, BUNDLED_NVD);
    const doc = JSON.parse(readFileSync(BUNDLED_NVD, "utf8")) as {
      vulnerabilities: { cve: { id: string; lastModified: string; descriptions: { value: string }[] } }[];
    };
    for (const v of doc.vulnerabilities) {
      v.cve.lastModified = "2010-01-01T00:00:00.000";
      v.cve.descriptions[0]!.value = "an old description";
    }
    const old = join(tmp(), "old.json");
    writeFileSync(old, JSON.stringify(doc));
    const r = await importFile(db, old);
    assert.equal(r.status, "ok");
    assert.match(vulnerability(db, "nvd", "CVE-2016-7406")!.summary!, /^Format string vulnerability/);
  });
});

describe("FIRST EPSS", () => {
  it("imports the CSV with its model version and score date, skipping bad rows", async () => {
    const db = fresh();
    const f = feed("epss.csv");
    const r = await importFile(db, f);
    assert.equal(r.records, 3);
    assert.deepEqual(r.errors, [
      `${f}: line 6: record CVE-2099-0001: field epss: expected a number from 0 to 1, got "1.7"`,
      `${f}: line 7: record NOT-A-CVE: field cve: not a CVE id: "NOT-A-CVE"`,
    ]);
    assert.deepEqual(epss(db, "CVE-2017-14491"), {
      cve: "CVE-2017-14491",
      score: 0.57794,
      percentile: 0.98003,
      date: "2025-08-25",
      modelVersion: "v2025.03.14",
    });
  });
});

describe("OSV", () => {
  it("imports a directory of records as one import, naming the bad file", async () => {
    const db = fresh();
    const [r, ...rest] = await importPaths(db, [feed("osv")]);
    assert.equal(rest.length, 0);
    assert.equal(r!.source, "osv");
    assert.equal(r!.records, 2);
    assert.deepEqual(r!.errors, [
      `${feed("osv/OSV-TEST-MALFORMED-1.json")}: record OSV-TEST-MALFORMED-1: field affected[0].package.ecosystem: missing`,
    ]);
    const rec = vulnerability(db, "osv", "DEBIAN-CVE-2017-14491")!;
    assert.deepEqual(rec.aliases, ["CVE-2017-14491"]);
    assert.deepEqual(rec.cvss3, {
      version: "3.1",
      score: 9.8,
      vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    });
    assert.deepEqual(
      candidatesByPackage(db, "Debian", "dnsmasq").map((c) => c.vulnId),
      ["DEBIAN-CVE-2017-14491"],
    );
    assert.equal(candidatesByPackage(db, "Debian:9", "dnsmasq").length, 1);
    assert.equal(candidatesByPackage(db, "Debian:10", "dnsmasq").length, 0);
  });

  it("reads an ecosystem's all.zip through its central directory", async () => {
    const db = fresh();
    const f = feed("osv-alpine-all.zip");
    const r = await importFile(db, f);
    assert.equal(r.records, 2);
    assert.deepEqual(r.errors, [
      `${f}!ALPINE-CVE-2099-0009.json: record ALPINE-CVE-2099-0009: invalid JSON: Unexpected end of JSON input`,
    ]);
    assert.deepEqual(db.prepare("SELECT id FROM vulnerabilities ORDER BY id").pluck().all(), [
      "ALPINE-CVE-2017-16544",
      "ALPINE-CVE-2020-25681",
    ]);
  });

  it("imports a JSON list of records (the matching tests' fixture)", async () => {
    const db = fresh();
    const r = await importFile(db, join(here, "fixtures", "osv-records.json"));
    assert.equal(r.status, "ok");
    assert.equal(
      r.records,
      (JSON.parse(readFileSync(join(here, "fixtures", "osv-records.json"), "utf8")) as unknown[]).length,
    );
  });
});

describe("CSAF 2.0 VEX", () => {
  it("stores a statement per product and status, with flags and impact statements", async () => {
    const db = fresh();
    const f = feed("csaf-vex-hc200.json");
    const r = await importFile(db, f);
    assert.equal(r.records, 3);
    assert.deepEqual(r.errors, [
      `${f}: record CVE-2099-0001: field vulnerabilities[3].product_status.known_affected[0]: unknown product id "CSAFPID-9999"`,
    ]);
    assert.deepEqual(vexStatements(db, "CVE-2023-28450"), [
      {
        document: "ACME-VEX-2026-001",
        cve: "CVE-2023-28450",
        productId: "CSAFPID-0010",
        productName: "dnsmasq 2.75 as a component of Acme HC200 firmware 2.4.1",
        purl: "pkg:generic/dnsmasq@2.75",
        cpe: "cpe:2.3:a:thekelleys:dnsmasq:2.75:*:*:*:*:*:*:*",
        status: "known_not_affected",
        justification: "vulnerable_code_not_in_execute_path",
        impact: "The camera runs dnsmasq as a DHCP server only; the DNS resolver is disabled (port=0).",
        remediation: undefined,
      },
    ]);
    assert.deepEqual(
      vexStatements(db, "CVE-2017-14491").map((s) => [s.status, s.remediation]),
      [["known_affected", "vendor_fix: Update to firmware 2.5.0, which ships dnsmasq 2.90."]],
    );
  });
});

describe("re-import and rollback", () => {
  it("re-importing every fixture leaves the same rows", async () => {
    const db = fresh();
    await importPaths(db, [FEEDS, BUNDLED_NVD]);
    const once = dump(db);
    const results = await importPaths(db, [FEEDS, BUNDLED_NVD]);
    assert.ok(results.every((r) => r.status !== "failed"));
    assert.equal(dump(db), once);
    assert.deepEqual(
      status(db).sources.map((s) => [s.source, s.records]),
      [
        ["nvd", 16], // nvd-malformed.json's two good records are bundled ones
        ["osv", 4],
        ["kev", 1404],
        ["epss", 3],
        ["csaf", 3],
      ],
    );
  });

  it("a failure half-way through an import leaves the previous data intact", async () => {
    const db = fresh();
    await importFile(db, feed("cisa-kev/known_exploited_vulnerabilities.json"));
    await importFile(db, BUNDLED_NVD);
    const before = dump(db);
    // A newer edition of the same records plus new ones: it would change every row.
    const doc = JSON.parse(readFileSync(BUNDLED_NVD, "utf8")) as {
      vulnerabilities: { cve: { id: string; lastModified: string; descriptions: { value: string }[] } }[];
    };
    for (const v of doc.vulnerabilities) {
      v.cve.lastModified = "2099-01-01T00:00:00.000";
      v.cve.descriptions[0]!.value = "changed";
    }
    const newer = join(tmp(), "newer.json");
    writeFileSync(newer, JSON.stringify(doc));
    const r = await importFile(db, newer, {
      afterRecord: (n) => {
        if (n === 8) throw new Error("simulated crash after 8 records");
      },
    });
    assert.deepEqual(r.errors, [
      `${newer}: import stopped: simulated crash after 8 records; nothing imported from it`,
    ]);
    assert.equal(r.status, "failed");
    assert.equal(dump(db), before);
    const last = db.prepare("SELECT status, records FROM imports ORDER BY id DESC LIMIT 1").get();
    assert.deepEqual(last, { status: "failed", records: 0 });
    // and the same import, not interrupted, goes through
    assert.equal((await importFile(db, newer)).status, "ok");
    assert.equal(vulnerability(db, "nvd", "CVE-2016-7406")!.summary, "changed");
  });

  it("a process killed mid-import leaves the database as it was", () => {
    const dir = tmp();
    const path = join(dir, "v.sqlite");
    const script = join(dir, "kill.mts");
    const src = (p: string) => JSON.stringify(join(here, "..", "..", p));
    writeFileSync(
      script,
      `import { importFile, openVulnDb } from ${src("src/collect/vuln/db/index.ts")};
import { writeSyntheticNvd } from ${src("bench/vulndb/synthetic.ts")};
const db = openVulnDb(${JSON.stringify(path)});
await importFile(db, ${JSON.stringify(BUNDLED_NVD)});
const feed = ${JSON.stringify(join(dir, "synthetic.json"))};
await writeSyntheticNvd(feed, { records: 3000, products: 300 });
await importFile(db, feed, { afterRecord: (n) => { if (n === 2000) process.kill(process.pid, "SIGKILL"); } });
`,
    );
    const run = spawnSync(process.execPath, ["--import", "tsx", script], { encoding: "utf8" });
    assert.equal(run.signal, "SIGKILL", run.stderr);
    const db = openVulnDb(path);
    assert.equal(count(db, "vulnerabilities"), 16);
    const s = status(db);
    assert.equal(s.interrupted, 1);
    assert.deepEqual(
      s.sources.find((x) => x.source === "nvd"),
      {
        source: "nvd",
        records: 16,
        lastImport: s.sources.find((x) => x.source === "nvd")!.lastImport,
        lastStatus: "ok",
      },
    );
    db.close();
  });
});

describe("streaming JSON reader", () => {
  it("gives the same records and header whatever the chunk size", () => {
    const doc = JSON.stringify(
      {
        a: 1,
        s: 'x"}]\\',
        n: null,
        vulnerabilities: [{ cve: { id: "A", t: "]}" } }, { cve: { id: "B" } }],
        z: [1, { b: 2 }],
      },
      null,
      1,
    );
    for (const size of [1, 2, 3, 5, 8, 64, 100000]) {
      const got: string[] = [];
      const sc = new ArrayScanner({
        key: "vulnerabilities",
        onElement: (t) => got.push((JSON.parse(t) as { cve: { id: string } }).cve.id),
      });
      for (let i = 0; i < doc.length; i += size) sc.push(doc.slice(i, i + size));
      sc.end();
      assert.deepEqual(got, ["A", "B"], `chunk ${size}`);
      assert.deepEqual(sc.header(), { a: 1, s: 'x"}]\\', n: null, z: [1, { b: 2 }] });
    }
  });
});

describe("CVSS v3 base scores from vectors", () => {
  it("matches the scores NVD publishes", () => {
    assert.equal(cvss3BaseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), 9.8);
    assert.equal(cvss3BaseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"), 7.5);
    assert.equal(cvss3BaseScore("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N"), 5.9);
    assert.equal(cvss3BaseScore("CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H"), 7.8);
    assert.equal(cvss3BaseScore("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H"), 7.2);
    assert.equal(cvss3BaseScore("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N"), 5.3);
    assert.equal(cvss3BaseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"), 6.1);
    assert.equal(cvss3BaseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"), 0);
    assert.equal(cvss3BaseScore("AV:N/AC:L/Au:N/C:P/I:P/A:P"), undefined);
  });
});
