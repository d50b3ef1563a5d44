// SPDX 2.2 and 2.3: a package's fields from its JSON object, and the tag-value reader (one
// "Tag: value" per line, <text>...</text> values across lines), both streaming.

import type { Pos } from "./json-stream.js";
import { positionOf } from "./json-stream.js";
import {
  finishComponent,
  normalizeAlg,
  show,
  spdxActor,
  type Place,
  type Problems,
  type RawComponent,
} from "./common.js";
import type { ComponentSink, SbomComponent, SbomHash } from "./types.js";

export const SPDX_VERSIONS: readonly string[] = ["SPDX-2.2", "SPDX-2.3"];

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const meaningful = (v: unknown): v is string =>
  typeof v === "string" && v.trim() !== "" && v !== "NOASSERTION" && v !== "NONE";

/** SPDX external reference categories are written with '-' in 2.3 and '_' in 2.2. */
const category = (c: unknown) => (typeof c === "string" ? c.toUpperCase().replace(/_/g, "-") : "");

/** primaryPackagePurpose "OPERATING-SYSTEM" -> "operating-system" (CycloneDX spelling). */
const purpose = (p: unknown) =>
  typeof p === "string" && p.trim() ? p.trim().toLowerCase().replace(/_/g, "-") : undefined;

/** An SPDX package (JSON shape) to a component; undefined (and a problem) when it has no name. */
export function spdxPackage(
  o: unknown,
  path: string,
  start: Pos,
  problems: Problems,
): SbomComponent | undefined {
  const here: Place = { path, line: start.line, col: start.col };
  if (!isObj(o)) {
    problems.add(here, `a package must be an object, found ${show(o)}; skipped`);
    return undefined;
  }
  const label = typeof o.name === "string" ? `package ${o.name}` : "package";
  const raw: RawComponent = {
    name: o.name,
    version: o.versionInfo,
    bomRef: o.SPDXID,
    type: purpose(o.primaryPackagePurpose),
  };
  const supplier = spdxActor(typeof o.supplier === "string" ? o.supplier : undefined);
  if (supplier) raw.supplier = supplier;
  let purlAt: Place | undefined;
  let cpeAt: Place | undefined;
  let cpe22: { v: unknown; at: Place } | undefined;
  if (Array.isArray(o.externalRefs)) {
    const refs: unknown[] = o.externalRefs;
    refs.forEach((r, k) => {
      if (!isObj(r)) return;
      const p = positionOf(refs, k) ?? start;
      const at = { path: `${path}.externalRefs[${k}].referenceLocator`, line: p.line, col: p.col };
      const cat = category(r.referenceCategory);
      if (cat === "PACKAGE-MANAGER" && r.referenceType === "purl" && raw.purl === undefined) {
        raw.purl = r.referenceLocator;
        purlAt = at;
      } else if (cat === "SECURITY" && r.referenceType === "cpe23Type" && raw.cpe === undefined) {
        raw.cpe = r.referenceLocator;
        cpeAt = at;
      } else if (cat === "SECURITY" && r.referenceType === "cpe22Type" && !cpe22) {
        cpe22 = { v: r.referenceLocator, at };
      }
    });
  } else if (o.externalRefs !== undefined) {
    const p = positionOf(o, "externalRefs") ?? start;
    problems.add(
      { path: `${path}.externalRefs`, line: p.line, col: p.col },
      `${label}: externalRefs must be an array; ignored`,
      "externalRefs",
    );
  }
  if (raw.cpe === undefined && cpe22) {
    raw.cpe = cpe22.v;
    cpeAt = cpe22.at;
  }
  if (o.checksums !== undefined) {
    const hashes: SbomHash[] = [];
    if (Array.isArray(o.checksums)) {
      const list: unknown[] = o.checksums;
      list.forEach((h, k) => {
        if (isObj(h) && typeof h.algorithm === "string" && typeof h.checksumValue === "string")
          hashes.push({ alg: normalizeAlg(h.algorithm), value: h.checksumValue });
        else {
          const p = positionOf(list, k) ?? start;
          problems.add(
            { path: `${path}.checksums[${k}]`, line: p.line, col: p.col },
            `${label}: a checksum needs algorithm and checksumValue; ignored`,
            "checksums",
          );
        }
      });
    }
    raw.hashes = hashes;
  }
  const lic = meaningful(o.licenseDeclared) ? o.licenseDeclared : o.licenseConcluded;
  if (meaningful(lic)) raw.licenses = [lic];
  const at = (field?: string): Place => {
    if (field === undefined) return here;
    if (field === "externalRefs purl" && purlAt) return purlAt;
    if (field === "externalRefs cpe" && cpeAt) return cpeAt;
    const p = positionOf(o, field) ?? start;
    return { path: `${path}.${field}`, line: p.line, col: p.col };
  };
  return finishComponent(raw, at, problems, "package", {
    version: "versionInfo",
    purl: "externalRefs purl",
    cpe: "externalRefs cpe",
  });
}

