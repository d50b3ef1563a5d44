import assert from "node:assert/strict";
import { describe, it } from "node:test";

import type { ComponentData } from "../../src/evidence/firmware.js";
import { ALIASES, findAlias } from "../../src/collect/vuln/aliases.js";
import { parseCpe23 } from "../../src/collect/vuln/cpe.js";
import { identify, parsePurl } from "../../src/collect/vuln/identity.js";

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

describe("alias table", () => {
  it("has a source and at least one valid CPE pair on every row", () => {
    for (const a of ALIASES) {
      assert.ok(a.source.length > 10, `${a.name} has no source`);
      assert.ok(a.cpes.length > 0, `${a.name} has no CPE`);
      for (const c of a.cpes) parseCpe23(`cpe:2.3:${c.part}:${c.vendor}:${c.product}:*:*:*:*:*:*:*:*`);
    }
  });

  it("names each name once", () => {
    const seen = new Map<string, string>();
    for (const a of ALIASES) {
      for (const n of a.names) {
        assert.equal(seen.get(n), undefined, `${n} is in ${seen.get(n)} and ${a.name}`);
        seen.set(n, a.name);
      }
    }
  });

  const names: [string, string | undefined][] = [
    ["busybox", "busybox"],
    ["openssl", "openssl"],
    ["libopenssl1.0.0", "openssl"],
    ["libopenssl1.1", "openssl"],
    ["libopenssl3", "openssl"],
    ["libssl1.1", "openssl"],
    ["libssl3t64", "openssl"],
    ["libcrypto3", "openssl"],
    ["dropbear", "dropbear"],
    ["openssh-server", "openssh"],
    ["dnsmasq-full", "dnsmasq"],
    ["lighttpd-mod-cgi", "lighttpd"],
    ["uhttpd", "uhttpd"],
    ["miniupnpd-nftables", "miniupnpd"],
    ["hostapd", "hostapd"],
    ["wpa_supplicant", "wpa_supplicant"],
    ["wpad-basic-wolfssl", "wpad"],
    ["curl", "curl"],
    ["libcurl", "curl"],
    ["libcurl4", "curl"],
    ["zlib", "zlib"],
    ["zlib1g", "zlib"],
    ["sqlite", "sqlite"],
    ["libsqlite3-0", "sqlite"],
    ["samba", "samba"],
    ["samba4-server", "samba"],
    ["linux-kernel", "linux-kernel"],
    ["linux", "linux-kernel"],
    ["kmod-nf-conntrack", "linux-kernel"],
    ["uclibc-ng", "uclibc-ng"],
    ["musl", "musl"],
    ["glibc", "glibc"],
    ["libc6", "glibc"],
    ["mbedtls", "mbedtls"],
    ["libmbedtls12", "mbedtls"],
    ["wolfssl", "wolfssl"],
    ["libwolfssl5.5.4.ee39414e", "wolfssl"],
    ["BusyBox", "busybox"],
    ["libfoo", undefined],
    ["openssl-foo", undefined],
  ];
  for (const [n, want] of names) {
    it(`${n} -> ${want ?? "(unknown)"}`, () => assert.equal(findAlias(n)?.name, want));
  }
});

describe("purl", () => {
  it("parses the parts", () => {
    assert.deepEqual(parsePurl("pkg:apk/alpine/busybox@1.35.0-r17?arch=x86_64&distro=alpine-3.16.2"), {
      type: "apk",
      namespace: "alpine",
      name: "busybox",
      version: "1.35.0-r17",
      qualifiers: { arch: "x86_64", distro: "alpine-3.16.2" },
    });
    assert.deepEqual(parsePurl("pkg:npm/%40scope/name@1.0.0#lib/x"), {
      type: "npm",
      namespace: "@scope",
      name: "name",
      version: "1.0.0",
      qualifiers: {},
      subpath: "lib/x",
    });
    assert.deepEqual(parsePurl("pkg:deb/debian/openssl@1.1.1n-0%2Bdeb11u5?upstream=openssl"), {
      type: "deb",
      namespace: "debian",
      name: "openssl",
      version: "1.1.1n-0+deb11u5",
      qualifiers: { upstream: "openssl" },
    });
    assert.equal(parsePurl("not-a-purl"), undefined);
    assert.equal(parsePurl("pkg:npm/"), undefined);
  });
});

