// Signed security.txt files: OpenPGP cleartext signatures made by GnuPG (Ed25519 and RSA with a
// signing subkey) and the RFC 9580 version 6 sample, verified by Concord's own code.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import type { SecurityTxtProblem } from "../../src/evidence/disclosure.js";
import { checkCleartext } from "../../src/collect/disclosure/openpgp/cleartext.js";
import { dearmor } from "../../src/collect/disclosure/openpgp/armor.js";
import { readCertificates } from "../../src/collect/disclosure/openpgp/keys.js";
import { parseSecurityTxt } from "../../src/collect/disclosure/securitytxt/parse.js";
import { Gpg } from "./gpg.js";

const NOW = new Date("2026-06-01T00:00:00Z");
const BODY =
  "Canonical: https://example.com/.well-known/security.txt\nContact: mailto:security@example.com\nExpires: 2026-12-31T23:59:59Z\nEncryption: https://example.com/key.asc\n";
const fmt = (p: SecurityTxtProblem) =>
  `${p.line ?? "-"}:${p.col ?? ""} ${p.severity} ${p.code}: ${p.message}`;
const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url));

function parse(text: string, keys: string[] = []) {
  const certificates = keys.flatMap((k) => readCertificates(new TextEncoder().encode(k)));
  return parseSecurityTxt(new TextEncoder().encode(text), { now: NOW, certificates });
}

describe("signed security.txt (GnuPG)", () => {
  let gpg: Gpg;
  let ed: string;
  let rsa: string;
  let rsaSigningSubkey: string;
  let other: string;
  let signedEd: string;
  let signedRsa: string;

  before(() => {
    gpg = new Gpg();
    ed = gpg.genKey("Ed Signer <ed@example.com>", "ed25519", "sign");
    rsa = gpg.genKey("RSA Maker <rsa@example.com>", "rsa3072", "cert");
    gpg.addSubkey(rsa, "rsa2048", "sign");
    rsaSigningSubkey = [
      ...gpg.run(["--list-keys", "--with-colons", rsa]).matchAll(/^fpr:+([0-9A-F]+):/gm),
    ][1]![1]!;
    other = gpg.genKey("Other <other@example.com>", "ed25519", "sign");
    signedEd = gpg.clearsign(BODY, ed);
    signedRsa = gpg.clearsign(BODY, rsa, "SHA512");
  });
  after(() => gpg.close());

  it("an Ed25519 signature verifies with the maker's key", () => {
    const r = parse(signedEd, [gpg.exportKey(ed)]);
    assert.equal(r.signed, true);
    assert.equal(r.signature?.status, "verified");
    assert.equal(r.signature?.signer?.fingerprint, ed);
    assert.equal(r.signature?.signer?.userId, "Ed Signer <ed@example.com>");
    assert.equal(r.signature?.hashAlgo, "SHA256");
    assert.equal(r.signature?.created, "2026-01-01T12:00:00.000Z");
    assert.deepEqual(r.problems.map(fmt), []);
    assert.deepEqual(r.fields.contact, [{ value: "mailto:security@example.com", line: 5 }]);
  });

  it("an RSA signing subkey verifies through its binding and back-signature", () => {
    const r = parse(signedRsa, [gpg.exportKey(rsa)]);
    assert.equal(r.signature?.status, "verified", r.signature?.reason);
    assert.equal(r.signature?.signer?.fingerprint, rsaSigningSubkey);
    assert.equal(r.signature?.hashAlgo, "SHA512");
  });

  it("a binary (unarmored) key file works too", () => {
    const out = `${gpg.home}/ed.gpg`;
    gpg.run(["--output", out, "--export", ed]);
    const certs = readCertificates(new Uint8Array(readFileSync(out)));
    assert.equal(certs[0]!.primary.fingerprint, ed);
    assert.equal(parse(signedEd, [gpg.exportKey(ed)]).signature?.status, "verified");
  });

  it("a changed line makes the signature fail, at the signature's line", () => {
    const r = parse(signedEd.replace("security@example.com", "attacker@example.net"), [gpg.exportKey(ed)]);
    assert.deepEqual(r.problems.map(fmt), [
      "8: error signature-bad: the OpenPGP signature does not verify: the signed data has changed since it was signed (hash mismatch)",
    ]);
  });

  it("CRLF line endings and trailing whitespace do not break the signature", () => {
    const spaced = gpg.clearsign(BODY.replace("\nExpires", "   \nExpires"), ed);
    const r = parse(spaced.replaceAll("\n", "\r\n"), [gpg.exportKey(ed)]);
    assert.equal(r.signature?.status, "verified", r.signature?.reason);
  });

  it("a key that did not sign it: unknown key, named", () => {
    const r = parse(signedEd, [gpg.exportKey(other)]);
    assert.deepEqual(r.problems.map(fmt), [
      `8: error signature-unknown-key: the OpenPGP signature cannot be verified: made by key ${ed}, which is not among the keys given`,
    ]);
  });

  it("no key given: the signature is detected and reported as not checked", () => {
    const r = parse(signedEd);
    assert.equal(r.signature?.status, "not-checked");
    assert.deepEqual(r.problems.map(fmt), [
      `8: notice signature-not-checked: signed by key ${ed}; not verified because no key was given`,
    ]);
  });

  it("SHA-1 signatures are refused", () => {
    const r = parse(gpg.clearsign(BODY, ed, "SHA1"), [gpg.exportKey(ed)]);
    assert.deepEqual(r.problems.map(fmt), [
      "8: error signature-bad: the OpenPGP signature does not verify: the signature uses SHA1, which is too weak to trust",
    ]);
  });

  it("a revoked key no longer vouches for what it signed", () => {
    const gone = gpg.genKey("Gone <gone@example.com>", "ed25519", "sign");
    const signed = gpg.clearsign(BODY, gone);
    assert.equal(parse(signed, [gpg.exportKey(gone)]).signature?.status, "verified");
    gpg.revoke(gone);
    const r = parse(signed, [gpg.exportKey(gone)]);
    assert.deepEqual(r.problems.map(fmt), [
      "8: error signature-bad: the OpenPGP signature does not verify: the signature is good, but the key has been revoked",
    ]);
  });

  it("a Hash: header that does not name the signature's algorithm", () => {
    const r = parse(signedEd.replace("Hash: SHA256", "Hash: SHA512"), [gpg.exportKey(ed)]);
    assert.deepEqual(r.problems.map(fmt), [
      "8: error signature-invalid: the OpenPGP signature is unusable: the signature uses SHA256, which the Hash: header does not list",
    ]);
  });

  it("a corrupted armor checksum", () => {
    const lines = signedEd.split("\n");
    const crc = lines.findIndex((l) => /^=[A-Za-z0-9+/]{4}$/.test(l));
    lines[crc] = lines[crc] === "=AAAA" ? "=AAAB" : "=AAAA";
    const r = parse(lines.join("\n"), [gpg.exportKey(ed)]);
    assert.deepEqual(r.problems.map(fmt), [
      `${crc + 2}: error signature-armor: the signature block is malformed: the armor checksum (CRC-24) does not match the data: the block is corrupted`,
    ]);
  });

  it("text outside the signed message is reported, and not read as fields", () => {
    const r = parse(`Contact: mailto:evil@example.net\n${signedEd}Policy: https://evil.example/p\n`, [
      gpg.exportKey(ed),
    ]);
    assert.deepEqual(r.problems.map(fmt), [
      "1: error outside-signature: text before the signed message is not covered by the signature",
      "16: error outside-signature: text after the signature is not covered by it",
    ]);
    assert.deepEqual(
      r.fields.contact.map((c) => c.value),
      ["mailto:security@example.com"],
    );
    assert.deepEqual(r.fields.policy, []);
  });

  it("a signature dated after the assessment time is refused", () => {
    const early = gpg.clearsign(BODY, ed, "SHA256", "20270101T000000");
    const r = parse(early, [gpg.exportKey(ed)]);
    assert.deepEqual(r.problems.map(fmt), [
      "8: error signature-invalid: the OpenPGP signature is unusable: the signature is dated in the future (2027-01-01T00:00:00.000Z)",
    ]);
  });
});

