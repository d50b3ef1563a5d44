// CycloneDX 1.4, 1.5 and 1.6: a component's fields from its JSON object, and the XML reader, which
// turns each <component> (and, for VEX, each <vulnerability>) into the same JSON shape so one
// conversion serves both encodings. Nested components stream out on their own: a component is
// never held together with its children.

import { positionOf, setPosition, type Pos } from "./json-stream.js";
import { finishComponent, show, type Place, type Problems, type RawComponent } from "./common.js";
import type { ComponentSink, SbomComponent, SbomHash } from "./types.js";
import type { XmlElement, XmlHandler } from "./xml-stream.js";

export const CDX_VERSIONS: readonly string[] = ["1.4", "1.5", "1.6"];
export const CDX_NAMESPACE = /^http:\/\/cyclonedx\.org\/schema\/bom\/(\d+\.\d+)$/;

/** The component members the readers keep; the rest (descriptions, properties, evidence) are passed over. */
export const CDX_COMPONENT_KEYS: ReadonlySet<string> = new Set([
  "type",
  "bom-ref",
  "name",
  "version",
  "group",
  "purl",
  "cpe",
  "supplier",
  "hashes",
  "licenses",
]);

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A field's path under a record's: "$.components[0].purl" or "/bom/components/component[1]/purl". */
export function join(path: string, field: string): string {
  return path.startsWith("/") ? `${path}/${field}` : `${path}.${field}`;
}

/** A locator for the fields of a JSON-shaped record at `path` that started at `start`. */
export function fieldsAt(obj: unknown, path: string, start: Pos): (field?: string) => Place {
  return (field) => {
    if (field === undefined) return { path, line: start.line, col: start.col };
    const p = positionOf(obj, field) ?? start;
    return { path: join(path, field), line: p.line, col: p.col };
  };
}

/** A CycloneDX component (JSON shape) to a component; undefined (and a problem) when it has no name. */
export function cdxComponent(
  o: unknown,
  path: string,
  start: Pos,
  problems: Problems,
): SbomComponent | undefined {
  const at = fieldsAt(o, path, start);
  if (!isObj(o)) {
    problems.add(at(), `a component must be an object, found ${show(o)}; skipped`);
    return undefined;
  }
  const raw: RawComponent = {
    name: o.name,
    version: o.version,
    group: o.group,
    purl: o.purl,
    cpe: o.cpe,
    bomRef: o["bom-ref"],
    type: o.type,
  };
  const label = typeof o.name === "string" ? `component ${o.name}` : "component";
  if (o.supplier !== undefined) {
    const n = isObj(o.supplier) ? o.supplier.name : undefined;
    if (typeof n === "string" && n.trim()) raw.supplier = n.trim();
    else if (!isObj(o.supplier))
      problems.add(at("supplier"), `${label}: supplier must be an object with a name; ignored`, "supplier");
  }
  if (o.hashes !== undefined) {
    const hashes: SbomHash[] = [];
    if (Array.isArray(o.hashes)) {
      o.hashes.forEach((h, k) => {
        if (isObj(h) && typeof h.alg === "string" && typeof h.content === "string")
          hashes.push({ alg: h.alg, value: h.content });
        else {
          const p = positionOf(o.hashes, k) ?? start;
          problems.add(
            { path: `${join(path, "hashes")}[${k}]`, line: p.line, col: p.col },
            `${label}: a hash needs alg and content; ignored`,
            "hashes",
          );
        }
      });
    } else problems.add(at("hashes"), `${label}: hashes must be an array; ignored`, "hashes");
    raw.hashes = hashes;
  }
  if (o.licenses !== undefined) {
    const licenses: string[] = [];
    if (Array.isArray(o.licenses)) {
      for (const l of o.licenses) {
        if (!isObj(l)) continue;
        if (typeof l.expression === "string") licenses.push(l.expression);
        else if (isObj(l.license)) {
          const v = l.license.id ?? l.license.name;
          if (typeof v === "string") licenses.push(v);
        }
      }
    } else problems.add(at("licenses"), `${label}: licenses must be an array; ignored`, "licenses");
    raw.licenses = licenses;
  }
  return finishComponent(raw, at, problems);
}

// ---------------------------------------------------------------------------------------------
// XML

export interface XNode {
  local: string;
  attrs: Record<string, string>;
  children: XNode[];
  text: string;
  pos: Pos;
}

const child = (n: XNode, local: string) => n.children.find((c) => c.local === local);
const children = (n: XNode | undefined, local: string) => n?.children.filter((c) => c.local === local) ?? [];

