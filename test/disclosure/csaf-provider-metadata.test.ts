// CSAF 2.0 provider metadata: a valid document, and invalid ones with the exact problems and lines.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateProviderMetadata } from "../../src/collect/disclosure/csaf-provider-metadata.js";
import { parseJsonLocated } from "../../src/collect/disclosure/json-located.js";
import type { SecurityTxtProblem } from "../../src/evidence/disclosure.js";

const fmt = (p: SecurityTxtProblem) => `${p.line}:${p.col} ${p.severity} ${p.code}: ${p.message}`;

const VALID = {
  canonical_url: "https://example.com/.well-known/csaf/provider-metadata.json",
  distributions: [
    { directory_url: "https://example.com/.well-known/csaf/" },
    {
      rolie: {
        feeds: [
          {
            summary: "All TLP:WHITE advisories",
            tlp_label: "WHITE",
            url: "https://example.com/csaf/white/feed.json",
          },
        ],
      },
    },
  ],
  last_updated: "2026-05-01T10:00:00.000Z",
  list_on_CSAF_aggregators: true,
  metadata_version: "2.0",
  mirror_on_CSAF_aggregators: false,
  public_openpgp_keys: [
    { fingerprint: "5F2DE5521C63A801AB59CCB603D49DE44B29100F", url: "https://example.com/key.asc" },
  ],
  publisher: {
    category: "vendor",
    name: "Example Devices Ltd",
    namespace: "https://example.com",
    contact_details: "security@example.com",
  },
  role: "csaf_trusted_provider",
};
const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
const omit = <T extends object>(o: T, ...keys: string[]) =>
  Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

describe("CSAF provider metadata", () => {
  it("a complete trusted provider is valid", () => {
    const r = validateProviderMetadata(json(VALID));
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      { role: r.role, publisher: r.publisher, distributions: r.distributions, lastUpdated: r.lastUpdated },
      {
        role: "csaf_trusted_provider",
        publisher: "Example Devices Ltd",
        distributions: 2,
        lastUpdated: "2026-05-01T10:00:00.000Z",
      },
    );
  });

  it("a publisher needs no distribution", () => {
    assert.deepEqual(
      validateProviderMetadata(json({ ...omit(VALID, "distributions"), role: "csaf_publisher" })).problems,
      [],
    );
  });

  it("missing required properties, each at the object that lacks it (publisher moved last)", () => {
    const r = validateProviderMetadata(
      json({ ...omit(VALID, "last_updated", "publisher"), publisher: omit(VALID.publisher, "name") }),
    );
    assert.deepEqual(r.problems.map(fmt), [
      "1:1 error csaf-schema: last_updated: is required",
      "29:16 error csaf-schema: publisher.name: is required",
    ]);
  });

  it("wrong values: version, role, category, TLP label, dates, URLs, fingerprints", () => {
    const r = validateProviderMetadata(
      json({
        ...VALID,
        canonical_url: "http://example.com/csaf/metadata.json",
        distributions: [
          { rolie: { feeds: [{ tlp_label: "CLEAR", url: "http://example.com/feed.xml" }] } },
          {},
        ],
        last_updated: "yesterday",
        metadata_version: "2.1",
        public_openpgp_keys: [{ fingerprint: "ABCD", url: "not a url" }],
        publisher: { ...VALID.publisher, category: "manufacturer" },
        role: "csaf_aggregator",
      }),
    );
    assert.deepEqual(r.problems.map(fmt), [
      "2:20 error csaf-schema: canonical_url: must end with /provider-metadata.json",
      "2:20 error csaf-insecure-url: canonical_url must use https://, not http://",
      '8:26 error csaf-schema: distributions.0.rolie.feeds.0.tlp_label: Invalid option: expected one of "UNLABELED"|"WHITE"|"GREEN"|"AMBER"|"RED"',
      "9:20 error csaf-schema: distributions.0.rolie.feeds.0.url: must be the URL of a .json file",
      "9:20 error csaf-insecure-url: distributions.0.rolie.feeds.0.url must use https://, not http://",
      "14:5 error csaf-schema: distributions.1: needs directory_url or rolie",
      "16:19 error csaf-schema: last_updated: must be an RFC 3339 date-time such as 2026-01-31T12:00:00Z",
      '18:23 error csaf-schema: metadata_version: must be "2.0"',
      "22:22 error csaf-schema: public_openpgp_keys.0.fingerprint: must be a hex fingerprint of at least 40 digits",
      "23:14 error csaf-schema: public_openpgp_keys.0.url: must be a URL",
      '27:17 error csaf-schema: publisher.category: Invalid option: expected one of "coordinator"|"discoverer"|"other"|"translator"|"user"|"vendor"',
      '32:11 error csaf-schema: role: Invalid option: expected one of "csaf_publisher"|"csaf_provider"|"csaf_trusted_provider"',
    ]);
  });

  it("a provider without distributions; the draft name pgp_keys; an unknown property", () => {
    const rest = omit(VALID, "distributions", "public_openpgp_keys");
    const public_openpgp_keys = VALID.public_openpgp_keys;
    const r = validateProviderMetadata(
      json({ ...rest, role: "csaf_provider", pgp_keys: public_openpgp_keys, x_extra: 1 }),
    );
    assert.deepEqual(r.problems.map(fmt), [
      "13:11 error csaf-no-distribution: role csaf_provider distributes advisories, but distributions is missing (add a directory_url or a ROLIE feed)",
      '14:15 error csaf-unknown-property: "pgp_keys" is the draft name; CSAF 2.0 calls it "public_openpgp_keys"',
      '20:14 warning csaf-unknown-property: "x_extra" is not a CSAF 2.0 provider metadata property',
    ]);
  });

  it("JSON syntax errors carry their line and column", () => {
    const cases: [string, string][] = [
      [
        '{\n  "role": "csaf_provider",\n}',
        "3:1 error json-syntax: not valid JSON: expected a property name in double quotes",
      ],
      ['{"a": 1, "a": 2}', '1:14 error json-syntax: not valid JSON: duplicate property "a"'],
      ["[1, 2", '1:6 error json-syntax: not valid JSON: expected "," or "]"'],
      ["", "1:1 error json-syntax: not valid JSON: unexpected end of the document"],
      ['{"a": "b\u0001"}', "1:9 error json-syntax: not valid JSON: control character in a string"],
      ["{} x", "1:4 error json-syntax: not valid JSON: unexpected text after the JSON value"],
      ["[".repeat(100), "1:66 error json-syntax: not valid JSON: nested deeper than 64 levels"],
    ];
    for (const [text, want] of cases)
      assert.deepEqual(validateProviderMetadata(text).problems.map(fmt), [want], text.slice(0, 20));
  });

  it("the locating reader agrees with JSON.parse", () => {
    const text = json({ ...VALID, odd: ["\u00e9\ud83d\ude00", -1.5e3, null, false, '\\"/\b\f\n\r\t'] });
    assert.deepEqual(parseJsonLocated(text).value, JSON.parse(text));
  });
});
