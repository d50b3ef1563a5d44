// matchComponent on the bundled database (data/vulndb: real NVD records and KEV entries) for the
// components the example camera's firmware really contains, as firmware analysis reports them.

import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { before, describe, it } from "node:test";

import { analyzeFirmware } from "../../src/collect/firmware/analyze.js";
import type { ComponentData } from "../../src/evidence/firmware.js";
import {
  ensureBundledDb,
  importFile,
  importPaths,
  kev,
  matchComponent,
  openVulnDb,
  type VulnDb,
} from "../../src/collect/vuln/db/index.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const FEEDS = join(here, "fixtures", "feeds");
const IMAGE = join(here, "..", "..", "examples", "smart-camera", "firmware", "hc200-2.4.1.bin");

const comp = (name: string, version: string, extra: Partial<ComponentData> = {}): ComponentData => ({
  name,
  version,
  method: "fingerprint",
  match: `${name} ${version}`,
  ...extra,
});

/** The components hc200-2.4.1.bin holds (examples/smart-camera/firmware/build.sh). */
const EXPECTED: Record<string, string[]> = {
  busybox: ["CVE-2016-2147", "CVE-2016-2148", "CVE-2017-16544", "CVE-2021-42386"],
  dropbear: ["CVE-2016-7406", "CVE-2017-9078", "CVE-2018-15599", "CVE-2020-36254"],
  dnsmasq: ["CVE-2017-14491", "CVE-2020-25681", "CVE-2023-28450"],
  "libopenssl1.0.0": ["CVE-2019-1559", "CVE-2022-0778"],
};

