// NVD and OSV range evaluation on records in their published shapes (fixtures/), with exact reasons.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";

import type { ComponentData } from "../../src/evidence/firmware.js";
import { identify } from "../../src/collect/vuln/identity.js";
import {
  evaluateNvdConfigurations,
  matchesNvd,
  matchesOsv,
  type MatchResult,
  type NvdConfiguration,
  type NvdCpeMatch,
  type OsvAffected,
} from "../../src/collect/vuln/ranges.js";

interface NvdResponse {
  format: string;
  version: string;
  vulnerabilities: { cve: { id: string; configurations: NvdConfiguration[] } }[];
}
interface OsvRecord {
  id: string;
  affected: OsvAffected[];
}

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`fixtures/${name}`, import.meta.url), "utf8"));
const nvd = fixture("nvd-cves.json") as NvdResponse;
const osv = fixture("osv-records.json") as OsvRecord[];

const cve = (id: string) => {
  const v = nvd.vulnerabilities.find((x) => x.cve.id === id);
  assert.ok(v, id);
  return v.cve;
};
const record = (id: string) => {
  const r = osv.find((x) => x.id === id);
  assert.ok(r, id);
  return r;
};

const comp = (
  name: string,
  version: string,
  method = "fingerprint",
  extra: Partial<ComponentData> = {},
): ComponentData => ({
  name,
  version,
  method,
  match: `${name} ${version}`,
  ...extra,
});

type Case = [ComponentData, MatchResult["match"], string];

describe("NVD fixtures are in the CVE API 2.0 shape", () => {
  it("has the response envelope and configuration nodes", () => {
    assert.equal(nvd.format, "NVD_CVE");
    assert.equal(nvd.version, "2.0");
    for (const { cve: c } of nvd.vulnerabilities) {
      for (const conf of c.configurations) {
        for (const node of conf.nodes) {
          assert.ok(node.operator === "OR" || node.operator === "AND");
          for (const m of node.cpeMatch) {
            assert.equal(typeof m.vulnerable, "boolean");
            assert.match(m.criteria, /^cpe:2\.3:[aoh]:/);
          }
        }
      }
    }
  });
});

function nvdTable(id: string, cases: Case[]) {
  describe(`NVD ${id}`, () => {
    for (const [c, match, reason] of cases) {
      it(`${c.name} ${c.version} (${c.method})`, () => {
        assert.deepEqual(evaluateNvdConfigurations(cve(id).configurations, identify(c)), { match, reason });
      });
    }
  });
}

nvdTable("CVE-2021-42386", [
  [comp("busybox", "1.24.1"), true, "cpe busybox:busybox, version 1.24.1 < 1.34.0 (excluding)"],
  [comp("busybox", "1.24.1-1", "opkg"), true, "cpe busybox:busybox, version 1.24.1 < 1.34.0 (excluding)"],
  [comp("busybox", "1.33.2"), true, "cpe busybox:busybox, version 1.33.2 < 1.34.0 (excluding)"],
  [comp("busybox", "1.34.0"), false, "cpe busybox:busybox, version 1.34.0 is not < 1.34.0 (excluding)"],
  [comp("busybox", "1.34"), false, "cpe busybox:busybox, version 1.34 is not < 1.34.0 (excluding)"],
  [
    comp("busybox", "1.36.1-r2", "apk"),
    false,
    "cpe busybox:busybox, version 1.36.1 is not < 1.34.0 (excluding)",
  ],
  [
    comp("busybox", "abc"),
    "cannot-compare",
    "cpe busybox:busybox, version abc cannot be compared with 1.34.0 (generic)",
  ],
  [comp("toybox", "0.8.6"), false, "no criteria names toybox"],
]);

nvdTable("CVE-2022-30065", [
  [comp("busybox", "1.35.0"), true, "cpe busybox:busybox, version 1.35.0 = 1.35.0"],
  [comp("busybox", "1.35.0-2", "opkg"), true, "cpe busybox:busybox, version 1.35.0 = 1.35.0"],
  [comp("busybox", "1.35"), true, "cpe busybox:busybox, version 1.35 = 1.35.0"],
  [comp("busybox", "1.34.1"), false, "cpe busybox:busybox, version 1.34.1 != 1.35.0"],
  [comp("busybox", "1.36.1"), false, "cpe busybox:busybox, version 1.36.1 != 1.35.0"],
]);