function put(o: Record<string, unknown>, key: string, v: unknown, pos: Pos): void {
  if (v === undefined) return;
  o[key] = v;
  setPosition(o, key, pos);
}

function textOf(n: XNode | undefined): string | undefined {
  return n ? n.text.trim() : undefined;
}

/** A <component> as the JSON shape cdxComponent reads, positions kept. */
export function xmlComponentToJson(n: XNode): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  put(o, "type", n.attrs.type, n.pos);
  put(o, "bom-ref", n.attrs["bom-ref"], n.pos);
  for (const k of ["name", "version", "group", "purl", "cpe"]) {
    const c = child(n, k);
    if (c) put(o, k, c.text.trim(), c.pos);
  }
  const sup = child(n, "supplier");
  if (sup) put(o, "supplier", { name: textOf(child(sup, "name")) }, sup.pos);
  const hs = child(n, "hashes");
  if (hs) {
    const arr: unknown[] = [];
    children(hs, "hash").forEach((h, k) => {
      arr.push({ alg: h.attrs.alg, content: h.text.trim() });
      setPosition(arr, k, h.pos);
    });
    put(o, "hashes", arr, hs.pos);
  }
  const ls = child(n, "licenses");
  if (ls) {
    const arr: unknown[] = [];
    for (const l of ls.children) {
      if (l.local === "expression") arr.push({ expression: l.text.trim() });
      else if (l.local === "license")
        arr.push({ license: { id: textOf(child(l, "id")), name: textOf(child(l, "name")) } });
    }
    put(o, "licenses", arr, ls.pos);
  }
  return o;
}

/** A <vulnerability> as the JSON shape of CycloneDX JSON vulnerabilities[], positions kept. */
export function xmlVulnerabilityToJson(n: XNode): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  put(o, "bom-ref", n.attrs["bom-ref"], n.pos);
  for (const k of ["id", "description", "detail", "recommendation"]) {
    const c = child(n, k);
    if (c) put(o, k, c.text.trim(), c.pos);
  }
  const source = (s: XNode | undefined) =>
    s ? { name: textOf(child(s, "name")), url: textOf(child(s, "url")) } : undefined;
  const src = child(n, "source");
  if (src) put(o, "source", source(src), src.pos);
  const refs = child(n, "references");
  if (refs)
    put(
      o,
      "references",
      children(refs, "reference").map((r) => ({
        id: textOf(child(r, "id")),
        source: source(child(r, "source")),
      })),
      refs.pos,
    );
  const a = child(n, "analysis");
  if (a) {
    const analysis: Record<string, unknown> = {};
    for (const k of ["state", "justification", "detail"]) {
      const c = child(a, k);
      if (c) put(analysis, k, c.text.trim(), c.pos);
    }
    const rs = child(a, "responses");
    if (rs)
      put(
        analysis,
        "response",
        children(rs, "response").map((r) => r.text.trim()),
        rs.pos,
      );
    put(o, "analysis", analysis, a.pos);
  }
  const af = child(n, "affects");
  if (af) {
    const arr: unknown[] = [];
    children(af, "target").forEach((t, k) => {
      const target: Record<string, unknown> = {};
      const ref = child(t, "ref");
      if (ref) put(target, "ref", ref.text.trim(), ref.pos);
      const vs = child(t, "versions");
      if (vs) {
        const versions: unknown[] = [];
        children(vs, "version").forEach((v, j) => {
          const e: Record<string, unknown> = {};
          for (const key of ["version", "range", "status"]) {
            const c = child(v, key);
            if (c) put(e, key, c.text.trim(), c.pos);
          }
          versions.push(e);
          setPosition(versions, j, v.pos);
        });
        put(target, "versions", versions, vs.pos);
      }
      arr.push(target);
      setPosition(arr, k, t.pos);
    });
    put(o, "affects", arr, af.pos);
  }
  return o;
}

export class SbomFormatError extends Error {
  override name = "SbomFormatError";
  constructor(
    readonly reason: string,
    readonly pos: Pos,
    readonly path: string,
  ) {
    super(reason);
  }
}

type Role = "bom" | "metadata" | "list" | "vulns" | "component" | "subject" | "timestamp" | "vuln";

interface XFrame {
  kind: "skip" | "descend" | "collect";
  role?: Role;
  node?: XNode;
  /** A component that streams out its nested <components>. */
  carve: boolean;
  path: string;
  counts?: Map<string, number>;
}

export interface CdxXmlHooks {
  onComponent: ComponentSink;
  onSubject(c: SbomComponent | undefined, ref: string | undefined): void;
  onVulnerability?: (v: Record<string, unknown>, at: Place) => void;
}

