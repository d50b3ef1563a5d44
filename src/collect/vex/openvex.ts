// OpenVEX 0.2 (and the 0.0.x shapes still in use, with string vulnerabilities and products): one
// statement per product, or per subcomponent when a product lists the components it is about.

import { positionOf, type Pos } from "../sbom/json-stream.js";
import { show, type Place, type Problems } from "../sbom/common.js";
import type { VexDocument, VexProduct, VexStatement, VexStatus } from "./types.js";

const STATUSES: ReadonlySet<string> = new Set(["not_affected", "affected", "fixed", "under_investigation"]);

export const OPENVEX_JUSTIFICATIONS: readonly string[] = [
  "component_not_present",
  "vulnerable_code_not_present",
  "vulnerable_code_not_in_execute_path",
  "vulnerable_code_cannot_be_controlled_by_adversary",
  "inline_mitigations_already_exist",
];

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);

function place(base: Place, container: unknown, key: string | number): Place {
  const p: Pos = positionOf(container, key) ?? { line: base.line, col: base.col };
  return {
    path: typeof key === "number" ? `${base.path}[${key}]` : `${base.path}.${key}`,
    line: p.line,
    col: p.col,
  };
}

/** An OpenVEX product or subcomponent: its @id (a purl, a CPE or another IRI) and identifiers. */
function identify(p: unknown): VexProduct | undefined {
  if (typeof p === "string") return identify({ "@id": p });
  if (!isObj(p)) return undefined;
  const out: VexProduct = {};
  const id = str(p["@id"]);
  const ids = isObj(p.identifiers) ? p.identifiers : {};
  const purl = str(ids.purl) ?? (id?.startsWith("pkg:") ? id : undefined);
  const cpe = str(ids.cpe23) ?? str(ids.cpe22) ?? (id?.startsWith("cpe:") ? id : undefined);
  if (purl) out.purl = purl;
  if (cpe) out.cpe = cpe;
  if (id && !purl && !cpe) out.bomRef = id;
  return Object.keys(out).length ? out : undefined;
}

export function isOpenVex(top: Record<string, unknown>): boolean {
  const ctx = top["@context"];
  return typeof ctx === "string" && /openvex/i.test(ctx);
}

export function openVexDocument(top: Record<string, unknown>, file: string): VexDocument {
  const d: VexDocument = { file, format: "openvex" };
  const id = str(top["@id"]);
  const author = str(top.author);
  const ts = str(top.timestamp);
  const ctx = str(top["@context"]);
  if (id) d.id = id;
  if (author) d.author = author;
  if (ts) d.timestamp = ts;
  const v = /v(\d+\.\d+\.\d+)/.exec(ctx ?? "");
  if (v) d.version = v[1]!;
  return d;
}

export function openVexStatements(
  top: Record<string, unknown>,
  topPos: Record<string, Pos>,
  file: string,
  problems: Problems,
): VexStatement[] {
  const doc = openVexDocument(top, file);
  const p0 = topPos.statements ?? { line: 1, col: 1 };
  const base: Place = { path: "$.statements", line: p0.line, col: p0.col };
  if (!Array.isArray(top.statements)) {
    problems.add(base, "an OpenVEX document needs a statements array", "statements");
    return [];
  }
  const list: unknown[] = top.statements;
  const out: VexStatement[] = [];
  list.forEach((s, k) => {
    const at = place(base, list, k);
    if (!isObj(s)) {
      problems.add(at, `a statement must be an object, found ${show(s)}; skipped`);
      return;
    }
    const vul = s.vulnerability;
    const vid =
      typeof vul === "string" ? str(vul) : isObj(vul) ? (str(vul.name) ?? str(vul["@id"])) : undefined;
    if (!vid) {
      problems.add(
        place(at, s, "vulnerability"),
        "statement names no vulnerability; skipped",
        "vulnerability",
      );
      return;
    }
    const aliases: string[] = [];
    if (isObj(vul) && Array.isArray(vul.aliases))
      for (const a of vul.aliases)
        if (typeof a === "string" && a !== vid && !aliases.includes(a)) aliases.push(a);
    const status = str(s.status);
    if (!status || !STATUSES.has(status)) {
      problems.add(
        place(at, s, "status"),
        `statement for ${vid}: status ${show(s.status)} is not one of ${[...STATUSES].join(", ")}; skipped`,
        "status",
      );
      return;
    }
    const justification = str(s.justification);
    const impact = str(s.impact_statement);
    const action = str(s.action_statement);
    if (status === "not_affected" && !justification && !impact)
      problems.add(
        at,
        `statement for ${vid}: not_affected needs a justification or an impact_statement; kept`,
        "justification",
      );
    if (justification && !OPENVEX_JUSTIFICATIONS.includes(justification))
      problems.add(
        place(at, s, "justification"),
        `statement for ${vid}: justification ${show(justification)} is not an OpenVEX justification; kept as written`,
        "justification",
      );
    if (!Array.isArray(s.products) || s.products.length === 0) {
      problems.add(at, `statement for ${vid} names no products; skipped`, "products");
      return;
    }
    const products: unknown[] = s.products;
    // 0.0.x: subcomponents at statement level apply to every product
    const legacySubs: unknown[] = Array.isArray(s.subcomponents) ? (s.subcomponents as unknown[]) : [];
    products.forEach((p, j) => {
      const pAt = place(place(at, s, "products"), products, j);
      const prod = identify(p);
      if (!prod) {
        problems.add(
          pAt,
          `statement for ${vid}: product ${show(p)} has no @id or identifiers; skipped`,
          "products",
        );
        return;
      }
      const subs: unknown[] =
        isObj(p) && Array.isArray(p.subcomponents) ? (p.subcomponents as unknown[]) : legacySubs;
      const make = (product: VexProduct, within: VexProduct | undefined, where: Place): VexStatement => {
        const st: VexStatement = {
          vulnerability: vid,
          aliases,
          product,
          status: status as VexStatus,
          source: { format: "openvex", file, location: where.path, line: where.line, col: where.col },
        };
        if (doc.author) st.source.author = doc.author;
        if (within) st.within = within;
        if (justification) st.justification = justification;
        if (impact) st.impactStatement = impact;
        if (action) st.actionStatement = action;
        const ts = str(s.timestamp) ?? doc.timestamp;
        if (ts) st.timestamp = ts;
        return st;
      };
      if (subs.length === 0) {
        out.push(make(prod, undefined, pAt));
        return;
      }
      subs.forEach((c, i) => {
        const sub = identify(c);
        const cAt =
          isObj(p) && Array.isArray(p.subcomponents) ? place(place(pAt, p, "subcomponents"), subs, i) : pAt;
        if (!sub) {
          problems.add(
            cAt,
            `statement for ${vid}: subcomponent ${show(c)} has no @id or identifiers; skipped`,
            "subcomponents",
          );
          return;
        }
        out.push(make(sub, prod, cAt));
      });
    });
  });
  return out;
}
