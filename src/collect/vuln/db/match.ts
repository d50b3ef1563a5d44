// A component against the database: its identity (identify) gives the CPE names and package names to
// look up; each candidate entry is evaluated with the range matchers (matchesNvd / matchesOsv on the
// identity); the records that name the same flaw (an NVD CVE, the OSV records whose id, aliases or
// upstream name it) become one match, explained by its best reason.

import type { ComponentData } from "../../../evidence/firmware.js";
import { ANY, NA, tryParseCpe, unquoteValue } from "../cpe.js";
import { identify, parsePurl, type Identity } from "../identity.js";
import { evaluateNvd, evaluateOsv, type MatchResult } from "../ranges.js";
import { osvEcosystemBase } from "../versions/index.js";
import {
  candidatesByCpe,
  candidatesByPackage,
  epsses as epssesOf,
  hasVex,
  kevs as kevsOf,
  vexStatements,
  vulnerabilities,
  type Candidate,
  type EpssEntry,
  type KevEntry,
  type VulnRecord,
} from "./query.js";
import type { VulnSource } from "./write.js";
import type { VulnDb } from "./store.js";

export interface VulnMatch {
  /** The CVE id when one names the flaw, else the record's own id. */
  id: string;
  /** Every other id of the flaw: OSV record ids, GHSA ids, aliases. */
  aliases: string[];
  summary?: string;
  severity?: { score?: number; version: string; vector: string };
  epss?: { score: number; percentile: number; date?: string };
  kev?: { dateAdded: string; ransomware: boolean; dueDate?: string };
  /** Versions that fix it, from the entries that matched (NVD end-excluding bounds, OSV fixed events). */
  fixedVersions: string[];
  /** 0 to 1: how sure the match is (the entry kind, times the component's own confidence). */
  confidence: number;
  /** The deciding entry and why: "NVD CVE-2017-14491: cpe thekelleys:dnsmasq, version 2.75 <= 2.77 (including)". */
  reason: string;
  /** VEX statements (CSAF) about this CVE for this component. */
  vex?: { document: string; status: string; justification?: string; productId: string }[];
}

const CVE = /^CVE-\d{4}-\d{4,}$/;

interface Evaluated {
  candidate: Candidate;
  record: VulnRecord;
  result: MatchResult;
  confidence: number;
  label: string;
}

/** How much a kind of entry is trusted when it matches. */
function baseConfidence(c: Candidate, r: MatchResult, id: Identity): number {
  if (r.match === "cannot-compare") return 0.3;
  // A distribution's own record for the package the package manager reported: the best evidence.
  if (c.kind === "package") return distroEntry(c, id) ? 0.95 : 0.85;
  return r.reason.includes(" = ") ? 0.9 : 0.85;
}

/** OSV ecosystems that name upstream projects rather than packages. */
const UPSTREAM_ECOSYSTEMS = new Set(["Linux", "OSS-Fuzz", "GIT"]);

function distroEntry(c: Candidate, id: Identity): boolean {
  return (
    c.kind === "package" && id.native !== undefined && !UPSTREAM_ECOSYSTEMS.has(osvEcosystemBase(c.ecosystem))
  );
}

function fixedOf(c: Candidate): string[] {
  if (c.kind === "cpe") return c.entry.versionEndExcluding ? [c.entry.versionEndExcluding] : [];
  const out: string[] = [];
  for (const r of c.entry.ranges ?? [])
    for (const e of r.events) if (e.fixed !== undefined) out.push(e.fixed);
  return out;
}

function groupKey(rec: VulnRecord): string {
  if (CVE.test(rec.id)) return rec.id;
  return rec.aliases.find((a) => CVE.test(a)) ?? rec.id;
}

const text = (v: string) => (v === ANY || v === NA ? v : unquoteValue(v)).toLowerCase();