describe("the bundled database", () => {
  let path: string;
  let db: VulnDb;
  let components: ComponentData[];

  before(async () => {
    path = join(mkdtempSync(join(tmpdir(), "concord-vulndb-")), "vulndb.sqlite");
    const built = await ensureBundledDb(path);
    assert.equal(built.built, true);
    assert.deepEqual(
      built.imports.map((r) => [r.source, r.records, r.status]),
      [
        ["kev", 1, "ok"],
        ["nvd", 16, "ok"],
      ],
    );
    db = openVulnDb(path, { readonly: true });
    const analysis = analyzeFirmware(IMAGE, { cache: false });
    components = analysis.facts.flatMap((f) =>
      f.kind === "firmware.component" ? [f.data as ComponentData] : [],
    );
  });

  it("is built once: a second call leaves it alone", async () => {
    const again = await ensureBundledDb(path);
    assert.deepEqual([again.built, again.imports], [false, []]);
  });

  it("finds exactly the known CVEs of each component of the example firmware, none of them in KEV", () => {
    assert.deepEqual(components.map((c) => `${c.name} ${c.version}`).sort(), [
      "busybox 1.24.1-1",
      "dnsmasq 2.75-1",
      "dropbear 2015.71-1",
      "libopenssl1.0.0 1.0.2k-1",
    ]);
    for (const c of components) {
      const matches = matchComponent(db, c);
      assert.deepEqual(matches.map((m) => m.id).sort(), EXPECTED[c.name], c.name);
      for (const m of matches) {
        assert.equal(m.kev, undefined, `${m.id} is not in the KEV catalog`);
        assert.equal(kev(db, m.id), undefined);
      }
    }
  });

  it("explains each match with the deciding NVD range, its CVSS and the fix", () => {
    const dnsmasq = components.find((c) => c.name === "dnsmasq")!;
    const [first, ...rest] = matchComponent(db, dnsmasq);
    assert.deepEqual(first, {
      id: "CVE-2017-14491",
      aliases: [],
      summary:
        "Heap-based buffer overflow in dnsmasq before 2.78 allows remote attackers to cause a denial of service (crash) or execute arbitrary code via a crafted DNS response.",
      severity: { score: 9.8, version: "3.1", vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" },
      fixedVersions: [],
      confidence: 0.85,
      reason: "NVD CVE-2017-14491: cpe thekelleys:dnsmasq, version 2.75 <= 2.77 (including)",
    });
    assert.deepEqual(
      rest.map((m) => [m.id, m.fixedVersions, m.severity?.score]),
      [
        ["CVE-2020-25681", ["2.83"], 8.1],
        ["CVE-2023-28450", ["2.90"], 7.5],
      ],
    );
    const openssl = matchComponent(
      db,
      components.find((c) => c.name === "libopenssl1.0.0")!,
    );
    assert.equal(
      openssl.find((m) => m.id === "CVE-2022-0778")!.reason,
      "NVD CVE-2022-0778: cpe openssl:openssl, version 1.0.2k >= 1.0.2 (including) and < 1.0.2zd (excluding)",
    );
  });

  it("leaves out what the version is past: Heartbleed and CVE-2017-3731 for OpenSSL 1.0.2k", () => {
    const ids = matchComponent(db, comp("openssl", "1.0.2k")).map((m) => m.id);
    assert.ok(!ids.includes("CVE-2014-0160"));
    assert.ok(!ids.includes("CVE-2017-3731")); // NVD lists 1.0.2 to 1.0.2j one by one
    assert.deepEqual(
      matchComponent(db, comp("openssl", "1.0.2j"))
        .map((m) => m.id)
        .sort(),
      ["CVE-2017-3731", "CVE-2019-1559", "CVE-2022-0778"],
    );
  });

  it("flags KEV only for a CVE in the catalog: Heartbleed in OpenSSL 1.0.1f", () => {
    const matches = matchComponent(db, comp("openssl", "1.0.1f"));
    assert.deepEqual(
      matches.map((m) => [m.id, m.kev]),
      [["CVE-2014-0160", { dateAdded: "2022-05-04", ransomware: false, dueDate: "2022-05-25" }]],
    );
    assert.deepEqual(matches[0]!.fixedVersions, ["1.0.1g"]);
  });

  it("names the platform an AND configuration also requires", () => {
    const [m] = matchComponent(
      db,
      comp("scalance_sc622-2c_firmware", "2.3", {
        cpe: "cpe:2.3:o:siemens:scalance_sc622-2c_firmware:2.3:*:*:*:*:*:*:*",
      }),
    );
    assert.equal(m?.id, "CVE-2022-30065");
    assert.equal(
      m.reason,
      "NVD CVE-2022-30065: cpe siemens:scalance_sc622-2c_firmware, version 2.3 < 3.0 (excluding); the configuration also requires cpe:2.3:h:siemens:scalance_sc622-2c:-:*:*:*:*:*:*:* (not checked)",
    );
  });

  it("reports a version the ordering cannot compare with low confidence, not silently", () => {
    const m = matchComponent(
      db,
      comp("linux_for_tegra", "r21.5", { cpe: "cpe:2.3:o:nvidia:linux_for_tegra:r21.5:*:*:*:*:*:*:*" }),
    );
    assert.deepEqual(
      m.map((x) => [x.id, x.confidence, x.reason]),
      [
        [
          "CVE-2017-14491",
          0.3,
          "NVD CVE-2017-14491: cannot compare: cpe nvidia:linux_for_tegra, version r21.5 cannot be compared with r21.6 (generic)",
        ],
      ],
    );
  });
});

describe("matching across sources", () => {
  let db: VulnDb;
  before(async () => {
    db = openVulnDb(":memory:");
    await importPaths(db, [FEEDS]);
    await importFile(db, join(here, "..", "..", "data", "vulndb", "nvd.json"));
  });

  it("gives one result per flaw when NVD and OSV both name it, with the distribution's reason", () => {
    const m = matchComponent(
      db,
      comp("dnsmasq", "2.76-5", { method: "dpkg", purl: "pkg:deb/debian/dnsmasq@2.76-5" }),
    );
    const flaw = m.filter((x) => x.id === "CVE-2017-14491");
    assert.equal(flaw.length, 1);
    assert.deepEqual(flaw[0]!.aliases, ["DEBIAN-CVE-2017-14491"]);
    assert.equal(flaw[0]!.confidence, 0.95);
    assert.equal(
      flaw[0]!.reason,
      "OSV DEBIAN-CVE-2017-14491: OSV Debian:9/dnsmasq ECOSYSTEM range, version 2.76-5 >= 0 (introduced) and < 2.76-5+deb9u1 (fixed)",
    );
    assert.deepEqual(flaw[0]!.fixedVersions, ["2.76-5+deb9u1"]);
    assert.deepEqual(flaw[0]!.epss, { score: 0.57794, percentile: 0.98003, date: "2025-08-25" });
  });

  it("lowers confidence when the distribution says its package is fixed", () => {
    const m = matchComponent(
      db,
      comp("dnsmasq", "2.76-5+deb9u1", { method: "dpkg", purl: "pkg:deb/debian/dnsmasq@2.76-5+deb9u1" }),
    );
    const flaw = m.find((x) => x.id === "CVE-2017-14491")!;
    assert.equal(flaw.confidence, 0.4);
    assert.equal(
      flaw.reason,
      "NVD CVE-2017-14491: cpe thekelleys:dnsmasq, version 2.76 <= 2.77 (including); but OSV DEBIAN-CVE-2017-14491: OSV Debian:9/dnsmasq ECOSYSTEM range, version 2.76-5+deb9u1 >= 2.76-5+deb9u1 (fixed)",
    );
  });

  it("attaches the VEX statements that name the component", () => {
    const m = matchComponent(db, comp("dnsmasq", "2.75-1", { method: "opkg" }));
    assert.deepEqual(m.find((x) => x.id === "CVE-2023-28450")!.vex, [
      {
        document: "ACME-VEX-2026-001",
        status: "known_not_affected",
        productId: "CSAFPID-0010",
        justification: "vulnerable_code_not_in_execute_path",
      },
    ]);
    assert.equal(m.find((x) => x.id === "CVE-2020-25681")!.vex, undefined);
  });

  it("scales confidence by the component's own", () => {
    const [m] = matchComponent(db, comp("openssl", "1.0.1f", { confidence: 0.6 }));
    assert.equal(m!.confidence, 0.51);
  });
});
