// Who is who: the names firmware analysis finds (fingerprints, opkg/dpkg/rpm/apk package names) and
// the identifiers vulnerability records use for the same software (NVD CPE vendor:product, OSV
// package names, purls). Every row says where its mapping comes from.
//
// CPE pairs are the ones NVD's CPE dictionary and CVE configurations use for the product. Package
// names are those of OpenWrt (opkg), Debian (dpkg) and Alpine (apk) packages that ship the
// component; `distro` gives the source package name OSV's Debian/Alpine/Red Hat records use.

export interface CpeProduct {
  part: "a" | "o";
  vendor: string;
  product: string;
}

export interface Alias {
  /** The canonical name Concord uses. */
  name: string;
  /** Exact names (lower case) that mean this component: fingerprint names and package names. */
  names: string[];
  /** Package name families, e.g. libopenssl1.0.0, libssl3, libcurl4. */
  patterns?: RegExp[];
  cpes: CpeProduct[];
  /** Source package names in distributions, as OSV records name them. */
  distro?: { debian?: string; alpine?: string; rpm?: string };
  /** Version handling for this product: see identity.ts. */
  quirk?: "kernel" | "openssh";
  source: string;
}

export const ALIASES: Alias[] = [
  {
    name: "busybox",
    names: ["busybox", "busybox-static", "busybox-selinux"],
    cpes: [{ part: "a", vendor: "busybox", product: "busybox" }],
    distro: { debian: "busybox", alpine: "busybox", rpm: "busybox" },
    source: "NVD CPE busybox:busybox (e.g. CVE-2022-30065); OpenWrt/Debian/Alpine package busybox",
  },
  {
    name: "openssl",
    names: ["openssl", "openssl-util", "libopenssl", "libssl", "libcrypto", "openssl-libs"],
    patterns: [/^libopenssl\d[\d.]*$/, /^libssl\d[\d.]*(t64)?$/, /^libcrypto\d[\d.]*$/, /^libopenssl-conf$/],
    cpes: [{ part: "a", vendor: "openssl", product: "openssl" }],
    distro: { debian: "openssl", alpine: "openssl", rpm: "openssl" },
    source:
      "NVD CPE openssl:openssl (e.g. CVE-2016-2842); OpenWrt libopenssl/libopenssl1.0.0/libopenssl1.1/libopenssl3 and openssl-util, Debian libssl1.0.0/libssl1.1/libssl3, Alpine libcrypto3/libssl3",
  },
  {
    name: "dropbear",
    names: ["dropbear", "dropbearconvert", "dropbear-bin", "dropbear-run"],
    cpes: [
      { part: "a", vendor: "dropbear_ssh_project", product: "dropbear_ssh" },
      { part: "a", vendor: "matt_johnston", product: "dropbear_ssh_server" },
    ],
    distro: { debian: "dropbear", alpine: "dropbear" },
    source:
      "NVD CPE dropbear_ssh_project:dropbear_ssh (e.g. CVE-2020-36254) and the older matt_johnston:dropbear_ssh_server; OpenWrt/Debian/Alpine package dropbear",
  },
  {
    name: "openssh",
    names: [
      "openssh",
      "openssh-server",
      "openssh-client",
      "openssh-sftp-server",
      "openssh-client-utils",
      "sshd",
    ],
    cpes: [{ part: "a", vendor: "openbsd", product: "openssh" }],
    distro: { debian: "openssh", alpine: "openssh", rpm: "openssh" },
    quirk: "openssh",
    source:
      "NVD CPE openbsd:openssh, portable releases as version 7.4 update p1; OpenWrt openssh-server/openssh-client, Debian openssh-server/openssh-client",
  },
  {
    name: "dnsmasq",
    names: ["dnsmasq", "dnsmasq-full", "dnsmasq-dhcpv6", "dnsmasq-base"],
    cpes: [{ part: "a", vendor: "thekelleys", product: "dnsmasq" }],
    distro: { debian: "dnsmasq", alpine: "dnsmasq", rpm: "dnsmasq" },
    source:
      "NVD CPE thekelleys:dnsmasq (e.g. CVE-2017-14491); OpenWrt dnsmasq/dnsmasq-full, Debian dnsmasq-base",
  },
  {
    name: "lighttpd",
    names: ["lighttpd"],
    patterns: [/^lighttpd-mod-[a-z0-9_]+$/],
    cpes: [{ part: "a", vendor: "lighttpd", product: "lighttpd" }],
    distro: { debian: "lighttpd", alpine: "lighttpd", rpm: "lighttpd" },
    source: "NVD CPE lighttpd:lighttpd; OpenWrt lighttpd and lighttpd-mod-*",
  },
  {
    name: "uhttpd",
    names: ["uhttpd"],
    patterns: [/^uhttpd-mod-[a-z0-9_]+$/],
    cpes: [{ part: "a", vendor: "openwrt", product: "uhttpd" }],
    source:
      "CPE openwrt:uhttpd as nmap's service database names it; NVD files most uhttpd flaws under openwrt:openwrt, which names the whole distribution and is not mapped here",
  },
  {
    name: "miniupnpd",
    names: ["miniupnpd", "miniupnpd-iptables", "miniupnpd-nftables"],
    cpes: [{ part: "a", vendor: "miniupnp_project", product: "miniupnpd" }],
    distro: { debian: "miniupnpd", alpine: "miniupnpd" },
    source: "NVD CPE miniupnp_project:miniupnpd; OpenWrt miniupnpd/miniupnpd-iptables/miniupnpd-nftables",
  },
  {
    name: "hostapd",
    names: ["hostapd", "hostapd-common", "hostapd-utils", "hostapd-basic", "hostapd-mini", "hostapd-openssl"],
    cpes: [{ part: "a", vendor: "w1.fi", product: "hostapd" }],
    distro: { debian: "wpa", alpine: "hostapd" },
    source:
      "NVD CPE w1.fi:hostapd; OpenWrt hostapd* packages, Debian hostapd (built from source package wpa)",
  },
  {
    name: "wpa_supplicant",
    names: [
      "wpa_supplicant",
      "wpa-supplicant",
      "wpasupplicant",
      "wpa-supplicant-basic",
      "wpa-supplicant-mini",
    ],
    cpes: [{ part: "a", vendor: "w1.fi", product: "wpa_supplicant" }],
    distro: { debian: "wpa", alpine: "wpa_supplicant", rpm: "wpa_supplicant" },
    source:
      "NVD CPE w1.fi:wpa_supplicant; OpenWrt wpa-supplicant*, Debian wpasupplicant (source package wpa)",
  },
  {
    name: "wpad",
    names: [
      "wpad",
      "wpad-basic",
      "wpad-mini",
      "wpad-openssl",
      "wpad-wolfssl",
      "wpad-mbedtls",
      "wpad-basic-wolfssl",
    ],
    cpes: [
      { part: "a", vendor: "w1.fi", product: "hostapd" },
      { part: "a", vendor: "w1.fi", product: "wpa_supplicant" },
    ],
    source: "OpenWrt wpad* packages build hostapd and wpa_supplicant into one binary: both NVD CPEs apply",
  },
  {
    name: "curl",
    names: ["curl", "libcurl", "libcurl3", "libcurl4", "libcurl3-gnutls", "libcurl3-nss", "libcurl-gnutls"],
    patterns: [/^libcurl\d+(t64)?(-[a-z]+)?$/],
    cpes: [
      { part: "a", vendor: "haxx", product: "curl" },
      { part: "a", vendor: "haxx", product: "libcurl" },
    ],
    distro: { debian: "curl", alpine: "curl", rpm: "curl" },
    source:
      "NVD CPE haxx:curl and haxx:libcurl (NVD uses both); OpenWrt curl/libcurl/libcurl4, Debian libcurl4",
  },
  {
    name: "zlib",
    names: ["zlib", "zlib1g", "libz", "libz1"],
    cpes: [
      { part: "a", vendor: "zlib", product: "zlib" },
      { part: "a", vendor: "gnu", product: "zlib" },
    ],
    distro: { debian: "zlib", alpine: "zlib", rpm: "zlib" },
    source: "NVD CPE zlib:zlib (and gnu:zlib in older records); OpenWrt zlib, Debian zlib1g, Alpine zlib",
  },
  {
    name: "sqlite",
    names: ["sqlite", "sqlite3", "libsqlite3", "libsqlite3-0", "sqlite3-cli", "sqlite-libs"],
    cpes: [{ part: "a", vendor: "sqlite", product: "sqlite" }],
    distro: { debian: "sqlite3", alpine: "sqlite", rpm: "sqlite" },
    source: "NVD CPE sqlite:sqlite; OpenWrt libsqlite3/sqlite3-cli, Debian libsqlite3-0 (source sqlite3)",
  },
  {
    name: "samba",
    names: ["samba", "smbd", "libsmbclient"],
    patterns: [/^samba\d*-(server|client|libs|utils|admin)$/],
    cpes: [{ part: "a", vendor: "samba", product: "samba" }],
    distro: { debian: "samba", alpine: "samba", rpm: "samba" },
    source: "NVD CPE samba:samba; OpenWrt samba36-server/samba4-server/samba4-libs, Debian samba",
  },
  {
    name: "linux-kernel",
    names: ["linux-kernel", "linux", "kernel", "linux_kernel", "vmlinux"],
    patterns: [/^linux-image-[a-z0-9.+-]+$/, /^kmod-[a-z0-9_-]+$/],
    cpes: [{ part: "o", vendor: "linux", product: "linux_kernel" }],
    distro: { debian: "linux", alpine: "linux-lts", rpm: "kernel" },
    quirk: "kernel",
    source:
      "NVD CPE linux:linux_kernel (part o); OpenWrt kernel and kmod-* packages, Debian linux-image-*; OSV ecosystem Linux, name Kernel",
  },
  {
    name: "uclibc-ng",
    names: ["uclibc-ng", "libuclibc-ng"],
    cpes: [{ part: "a", vendor: "uclibc-ng_project", product: "uclibc-ng" }],
    source: "NVD CPE uclibc-ng_project:uclibc-ng",
  },
  {
    name: "uclibc",
    names: ["uclibc", "libuclibc"],
    cpes: [{ part: "a", vendor: "uclibc", product: "uclibc" }],
    source: "NVD CPE uclibc:uclibc (the original uClibc, not uClibc-ng)",
  },
  {
    name: "musl",
    names: ["musl", "musl-libc", "libc-musl"],
    cpes: [{ part: "a", vendor: "musl-libc", product: "musl" }],
    distro: { debian: "musl", alpine: "musl" },
    source: "NVD CPE musl-libc:musl; Alpine musl, Debian musl",
  },
  {
    name: "glibc",
    names: ["glibc", "libc6", "eglibc", "glibc-common"],
    cpes: [{ part: "a", vendor: "gnu", product: "glibc" }],
    distro: { debian: "glibc", rpm: "glibc" },
    source: "NVD CPE gnu:glibc; Debian libc6 (source glibc), Red Hat glibc",
  },
  {
    name: "mbedtls",
    names: ["mbedtls", "mbed-tls", "libmbedtls", "libmbedcrypto", "libmbedx509", "polarssl"],
    patterns: [/^libmbed(tls|crypto|x509)\d+$/],
    cpes: [{ part: "a", vendor: "arm", product: "mbed_tls" }],
    distro: { debian: "mbedtls", alpine: "mbedtls" },
    source: "NVD CPE arm:mbed_tls; OpenWrt libmbedtls, Debian libmbedtls12/libmbedcrypto3",
  },
  {
    name: "wolfssl",
    names: ["wolfssl", "libwolfssl"],
    patterns: [/^libwolfssl\d[\d.]*([.-][0-9a-f]+)?$/],
    cpes: [{ part: "a", vendor: "wolfssl", product: "wolfssl" }],
    distro: { debian: "wolfssl", alpine: "wolfssl" },
    source: "NVD CPE wolfssl:wolfssl; OpenWrt libwolfssl* (the package name carries the ABI version)",
  },
];

const BY_NAME = new Map<string, Alias>();
for (const a of ALIASES) for (const n of a.names) BY_NAME.set(n, a);

/** The alias row for a fingerprint or package name, if any. */
export function findAlias(name: string): Alias | undefined {
  const n = name.trim().toLowerCase();
  return BY_NAME.get(n) ?? ALIASES.find((a) => a.patterns?.some((p) => p.test(n)));
}
