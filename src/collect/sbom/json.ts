// CycloneDX JSON and SPDX JSON through one streaming sink: the top-level keys tell the formats
// apart (components/metadata/bomFormat for CycloneDX, packages/spdxVersion for SPDX), so the
// format is known from content wherever those keys sit in the file. Each element of components[]
// (at any depth) and packages[] is built alone and handed on when it closes.

import {
  CARVE,
  COLLECT,
  DESCEND,
  SKIP,
  formatPath,
  positionOf,
  type JsonSink,
  type Mode,
  type PathSeg,
  type Pos,
  type ValueKind,
} from "./json-stream.js";
import { CDX_COMPONENT_KEYS, CDX_VERSIONS, cdxComponent } from "./cyclonedx.js";
import { SPDX_VERSIONS, spdxPackage } from "./spdx.js";
import { show, type Place, type Problems } from "./common.js";
import type { ComponentSink, SbomComponent, SbomDocument } from "./types.js";

const DOC_KEYS = new Set([
  "bomFormat",
  "specVersion",
  "serialNumber",
  "version",
  "spdxVersion",
  "SPDXID",
  "name",
  "documentNamespace",
  "creationInfo",
  "documentDescribes",
]);

export interface JsonSbomHooks {
  onComponent: ComponentSink;
  /** CycloneDX vulnerabilities[] elements, for the VEX reader. */
  onVulnerability?: (v: unknown, at: Place) => void;
  /** Keep every other top-level member (OpenVEX and CSAF documents are read whole). */
  keepTopLevel?: boolean;
}

export class JsonSbomSink implements JsonSink {
  /** Top-level scalars and small objects, by key. */
  readonly top: Record<string, unknown> = {};
  readonly topPos: Record<string, Pos> = {};
  private sawComponents = false;
  private sawPackages = false;
  private sawMetadata = false;
  private rootNotObject = false;
  subject: SbomComponent | undefined;
  subjectRef: string | undefined;
  created: string | undefined;
  /** SPDX: ids the document DESCRIBES, and those packages when seen after their id was known. */
  readonly describes: string[] = [];
  readonly described = new Map<string, SbomComponent>();

  constructor(
    private readonly hooks: JsonSbomHooks,
    private readonly problems: Problems,
    private readonly currentPos: () => Pos,
  ) {}

  private notArray(path: readonly PathSeg[], kind: ValueKind, what: string): Mode {
    const p = this.currentPos();
    this.problems.add(
      { path: formatPath(path), line: p.line, col: p.col },
      `${what} must be an array, found ${kind === "array" || kind === "object" ? `an ${kind}` : `a ${kind}`}; ignored`,
      String(path[path.length - 1]),
    );
    return SKIP;
  }

  enter(path: readonly PathSeg[], kind: ValueKind): Mode {
    const d = path.length;
    if (d === 0) {
      if (kind !== "object") {
        this.rootNotObject = true;
        const p = this.currentPos();
        this.problems.add(
          { path: "$", line: p.line, col: p.col },
          `an SBOM must be a JSON object, found ${kind === "array" ? "an" : "a"} ${kind}`,
          undefined,
          true,
        );
        return SKIP;
      }
      return DESCEND;
    }
    const k0 = path[0];
    if (d === 1) {
      switch (k0) {
        case "components":
          this.sawComponents = true;
          return kind === "array" ? DESCEND : this.notArray(path, kind, "components");
        case "packages":
          this.sawPackages = true;
          return kind === "array" ? DESCEND : this.notArray(path, kind, "packages");
        case "relationships":
          return kind === "array" ? DESCEND : SKIP;
        case "metadata":
          this.sawMetadata = true;
          return kind === "object" ? CARVE : SKIP;
        case "vulnerabilities":
          if (this.hooks.onVulnerability)
            return kind === "array" ? DESCEND : this.notArray(path, kind, "vulnerabilities");
          return this.hooks.keepTopLevel ? COLLECT : SKIP;
        default:
          return DOC_KEYS.has(k0 as string) || this.hooks.keepTopLevel ? COLLECT : SKIP;
      }
    }
    if (k0 === "components" || k0 === "metadata") {
      const last = path[d - 1]!;
      if (typeof last === "number") return path[d - 2] === "components" ? CARVE : SKIP;
      if (d === 2)
        return last === "component"
          ? kind === "object"
            ? CARVE
            : COLLECT
          : last === "timestamp"
            ? COLLECT
            : SKIP;
      if (last === "components") return kind === "array" ? DESCEND : this.notArray(path, kind, "components");
      return CDX_COMPONENT_KEYS.has(last) ? COLLECT : SKIP;
    }
    // packages[i], relationships[i], vulnerabilities[i]
    return d === 2 ? COLLECT : SKIP;
  }