describe("RFC 9580 version 6 sample (Appendix A.3 and A.6)", () => {
  const certs = readCertificates(new Uint8Array(fixture("rfc9580-a3-v6-certificate.asc")));
  const lines = fixture("rfc9580-a6-cleartext.asc").toString("utf8").split("\n");
  const sigAt = lines.indexOf("-----BEGIN PGP SIGNATURE-----");
  const text = lines.slice(2, sigAt).map((l) => (l.startsWith("- ") ? l.slice(2) : l));
  const sig = dearmor(lines.slice(sigAt).join("\n")).data;
  const at = Date.parse("2023-01-01T00:00:00Z") / 1000;

  it("reads the v6 certificate with the fingerprints the RFC gives", () => {
    assert.equal(certs[0]!.primary.version, 6);
    assert.equal(
      certs[0]!.primary.fingerprint,
      "CB186C4F0609A697E4D52DFA6C722B0C1F1E27C18A56708F6525EC27BAD9ACC9",
    );
    assert.equal(
      certs[0]!.subkeys[0]!.key.fingerprint,
      "12C83F1E706F6308FE151A417743A1F033790E93E9978488D1DB378DA9930885",
    );
  });

  it("verifies the dash-escaped, salted v6 Ed25519 signature", () => {
    const r = checkCleartext(text, sig, certs, [], at);
    assert.equal(r.status, "verified", r.reason);
    assert.equal(r.hashAlgo, "SHA512");
    assert.equal(r.created, "2022-12-13T16:08:03.000Z");
  });

  it("and refuses it when one word changes", () => {
    const r = checkCleartext(
      text.map((l) => l.replace("tofu", "tafu")),
      sig,
      certs,
      [],
      at,
    );
    assert.deepEqual(
      [r.status, r.reason],
      ["bad", "the signed data has changed since it was signed (hash mismatch)"],
    );
  });
});

describe("key files that cannot be used", () => {
  it("garbage, a truncated key, nothing but a signature", () => {
    const tryRead = (b: Uint8Array) => {
      try {
        readCertificates(b);
        return "read";
      } catch (e) {
        return (e as Error).message;
      }
    };
    assert.equal(
      tryRead(new TextEncoder().encode("hello")),
      "byte 0 is not a packet header (0x68): not OpenPGP data",
    );
    const v6 = dearmor(fixture("rfc9580-a3-v6-certificate.asc").toString("utf8")).data;
    assert.equal(
      tryRead(v6.subarray(0, 20)),
      "the OpenPGP data is truncated (needs 42 more bytes at offset 2)",
    );
    const a6 = fixture("rfc9580-a6-cleartext.asc").toString("utf8");
    assert.equal(
      tryRead(dearmor(a6.slice(a6.indexOf("-----BEGIN PGP SIGNATURE"))).data),
      "packet 2 at byte 0 comes before any public key",
    );
    assert.equal(
      tryRead(
        new TextEncoder().encode(
          "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n!!!\n-----END PGP PUBLIC KEY BLOCK-----\n",
        ),
      ),
      "line 3: the armored data is not base64",
    );
  });
});
