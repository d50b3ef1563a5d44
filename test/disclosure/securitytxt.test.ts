// The security.txt conformance table: valid and invalid files with the exact problems Concord
// reports for them, each at its line (and column where one applies). docs/disclosure.md lists the
// same codes; the last test keeps the two in step.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseSecurityTxt } from "../../src/collect/disclosure/securitytxt/parse.js";
import { securityTxtFromFile } from "../../src/collect/disclosure/securitytxt/read.js";
import type { SecurityTxtProblem } from "../../src/evidence/disclosure.js";

const NOW = new Date("2026-06-01T00:00:00Z");
const enc = (s: string) => new TextEncoder().encode(s);
const fmt = (p: SecurityTxtProblem) =>
  `${p.line ?? "-"}:${p.col ?? ""} ${p.severity} ${p.code}: ${p.message}`;

/** Errors and warnings, formatted; notices are checked in their own cases. */
function issues(input: string | Uint8Array, sourceUrl?: string): string[] {
  const r = parseSecurityTxt(typeof input === "string" ? enc(input) : input, { now: NOW, sourceUrl });
  return r.problems.filter((p) => p.severity !== "notice").map(fmt);
}

const MIN = "Contact: mailto:security@example.com\nExpires: 2026-12-31T23:59:59Z\n";

interface Case {
  name: string;
  input: string | Uint8Array;
  sourceUrl?: string;
  expect: string[];
}

const VALID: Case[] = [
  { name: "the minimal file: one Contact, one Expires", input: MIN, expect: [] },
  {
    name: "every field RFC 9116 defines, plus CSAF",
    input:
      "# Our security address\nContact: mailto:security@example.com\nContact: tel:+1-201-555-0123\nContact: https://example.com/security-contact.html\nEncryption: https://example.com/pgp-key.txt\nEncryption: openpgp4fpr:5f2de5521c63a801ab59ccb603d49de44b29100f\nEncryption: dns:5d2d37ab76d47d36._openpgpkey.example.com?type=OPENPGPKEY\nAcknowledgments: https://example.com/hall-of-fame.html\nPolicy: https://example.com/disclosure-policy.html\nHiring: https://example.com/jobs.html\nCanonical: https://example.com/.well-known/security.txt\nPreferred-Languages: en, es, pt-BR, zh-Hant-TW, x-klingon, i-klingon\nCSAF: https://example.com/.well-known/csaf/provider-metadata.json\nExpires: 2026-12-31T18:37:07z\n",
    sourceUrl: "https://example.com/.well-known/security.txt",
    expect: [],
  },
  { name: "CRLF line endings", input: MIN.replaceAll("\n", "\r\n"), expect: [] },
  {
    name: "field names in any case, a zone offset",
    input: "contact: MAILTO:Security@Example.com\nEXPIRES: 2026-12-31T23:59:59+02:00\n",
    expect: [],
  },
  {
    name: "comments, blank lines and trailing whitespace",
    input: `# header\n\n${MIN.replace("\n", "   \t\n")}\n# end\n`,
    expect: [],
  },
  {
    name: "a leap second and fractional seconds",
    input: "Contact: mailto:a@b.example\nExpires: 2026-12-31T23:59:60.5Z\n",
    expect: [],
  },
];

