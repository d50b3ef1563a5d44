// Exact comparisons per ecosystem: each row is checked both ways round.

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  SCHEMES,
  ecosystemForMethod,
  ecosystemForOsv,
  ecosystemForPurlType,
  type Ecosystem,
} from "../../src/collect/vuln/versions/index.js";
import { ecosystemForComponent, ecosystemForName } from "../../src/collect/vuln/identity.js";

type Op = "<" | "=" | ">" | "?";
type Row = [string, Op, string];

const EXPECT: Record<Op, -1 | 0 | 1 | undefined> = { "<": -1, "=": 0, ">": 1, "?": undefined };
const FLIP: Record<Op, Op> = { "<": ">", ">": "<", "=": "=", "?": "?" };

function table(eco: Ecosystem, rows: Row[]) {
  describe(`${eco} ordering`, () => {
    for (const [a, op, b] of rows) {
      it(`${JSON.stringify(a)} ${op} ${JSON.stringify(b)}`, () => {
        assert.equal(SCHEMES[eco].compare(a, b), EXPECT[op]);
        assert.equal(SCHEMES[eco].compare(b, a), EXPECT[FLIP[op]]);
      });
    }
  });
}

/** Each element strictly below the next. */
const chain = (...vs: string[]): Row[] => vs.slice(1).map((v, i): Row => [vs[i]!, "<", v]);

table("semver", [
  ...chain(
    "1.0.0-alpha",
    "1.0.0-alpha.1",
    "1.0.0-alpha.beta",
    "1.0.0-beta",
    "1.0.0-beta.2",
    "1.0.0-beta.11",
    "1.0.0-rc.1",
    "1.0.0",
    "1.0.1",
    "1.1.0",
    "2.0.0",
  ),
  ["1.2.3", "<", "1.2.10"],
  ["10.0.0", ">", "9.99.99"],
  ["1.0.0+build.1", "=", "1.0.0"],
  ["1.0.0+a", "=", "1.0.0+b"],
  ["v1.2.3", "=", "1.2.3"],
  ["1.0.0-1", "<", "1.0.0-a"],
  ["1.0.0-2", "<", "1.0.0-10"],
  ["1.0.0-A", "<", "1.0.0-a"],
  ["1.0.0-x-y", ">", "1.0.0-x.y"],
  ["0.0.0-0", "<", "0.0.0"],
  ["99999999999999999999.0.0", ">", "9999999999999999999.0.0"],
  ["v0.0.0-20210101000000-abcdef123456", "<", "v0.1.0"],
  ["v1.2.3+incompatible", "=", "v1.2.3"],
  ["abc", "?", "1.0.0"],
  ["1.0", "?", "1.0.0"],
  ["01.0.0", "?", "1.0.0"],
  ["1.0.0-01", "?", "1.0.0"],
  ["1.0.0-", "?", "1.0.0"],
  ["1.0.0+", "?", "1.0.0"],
  ["1.2.3.4", "?", "1.2.3"],
  ["=1.2.3", "?", "1.2.3"],
  ["", "?", "1.0.0"],
]);

table("pep440", [
  ...chain(
    "1.0.dev0",
    "1.0a0",
    "1.0a1.dev1",
    "1.0a1",
    "1.0b1",
    "1.0rc1",
    "1.0",
    "1.0.post1.dev0",
    "1.0.post1",
    "1.0.post2",
    "1.1",
  ),
  ["1.0", "=", "1.0.0"],
  ["1.0.0.0.0", "=", "1"],
  ["1.0.post0.dev1", ">", "1.0"],
  ["1.0c1", "=", "1.0rc1"],
  ["1.0PREVIEW2", "=", "1.0rc2"],
  ["1.0alpha1", "=", "1.0a1"],
  ["1.0b", "=", "1.0b0"],
  ["1.0.dev", "=", "1.0.dev0"],
  ["1.0-1", "=", "1.0.post1"],
  ["1.0.rev1", "=", "1.0.post1"],
  ["1.0r1", "=", "1.0.post1"],
  ["V1.0", "=", "1.0"],
  ["1!0.1", ">", "2.0"],
  ["1.10", ">", "1.9"],
  ["2013.10", "<", "2014.04"],
  ["1.0", "<", "1.0+local"],
  ["1.0+abc", "<", "1.0+1"],
  ["1.0+local.1", "<", "1.0+local.2"],
  ["1.0+1.2", "<", "1.0+1.10"],
  ["1.0+abc.5", "<", "1.0+abc.5.1"],
  ["1.0+ABC", "=", "1.0+abc"],
  ["abc", "?", "1.0"],
  ["1.0+", "?", "1.0"],
  ["1.0.", "?", "1.0"],
  ["1.0-dev-beta", "?", "1.0"],
]);