nvdTable("CVE-2016-2842", [
  [
    comp("libopenssl1.0.0", "1.0.2f-1", "opkg"),
    true,
    "cpe openssl:openssl, version 1.0.2f >= 1.0.2 (including) and < 1.0.2g (excluding)",
  ],
  [
    comp("openssl", "1.0.2"),
    true,
    "cpe openssl:openssl, version 1.0.2 >= 1.0.2 (including) and < 1.0.2g (excluding)",
  ],
  [
    comp("openssl", "1.0.1r"),
    true,
    "cpe openssl:openssl, version 1.0.1r >= 1.0.1 (including) and < 1.0.1s (excluding)",
  ],
  [
    comp("openssl", "1.0.2g"),
    false,
    "cpe openssl:openssl, version 1.0.2g is not < 1.0.1s (excluding); cpe openssl:openssl, version 1.0.2g is not < 1.0.2g (excluding)",
  ],
  [
    comp("openssl", "1.0.2k"),
    false,
    "cpe openssl:openssl, version 1.0.2k is not < 1.0.1s (excluding); cpe openssl:openssl, version 1.0.2k is not < 1.0.2g (excluding)",
  ],
  [
    comp("openssl", "1.0.0t"),
    false,
    "cpe openssl:openssl, version 1.0.0t is not >= 1.0.1 (including); cpe openssl:openssl, version 1.0.0t is not >= 1.0.2 (including)",
  ],
  [
    comp("openssl", "1.0.2-beta3"),
    false,
    "cpe openssl:openssl, version 1.0.2-beta3 is not < 1.0.1s (excluding); cpe openssl:openssl, version 1.0.2-beta3 is not >= 1.0.2 (including)",
  ],
  [
    comp("libssl1.0.0", "1.0.2e-1+deb8u1", "dpkg"),
    true,
    "cpe openssl:openssl, version 1.0.2e >= 1.0.2 (including) and < 1.0.2g (excluding)",
  ],
]);

nvdTable("CVE-2017-14491", [
  [comp("dnsmasq", "2.75"), true, "cpe thekelleys:dnsmasq, version 2.75 <= 2.77 (including)"],
  [comp("dnsmasq", "2.77"), true, "cpe thekelleys:dnsmasq, version 2.77 <= 2.77 (including)"],
  [comp("dnsmasq", "2.78"), false, "cpe thekelleys:dnsmasq, version 2.78 is not <= 2.77 (including)"],
  [
    comp("dnsmasq", "2.80-1", "opkg"),
    false,
    "cpe thekelleys:dnsmasq, version 2.80 is not <= 2.77 (including)",
  ],
  // A test release of 2.78 comes after 2.77, so "up to 2.77 including" leaves it out.
  [
    comp("dnsmasq", "2.78test2"),
    false,
    "cpe thekelleys:dnsmasq, version 2.78test2 is not <= 2.77 (including)",
  ],
  [comp("dnsmasq-full", "2.77-4", "opkg"), true, "cpe thekelleys:dnsmasq, version 2.77 <= 2.77 (including)"],
]);

nvdTable("CVE-2020-36254", [
  [
    comp("dropbear", "2019.78"),
    true,
    "cpe dropbear_ssh_project:dropbear_ssh, version 2019.78 < 2020.79 (excluding)",
  ],
  [
    comp("dropbear", "2020.78-1", "opkg"),
    true,
    "cpe dropbear_ssh_project:dropbear_ssh, version 2020.78 < 2020.79 (excluding)",
  ],
  [
    comp("dropbear", "2020.79"),
    false,
    "cpe dropbear_ssh_project:dropbear_ssh, version 2020.79 is not < 2020.79 (excluding)",
  ],
  [
    comp("dropbear", "2022.83"),
    false,
    "cpe dropbear_ssh_project:dropbear_ssh, version 2022.83 is not < 2020.79 (excluding)",
  ],
  [
    comp("dropbear", "0.52"),
    true,
    "cpe dropbear_ssh_project:dropbear_ssh, version 0.52 < 2020.79 (excluding)",
  ],
]);

