// CycloneDX VEX: each vulnerabilities[] entry with an analysis becomes one statement per affected
// target. A target's ref is a bom-ref of a component in the same document (resolved to its purl,
// CPE, name and version) or a BOM-Link into another BOM. Where a target lists versions, they
// split it: versions marked affected take the analysis' status, unaffected ones not_affected,
// unknown ones under_investigation.

import { positionOf, type Pos } from "../sbom/json-stream.js";
import { show, type Place, type Problems } from "../sbom/common.js";
import type { VexProduct, VexStatement, VexStatus, VexVersion } from "./types.js";

export const CDX_STATES: Record<string, VexStatus> = {
  resolved: "fixed",
  resolved_with_pedigree: "fixed",
  exploitable: "affected",
  in_triage: "under_investigation",
  false_positive: "not_affected",
  not_affected: "not_affected",
};

const VERSION_STATUS: Record<string, "affected" | "not_affected" | "under_investigation"> = {
  affected: "affected",
  unaffected: "not_affected",
  unknown: "under_investigation",
};

export interface CdxComponentIdentity {
  name: string;
  version: string;
  purl?: string;
  cpe?: string;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);

/** The XML element of an array's items, for paths into XML documents. */
const XML_ITEM: Record<string, string> = { affects: "target", versions: "version" };

function sub(base: Place, container: unknown, key: string | number, start: Pos): Place {
  const p = positionOf(container, key) ?? start;
  let path: string;
  if (!base.path.startsWith("/"))
    path = typeof key === "number" ? `${base.path}[${key}]` : `${base.path}.${key}`;
  else if (typeof key === "string") path = `${base.path}/${key}`;
  else path = `${base.path}/${XML_ITEM[base.path.slice(base.path.lastIndexOf("/") + 1)] ?? "*"}[${key + 1}]`;
  return { path, line: p.line, col: p.col };
}