const INVALID: Case[] = [
  {
    name: "no Contact, no Expires",
    input: "# nothing here\n\n",
    expect: [
      "1: error missing-contact: there is no Contact field; RFC 9116 requires at least one (mailto:, tel: or https:)",
      "1: error missing-expires: there is no Expires field; RFC 9116 requires exactly one (for example Expires: 2026-12-31T23:59:59Z)",
    ],
  },
  {
    name: "Expires twice",
    input: `${MIN}Expires: 2026-09-01T00:00:00Z\n`,
    expect: ["3:1 error duplicate-expires: Expires must not appear more than once (first on line 2)"],
  },
  {
    name: "Preferred-Languages twice, an empty entry, a bad tag",
    input: `${MIN}Preferred-Languages: en,,de\nPreferred-Languages: fr\n`
      .replace("fr", "fr")
      .replace("\nPreferred-Languages: fr", "\nPreferred-Languages: e_n\nPreferred-Languages: fr"),
    expect: [
      "3:22 error invalid-language: Preferred-Languages has an empty entry (a stray comma)",
      "4:1 error duplicate-languages: Preferred-Languages must not appear more than once (first on line 3)",
      "5:1 error duplicate-languages: Preferred-Languages must not appear more than once (first on line 3)",
    ],
  },
  {
    name: "expired",
    input: "Contact: mailto:a@b.example\nExpires: 2021-12-31T18:37:07z\n",
    expect: [
      "2: error expired: the file expired on 2021-12-31T18:37:07z: its contents are stale and researchers should not use them",
    ],
  },
  {
    name: "Expires more than a year ahead",
    input: "Contact: mailto:a@b.example\nExpires: 2027-06-02T00:00:00Z\n",
    expect: [
      "2: warning expires-too-far: Expires 2027-06-02T00:00:00Z is more than a year ahead; RFC 9116 recommends less than a year so the file is reviewed",
    ],
  },
  {
    name: "Expires that is not an RFC 3339 date-time",
    input:
      "Contact: mailto:a@b.example\nExpires: 2026-12-31\nExpires: 2026-12-31 23:59:59Z\nExpires: 2026-02-29T00:00:00Z\n",
    expect: [
      '2:10 error invalid-date: Expires "2026-12-31" is not an RFC 3339 date-time such as 2026-12-31T23:59:59Z (a date alone is not enough: add a time and zone, e.g. 2026-12-31T23:59:59Z)',
      "3:1 error duplicate-expires: Expires must not appear more than once (first on line 2)",
      "4:1 error duplicate-expires: Expires must not appear more than once (first on line 2)",
    ],
  },
  {
    name: "a date that does not exist",
    input: "Contact: mailto:a@b.example\nExpires: 2026-02-29T00:00:00Z\n",
    expect: ['2:10 error invalid-date: Expires "2026-02-29T00:00:00Z" is not a real calendar date'],
  },
  {
    name: "a space instead of T",
    input: "Contact: mailto:a@b.example\nExpires: 2026-12-31 23:59:59Z\n",
    expect: [
      '2:10 error invalid-date: Expires "2026-12-31 23:59:59Z" is not an RFC 3339 date-time such as 2026-12-31T23:59:59Z (separate date and time with "T", not a space)',
    ],
  },
  {
    name: "contacts that are not URIs, or not reachable ones",
    input:
      "Contact: security@example.com\nContact: +44 20 7946 0958\nContact: https://exa mple.com/\nContact: mailto:nobody\nContact: tel:abc\nContact: http://example.com/report\nExpires: 2026-12-31T00:00:00Z\n",
    expect: [
      '1:10 error contact-not-uri: Contact "security@example.com" is an e-mail address, not a URI: write "mailto:security@example.com"',
      '2:10 error contact-not-uri: Contact "+44 20 7946 0958" is a phone number, not a URI: write "tel:+442079460958"',
      '3:10 error invalid-uri: Contact "https://exa mple.com/" is not a valid URI: it contains a space',
      '4:10 error invalid-contact: Contact "mailto:nobody" is not an e-mail address (mailto:name@example.com)',
      '5:10 error invalid-contact: Contact "tel:abc" is not a telephone URI (tel:+1-201-555-0123)',
      '6:10 error insecure-uri: Contact "http://example.com/report" uses http: web addresses in security.txt must begin with https://',
    ],
  },
  {
    name: "links that are not https URIs",
    input: `${MIN}Policy: example.com/policy\nHiring: https://example.com/jöbs\nAcknowledgments: https://example.com/%zz\nCanonical: http://example.com/.well-known/security.txt\nPolicy: https://\n`,
    expect: [
      '3:9 error invalid-uri: Policy "example.com/policy" is not a URI (it has no scheme such as https: or mailto:)',
      '4:9 error invalid-uri: Hiring "https://example.com/jöbs" is not a valid URI: it contains the non-ASCII character "ö" (percent-encode it)',
      '5:18 error invalid-uri: Acknowledgments "https://example.com/%zz" is not a valid URI: a % is not followed by two hex digits',
      '6:12 error insecure-uri: Canonical "http://example.com/.well-known/security.txt" uses http: web addresses in security.txt must begin with https://',
      '7:9 error invalid-uri: Policy "https://" is not a valid web address',
    ],
  },
  {
    name: "Encryption holding a key, a short fingerprint, plain http",
    input: `${MIN}Encryption: -----BEGIN PGP PUBLIC KEY BLOCK-----\nEncryption: openpgp4fpr:1234\nEncryption: http://example.com/key.asc\n`,
    expect: [
      "3:13 error key-in-field: Encryption must point at a key (a URI), not contain the key itself",
      '4:13 error invalid-uri: Encryption "openpgp4fpr:1234" is not a 40- or 64-digit hex fingerprint',
      '5:13 error insecure-uri: Encryption "http://example.com/key.asc" uses http: web addresses in security.txt must begin with https://',
    ],
  },
  {
    name: "CSAF not pointing at provider metadata",
    input: `${MIN}CSAF: https://example.com/advisories.json\n`,
    expect: [
      '3:7 error csaf-not-provider-metadata: CSAF must point at a provider-metadata.json (CSAF 2.0 section 7.1.8); "https://example.com/advisories.json" does not',
    ],
  },
  {
    name: "unknown and misspelt fields",
    input: `${MIN}Acknowledgements: https://example.com/thanks\nSignature: https://example.com/sig\nBug-Bounty: https://example.com/bounty\n`,
    expect: [
      '3:1 warning misspelt-field: unknown field "Acknowledgements": did you mean "Acknowledgments"? Readers ignore fields they do not know',
    ],
  },
  {
    name: "syntax: spacing, empty values, stray lines, folding",
    input:
      "Contact:mailto:a@b.example\nContact:  mailto:c@b.example\nPolicy:\nnot a field\n  folded: line\nContact Us: mailto:x@b.example\n: no name\nExpires: 2026-12-31T00:00:00Z\n",
    expect: [
      '1:9 error missing-space: put one space after "Contact:"',
      '2:9 error extra-space: put exactly one space after "Contact:"',
      "3:7 error empty-value: Policy has no value",
      '4:1 error not-a-field: "not a field" is not a field ("Name: value"), a comment ("# ...") or a blank line',
      "5:1 error leading-whitespace: a line starts with whitespace: each field starts at the beginning of its own line (folded lines are not allowed)",
      '6:1 error not-a-field: "Contact Us: mailto:x@b.example" is not a field ("Name: value"), a comment ("# ...") or a blank line',
      '7:1 error not-a-field: ": no name" is not a field ("Name: value"), a comment ("# ...") or a blank line',
    ],
  },
  {
    name: "no line break after the last line",
    input: MIN.trimEnd(),
    expect: [
      "2: error no-final-newline: the last line does not end with a line break (RFC 9116 section 2.2: every line ends with CRLF or LF)",
    ],
  },
  {
    name: "a bare carriage return joins two lines",
    input: "Contact: mailto:a@b.example\rExpires: 2026-12-31T00:00:00Z\n",
    expect: [
      "1: error missing-expires: there is no Expires field; RFC 9116 requires exactly one (for example Expires: 2026-12-31T23:59:59Z)",
      '1:10 error invalid-uri: Contact "mailto:a@b.exampleExpires: 2026-12-31T00:00:00Z" is not a valid URI: it contains a space',
      "1:28 error bare-cr: a carriage return (CR) not followed by a line feed: lines end with CRLF or LF only",
    ],
  },
  {
    name: "a control character",
    input: `${MIN}# bell \u0007 here\n`,
    expect: ["3:8 error control-char: control character U+0007 is not allowed in a security.txt"],
  },
  {
    name: "UTF-8 byte order mark",
    input: `\ufeff${MIN}`,
    expect: [
      "1:1 warning bom: the file starts with a UTF-8 byte order mark, which RFC 9116 does not allow before the first field; some readers will not recognise that field",
    ],
  },
  {
    name: "Latin-1 bytes (wrong encoding)",
    input: Buffer.from(`${MIN}# S\xE9curit\xE9 d'abord\n`, "latin1"),
    expect: [
      "3:4 error invalid-utf8: byte 0xE9 is not valid UTF-8 (the file looks Latin-1 or Windows-1252 encoded; save it as UTF-8)",
    ],
  },
  {
    name: "UTF-16 with a byte order mark",
    input: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(MIN, "utf16le")]),
    expect: [
      "1: error utf16: the file is UTF-16 (little-endian), not UTF-8 as RFC 9116 requires; save it as UTF-8",
    ],
  },
  {
    name: "UTF-16 big-endian without a byte order mark",
    input: Buffer.from(MIN, "utf16le").swap16(),
    expect: [
      "1: error utf16: the file is UTF-16 (big-endian), not UTF-8 as RFC 9116 requires; save it as UTF-8",
    ],
  },
  {
    name: "binary garbage with NUL bytes",
    input: Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256),
    expect: ["1: error binary: the file holds binary data (a NUL byte), not text"],
  },
  {
    name: "binary garbage without NUL bytes",
    input: Uint8Array.from({ length: 3000 }, (_, i) => 1 + ((i * 7919 + 13) % 255)),
    expect: [
      "1: error binary: the file is not text: 62% of its characters are invalid UTF-8 or control codes",
    ],
  },
  { name: "an empty file", input: "", expect: ["1: error empty: the file is empty"] },
  {
    name: "a line over 2,048 characters",
    input: `${MIN}Policy: https://example.com/${"a".repeat(2100)}\n`,
    expect: [
      "3: error line-too-long: the line is 2128 characters long; lines over 2048 were not parsed (RFC 9116 section 5.4)",
    ],
  },
  {
    name: "more than 1,000 lines",
    input: `${MIN}${"# c\n".repeat(1003)}`,
    expect: [
      "1001: error too-many-lines: the file has more than 1000 lines; the rest was not read (RFC 9116 section 5.4)",
    ],
  },
  {
    name: "read from a location no Canonical field lists",
    input: `${MIN}Canonical: https://example.com/.well-known/security.txt\n`,
    sourceUrl: "https://www.example.com/.well-known/security.txt",
    expect: [
      "3: warning canonical-mismatch: the file was read from https://www.example.com/.well-known/security.txt, which no Canonical field lists: RFC 9116 says its contents should then not be trusted",
    ],
  },
  {
    name: "a signature block without a signed message",
    input: `${MIN}-----BEGIN PGP SIGNATURE-----\nabc\n-----END PGP SIGNATURE-----\n`,
    expect: [
      '3: error signature-without-message: a signature block without "-----BEGIN PGP SIGNED MESSAGE-----" before the text it signs',
    ],
  },
  {
    name: "a signed message cut off before its signature",
    input: `-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n${MIN}`,
    expect: [
      '1: error signature-missing: the signed message has no "-----BEGIN PGP SIGNATURE-----" block',
      "4: warning signed-without-canonical: the file is signed but has no Canonical field, so the signature does not bind it to a location (RFC 9116 section 2.3)",
    ],
  },
];

