// Software components in firmware: package databases (opkg, dpkg), version banners in real
// Debian binaries copied from this machine (checked against the versions dpkg says they have),
// synthetic banners for what the machine does not carry, the kernel's vermagic, and hostile input.
//
// Decision on prose: only binaries (ELF files, kernel images) are fingerprinted. A README that
// says "OpenSSL 1.0.2k  26 Jan 2017" is documentation, not the library, and yields nothing; inside
// binaries the patterns demand the exact banner layout (OpenSSL's date, a kernel's "(user@host)"),
// so "OpenSSL 1.0 is deprecated" or sshd's compatibility pattern "OpenSSH_7.4*" yield nothing.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { analyzeFirmware, type LocatedFact } from "../../src/collect/firmware/analyze.js";
import { componentsAnalyzer } from "../../src/collect/firmware/analyzers/components/index.js";
import { fingerprint } from "../../src/collect/firmware/analyzers/components/fingerprints.js";
import {
  cpeFor,
  purlOf,
  upstreamVersion,
} from "../../src/collect/firmware/analyzers/components/identifiers.js";
import { packagesOf, parseStanzas } from "../../src/collect/firmware/analyzers/components/packages.js";
import { LimitError } from "../../src/collect/firmware/limits.js";
import { bufferSource, FormatError } from "../../src/collect/firmware/source.js";
import { unpack } from "../../src/collect/firmware/unpack.js";
import { walk } from "../../src/collect/firmware/walk.js";
import type { ComponentData } from "../../src/evidence/firmware.js";
import { sha256 } from "../../src/util/hash.js";
import { cpioImage, squashfsImage, tarImage, writeTree, type Tree } from "../helpers/fwimage.js";

/** A stand-in ELF: the magic, a header's worth of zeros, then NUL-separated strings. */
function elf(...strings: string[]): Buffer {
  return Buffer.concat([
    Buffer.from("\x7fELF\x01\x01\x01", "latin1"),
    Buffer.alloc(57),
    ...strings.map((s) => Buffer.from(`${s}\0`, "latin1")),
    Buffer.alloc(64),
  ]);
}

function components(image: string): { facts: LocatedFact[]; problems: string[] } {
  const r = analyzeFirmware(image, { cache: false, analyzers: [componentsAnalyzer] });
  return { facts: r.facts.filter((f) => f.kind === "firmware.component"), problems: r.image.problems };
}

/** The parts a reader checks: identity, how, and where. */
function summary(f: LocatedFact) {
  const d = f.data as ComponentData;
  return {
    name: d.name,
    version: d.version,
    purl: d.purl,
    cpe: d.cpe,
    method: d.method,
    confidence: d.confidence,
    paths: (d.occurrences ?? []).map((o) => o.path),
    corroboratedBy: (d.corroboratedBy ?? []).map((c) => c.method),
  };
}

const byPurl = (a: { purl?: string }, b: { purl?: string }) => ((a.purl ?? "") < (b.purl ?? "") ? -1 : 1);
const generic = (name: string, version: string) => purlOf("generic", undefined, name, version);

// ---- host binaries -------------------------------------------------------------------------

function dpkgVersion(pkg: string): string | undefined {
  const r = spawnSync("dpkg-query", ["-W", "-f", "${Version}", pkg]);
  return r.status === 0 ? r.stdout.toString() : undefined;
}

/** The upstream release in a Debian version, read independently of the code under test. */
const upstreamOf = (v: string) => /^(?:\d+:)?(\d+(?:\.\d+)+(?:p\d+)?)/.exec(v)![1]!;

