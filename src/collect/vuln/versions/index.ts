// The version schemes and the pickers that choose one for a purl type, an OSV ecosystem or a
// component.

import { alpine } from "./alpine.js";
import { debian, opkg } from "./debian.js";
import { generic } from "./generic.js";
import { maven } from "./maven.js";
import { pep440 } from "./pep440.js";
import { rpm } from "./rpm.js";
import { semver } from "./semver.js";
import type { Ecosystem, Order, VersionScheme } from "./types.js";

export type { Ecosystem, Order, VersionScheme } from "./types.js";

export const SCHEMES: Record<Ecosystem, VersionScheme> = {
  semver,
  pep440,
  maven,
  debian,
  opkg,
  rpm,
  alpine,
  generic,
};

export function schemeFor(ecosystem: Ecosystem): VersionScheme {
  return SCHEMES[ecosystem];
}

export function compareVersions(ecosystem: Ecosystem, a: string, b: string): Order | undefined {
  return SCHEMES[ecosystem].compare(a, b);
}

const PURL_TYPES: Record<string, Ecosystem> = {
  npm: "semver",
  cargo: "semver",
  golang: "semver",
  pypi: "pep440",
  maven: "maven",
  deb: "debian",
  rpm: "rpm",
  apk: "alpine",
  opkg: "opkg",
  opk: "opkg",
  generic: "generic",
};

/** The ordering of a purl type (`pkg:<type>/...`); undefined for types Concord has no ordering for. */
export function ecosystemForPurlType(type: string): Ecosystem | undefined {
  return PURL_TYPES[type.toLowerCase()];
}

/** The package-manager method a component was identified by (ComponentData.method). */
const METHODS: Record<string, Ecosystem> = {
  opkg: "opkg",
  ipkg: "opkg",
  dpkg: "debian",
  deb: "debian",
  rpm: "rpm",
  apk: "alpine",
};

export function ecosystemForMethod(method: string): Ecosystem | undefined {
  return METHODS[method.toLowerCase()];
}

/**
 * OSV `affected[].package.ecosystem` values (the part before any ":release" suffix) to orderings.
 * Ecosystems not listed here cannot be compared (their `versions` lists still match exactly).
 */
const OSV_ECOSYSTEMS: Record<string, Ecosystem> = {
  npm: "semver",
  Go: "semver",
  "crates.io": "semver",
  SwiftURL: "semver",
  PyPI: "pep440",
  Maven: "maven",
  Debian: "debian",
  Ubuntu: "debian",
  Alpine: "alpine",
  Wolfi: "alpine",
  Chainguard: "alpine",
  "Red Hat": "rpm",
  AlmaLinux: "rpm",
  "Rocky Linux": "rpm",
  openSUSE: "rpm",
  SUSE: "rpm",
  Mageia: "rpm",
  openEuler: "rpm",
  "Photon OS": "rpm",
  Linux: "generic",
};

export function ecosystemForOsv(ecosystem: string): Ecosystem | undefined {
  const base = osvEcosystemBase(ecosystem);
  return OSV_ECOSYSTEMS[base];
}

/** "Debian:11" -> "Debian", "Ubuntu:Pro:18.04:LTS" -> "Ubuntu", "Red Hat:rhel_aus:8.4::appstream" -> "Red Hat". */
export function osvEcosystemBase(ecosystem: string): string {
  const i = ecosystem.indexOf(":");
  return i < 0 ? ecosystem : ecosystem.slice(0, i);
}