describe("identify", () => {
  const cases: {
    c: ComponentData;
    cpes: string[];
    version: string;
    ecosystem: string;
    reason: string;
    native?: string;
  }[] = [
    {
      c: comp("busybox", "1.24.1-1", "opkg"),
      cpes: ["cpe:2.3:a:busybox:busybox:1.24.1:*:*:*:*:*:*:*"],
      version: "1.24.1",
      ecosystem: "generic",
      native: "opkg",
      reason: "opkg package revision -1 stripped; version 1.24.1-1 -> 1.24.1",
    },
    {
      c: comp("busybox", "1.24.1"),
      cpes: ["cpe:2.3:a:busybox:busybox:1.24.1:*:*:*:*:*:*:*"],
      version: "1.24.1",
      ecosystem: "generic",
      reason: "version 1.24.1 used as is",
    },
    {
      c: comp("busybox", "1.24.1-1"),
      cpes: ["cpe:2.3:a:busybox:busybox:1.24.1:*:*:*:*:*:*:*"],
      version: "1.24.1",
      ecosystem: "generic",
      reason: "package revision -1 stripped; version 1.24.1-1 -> 1.24.1",
    },
    {
      c: comp("libopenssl1.0.0", "1.0.2k-1", "opkg"),
      cpes: ["cpe:2.3:a:openssl:openssl:1.0.2k:*:*:*:*:*:*:*"],
      version: "1.0.2k",
      ecosystem: "generic",
      native: "opkg",
      reason: "libopenssl1.0.0 is openssl; opkg package revision -1 stripped; version 1.0.2k-1 -> 1.0.2k",
    },
    {
      c: comp("openssl", "1.0.2k-fips"),
      cpes: ["cpe:2.3:a:openssl:openssl:1.0.2k:*:*:*:*:*:*:*"],
      version: "1.0.2k",
      ecosystem: "generic",
      reason: "build tag -fips ignored; version 1.0.2k-fips -> 1.0.2k",
    },
    {
      c: comp("libcurl4", "7.83.1-1", "opkg"),
      cpes: ["cpe:2.3:a:haxx:curl:7.83.1:*:*:*:*:*:*:*", "cpe:2.3:a:haxx:libcurl:7.83.1:*:*:*:*:*:*:*"],
      version: "7.83.1",
      ecosystem: "generic",
      native: "opkg",
      reason: "libcurl4 is curl; opkg package revision -1 stripped; version 7.83.1-1 -> 7.83.1",
    },
    {
      c: comp("linux", "4.14.180-rt45", "vermagic"),
      cpes: ["cpe:2.3:o:linux:linux_kernel:4.14.180:*:*:*:*:*:*:*"],
      version: "4.14.180",
      ecosystem: "generic",
      reason: "linux is linux-kernel; kernel local version -rt45 ignored; version 4.14.180-rt45 -> 4.14.180",
    },
    {
      c: comp("linux-kernel", "3.10.14+", "vermagic"),
      cpes: ["cpe:2.3:o:linux:linux_kernel:3.10.14:*:*:*:*:*:*:*"],
      version: "3.10.14",
      ecosystem: "generic",
      reason: "kernel local version + ignored; version 3.10.14+ -> 3.10.14",
    },
    {
      c: comp("linux-kernel", "5.4.55-g1234abcd", "vermagic"),
      cpes: ["cpe:2.3:o:linux:linux_kernel:5.4.55:*:*:*:*:*:*:*"],
      version: "5.4.55",
      ecosystem: "generic",
      reason: "kernel local version -g1234abcd ignored; version 5.4.55-g1234abcd -> 5.4.55",
    },
    {
      c: comp("openssh-server", "1:8.4p1-5+deb11u1", "dpkg"),
      cpes: ["cpe:2.3:a:openbsd:openssh:8.4:p1:*:*:*:*:*:*"],
      version: "8.4p1",
      ecosystem: "generic",
      native: "debian",
      reason:
        "openssh-server is openssh; epoch 1: dropped; dpkg package revision -5+deb11u1 stripped; version 1:8.4p1-5+deb11u1 -> 8.4p1",
    },
    {
      c: comp("zlib1g", "1:1.2.11.dfsg-2+deb11u2", "dpkg"),
      cpes: ["cpe:2.3:a:zlib:zlib:1.2.11:*:*:*:*:*:*:*", "cpe:2.3:a:gnu:zlib:1.2.11:*:*:*:*:*:*:*"],
      version: "1.2.11",
      ecosystem: "generic",
      native: "debian",
      reason:
        "zlib1g is zlib; epoch 1: dropped; dpkg package revision -2+deb11u2 stripped; repack suffix .dfsg stripped; version 1:1.2.11.dfsg-2+deb11u2 -> 1.2.11",
    },
    {
      c: comp("busybox", "1.35.0-r17", "apk", { purl: "pkg:apk/alpine/busybox@1.35.0-r17?arch=x86_64" }),
      cpes: ["cpe:2.3:a:busybox:busybox:1.35.0:*:*:*:*:*:*:*"],
      version: "1.35.0",
      ecosystem: "generic",
      native: "alpine",
      reason: "apk package revision -r17 stripped; version 1.35.0-r17 -> 1.35.0",
    },
    {
      c: comp("openssl", "1.0.2k-25.el7_9", "rpm"),
      cpes: ["cpe:2.3:a:openssl:openssl:1.0.2k:*:*:*:*:*:*:*"],
      version: "1.0.2k",
      ecosystem: "generic",
      native: "rpm",
      reason: "rpm release -25.el7_9 stripped; version 1.0.2k-25.el7_9 -> 1.0.2k",
    },
    {
      c: comp("busybox", "1.35.0-3", "opkg", { cpe: "cpe:2.3:a:busybox:busybox:1.35.0-3:*:*:*:*:*:*:*" }),
      cpes: ["cpe:2.3:a:busybox:busybox:1.35.0:*:*:*:*:*:*:*"],
      version: "1.35.0",
      ecosystem: "generic",
      native: "opkg",
      reason:
        "opkg package revision -3 stripped; version 1.35.0-3 -> 1.35.0; component cpe version 1.35.0-3 replaced by 1.35.0",
    },
    {
      c: comp("dropbear", "2022.83-1", "opkg"),
      cpes: [
        "cpe:2.3:a:dropbear_ssh_project:dropbear_ssh:2022.83:*:*:*:*:*:*:*",
        "cpe:2.3:a:matt_johnston:dropbear_ssh_server:2022.83:*:*:*:*:*:*:*",
      ],
      version: "2022.83",
      ecosystem: "generic",
      native: "opkg",
      reason: "opkg package revision -1 stripped; version 2022.83-1 -> 2022.83",
    },
    {
      c: comp("lodash", "4.17.21", "fingerprint", { purl: "pkg:npm/lodash@4.17.21" }),
      cpes: [],
      version: "4.17.21",
      ecosystem: "semver",
      native: "semver",
      reason: "lodash is not in the alias table; version 4.17.21 used as is; no CPE is known for lodash",
    },
    {
      c: comp("mystery", "abc"),
      cpes: [],
      version: "abc",
      ecosystem: "generic",
      reason:
        "mystery is not in the alias table; version abc is not numeric: ranges cannot be compared; version abc used as is; no CPE is known for mystery",
    },
    {
      c: comp("vendorapp", "2.0", "fingerprint", { cpe: "cpe:2.3:a:acme:vendorapp:*:*:*:*:*:*:*:*" }),
      cpes: ["cpe:2.3:a:acme:vendorapp:2.0:*:*:*:*:*:*:*"],
      version: "2.0",
      ecosystem: "generic",
      reason: "vendorapp is not in the alias table; version 2.0 used as is",
    },
  ];
  for (const t of cases) {
    it(`${t.c.name} ${t.c.version} (${t.c.method})`, () => {
      const id = identify(t.c);
      assert.deepEqual(id.cpes, t.cpes);
      assert.equal(id.versionForMatching, t.version);
      assert.equal(id.ecosystem, t.ecosystem);
      assert.equal(id.native?.ecosystem, t.native);
      assert.equal(id.reason, t.reason);
    });
  }

  it("gives purls: the component's own and a generic one", () => {
    const id = identify(
      comp("busybox", "1.35.0-r17", "apk", { purl: "pkg:apk/alpine/busybox@1.35.0-r17?arch=x86_64" }),
    );
    assert.deepEqual(id.purls, [
      "pkg:apk/alpine/busybox@1.35.0-r17?arch=x86_64",
      "pkg:generic/busybox@1.35.0",
    ]);
    assert.deepEqual(identify(comp("libopenssl1.0.0", "1.0.2k-1", "opkg")).purls, [
      "pkg:generic/openssl@1.0.2k",
    ]);
  });

  it("answers to its package, source-package and canonical names", () => {
    assert.deepEqual(identify(comp("dnsmasq-base", "2.76-5", "dpkg")).names, ["dnsmasq", "dnsmasq-base"]);
    assert.deepEqual(identify(comp("libssl1.1", "1.1.1n-0+deb11u5", "dpkg")).names, ["openssl", "libssl1.1"]);
  });
});
