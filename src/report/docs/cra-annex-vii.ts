// A skeleton of the CRA technical documentation, one section per item of Annex VII (in Concord's
// words), pre-filled with what the assessment knows: the product and its software versions, the
// artifacts and endpoints examined, the SBOM and disclosure facts, the support period, the status
// of every Annex I and Annex II provision, and the assessment itself as a test record. Everything
// else is marked for the manufacturer to add.
import type { ProvisionResult } from "../../assess/types.js";
import { KIND, type ArtifactData } from "../../evidence/kinds.js";
import { factsOf, provisionEvidence, regimeView, verdictOf } from "./facts.js";
import {
  badge,
  esc,
  link,
  md,
  mdFooter,
  mdTable,
  mdTodo,
  page,
  productLine,
  statusWord,
  todo,
} from "./layout.js";
import type { DocInput, RenderedDoc } from "./types.js";

const REGIME = "eu-cra";
const TITLE = "CRA technical documentation (Annex VII)";

const GROUPS = {
  partI: (p: ProvisionResult) => p.id.startsWith("AnnexI.PI."),
  partII: (p: ProvisionResult) => p.id.startsWith("AnnexI.PII."),
  annexII: (p: ProvisionResult) => p.id.startsWith("AnnexII."),
  articles: (p: ProvisionResult) => p.id.startsWith("Art"),
};

