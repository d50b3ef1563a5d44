// The ETSI EN 303 645 implementation conformance statement: the Annex B (Table B.1) pro forma, one
// row per provision with its status (M or R, C when conditional, with the condition numbers), whether
// it is supported (Yes, No, N/A) and the justification and evidence behind that answer, all taken
// from the assessment's per-provision results. A provision the assessment could not decide is left
// for the manufacturer to answer, never answered for it.
import type { ProvisionResult, VerdictStatus } from "../../assess/types.js";
import type { Catalog } from "../../catalog/load.js";
import { provisionEvidence, regimeView, verdictOf } from "./facts.js";
import { badge, esc, md, mdFooter, mdTable, mdTodo, page, productLine, statusWord, todo } from "./layout.js";
import type { DocInput, RenderedDoc } from "./types.js";

const REGIME = "etsi-en-303-645";
const TITLE = "ETSI EN 303 645 implementation conformance statement";

/** Clause headings of EN 303 645 V2.1.1, to group the rows as Table B.1 does. */
const CLAUSES: Record<string, string> = {
  "5.1": "No universal default passwords",
  "5.2": "Implement a means to manage reports of vulnerabilities",
  "5.3": "Keep software updated",
  "5.4": "Securely store sensitive security parameters",
  "5.5": "Communicate securely",
  "5.6": "Minimize exposed attack surfaces",
  "5.7": "Ensure software integrity",
  "5.8": "Ensure that personal data is secure",
  "5.9": "Make systems resilient to outages",
  "5.10": "Examine system telemetry data",
  "5.11": "Make it easy for users to delete user data",
  "5.12": "Make installation and maintenance of devices easy",
  "5.13": "Validate input data",
  "6": "Data protection provisions for consumer IoT",
};

const clauseOf = (id: string) => id.split("-")[0] ?? id;

/**
 * Table B.1 numbers its conditions; the baseline records the number in each condition's source
 * ("etsi-en-303-645:Table B.1 condition N"). Condition 5, "the device is not constrained", is the
 * negation of condition 4 and is written "!constrained" in the catalog (see the regime's notes).
 */
export function conditionNumbers(catalog: Catalog): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of catalog.baseline.conditions) {
    const m = /^etsi-en-303-645:Table B\.1 condition (\d+)$/.exec(c.source ?? "");
    if (m?.[1]) out.set(c.id, Number(m[1]));
  }
  if (out.get("constrained") === 4) out.set("!constrained", 5);
  return out;
}

/** The Table B.1 status: M or R, then C and the condition numbers when conditional. */
export function icsStatus(
  level: "mandatory" | "recommended",
  condition: string[] | undefined,
  numbers: Map<string, number>,
): string {
  const base = level === "mandatory" ? "M" : "R";
  if (!condition || condition.length === 0) return base;
  const refs = condition.map((c) => (numbers.has(c) ? String(numbers.get(c)) : c));
  return `${base} C (${refs.join(", ")})`;
}

/** The Support column: only what the assessment decided; the rest is left to the manufacturer. */
export const SUPPORT: Partial<Record<VerdictStatus, string>> = {
  satisfied: "Yes",
  "not-satisfied": "No",
  "not-applicable": "N/A",
};

const TODO_SUPPORT = "Yes or No, once shown";