/** The fragment of a BOM-Link ("urn:cdx:<serial>/<version>#<bom-ref>"), or the ref itself. */
export function bomLinkRef(ref: string): string {
  const m = /^urn:cdx:[^#]+#(.+)$/.exec(ref);
  return m ? decodeURIComponent(m[1]!) : ref;
}

export interface CdxVexContext {
  file: string;
  components: Map<string, CdxComponentIdentity>;
  problems: Problems;
  /** metadata.timestamp, for statements without their own time. */
  timestamp?: string;
  author?: string;
}

export function cdxStatements(v: unknown, at: Place, ctx: CdxVexContext): VexStatement[] {
  const { problems } = ctx;
  const start: Pos = { line: at.line, col: at.col };
  if (!isObj(v)) {
    problems.add(at, `a vulnerability must be an object, found ${show(v)}; skipped`);
    return [];
  }
  const id = str(v.id);
  if (!id) {
    problems.add(v.id === undefined ? at : sub(at, v, "id", start), "vulnerability has no id; skipped", "id");
    return [];
  }
  const aliases: string[] = [];
  if (Array.isArray(v.references))
    for (const r of v.references) {
      const rid = isObj(r) ? str(r.id) : undefined;
      if (rid && rid !== id && !aliases.includes(rid)) aliases.push(rid);
    }
  const analysis = isObj(v.analysis) ? v.analysis : undefined;
  let status: VexStatus | undefined;
  const state = analysis ? str(analysis.state) : undefined;
  if (state !== undefined) {
    status = CDX_STATES[state];
    if (!status) {
      problems.add(
        sub(sub(at, v, "analysis", start), analysis, "state", start),
        `vulnerability ${id}: analysis.state ${show(state)} is not a CycloneDX state (${Object.keys(CDX_STATES).join(", ")}); skipped`,
        "analysis.state",
      );
      return [];
    }
  }
  const base: Omit<VexStatement, "product" | "status" | "source"> = { vulnerability: id, aliases };
  const justification = analysis ? str(analysis.justification) : undefined;
  const detail = analysis ? str(analysis.detail) : undefined;
  const action = str(v.recommendation) ?? str(v.workaround);
  if (detail) base.impactStatement = detail;
  if (action) base.actionStatement = action;
  if (analysis && Array.isArray(analysis.response)) {
    const r = analysis.response.filter((x): x is string => typeof x === "string");
    if (r.length) base.response = r;
  }
  const ts =
    (analysis ? str(analysis.lastUpdated) : undefined) ?? str(v.updated) ?? str(v.published) ?? ctx.timestamp;
  if (ts) base.timestamp = ts;

  if (!Array.isArray(v.affects) || v.affects.length === 0) {
    problems.add(
      at,
      `vulnerability ${id} has no affects[]: the statement names no product; skipped`,
      "affects",
    );
    return [];
  }
  const out: VexStatement[] = [];
  const affects: unknown[] = v.affects;
  const affectsAt = sub(at, v, "affects", start);
  affects.forEach((t, k) => {
    const tAt = sub(affectsAt, affects, k, start);
    const ref = isObj(t) ? str(t.ref) : undefined;
    if (!ref) {
      problems.add(tAt, `vulnerability ${id}: affects[${k}] has no ref; skipped`, "ref");
      return;
    }
    const product: VexProduct = { bomRef: ref };
    const c = ctx.components.get(ref) ?? ctx.components.get(bomLinkRef(ref));
    if (c) {
      product.name = c.name;
      if (c.version) product.version = c.version;
      if (c.purl) product.purl = c.purl;
      if (c.cpe) product.cpe = c.cpe;
    } else if (bomLinkRef(ref).startsWith("pkg:")) product.purl = bomLinkRef(ref);
    const source = {
      format: "cyclonedx" as const,
      file: ctx.file,
      location: tAt.path,
      line: tAt.line,
      col: tAt.col,
    };
    if (ctx.author) Object.assign(source, { author: ctx.author });
    const versions = isObj(t) && Array.isArray(t.versions) ? (t.versions as unknown[]) : undefined;
    if (!versions || versions.length === 0) {
      if (!status) {
        problems.add(
          tAt,
          `vulnerability ${id}: no analysis.state and no versions with a status; skipped`,
          "analysis",
        );
        return;
      }
      const s: VexStatement = { ...base, product, status, source };
      if (justification && status === "not_affected") s.justification = justification;
      out.push(s);
      return;
    }
    const groups = new Map<string, VexVersion[]>();
    versions.forEach((e, j) => {
      const eAt = sub(sub(tAt, t, "versions", start), versions, j, start);
      if (!isObj(e)) return;
      const ver: VexVersion = {};
      const vv = str(e.version);
      const rr = str(e.range);
      if (vv) ver.version = vv;
      else if (rr) ver.range = rr;
      else {
        problems.add(eAt, `vulnerability ${id}: a version entry needs version or range; skipped`, "version");
        return;
      }
      const es = str(e.status) ?? "affected";
      if (!VERSION_STATUS[es]) {
        problems.add(
          eAt,
          `vulnerability ${id}: version status ${show(es)} is not affected, unaffected or unknown; skipped`,
          "status",
        );
        return;
      }
      const g = groups.get(es) ?? [];
      g.push(ver);
      groups.set(es, g);
    });
    for (const [es, vs] of groups) {
      const p = { ...product, versions: vs };
      if (es === "affected") {
        // the analysis is about the versions that have the vulnerable code
        const s: VexStatement = { ...base, product: p, status: status ?? "affected", source };
        if (justification && s.status === "not_affected") s.justification = justification;
        out.push(s);
        continue;
      }
      const s: VexStatement = {
        vulnerability: id,
        aliases,
        product: p,
        status: VERSION_STATUS[es]!,
        impactStatement: `affects[${k}].versions lists ${vs.length === 1 ? "this version" : "these versions"} as ${es}`,
        source,
      };
      if (base.timestamp) s.timestamp = base.timestamp;
      out.push(s);
    }
  });
  return out;
}