/** Reads a CycloneDX XML document from XmlStream events. */
export class CdxXmlReader implements XmlHandler {
  ns = "";
  rootPos: Pos = { line: 1, col: 1 };
  specVersion: string | undefined;
  serialNumber: string | undefined;
  version: number | undefined;
  created: string | undefined;
  private frames: XFrame[] = [];

  constructor(
    private readonly hooks: CdxXmlHooks,
    private readonly problems: Problems,
  ) {}

  open(el: XmlElement): void {
    const parent = this.frames[this.frames.length - 1];
    if (!parent) {
      const m = CDX_NAMESPACE.exec(el.ns);
      if (el.local !== "bom" || !m) {
        const what = el.ns.includes("spdx") || el.local === "RDF" ? " (SPDX RDF/XML is not read)" : "";
        throw new SbomFormatError(
          `the root element <${el.qname}> in namespace "${el.ns}" is not a CycloneDX bom${what}`,
          el.pos,
          `/${el.local}`,
        );
      }
      this.ns = el.ns;
      this.rootPos = el.pos;
      this.specVersion = m[1];
      this.serialNumber = el.attrs.serialNumber;
      if (el.attrs.version !== undefined) this.version = Number(el.attrs.version);
      this.frames.push({ kind: "descend", role: "bom", carve: false, path: "/bom", counts: new Map() });
      return;
    }
    if (parent.kind === "skip" || el.ns !== this.ns) {
      this.frames.push({ kind: "skip", carve: false, path: parent.path });
      return;
    }
    if (parent.kind === "collect") {
      if (parent.carve && el.local === "components") {
        this.frames.push({
          kind: "descend",
          role: "list",
          carve: false,
          path: `${parent.path}/components`,
          counts: new Map(),
        });
        return;
      }
      const node: XNode = { local: el.local, attrs: el.attrs, children: [], text: "", pos: el.pos };
      parent.node!.children.push(node);
      this.frames.push({ kind: "collect", node, carve: false, path: parent.path });
      return;
    }
    const n = (parent.counts!.get(el.local) ?? 0) + 1;
    parent.counts!.set(el.local, n);
    const role = this.roleOf(parent.role, el.local);
    if (!role) {
      this.frames.push({ kind: "skip", carve: false, path: parent.path });
      return;
    }
    const indexed = el.local === "component" || el.local === "vulnerability";
    const path = `${parent.path}/${el.local}${indexed && role !== "subject" ? `[${n}]` : ""}`;
    if (role === "metadata" || role === "list" || role === "vulns") {
      this.frames.push({ kind: "descend", role, carve: false, path, counts: new Map() });
      return;
    }
    const node: XNode = { local: el.local, attrs: el.attrs, children: [], text: "", pos: el.pos };
    this.frames.push({
      kind: "collect",
      role,
      node,
      carve: role === "component" || role === "subject",
      path,
    });
  }

  private roleOf(parent: Role | undefined, local: string): Role | undefined {
    switch (parent) {
      case "bom":
        if (local === "metadata") return "metadata";
        if (local === "components") return "list";
        if (local === "vulnerabilities" && this.hooks.onVulnerability) return "vulns";
        return undefined;
      case "metadata":
        if (local === "component") return "subject";
        if (local === "timestamp") return "timestamp";
        return undefined;
      case "list":
        return local === "component" ? "component" : undefined;
      case "vulns":
        return local === "vulnerability" ? "vuln" : undefined;
      default:
        return undefined;
    }
  }

  close(): void {
    const f = this.frames.pop()!;
    if (f.kind !== "collect" || !f.role || !f.node) return;
    const n = f.node;
    switch (f.role) {
      case "component": {
        const c = cdxComponent(xmlComponentToJson(n), f.path, n.pos, this.problems);
        if (c) this.hooks.onComponent(c);
        break;
      }
      case "subject": {
        const c = cdxComponent(xmlComponentToJson(n), f.path, n.pos, this.problems);
        this.hooks.onSubject(c, n.attrs["bom-ref"]);
        break;
      }
      case "timestamp":
        this.created = n.text.trim();
        break;
      case "vuln":
        this.hooks.onVulnerability?.(xmlVulnerabilityToJson(n), {
          path: f.path,
          line: n.pos.line,
          col: n.pos.col,
        });
        break;
      default:
        break;
    }
  }

  text(text: string): void {
    const top = this.frames[this.frames.length - 1];
    if (top?.kind === "collect") top.node!.text += text;
  }
}
