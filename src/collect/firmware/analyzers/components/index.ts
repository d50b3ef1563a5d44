// Software components: what the package databases say is installed (opkg, dpkg), and what the
// binaries themselves say they are (version banners, kernel vermagic). One firmware.component
// fact per package and one per fingerprinted name and version, listing every file it was seen in.
// A banner found in a file a package owns, with the package's upstream version, corroborates that
// package instead of becoming a second component; a banner that disagrees with its package stays
// separate, since the disagreement is itself worth seeing.
//
// What could not be read (an RPM database, a database or binary over the size bound, malformed
// stanzas) is thrown at the end of analyze(): the walk records it in the image's problems under
// "components on <fs>:<path>", and everything gathered before it is kept.
import type { ComponentData } from "../../../../evidence/firmware.js";
import { FW } from "../../../../evidence/firmware.js";
import { sha256 } from "../../../../util/hash.js";
import type { Analyzer, AnalyzerContext, FileRef, FileView } from "../types.js";
import { fingerprint, type Hit } from "./fingerprints.js";
import { cpeFor, purlOf } from "./identifiers.js";
import { KERNEL_IMAGE, moduleDirHits } from "./kernel.js";
import {
  componentOfPackage,
  DPKG_STATUS,
  DPKG_STATUS_D,
  identityOfPackage,
  MAX_DB_BYTES,
  OPKG_CONTROL,
  OPKG_STATUS,
  PACKAGE_LIST,
  packageOfList,
  packagesOf,
  parseStanzas,
  RPM_DB,
  type PackageRecord,
} from "./packages.js";

const MAX_BINARY_BYTES = 64 * 1024 * 1024;
const MAX_OCCURRENCES = 1000;
const MAX_OWNED_PATHS = 1_000_000;
const LIKELY_BINARY = /(^|\/)(s?bin|lib|lib64|libexec)\/|\.so(\.[0-9.]+)?$|\.ko$/;

type Occurrence = NonNullable<ComponentData["occurrences"]>[number];

interface Group {
  best: Hit;
  occurrences: Occurrence[];
  /** First hit of each other method, for corroboratedBy. */
  others: Map<string, Hit>;
}

const isElf = (b: Uint8Array) =>
  b.length >= 4 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46;
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function isDatabase(path: string): boolean {
  return (
    OPKG_STATUS.test(path) ||
    OPKG_CONTROL.test(path) ||
    DPKG_STATUS.test(path) ||
    (DPKG_STATUS_D.test(path) && !path.endsWith(".md5sums")) ||
    PACKAGE_LIST.test(path) ||
    RPM_DB.test(path)
  );
}

function wants(f: FileRef): boolean {
  if (isDatabase(f.path)) return true;
  // Too large to scan: still wanted when it looks like a binary, so the skip is reported.
  if (f.entry.size > MAX_BINARY_BYTES) return LIKELY_BINARY.test(f.path) || KERNEL_IMAGE.test(f.path);
  if (f.entry.size < 4) return false;
  return KERNEL_IMAGE.test(f.path) || isElf(f.head());
}

/** The distribution a dpkg database belongs to, for the purl namespace: ID= of os-release. */
function debNamespace(ctx: AnalyzerContext): string {
  for (const p of ["/etc/os-release", "/usr/lib/os-release"]) {
    const e = ctx.vfs.resolve(p);
    if (e?.type !== "file" || e.size > 64 * 1024) continue;
    const id = /^ID="?([a-z0-9._-]{1,32})"?\s*$/m.exec(ctx.vfs.readText(p) ?? "")?.[1];
    if (id) return id;
  }
  return "debian";
}

