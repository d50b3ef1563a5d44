/// <reference lib="dom" />
// Every document for the two examples, as a person sees it: written by writeDocs, rendered by a real
// Chromium and read back through the DOM. The thermostat is conformant in the UK, US and AU; the
// camera is blocked. The rows asserted here are the assessment's per-provision results.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import { assess, vocabularyOf } from "../../src/assess/run.js";
import { loadCatalog } from "../../src/catalog/load.js";
import { loadManifest } from "../../src/manifest/load.js";
import { DOC_KINDS, writeDocs, type DocInput } from "../../src/report/docs/index.js";
import { TODO_WORDS } from "../../src/report/docs/layout.js";
import { htmlToPdf } from "../../src/report/docs/pdf.js";
import { factRows, launch, open, provisionRows } from "./browser.js";

const AS_OF = "2026-11-25";
const TODO_SUPPORT = `${TODO_WORDS}: Yes or No, once shown`;

async function inputFor(example: string): Promise<DocInput> {
  const catalog = loadCatalog();
  const assessment = await assess(example, { catalog, asOf: AS_OF, now: new Date("2026-11-25T09:00:00Z") });
  const m = loadManifest(example, vocabularyOf(catalog)).manifest.product;
  return {
    assessment,
    catalog,
    manifest: { makerCountry: m.maker.country, makerUrl: m.maker.url, description: m.description },
  };
}