  value(path: readonly PathSeg[], v: unknown, at: Pos): void {
    const d = path.length;
    const k0 = path[0];
    if (d === 0) return;
    if (d === 1) {
      if (k0 === "metadata") return this.metadata(v);
      this.top[k0 as string] = v;
      this.topPos[k0 as string] = at;
      if (k0 === "documentDescribes" && Array.isArray(v))
        for (const x of v) if (typeof x === "string") this.describes.push(x);
      return;
    }
    if (k0 === "components" || k0 === "metadata") {
      if (path[d - 2] !== "components") return;
      const c = cdxComponent(v, formatPath(path), at, this.problems);
      if (c) this.hooks.onComponent(c);
      return;
    }
    if (k0 === "packages") {
      const c = spdxPackage(v, formatPath(path), at, this.problems);
      if (!c) return;
      if (c.bomRef && this.describes.includes(c.bomRef)) this.described.set(c.bomRef, c);
      this.hooks.onComponent(c);
      return;
    }
    if (k0 === "relationships") {
      if (typeof v !== "object" || v === null) return;
      const r = v as Record<string, unknown>;
      const a = r.spdxElementId;
      const b = r.relatedSpdxElement;
      if (r.relationshipType === "DESCRIBES" && a === "SPDXRef-DOCUMENT" && typeof b === "string")
        this.describes.push(b);
      if (r.relationshipType === "DESCRIBED_BY" && b === "SPDXRef-DOCUMENT" && typeof a === "string")
        this.describes.push(a);
      return;
    }
    if (k0 === "vulnerabilities") this.hooks.onVulnerability?.(v, { path: formatPath(path), ...at });
  }

  private metadata(v: unknown): void {
    const m = v as Record<string, unknown>;
    if (typeof m.timestamp === "string") this.created = m.timestamp;
    if (m.component !== undefined) {
      const p = positionOf(m, "component") ?? { line: 1, col: 1 };
      this.subject = cdxComponent(m.component, "$.metadata.component", p, this.problems);
      const ref = (m.component as Record<string, unknown> | null)?.["bom-ref"];
      if (typeof ref === "string") this.subjectRef = ref;
    }
  }

  /** Which format the document was, and its metadata; problems for what is missing or unknown. */
  finish(file: string, endPos: Pos): SbomDocument | undefined {
    if (this.rootNotObject) return undefined;
    const t = this.top;
    const at = (k: string): Place => {
      const p = this.topPos[k] ?? { line: 1, col: 1 };
      return { path: `$.${k}`, ...p };
    };
    const isCdx = t.bomFormat !== undefined || this.sawComponents || this.sawMetadata;
    const isSpdx = t.spdxVersion !== undefined || this.sawPackages;
    if (isCdx && !isSpdx) {
      if (t.bomFormat === undefined)
        this.problems.add(
          { path: "$", line: 1, col: 1 },
          'bomFormat is missing (expected "CycloneDX")',
          "bomFormat",
        );
      else if (t.bomFormat !== "CycloneDX")
        this.problems.add(at("bomFormat"), `bomFormat ${show(t.bomFormat)} is not "CycloneDX"`, "bomFormat");
      const doc: SbomDocument = { file, format: "cyclonedx-json" };
      if (typeof t.specVersion === "string") {
        doc.specVersion = t.specVersion;
        if (!CDX_VERSIONS.includes(t.specVersion))
          this.problems.add(
            at("specVersion"),
            `specVersion ${show(t.specVersion)} is not one Concord reads (${CDX_VERSIONS.join(", ")}); read as 1.6`,
            "specVersion",
          );
      } else
        this.problems.add(
          t.specVersion === undefined ? { path: "$", line: 1, col: 1 } : at("specVersion"),
          t.specVersion === undefined
            ? "specVersion is missing"
            : `specVersion ${show(t.specVersion)} is not a string`,
          "specVersion",
        );
      if (typeof t.serialNumber === "string") doc.serialNumber = t.serialNumber;
      if (typeof t.version === "number") doc.version = t.version;
      if (this.created) doc.created = this.created;
      if (this.subject) doc.subject = this.subject;
      if (this.subjectRef) doc.subjectRef = this.subjectRef;
      return doc;
    }
    if (isSpdx && !isCdx) {
      const doc: SbomDocument = { file, format: "spdx-json" };
      if (typeof t.spdxVersion === "string") {
        doc.specVersion = t.spdxVersion;
        if (!SPDX_VERSIONS.includes(t.spdxVersion))
          this.problems.add(
            at("spdxVersion"),
            `spdxVersion ${show(t.spdxVersion)} is not one Concord reads (${SPDX_VERSIONS.join(", ")}); read as SPDX-2.3`,
            "spdxVersion",
          );
      } else this.problems.add({ path: "$", line: 1, col: 1 }, "spdxVersion is missing", "spdxVersion");
      if (typeof t.name === "string") doc.name = t.name;
      if (typeof t.documentNamespace === "string") doc.serialNumber = t.documentNamespace;
      const ci = t.creationInfo as Record<string, unknown> | undefined;
      if (typeof ci?.created === "string") doc.created = ci.created;
      const ref = this.describes[0];
      if (ref) {
        doc.subjectRef = ref;
        const s = this.described.get(ref);
        if (s) doc.subject = s;
      }
      return doc;
    }
    this.problems.add(
      { path: "$", ...endPos },
      isCdx
        ? "the document mixes CycloneDX (bomFormat, components, metadata) and SPDX (spdxVersion, packages) members"
        : "neither a CycloneDX document (bomFormat, components) nor an SPDX document (spdxVersion, packages)",
      undefined,
      true,
    );
    return undefined;
  }
}