export const componentsAnalyzer: Analyzer = {
  id: "components",
  version: "1",
  create() {
    const status: PackageRecord[] = [];
    const controls: PackageRecord[] = [];
    const listed = new Map<string, Owner>();
    const groups = new Map<string, Group>();
    let owned = 0;

    const addHit = (hit: Hit, occ: Occurrence) => {
      const key = `${hit.name}@${hit.version}`;
      let g = groups.get(key);
      if (!g) {
        g = { best: hit, occurrences: [], others: new Map() };
        groups.set(key, g);
      } else if (hit.confidence > g.best.confidence) {
        if (!g.others.has(g.best.method)) g.others.set(g.best.method, g.best);
        g.best = hit;
      }
      if (hit.method !== g.best.method && !g.others.has(hit.method)) g.others.set(hit.method, hit);
      if (g.occurrences.length < MAX_OCCURRENCES) g.occurrences.push(occ);
    };

    const readDatabase = (file: FileView, notes: string[]) => {
      const path = file.path;
      if (RPM_DB.test(path)) {
        notes.push("RPM database found; its packages are not read (only opkg and dpkg databases are)");
        return;
      }
      if (file.entry.size > MAX_DB_BYTES) {
        notes.push(`package database larger than ${MAX_DB_BYTES / 1024 / 1024} MiB; not read`);
        return;
      }
      const text = file.text();
      if (PACKAGE_LIST.test(path)) {
        const owner: Owner = { manager: path.includes("/dpkg/") ? "dpkg" : "opkg", ...packageOfList(path) };
        for (const line of text.split("\n")) {
          if (owned >= MAX_OWNED_PATHS) break;
          const p = line.trim();
          if (!p.startsWith("/") || p.length > 4096) continue;
          listed.set(p, owner);
          owned++;
        }
        return;
      }
      const problems: string[] = [];
      const manager = path.includes("/opkg/") ? "opkg" : "dpkg";
      const records = packagesOf(manager, parseStanzas(text, problems), path, problems);
      const into = OPKG_CONTROL.test(path) ? controls : status;
      for (const r of records) into.push(r); // not push(...records): 100k arguments can overflow
      if (problems.length) notes.push(problems.join("; "));
    };

    return {
      wants,
      analyze(file: FileView) {
        const notes: string[] = [];
        if (isDatabase(file.path)) readDatabase(file, notes);
        else if (file.entry.size > MAX_BINARY_BYTES)
          notes.push(`larger than ${MAX_BINARY_BYTES / 1024 / 1024} MiB; not fingerprinted`);
        else {
          const bytes = file.read();
          const hits = fingerprint(bytes, file.path);
          if (hits.length) {
            const digest = sha256(bytes);
            for (const h of hits)
              addHit(h, { path: file.path, sha256: digest, offset: h.offset, match: h.match });
          }
        }
        if (notes.length) throw new Error(notes.join("; "));
      },
      finish(ctx: AnalyzerContext) {
        for (const { path, hit } of moduleDirHits(ctx.vfs)) addHit(hit, { path, match: hit.match });
        const namespace = debNamespace(ctx);
        const packages = mergePackages(status, controls).map((rec) => ({
          rec,
          data: componentOfPackage(rec, namespace),
        }));
        const byName = new Map<string, (typeof packages)[number][]>();
        for (const p of packages) {
          const key = `${p.rec.manager}:${p.rec.name}`;
          const same = byName.get(key);
          if (same) same.push(p);
          else byName.set(key, [p]);
        }
        const owners = resolveOwners(listed, ctx);
        const ownerOf = (path: string) => {
          const o = owners.get(path);
          const candidates = o ? (byName.get(`${o.manager}:${o.pkg}`) ?? []) : [];
          return candidates.find((c) => o?.arch === undefined || c.rec.arch === o.arch) ?? candidates[0];
        };

        const agrees = (p: (typeof packages)[number] | undefined, g: Group) => {
          const id = p ? identityOfPackage(p.rec) : undefined;
          return id?.product === g.best.name && id.upstream === g.best.version;
        };
        // The kernel package owns no file in the root filesystem (kmod-* packages own the
        // modules), so the kernel's vermagic corroborates whichever kernel package agrees.
        const kernelPackage = (g: Group) =>
          g.best.name === "linux" ? packages.find((p) => agrees(p, g)) : undefined;

        for (const [key, g] of groups) {
          const kept: Occurrence[] = [];
          for (const occ of g.occurrences) {
            const owner = ownerOf(occ.path);
            const pkg = agrees(owner, g) ? owner : kernelPackage(g);
            if (!pkg) {
              kept.push(occ);
              continue;
            }
            const d = pkg.data;
            (d.occurrences ??= []).push(occ);
            d.corroboratedBy ??= [];
            for (const h of [g.best, ...g.others.values()])
              if (!d.corroboratedBy.some((c) => c.method === h.method))
                d.corroboratedBy.push({ method: h.method, confidence: h.confidence, match: h.match });
          }
          if (kept.length === 0) groups.delete(key);
          else g.occurrences = kept;
        }

        for (const { rec, data } of packages.sort(
          (a, b) => cmp(a.rec.name, b.rec.name) || cmp(a.rec.where, b.rec.where),
        )) {
          data.occurrences?.sort((a, b) => cmp(a.path, b.path));
          if (data.occurrences?.length === 1) data.fileSha256 = data.occurrences[0]!.sha256;
          ctx.emit({ kind: FW.component, subject: "device", data, location: rec.where });
        }
        for (const [, g] of [...groups].sort(([a], [b]) => cmp(a, b)))
          ctx.emit({
            kind: FW.component,
            subject: "device",
            data: componentOfGroup(g),
            location: locationOf(g.occurrences[0]!),
          });
      },
    };
  },
};