table("maven", [
  // Maven's own ComparableVersionTest orderings.
  ...chain(
    "1-alpha2snapshot",
    "1-alpha2",
    "1-alpha-123",
    "1-beta-2",
    "1-beta123",
    "1-m2",
    "1-m11",
    "1-rc",
    "1-cr2",
    "1-rc123",
    "1-SNAPSHOT",
    "1",
    "1-sp",
    "1-sp2",
    "1-sp123",
    "1-abc",
    "1-def",
    "1-pom-1",
    "1-1-snapshot",
    "1-1",
    "1-2",
    "1-123",
  ),
  ...chain(
    "2.0",
    "2.0.a",
    "2-1",
    "2.0.2",
    "2.0.123",
    "2.1.0",
    "2.1-a",
    "2.1b",
    "2.1-c",
    "2.1-1",
    "2.1.0.1",
    "2.2",
    "2.123",
    "11.a2",
    "11.a11",
    "11.b2",
    "11.b11",
    "11.m2",
    "11.m11",
    "11",
    "11.a",
    "11b",
    "11c",
    "11m",
  ),
  // The POM reference's examples.
  ["1", "<", "1.1"],
  ["1-snapshot", "<", "1"],
  ["1", "<", "1-sp"],
  ["1-foo2", "<", "1-foo10"],
  ["1.foo", "=", "1-foo"],
  ["1-foo", "<", "1-1"],
  ["1-1", "<", "1.1"],
  ["1.ga", "=", "1"],
  ["1-ga", "=", "1"],
  ["1-0", "=", "1"],
  ["1.0", "=", "1"],
  ["1-sp", ">", "1-ga"],
  ["1-sp.1", ">", "1-ga.1"],
  ["1-sp-1", "<", "1-ga-1"],
  ["1-ga-1", "=", "1-1"],
  ["1-a1", "=", "1-alpha-1"],
  ["1.0.0", "=", "1"],
  ["1.0-0", "=", "1"],
  ["1a", "=", "1-a"],
  ["1a", "=", "1.0-a"],
  ["1final", "=", "1"],
  ["1cr", "=", "1rc"],
  ["1b2", "=", "1beta2"],
  ["1m3", "=", "1MILESTONE3"],
  ["1-ABCDEFGHIJKLMNOPQRSTUVWXYZ", "=", "1-abcdefghijklmnopqrstuvwxyz"],
  ["1.0-alpha-1", "<", "1.0"],
  ["1.0-alpha-1-SNAPSHOT", "<", "1.0-alpha-1"],
  ["1.0.0", "<", "1.0-1"],
  ["2.0-1", "<", "2.0.1"],
  ["2.0.1-klm", "<", "2.0.1-lmn"],
  ["2.0.1", "<", "2.0.1-xyz"],
  ["2.0.1-xyz", "<", "2.0.1-123"],
  ["1.0.RC2", "<", "1.0-RC3"],
  ["1.0-RC3", "<", "1.0.1"],
  ["", "?", "1"],
  ["1 0", "?", "1"],
]);

table("debian", [
  ...chain("1.0~~", "1.0~~a", "1.0~", "1.0~rc1", "1.0", "1.0a", "1.0+", "1.0.1"),
  ["1.0+dfsg", "<", "1.0.1"],
  ["10", "<", "10a"],
  ["1:1.0", ">", "9.9"],
  ["0:1.0", "=", "1.0"],
  ["1.0-1", "<", "1.0-2"],
  ["1.0", "=", "1.0-0"],
  ["1.0-1", "<", "1.0.1-1"],
  ["1.2.3", "=", "1.2.03"],
  ["2.76-5", "<", "2.76-5+deb9u1"],
  ["2.76-5+deb9u1", "<", "2.76-5+deb9u2"],
  ["2.76-5~bpo8+1", "<", "2.76-5"],
  ["1.1.1n-0+deb11u5", "<", "1.1.1w-0+deb11u1"],
  ["1.0.2k-1", "<", "1.0.2u-1"],
  ["1:8.4p1-5+deb11u1", ">", "1:8.4p1-5"],
  ["7.4p1-10", "<", "8.4p1-5"],
  ["1.24.1-1", "<", "1.36.1-1"],
  ["1.0-1ubuntu1", "<", "1.0-1ubuntu2"],
  ["2.0-1-2", ">", "2.0-1-1"],
  ["abc", "?", "1.0"],
  ["1.0-", "?", "1.0"],
  ["a:1.0", "?", "1.0"],
  ["1.0_1", "?", "1.0"],
  ["1.0 1", "?", "1.0"],
  ["1:", "?", "1.0"],
  ["1.0:1", "?", "1.0"],
]);

