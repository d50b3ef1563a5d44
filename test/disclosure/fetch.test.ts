// Fetching security.txt and provider metadata from a maker's site: local HTTPS and HTTP servers on
// 127.0.0.1, real TLS with a test certificate, every outcome RFC 9116 section 3 cares about.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { SecurityTxtData, SecurityTxtProblem } from "../../src/evidence/disclosure.js";
import { discoverSecurityTxt, securityTxtFromUrl } from "../../src/collect/disclosure/securitytxt/read.js";
import { redirect, selfSignedCert, startSite, text, type Site } from "./servers.js";

const NOW = new Date("2026-06-01T00:00:00Z");
const BODY =
  "Contact: mailto:security@example.com\nExpires: 2026-12-31T23:59:59Z\nEncryption: https://example.com/key.asc\n";
const fmt = (p: SecurityTxtProblem) => `${p.line ?? "-"} ${p.severity} ${p.code}: ${p.message}`;
const issues = (d: SecurityTxtData) => d.problems.filter((p) => p.severity !== "notice").map(fmt);

describe("fetching security.txt", () => {
  let tls: { key: string; cert: string };
  let site: Site;
  let plain: Site;
  const opts = () => ({ now: NOW, ca: tls.cert, timeoutMs: 2000 });

  before(async () => {
    tls = selfSignedCert();
    site = await startSite(tls);
    plain = await startSite();
  });
  after(async () => {
    await site.close();
    await plain.close();
  });

  it("finds it at /.well-known/security.txt over HTTPS", async () => {
    site.routes.clear();
    site.routes.set("/.well-known/security.txt", text(BODY));
    site.routes.set("/security.txt", text("Contact: mailto:old@example.com\n"));
    const d = await discoverSecurityTxt(`${site.origin}/some/page`, opts());
    assert.deepEqual(issues(d), []);
    assert.equal(d.source.finalUrl, `${site.origin}/.well-known/security.txt`);
    assert.equal(d.source.status, 200);
    assert.deepEqual(
      d.fields.contact.map((c) => c.value),
      ["mailto:security@example.com"],
      "the well-known file wins",
    );
  });

  it("falls back to the legacy /security.txt, with a warning", async () => {
    site.routes.clear();
    site.routes.set("/security.txt", text(BODY));
    const d = await discoverSecurityTxt(site.origin, opts());
    assert.deepEqual(issues(d), [
      `- warning legacy-location: ${site.origin}/security.txt is the legacy location; RFC 9116 places the file at /.well-known/security.txt`,
    ]);
  });

  it("reports where it looked when there is none", async () => {
    site.routes.clear();
    const d = await discoverSecurityTxt(site.origin, opts());
    assert.deepEqual(issues(d), [
      `- error not-found: no security.txt at ${site.origin}/.well-known/security.txt (HTTP 404) or ${site.origin}/security.txt (HTTP 404)`,
    ]);
  });

  it("checks the Content-Type", async () => {
    site.routes.clear();
    site.routes.set("/.well-known/security.txt", text(BODY, "text/html"));
    assert.deepEqual(issues(await discoverSecurityTxt(site.origin, opts())), [
      '- error content-type: the server sent Content-Type "text/html"; RFC 9116 requires text/plain; charset=utf-8',
    ]);
    site.routes.set("/.well-known/security.txt", text(BODY, "text/plain"));
    assert.deepEqual(issues(await discoverSecurityTxt(site.origin, opts())), [
      '- error content-type: the server sent Content-Type "text/plain" without charset=utf-8, which RFC 9116 requires',
    ]);
    site.routes.set("/.well-known/security.txt", text(BODY, 'text/plain; charset="UTF-8"'));
    assert.deepEqual(issues(await discoverSecurityTxt(site.origin, opts())), []);
  });

  it("does not follow a redirect to plain HTTP", async () => {
    site.routes.clear();
    site.routes.set("/.well-known/security.txt", redirect(`${plain.origin}/.well-known/security.txt`));
    const d = await securityTxtFromUrl(`${site.origin}/.well-known/security.txt`, opts());
    assert.deepEqual(issues(d), [
      `- error fetch-failed: ${site.origin}/.well-known/security.txt redirects to plain HTTP (${plain.origin}/.well-known/security.txt); not followed`,
    ]);
    assert.deepEqual(d.source.redirects, [`${plain.origin}/.well-known/security.txt`]);
  });

  it("records a redirect to another host, and judges Canonical by where the file came from", async () => {
    const other = `https://localhost:${site.port}`;
    site.routes.clear();
    site.routes.set("/.well-known/security.txt", redirect(`${other}/.well-known/security.txt?v=2`, 302));
    site.routes.set(
      "/.well-known/security.txt?v=2",
      text(`Canonical: https://example.com/.well-known/security.txt\n${BODY}`),
    );
    const d = await securityTxtFromUrl(`${site.origin}/.well-known/security.txt`, opts());
    assert.deepEqual(issues(d), [
      `- warning redirect-other-host: ${site.origin}/.well-known/security.txt redirects to another host (localhost:${site.port}); check that it belongs to the maker (RFC 9116 section 5.2)`,
      `1 warning canonical-mismatch: the file was read from ${other}/.well-known/security.txt?v=2, which no Canonical field lists: RFC 9116 says its contents should then not be trusted`,
    ]);
  });

  it("plain HTTP and a location other than /.well-known are errors", async () => {
    plain.routes.set("/.well-known/security.txt", text(BODY));
    assert.deepEqual(issues(await securityTxtFromUrl(`${plain.origin}/.well-known/security.txt`, opts())), [
      `- error insecure-location: ${plain.origin}/.well-known/security.txt is served over plain HTTP; RFC 9116 requires https`,
    ]);
    site.routes.clear();
    site.routes.set("/security/contact.txt", text(BODY));
    assert.deepEqual(issues(await securityTxtFromUrl(`${site.origin}/security/contact.txt`, opts())), [
      `- error not-well-known: ${site.origin}/security/contact.txt is not at /.well-known/security.txt, where RFC 9116 requires it`,
    ]);
  });

  it("an untrusted certificate is a fetch failure, not a silent downgrade", async () => {
    site.routes.clear();
    site.routes.set("/.well-known/security.txt", text(BODY));
    const d = await securityTxtFromUrl(`${site.origin}/.well-known/security.txt`, {
      now: NOW,
      timeoutMs: 2000,
    });
    assert.deepEqual(issues(d), [
      `- error fetch-failed: cannot fetch ${site.origin}/.well-known/security.txt: self-signed certificate`,
    ]);
  });

  it("stops reading a 10 MB answer at 32 KiB", async () => {
    site.routes.clear();
    site.routes.set("/.well-known/security.txt", (_req, res) => {
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
      const chunk = Buffer.alloc(64 * 1024, "# padding\n");
      let sent = 0;
      const pump = () => {
        while (sent < 10 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return res.once("drain", pump);
        }
        res.end();
      };
      pump();
      res.on("error", () => {});
    });
    const started = performance.now();
    const d = await securityTxtFromUrl(`${site.origin}/.well-known/security.txt`, opts());
    assert.ok(performance.now() - started < 2000);
    assert.equal(d.bytes, 32 * 1024 + 1);
    assert.deepEqual(issues(d), [
      "1 error too-large: the file is larger than 32 KiB, so it was not parsed (RFC 9116 section 5.4); a security.txt is a few hundred bytes",
    ]);
  });

  it("gives up on a server that never answers", async () => {
    site.routes.clear();
    site.routes.set("/.well-known/security.txt", () => {}); // accepts, never responds
    const d = await securityTxtFromUrl(`${site.origin}/.well-known/security.txt`, {
      ...opts(),
      timeoutMs: 300,
    });
    assert.deepEqual(issues(d), [
      `- error fetch-failed: cannot fetch ${site.origin}/.well-known/security.txt: no answer within 300 ms`,
    ]);
  });
});
