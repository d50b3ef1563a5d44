// What every SBOM format shares: the problem list, and the last step from a format's fields to a
// component, where names, purls and CPEs are checked the same way for all.

import { tryParseCpe } from "../vuln/cpe.js";
import { parsePurl } from "../vuln/identity.js";
import type { SbomComponent, SbomHash, SbomProblem } from "./types.js";

export interface Place {
  path: string;
  line: number;
  col: number;
}

export class Problems {
  readonly list: SbomProblem[] = [];
  private dropped = 0;

  constructor(
    readonly file: string,
    private readonly max = 1000,
  ) {}

  add(at: Place, message: string, field?: string, fatal = false): void {
    if (this.list.length >= this.max && !fatal) {
      this.dropped++;
      return;
    }
    const p: SbomProblem = {
      file: this.file,
      line: at.line,
      col: at.col,
      path: at.path,
      message: at.path ? `${at.path}: ${message}` : message,
      fatal,
    };
    if (field !== undefined) p.field = field;
    this.list.push(p);
  }

  /** The list, with a closing note when problems were dropped past the maximum. */
  done(): SbomProblem[] {
    if (this.dropped > 0) {
      this.list.push({
        file: this.file,
        path: "",
        message: `${this.dropped} further problems not listed`,
        fatal: false,
      });
      this.dropped = 0;
    }
    return this.list;
  }
}

/** The fields a format found, before they are checked. */
export interface RawComponent {
  name?: unknown;
  version?: unknown;
  group?: unknown;
  purl?: unknown;
  cpe?: unknown;
  supplier?: string;
  hashes?: SbomHash[];
  licenses?: string[];
  bomRef?: unknown;
  type?: unknown;
}

const str = (v: unknown): string | undefined =>
  typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;

/** How a value reads in a message. */
export function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

/**
 * Checks a format's fields and makes the component. A component without a name is reported and
 * dropped; a malformed purl or CPE is reported and left out, the component kept.
 * `at(field)` locates a field (or the record itself for undefined).
 */
export function finishComponent(
  raw: RawComponent,
  at: (field?: string) => Place,
  problems: Problems,
  what = "component",
  names: { name?: string; version?: string; purl?: string; cpe?: string } = {},
): SbomComponent | undefined {
  const f = { name: "name", version: "version", purl: "purl", cpe: "cpe", ...names };
  const here = at();
  const name = str(raw.name);
  if (name === undefined) {
    if (raw.name === undefined || raw.name === null)
      problems.add(here, `${what} has no ${f.name}; skipped`, f.name);
    else if (typeof raw.name === "string")
      problems.add(at(f.name), `${what} has an empty ${f.name}; skipped`, f.name);
    else problems.add(at(f.name), `${what} ${f.name} ${show(raw.name)} is not a string; skipped`, f.name);
    return undefined;
  }
  let version = "";
  if (typeof raw.version === "string") version = raw.version.trim();
  else if (typeof raw.version === "number") {
    version = String(raw.version);
    problems.add(
      at(f.version),
      `${what} ${name}: ${f.version} is a number, not a string; read as "${version}"`,
      f.version,
    );
  } else if (raw.version !== undefined && raw.version !== null)
    problems.add(
      at(f.version),
      `${what} ${name}: ${f.version} ${show(raw.version)} is not a string; ignored`,
      f.version,
    );

  const c: SbomComponent = { name, version, location: here.path, line: here.line, col: here.col };
  const group = str(raw.group);
  if (group) c.group = group;
  if (raw.purl !== undefined) {
    const p = str(raw.purl);
    if (p && parsePurl(p)) c.purl = p;
    else
      problems.add(
        at(f.purl),
        `${what} ${name}: ${f.purl} ${show(raw.purl)} is not a valid package URL; left out`,
        f.purl,
      );
  }
  if (raw.cpe !== undefined) {
    const p = str(raw.cpe);
    if (p && tryParseCpe(p)) c.cpe = p;
    else
      problems.add(
        at(f.cpe),
        `${what} ${name}: ${f.cpe} ${show(raw.cpe)} is not a valid CPE name; left out`,
        f.cpe,
      );
  }
  if (raw.supplier) c.supplier = raw.supplier;
  if (raw.hashes?.length) c.hashes = raw.hashes;
  if (raw.licenses?.length) c.licenses = raw.licenses;
  const ref = str(raw.bomRef);
  if (ref) c.bomRef = ref;
  const type = str(raw.type);
  if (type) c.type = type;
  return c;
}

/** SPDX and CycloneDX spell hash algorithms differently; CycloneDX's spelling is kept. */
export function normalizeAlg(alg: string): string {
  const a = alg.trim().toUpperCase();
  const sha = /^SHA-?(1|224|256|384|512)$/.exec(a);
  if (sha) return `SHA-${sha[1]}`;
  const sha3 = /^SHA3-?(224|256|384|512)$/.exec(a);
  if (sha3) return `SHA3-${sha3[1]}`;
  const blake2 = /^BLAKE2B-?(256|384|512)$/.exec(a);
  if (blake2) return `BLAKE2b-${blake2[1]}`;
  if (/^BLAKE3$/.test(a)) return "BLAKE3";
  if (/^MD(2|4|5|6)$/.test(a)) return a;
  return alg.trim();
}

/** "Organization: Acme Inc (security@acme.example)" -> "Acme Inc"; NOASSERTION -> undefined. */
export function spdxActor(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const s = v.trim();
  if (s === "" || s === "NOASSERTION" || s === "NONE") return undefined;
  const m = /^(?:Organization|Person|Tool):\s*(.*?)\s*(?:\([^()]*\))?\s*$/.exec(s);
  return m ? m[1] || undefined : s;
}