table("opkg", [
  ["1.24.1-1", "<", "1.24.1-2"],
  ["1.24.1-2", "<", "1.24.2-1"],
  ["2022.82-2", "<", "2022.83-1"],
  ["1.1.1w-1", "<", "3.0.13-1"],
  ["2021-01-04-c53b1882-1", "<", "2021-03-21-15346de8-1"],
  ["git-2020", "<", "git-2021"],
  ["", "?", "1.0"],
]);

table("rpm", [
  ...chain("1.0~rc1", "1.0~rc2", "1.0", "1.0^git1", "1.0.1"),
  ["1.0", "=", "1_0"],
  ["1.0a", "<", "1.0.1"],
  ["a", "<", "1"],
  ["1.0010", "=", "1.10"],
  ["2.0", "<", "10.0"],
  ["1:1.0", ">", "2.0"],
  ["1.0-1", "<", "1.0-2"],
  ["1.0", "<", "1.0-1"],
  ["1.0-1.el7", "<", "1.0-1.el8"],
  ["1.0.2k-25.el7_9", ">", "1.0.2k-19.el7"],
  ["1.1.1k-12.el8_9", "<", "3.0.7-27.el9"],
  ["1.0-1-2", "?", "1.0"],
  ["", "?", "1"],
  ["x:1.0", "?", "1.0"],
]);

table("alpine", [
  ...chain(
    "1.0_alpha",
    "1.0_alpha1",
    "1.0_beta",
    "1.0_pre",
    "1.0_rc",
    "1.0_rc1",
    "1.0_rc2",
    "1.0",
    "1.0-r1",
    "1.0-r2",
    "1.0_cvs",
    "1.0_svn",
    "1.0_git",
    "1.0_hg",
    "1.0_p",
    "1.0_p1",
    "1.0a",
    "1.0b",
    "1.0.1",
  ),
  ["1.0-r9", "<", "1.0-r10"],
  ["1.0_rc1-r1", "<", "1.0"],
  ["1.01", "<", "1.1"],
  ["1.010", "=", "1.01"],
  ["1.10", ">", "1.9"],
  ["2.0", "<", "10.0"],
  ["1.35.0-r13", "<", "1.35.0-r15"],
  ["1.35.0-r15", "<", "1.35.0-r17"],
  ["1.36.1-r0", ">", "1.35.0-r17"],
  ["1.0-1", "?", "1.0"],
  ["1.0_foo", "?", "1.0"],
  ["1.0A", "?", "1.0"],
  ["abc", "?", "1.0"],
  ["1.0~abc123", "?", "1.0"],
]);