function vexFor(db: VulnDb, cve: string, component: ComponentData, id: Identity): VulnMatch["vex"] {
  const statements = vexStatements(db, cve);
  if (!statements.length) return undefined;
  const purls = [component.purl, ...id.purls].flatMap((p) => (p ? [parsePurl(p)] : [])).filter((p) => p);
  const cpes = id.cpes.map((c) => tryParseCpe(c)).filter((w) => w !== undefined);
  const out: NonNullable<VulnMatch["vex"]> = [];
  for (const s of statements) {
    let applies = false;
    if (s.purl) {
      const p = parsePurl(s.purl);
      applies = purls.some(
        (q) =>
          p !== undefined &&
          q!.type === p.type &&
          q!.name.toLowerCase() === p.name.toLowerCase() &&
          (p.version === undefined || q!.version === p.version || p.version === id.versionForMatching),
      );
    }
    if (!applies && s.cpe) {
      const w = tryParseCpe(s.cpe);
      applies =
        w !== undefined &&
        cpes.some(
          (t) =>
            text(t.vendor) === text(w.vendor) &&
            text(t.product) === text(w.product) &&
            (w.version === ANY || text(w.version) === id.versionForMatching.toLowerCase()),
        );
    }
    if (applies) {
      const v: NonNullable<VulnMatch["vex"]>[number] = {
        document: s.document,
        status: s.status,
        productId: s.productId,
      };
      if (s.justification) v.justification = s.justification;
      out.push(v);
    }
  }
  return out.length ? out : undefined;
}

/**
 * The vulnerabilities the database knows for a component: exactly one per flaw, with the best
 * reason among the records that match it. Withdrawn records are left out; a version the ordering
 * cannot compare is reported with low confidence, never silently dropped.
 */
