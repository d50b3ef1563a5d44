// The EU declaration of conformity under the Cyber Resilience Act, laid out item by item as CRA
// Annex V lists its content (in Concord's words): product identification, manufacturer, sole
// responsibility, object of the declaration, the statement of conformity, standards and
// specifications applied, the notified body and procedure where one is involved, and the signature.
// When the assessment does not support conformity the declaration says so at the top, in red.
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

const REGIME = "eu-cra";
const TITLE = "EU declaration of conformity";
const CRA = "Regulation (EU) 2024/2847 (Cyber Resilience Act)";

export function renderEuDoc(input: DocInput): RenderedDoc {
  const a = input.assessment;
  const p = a.product;
  const { result: r, inScope } = regimeView(input, REGIME);
  const claim = claimSupport(r);
  const { failed, open } = claimGaps(r);
  const facts = factsOf(a);
  const warnings = [
    ...failed.map(
      (x) =>
        `${x.id} ${x.title}: not satisfied${x.appliesFrom ? ` (binding from ${x.appliesFrom})` : ""}. ${x.because}`,
    ),
    ...(open.length > 0
      ? [
          `Not yet shown (${open.length}): ${open.map((x) => `${x.id} (${statusWord(x.status)})`).join(", ")}.`,
        ]
      : []),
    ...(r.status === "not-applicable" ? [r.because] : []),
  ];
  const notInScope = inScope
    ? ""
    : "The EU is not among the markets in concord.yaml; this declaration was prepared on request.";

  // The procedures the product's CRA class allows, by title; which one was followed is the maker's.
  const routes = input.catalog.regime(REGIME)?.conformityRoutes ?? [];
  const routeTitle = (id: string) => routes.find((x) => x.id === id)?.title ?? id;
  const allowed = r.productClass?.conformity.map(routeTitle) ?? [];
  const firmwareVersions = facts.firmware.map((f) => f.version).filter((v): v is string => Boolean(v));

  // --- HTML ---------------------------------------------------------------------------------------
  const h: string[] = [];
  if (input.draft)
    h.push(`<div class="draft" id="draft-note">Draft for review. Not to be signed or published.</div>`);
  if (!claim.supported)
    h.push(
      alert(
        "claim-warning",
        `NOT VALID: the assessment does not support a claim of conformity with ${CRA}. Do not sign or publish this declaration.`,
        warnings,
      ),
    );
  if (notInScope) h.push(`<p class="draft" id="scope-note">${esc(notInScope)}</p>`);
  h.push(`<p>No. ${todo("a unique number for this declaration")}</p><ol class="items" id="declaration">`);
  h.push(
    `<li id="doc-1"><b>Product with digital elements.</b><dl class="fields"><dt>Name</dt><dd>${esc(p.name)}</dd><dt>Type or model</dt><dd>${p.model ? esc(p.model) : todo("type or model")}</dd><dt>Software version</dt><dd>${p.version ? esc(p.version) : todo("software version")}${firmwareVersions.length > 0 ? ` <span class="small">(firmware ${firmwareVersions.map(esc).join(", ")})</span>` : ""}</dd><dt>Batch or serial numbers</dt><dd>${todo("the batch or serial numbers covered")}</dd></dl></li>`,
  );
  h.push(
    `<li id="doc-2"><b>Manufacturer or authorised representative.</b><dl class="fields"><dt>Name</dt><dd>${esc(p.maker)}</dd><dt>Address</dt><dd>${todo("postal address")}</dd>${input.manifest?.makerCountry ? `<dt>Country</dt><dd>${esc(input.manifest.makerCountry)}</dd>` : ""}${input.manifest?.makerUrl ? `<dt>Website</dt><dd>${link(input.manifest.makerUrl)}</dd>` : ""}<dt>Authorised representative</dt><dd>${todo("name and address of the authorised representative, if one issues this declaration")}</dd></dl></li>`,
  );
  h.push(
    `<li id="doc-3">This declaration of conformity is issued under the sole responsibility of the manufacturer, ${esc(p.maker)}.</li>`,
  );
  h.push(
    `<li id="doc-4"><b>Object of the declaration.</b> ${esc(p.name)}${p.model ? `, model ${esc(p.model)}` : ""}${p.version ? `, software version ${esc(p.version)}` : ""}${input.manifest?.description ? `: ${esc(input.manifest.description)}` : ""}. ${todo("identification allowing traceability, with a photograph where appropriate")}</li>`,
  );
  h.push(
    `<li id="doc-5"><b>Statement of conformity.</b> <span id="conformity-text">The object of the declaration described above is in conformity with ${esc(CRA)}.</span> ${claim.supported ? badge("satisfied", "supported by the assessment") : badge("not-satisfied", "NOT supported by the assessment")} ${todo("any other Union harmonisation legislation the product conforms to (for example Directive 2014/53/EU)")}</li>`,
  );
  h.push(
    `<li id="doc-6"><b>Harmonised standards, common specifications or cybersecurity certification applied.</b> ${todo("references and versions of the harmonised standards, common specifications or European cybersecurity certificates used, or none")}</li>`,
  );
  h.push(
    `<li id="doc-7"><b>Conformity assessment.</b> ${r.productClass ? `CRA product class: ${esc(r.productClass.title)}. Procedures open to this class: ${allowed.map(esc).join("; ")}.` : todo("the product's CRA class (set product.craClass in concord.yaml)")} Procedure followed: ${todo("the procedure followed")}. Notified body (where one is involved): ${todo("name, number and certificate reference, or not applicable")}</li>`,
  );
  h.push(
    `<li id="doc-8"><b>Additional information.</b><div class="sign"><div>Signed for and on behalf of</div><div>${esc(p.maker)}</div><div>Place and date of issue</div><div>${todo("place and date of issue")}</div><div>Name, function</div><div>${todo("name and function of the signatory")}</div><div>Signature</div><div>${todo("signature")}</div></div></li></ol>`,
  );
  h.push(
    `<h2>Basis of this declaration in the assessment</h2><p>${badge(r.status, r.status)} ${esc(r.because)}</p><table id="provisions"><tr><th>Provision</th><th>Title</th><th>Level</th><th>Assessment</th><th>Binding from</th></tr>${r.provisions.map((x) => `<tr data-provision="${esc(x.id)}"><td class="id">${esc(x.id)}</td><td>${esc(x.title)}</td><td>${esc(x.level)}</td><td class="status">${badge(x.status)}</td><td>${esc(x.appliesFrom ?? "now")}</td></tr>`).join("")}</table>`,
  );
  const html = page({
    title: TITLE,
    subtitle: `${p.name} · ${productLine(a)} · prepared from the assessment as of ${a.asOf}`,
    body: h.join("\n"),
    a,
  });

  // --- Markdown -----------------------------------------------------------------------------------
  const m: string[] = [`# ${md(TITLE)}: ${md(p.name)}`, "", md(productLine(a)), ""];
  if (input.draft) m.push("_Draft for review. Not to be signed or published._", "");
  if (!claim.supported)
    m.push(
      mdAlert(
        `NOT VALID: the assessment does not support a claim of conformity with ${CRA}. Do not sign or publish this declaration.`,
        warnings,
      ),
      "",
    );
  if (notInScope) m.push(`_${md(notInScope)}_`, "");
  m.push(
    `No. ${mdTodo("a unique number for this declaration")}`,
    "",
    "1. **Product with digital elements.**",
    `   Name: ${md(p.name)}; type or model: ${p.model ? md(p.model) : mdTodo("type or model")}; software version: ${p.version ? md(p.version) : mdTodo("software version")}; batch or serial numbers: ${mdTodo("the batch or serial numbers covered")}.`,
    "2. **Manufacturer or authorised representative.**",
    `   ${md(p.maker)}; address: ${mdTodo("postal address")}${input.manifest?.makerCountry ? `; country: ${md(input.manifest.makerCountry)}` : ""}${input.manifest?.makerUrl ? `; website: ${md(input.manifest.makerUrl)}` : ""}; authorised representative: ${mdTodo("name and address, if one issues this declaration")}.`,
    `3. This declaration of conformity is issued under the sole responsibility of the manufacturer, ${md(p.maker)}.`,
    `4. **Object of the declaration.** ${md(p.name)}${p.model ? `, model ${md(p.model)}` : ""}${p.version ? `, software version ${md(p.version)}` : ""}${input.manifest?.description ? `: ${md(input.manifest.description)}` : ""}. ${mdTodo("identification allowing traceability, with a photograph where appropriate")}`,
    `5. **Statement of conformity.** The object of the declaration described above is in conformity with ${md(CRA)}. ${claim.supported ? "_(Supported by the assessment.)_" : "**(NOT supported by the assessment.)**"} ${mdTodo("any other Union harmonisation legislation the product conforms to")}`,
    `6. **Harmonised standards, common specifications or cybersecurity certification applied.** ${mdTodo("references and versions, or none")}`,
    `7. **Conformity assessment.** ${r.productClass ? `CRA product class: ${md(r.productClass.title)}. Procedures open to this class: ${allowed.map(md).join("; ")}.` : mdTodo("the product's CRA class")} Procedure followed: ${mdTodo("the procedure followed")}. Notified body: ${mdTodo("name, number and certificate reference, or not applicable")}`,
    `8. **Additional information.** Signed for and on behalf of ${md(p.maker)}. Place and date of issue: ${mdTodo("place and date")}. Name, function: ${mdTodo("name and function")}. Signature: ${mdTodo("signature")}.`,
    "",
    "## Basis of this declaration in the assessment",
    "",
    `${md(r.status)}: ${md(r.because)}`,
    "",
    mdTable(
      ["Provision", "Title", "Level", "Assessment", "Binding from"],
      r.provisions.map((x) => [
        md(x.id),
        md(x.title),
        x.level,
        md(statusWord(x.status)),
        md(x.appliesFrom ?? "now"),
      ]),
    ),
    "",
    mdFooter(a),
  );
  return { kind: "eu-doc", title: TITLE, html, markdown: `${m.join("\n")}\n`, claim };
}