describe("security.txt conformance table", () => {
  for (const c of VALID)
    it(`valid: ${c.name}`, () => {
      assert.deepEqual(issues(c.input, c.sourceUrl), c.expect);
    });
  for (const c of INVALID)
    it(`invalid: ${c.name}`, () => {
      assert.ok(c.expect.length > 0);
      assert.deepEqual(issues(c.input, c.sourceUrl), c.expect);
    });
});

describe("security.txt fields and notices", () => {
  it("keeps every field with its line, in order of preference", () => {
    const r = parseSecurityTxt(
      enc(`# x\n${MIN}Contact: https://example.com/report\nPreferred-Languages: en, de\nX-Custom: value\n`),
      { now: NOW },
    );
    assert.deepEqual(r.fields.contact, [
      { value: "mailto:security@example.com", line: 2 },
      { value: "https://example.com/report", line: 4 },
    ]);
    assert.deepEqual(r.fields.expires, {
      value: "2026-12-31T23:59:59Z",
      line: 3,
      at: "2026-12-31T23:59:59.000Z",
    });
    assert.deepEqual(r.fields.preferredLanguages, { value: "en, de", line: 5, tags: ["en", "de"] });
    assert.deepEqual(r.fields.other, [{ name: "X-Custom", value: "value", line: 6 }]);
    assert.equal(r.signed, false);
  });

  it("notices: unsigned, no encryption for an e-mail contact, unknown fields", () => {
    const r = parseSecurityTxt(enc(`${MIN}Foo: bar\n`), { now: NOW });
    assert.deepEqual(r.problems.map(fmt), [
      "1: notice unsigned: the file is not signed; RFC 9116 recommends an OpenPGP cleartext signature",
      "1: notice no-encryption: an e-mail contact without an Encryption field: RFC 9116 recommends a key for encrypted reports",
      '3:1 notice unknown-field: "Foo" is not a registered field; readers ignore it',
    ]);
  });

  it("Expires is judged against the given time: stale one second after", () => {
    const file = enc("Contact: mailto:a@b.example\nExpires: 2026-06-01T00:00:00Z\n");
    const at = (iso: string) =>
      parseSecurityTxt(file, { now: new Date(iso) }).problems.filter((p) => p.code === "expired").length;
    assert.equal(at("2026-05-31T23:59:59Z"), 0);
    assert.equal(at("2026-06-01T00:00:00Z"), 1);
  });
});

