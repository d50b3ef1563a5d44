// resources.arsc and dex string tables, written by arsc-writer.ts and dex-writer.ts: resolution
// (dense, 16-bit and sparse offsets, references, configurations), MUTF-8, and hostile input that
// must fail with an error naming the file and the offset.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ArscError, parseArsc } from "../../src/collect/app/arsc.js";
import { DexError, readDexStrings } from "../../src/collect/app/dex.js";
import { writeArsc, type ArscType } from "./arsc-writer.js";
import { writeDex } from "./dex-writer.js";

const types = (layout: ArscType["layout"]): ArscType[] => [
  { name: "attr", entries: [] },
  {
    name: "xml",
    layout,
    entries: [
      { key: "backup_rules", value: { string: "res/xml/backup_rules.xml" } },
      undefined,
      { key: "network_security_config", value: { string: "res/xml/network_security_config.xml" } },
    ],
  },
  {
    name: "bool",
    layout,
    entries: [
      { key: "cleartext", value: { bool: true } },
      { key: "alias", value: { ref: 0x7f030000 } },
      { key: "hidden", value: { bool: false } },
    ],
    other: [{ key: "cleartext", value: { bool: false } }],
  },
];

describe("resources.arsc", () => {
  for (const layout of ["dense", "offset16", "sparse"] as const)
    it(`resolves ids with ${layout} entry offsets`, () => {
      const t = parseArsc(writeArsc(types(layout)), "app.apk!/resources.arsc");
      assert.deepEqual(t.resolve(0x7f020002), {
        id: 0x7f020002,
        name: "xml/network_security_config",
        type: 0x03,
        data: 1,
        string: "res/xml/network_security_config.xml",
      });
      assert.equal(t.resolve(0x7f020000)?.string, "res/xml/backup_rules.xml");
      assert.equal(t.resolve(0x7f020001), undefined); // a hole
      assert.equal(t.resolve(0x7f020009), undefined); // beyond the entries
      assert.equal(t.resolve(0x7e020001), undefined); // no such package
      // The default configuration wins over a language one, and references are followed.
      assert.deepEqual([t.resolve(0x7f030000)?.type, t.resolve(0x7f030000)?.data], [0x12, 0xffffffff]);
      assert.deepEqual(
        [t.resolve(0x7f030001)?.name, t.resolve(0x7f030001)?.data],
        ["bool/cleartext", 0xffffffff],
      );
      assert.deepEqual([t.resolve(0x7f030002)?.name, t.resolve(0x7f030002)?.data], ["bool/hidden", 0]);
      assert.deepEqual(t.allStrings(10), ["res/xml/backup_rules.xml", "res/xml/network_security_config.xml"]);
    });

  it("refuses a reference cycle", () => {
    const t = parseArsc(
      writeArsc([
        {
          name: "bool",
          entries: [
            { key: "a", value: { ref: 0x7f010001 } },
            { key: "b", value: { ref: 0x7f010000 } },
          ],
        },
      ]),
      "r.arsc",
    );
    assert.throws(
      () => t.resolve(0x7f010000),
      /^ArscError: r\.arsc: resource 0x7f010000 is a chain of more than 8 references at offset 0x0$/,
    );
  });

  it("names the file and offset for bad offsets and counts", () => {
    const good = writeArsc(types("dense"));
    const notTable = Buffer.from(good);
    notTable.writeUInt16LE(0x0003, 0);
    assert.throws(
      () => parseArsc(notTable, "r.arsc"),
      /^ArscError: r\.arsc: not a resource table \(chunk type 0x3\) at offset 0x0$/,
    );
    const packages = Buffer.from(good);
    packages.writeUInt32LE(100_000, 8);
    assert.throws(
      () => parseArsc(packages, "r.arsc"),
      /table claims 100000 packages, more than 64 at offset 0x8$/,
    );
    const size = Buffer.from(good);
    size.writeUInt32LE(good.length + 1, 4);
    assert.throws(
      () => parseArsc(size, "r.arsc"),
      /chunk 0x2 of \d+ bytes runs past its parent at offset 0x0$/,
    );
    // An entry offset pointing far outside its type chunk: found when the entry is read.
    const entry = Buffer.from(good);
    // The xml type chunk: RES_TABLE_TYPE_TYPE with an 84-byte header and type id 2.
    let xmlType = -1;
    for (
      let at = entry.indexOf(Buffer.from([0x01, 0x02, 0x54, 0x00]));
      at >= 0;
      at = entry.indexOf(Buffer.from([0x01, 0x02, 0x54, 0x00]), at + 1)
    )
      if (entry[at + 8] === 2) xmlType = at;
    assert.ok(xmlType > 0);
    entry.writeUInt32LE(0x00ffff00, xmlType + 84); // offset of entry 0
    const t = parseArsc(entry, "r.arsc");
    assert.throws(
      () => t.resolve(0x7f020000),
      (e: unknown) => {
        assert.ok(e instanceof ArscError);
        assert.match(
          e.message,
          /^r\.arsc: entry 0 of type 2 at offset 16776960 is outside its chunk at offset 0x[0-9a-f]+$/,
        );
        return true;
      },
    );
  });

  it("survives a mutation loop: parse and resolve succeed or fail with an ArscError", () => {
    const good = writeArsc(types("dense"));
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed);
    let errors = 0;
    for (let i = 0; i < 2000; i++) {
      const b = Buffer.from(good);
      for (let k = 0; k <= rand() % 4; k++) {
        const at = rand() % b.length;
        if (rand() % 2) b[at] = rand() & 0xff;
        else b.writeUInt32LE(0xffffffff - (rand() & 0xffff), Math.min(at, b.length - 4) & ~3);
      }
      try {
        const t = parseArsc(rand() % 10 === 0 ? b.subarray(0, rand() % b.length) : b, "fuzz.arsc");
        for (const id of [0x7f020000, 0x7f020002, 0x7f030000, 0x7f030001]) t.resolve(id);
        t.allStrings(100);
      } catch (e) {
        assert.ok(e instanceof ArscError, `mutation ${i}: ${String(e)}`);
        assert.match(e.message, /^fuzz\.arsc: .* at offset 0x[0-9a-f]+$/);
        errors++;
      }
    }
    assert.ok(errors > 100, `${errors} mutations failed`);
  });
});