nvdTable("CVE-2023-38408", [
  [comp("openssh", "8.4p1"), true, "cpe openbsd:openssh, version 8.4p1 < 9.3 (excluding)"],
  [comp("openssh-server", "1:9.3p1-1", "dpkg"), true, "cpe openbsd:openssh, version 9.3p1 = 9.3p1"],
  [comp("openssh", "9.3"), true, "cpe openbsd:openssh, version 9.3 = 9.3"],
  [
    comp("openssh", "9.3p2"),
    false,
    "cpe openbsd:openssh, version 9.3p2 is not < 9.3 (excluding); cpe openbsd:openssh, version 9.3 with no update is not 9.3p2; cpe openbsd:openssh, version 9.3p2 != 9.3p1",
  ],
]);

describe("NVD cpeMatch entries one by one", () => {
  const busy = (over: Partial<NvdCpeMatch>): NvdCpeMatch => ({
    vulnerable: true,
    criteria: "cpe:2.3:a:busybox:busybox:*:*:*:*:*:*:*:*",
    ...over,
  });
  const cases: [NvdCpeMatch, ComponentData, MatchResult][] = [
    [
      busy({ versionEndExcluding: "1.34.0" }),
      comp("busybox", "1.24.1-1", "opkg"),
      { match: true, reason: "cpe busybox:busybox, version 1.24.1 < 1.34.0 (excluding)" },
    ],
    [
      busy({ versionStartExcluding: "1.24.1", versionEndIncluding: "1.30.0" }),
      comp("busybox", "1.24.1"),
      { match: false, reason: "cpe busybox:busybox, version 1.24.1 is not > 1.24.1 (excluding)" },
    ],
    [
      busy({ versionStartExcluding: "1.24.1", versionEndIncluding: "1.30.0" }),
      comp("busybox", "1.30.0"),
      {
        match: true,
        reason: "cpe busybox:busybox, version 1.30.0 > 1.24.1 (excluding) and <= 1.30.0 (including)",
      },
    ],
    [
      busy({}),
      comp("busybox", "1.36.1"),
      { match: true, reason: "cpe busybox:busybox, every version (criteria version *)" },
    ],
    [
      busy({ criteria: "cpe:2.3:a:busybox:busybox:-:*:*:*:*:*:*:*" }),
      comp("busybox", "1.36.1"),
      {
        match: false,
        reason: "cpe busybox:busybox, criteria version - (no version) does not name version 1.36.1",
      },
    ],
    [
      busy({ criteria: "cpe:2.3:a:busybox:busybox:1.35.*:*:*:*:*:*:*:*" }),
      comp("busybox", "1.35.0"),
      { match: true, reason: "cpe busybox:busybox, version 1.35.0 matches 1.35.*" },
    ],
    [
      busy({ criteria: "cpe:2.3:a:busybox:busybox:1.35.*:*:*:*:*:*:*:*" }),
      comp("busybox", "1.36.0"),
      { match: false, reason: "cpe busybox:busybox, version 1.36.0 does not match 1.35.*" },
    ],
    [
      busy({ vulnerable: false, versionEndExcluding: "1.34.0" }),
      comp("busybox", "1.24.1"),
      {
        match: false,
        reason:
          "cpe busybox:busybox, version 1.24.1 < 1.34.0 (excluding), but the criteria is a platform (vulnerable: false)",
      },
    ],
    [
      busy({ criteria: "cpe:2.3:a:openssl:openssl:1.0.2:beta1:*:*:*:*:*:*" }),
      comp("openssl", "1.0.2-beta1"),
      { match: true, reason: "cpe openssl:openssl, version 1.0.2-beta1 = 1.0.2beta1" },
    ],
    [
      busy({ criteria: "cpe:2.3:a:openssl:openssl:1.0.2:beta1:*:*:*:*:*:*" }),
      comp("openssl", "1.0.2"),
      { match: false, reason: "cpe openssl:openssl, version 1.0.2 != 1.0.2beta1" },
    ],
    [
      busy({ criteria: "cpe:2.3:a:openbsd:openssh:7.4:*:*:*:*:*:*:*" }),
      comp("openssh", "7.4p1"),
      { match: true, reason: "cpe openbsd:openssh, version 7.4p1 = 7.4 (any update)" },
    ],
    [
      busy({
        criteria: "cpe:2.3:o:linux:linux_kernel:*:*:*:*:*:*:*:*",
        versionStartIncluding: "4.14",
        versionEndExcluding: "4.14.181",
      }),
      comp("linux", "4.14.180-rt45", "vermagic"),
      {
        match: true,
        reason: "cpe linux:linux_kernel, version 4.14.180 >= 4.14 (including) and < 4.14.181 (excluding)",
      },
    ],
    [
      busy({ criteria: "cpe:2.3:a:linux:linux_kernel:*:*:*:*:*:*:*:*" }),
      comp("linux", "4.14.180", "vermagic"),
      { match: false, reason: "cpe linux:linux_kernel does not name linux-kernel (linux:linux_kernel)" },
    ],
    [
      busy({ criteria: "cpe:2.3:a:haxx:libcurl:*:*:*:*:*:*:*:*", versionEndExcluding: "7.84.0" }),
      comp("libcurl4", "7.83.1-1", "opkg"),
      { match: true, reason: "cpe haxx:libcurl, version 7.83.1 < 7.84.0 (excluding)" },
    ],
    [
      busy({ criteria: "cpe:2.3:a:w1.fi:wpa_supplicant:*:*:*:*:*:*:*:*", versionEndIncluding: "2.10" }),
      comp("wpad-basic-wolfssl", "2022-01-16-cff80b4f-12", "opkg"),
      {
        match: "cannot-compare",
        reason:
          "cpe w1.fi:wpa_supplicant, version 2022-01-16-cff80b4f cannot be compared with 2.10 (generic)",
      },
    ],
    [
      busy({ criteria: "cpe:2.3:a:*:busybox:*:*:*:*:*:*:*:*" }),
      comp("busybox", "1.36.1"),
      { match: true, reason: "cpe *:busybox, every version (criteria version *)" },
    ],
    [
      busy({ criteria: "cpe:2.3:a:busybox:busybox:*:*:*:*:*:node.js:*:*" }),
      comp("busybox", "1.36.1", "fingerprint", { cpe: "cpe:2.3:a:busybox:busybox:1.36.1:*:*:*:*:linux:*:*" }),
      { match: false, reason: "cpe busybox:busybox, target_sw node.js does not include linux" },
    ],
    [
      busy({ criteria: "cpe:2.3:a:busybox:busybox:*:*:*:*:*:node.js:*:*" }),
      comp("busybox", "1.36.1"),
      { match: true, reason: "cpe busybox:busybox, every version (criteria version *)" },
    ],
    [
      busy({ criteria: "cpe:2.3:a:acme:widget:*:*:*:*:*:*:*:*" }),
      comp("mystery", "1.0"),
      { match: false, reason: "cpe acme:widget cannot name mystery: no CPE is known for it" },
    ],
    [
      busy({ criteria: "cpe:2.3:a:busybox" }),
      comp("busybox", "1.0"),
      {
        match: "cannot-compare",
        reason: 'criteria cpe:2.3:a:busybox is not a CPE name: "cpe:2.3:a:busybox" has 2 attributes, not 11',
      },
    ],
  ];
  for (const [m, c, want] of cases) {
    it(`${m.criteria} vs ${c.name} ${c.version}`, () => {
      assert.deepEqual(matchesNvd(m, c), want);
    });
  }

  it("says when an AND configuration also needs a platform", () => {
    const conf: NvdConfiguration[] = [
      {
        operator: "AND",
        nodes: [
          {
            operator: "OR",
            negate: false,
            cpeMatch: [
              {
                vulnerable: true,
                criteria: "cpe:2.3:a:thekelleys:dnsmasq:*:*:*:*:*:*:*:*",
                versionEndExcluding: "2.78",
              },
            ],
          },
          {
            operator: "OR",
            negate: false,
            cpeMatch: [{ vulnerable: false, criteria: "cpe:2.3:o:google:android:-:*:*:*:*:*:*:*" }],
          },
        ],
      },
    ];
    assert.deepEqual(evaluateNvdConfigurations(conf, identify(comp("dnsmasq", "2.76"))), {
      match: true,
      reason:
        "cpe thekelleys:dnsmasq, version 2.76 < 2.78 (excluding); the configuration also requires cpe:2.3:o:google:android:-:*:*:*:*:*:*:* (not checked)",
    });
  });
});