describe("security.txt size bounds", () => {
  it("a 10 MB file is refused after reading 32 KiB, quickly", async () => {
    const dir = mkdtempSync(join(tmpdir(), "concord-sectxt-"));
    const big = join(dir, "security.txt");
    writeFileSync(big, Buffer.alloc(10 * 1024 * 1024, "Contact: mailto:a@b.example\n"));
    const started = performance.now();
    const d = await securityTxtFromFile(big, "security.txt", { now: NOW });
    assert.ok(performance.now() - started < 2000, "bounded in time");
    assert.equal(d.bytes, 32 * 1024);
    assert.equal(d.sha256, undefined, "a truncated file has no hash to claim");
    assert.deepEqual(d.problems.map(fmt), [
      "1: error too-large: the file is larger than 32 KiB, so it was not parsed (RFC 9116 section 5.4); a security.txt is a few hundred bytes",
    ]);
  });

  it("a file of exactly 32 KiB is still parsed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "concord-sectxt-"));
    const f = join(dir, "security.txt");
    const pad = 32 * 1024 - MIN.length;
    const body = MIN + `${"#".repeat(1023)}\n`.repeat(pad / 1024) + `${"#".repeat((pad % 1024) - 1)}\n`;
    assert.equal(body.length, 32 * 1024);
    writeFileSync(f, body);
    const d = await securityTxtFromFile(f, "security.txt", { now: NOW });
    assert.equal(d.bytes, 32 * 1024);
    assert.deepEqual(
      d.problems.filter((p) => p.severity === "error"),
      [],
    );
  });

  it("a missing file is a clear error", async () => {
    const d = await securityTxtFromFile("/nonexistent/security.txt", "security.txt", { now: NOW });
    assert.deepEqual(d.problems.map(fmt), ["-: error unreadable: security.txt does not exist"]);
  });
});