table("generic", [
  // OpenSSL letter releases.
  ...chain(
    "1.0.2",
    "1.0.2a",
    "1.0.2k",
    "1.0.2u",
    "1.1.0",
    "1.1.0l",
    "1.1.1",
    "1.1.1w",
    "3.0.0",
    "3.0.13",
    "3.2.1",
  ),
  ...chain("0.9.8y", "0.9.8z", "0.9.8za", "0.9.8zh", "1.0.0"),
  ["1.0.2k-fips", "=", "1.0.2k"],
  ["1.0.2k-fips", "<", "1.0.2l"],
  ["1.0.2-beta1", "<", "1.0.2"],
  ["1.0.2beta1", "=", "1.0.2-beta1"],
  ["1.1.0-pre5", "<", "1.1.0"],
  // Linux kernel with vendor suffixes: the numeric prefix decides.
  ["4.14.180-rt45", "=", "4.14.180"],
  ["3.10.14+", "=", "3.10.14"],
  ["5.4.55-g1234abcd", "=", "5.4.55"],
  ["4.14.180-rt45", "<", "4.14.181"],
  ["4.9", "=", "4.9.0"],
  ["5.4-rc3", "<", "5.4"],
  ["5.4.0-rc3", "<", "5.4.0-rc4"],
  ["5.10.0-rc1", ">", "5.9.16"],
  // BusyBox.
  ["1.24.1", "<", "1.36.1"],
  ["1.36.1", "<", "1.36.10"],
  // Dropbear, year-based.
  ...chain("0.52", "2011.54", "2015.71", "2019.78", "2020.79", "2022.83"),
  // dnsmasq: test releases, then release candidates, then the release.
  ...chain("2.75", "2.78", "2.80", "2.86test1", "2.86test3", "2.86rc1", "2.86", "2.87"),
  // OpenSSH portable releases.
  ...chain("7.4", "7.4p1", "7.4p2", "8.4p1", "9.3", "9.3p1", "9.3p2"),
  // Package revisions: upstream first, then the revision.
  ["1.24.1-1", "<", "1.24.1-2"],
  ["1.24.1-2", "<", "1.24.2"],
  ["1.24.1", "<", "1.24.1-1"],
  ["2.4.7-r3", "<", "2.4.7-r10"],
  // Snapshot dates compare with dates only.
  ["2021-03-21-15346de8", "<", "2021-04-01-aaaa1111"],
  ["2021-03-21-15346de8", "=", "2021-03-21-deadbeef"],
  ["2022-01-16-cff80b4f", "?", "2.10"],
  ["4.19.0-1-amd64", "=", "4.19.0"],
  // Other words.
  ["v1.2", "=", "1.2"],
  ["1.0dev1", "<", "1.0a1"],
  ["1.0a1", "<", "1.0"],
  ["1.0b2", "<", "1.0rc1"],
  ["1.0rc", "<", "1.0rc1"],
  ["1.0~rc1", "=", "1.0-rc1"],
  ["abc", "?", "1.0"],
  ["", "?", "1.0"],
  ["git-20200101", "?", "1.0"],
  ["r1234", "?", "1"],
  ["v", "?", "1"],
]);

describe("ecosystem pickers", () => {
  it("maps purl types", () => {
    const got = Object.fromEntries(
      [
        "npm",
        "pypi",
        "maven",
        "deb",
        "rpm",
        "apk",
        "golang",
        "cargo",
        "generic",
        "opkg",
        "opk",
        "gem",
        "NPM",
      ].map((t) => [t, ecosystemForPurlType(t)]),
    );
    assert.deepEqual(got, {
      npm: "semver",
      pypi: "pep440",
      maven: "maven",
      deb: "debian",
      rpm: "rpm",
      apk: "alpine",
      golang: "semver",
      cargo: "semver",
      generic: "generic",
      opkg: "opkg",
      opk: "opkg",
      gem: undefined,
      NPM: "semver",
    });
  });

  it("maps package managers and OSV ecosystems", () => {
    assert.equal(ecosystemForMethod("opkg"), "opkg");
    assert.equal(ecosystemForMethod("dpkg"), "debian");
    assert.equal(ecosystemForMethod("fingerprint"), undefined);
    assert.equal(ecosystemForOsv("Debian:11"), "debian");
    assert.equal(ecosystemForOsv("Ubuntu:Pro:18.04:LTS"), "debian");
    assert.equal(ecosystemForOsv("Alpine:v3.18"), "alpine");
    assert.equal(ecosystemForOsv("Red Hat:rhel_aus:8.4::appstream"), "rpm");
    assert.equal(ecosystemForOsv("Maven:https://maven.google.com"), "maven");
    assert.equal(ecosystemForOsv("PyPI"), "pep440");
    assert.equal(ecosystemForOsv("Go"), "semver");
    assert.equal(ecosystemForOsv("Linux"), "generic");
    assert.equal(ecosystemForOsv("RubyGems"), undefined);
    assert.equal(ecosystemForOsv("OSS-Fuzz"), undefined);
  });

  it("picks for a component: purl, then package manager, then name", () => {
    assert.equal(ecosystemForComponent({ name: "busybox", method: "opkg" }), "opkg");
    assert.equal(ecosystemForComponent({ name: "busybox", method: "fingerprint" }), "generic");
    assert.equal(
      ecosystemForComponent({ name: "x", method: "dpkg", purl: "pkg:apk/alpine/x@1.0-r0" }),
      "alpine",
    );
    assert.equal(
      ecosystemForComponent({ name: "lodash", method: "fingerprint", purl: "pkg:npm/lodash@4.17.21" }),
      "semver",
    );
    assert.equal(ecosystemForComponent({ name: "mystery", method: "fingerprint" }), "generic");
    assert.equal(ecosystemForName("libopenssl1.0.0"), "generic");
    assert.equal(ecosystemForName("mystery"), undefined);
  });
});
