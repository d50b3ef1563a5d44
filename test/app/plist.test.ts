// Property lists: binary and XML files written by python3's plistlib (an independent writer) and
// by bplist-writer.ts, and hostile binary plists (cycles, huge counts, bad offsets, deep nesting,
// shared-object bombs) and XML (entities, DOCTYPE subsets) that must fail with a PlistError.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parsePlist, PlistError, plistStrings, type PlistValue } from "../../src/collect/app/ios/plist.js";
import { writeBplist } from "./bplist-writer.js";
import { pyPlist } from "./py-plist.js";

const SAMPLE = `{
  "CFBundleIdentifier": "com.example.cam",
  "Name": "caf\\u00e9 \\u2603",
  "Count": 42, "Negative": -7, "Big": 2**40, "Ratio": 0.25, "Yes": True, "No": False,
  "When": datetime.datetime(2024, 5, 6, 7, 8, 9),
  "Blob": b"\\x00\\x01\\xff",
  "List": ["a", 1, {"nested": ["b"]}],
  "Empty": {}, "__proto__": "plain key"
}`;

const expected = () => {
  const d = Object.create(null) as Record<string, PlistValue>;
  Object.assign(d, {
    CFBundleIdentifier: "com.example.cam",
    Name: "caf\u00e9 \u2603",
    Count: 42,
    Negative: -7,
    Big: 2 ** 40,
    Ratio: 0.25,
    Yes: true,
    No: false,
    When: new Date("2024-05-06T07:08:09Z"),
    Blob: new Uint8Array([0, 1, 255]),
    List: ["a", 1, Object.assign(Object.create(null) as object, { nested: ["b"] })],
    Empty: Object.create(null) as object,
  });
  Object.defineProperty(d, "__proto__", {
    value: "plain key",
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return d;
};

const bad = (b: Uint8Array, re: RegExp) =>
  assert.throws(
    () => parsePlist(b, "Info.plist"),
    (e: unknown) => {
      assert.ok(e instanceof PlistError, String(e));
      assert.match(e.message, re);
      return true;
    },
  );

describe("property lists", () => {
  it("reads python's binary plist", () => {
    assert.deepEqual(parsePlist(pyPlist(SAMPLE, "BINARY"), "Info.plist"), expected());
  });

  it("reads python's XML plist", () => {
    assert.deepEqual(parsePlist(pyPlist(SAMPLE, "XML"), "Info.plist"), expected());
  });

  it("reads its own writer's binary plist, 1-byte offsets and large counts included", () => {
    const long = Array.from({ length: 20 }, (_, i) => `item${i}`);
    const v = { a: long, s: "x".repeat(300), u: "\u00fcber" };
    const got = parsePlist(writeBplist(v, { refSize: 1, offsetSize: 2 }), "p") as Record<string, PlistValue>;
    assert.deepEqual([got.a, got.s, got.u], [long, "x".repeat(300), "\u00fcber"]);
  });

  it("refuses a reference cycle", () => {
    const b = writeBplist([["x"]], { refSize: 1 });
    // Object 1 is the inner array; make its only reference point at object 0, the outer array.
    const inner = b.indexOf(Buffer.from([0xa1, 0x02]));
    b[inner + 1] = 0x00;
    bad(b, /^Info\.plist: object 0 contains itself \(a reference cycle\) at offset 0x8$/);
  });

  it("refuses huge counts, bad offsets and lying trailers", () => {
    const good = writeBplist({ k: ["a", "b"] }, { refSize: 1, offsetSize: 1 });
    const t = good.length - 32;
    const count = Buffer.from(good);
    count.writeBigUInt64BE(1n << 40n, t + 8);
    bad(count, /trailer field does not fit 32 bits at offset 0x/);
    const count2 = Buffer.from(good);
    count2.writeBigUInt64BE(5_000_000n, t + 8);
    bad(count2, /trailer claims 5000000 objects for a \d+-byte file at offset 0x/);
    const table = Buffer.from(good);
    table.writeBigUInt64BE(BigInt(good.length), t + 24);
    bad(table, /offset table of \d+ entries at 0x[0-9a-f]+ does not fit before the trailer/);
    const top = Buffer.from(good);
    top.writeBigUInt64BE(99n, t + 16);
    bad(top, /top object 99 is not among the \d+ objects/);
    const offset = Buffer.from(good);
    offset[Number(good.readBigUInt64BE(t + 24)) + 2] = 0xfe; // object 2's offset, past the objects
    bad(offset, /object 2 offset 0xfe is outside the object area at offset 0x/);
    const array = Buffer.from(good);
    const at = array.indexOf(Buffer.from([0xa2]));
    array[at] = 0xaf; // the array's length follows as an integer object...
    array[at + 1] = 0x12; // ...of 4 bytes, 0x0302xxxx: far more references than the file holds
    bad(array, /array of \d+ bytes runs past the object area at offset 0x/);
    bad(
      Buffer.from("bplist01xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
      /binary plist version "01" is not supported/,
    );
    bad(Buffer.from("{ a = b; }"), /^Info\.plist: not a property list \(neither bplist00 nor XML\)$/);
  });

  it("bounds depth, and shared references cost one decode each", () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < 200; i++) deep = [deep];
    bad(writeBplist(deep as never), /objects nest deeper than 128 at offset 0x/);
    // 40 levels, each an array holding the next level twice: 2^40 paths through 41 objects.
    const levels = 40;
    const objs: Buffer[] = [];
    for (let i = 0; i < levels; i++) objs.push(Buffer.from([0xa2, i + 1, i + 1]));
    objs.push(Buffer.from([0x51, 0x7a])); // "z"
    const offsets: number[] = [];
    let o = 8;
    for (const x of objs) {
      offsets.push(o);
      o += x.length;
    }
    const trailer = Buffer.alloc(32);
    trailer[6] = 2;
    trailer[7] = 1;
    trailer.writeBigUInt64BE(BigInt(objs.length), 8);
    trailer.writeBigUInt64BE(BigInt(o), 24);
    const table = Buffer.concat(offsets.map((x) => Buffer.from([x >> 8, x & 0xff])));
    const bomb = Buffer.concat([Buffer.from("bplist00"), ...objs, table, trailer]);
    const started = Date.now();
    const v = parsePlist(bomb, "bomb.plist");
    assert.ok(Array.isArray(v));
    assert.deepEqual(plistStrings(v, 10_000), ["z", "z"]); // each shared array walked once: the last holds "z" twice
    assert.ok(Date.now() - started < 2000);
  });

  it("refuses XML with an internal DOCTYPE subset, unknown entities or broken structure", () => {
    const doc = (body: string) => Buffer.from(`<?xml version="1.0"?>\n<plist version="1.0">${body}</plist>`);
    bad(
      Buffer.from(
        '<?xml version="1.0"?><!DOCTYPE plist [<!ENTITY a "aaaa">]><plist><string>&a;</string></plist>',
      ),
      /^Info\.plist:1:22: a DOCTYPE with an internal subset is not a plist$/,
    );
    bad(doc("<string>&xxe;</string>"), /^Info\.plist:2:\d+: entity &xxe; is not defined$/);
    bad(doc("<dict><string>a</string></dict>"), /expected <key> in a dict, found <string>/);
    bad(doc("<array><string>a</string>"), /expected an element|expected <\/array>/);
    bad(doc("<integer>12x</integer>"), /integer "12x" is not a number/);
    bad(doc("<frob/>"), /unknown element <frob>/);
    assert.deepEqual(
      parsePlist(doc("<string>a &lt;&#x41;&#66;&amp; <![CDATA[<b>]]></string>"), "p"),
      "a <AB& <b>",
    );
  });

  it("survives mutation loops over binary and XML plists", () => {
    const inputs = [pyPlist(SAMPLE, "BINARY"), pyPlist(SAMPLE, "XML")];
    let seed = 11;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed);
    let errors = 0;
    for (let i = 0; i < 3000; i++) {
      const b = Buffer.from(inputs[i % 2]!);
      for (let k = 0; k <= rand() % 3; k++) b[rand() % b.length] = rand() & 0xff;
      try {
        const v = parsePlist(rand() % 10 === 0 ? b.subarray(0, rand() % b.length) : b, "fuzz.plist");
        plistStrings(v);
      } catch (e) {
        assert.ok(e instanceof PlistError, `mutation ${i}: ${String(e)}`);
        assert.match(e.message, /^fuzz\.plist(:\d+:\d+)?: /);
        errors++;
      }
    }
    assert.ok(errors > 300, `${errors} mutations failed`);
  });
});
