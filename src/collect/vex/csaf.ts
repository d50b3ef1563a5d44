// CSAF 2.0 (the VEX profile, and advisories that carry product_status): the product tree gives each
// product_id an identity (the branch path's product name and version, and the purl and CPE of its
// product_identification_helper); each product_status list gives statements; a flag's label is
// the justification, an impact threat the impact statement, a remediation the action statement.
// Relationships ("X default_component_of Y") make the component X the product, within Y.

import { positionOf, type Pos } from "../sbom/json-stream.js";
import { show, type Place, type Problems } from "../sbom/common.js";
import type { VexDocument, VexProduct, VexStatement, VexStatus } from "./types.js";

const STATUS_LISTS: Record<string, VexStatus> = {
  known_not_affected: "not_affected",
  fixed: "fixed",
  first_fixed: "fixed",
  known_affected: "affected",
  first_affected: "affected",
  last_affected: "affected",
  under_investigation: "under_investigation",
};

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);

interface CsafProduct {
  product: VexProduct;
  within?: VexProduct;
}

export function isCsaf(top: Record<string, unknown>): boolean {
  return (
    isObj(top.document) &&
    (top.document.csaf_version !== undefined || /^csaf_/.test(String(top.document.category)))
  );
}

function helper(fpn: Record<string, unknown>, into: VexProduct): void {
  const h = isObj(fpn.product_identification_helper) ? fpn.product_identification_helper : undefined;
  if (!h) return;
  const purl = str(h.purl) ?? (Array.isArray(h.purls) ? str(h.purls[0]) : undefined);
  const cpe = str(h.cpe);
  if (purl) into.purl = purl;
  if (cpe) into.cpe = cpe;
}

/** product_id -> identity, from branches, full_product_names and relationships. */
export function csafProducts(tree: unknown): Map<string, CsafProduct> {
  const out = new Map<string, CsafProduct>();
  if (!isObj(tree)) return out;
  const walk = (
    branches: unknown,
    name: string | undefined,
    version: string | undefined,
    range: string | undefined,
  ) => {
    if (!Array.isArray(branches)) return;
    for (const b of branches) {
      if (!isObj(b)) continue;
      const cat = str(b.category);
      const bname = str(b.name);
      let n = name;
      let v = version;
      let r = range;
      if (cat === "product_name" && bname) n = bname;
      else if (cat === "product_version" && bname) v = bname;
      else if (cat === "product_version_range" && bname) r = bname;
      if (isObj(b.product)) {
        const id = str(b.product.product_id);
        if (id) {
          const p: VexProduct = {};
          const pn = n ?? str(b.product.name);
          if (pn) p.name = pn;
          if (v) p.version = v;
          if (r?.startsWith("vers:")) p.versions = [{ range: r }];
          helper(b.product, p);
          out.set(id, { product: p });
        }
      }
      walk(b.branches, n, v, r);
    }
  };
  walk(tree.branches, undefined, undefined, undefined);
  if (Array.isArray(tree.full_product_names))
    for (const f of tree.full_product_names) {
      if (!isObj(f)) continue;
      const id = str(f.product_id);
      if (!id || out.has(id)) continue;
      const p: VexProduct = {};
      const n = str(f.name);
      if (n) p.name = n;
      helper(f, p);
      out.set(id, { product: p });
    }
  if (Array.isArray(tree.relationships))
    for (const r of tree.relationships) {
      if (!isObj(r) || !isObj(r.full_product_name)) continue;
      const id = str(r.full_product_name.product_id);
      const comp = out.get(str(r.product_reference) ?? "");
      const platform = out.get(str(r.relates_to_product_reference) ?? "");
      if (!id || !comp) continue;
      const p: CsafProduct = { product: { ...comp.product } };
      helper(r.full_product_name, p.product);
      if (platform) p.within = platform.product;
      out.set(id, p);
    }
  return out;
}

function groupsOf(tree: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!isObj(tree) || !Array.isArray(tree.product_groups)) return out;
  for (const g of tree.product_groups) {
    if (!isObj(g)) continue;
    const id = str(g.group_id);
    if (id && Array.isArray(g.product_ids))
      out.set(
        id,
        g.product_ids.filter((x): x is string => typeof x === "string"),
      );
  }
  return out;
}

/** Whether an entry (flag, threat, remediation) names the product directly or through a group. */
function names(entry: Record<string, unknown>, productId: string, groups: Map<string, string[]>): boolean {
  if (Array.isArray(entry.product_ids) && entry.product_ids.includes(productId)) return true;
  if (Array.isArray(entry.group_ids))
    for (const g of entry.group_ids)
      if (typeof g === "string" && groups.get(g)?.includes(productId)) return true;
  return false;
}

