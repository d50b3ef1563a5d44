// The incremental JSON parser: the same values as JSON.parse however the text is cut into chunks,
// exact positions for errors, and the collect / descend / carve modes.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  CARVE,
  COLLECT,
  DESCEND,
  JsonStream,
  JsonSyntaxError,
  SKIP,
  parseJsonWithPositions,
  positionOf,
  type PathSeg,
} from "../../src/collect/sbom/json-stream.js";

function parseChunked(text: string, size: number): unknown {
  let root: unknown;
  const s = new JsonStream({ enter: () => COLLECT, value: (_p, v) => (root = v) });
  for (let i = 0; i < text.length; i += size) s.write(text.slice(i, i + size));
  s.end();
  return root;
}

function errorOf(text: string, size = text.length || 1): string {
  try {
    parseChunked(text, size);
  } catch (e) {
    if (e instanceof JsonSyntaxError) return `${e.line}:${e.col} ${e.reason} @ ${e.path}`;
    throw e;
  }
  return "no error";
}

const SAMPLES = [
  "0",
  "-12.5e+3",
  '"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00"',
  "true",
  "false",
  "null",
  "[]",
  "{}",
  '{"a":[1,2,{"b":null}],"c":"x","d":{"e":[[],[{}]]}}',
  '  {\n  "__proto__": {"polluted": true},\n  "k": [true, false, -0, 1E2]\n}\n',
  '["\u00e9t\u00e9", "日本語", "😀"]',
];

describe("JsonStream", () => {
  it("gives JSON.parse's values whatever the chunk size", () => {
    for (const text of SAMPLES)
      for (const size of [1, 2, 3, 7, 1000])
        assert.deepEqual(parseChunked(text, size), JSON.parse(text), `${text} / ${size}`);
  });

  it("keeps __proto__ as an own member, never as the prototype", () => {
    const v = parseChunked('{"__proto__": {"x": 1}}', 3) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
    assert.deepEqual(Object.keys(v), ["__proto__"]);
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });

  it("records where every member of a collected value starts", () => {
    const v = parseJsonWithPositions('{\n  "a": 1,\n  "b": [10,\n    20]\n}') as { b: number[] };
    assert.deepEqual(positionOf(v, "a"), { line: 2, col: 8 });
    assert.deepEqual(positionOf(v, "b"), { line: 3, col: 8 });
    assert.deepEqual(positionOf(v.b, 1), { line: 4, col: 5 });
  });

  it("reports errors at their exact line and column, with the JSON path", () => {
    const table: [string, string][] = [
      ['{"a": [1, 2', "1:12 unexpected end of input: the array opened at 1:7 is not closed @ $.a[1]"],
      ['{"a": {"b": "x', "1:15 unexpected end of input inside a string @ $.a.b"],
      ['{"a": 1,}', "1:9 unexpected '}': expected a property name in double quotes @ $"],
      ['{"a": {"b": 1, "c', "1:18 unexpected end of input inside a string @ $.a"],
      ['{"a" 1}', "1:6 unexpected '1': expected ':' after the property name @ $.a"],
      ["[1 2]", "1:4 unexpected '2': expected ',' or ']' after an array element @ $[0]"],
      ['{"a": tru}', "1:10 invalid literal: expected 'true' @ $.a"],
      ['{"a": 01}', '1:7 invalid number "01" @ $.a'],
      ['{"a": "x\ny"}', "1:9 character U+000A inside a string @ $.a"],
      ['{"a": "\\q"}', "1:8 invalid escape '\\q' @ $.a"],
      ["{} {}", "1:4 unexpected '{' after the end of the document @ $"],
      [
        '{\n  "list": [\n    {"k": 1},\n    {"k": 2}',
        "4:13 unexpected end of input: the array opened at 2:11 is not closed @ $.list[1]",
      ],
      ["", "1:1 unexpected end of input @ $"],
    ];
    for (const [text, want] of table) {
      for (const size of [1, 4, 1000])
        assert.equal(errorOf(text, size), want, `${JSON.stringify(text)} / ${size}`);
    }
  });

  it("walks DESCEND values, builds COLLECT ones and carves members out of CARVE objects", () => {
    const seen: string[] = [];
    const sink = {
      enter(path: readonly PathSeg[]) {
        const last = path[path.length - 1];
        if (path.length === 0) return DESCEND;
        if (path[0] === "skip") return SKIP;
        if (typeof last === "number") return CARVE;
        if (last === "items") return DESCEND;
        return COLLECT;
      },
      value(path: readonly PathSeg[], v: unknown) {
        seen.push(`${path.join("/")}=${JSON.stringify(v)}`);
      },
    };
    const s = new JsonStream(sink);
    s.write('{"skip": {"x": [1]}, "items": [{"n": 1, "items": [{"n": 2}], "z": true}, {"n": 3}], "top": 5}');
    s.end();
    assert.deepEqual(seen, [
      'items/0/items/0={"n":2}',
      'items/0={"n":1,"z":true}',
      'items/1={"n":3}',
      "top=5",
    ]);
  });
});