function osvTable(id: string, cases: Case[], index = 0) {
  describe(`OSV ${id}`, () => {
    for (const [c, match, reason] of cases) {
      it(`${c.name} ${c.version} (${c.method}${c.purl ? ` ${c.purl}` : ""})`, () => {
        assert.deepEqual(matchesOsv(record(id).affected[index]!, c), { match, reason });
      });
    }
  });
}

const apk = (v: string) => comp("busybox", v, "apk", { purl: `pkg:apk/alpine/busybox@${v}?arch=x86_64` });
osvTable("ALPINE-CVE-2022-30065", [
  [
    apk("1.35.0-r13"),
    true,
    "OSV Alpine:v3.16/busybox ECOSYSTEM range, version 1.35.0-r13 >= 0 (introduced) and < 1.35.0-r15 (fixed)",
  ],
  [
    apk("1.35.0-r15"),
    false,
    "OSV Alpine:v3.16/busybox ECOSYSTEM range, version 1.35.0-r15 >= 1.35.0-r15 (fixed)",
  ],
  [
    apk("1.35.0-r17"),
    false,
    "OSV Alpine:v3.16/busybox ECOSYSTEM range, version 1.35.0-r17 >= 1.35.0-r15 (fixed)",
  ],
  [
    apk("1.35.0_rc1-r0"),
    true,
    "OSV Alpine:v3.16/busybox ECOSYSTEM range, version 1.35.0_rc1-r0 >= 0 (introduced) and < 1.35.0-r15 (fixed)",
  ],
  [
    comp("busybox", "1.35.0-r14", "apk"),
    true,
    "OSV Alpine:v3.16/busybox ECOSYSTEM range, version 1.35.0-r14 >= 0 (introduced) and < 1.35.0-r15 (fixed)",
  ],
  [
    comp("busybox", "1.35.0-1", "opkg"),
    false,
    "OSV Alpine:v3.16/busybox is not this component (busybox 1.35.0-1)",
  ],
  [comp("busybox", "1.35.0"), false, "OSV Alpine:v3.16/busybox is not this component (busybox 1.35.0)"],
  [
    apk("1.35.0-1"),
    "cannot-compare",
    "OSV Alpine:v3.16/busybox ECOSYSTEM range: version 1.35.0-1 is not a alpine version",
  ],
]);