describe("dex string table", () => {
  it("reads every string, MUTF-8 included", () => {
    const strings = [
      "",
      "Lcom/example/Api;",
      "http://api.example.com/v1",
      "caf\u00e9 \u20ac \ud83d\ude00",
      "nul\0inside",
    ];
    const d = readDexStrings(writeDex(strings, "039"), "classes.dex");
    assert.equal(d.version, "039");
    assert.deepEqual(d.strings, strings);
    assert.equal(d.truncated, 0);
  });

  it("names the file and offset for a bad header, table or string", () => {
    const good = writeDex(["abc", "http://x.example"]);
    assert.throws(
      () => readDexStrings(Buffer.from("dex\n035\0"), "c.dex"),
      /^DexError: c\.dex: file of 8 bytes is shorter than the 112-byte header at offset 0x0$/,
    );
    const endian = Buffer.from(good);
    endian.writeUInt32LE(0x78563412, 40);
    assert.throws(
      () => readDexStrings(endian, "c.dex"),
      /endian tag 0x78563412 is not 0x12345678 at offset 0x28$/,
    );
    const count = Buffer.from(good);
    count.writeUInt32LE(1_000_000, 56);
    assert.throws(
      () => readDexStrings(count, "c.dex"),
      /string table of 1000000 entries at 0x70 does not fit the file at offset 0x3c$/,
    );
    const offset = Buffer.from(good);
    offset.writeUInt32LE(0x7fffffff, 0x70);
    assert.throws(
      () => readDexStrings(offset, "c.dex"),
      /string 0 offset 0x7fffffff is outside the file at offset 0x70$/,
    );
    const length = Buffer.from(good);
    length[0x78] = 0x7f; // "abc" claims 127 characters
    assert.throws(
      () => readDexStrings(length, "c.dex"),
      /string 0 claims 127 characters at offset 0x78$|string ends after/,
    );
  });

  it("survives a mutation loop", () => {
    const good = writeDex([
      "Lcom/example/Main;",
      "http://cam.example.net/stream",
      "\u00e9t\u00e9",
      "AKIAQWERTYUIOPASDFGH",
    ]);
    let seed = 3;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed);
    let errors = 0;
    for (let i = 0; i < 2000; i++) {
      const b = Buffer.from(good);
      for (let k = 0; k <= rand() % 3; k++) b[rand() % b.length] = rand() & 0xff;
      try {
        readDexStrings(b, "fuzz.dex");
      } catch (e) {
        assert.ok(e instanceof DexError, `mutation ${i}: ${String(e)}`);
        assert.match(e.message, /^fuzz\.dex: .* at offset 0x[0-9a-f]+$/);
        errors++;
      }
    }
    assert.ok(errors > 100, `${errors} mutations failed`);
  });
});