// ---------------------------------------------------------------------------------------------
// tag-value

interface TvPackage {
  line: number;
  name: string;
  fields: Map<string, { value: string; line: number }>;
  purl?: { value: string; line: number };
  cpe?: { value: string; line: number };
  cpe22?: { value: string; line: number };
  hashes: SbomHash[];
}

/** Tags that start a section other than the current package's. */
const SECTION_TAGS = new Set(["FileName", "SnippetSPDXID", "LicenseID"]);

export class TagValueReader {
  specVersion: string | undefined;
  name: string | undefined;
  namespace: string | undefined;
  created: string | undefined;
  /** SPDXIDs the document DESCRIBES. */
  readonly describes: string[] = [];
  private rest = "";
  private line = 0;
  private pkg: TvPackage | undefined;
  private text: { tag: string; line: number; parts: string[] } | undefined;
  private sawTag = false;

  constructor(
    private readonly onComponent: ComponentSink,
    private readonly problems: Problems,
  ) {}

  write(chunk: string): void {
    const s = this.rest + chunk;
    let from = 0;
    for (;;) {
      const nl = s.indexOf("\n", from);
      if (nl < 0) break;
      this.handle(s.slice(from, nl));
      from = nl + 1;
    }
    this.rest = s.slice(from);
  }

  end(): void {
    if (this.rest !== "") this.handle(this.rest);
    this.rest = "";
    if (this.text) {
      this.problems.add(
        { path: `line ${this.text.line}`, line: this.text.line, col: 1 },
        `${this.text.tag}: <text> is not closed by </text> before the end of the file`,
        this.text.tag,
        true,
      );
      this.text = undefined;
    }
    this.flush();
  }

  private place(line: number): Place {
    return { path: `line ${line}`, line, col: 1 };
  }

  private handle(rawLine: string): void {
    this.line++;
    const l = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
    if (this.text) {
      const close = l.indexOf("</text>");
      if (close < 0) {
        this.text.parts.push(l);
        return;
      }
      this.text.parts.push(l.slice(0, close));
      const t = this.text;
      this.text = undefined;
      this.field(t.tag, t.parts.join("\n"), t.line);
      return;
    }
    if (l.trim() === "" || l.trimStart().startsWith("#")) return;
    const m = /^\s*([A-Za-z][A-Za-z0-9_-]*)\s*:\s?(.*)$/.exec(l);
    if (!m) {
      this.problems.add(this.place(this.line), `expected "Tag: value", found ${show(l)}; line ignored`);
      return;
    }
    const tag = m[1]!;
    let value = m[2]!.trim();
    if (value.startsWith("<text>")) {
      const close = value.indexOf("</text>");
      if (close >= 0) value = value.slice(6, close);
      else {
        this.text = { tag, line: this.line, parts: [value.slice(6)] };
        return;
      }
    }
    this.field(tag, value, this.line);
  }