describe("documents in Chromium", () => {
  let browser: Browser;
  const dirs = { thermostat: "", camera: "" };
  const url = (which: keyof typeof dirs, file: string) => pathToFileURL(join(dirs[which], file)).href;

  before(async () => {
    browser = await launch();
    dirs.thermostat = mkdtempSync(join(tmpdir(), "concord-docs-thermo-"));
    dirs.camera = mkdtempSync(join(tmpdir(), "concord-docs-cam-"));
    await writeDocs(DOC_KINDS, await inputFor("examples/thermostat"), dirs.thermostat, { pdf: true });
    await writeDocs(DOC_KINDS, await inputFor("examples/smart-camera"), dirs.camera, { pdf: true });
  });
  after(async () => {
    await browser?.close();
  });

  describe("UK PSTI statement of compliance", () => {
    it("thermostat: every Schedule 1 row met or not applicable, no warning, the support end date", async () => {
      const { page, requests } = await open(browser, url("thermostat", "psti-statement.html"));
      assert.deepEqual(await provisionRows(page, "#requirements", [".status"]), {
        "Sch1-1(2)": ["satisfied"],
        "Sch1-1(3)": ["not applicable"],
        "Sch1-2(2)": ["satisfied"],
        "Sch1-2(3)": ["satisfied"],
        "Sch1-2(4)": ["satisfied"],
        "Sch1-3(2)": ["satisfied"],
        "Sch1-3(3)": ["satisfied"],
        "Sch1-3(4)": ["satisfied"],
        "Sch1-3(5)": ["satisfied"],
        "Sch1-3(6)": ["satisfied"],
      });
      assert.equal(await page.$("#claim-warning"), null);
      assert.equal(await page.innerText("#support-end"), "2032-12-31");
      assert.match(await page.innerText("#item-manufacturer"), /Brightwave Controls Ltd[\s\S]*GB/);
      // Batch, address, and the five signature fields are the manufacturer's to fill in.
      const todos = await page.$$eval(".todo", (els) => els.map((e) => (e as HTMLElement).innerText));
      assert.deepEqual(todos, [
        `${TODO_WORDS}: the batch, serial number range or production period this statement covers`,
        `${TODO_WORDS}: the manufacturer's postal address`,
        `${TODO_WORDS}: name`,
        `${TODO_WORDS}: function (role) of the signatory`,
        `${TODO_WORDS}: signature`,
        `${TODO_WORDS}: place of issue`,
        `${TODO_WORDS}: date of issue`,
      ]);
      assert.deepEqual(requests, [url("thermostat", "psti-statement.html")], "loads nothing else");
      await page.close();
    });

    it("camera: a red warning naming the failed provisions, and no support period to state", async () => {
      const { page } = await open(browser, url("camera", "psti-statement.html"));
      assert.deepEqual(await provisionRows(page, "#requirements", [".status"]), {
        "Sch1-1(2)": ["not satisfied"],
        "Sch1-1(3)": ["unknown"],
        "Sch1-2(2)": ["not satisfied"],
        "Sch1-2(3)": ["not satisfied"],
        "Sch1-2(4)": ["not satisfied"],
        "Sch1-3(2)": ["not satisfied"],
        "Sch1-3(3)": ["not satisfied"],
        "Sch1-3(4)": ["not satisfied"],
        "Sch1-3(5)": ["not satisfied"],
        "Sch1-3(6)": ["not satisfied"],
      });
      assert.ok(await page.isVisible("#claim-warning"));
      const warning = await page.$$eval("#claim-warning li", (li) =>
        li.map((x) => (x as HTMLElement).innerText),
      );
      assert.equal(warning.length, 10);
      assert.equal(
        warning[0],
        "Sch1-1(2) Passwords unique per product or defined by the user: not satisfied. Not met because AUTH-01 is not satisfied.",
      );
      assert.equal(
        warning[9],
        "Sch1-1(3) Unique passwords are not guessable: unknown. Undecided: AUTH-02 has no deciding evidence yet.",
      );
      const color = await page.$eval("#claim-warning", (e) => getComputedStyle(e).borderTopColor);
      assert.equal(color, "rgb(176, 0, 32)");
      assert.match(await page.innerText("#item-support"), /no defined support period/);
      assert.match(await page.innerText("#item-declaration"), /not supported by the assessment/);
      await page.close();
    });
  });

  describe("EU declaration of conformity", () => {
    it("camera: NOT VALID, with the failed CRA provisions listed and every provision's status", async () => {
      const { page } = await open(browser, url("camera", "eu-doc.html"));
      assert.match(
        await page.innerText("#claim-warning"),
        /^NOT VALID: the assessment does not support a claim of conformity with Regulation \(EU\) 2024\/2847/,
      );
      const items = await page.$$eval("#claim-warning li", (li) =>
        li.map((x) => (x as HTMLElement).innerText),
      );
      assert.equal(items.length, 16, "15 failed provisions and one line for the 31 not yet shown");
      assert.match(
        items[0]!,
        /^AnnexI\.PI\.2a No known exploitable vulnerabilities: not satisfied \(binding from 2027-12-11\)/,
      );
      assert.match(items[15]!, /^Not yet shown \(31\): AnnexI\.PI\.1 \(unknown\), /);
      assert.match(await page.innerText("#doc-5"), /NOT supported by the assessment/);
      assert.match(await page.innerText("#doc-7"), /Important products, class I \(Annex III, class I\)/);
      const rows = await provisionRows(page, "#provisions", [
        ".status",
        "td:nth-child(3)",
        "td:nth-child(5)",
      ]);
      assert.equal(Object.keys(rows).length, 47);
      assert.deepEqual(rows["AnnexI.PI.2a"], ["not satisfied", "mandatory", "2027-12-11"]);
      assert.deepEqual(rows["AnnexI.PI.2c"], ["unknown", "mandatory", "2027-12-11"]);
      assert.deepEqual(rows["Art13.12"], ["partial", "mandatory", "2027-12-11"]);
      assert.deepEqual(rows["AnnexII.9"], ["unknown", "recommended", "2027-12-11"]);
      await page.close();
    });

    it("thermostat: not sold in the EU, so it says so, and the open provisions keep it from being valid", async () => {
      const { page } = await open(browser, url("thermostat", "eu-doc.html"));
      assert.match(await page.innerText("#scope-note"), /The EU is not among the markets in concord\.yaml/);
      const items = await page.$$eval("#claim-warning li", (li) =>
        li.map((x) => (x as HTMLElement).innerText),
      );
      assert.equal(items.length, 1);
      assert.match(
        items[0]!,
        /^Not yet shown \(44\): AnnexI\.PI\.1 \(unknown\), AnnexI\.PI\.2b \(unknown\), AnnexI\.PI\.2c \(partial\)/,
      );
      const rows = await provisionRows(page, "#provisions", [".status"]);
      assert.deepEqual(rows["AnnexI.PI.2a"], ["satisfied"]);
      assert.deepEqual(rows["AnnexI.PI.2d"], ["partial"]);
      // The advisory attestation (VULN-07) meets Part II (4); the reporting one leaves Article 14 to review.
      assert.deepEqual(rows["AnnexI.PII.4"], ["satisfied"]);
      assert.deepEqual(rows["Art14.1"], ["partial"]);
      await page.close();
    });
  });

  describe("CRA technical documentation skeleton", () => {
    it("camera: the eight Annex VII sections, the provision tables by part and the known facts", async () => {
      const { page } = await open(browser, url("camera", "cra-annex-vii.html"));
      assert.deepEqual(await page.$$eval("section h2", (h) => h.map((x) => (x as HTMLElement).innerText)), [
        "1. General description of the product",
        "2. Design, development, production and vulnerability handling",
        "3. Cybersecurity risk assessment",
        "4. Determination of the support period",
        "5. Harmonised standards, common specifications and certification",
        "6. Reports of the tests carried out",
        "7. EU declaration of conformity",
        "8. Software bill of materials (on request of a market surveillance authority)",
      ]);
      const count = (t: string) => page.$$eval(`${t} tr[data-provision]`, (r) => r.length);
      assert.deepEqual(
        [
          await count("#annex-i-part-i"),
          await count("#annex-i-part-ii"),
          await count("#annex-ii"),
          await count("#articles"),
        ],
        [14, 8, 14, 11],
      );
      const partII = await provisionRows(page, "#annex-i-part-ii", [".status"]);
      assert.deepEqual(partII["AnnexI.PII.7"], ["not satisfied"]);
      assert.match(
        await page.innerText("#versions"),
        /Firmware image firmware\/hc200-2\.4\.1\.bin version 2\.4\.1 sha256 [0-9a-f]{64}/,
      );
      assert.match(
        await page.innerText("#vulnerability-handling"),
        /Software bill of materials\s+To be completed by the manufacturer: the SBOM/,
      );
      assert.match(await page.innerText("#support"), /no defined support period/);
      assert.ok(
        await page.$$eval("#s6 #inputs tr", (r) => r.length > 2),
        "the inputs table lists the manifest and the firmware",
      );
      await page.close();
    });

    it("thermostat: the SBOM and the disclosure facts are filled in", async () => {
      const { page } = await open(browser, url("thermostat", "cra-annex-vii.html"));
      const vh = await page.innerText("#vulnerability-handling");
      assert.match(vh, /sbom\/bw-t3-5\.2\.0\.cdx\.json sha256 [0-9a-f]{64}/);
      assert.match(vh, /https:\/\/brightwave\.example\/security\/disclosure-policy/);
      assert.match(vh, /mailto:psirt@brightwave\.example/);
      assert.match(await page.innerText("#support"), /Support period declared until 2032-12-31/);
      await page.close();
    });
  });

  describe("ETSI EN 303 645 implementation conformance statement", () => {
    const cells = [".ics-status", ".support", ".status"];

    it("thermostat: status, support and assessment per provision", async () => {
      const { page } = await open(browser, url("thermostat", "etsi-ics.html"));
      const rows = await provisionRows(page, "#ics", cells);
      assert.equal(Object.keys(rows).length, 67);
      assert.deepEqual(
        Object.fromEntries(
          ["5.1-1", "5.1-2", "5.1-5", "5.2-3", "5.3-10", "5.3-13", "5.3-14", "5.4-1", "5.6-4", "6-5"].map(
            (id) => [id, rows[id]],
          ),
        ),
        {
          "5.1-1": ["M C (1)", "Yes", "satisfied"],
          "5.1-2": ["M C (2)", "N/A", "not applicable"],
          "5.1-5": ["M C (5)", "Yes", "satisfied"],
          "5.2-3": ["R", TODO_SUPPORT, "partial"],
          "5.3-10": ["M C (11, 12)", "Yes", "satisfied"],
          "5.3-13": ["M", "Yes", "satisfied"],
          "5.3-14": ["R C (3, 4)", "N/A", "not applicable"],
          "5.4-1": ["M", TODO_SUPPORT, "unknown"],
          "5.6-4": ["M C (13)", "N/A", "not applicable"],
          "6-5": ["M C (6)", TODO_SUPPORT, "unknown"],
        },
      );
      assert.equal(
        (await page.innerText("#summary")).split(" Assessment:")[0],
        "Mandatory provisions: 32 (12 Yes, 0 No, 2 N/A, 18 not yet shown). Recommended provisions: 35 (3 Yes, 0 No, 2 N/A, 30 not yet shown).",
      );
      const why = await page.$eval(
        "#ics tr[data-provision='5.3-13'] td:last-child",
        (td) => (td as HTMLElement).innerText,
      );
      assert.match(why, /^Ellen Ward \(Compliance Manager\) attests etsi-en-303-645:5\.3-13 on 2026-10-25/);
      assert.match(why, /Evidence: evidence\/statements-of-compliance\.md \(sha256 [0-9a-f]{12}…\)/);
      assert.deepEqual(
        await page.$$eval("#conditions tr[data-condition]", (r) =>
          r.map((x) => (x.firstElementChild as HTMLElement).innerText),
        ),
        ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13"],
      );
      const five = await page.$$eval("#conditions tr[data-condition='!constrained'] td", (td) =>
        td.map((x) => (x as HTMLElement).innerText),
      );
      assert.deepEqual(five, ["5", "The device is not constrained", "yes", "concord.yaml"]);
      await page.close();
    });

    it("camera: the failed provisions say No", async () => {
      const { page } = await open(browser, url("camera", "etsi-ics.html"));
      const rows = await provisionRows(page, "#ics", cells);
      assert.deepEqual(
        Object.fromEntries(
          ["5.1-1", "5.1-2", "5.3-13", "5.3-16", "5.6-4", "5.6-5"].map((id) => [id, rows[id]]),
        ),
        {
          "5.1-1": ["M C (1)", "No", "not satisfied"],
          "5.1-2": ["M C (2)", TODO_SUPPORT, "unknown"],
          "5.3-13": ["M", "No", "not satisfied"],
          "5.3-16": ["M", "Yes", "satisfied"],
          "5.6-4": ["M C (13)", "No", "not satisfied"],
          "5.6-5": ["R", "No", "not satisfied"],
        },
      );
      await page.close();
    });
  });

  describe("security fact sheet", () => {
    it("thermostat: declared facts, verdict answers and a marker for what nobody declared", async () => {
      const { page, requests } = await open(browser, url("thermostat", "fact-sheet.html"));
      assert.deepEqual(await factRows(page), {
        "support-end": "2032-12-31",
        "updates-free": "Yes",
        "updates-automatic": "Not shown",
        "updates-signed": "Yes",
        "password-policy": "No password is set at the factory: you choose your own at set-up",
        "no-default-password": "Yes",
        "brute-force": "Yes",
        contact: "psirt@brightwave.example",
        policy: "https://brightwave.example/security/disclosure-policy",
        acknowledge: "3 days",
        "personal-data": "Yes",
        telemetry: `${TODO_WORDS}: whether the product collects telemetry`,
        "online-services":
          "api.brightwave.example: account, schedules and remote control\niot.brightwave.example:8883: device telemetry",
        "in-transit": "Partly shown",
        delete: "Not shown",
      });
      assert.deepEqual(requests, [url("thermostat", "fact-sheet.html")]);
      await page.close();
    });

    it("camera: no guaranteed updates, a shared default password, and missing facts marked", async () => {
      const { page } = await open(browser, url("camera", "fact-sheet.html"));
      const f = await factRows(page);
      assert.equal(f["support-end"], "No guaranteed security updates");
      assert.equal(f["updates-free"], `${TODO_WORDS}: whether updates are free`);
      assert.equal(f["password-policy"], "Each unit comes with its own unique password");
      assert.equal(f["no-default-password"], "No");
      assert.equal(f.contact, "security@acme-devices.example");
      assert.equal(f.acknowledge, `${TODO_WORDS}: how soon reports are acknowledged`);
      const red = await page.$eval("[data-fact='support-end'] .warn", (e) => getComputedStyle(e).color);
      assert.equal(red, "rgb(138, 19, 19)");
      await page.close();
    });

    it("prints to a PDF that starts with %PDF, has pages and carries only the as-of date", () => {
      for (const dir of [dirs.thermostat, dirs.camera]) {
        const pdf = readFileSync(join(dir, "fact-sheet.pdf"));
        assert.equal(pdf.subarray(0, 5).toString("latin1"), "%PDF-");
        const text = pdf.toString("latin1");
        const pages = text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? [];
        assert.ok(pages.length >= 1, "at least one page");
        assert.match(text, /\/CreationDate \(D:20261125000000/);
        assert.match(text, /\/ModDate \(D:20261125000000/);
        assert.ok(text.trimEnd().endsWith("%%EOF"));
      }
    });

    it("prints the same PDF bytes again from the same HTML", async () => {
      const again = await htmlToPdf(readFileSync(join(dirs.camera, "fact-sheet.html"), "utf8"), AS_OF);
      assert.ok(again.equals(readFileSync(join(dirs.camera, "fact-sheet.pdf"))));
    });
  });
});