osvTable("DEBIAN-CVE-2017-14491", [
  [
    comp("dnsmasq-base", "2.76-5", "dpkg"),
    true,
    "OSV Debian:9/dnsmasq ECOSYSTEM range, version 2.76-5 >= 0 (introduced) and < 2.76-5+deb9u1 (fixed)",
  ],
  [
    comp("dnsmasq-base", "2.76-5+deb9u1", "dpkg"),
    false,
    "OSV Debian:9/dnsmasq ECOSYSTEM range, version 2.76-5+deb9u1 >= 2.76-5+deb9u1 (fixed)",
  ],
  [
    comp("dnsmasq-base", "2.76-5~bpo8+1", "dpkg"),
    true,
    "OSV Debian:9/dnsmasq ECOSYSTEM range, version 2.76-5~bpo8+1 >= 0 (introduced) and < 2.76-5+deb9u1 (fixed)",
  ],
  [
    comp("dnsmasq", "2.76-5", "dpkg", { purl: "pkg:deb/debian/dnsmasq@2.76-5?arch=amd64" }),
    true,
    "OSV Debian:9/dnsmasq ECOSYSTEM range, version 2.76-5 >= 0 (introduced) and < 2.76-5+deb9u1 (fixed)",
  ],
  [
    comp("dnsmasq", "2.76-5", "dpkg", { purl: "pkg:deb/ubuntu/dnsmasq@2.76-5" }),
    false,
    "OSV Debian:9/dnsmasq is not this component (dnsmasq 2.76-5)",
  ],
  [comp("dnsmasq", "2.76-5", "opkg"), false, "OSV Debian:9/dnsmasq is not this component (dnsmasq 2.76-5)"],
]);

