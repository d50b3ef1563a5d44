// A one-page security fact sheet for buyers, in the spirit of the US Cyber Trust Mark registry page
// and the IoT security and privacy label of Emami-Naeini et al.: how long updates last, how they
// arrive, the password policy, how to report a problem, and what data the product handles. Each fact
// says where it comes from (the manufacturer's declaration, or the assessment's verdict), and what
// neither knows is shown as missing rather than filled in.
import type { Assessment, VerdictStatus } from "../../assess/types.js";
import { factsOf, verdictOf } from "./facts.js";
import { badge, esc, link, page, productLine, todo } from "./layout.js";
import type { DocInput, RenderedDoc } from "./types.js";

const TITLE = "Security facts";

/** What a buyer reads for a requirement's verdict. */
const ANSWER: Record<VerdictStatus, string> = {
  satisfied: "Yes",
  "not-satisfied": "No",
  partial: "Partly shown",
  unknown: "Not shown",
  "not-applicable": "Does not apply",
};

const CSS = `
main{max-width:760px}
.label{border:3px solid #1d2430;border-radius:6px;padding:0 0 6px;margin:16px 0}
.label h2{background:#1d2430;color:#fff;margin:0;padding:6px 12px;font-size:15px;border:0}
.row{display:grid;grid-template-columns:38% 1fr;gap:4px 12px;padding:7px 12px;border-top:1px solid #d8dde4}
.row:first-of-type{border-top:0}
.k{font-weight:600}.basis{grid-column:2;font-size:11px;color:#5b6675}
.big{font-size:22px;font-weight:700}
.warn{color:#8a1313;font-weight:700}
@media print{body{font-size:11px}.sheet{display:grid;grid-template-columns:1fr 1fr;gap:0 10px}.label{margin:6px 0;break-inside:avoid}
.row{grid-template-columns:1fr;gap:1px;padding:3px 8px}.basis{grid-column:1;font-size:9.5px}.big{font-size:17px}h1{font-size:18px}
.label h2{font-size:13px;padding:3px 8px}.badge{font-size:9.5px;padding:0 5px}ul{margin:2px 0;padding-left:16px}
p{margin:6px 0}footer{margin-top:10px}}
`;