export function csafDocument(top: Record<string, unknown>, file: string): VexDocument {
  const d: VexDocument = { file, format: "csaf" };
  const doc = isObj(top.document) ? top.document : {};
  const tracking = isObj(doc.tracking) ? doc.tracking : {};
  const publisher = isObj(doc.publisher) ? doc.publisher : {};
  const id = str(tracking.id);
  const author = str(publisher.name);
  const ts = str(tracking.current_release_date);
  const v = str(doc.csaf_version);
  if (id) d.id = id;
  if (author) d.author = author;
  if (ts) d.timestamp = ts;
  if (v) d.version = v;
  return d;
}

export function csafStatements(
  top: Record<string, unknown>,
  topPos: Record<string, Pos>,
  vulnerabilities: { v: unknown; at: Place }[],
  file: string,
  problems: Problems,
): VexStatement[] {
  const doc = csafDocument(top, file);
  const d = isObj(top.document) ? top.document : {};
  const dPos = topPos.document ?? { line: 1, col: 1 };
  if (d.csaf_version !== "2.0")
    problems.add(
      { path: "$.document.csaf_version", ...(positionOf(d, "csaf_version") ?? dPos) },
      `csaf_version ${show(d.csaf_version)} is not one Concord reads (2.0); read as 2.0`,
      "csaf_version",
    );
  const products = csafProducts(top.product_tree);
  const groups = groupsOf(top.product_tree);
  const out: VexStatement[] = [];
  for (const { v, at } of vulnerabilities) {
    if (!isObj(v)) {
      problems.add(at, `a vulnerability must be an object, found ${show(v)}; skipped`);
      continue;
    }
    const ids: string[] = [];
    const cve = str(v.cve);
    if (cve) ids.push(cve);
    if (Array.isArray(v.ids))
      for (const i of v.ids) {
        const t = isObj(i) ? str(i.text) : undefined;
        if (t && !ids.includes(t)) ids.push(t);
      }
    const [vid, ...aliases] = ids;
    if (!vid) {
      problems.add(at, "vulnerability has neither cve nor ids; skipped", "cve");
      continue;
    }
    if (!isObj(v.product_status)) {
      problems.add(at, `vulnerability ${vid} has no product_status; no statements`, "product_status");
      continue;
    }
    const ps = v.product_status;
    const psPos = positionOf(v, "product_status") ?? at;
    const flags = Array.isArray(v.flags) ? v.flags.filter(isObj) : [];
    const threats = Array.isArray(v.threats) ? v.threats.filter(isObj) : [];
    const remediations = Array.isArray(v.remediations) ? v.remediations.filter(isObj) : [];
    const flagDate = (f: Record<string, unknown>) => str(f.date);
    for (const [list, status] of Object.entries(STATUS_LISTS)) {
      const idsIn = ps[list];
      if (idsIn === undefined) continue;
      const listPath = `${at.path}.product_status.${list}`;
      if (!Array.isArray(idsIn)) {
        problems.add(
          { path: listPath, line: psPos.line, col: psPos.col },
          `${list} must be an array; ignored`,
          list,
        );
        continue;
      }
      idsIn.forEach((pid, k) => {
        const p = positionOf(idsIn, k) ?? psPos;
        const where: Place = { path: `${listPath}[${k}]`, line: p.line, col: p.col };
        const prod = typeof pid === "string" ? products.get(pid) : undefined;
        if (!prod) {
          problems.add(
            where,
            `vulnerability ${vid}: product_id ${show(pid)} is not in the product_tree; skipped`,
            "product_id",
          );
          return;
        }
        const id = pid as string;
        const st: VexStatement = {
          vulnerability: vid,
          aliases,
          product: prod.product,
          status,
          source: { format: "csaf", file, location: where.path, line: where.line, col: where.col },
        };
        if (doc.author) st.source.author = doc.author;
        if (prod.within) st.within = prod.within;
        const flag = flags.find((f) => names(f, id, groups));
        if (flag && status === "not_affected") {
          const label = str(flag.label);
          if (label) st.justification = label;
        }
        const impact = threats
          .filter((t) => t.category === "impact" && names(t, id, groups))
          .map((t) => str(t.details))
          .filter((x): x is string => x !== undefined);
        if (impact.length) st.impactStatement = impact.join("\n");
        const action = remediations
          .filter((r) => names(r, id, groups))
          .map((r) => [str(r.category), str(r.details)].filter(Boolean).join(": "))
          .filter((x) => x !== "");
        if (action.length) st.actionStatement = action.join("\n");
        if (status === "not_affected" && !st.justification && !st.impactStatement)
          problems.add(
            where,
            `vulnerability ${vid}: ${id} is known_not_affected without a flag or an impact threat; kept`,
            "flags",
          );
        const ts = (flag && flagDate(flag)) ?? doc.timestamp;
        if (ts) st.timestamp = ts;
        out.push(st);
      });
    }
  }
  return out;
}