osvTable("CONCORD-TEST-LINUX-1", [
  [
    comp("linux", "4.14.180-rt45", "vermagic"),
    true,
    "OSV Linux/Kernel ECOSYSTEM range, version 4.14.180 >= 4.14 (introduced) and < 4.14.181 (fixed)",
  ],
  [
    comp("linux", "4.14.181", "vermagic"),
    false,
    "OSV Linux/Kernel ECOSYSTEM range, version 4.14.181 >= 4.14.181 (fixed)",
  ],
  [
    comp("linux-kernel", "5.4.39", "vermagic"),
    true,
    "OSV Linux/Kernel ECOSYSTEM range, version 5.4.39 >= 5.4 (introduced) and < 5.4.40 (fixed)",
  ],
  [
    comp("linux", "5.0", "vermagic"),
    false,
    "OSV Linux/Kernel ECOSYSTEM range, version 5.0 >= 4.14.181 (fixed)",
  ],
  [
    comp("linux", "4.9.0", "vermagic"),
    false,
    "OSV Linux/Kernel ECOSYSTEM range, version 4.9.0 < 4.14 (introduced)",
  ],
  [comp("busybox", "4.14.100"), false, "OSV Linux/Kernel is not this component (busybox 4.14.100)"],
]);

osvTable("CONCORD-TEST-GIT-1", [
  [
    comp("openssl", "1.0.2k"),
    false,
    "OSV OSS-Fuzz/openssl GIT range ignored: commit ranges need the repository's history; OSV OSS-Fuzz/openssl does not list version 1.0.2k",
  ],
  [comp("libopenssl1.0.0", "1.0.2u-1", "opkg"), true, "OSV OSS-Fuzz/openssl lists version 1.0.2u"],
]);

const pypi = (v: string) => comp("example-pkg", v, "fingerprint", { purl: `pkg:pypi/example-pkg@${v}` });
osvTable("CONCORD-TEST-PYPI-1", [
  [
    pypi("1.0.0a1"),
    true,
    "OSV PyPI/Example_Pkg ECOSYSTEM range, version 1.0.0a1 >= 1.0.0a1 (introduced) and <= 1.4.post2 (last_affected)",
  ],
  [
    pypi("1.4.post2"),
    true,
    "OSV PyPI/Example_Pkg ECOSYSTEM range, version 1.4.post2 >= 1.0.0a1 (introduced) and <= 1.4.post2 (last_affected)",
  ],
  [
    pypi("1.4.post3"),
    false,
    "OSV PyPI/Example_Pkg ECOSYSTEM range, version 1.4.post3 > 1.4.post2 (last_affected); OSV PyPI/Example_Pkg does not list version 1.4.post3",
  ],
  [pypi("0.9.1"), true, "OSV PyPI/Example_Pkg lists version 0.9.1"],
  [pypi("0.9.1.0"), true, "OSV PyPI/Example_Pkg lists version 0.9.1 (= 0.9.1.0)"],
  [
    pypi("1.0.0.dev1"),
    false,
    "OSV PyPI/Example_Pkg ECOSYSTEM range, version 1.0.0.dev1 < 1.0.0a1 (introduced); OSV PyPI/Example_Pkg does not list version 1.0.0.dev1",
  ],
  [
    comp("example_pkg", "1.2", "fingerprint", { purl: "pkg:pypi/Example.Pkg@1.2" }),
    true,
    "OSV PyPI/Example_Pkg ECOSYSTEM range, version 1.2 >= 1.0.0a1 (introduced) and <= 1.4.post2 (last_affected)",
  ],
]);