const LIB = "/usr/lib/x86_64-linux-gnu";
/** Host file, Debian package, where it goes in the test image, component it must become. */
const HOST = [
  { file: "/bin/busybox", pkg: "busybox", at: ["bin/busybox", "rescue/busybox"], name: "busybox" },
  { file: `${LIB}/libcrypto.so.3`, pkg: "libssl3", at: ["usr/lib/libcrypto.so.3"], name: "openssl" },
  { file: `${LIB}/libssl.so.3`, pkg: "libssl3", at: ["usr/lib/libssl.so.3"], name: undefined },
  { file: `${LIB}/libz.so.1.2.13`, pkg: "zlib1g", at: ["lib/libz.so.1"], name: "zlib" },
  {
    file: `${LIB}/libsqlite3.so.0.8.6`,
    pkg: "libsqlite3-0",
    at: ["usr/lib/libsqlite3.so.0"],
    name: "sqlite",
  },
  { file: `${LIB}/libcurl.so.4.8.0`, pkg: "libcurl4", at: ["usr/lib/libcurl.so.4"], name: "libcurl" },
  { file: `${LIB}/libc.so.6`, pkg: "libc6", at: ["lib/libc.so.6"], name: "glibc" },
  { file: "/usr/bin/curl", pkg: "curl", at: ["usr/bin/curl"], name: "curl" },
  { file: "/usr/bin/ssh", pkg: "openssh-client", at: ["usr/bin/ssh"], name: "openssh" },
].filter((h) => existsSync(h.file) && dpkgVersion(h.pkg) !== undefined);