export function renderFactSheet(input: DocInput): RenderedDoc {
  const a = input.assessment;
  const p = a.product;
  const facts = factsOf(a);
  const s = facts.support;
  const d = facts.disclosure;

  const row = (id: string, key: string, value: string, basis: string) =>
    `<div class="row" data-fact="${esc(id)}"><div class="k">${esc(key)}</div><div class="v">${value}</div><div class="basis">${basis}</div></div>`;
  const declared = "Declared by the manufacturer in concord.yaml";
  const checked = (req: string) => {
    const v = verdictOf(a, req);
    return v
      ? `${badge(v.status)} Assessment of ${esc(req)} (${esc(v.title)})`
      : `Requirement ${esc(req)} not in the assessment`;
  };
  const answer = (req: string) => {
    const v = verdictOf(a, req);
    return v ? `<span class="answer">${esc(ANSWER[v.status])}</span>` : todo(req);
  };
  /** A condition only counts as a fact when the manifest set it; Concord's defaults are assumptions. */
  const declaredCondition = (id: string, yes: string, no: string, what: string) => {
    const c = a.conditions[id];
    return c?.from === "manifest" ? `<span class="answer">${esc(c.value ? yes : no)}</span>` : todo(what);
  };
  const sections: string[] = [];

  sections.push(
    `<section class="label" id="updates"><h2>Security updates</h2>${row(
      "support-end",
      "Security updates guaranteed until",
      s === undefined
        ? todo("the end date of the support period")
        : s.until === "none"
          ? `<span class="warn">No guaranteed security updates</span>`
          : `<span class="big">${esc(s.until)}</span>`,
      s === undefined
        ? "Not declared"
        : `${declared}${s.publishedAt ? `; published at ${link(s.publishedAt)}` : ""}`,
    )}${row(
      "updates-free",
      "Updates free of charge",
      s?.freeOfCharge === undefined ? todo("whether updates are free") : s.freeOfCharge ? "Yes" : "No",
      s?.freeOfCharge === undefined ? "Not declared" : declared,
    )}${row("updates-automatic", "Installed automatically by default", answer("UPD-05"), checked("UPD-05"))}${row(
      "updates-signed",
      "Checked for authenticity before installing",
      answer("UPD-02"),
      checked("UPD-02"),
    )}</section>`,
  );

  sections.push(
    `<section class="label" id="passwords"><h2>Passwords and log-in</h2>${row(
      "password-policy",
      "Password at first use",
      passwordPolicy(a),
      a.conditions["preinstalled-passwords"]?.from === "manifest" ||
        a.conditions["uses-passwords"]?.from === "manifest"
        ? declared
        : "Not declared",
    )}${row("no-default-password", "No shared default password", answer("AUTH-01"), checked("AUTH-01"))}${row(
      "brute-force",
      "Protected against password guessing",
      answer("AUTH-05"),
      checked("AUTH-05"),
    )}</section>`,
  );

  sections.push(
    `<section class="label" id="report"><h2>Report a security problem</h2>${row(
      "contact",
      "Contact",
      d?.contact
        ? link(d.contact, d.contact.replace(/^mailto:/i, ""))
        : todo("a contact for security reports"),
      d?.contact ? declared : "Not declared",
    )}${row(
      "policy",
      "Disclosure policy",
      d?.policy ? link(d.policy) : todo("the vulnerability disclosure policy"),
      checked("VULN-01"),
    )}${row(
      "acknowledge",
      "Reports acknowledged within",
      d?.acknowledgeWithinDays !== undefined
        ? `${esc(String(d.acknowledgeWithinDays))} day${d.acknowledgeWithinDays === 1 ? "" : "s"}`
        : todo("how soon reports are acknowledged"),
      d?.acknowledgeWithinDays !== undefined ? declared : "Not declared",
    )}</section>`,
  );

  const endpoints = facts.cloud.map(
    (c) => `<li>${esc(hostOf(c.url))}${c.purpose ? `: ${esc(c.purpose)}` : ""}</li>`,
  );
  sections.push(
    `<section class="label" id="data"><h2>Data</h2>${row(
      "personal-data",
      "Handles personal data",
      declaredCondition("personal-data", "Yes", "No", "whether the product processes personal data"),
      a.conditions["personal-data"]?.from === "manifest" ? declared : "Not declared",
    )}${row(
      "telemetry",
      "Collects usage data (telemetry)",
      declaredCondition("collects-telemetry", "Yes", "No", "whether the product collects telemetry"),
      a.conditions["collects-telemetry"]?.from === "manifest" ? declared : "Not declared",
    )}${row(
      "online-services",
      "Online services it connects to",
      endpoints.length > 0
        ? `<ul id="endpoints">${endpoints.join("")}</ul>`
        : todo("the online services the product uses"),
      endpoints.length > 0 ? declared : "Not declared",
    )}${row("in-transit", "Data encrypted in transit", answer("COMM-02"), checked("COMM-02"))}${row(
      "delete",
      "You can delete your data",
      answer("DATA-05"),
      checked("DATA-05"),
    )}</section>`,
  );

  const more = [
    input.manifest?.makerUrl ? `Manufacturer: ${link(input.manifest.makerUrl)}` : "",
    s?.publishedAt ? `Support period: ${link(s.publishedAt)}` : "",
    d?.securityTxt ? `security.txt: ${link(d.securityTxt)}` : "",
  ].filter(Boolean);
  const body = `<p class="small">${esc(p.category)}${input.manifest?.description ? ` · ${esc(input.manifest.description)}` : ""}</p>
<div class="sheet">${sections.join("\n")}</div>
${more.length > 0 ? `<p id="more">More information: ${more.join(" · ")}</p>` : ""}
<p class="small">"Yes" and "No" answers come from Concord's assessment of the product as of ${esc(a.asOf)}; "Not shown" means the assessment had no evidence either way. Declared facts are the manufacturer's own statements.</p>`;
  const html = page({ title: `${TITLE}: ${p.name}`, subtitle: productLine(a), body, a, css: CSS });
  return { kind: "fact-sheet", title: TITLE, html };
}

function passwordPolicy(a: Assessment): string {
  const uses = a.conditions["uses-passwords"];
  const pre = a.conditions["preinstalled-passwords"];
  if (uses?.from === "manifest" && !uses.value) return "The product uses no passwords";
  if (pre?.from === "manifest")
    return pre.value
      ? "Each unit comes with its own unique password"
      : "No password is set at the factory: you choose your own at set-up";
  return todo("how passwords are set at first use");
}

/** The host of an endpoint URL, which is what a buyer recognises; the URL itself if it does not parse. */
function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}