const npm = (v: string) => comp("example", v, "fingerprint", { purl: `pkg:npm/example@${v}` });
osvTable("CONCORD-TEST-NPM-1", [
  [
    npm("1.0.1"),
    true,
    "OSV npm/example SEMVER range, version 1.0.1 >= 1.0.0 (introduced) and < 1.0.2 (fixed)",
  ],
  [
    npm("1.0.2"),
    false,
    "OSV npm/example SEMVER range, version 1.0.2 >= 1.0.2 (fixed); OSV npm/example SEMVER range, version 1.0.2 is not below any limit (0.5.0)",
  ],
  [
    npm("3.0.0-rc.2"),
    true,
    "OSV npm/example SEMVER range, version 3.0.0-rc.2 >= 3.0.0-rc.1 (introduced) and < 3.2.5 (fixed)",
  ],
  [
    npm("3.0.0-beta"),
    false,
    "OSV npm/example SEMVER range, version 3.0.0-beta >= 1.0.2 (fixed); OSV npm/example SEMVER range, version 3.0.0-beta is not below any limit (0.5.0)",
  ],
  [npm("0.4.9"), true, "OSV npm/example SEMVER range, version 0.4.9 >= 0 (introduced), no fix"],
  [
    npm("0.5.0"),
    false,
    "OSV npm/example SEMVER range, version 0.5.0 < 1.0.0 (introduced); OSV npm/example SEMVER range, version 0.5.0 is not below any limit (0.5.0)",
  ],
  [npm("latest"), "cannot-compare", "OSV npm/example SEMVER range: version latest is not a semver version"],
  [
    comp("example", "1.0.1", "fingerprint", { purl: "pkg:pypi/example@1.0.1" }),
    false,
    "OSV npm/example is not this component (example 1.0.1)",
  ],
]);

describe("OSV edge cases", () => {
  it("declines an ecosystem it has no ordering for, but still reads the versions list", () => {
    const a: OsvAffected = {
      package: { ecosystem: "OSS-Fuzz", name: "busybox" },
      ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "1.36.0" }] }],
      versions: ["1.35.0"],
    };
    assert.deepEqual(matchesOsv(a, comp("busybox", "1.34.0")), {
      match: "cannot-compare",
      reason:
        "OSV OSS-Fuzz/busybox ECOSYSTEM range: no ordering for ecosystem OSS-Fuzz; OSV OSS-Fuzz/busybox does not list version 1.34.0",
    });
    assert.deepEqual(matchesOsv(a, comp("busybox", "1.35.0")), {
      match: true,
      reason: "OSV OSS-Fuzz/busybox lists version 1.35.0",
    });
  });

  it("declines an event version the ordering cannot read", () => {
    const a: OsvAffected = {
      package: { ecosystem: "npm", name: "example" },
      ranges: [{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "2.0" }] }],
    };
    assert.deepEqual(matchesOsv(a, npm("1.0.0")), {
      match: "cannot-compare",
      reason: "OSV npm/example SEMVER range: event version 2.0 is not a semver version",
    });
  });

  it("needs a package and ranges or versions", () => {
    assert.deepEqual(matchesOsv({}, npm("1.0.0")), { match: false, reason: "OSV entry names no package" });
    assert.deepEqual(matchesOsv({ package: { ecosystem: "npm", name: "example" } }, npm("1.0.0")), {
      match: false,
      reason: "OSV npm/example gives no ranges or versions",
    });
  });

  it("reads Go module paths and Maven coordinates", () => {
    const go: OsvAffected = {
      package: { ecosystem: "Go", name: "github.com/foo/bar" },
      ranges: [{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "1.2.0" }] }],
    };
    assert.deepEqual(
      matchesOsv(go, comp("bar", "v1.1.0", "fingerprint", { purl: "pkg:golang/github.com/foo/bar@v1.1.0" })),
      {
        match: true,
        reason:
          "OSV Go/github.com/foo/bar SEMVER range, version v1.1.0 >= 0 (introduced) and < 1.2.0 (fixed)",
      },
    );
    const mvn: OsvAffected = {
      package: { ecosystem: "Maven", name: "org.apache.logging.log4j:log4j-core" },
      ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "2.0-beta9" }, { fixed: "2.15.0" }] }],
    };
    assert.deepEqual(
      matchesOsv(
        mvn,
        comp("log4j-core", "2.14.1", "fingerprint", {
          purl: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
        }),
      ),
      {
        match: true,
        reason:
          "OSV Maven/org.apache.logging.log4j:log4j-core ECOSYSTEM range, version 2.14.1 >= 2.0-beta9 (introduced) and < 2.15.0 (fixed)",
      },
    );
    assert.deepEqual(
      matchesOsv(
        mvn,
        comp("log4j-core", "2.15.0", "fingerprint", {
          purl: "pkg:maven/org.apache.logging.log4j/log4j-core@2.15.0",
        }),
      ),
      {
        match: false,
        reason:
          "OSV Maven/org.apache.logging.log4j:log4j-core ECOSYSTEM range, version 2.15.0 >= 2.15.0 (fixed)",
      },
    );
  });
});