const locationOf = (o: Occurrence) =>
  o.offset !== undefined ? `${o.path}@0x${o.offset.toString(16)}` : o.path;

function componentOfGroup(g: Group): ComponentData {
  const occurrences = g.occurrences.sort((a, b) => cmp(a.path, b.path));
  return {
    name: g.best.name,
    version: g.best.version,
    purl: purlOf("generic", undefined, g.best.name, g.best.version),
    cpe: cpeFor(g.best.name, g.best.version),
    method: g.best.method,
    match: g.best.match,
    fileSha256: occurrences[0]!.sha256,
    confidence: g.best.confidence,
    role: g.best.role,
    occurrences,
    corroboratedBy: g.others.size
      ? [...g.others.values()]
          .sort((a, b) => cmp(a.method, b.method))
          .map((h) => ({ method: h.method, confidence: h.confidence, match: h.match }))
      : undefined,
  };
}

type Owner = { manager: "opkg" | "dpkg"; pkg: string; arch?: string };

/** List files name paths as installed; the walk sees files where links lead, so both are kept. */
function resolveOwners(listed: Map<string, Owner>, ctx: AnalyzerContext): Map<string, Owner> {
  const out = new Map(listed);
  for (const [path, owner] of listed) {
    const real = ctx.vfs.resolve(path);
    if (real?.type === "file" && !out.has(real.path)) out.set(real.path, owner);
  }
  return out;
}

/**
 * One record per installed package: the status database decides what is installed; an opkg
 * info/<pkg>.control of the same version adds what status files leave out (License, Maintainer,
 * Source). Without any status database the control files stand on their own.
 */
function mergePackages(status: PackageRecord[], controls: PackageRecord[]): PackageRecord[] {
  const out = new Map<string, PackageRecord>();
  for (const r of status) {
    const key = `${r.manager}:${r.name}:${r.arch ?? ""}`;
    if (!out.has(key)) out.set(key, r);
  }
  const opkgByName = new Map(status.filter((r) => r.manager === "opkg").map((r) => [r.name, r]));
  for (const c of controls) {
    const s = opkgByName.get(c.name);
    if (s && s.version === c.version) {
      s.license ??= c.license;
      s.maintainer ??= c.maintainer;
      s.source ??= c.source;
      s.arch ??= c.arch;
    } else if (opkgByName.size === 0 && !out.has(`opkg:${c.name}:${c.arch ?? ""}`))
      out.set(`opkg:${c.name}:${c.arch ?? ""}`, c);
  }
  return [...out.values()];
}