  private field(tag: string, value: string, line: number): void {
    if (!this.sawTag) {
      this.sawTag = true;
      if (tag !== "SPDXVersion")
        this.problems.add(this.place(line), `the document does not start with SPDXVersion`, "SPDXVersion");
    }
    if (tag === "PackageName") {
      this.flush();
      this.pkg = { line, name: value, fields: new Map(), hashes: [] };
      return;
    }
    if (SECTION_TAGS.has(tag)) {
      this.flush();
      return;
    }
    if (tag === "Relationship") {
      const [a, rel, b] = value.split(/\s+/);
      if (!a || !rel || !b) {
        this.problems.add(
          this.place(line),
          `Relationship ${show(value)} needs three parts; ignored`,
          "Relationship",
        );
        return;
      }
      if (rel === "DESCRIBES" && a === "SPDXRef-DOCUMENT") this.describes.push(b);
      if (rel === "DESCRIBED_BY" && b === "SPDXRef-DOCUMENT") this.describes.push(a);
      return;
    }
    const p = this.pkg;
    if (!p) {
      switch (tag) {
        case "SPDXVersion":
          this.specVersion = value;
          break;
        case "DocumentName":
          this.name = value;
          break;
        case "DocumentNamespace":
          this.namespace = value;
          break;
        case "Created":
          this.created = value;
          break;
        default:
          break;
      }
      return;
    }
    switch (tag) {
      case "ExternalRef": {
        const parts = value.split(/\s+/);
        if (parts.length < 3) {
          this.problems.add(
            this.place(line),
            `package ${p.name}: ExternalRef ${show(value)} needs a category, a type and a locator; ignored`,
            "ExternalRef",
          );
          return;
        }
        const cat = category(parts[0]);
        const ref = { value: parts.slice(2).join(" "), line };
        if (cat === "PACKAGE-MANAGER" && parts[1] === "purl") p.purl ??= ref;
        else if (cat === "SECURITY" && parts[1] === "cpe23Type") p.cpe ??= ref;
        else if (cat === "SECURITY" && parts[1] === "cpe22Type") p.cpe22 ??= ref;
        return;
      }
      case "PackageChecksum": {
        const m = /^([A-Za-z0-9-]+):\s*(\S+)$/.exec(value);
        if (m) p.hashes.push({ alg: normalizeAlg(m[1]!), value: m[2]! });
        else
          this.problems.add(
            this.place(line),
            `package ${p.name}: PackageChecksum ${show(value)} is not "ALG: value"; ignored`,
            "PackageChecksum",
          );
        return;
      }
      default:
        if (!p.fields.has(tag)) p.fields.set(tag, { value, line });
    }
  }

  private flush(): void {
    const p = this.pkg;
    if (!p) return;
    this.pkg = undefined;
    const get = (t: string) => p.fields.get(t)?.value;
    const raw: RawComponent = {
      name: p.name,
      bomRef: get("SPDXID"),
      type: purpose(get("PrimaryPackagePurpose")),
    };
    const version = p.fields.get("PackageVersion");
    if (version) raw.version = version.value;
    const supplier = spdxActor(get("PackageSupplier"));
    if (supplier) raw.supplier = supplier;
    const cpe = p.cpe ?? p.cpe22;
    if (p.purl) raw.purl = p.purl.value;
    if (cpe) raw.cpe = cpe.value;
    if (p.hashes.length) raw.hashes = p.hashes;
    const declared = get("PackageLicenseDeclared");
    const lic = meaningful(declared) ? declared : get("PackageLicenseConcluded");
    if (meaningful(lic)) raw.licenses = [lic];
    const lineOf: Record<string, number | undefined> = {
      PackageVersion: version?.line,
      "ExternalRef purl": p.purl?.line,
      "ExternalRef cpe23Type": cpe?.line,
    };
    const c = finishComponent(
      raw,
      (field) => this.place(field ? (lineOf[field] ?? p.line) : p.line),
      this.problems,
      "package",
      {
        name: "PackageName",
        version: "PackageVersion",
        purl: "ExternalRef purl",
        cpe: "ExternalRef cpe23Type",
      },
    );
    if (c) this.onComponent(c);
  }
}
