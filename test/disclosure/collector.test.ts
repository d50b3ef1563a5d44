// The disclosure collector inside a whole assessment: local security.txt, signing key and CSAF
// provider metadata; fetching from the maker's site (a local HTTPS server) only when network
// access is allowed; and the support-period minimum projected onto the EU CRA.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { assess } from "../../src/assess/run.js";
import { Gpg } from "./gpg.js";
import { selfSignedCert, startSite, text, type Site } from "./servers.js";

const NOW = new Date("2026-06-01T09:00:00Z");
const AS_OF = "2026-06-01";
const BODY =
  "Canonical: https://test.example/.well-known/security.txt\nContact: mailto:security@test.example\nExpires: 2026-12-31T23:59:59Z\nEncryption: https://test.example/key.asc\nCSAF: https://test.example/.well-known/csaf/provider-metadata.json\n";
const METADATA = {
  canonical_url: "https://test.example/.well-known/csaf/provider-metadata.json",
  distributions: [{ directory_url: "https://test.example/.well-known/csaf/" }],
  last_updated: "2026-05-01T10:00:00Z",
  list_on_CSAF_aggregators: true,
  metadata_version: "2.0",
  mirror_on_CSAF_aggregators: true,
  publisher: { category: "vendor", name: "Test Ltd", namespace: "https://test.example" },
  role: "csaf_provider",
};

function manifest(disclosure: string, extra = ""): string {
  return `concord: 1
product:
  name: Test Hub
  maker: { name: Test Ltd, url: ${extra || "https://test.example"} }
  category: hub
markets: [EU, UK]
support:
  until: "2029-12-31"
  from: "2026-01-01"
  publishedAt: https://test.example/support
disclosure:
  policy: https://test.example/vdp
  contact: mailto:security@test.example
${disclosure}`;
}

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "concord-disclosure-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

const findingsOf = (a: Awaited<ReturnType<typeof assess>>, check: string) =>
  a.findings.filter((f) => f.check === check).map((f) => `${f.status} ${f.message}`);