describe("components from real binaries", () => {
  it("this machine has the binaries the test copies (apt-get install busybox)", () => {
    assert.ok(
      HOST.some((h) => h.pkg === "busybox"),
      "/bin/busybox is missing: apt-get install busybox",
    );
    assert.ok(HOST.some((h) => h.pkg === "libc6"));
  });

  it("identifies each binary with the upstream version its Debian package has, every path listed", () => {
    const tree: Tree = {
      // Prose about a version is not the component: not a binary, never scanned.
      "usr/share/doc/openssl/README": "This product includes OpenSSL 1.0.2k  26 Jan 2017 (see LICENSE).\n",
      "usr/bin/version.sh": { content: "#!/bin/sh\necho 'BusyBox v9.9.9 (fake)'\n", mode: 0o755 },
      "bin/sh": { symlink: "busybox" },
    };
    for (const h of HOST) for (const at of h.at) tree[at] = { content: readFileSync(h.file), mode: 0o755 };
    const { facts, problems } = components(tarImage(writeTree(tree)));
    assert.deepEqual(problems, []);

    const expected = HOST.filter((h) => h.name !== undefined)
      .map((h) => {
        const version = upstreamOf(dpkgVersion(h.pkg)!);
        return {
          name: h.name,
          version,
          purl: generic(h.name, version),
          cpe: cpeFor(h.name, version),
          method: "fingerprint",
          confidence: h.name === "sqlite" ? 0.8 : 0.9,
          paths: h.at.map((a) => `/${a}`).sort(),
          corroboratedBy: [],
        };
      })
      .sort(byPurl);
    assert.deepEqual(facts.map(summary).sort(byPurl), expected);

    // The evidence is the exact bytes and the file they are in.
    const bb = facts.find((f) => (f.data as ComponentData).name === "busybox")!;
    const d = bb.data as ComponentData;
    const full = dpkgVersion("busybox")!;
    assert.equal(d.match, `BusyBox v${upstreamOf(full)} (Debian ${full})`);
    assert.equal(d.fileSha256, sha256(readFileSync("/bin/busybox")));
    assert.equal(d.cpe, `cpe:2.3:a:busybox:busybox:${upstreamOf(full)}:*:*:*:*:*:*:*`);
    const offset = readFileSync("/bin/busybox").indexOf(d.match);
    assert.equal(bb.location, `tar@0x0:/bin/busybox@0x${offset.toString(16)}`);
    const ssh = facts.find((f) => (f.data as ComponentData).name === "openssh");
    if (ssh) assert.match((ssh.data as ComponentData).cpe!, /^cpe:2\.3:a:openbsd:openssh:\d+\.\d+:p\d+:/);
  });

  it("lets the host's own dpkg database claim the binaries its packages own", () => {
    // Debian 12 merges /bin and /lib into /usr; the .list files still name /bin/busybox and
    // /lib/x86_64-linux-gnu/libc.so.6, which the image's links resolve.
    const realPath = (file: string) => file.replace(/^\/(bin|lib)\//, "/usr/$1/");
    const tree: Tree = {
      "var/lib/dpkg/status": { content: readFileSync("/var/lib/dpkg/status") },
      lib: { symlink: "usr/lib" },
      bin: { symlink: "usr/bin" },
    };
    for (const h of HOST) {
      tree[realPath(h.file).slice(1)] = { content: readFileSync(h.file) };
      for (const list of [`${h.pkg}.list`, `${h.pkg}:amd64.list`])
        if (existsSync(`/var/lib/dpkg/info/${list}`))
          tree[`var/lib/dpkg/info/${list}`] = { content: readFileSync(`/var/lib/dpkg/info/${list}`) };
    }
    const { facts } = components(tarImage(writeTree(tree)));
    const all = facts.map((f) => f.data as ComponentData);
    for (const h of HOST.filter((x) => x.name !== undefined)) {
      const full = dpkgVersion(h.pkg)!;
      const arch = spawnSync("dpkg-query", ["-W", "-f", "${Architecture}", h.pkg]).stdout.toString();
      const c = all.find((x) => x.method === "dpkg" && x.name === h.pkg);
      assert.ok(c, `${h.pkg} is listed`);
      assert.equal(c.version, full);
      assert.equal(c.purl, purlOf("deb", "debian", h.pkg, full, { arch }));
      assert.equal(c.cpe, cpeFor(h.name, upstreamOf(full)));
      assert.deepEqual(
        c.corroboratedBy?.map((x) => x.method),
        ["fingerprint"],
        `${h.pkg}: its banner corroborates it`,
      );
      assert.ok(
        c.occurrences?.some((o) => o.path === realPath(h.file) && o.sha256 === sha256(readFileSync(h.file))),
        `${h.pkg}: ${realPath(h.file)} is listed with its hash`,
      );
    }
    assert.deepEqual(
      all.filter((x) => x.method === "fingerprint").map((x) => x.name),
      [],
      "every banner is claimed by its package",
    );
    assert.ok(all.length > 100, "the whole host database is read");
  });
});

// ---- package databases ---------------------------------------------------------------------

const OPKG_STATUS = `Package: busybox
Version: 1.36.1-1
Depends: libc, libcrypt-compat
Status: install user installed
Architecture: mipsel_24kc
Installed-Time: 1700000000

Package: dnsmasq
Version: 2.89-4
Depends: libc, libubus20230605
Status: install user installed
Architecture: mipsel_24kc
Conffiles:
 /etc/config/dhcp 0123456789abcdef

Package: kernel
Version: 5.15.137-1-d2c1e2a5fd5c1c8e2bb3cbbb2bd3e4d9
Status: install user installed
Architecture: mipsel_24kc

Package: libopenssl3
Version: 3.0.13-1
Status: install ok installed
Architecture: mipsel_24kc

Package: libc
Version: 1.2.4-4
Status: install user installed
Architecture: mipsel_24kc

Package: luci-app-old
Version: git-23.001.1-abc
Status: deinstall ok not-installed
Architecture: all
`;

const OPENWRT: Tree = {
  "usr/lib/opkg/status": OPKG_STATUS,
  "usr/lib/opkg/info/busybox.control":
    "Package: busybox\nVersion: 1.36.1-1\nLicense: GPL-2.0-only bzip2-1.0.4\nMaintainer: Felix Fietkau <nbd@nbd.name>\nSource: package/utils/busybox\nSourceName: busybox\nArchitecture: mipsel_24kc\nDescription: The Swiss Army Knife of embedded Linux.\n It slices, it dices.\n",
  "usr/lib/opkg/info/busybox.list": "/bin/busybox\n/bin/sh\n",
  "usr/lib/opkg/info/dnsmasq.list": "/usr/sbin/dnsmasq\n/etc/config/dhcp\n",
  "usr/lib/opkg/info/libc.list": "/lib/libc.so\n",
  "bin/busybox": {
    content: elf("BusyBox v1.36.1 (2023-11-13 14:45:12 UTC) multi-call binary."),
    mode: 0o755,
  },
  "bin/sh": { symlink: "busybox" },
  "usr/sbin/dnsmasq": { content: elf("dnsmasq-2.90", "Dnsmasq version %s  %s"), mode: 0o755 },
  "lib/libc.so": { content: elf("musl libc (mipsel)", "Version %s", "1.2.4", "Dynamic Program Loader") },
  "lib/modules/5.15.137/nf_conntrack.ko": {
    content: elf("license=GPL", "vermagic=5.15.137 SMP mod_unload MIPS32_R2 32BIT "),
  },
  "lib/modules/5.15.137/ppp_generic.ko": {
    content: elf("vermagic=5.15.137 SMP mod_unload MIPS32_R2 32BIT "),
  },
};

describe("package databases", () => {
  it("reads OpenWrt's opkg status and control files, and lets packages claim their binaries", () => {
    const { facts, problems } = components(squashfsImage(writeTree(OPENWRT)));
    assert.deepEqual(problems, []);
    const kernel = "5.15.137-1-d2c1e2a5fd5c1c8e2bb3cbbb2bd3e4d9";
    const opk = (name: string, version: string) =>
      purlOf("opk", "openwrt", name, version, { arch: "mipsel_24kc" });
    assert.deepEqual(facts.map(summary).sort(byPurl), [
      {
        name: "dnsmasq",
        version: "2.90",
        purl: "pkg:generic/dnsmasq@2.90",
        cpe: "cpe:2.3:a:thekelleys:dnsmasq:2.90:*:*:*:*:*:*:*",
        method: "fingerprint",
        confidence: 0.8,
        paths: ["/usr/sbin/dnsmasq"],
        corroboratedBy: [],
      },
      {
        name: "musl",
        version: "1.2.4",
        purl: "pkg:generic/musl@1.2.4",
        cpe: "cpe:2.3:a:musl-libc:musl:1.2.4:*:*:*:*:*:*:*",
        method: "fingerprint",
        confidence: 0.8,
        paths: ["/lib/libc.so"],
        corroboratedBy: [],
      },
      {
        name: "busybox",
        version: "1.36.1-1",
        purl: "pkg:opk/openwrt/busybox@1.36.1-1?arch=mipsel_24kc",
        cpe: "cpe:2.3:a:busybox:busybox:1.36.1:*:*:*:*:*:*:*",
        method: "opkg",
        confidence: 1,
        paths: ["/bin/busybox"],
        corroboratedBy: ["fingerprint"],
      },
      {
        name: "dnsmasq",
        version: "2.89-4",
        purl: opk("dnsmasq", "2.89-4"),
        cpe: "cpe:2.3:a:thekelleys:dnsmasq:2.89:*:*:*:*:*:*:*",
        method: "opkg",
        confidence: 1,
        paths: [],
        corroboratedBy: [],
      },
      {
        name: "kernel",
        version: kernel,
        purl: opk("kernel", kernel),
        cpe: "cpe:2.3:o:linux:linux_kernel:5.15.137:*:*:*:*:*:*:*",
        method: "opkg",
        confidence: 1,
        paths: [
          "/lib/modules/5.15.137",
          "/lib/modules/5.15.137/nf_conntrack.ko",
          "/lib/modules/5.15.137/ppp_generic.ko",
        ],
        corroboratedBy: ["vermagic", "modules-dir"],
      },
      {
        name: "libc",
        version: "1.2.4-4",
        purl: opk("libc", "1.2.4-4"),
        cpe: undefined,
        method: "opkg",
        confidence: 1,
        paths: [],
        corroboratedBy: [],
      },
      {
        name: "libopenssl3",
        version: "3.0.13-1",
        purl: opk("libopenssl3", "3.0.13-1"),
        cpe: "cpe:2.3:a:openssl:openssl:3.0.13:*:*:*:*:*:*:*",
        method: "opkg",
        confidence: 1,
        paths: [],
        corroboratedBy: [],
      },
    ]);
    const bb = facts.find((f) => (f.data as ComponentData).method === "opkg")!;
    const d = bb.data as ComponentData;
    assert.equal(bb.location, "squashfs@0x0:/usr/lib/opkg/status:1");
    assert.deepEqual(d.licenses, ["GPL-2.0-only", "bzip2-1.0.4"]);
    assert.equal(d.supplier, "Felix Fietkau <nbd@nbd.name>");
    assert.equal(d.role, "application");
    assert.deepEqual(d.corroboratedBy, [
      {
        method: "fingerprint",
        confidence: 0.9,
        match: "BusyBox v1.36.1 (2023-11-13 14:45:12 UTC) multi-call binary.",
      },
    ]);
    assert.equal(d.fileSha256, sha256(elf("BusyBox v1.36.1 (2023-11-13 14:45:12 UTC) multi-call binary.")));
  });

  it("reads dpkg status and status.d, names the distribution from os-release, and skips what is not installed", () => {
    const tree: Tree = {
      "etc/os-release": 'PRETTY_NAME="Ubuntu 22.04.4 LTS"\nNAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n',
      "var/lib/dpkg/status": [
        "Package: libssl3",
        "Status: install ok installed",
        "Priority: optional",
        "Maintainer: Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>",
        "Architecture: amd64",
        "Multi-Arch: same",
        "Source: openssl (3.0.2-0ubuntu1.15)",
        "Version: 3.0.2-0ubuntu1.15",
        "Description: Secure Sockets Layer toolkit - shared libraries",
        " This package is part of the OpenSSL project's implementation of the SSL",
        "",
        "Package: zlib1g",
        "Status: install ok installed",
        "Architecture: amd64",
        "Source: zlib",
        "Version: 1:1.2.11.dfsg-2ubuntu9.2",
        "",
        "Package: busybox-static",
        "Status: deinstall ok config-files",
        "Architecture: amd64",
        "Version: 1:1.30.1-7ubuntu3",
        "",
        "Package: no-version-here",
        "Status: install ok installed",
        "",
      ].join("\r\n"),
      "var/lib/dpkg/status.d/tzdata": "Package: tzdata\nVersion: 2024a-0ubuntu0.22.04\nArchitecture: all\n",
      "var/lib/dpkg/status.d/tzdata.md5sums": "0123  usr/share/zoneinfo/UTC\n",
    };
    const { facts, problems } = components(tarImage(writeTree(tree)));
    assert.deepEqual(facts.map(summary).sort(byPurl), [
      {
        name: "libssl3",
        version: "3.0.2-0ubuntu1.15",
        purl: "pkg:deb/ubuntu/libssl3@3.0.2-0ubuntu1.15?arch=amd64",
        cpe: "cpe:2.3:a:openssl:openssl:3.0.2:*:*:*:*:*:*:*",
        method: "dpkg",
        confidence: 1,
        paths: [],
        corroboratedBy: [],
      },
      {
        name: "tzdata",
        version: "2024a-0ubuntu0.22.04",
        purl: "pkg:deb/ubuntu/tzdata@2024a-0ubuntu0.22.04?arch=all",
        cpe: undefined,
        method: "dpkg",
        confidence: 1,
        paths: [],
        corroboratedBy: [],
      },
      {
        name: "zlib1g",
        version: "1:1.2.11.dfsg-2ubuntu9.2",
        purl: "pkg:deb/ubuntu/zlib1g@1:1.2.11.dfsg-2ubuntu9.2?arch=amd64",
        cpe: "cpe:2.3:a:zlib:zlib:1.2.11:*:*:*:*:*:*:*",
        method: "dpkg",
        confidence: 1,
        paths: [],
        corroboratedBy: [],
      },
    ]);
    assert.deepEqual(problems, [
      'components on tar@0x0:/var/lib/dpkg/status: line 23: package "no-version-here" has no valid name or version; skipped',
    ]);
  });

  it("notes an RPM database it does not read", () => {
    const { facts, problems } = components(
      tarImage(
        writeTree({
          "var/lib/rpm/rpmdb.sqlite": "SQLite format 3\0...",
          "usr/lib/sysimage/rpm/Packages": "x",
        }),
      ),
    );
    assert.deepEqual(facts, []);
    assert.deepEqual(problems, [
      "components on tar@0x0:/usr/lib/sysimage/rpm/Packages: RPM database found; its packages are not read (only opkg and dpkg databases are)",
      "components on tar@0x0:/var/lib/rpm/rpmdb.sqlite: RPM database found; its packages are not read (only opkg and dpkg databases are)",
    ]);
  });

  it("turns hostile stanzas into notes, never into components", () => {
    const problems: string[] = [];
    const text = [
      "Package: ../../etc/passwd",
      "Version: 1.0",
      "",
      "Package: ok-pkg",
      "Version: 1.0 with spaces",
      "",
      "garbage line without a colon",
      "Package: fine",
      `Version: 2.0+git~1`,
      `Description: ${"x".repeat(200_000)}`,
      "",
      "\0\0\0: \0",
    ].join("\n");
    const pkgs = packagesOf("dpkg", parseStanzas(text, problems), "/var/lib/dpkg/status", problems);
    assert.deepEqual(
      pkgs.map((p) => [p.name, p.version, p.where]),
      [["fine", "2.0+git~1", "/var/lib/dpkg/status:8"]],
    );
    assert.deepEqual(problems, [
      'line 7: not a "Field: value" line',
      'line 1: package "../../etc/passwd" has no valid name or version; skipped',
      'line 4: package "ok-pkg" has no valid name or version; skipped',
      'line 12: package "" has no valid name or version; skipped',
    ]);
    assert.equal(
      purlOf("deb", "debian", "fine", "2.0+git~1", { arch: "amd64" }),
      "pkg:deb/debian/fine@2.0%2Bgit~1?arch=amd64",
    );
  });

  it("takes the upstream release out of package versions", () => {
    assert.deepEqual(
      [
        "1:1.35.0-4+deb12u1+b1",
        "3.0.19-1~deb12u2",
        "1:1.2.13.dfsg-1",
        "1:9.2p1-2+deb12u6",
        "2.36-9+deb12u14",
        "1.36.1-1",
        "2022.82-6",
        "1.0",
      ].map(upstreamVersion),
      ["1.35.0", "3.0.19", "1.2.13", "9.2p1", "2.36", "1.36.1", "2022.82", "1.0"],
    );
    assert.equal(cpeFor("openssh", "8.4p1"), "cpe:2.3:a:openbsd:openssh:8.4:p1:*:*:*:*:*:*");
    assert.equal(cpeFor("openssl", "1.1.1k"), "cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*");
    assert.equal(cpeFor("unknown-thing", "1.0"), undefined);
    assert.equal(cpeFor("busybox", "git"), undefined);
  });
});

// ---- fingerprints the host cannot supply ---------------------------------------------------

const ZOO: Tree = {
  "usr/lib/libcrypto.so.1.1": {
    content: elf("OpenSSL 1.1.1k  25 Mar 2021", "OpenSSL 1.0 is no longer supported"),
  },
  "usr/lib/libwolfssl.so.24": { content: elf("wolfSSL 4.7.0") },
  "usr/lib/libmbedcrypto.so.3": { content: elf("mbed TLS 2.16.6") },
  "usr/lib/libmbedtls.so.19": { content: elf("Mbed TLS 3.4.0") },
  "usr/sbin/dropbear": {
    content: elf("SSH-2.0-dropbear_2020.81", "Dropbear SSH multi-purpose v2020.81"),
    mode: 0o755,
  },
  "usr/bin/dbclient": {
    content: elf("Dropbear SSH client v2022.83 https://matt.ucc.asn.au/dropbear/dropbear.html"),
    mode: 0o755,
  },
  "usr/sbin/sshd": { content: elf("OpenSSH_8.4p1", "OpenSSH_2.*,OpenSSH_3.0*,OpenSSH_7.4*"), mode: 0o755 },
  "usr/sbin/dnsmasq": { content: elf("dnsmasq-2.80"), mode: 0o755 },
  "usr/sbin/lighttpd": { content: elf("lighttpd/1.4.59"), mode: 0o755 },
  "usr/sbin/miniupnpd": { content: elf("OpenWrt/23.05 UPnP/1.1 MiniUPnPd/2.3.3"), mode: 0o755 },
  "usr/sbin/hostapd": { content: elf("hostapd v2.9"), mode: 0o755 },
  "usr/sbin/wpa_supplicant": { content: elf("wpa_supplicant v2.10"), mode: 0o755 },
  "usr/lib/libsqlite3.so.0": {
    content: elf(
      "SQLite format 3",
      "3.31.1",
      "2020-01-27 19:55:54 3bfa9cc97da10598521b342961df8f5f68c7388fa117345eeb516eaa837bb4d6",
    ),
  },
  "usr/sbin/smbd": { content: elf("4.9.5-Debian", "smbd version %s started."), mode: 0o755 },
  "lib/libuClibc-1.0.31.so": { content: elf("uClibc-ng 1.0.31") },
  "lib/ld-uClibc-1.0.31.so": { content: elf("nothing to see") },
  "boot/vmlinux-5.4.55": {
    content: elf(
      "Linux version 5.4.55 (builder@buildhost) (gcc version 8.4.0 (OpenWrt GCC 8.4.0 r11148)) #0 SMP Mon Aug 10 13:30:55 2020",
    ),
  },
  // A text file that quotes a whole banner: never scanned.
  "usr/share/doc/lighttpd/NEWS": "lighttpd/1.4.30 fixed a crash\nOpenSSL 1.0.1f  6 Jan 2014\n",
};

describe("fingerprints", () => {
  it("finds every banner, and nothing in prose or compatibility patterns", () => {
    const { facts, problems } = components(cpioImage(writeTree(ZOO)));
    assert.deepEqual(problems, []);
    const got = facts.map((f) => {
      const d = f.data as ComponentData;
      return [
        d.name,
        d.version,
        d.method,
        d.confidence,
        d.cpe,
        (d.occurrences ?? []).map((o) => o.path).join(" "),
      ];
    });
    assert.deepEqual(got, [
      [
        "dnsmasq",
        "2.80",
        "fingerprint",
        0.8,
        "cpe:2.3:a:thekelleys:dnsmasq:2.80:*:*:*:*:*:*:*",
        "/usr/sbin/dnsmasq",
      ],
      [
        "dropbear",
        "2020.81",
        "fingerprint",
        0.9,
        "cpe:2.3:a:dropbear_ssh_project:dropbear_ssh:2020.81:*:*:*:*:*:*:*",
        "/usr/sbin/dropbear",
      ],
      [
        "dropbear",
        "2022.83",
        "fingerprint",
        0.9,
        "cpe:2.3:a:dropbear_ssh_project:dropbear_ssh:2022.83:*:*:*:*:*:*:*",
        "/usr/bin/dbclient",
      ],
      [
        "hostapd",
        "2.9",
        "fingerprint",
        0.9,
        "cpe:2.3:a:w1.fi:hostapd:2.9:*:*:*:*:*:*:*",
        "/usr/sbin/hostapd",
      ],
      [
        "lighttpd",
        "1.4.59",
        "fingerprint",
        0.9,
        "cpe:2.3:a:lighttpd:lighttpd:1.4.59:*:*:*:*:*:*:*",
        "/usr/sbin/lighttpd",
      ],
      [
        "linux",
        "5.4.55",
        "kernel-banner",
        0.9,
        "cpe:2.3:o:linux:linux_kernel:5.4.55:*:*:*:*:*:*:*",
        "/boot/vmlinux-5.4.55",
      ],
      [
        "mbedtls",
        "2.16.6",
        "fingerprint",
        0.9,
        "cpe:2.3:a:arm:mbed_tls:2.16.6:*:*:*:*:*:*:*",
        "/usr/lib/libmbedcrypto.so.3",
      ],
      [
        "mbedtls",
        "3.4.0",
        "fingerprint",
        0.9,
        "cpe:2.3:a:arm:mbed_tls:3.4.0:*:*:*:*:*:*:*",
        "/usr/lib/libmbedtls.so.19",
      ],
      [
        "miniupnpd",
        "2.3.3",
        "fingerprint",
        0.8,
        "cpe:2.3:a:miniupnp_project:miniupnpd:2.3.3:*:*:*:*:*:*:*",
        "/usr/sbin/miniupnpd",
      ],
      [
        "openssh",
        "8.4p1",
        "fingerprint",
        0.9,
        "cpe:2.3:a:openbsd:openssh:8.4:p1:*:*:*:*:*:*",
        "/usr/sbin/sshd",
      ],
      [
        "openssl",
        "1.1.1k",
        "fingerprint",
        0.9,
        "cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*",
        "/usr/lib/libcrypto.so.1.1",
      ],
      ["samba", "4.9.5", "fingerprint", 0.6, "cpe:2.3:a:samba:samba:4.9.5:*:*:*:*:*:*:*", "/usr/sbin/smbd"],
      [
        "sqlite",
        "3.31.1",
        "fingerprint",
        0.8,
        "cpe:2.3:a:sqlite:sqlite:3.31.1:*:*:*:*:*:*:*",
        "/usr/lib/libsqlite3.so.0",
      ],
      [
        "uclibc-ng",
        "1.0.31",
        "fingerprint",
        0.9,
        "cpe:2.3:a:uclibc-ng_project:uclibc-ng:1.0.31:*:*:*:*:*:*:*",
        "/lib/ld-uClibc-1.0.31.so /lib/libuClibc-1.0.31.so",
      ],
      [
        "wolfssl",
        "4.7.0",
        "fingerprint",
        0.8,
        "cpe:2.3:a:wolfssl:wolfssl:4.7.0:*:*:*:*:*:*:*",
        "/usr/lib/libwolfssl.so.24",
      ],
      [
        "wpa_supplicant",
        "2.10",
        "fingerprint",
        0.9,
        "cpe:2.3:a:w1.fi:wpa_supplicant:2.10:*:*:*:*:*:*:*",
        "/usr/sbin/wpa_supplicant",
      ],
    ]);
    const uclibc = facts.find((f) => (f.data as ComponentData).name === "uclibc-ng")!.data as ComponentData;
    assert.deepEqual(uclibc.corroboratedBy, [
      { method: "filename", confidence: 0.6, match: "ld-uClibc-1.0.31.so" },
    ]);
    const samba = facts.find((f) => (f.data as ComponentData).name === "samba")!.data as ComponentData;
    assert.equal(samba.match, "4.9.5-Debian");
  });

  it("claims no version when a library carries several bare ones and nothing picks one", () => {
    assert.deepEqual(fingerprint(elf("musl libc (arm)", "1.2.3", "1.1.24"), "/lib/libc.so"), []);
    assert.deepEqual(
      fingerprint(elf("SQLite format 3", "3.31.1"), "/usr/lib/libsqlite3.so"),
      [],
      "no source id",
    );
    assert.deepEqual(fingerprint(elf("4.9.5"), "/usr/bin/not-samba"), []);
  });
});

// ---- hostile input -------------------------------------------------------------------------

describe("components on mutated images", () => {
  it("survives a few hundred mutations with no error but FormatError or LimitError, and no hang", () => {
    const base = readFileSync(tarImage(writeTree({ ...OPENWRT, ...ZOO })));
    let seed = 0x5eed;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0), seed >>> 8);
    const started = Date.now();
    for (let i = 0; i < 300; i++) {
      const data = Buffer.from(base);
      const n = 1 + (rnd() % 16);
      for (let k = 0; k < n; k++) data[rnd() % data.length] = rnd() & 0xff;
      const cut = i % 7 === 0 ? data.subarray(0, rnd() % data.length) : data;
      try {
        const r = unpack(bufferSource(`m${i}`, cut));
        for (const fs of r.filesystems) walk(fs, [componentsAnalyzer], () => undefined);
      } catch (e) {
        if (!(e instanceof FormatError || e instanceof LimitError)) throw e;
      }
      // The parsers directly, on mutated text and bytes.
      const text = cut.toString("latin1");
      const problems: string[] = [];
      packagesOf("opkg", parseStanzas(text.slice(0, 20_000), problems), "/x", problems);
      fingerprint(cut.subarray(0, 200_000), "/usr/lib/libsqlite3.so");
    }
    assert.ok(Date.now() - started < 15_000, "bounded time");
  });
});
