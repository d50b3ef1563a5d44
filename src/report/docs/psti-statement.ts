// The UK PSTI statement of compliance, pre-filled from the assessment. Its items follow the minimum
// content the catalog records for the statement (uk-psti provision "SoC": Act s.9, regulation 6,
// Schedule 4): product type and batch, manufacturer name and address, the manufacturer's declaration
// that the Schedule 1 security requirements are met, the defined support period, and the
// signatory's signature, name and function with the place and date of issue. Wording is Concord's.
import type { ProvisionResult } from "../../assess/types.js";
import { claimGaps, claimSupport, factsOf, regimeView } from "./facts.js";
import {
  alert,
  badge,
  esc,
  link,
  md,
  mdAlert,
  mdFooter,
  mdTable,
  mdTodo,
  page,
  productLine,
  statusWord,
  todo,
} from "./layout.js";
import type { DocInput, RenderedDoc } from "./types.js";

const REGIME = "uk-psti";
const TITLE = "UK PSTI statement of compliance";
const REGULATIONS =
  "the Product Security and Telecommunications Infrastructure (Security Requirements for Relevant Connectable Products) Regulations 2023 (SI 2023/1007), as amended";

/** Schedule 1 provisions: everything except the statement itself. */
const isSchedule1 = (p: ProvisionResult) => p.id.startsWith("Sch1-");