describe("disclosure collector in an assessment", () => {
  let gpg: Gpg;
  let key: string;
  let signed: string;

  before(() => {
    gpg = new Gpg();
    key = gpg.genKey("Test Ltd PSIRT <security@test.example>", "ed25519", "sign");
    signed = gpg.clearsign(BODY, key);
  });
  after(() => gpg.close());

  it("reads local files: a verified security.txt, valid provider metadata; the CRA minimum is not met", async () => {
    const dir = workspace({
      "concord.yaml": manifest(
        "  securityTxt: web/.well-known/security.txt\n  signingKey: keys/psirt.asc\n  csafProviderMetadata: web/.well-known/csaf/provider-metadata.json\n",
      ),
      "web/.well-known/security.txt": signed,
      "keys/psirt.asc": gpg.exportKey(key),
      "web/.well-known/csaf/provider-metadata.json": JSON.stringify(METADATA, null, 2),
    });
    const a = await assess(dir, { asOf: AS_OF, now: NOW });
    assert.deepEqual(
      a.collection.find((c) => c.collector === "disclosure"),
      { collector: "disclosure", version: "1.0.0", evidence: 2 },
    );
    assert.deepEqual(findingsOf(a, "disclosure.security-txt"), [
      `pass The security.txt at web/.well-known/security.txt conforms to RFC 9116: contact mailto:security@test.example, expires 2026-12-31T23:59:59Z, signed by ${key} (verified).`,
    ]);
    assert.deepEqual(findingsOf(a, "disclosure.csaf-provider-metadata"), [
      "info The CSAF provider metadata at web/.well-known/csaf/provider-metadata.json is valid: csaf_provider Test Ltd, 1 distribution, updated 2026-05-01T10:00:00Z. Whether advisories are published through it needs an attestation.",
    ]);
    assert.equal(a.verdicts.find((v) => v.requirement === "VULN-01")!.status, "satisfied");
    assert.deepEqual(findingsOf(a, "support.period-minimum"), [
      "fail The support period ends on 2029-12-31, from 2026-01-01; EU CRA Article 13(8) requires at least 5 years for the EU market, that is until 2030-12-31 or later.",
    ]);
    const cra = a.regimes.find((r) => r.regime === "eu-cra")!;
    assert.equal(cra.provisions.find((p) => p.id === "Art13.8")!.status, "not-satisfied");
    assert.deepEqual(
      cra.blockers.find((b) => b.provision === "Art13.8"),
      { provision: "Art13.8", title: "Support period of at least five years", from: "2027-12-11" },
    );
    // UPD-08 is about publication, which the minimum does not touch.
    assert.equal(a.verdicts.find((v) => v.requirement === "UPD-08")!.status, "satisfied");
    const ev = a.evidence.find((e) => e.kind === "disclosure.security-txt")!;
    assert.equal(ev.source.artifact?.path, "web/.well-known/security.txt");
    assert.equal(ev.source.location, "web/.well-known/security.txt");
  });

  it("a tampered security.txt fails VULN-01 with the reason and line", async () => {
    const dir = workspace({
      "concord.yaml": manifest("  securityTxt: security.txt\n  signingKey: psirt.asc\n"),
      "security.txt": signed.replace("security@test.example", "drop@evil.example"),
      "psirt.asc": gpg.exportKey(key),
    });
    const a = await assess(dir, { asOf: AS_OF, now: NOW });
    const v = a.verdicts.find((x) => x.requirement === "VULN-01")!;
    assert.equal(v.status, "not-satisfied");
    assert.equal(
      v.because,
      "The security.txt at security.txt does not conform to RFC 9116 (1 error): line 9: the OpenPGP signature does not verify: the signed data has changed since it was signed (hash mismatch).",
    );
  });

  it("an unusable signing key is an error of its own", async () => {
    const dir = workspace({
      "concord.yaml": manifest("  securityTxt: security.txt\n  signingKey: psirt.asc\n"),
      "security.txt": signed,
      "psirt.asc": "not a key\n",
    });
    const a = await assess(dir, { asOf: AS_OF, now: NOW });
    assert.deepEqual(findingsOf(a, "disclosure.security-txt"), [
      "fail The security.txt at security.txt does not conform to RFC 9116 (1 error): the signing key psirt.asc cannot be used: byte 0 is not a packet header (0x6e): not OpenPGP data.",
    ]);
  });

  it("a missing local file is a finding, not a crash", async () => {
    const dir = workspace({ "concord.yaml": manifest("  securityTxt: web/security.txt\n") });
    const a = await assess(dir, { asOf: AS_OF, now: NOW });
    assert.deepEqual(findingsOf(a, "disclosure.security-txt"), [
      "fail The security.txt at web/security.txt does not conform to RFC 9116 (1 error): web/security.txt does not exist.",
    ]);
  });

  describe("from the maker's site", () => {
    let site: Site;
    let tls: { key: string; cert: string };
    before(async () => {
      tls = selfSignedCert();
      site = await startSite(tls);
    });
    after(() => site.close());

    it("stays offline unless network access is allowed", async () => {
      const dir = workspace({
        "concord.yaml": manifest("  securityTxt: https://127.0.0.1:1/.well-known/security.txt\n"),
      });
      const a = await assess(dir, { asOf: AS_OF, now: NOW });
      assert.equal(
        a.collection.find((c) => c.collector === "disclosure"),
        undefined,
      );
      assert.deepEqual(findingsOf(a, "disclosure.security-txt"), []);
    });

    it("with network access: discovers security.txt on the maker's site, then the provider metadata it names", async () => {
      const body = BODY.replaceAll("https://test.example", site.origin);
      site.routes.set("/.well-known/security.txt", text(body));
      site.routes.set(
        "/.well-known/csaf/provider-metadata.json",
        text(
          JSON.stringify({
            ...METADATA,
            canonical_url: `${site.origin}/.well-known/csaf/provider-metadata.json`,
          }),
          "application/json",
        ),
      );
      const dir = workspace({ "concord.yaml": manifest("", site.origin) });
      const a = await assess(dir, {
        asOf: AS_OF,
        now: NOW,
        collectors: { disclosure: { network: true, ca: tls.cert, timeoutMs: 3000 } },
      });
      assert.deepEqual(findingsOf(a, "disclosure.security-txt"), [
        `pass The security.txt at ${site.origin}/.well-known/security.txt conforms to RFC 9116: contact mailto:security@test.example, expires 2026-12-31T23:59:59Z, not signed.`,
      ]);
      assert.deepEqual(findingsOf(a, "disclosure.csaf-provider-metadata"), [
        `info The CSAF provider metadata at ${site.origin}/.well-known/csaf/provider-metadata.json is valid: csaf_provider Test Ltd, 1 distribution, updated 2026-05-01T10:00:00Z. Whether advisories are published through it needs an attestation.`,
      ]);
    });
  });
});