describe("docs/disclosure.md", () => {
  it("documents every problem code the parser and reader can report", () => {
    const doc = readFileSync(new URL("../../docs/disclosure.md", import.meta.url), "utf8");
    const sources = [
      "securitytxt/parse.ts",
      "securitytxt/decode.ts",
      "securitytxt/read.ts",
      "collector.ts",
      "csaf-provider-metadata.ts",
    ]
      .map((f) => readFileSync(new URL(`../../src/collect/disclosure/${f}`, import.meta.url), "utf8"))
      .join("\n");
    const codes = new Set(
      [...sources.matchAll(/code: "([a-z0-9-]+)"|(?:err|warn|fail)\("([a-z0-9-]+)"/g)].map(
        (m) => m[1] ?? m[2]!,
      ),
    );
    // Codes passed as arguments to helpers the pattern above does not see.
    for (const extra of [
      "fetch-failed",
      "http-status",
      "not-found",
      "unreadable",
      "too-large",
      "invalid-utf8",
      "json-syntax",
    ])
      codes.add(extra);
    assert.ok(codes.size > 40, `found ${codes.size} codes`);
    const missing = [...codes].filter((c) => !doc.includes(`\`${c}\``));
    assert.deepEqual(missing, [], "codes missing from the docs table");
  });
});