export function renderPstiStatement(input: DocInput): RenderedDoc {
  const a = input.assessment;
  const p = a.product;
  const { result: r, inScope } = regimeView(input, REGIME);
  const claim = claimSupport(r);
  const facts = factsOf(a);
  const provisions = r.provisions.filter(isSchedule1);
  const { failed, open } = claimGaps({ ...r, provisions });
  const warnings = [
    ...failed.map((x) => `${x.id} ${x.title}: not satisfied. ${x.because}`),
    ...open.map((x) => `${x.id} ${x.title}: ${statusWord(x.status)}. ${x.because}`),
    ...(r.status === "not-applicable" ? [r.because] : []),
  ];
  const notInScope = inScope
    ? ""
    : "The UK is not among the markets in concord.yaml; this statement was prepared on request.";

  // --- HTML ---------------------------------------------------------------------------------------
  const h: string[] = [];
  if (input.draft)
    h.push(`<div class="draft" id="draft-note">Draft for review. Not to be supplied with the product.</div>`);
  if (!claim.supported)
    h.push(
      alert(
        "claim-warning",
        "Do not issue this statement: the assessment does not support the declaration of compliance.",
        warnings,
      ),
    );
  if (notInScope) h.push(`<p class="draft" id="scope-note">${esc(notInScope)}</p>`);

  const support = facts.support;
  const supportHtml =
    support === undefined
      ? todo("the defined support period (an end date), and where it is published")
      : support.until === "none"
        ? `${badge("not-satisfied", "no defined support period")} concord.yaml declares <code>support.until: none</code>. A statement of compliance must give the defined support period; decide an end date first.`
        : `Security updates are provided at least until <b id="support-end">${esc(support.until)}</b>.${support.publishedAt ? ` Published at ${link(support.publishedAt)}.` : ` ${todo("where the support period is published")}`}`;

  h.push(`<h2>Statement</h2><ol class="items" id="statement">`);
  h.push(
    `<li id="item-product"><b>Product type and batch.</b><dl class="fields"><dt>Product</dt><dd>${esc(p.name)}</dd><dt>Type or model</dt><dd>${p.model ? esc(p.model) : todo("the product type or model designation")}</dd><dt>Software version</dt><dd>${p.version ? esc(p.version) : todo("the software version")}</dd><dt>Batch covered</dt><dd>${todo("the batch, serial number range or production period this statement covers")}</dd></dl></li>`,
  );
  h.push(
    `<li id="item-manufacturer"><b>Manufacturer.</b><dl class="fields"><dt>Name</dt><dd>${esc(p.maker)}</dd><dt>Address</dt><dd>${todo("the manufacturer's postal address")}</dd>${input.manifest?.makerCountry ? `<dt>Country</dt><dd>${esc(input.manifest.makerCountry)}</dd>` : ""}${input.manifest?.makerUrl ? `<dt>Website</dt><dd>${link(input.manifest.makerUrl)}</dd>` : ""}</dl></li>`,
  );
  h.push(
    `<li id="item-declaration"><b>Declaration.</b> <span id="declaration-text">This statement of compliance is made by or on behalf of ${esc(p.maker)}. In its opinion, ${esc(p.maker)} has complied with the security requirements that apply to the product above under Schedule 1 to ${esc(REGULATIONS)}.</span>${claim.supported ? "" : ` ${badge("not-satisfied", "not supported by the assessment")}`}
<table id="requirements"><tr><th>Provision</th><th>Requirement</th><th>Assessment</th><th>Why</th></tr>${provisions.map((x) => `<tr data-provision="${esc(x.id)}"><td class="id">${esc(x.id)}</td><td>${esc(x.title)}</td><td class="status">${badge(x.status)}</td><td>${esc(x.because)}${x.residue ? `<br><span class="small">Still to show: ${esc(x.residue)}</span>` : ""}</td></tr>`).join("")}</table></li>`,
  );
  h.push(`<li id="item-support"><b>Defined support period.</b> ${supportHtml}</li>`);
  h.push(
    `<li id="item-signature"><b>Signed for and on behalf of ${esc(p.maker)}.</b><div class="sign"><div>Name of signatory</div><div>${todo("name")}</div><div>Function</div><div>${todo("function (role) of the signatory")}</div><div>Signature</div><div>${todo("signature")}</div><div>Place of issue</div><div>${todo("place of issue")}</div><div>Date of issue</div><div>${todo("date of issue")}</div></div></li></ol>`,
  );
  const html = page({
    title: TITLE,
    subtitle: `${p.name} · ${productLine(a)} · prepared from the assessment as of ${a.asOf}`,
    body: h.join("\n"),
    a,
  });

  // --- Markdown -----------------------------------------------------------------------------------
  const m: string[] = [`# ${md(TITLE)}: ${md(p.name)}`, "", md(productLine(a)), ""];
  if (input.draft) m.push("_Draft for review. Not to be supplied with the product._", "");
  if (!claim.supported)
    m.push(
      mdAlert(
        "Do not issue this statement: the assessment does not support the declaration of compliance.",
        warnings,
      ),
      "",
    );
  if (notInScope) m.push(`_${md(notInScope)}_`, "");
  m.push(
    "## 1. Product type and batch",
    "",
    `- Product: ${md(p.name)}`,
    `- Type or model: ${p.model ? md(p.model) : mdTodo("the product type or model designation")}`,
    `- Software version: ${p.version ? md(p.version) : mdTodo("the software version")}`,
    `- Batch covered: ${mdTodo("the batch, serial number range or production period this statement covers")}`,
    "",
    "## 2. Manufacturer",
    "",
    `- Name: ${md(p.maker)}`,
    `- Address: ${mdTodo("the manufacturer's postal address")}`,
    ...(input.manifest?.makerCountry ? [`- Country: ${md(input.manifest.makerCountry)}`] : []),
    ...(input.manifest?.makerUrl ? [`- Website: ${md(input.manifest.makerUrl)}`] : []),
    "",
    "## 3. Declaration",
    "",
    `This statement of compliance is made by or on behalf of ${md(p.maker)}. In its opinion, ${md(p.maker)} has complied with the security requirements that apply to the product above under Schedule 1 to ${md(REGULATIONS)}.${claim.supported ? "" : " **(Not supported by the assessment.)**"}`,
    "",
    mdTable(
      ["Provision", "Requirement", "Assessment", "Why"],
      provisions.map((x) => [
        md(x.id),
        md(x.title),
        md(statusWord(x.status)),
        md(`${x.because}${x.residue ? ` Still to show: ${x.residue}` : ""}`),
      ]),
    ),
    "",
    "## 4. Defined support period",
    "",
    support === undefined
      ? mdTodo("the defined support period (an end date), and where it is published")
      : support.until === "none"
        ? "**No defined support period:** concord.yaml declares `support.until: none`. A statement of compliance must give the defined support period; decide an end date first."
        : `Security updates are provided at least until **${md(support.until)}**.${support.publishedAt ? ` Published at ${md(support.publishedAt)}.` : ` ${mdTodo("where the support period is published")}`}`,
    "",
    `## 5. Signed for and on behalf of ${md(p.maker)}`,
    "",
    `- Name of signatory: ${mdTodo("name")}`,
    `- Function: ${mdTodo("function (role) of the signatory")}`,
    `- Signature: ${mdTodo("signature")}`,
    `- Place of issue: ${mdTodo("place of issue")}`,
    `- Date of issue: ${mdTodo("date of issue")}`,
    "",
    mdFooter(a),
  );
  return { kind: "psti-statement", title: TITLE, html, markdown: `${m.join("\n")}\n`, claim };
}