export function matchComponent(db: VulnDb, component: ComponentData): VulnMatch[] {
  const id = identify(component);
  const candidates: Candidate[] = [];
  const seenProducts = new Set<string>();
  for (const cpe of id.cpes) {
    const w = tryParseCpe(cpe);
    if (!w) continue;
    const key = `${text(w.vendor)}:${text(w.product)}`;
    if (seenProducts.has(key)) continue;
    seenProducts.add(key);
    candidates.push(...candidatesByCpe(db, text(w.vendor), text(w.product)));
  }
  for (const name of new Set(id.names)) candidates.push(...candidatesByPackage(db, "*", name));

  // Evaluate first; read the records only of the entries that matched (or that a distribution
  // marks fixed), a few queries per component rather than one per candidate.
  const evaluated: { c: Candidate; result: MatchResult }[] = [];
  const wanted: Record<VulnSource, Set<string>> = { nvd: new Set(), osv: new Set() };
  for (const c of candidates) {
    const result = c.kind === "cpe" ? evaluateNvd(c.entry, id) : evaluateOsv(c.entry, id);
    if (result.match === false && !(distroEntry(c, id) && /\((fixed|last_affected)\)/.test(result.reason)))
      continue;
    evaluated.push({ c, result });
    wanted[c.source].add(c.vulnId);
  }
  const records: Record<VulnSource, Map<string, VulnRecord>> = {
    nvd: wanted.nvd.size ? vulnerabilities(db, "nvd", [...wanted.nvd]) : new Map<string, VulnRecord>(),
    osv: wanted.osv.size ? vulnerabilities(db, "osv", [...wanted.osv]) : new Map<string, VulnRecord>(),
  };

  const factor = component.confidence ?? 1;
  const groups = new Map<
    string,
    { matched: Evaluated[]; fixedByDistro: Evaluated[]; records: VulnRecord[] }
  >();
  for (const { c, result } of evaluated) {
    const record = records[c.source].get(c.vulnId);
    if (!record || record.withdrawn) continue;
    const key = groupKey(record);
    const label = `${record.source === "nvd" ? "NVD" : "OSV"} ${record.id}`;
    let g = groups.get(key);
    if (result.match === false) {
      // A distribution's record for this very package saying the packaged version is fixed.
      if (!g) groups.set(key, (g = { matched: [], fixedByDistro: [], records: [] }));
      g.fixedByDistro.push({ candidate: c, record, result, confidence: 0, label });
      continue;
    }
    if (!g) groups.set(key, (g = { matched: [], fixedByDistro: [], records: [] }));
    let reason = result.reason;
    if (c.kind === "cpe" && c.platforms && result.match === true) {
      reason = `${reason}; the configuration also requires ${c.platforms} (not checked)`;
    }
    g.matched.push({
      candidate: c,
      record,
      result: { match: result.match, reason },
      confidence: baseConfidence(c, result, id),
      label,
    });
    if (!g.records.includes(record)) g.records.push(record);
  }

  const cves = [...groups.keys()].filter((k) => CVE.test(k));
  const kevs = cves.length ? kevsOf(db, cves) : new Map<string, KevEntry>();
  const epsses = cves.length ? epssesOf(db, cves) : new Map<string, EpssEntry>();
  const withVex = groups.size > 0 && hasVex(db);
  const out: VulnMatch[] = [];
  for (const [key, g] of groups) {
    if (g.matched.length === 0) continue;
    const order = (e: Evaluated) => [
      e.result.match === true ? 0 : 1,
      -e.confidence,
      e.record.source === "nvd" ? 0 : 1,
    ];
    const best = [...g.matched].sort((a, b) => {
      const x = order(a);
      const y = order(b);
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
      return a.label.localeCompare(b.label);
    })[0]!;
    let confidence = best.confidence;
    let reason = `${best.label}: ${best.result.match === "cannot-compare" ? "cannot compare: " : ""}${best.result.reason}`;
    const distro = g.fixedByDistro[0];
    if (distro && !(best.candidate.kind === "package" && best.confidence >= 0.95)) {
      confidence = Math.min(confidence, 0.4);
      reason += `; but ${distro.label}: ${distro.result.reason}`;
    }
    const ids = new Set<string>();
    for (const r of g.records) {
      ids.add(r.id);
      for (const a of r.aliases) ids.add(a);
    }
    ids.delete(key);
    const nvd = g.records.find((r) => r.source === "nvd");
    const rec = nvd ?? best.record;
    const m: VulnMatch = {
      id: key,
      aliases: [...ids].sort(),
      fixedVersions: [
        ...new Set(g.matched.filter((e) => e.result.match === true).flatMap((e) => fixedOf(e.candidate))),
      ],
      confidence: Math.round(confidence * factor * 100) / 100,
      reason,
    };
    const summary = rec.summary ?? g.records.find((r) => r.summary)?.summary;
    if (summary) m.summary = summary;
    const withScore = g.records.find((r) => r.cvss4?.score !== undefined);
    const v3 = (nvd?.cvss3 ? nvd : g.records.find((r) => r.cvss3))?.cvss3;
    if (withScore?.cvss4)
      m.severity = { score: withScore.cvss4.score, version: "4.0", vector: withScore.cvss4.vector };
    else if (v3) m.severity = { score: v3.score, version: v3.version, vector: v3.vector };
    else {
      const v4 = g.records.find((r) => r.cvss4)?.cvss4;
      if (v4) m.severity = { version: "4.0", vector: v4.vector };
    }
    if (CVE.test(key)) {
      const e = epsses.get(key);
      if (e)
        m.epss = e.date
          ? { score: e.score, percentile: e.percentile, date: e.date }
          : { score: e.score, percentile: e.percentile };
      const k = kevs.get(key);
      if (k) {
        m.kev = { dateAdded: k.dateAdded, ransomware: k.knownRansomwareCampaignUse === "Known" };
        if (k.dueDate) m.kev.dueDate = k.dueDate;
      }
      const vex = withVex ? vexFor(db, key, component, id) : undefined;
      if (vex) m.vex = vex;
    }
    out.push(m);
  }
  return out.sort(
    (a, b) =>
      Number(!!b.kev) - Number(!!a.kev) ||
      (b.severity?.score ?? -1) - (a.severity?.score ?? -1) ||
      a.id.localeCompare(b.id),
  );
}