export function renderEtsiIcs(input: DocInput): RenderedDoc {
  const a = input.assessment;
  const p = a.product;
  const { result: r, inScope } = regimeView(input, REGIME);
  const regime = input.catalog.regime(REGIME);
  const numbers = conditionNumbers(input.catalog);
  const conditionOf = new Map(regime?.provisions.map((x) => [x.id, x.condition]) ?? []);
  const titles = new Map(input.catalog.baseline.conditions.map((c) => [c.id, c.title]));
  const status = (x: ProvisionResult) => icsStatus(x.level, conditionOf.get(x.id), numbers);
  const conditionText = (x: ProvisionResult) =>
    (conditionOf.get(x.id) ?? [])
      .map((c) => (c.startsWith("!") ? `not: ${titles.get(c.slice(1)) ?? c}` : (titles.get(c) ?? c)))
      .join("; ");
  const requirementsText = (x: ProvisionResult) =>
    x.requirements.map((q) => `${q.id} (${q.relation}): ${statusWord(q.status)}`).join("; ");
  const detail = (x: ProvisionResult) => {
    const parts = [x.because];
    if (x.residue) parts.push(`Still to show: ${x.residue}`);
    for (const q of x.requirements) {
      const v = verdictOf(a, q.id);
      // The requirement's own reason adds something only when the provision's reason points at it.
      if (v && x.because.includes(q.id) && v.status !== "not-applicable") parts.push(`${q.id}: ${v.because}`);
    }
    return parts;
  };

  const counts = (level: "mandatory" | "recommended") => {
    const rows = r.provisions.filter((x) => x.level === level);
    const n = (s: string) => rows.filter((x) => SUPPORT[x.status] === s).length;
    return {
      total: rows.length,
      yes: n("Yes"),
      no: n("No"),
      na: n("N/A"),
      open: rows.filter((x) => !SUPPORT[x.status]).length,
    };
  };
  const mc = counts("mandatory");
  const rc = counts("recommended");
  // Table B.1's numbered conditions in number order, with whether each holds and who said so.
  const etsiConditions = [...numbers.entries()]
    .map(([ref, no]) => {
      const id = ref.replace(/^!/, "");
      const c = a.conditions[id];
      const negated = ref.startsWith("!");
      return {
        ref,
        no,
        title:
          ref === "!constrained"
            ? "The device is not constrained"
            : negated
              ? `Does not hold: ${titles.get(id) ?? id}`
              : (titles.get(id) ?? id),
        holds: c === undefined ? undefined : negated ? !c.value : c.value,
        from: c?.from === "manifest" ? "concord.yaml" : "Concord's default",
      };
    })
    .sort((x, y) => x.no - y.no);
  const holds = (v: boolean | undefined) => (v === undefined ? "?" : v ? "yes" : "no");

  // --- HTML ---------------------------------------------------------------------------------------
  const h: string[] = [];
  if (!inScope)
    h.push(
      `<p class="draft" id="scope-note">EN 303 645 is not among the regimes the manifest's markets bring in; this statement was prepared on request.</p>`,
    );
  h.push(
    `<h2>Identification</h2><dl class="fields" id="identification"><dt>Product</dt><dd>${esc(p.name)}</dd><dt>Manufacturer</dt><dd>${esc(p.maker)}</dd><dt>Model</dt><dd>${p.model ? esc(p.model) : todo("model")}</dd><dt>Software version</dt><dd>${p.version ? esc(p.version) : todo("software version")}</dd><dt>Standard</dt><dd>${esc(regime?.name ?? REGIME)} ${esc(regime?.version ?? "")}</dd><dt>Completed by</dt><dd>${todo("name, function and date")}</dd></dl>`,
  );
  h.push(
    `<h2>Summary</h2><p id="summary">Mandatory provisions: ${mc.total} (${mc.yes} Yes, ${mc.no} No, ${mc.na} N/A, ${mc.open} not yet shown). Recommended provisions: ${rc.total} (${rc.yes} Yes, ${rc.no} No, ${rc.na} N/A, ${rc.open} not yet shown). Assessment: ${badge(r.status, r.status)} ${esc(r.because)}</p>`,
  );
  h.push(
    `<h2>Conditions (Table B.1)</h2><table id="conditions"><tr><th>No.</th><th>Condition</th><th>Holds</th><th>Set by</th></tr>${etsiConditions.map((c) => `<tr data-condition="${esc(c.ref)}"><td>${c.no}</td><td>${esc(c.title)}</td><td>${holds(c.holds)}</td><td>${esc(c.from)}</td></tr>`).join("")}</table>`,
  );
  h.push(
    `<h2>Implementation conformance statement</h2><p class="small">Status: M mandatory, R recommended, C conditional (on the numbered conditions above). Support: Yes, No, or N/A where the provision does not apply. Rows the assessment could not decide are for the manufacturer to answer with their evidence.</p><table id="ics"><tr><th>Provision</th><th>Status</th><th>Support</th><th>Assessment</th><th>Justification and evidence</th></tr>`,
  );
  let clause = "";
  for (const x of r.provisions) {
    const c = clauseOf(x.id);
    if (c !== clause) {
      clause = c;
      h.push(`<tr class="clause"><th colspan="5">${esc(c)} ${esc(CLAUSES[c] ?? "")}</th></tr>`);
    }
    const support = SUPPORT[x.status];
    const ev = provisionEvidence(a, REGIME, x);
    const cond = conditionText(x);
    h.push(
      `<tr data-provision="${esc(x.id)}"><td class="id"><b>${esc(x.id)}</b> ${esc(x.title)}</td><td class="ics-status"${cond ? ` title="${esc(cond)}"` : ""}>${esc(status(x))}</td><td class="support">${support ? esc(support) : todo(TODO_SUPPORT)}</td><td class="status">${badge(x.status)}</td><td>${detail(x).map(esc).join("<br>")}${x.requirements.length > 0 ? `<br><span class="small">Requirements: ${esc(requirementsText(x))}</span>` : ""}${ev.length > 0 ? `<br><span class="small">Evidence: ${ev.map(esc).join("; ")}</span>` : ""}</td></tr>`,
    );
  }
  h.push(`</table>`);
  const html = page({
    title: TITLE,
    subtitle: `${p.name} · ${productLine(a)} · prepared from the assessment as of ${a.asOf}`,
    body: h.join("\n"),
    a,
  });

  // --- Markdown -----------------------------------------------------------------------------------
  const m: string[] = [`# ${md(TITLE)}: ${md(p.name)}`, "", md(productLine(a)), ""];
  if (!inScope)
    m.push(
      "_EN 303 645 is not among the regimes the manifest's markets bring in; this statement was prepared on request._",
      "",
    );
  m.push(
    `Standard: ${md(regime?.name ?? REGIME)} ${md(regime?.version ?? "")}. Completed by: ${mdTodo("name, function and date")}`,
    "",
    `Mandatory provisions: ${mc.total} (${mc.yes} Yes, ${mc.no} No, ${mc.na} N/A, ${mc.open} not yet shown). Recommended provisions: ${rc.total} (${rc.yes} Yes, ${rc.no} No, ${rc.na} N/A, ${rc.open} not yet shown).`,
    "",
    "## Conditions (Table B.1)",
    "",
    mdTable(
      ["No.", "Condition", "Holds"],
      etsiConditions.map((c) => [String(c.no), md(c.title), holds(c.holds)]),
    ),
    "",
    "## Implementation conformance statement",
    "",
    mdTable(
      ["Provision", "Status", "Support", "Assessment", "Justification and evidence"],
      r.provisions.map((x) => {
        const ev = provisionEvidence(a, REGIME, x);
        return [
          `${md(x.id)} ${md(x.title)}`,
          md(status(x)),
          SUPPORT[x.status] ?? mdTodo(TODO_SUPPORT),
          md(statusWord(x.status)),
          md([...detail(x), ...(ev.length > 0 ? [`Evidence: ${ev.join("; ")}`] : [])].join(" ")),
        ];
      }),
    ),
    "",
    mdFooter(a),
  );
  return { kind: "etsi-ics", title: TITLE, html, markdown: `${m.join("\n")}\n` };
}
