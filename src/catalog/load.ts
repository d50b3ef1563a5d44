// Load the catalog from YAML, validate each file against its schema, then check the references
// between files (mapped requirements exist, conditions and sources are declared, label levels name
// real tags). Every problem names its file, line and column.
import { readdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError, type Problem } from "../util/problems.js";
import { sha256 } from "../util/hash.js";
import { parseWithSchema, positionOf, readYamlSource, type YamlSource } from "../util/yaml-source.js";
import { Baseline, Regime, type BaselineT, type RegimeT, type RequirementT } from "./schema.js";

export interface Catalog {
  version: string;
  /** sha256 over every catalog file, so an assessment records exactly which catalog judged it. */
  digest: string;
  baseline: BaselineT;
  regimes: RegimeT[];
  requirement(id: string): RequirementT | undefined;
  regime(id: string): RegimeT | undefined;
}

/** The catalog shipped with Concord: <package root>/catalog, from both src/ and dist/. */
export function defaultCatalogDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "catalog");
}

const cache = new Map<string, Catalog>();

export function loadCatalog(dir = defaultCatalogDir()): Catalog {
  const hit = cache.get(dir);
  if (hit) return hit;
  const problems: Problem[] = [];
  const baselineSrc = readYamlSource(join(dir, "baseline.yaml"));
  const b = parseWithSchema(baselineSrc, Baseline);
  problems.push(...b.problems);

  const regimeDir = join(dir, "regimes");
  const files = readdirSync(regimeDir)
    .filter((f) => f.endsWith(".yaml"))
    .sort();
  const regimes: { src: YamlSource; value: RegimeT }[] = [];
  for (const f of files) {
    const src = readYamlSource(join(regimeDir, f));
    const r = parseWithSchema(src, Regime);
    problems.push(...r.problems);
    if (r.value) regimes.push({ src, value: r.value });
  }
  if (b.value) {
    problems.push(...checkBaseline(baselineSrc, b.value));
    for (const r of regimes) problems.push(...checkRegime(r.src, r.value, b.value));
  }
  if (problems.length > 0 || !b.value) throw new InputError(problems, `the catalog in ${dir} has ${problems.length} problem(s)`);

  const baseline = b.value;
  const digest = sha256([baselineSrc, ...regimes.map((r) => r.src)].map((s) => `${basename(s.file)}\n${sha256(s.text)}`).join("\n"));
  const reqIndex = new Map(baseline.requirements.map((r) => [r.id, r]));
  const regimeIndex = new Map(regimes.map((r) => [r.value.id, r.value]));
  const catalog: Catalog = {
    version: baseline.version,
    digest,
    baseline,
    regimes: regimes.map((r) => r.value),
    requirement: (id) => reqIndex.get(id),
    regime: (id) => regimeIndex.get(id),
  };
  cache.set(dir, catalog);
  return catalog;
}

function duplicates(ids: string[]): Set<string> {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const id of ids) (seen.has(id) ? dup : seen).add(id);
  return dup;
}

function checkBaseline(src: YamlSource, b: BaselineT): Problem[] {
  const out: Problem[] = [];
  const at = (path: PropertyKey[], message: string, fix: string) => out.push({ file: src.file, ...positionOf(src, path), message, fix });
  const conditions = new Set(b.conditions.map((c) => c.id));
  const sources = new Set(b.sources.map((s) => s.id));
  for (const d of duplicates(b.requirements.map((r) => r.id))) at(["requirements"], `requirement id ${d} is used twice`, "give each requirement its own id");
  for (const d of duplicates(b.conditions.map((c) => c.id))) at(["conditions"], `condition id ${d} is used twice`, "merge or rename");
  b.requirements.forEach((r, i) => {
    r.appliesWhen?.forEach((c, j) => {
      if (!conditions.has(c.replace(/^!/, "")))
        at(["requirements", i, "appliesWhen", j], `unknown condition "${c}"`, `declare it under conditions, or use one of: ${[...conditions].join(", ")}`);
    });
    r.groundedIn.forEach((g, j) => {
      const sourceId = g.split(":")[0] ?? "";
      if (!sources.has(sourceId) && !sourceId.includes("-")) at(["requirements", i, "groundedIn", j], `"${g}" does not start with a source id`, "write it as <source id>:<clause>");
    });
  });
  return out;
}

function checkRegime(src: YamlSource, r: RegimeT, b: BaselineT): Problem[] {
  const out: Problem[] = [];
  const at = (path: PropertyKey[], message: string, fix: string) => out.push({ file: src.file, ...positionOf(src, path), message, fix });
  const fileId = basename(src.file, ".yaml");
  if (r.id !== fileId) at(["id"], `regime id "${r.id}" differs from the file name "${fileId}"`, `rename the file to ${r.id}.yaml or set id: ${fileId}`);
  const requirements = new Set(b.requirements.map((q) => q.id));
  const conditions = new Set(b.conditions.map((c) => c.id));
  const sources = new Set([...r.sources.map((s) => s.id), ...b.sources.map((s) => s.id)]);
  const knownSource = (s: string) => sources.has(s) || /^https?:\/\//.test(s);
  const checkConditions = (list: string[] | undefined, path: PropertyKey[]) =>
    list?.forEach((c, j) => {
      if (!conditions.has(c.replace(/^!/, ""))) at([...path, j], `unknown condition "${c}"`, `use a condition id from catalog/baseline.yaml: ${[...conditions].join(", ")}`);
    });
  checkConditions(r.appliesWhen, ["appliesWhen"]);
  for (const d of duplicates(r.provisions.map((p) => p.id))) at(["provisions"], `provision id "${d}" is used twice`, "each provision needs its own id");
  for (const d of duplicates(r.sources.map((s) => s.id))) at(["sources"], `source id "${d}" is used twice`, "each source needs its own id");
  r.dates.forEach((d, i) => {
    if (d.source && !knownSource(d.source)) at(["dates", i, "source"], `unknown source "${d.source}"`, "declare it under sources");
  });
  const tags = new Set<string>();
  r.provisions.forEach((p, i) => {
    p.tags?.forEach((t) => tags.add(t));
    checkConditions(p.condition, ["provisions", i, "condition"]);
    if (!knownSource(p.source)) at(["provisions", i, "source"], `unknown source "${p.source}"`, "declare it under sources, or use a URL");
    p.maps.forEach((m, j) => {
      if (!requirements.has(m.requirement))
        at(["provisions", i, "maps", j, "requirement"], `unknown core requirement "${m.requirement}"`, "use a requirement id from catalog/baseline.yaml");
      if (!knownSource(m.source)) at(["provisions", i, "maps", j, "source"], `unknown source "${m.source}"`, "declare it under sources, or use a URL");
    });
  });
  const provisionIds = new Set(r.provisions.map((p) => p.id));
  r.labels?.forEach((l, i) =>
    l.levels.forEach((lv, j) => {
      const req = lv.requires;
      if ("tags" in req)
        req.tags.forEach((t) => {
          if (!tags.has(t)) at(["labels", i, "levels", j, "requires"], `no provision carries tag "${t}"`, "tag the provisions this level needs");
        });
      if ("provisions" in req)
        req.provisions.forEach((p) => {
          if (!provisionIds.has(p)) at(["labels", i, "levels", j, "requires"], `unknown provision "${p}"`, "name a provision id of this regime");
        });
    }),
  );
  return out;
}