export function renderCraAnnexVii(input: DocInput): RenderedDoc {
  const a = input.assessment;
  const p = a.product;
  const { result: r, inScope } = regimeView(input, REGIME);
  const facts = factsOf(a);
  const apps = a.evidence
    .filter((e) => e.kind === KIND.artifact)
    .map((e) => e.data as ArtifactData)
    .filter((d) => d.type === "app");
  const sboms = a.inputs.filter((i) => i.role === "sbom");
  const standards = a.regimes.filter((x) => x.kind === "standard" || x.kind === "harmonised-standard");
  const group = (f: (p: ProvisionResult) => boolean) => r.provisions.filter(f);
  const v = (id: string) => verdictOf(a, id);
  const d = facts.disclosure;
  const s = facts.support;

  const table = (id: string, rows: ProvisionResult[]) =>
    rows.length === 0
      ? `<p class="small">The assessment holds no provisions here${r.status === "not-applicable" ? ` (${esc(r.because)})` : ""}.</p>`
      : `<table id="${id}"><tr><th>Provision</th><th>Title</th><th>Assessment</th><th>Why, and the evidence</th></tr>${rows
          .map((x) => {
            const ev = provisionEvidence(a, REGIME, x);
            return `<tr data-provision="${esc(x.id)}"><td class="id">${esc(x.id)}</td><td>${esc(x.title)}</td><td class="status">${badge(x.status)}</td><td>${esc(x.because)}${x.residue ? `<br><span class="small">Still to show: ${esc(x.residue)}</span>` : ""}${ev.length > 0 ? `<br><span class="small">Evidence: ${ev.map(esc).join("; ")}</span>` : ""}</td></tr>`;
          })
          .join("")}</table>`;
  const mdRows = (rows: ProvisionResult[]) =>
    mdTable(
      ["Provision", "Title", "Assessment", "Why"],
      rows.map((x) => [md(x.id), md(x.title), md(statusWord(x.status)), md(x.because)]),
    );
  const verdictLine = (id: string) => {
    const x = v(id);
    return x ? `${badge(x.status)} <b>${esc(id)}</b> ${esc(x.title)}: ${esc(x.because)}` : "";
  };
  const mdVerdict = (id: string) => {
    const x = v(id);
    return x ? `${md(id)} ${md(x.title)}: **${md(statusWord(x.status))}**. ${md(x.because)}` : "";
  };

  // --- HTML ---------------------------------------------------------------------------------------
  const h: string[] = [];
  if (!inScope)
    h.push(
      `<p class="draft" id="scope-note">The EU is not among the markets in concord.yaml; this skeleton was prepared on request.</p>`,
    );
  h.push(
    `<p>Status of the CRA in the assessment: ${badge(r.status, r.status)} ${esc(r.because)}</p><p class="small">This is a skeleton: it collects what the assessment knows under each heading of Annex VII. The technical documentation is the manufacturer's; complete every marked item and keep the file for the period the Regulation requires.</p>`,
  );

  h.push(`<section id="s1"><h2>1. General description of the product</h2>`);
  h.push(
    `<h3>1(a) Intended purpose</h3><p>${input.manifest?.description ? esc(input.manifest.description) : todo("the intended purpose")} <span class="small">(category: ${esc(p.category)}${p.craClass ? `; CRA class: ${esc(p.craClass)}` : ""})</span></p>`,
  );
  h.push(
    `<h3>1(b) Software versions affecting compliance</h3><ul id="versions">${p.version ? `<li>Product software ${esc(p.version)}</li>` : ""}${facts.firmware.map((f) => `<li>Firmware image ${esc(f.path ?? "")}${f.version ? ` version ${esc(f.version)}` : ""}${f.sha256 ? ` <code>sha256 ${esc(f.sha256)}</code>` : ""}</li>`).join("")}</ul>${p.version || facts.firmware.length > 0 ? "" : todo("the software versions")}`,
  );
  h.push(
    `<h3>1(c) Hardware: external features, marking and internal layout</h3><p>${todo("photographs or illustrations of the external features, marking and internal layout")}</p>`,
  );
  h.push(
    `<h3>1(d) User information and instructions (Annex II)</h3>${table("annex-ii", group(GROUPS.annexII))}<p>${todo("the user information and instructions themselves")}</p></section>`,
  );

  h.push(
    `<section id="s2"><h2>2. Design, development, production and vulnerability handling</h2><h3>2(a) Design, development and system architecture</h3><p>Parts the assessment examined:</p><ul id="components">${facts.firmware.map((f) => `<li>Firmware ${esc(f.path ?? "")}</li>`).join("")}${apps.map((x) => `<li>Companion app ${esc(x.path ?? appName(x))}${typeof x.detail?.platform === "string" ? ` (${esc(x.detail.platform)})` : ""}</li>`).join("")}${facts.cloud.map((c) => `<li>Remote data processing: ${esc(c.url)}${c.purpose ? ` (${esc(c.purpose)})` : ""}</li>`).join("")}</ul><p>${todo("the system architecture: how the software components build on or feed into each other, with drawings and schemes where applicable")}</p>`,
  );
  h.push(
    `<h3>2(b) Vulnerability handling</h3><dl class="fields" id="vulnerability-handling"><dt>Software bill of materials</dt><dd>${sboms.length > 0 ? sboms.map((x) => `${esc(x.path)} <code>sha256 ${esc(x.sha256)}</code>`).join("<br>") : todo("the SBOM")}</dd><dt>Coordinated vulnerability disclosure policy</dt><dd>${d?.policy ? link(d.policy) : todo("the disclosure policy")}</dd><dt>Contact for reporting vulnerabilities</dt><dd>${d?.contact ? link(d.contact) : todo("the reporting contact address, and evidence that it is provided")}</dd><dt>Secure distribution of updates</dt><dd>${verdictLine("UPD-02")}<br>${verdictLine("UPD-03")}<br>${todo("a description of the technical solutions chosen")}</dd></dl>${table("annex-i-part-ii", group(GROUPS.partII))}`,
  );
  h.push(
    `<h3>2(c) Production and monitoring processes</h3><p>${todo("the production and monitoring processes and how they are validated")}</p></section>`,
  );

  h.push(
    `<section id="s3"><h2>3. Cybersecurity risk assessment</h2><p>${verdictLine("ORG-01")}</p><p>${todo("the risk assessment, and for each Annex I Part I requirement why it applies or, if not, the justification")}</p><p>How the assessment judged each essential requirement:</p>${table("annex-i-part-i", group(GROUPS.partI))}<h3>Obligations of Articles 13 and 14 that the assessment tracks</h3>${table("articles", group(GROUPS.articles))}</section>`,
  );

  h.push(
    `<section id="s4"><h2>4. Determination of the support period</h2><p id="support">${s === undefined ? todo("the support period") : s.until === "none" ? `${badge("not-satisfied", "no defined support period")} concord.yaml declares <code>support.until: none</code>.` : `Support period declared until <b>${esc(s.until)}</b>${s.publishedAt ? `, published at ${link(s.publishedAt)}` : ""}${s.freeOfCharge === true ? "; updates free of charge" : ""}.`}</p><p>${todo("the information taken into account to determine the support period")}</p></section>`,
  );

  h.push(
    `<section id="s5"><h2>5. Harmonised standards, common specifications and certification</h2><p>${todo("the harmonised standards, common specifications or European cybersecurity certification schemes applied, in full or in part (naming the parts), or the solutions adopted where none was applied")}</p>${standards.length > 0 ? `<p>Other technical specifications the assessment judged the product against:</p><table id="standards"><tr><th>Specification</th><th>Assessment</th><th>Why</th></tr>${standards.map((x) => `<tr data-regime="${esc(x.regime)}"><td>${esc(x.name)}</td><td class="status">${badge(x.status, x.status)}</td><td>${esc(x.because)}</td></tr>`).join("")}</table>` : ""}</section>`,
  );

  h.push(
    `<section id="s6"><h2>6. Reports of the tests carried out</h2><p id="concord-run">Concord ${esc(a.tool.version)} assessment, judged as of ${esc(a.asOf)} with catalog ${esc(a.catalog.version)} (digest <code>${esc(a.catalog.digest)}</code>): ${a.summary.requirements.satisfied} requirements satisfied, ${a.summary.requirements["not-satisfied"]} not satisfied, ${a.summary.requirements.partial} partial, ${a.summary.requirements.unknown} unknown, ${a.summary.requirements["not-applicable"]} not applicable; ${a.findings.length} findings.</p><table id="inputs"><tr><th>Input</th><th>Path</th><th>sha256</th></tr>${a.inputs.map((i) => `<tr><td>${esc(i.role)}</td><td>${esc(i.path)}</td><td><code>${esc(i.sha256)}</code></td></tr>`).join("")}</table>${facts.attestations.length > 0 ? `<p>Attestations the assessment relied on:</p><ul id="attestations">${facts.attestations.map((x) => `<li><b>${esc(x.requirement ?? x.provision ?? "")}</b> ${esc(x.claim)}, by ${esc(x.by.name)}${x.by.role ? ` (${esc(x.by.role)})` : ""} on ${esc(x.date)}${x.validUntil ? `, valid until ${esc(x.validUntil)}` : ""}: ${esc(x.statement)}</li>`).join("")}</ul>` : ""}<p>${todo("reports of the tests that verify conformity with Annex I Parts I and II (laboratory, penetration and process audits)")}</p></section>`,
  );
  h.push(
    `<section id="s7"><h2>7. EU declaration of conformity</h2><p>${todo("a copy of the signed EU declaration of conformity")} <span class="small">(<code>concord docs eu-doc</code> prepares a draft)</span></p></section>`,
  );
  h.push(
    `<section id="s8"><h2>8. Software bill of materials (on request of a market surveillance authority)</h2><p>${sboms.length > 0 ? sboms.map((x) => esc(x.path)).join(", ") : todo("the SBOM")}</p></section>`,
  );
  const html = page({
    title: TITLE,
    subtitle: `${p.name} · ${productLine(a)} · prepared from the assessment as of ${a.asOf}`,
    body: h.join("\n"),
    a,
  });

  // --- Markdown -----------------------------------------------------------------------------------
  const m: string[] = [`# ${md(TITLE)}: ${md(p.name)}`, "", md(productLine(a)), ""];
  if (!inScope)
    m.push("_The EU is not among the markets in concord.yaml; this skeleton was prepared on request._", "");
  m.push(`Status of the CRA in the assessment: **${md(r.status)}**. ${md(r.because)}`, "");
  m.push(
    "## 1. General description of the product",
    "",
    `**1(a) Intended purpose.** ${input.manifest?.description ? md(input.manifest.description) : mdTodo("the intended purpose")} (category: ${md(p.category)}${p.craClass ? `; CRA class: ${md(p.craClass)}` : ""})`,
    "",
    "**1(b) Software versions affecting compliance.**",
    "",
    ...(p.version ? [`- Product software ${md(p.version)}`] : []),
    ...facts.firmware.map(
      (f) =>
        `- Firmware image ${md(f.path ?? "")}${f.version ? ` version ${md(f.version)}` : ""}${f.sha256 ? ` (sha256 ${f.sha256})` : ""}`,
    ),
    ...(p.version || facts.firmware.length > 0 ? [] : [mdTodo("the software versions")]),
    "",
    `**1(c) Hardware.** ${mdTodo("photographs or illustrations of the external features, marking and internal layout")}`,
    "",
    "**1(d) User information and instructions (Annex II).**",
    "",
    mdRows(group(GROUPS.annexII)),
    "",
    "## 2. Design, development, production and vulnerability handling",
    "",
    `**2(a) System architecture.** ${mdTodo("how the software components build on or feed into each other, with drawings where applicable")}`,
    "",
    ...facts.firmware.map((f) => `- Firmware ${md(f.path ?? "")}`),
    ...apps.map((x) => `- Companion app ${md(x.path ?? appName(x))}`),
    ...facts.cloud.map(
      (c) => `- Remote data processing: ${md(c.url)}${c.purpose ? ` (${md(c.purpose)})` : ""}`,
    ),
    "",
    "**2(b) Vulnerability handling.**",
    "",
    `- Software bill of materials: ${sboms.length > 0 ? sboms.map((x) => `${md(x.path)} (sha256 ${x.sha256})`).join(", ") : mdTodo("the SBOM")}`,
    `- Coordinated vulnerability disclosure policy: ${d?.policy ? md(d.policy) : mdTodo("the disclosure policy")}`,
    `- Contact for reporting vulnerabilities: ${d?.contact ? md(d.contact) : mdTodo("the reporting contact address")}`,
    `- Secure distribution of updates: ${mdVerdict("UPD-02")} ${mdVerdict("UPD-03")} ${mdTodo("a description of the technical solutions chosen")}`,
    "",
    mdRows(group(GROUPS.partII)),
    "",
    `**2(c) Production and monitoring.** ${mdTodo("the production and monitoring processes and how they are validated")}`,
    "",
    "## 3. Cybersecurity risk assessment",
    "",
    mdVerdict("ORG-01"),
    "",
    mdTodo(
      "the risk assessment, and for each Annex I Part I requirement why it applies or the justification if not",
    ),
    "",
    mdRows(group(GROUPS.partI)),
    "",
    "Obligations of Articles 13 and 14 that the assessment tracks:",
    "",
    mdRows(group(GROUPS.articles)),
    "",
    "## 4. Determination of the support period",
    "",
    s === undefined
      ? mdTodo("the support period")
      : s.until === "none"
        ? "**No defined support period:** concord.yaml declares `support.until: none`."
        : `Support period declared until **${md(s.until)}**${s.publishedAt ? `, published at ${md(s.publishedAt)}` : ""}.`,
    "",
    mdTodo("the information taken into account to determine the support period"),
    "",
    "## 5. Harmonised standards, common specifications and certification",
    "",
    mdTodo("the standards, common specifications or certification schemes applied, or the solutions adopted"),
    "",
    ...(standards.length > 0
      ? [
          mdTable(
            ["Specification", "Assessment", "Why"],
            standards.map((x) => [md(x.name), md(x.status), md(x.because)]),
          ),
          "",
        ]
      : []),
    "## 6. Reports of the tests carried out",
    "",
    `Concord ${md(a.tool.version)} assessment, judged as of ${md(a.asOf)} with catalog ${md(a.catalog.version)} (digest \`${a.catalog.digest}\`).`,
    "",
    mdTable(
      ["Input", "Path", "sha256"],
      a.inputs.map((i) => [md(i.role), md(i.path), `\`${i.sha256}\``]),
    ),
    "",
    mdTodo("reports of the tests that verify conformity with Annex I Parts I and II"),
    "",
    "## 7. EU declaration of conformity",
    "",
    mdTodo("a copy of the signed EU declaration of conformity"),
    "",
    "## 8. Software bill of materials (on request)",
    "",
    sboms.length > 0 ? sboms.map((x) => md(x.path)).join(", ") : mdTodo("the SBOM"),
    "",
    mdFooter(a),
  );
  return { kind: "cra-annex-vii", title: TITLE, html, markdown: `${m.join("\n")}\n` };
}

/** An app by its file, or its store id when no file was given. */
function appName(x: ArtifactData): string {
  const id = x.detail?.id;
  return x.path ?? (typeof id === "string" ? id : "companion app");
}
