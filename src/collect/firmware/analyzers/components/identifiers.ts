// Package URLs and CPE 2.3 names for identified components. The CPE vendor/product pairs are the
// ones the NVD uses for these products, so a vulnerability feed can be matched against them; a
// component with no known pair gets no CPE rather than a guessed one.

/** Canonical component name to NVD vendor, product and CPE part ("a" application, "o" OS). */
const CPE_PRODUCTS: Record<string, { vendor: string; product: string; part?: "a" | "o" }> = {
  busybox: { vendor: "busybox", product: "busybox" },
  openssl: { vendor: "openssl", product: "openssl" },
  wolfssl: { vendor: "wolfssl", product: "wolfssl" },
  mbedtls: { vendor: "arm", product: "mbed_tls" },
  dropbear: { vendor: "dropbear_ssh_project", product: "dropbear_ssh" },
  openssh: { vendor: "openbsd", product: "openssh" },
  dnsmasq: { vendor: "thekelleys", product: "dnsmasq" },
  lighttpd: { vendor: "lighttpd", product: "lighttpd" },
  miniupnpd: { vendor: "miniupnp_project", product: "miniupnpd" },
  hostapd: { vendor: "w1.fi", product: "hostapd" },
  wpa_supplicant: { vendor: "w1.fi", product: "wpa_supplicant" },
  curl: { vendor: "haxx", product: "curl" },
  libcurl: { vendor: "haxx", product: "libcurl" },
  zlib: { vendor: "zlib", product: "zlib" },
  sqlite: { vendor: "sqlite", product: "sqlite" },
  samba: { vendor: "samba", product: "samba" },
  linux: { vendor: "linux", product: "linux_kernel", part: "o" },
  "uclibc-ng": { vendor: "uclibc-ng_project", product: "uclibc-ng" },
  uclibc: { vendor: "uclibc", product: "uclibc" },
  musl: { vendor: "musl-libc", product: "musl" },
  glibc: { vendor: "gnu", product: "glibc" },
};

/**
 * Package names (OpenWrt and Debian) to the canonical component they ship. Tried on the binary
 * package name first, then on the Debian source package name.
 */
const PACKAGE_PRODUCTS: [RegExp, string][] = [
  [/^busybox(-.*)?$/, "busybox"],
  [/^(libopenssl.*|openssl(-util)?|libssl.*|libcrypto.*|openssl)$/, "openssl"],
  [/^(libwolfssl.*|wolfssl)$/, "wolfssl"],
  [/^(libmbedtls.*|mbedtls(-util)?)$/, "mbedtls"],
  [/^dropbear(-.*)?$/, "dropbear"],
  [/^openssh(-.*)?$/, "openssh"],
  [/^dnsmasq(-.*)?$/, "dnsmasq"],
  [/^lighttpd(-.*)?$/, "lighttpd"],
  [/^miniupnpd(-.*)?$/, "miniupnpd"],
  [/^(hostapd.*|wpad.*|wpa)$/, "hostapd"],
  [/^(wpa-supplicant.*|wpasupplicant)$/, "wpa_supplicant"],
  [/^curl$/, "curl"],
  [/^libcurl.*$/, "libcurl"],
  [/^(zlib|zlib1g.*)$/, "zlib"],
  [/^(libsqlite3.*|sqlite3(-cli)?)$/, "sqlite"],
  [/^samba[34]?(-.*)?$/, "samba"],
  [/^(kernel|linux|linux-signed-.*|linux-image-.*)$/, "linux"],
  [/^(glibc|libc6)$/, "glibc"],
  [/^musl$/, "musl"],
  [/^uclibc-ng$/, "uclibc-ng"],
];

export function productOfPackage(pkg: string, source?: string): string | undefined {
  for (const name of [pkg, source])
    if (name !== undefined) for (const [re, product] of PACKAGE_PRODUCTS) if (re.test(name)) return product;
  return undefined;
}

/**
 * The upstream part of a package version: without the Debian epoch ("1:"), the packaging revision
 * ("-4+deb12u1"), repacking marks ("+dfsg", ".dfsg", "~rc1" stays out too) and OpenWrt's revision.
 */
export function upstreamVersion(version: string): string {
  let v = version.replace(/^\d+:/, "");
  const dash = v.lastIndexOf("-");
  if (dash > 0) v = v.slice(0, dash);
  v = v.split(/[+~]/)[0]!;
  return v.replace(/[.+](dfsg|ds|repack)\d*$/i, "");
}

/** CPE 2.3 formatted-string escaping: anything but letters, digits, ".", "_" and "-" is quoted. */
function cpeValue(v: string): string {
  return v.toLowerCase().replace(/[^a-z0-9._-]/g, (c) => `\\${c}`);
}

/**
 * cpe:2.3:<part>:<vendor>:<product>:<version>:<update>:*:*:*:*:*:* for a known product, when the
 * version starts with a digit (a version the NVD could list). OpenSSH's portable suffix "p1" is
 * the update field, as the NVD records it.
 */
export function cpeFor(product: string, version: string): string | undefined {
  const known = CPE_PRODUCTS[product];
  if (!known || !/^\d/.test(version)) return undefined;
  let ver = version;
  let update = "*";
  const portable = product === "openssh" ? /^(\d+\.\d+(?:\.\d+)?)(p\d+)$/.exec(version) : null;
  if (portable) [, ver, update] = portable as unknown as [string, string, string];
  return `cpe:2.3:${known.part ?? "a"}:${known.vendor}:${known.product}:${cpeValue(ver)}:${update === "*" ? "*" : cpeValue(update)}:*:*:*:*:*:*`;
}

/** Percent-encoding of a purl segment; ":" stays as the purl reference implementations leave it. */
function purlPart(s: string): string {
  return encodeURIComponent(s).replace(/%3A/g, ":");
}

function qualifiers(q: Record<string, string | undefined>): string {
  const parts = Object.entries(q)
    .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== "")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${purlPart(v)}`);
  return parts.length ? `?${parts.join("&")}` : "";
}

export function purlOf(
  type: "opk" | "deb" | "generic",
  namespace: string | undefined,
  name: string,
  version: string,
  q: Record<string, string | undefined> = {},
): string {
  const ns = namespace ? `${purlPart(namespace)}/` : "";
  return `pkg:${type}/${ns}${purlPart(name)}@${purlPart(version)}${qualifiers(q)}`;
}
