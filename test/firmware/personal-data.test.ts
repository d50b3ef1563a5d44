// The personal-data analyzer: SQLite databases built by the sqlite3 tool (multi-page b-trees,
// schema rows spilling into overflow pages, UTF-8 names), read back exactly; damaged and hostile
// databases that fall back to scanning CREATE TABLE text; and plain stores (vCards, saved Wi-Fi
// networks, GPS tracks, face and recording directories) in real images.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { personalDataAnalyzer } from "../../src/collect/firmware/analyzers/personal-data/index.js";
import { readSqliteSchema } from "../../src/collect/firmware/analyzers/personal-data/sqlite.js";
import { u32be } from "../../src/collect/firmware/source.js";
import { run, squashfsImage, tarImage, tmp, writeTree, type Tree } from "../helpers/fwimage.js";
import { analyzeBytes } from "./boot-trees.js";

/** Build a database with the real sqlite3 tool (Debian package sqlite3). */
function sqliteDb(sql: string): Buffer {
  const path = join(tmp(), "db.sqlite");
  run("sqlite3", [path], { input: Buffer.from(sql) });
  return readFileSync(path);
}

const WIDE = Array.from({ length: 80 }, (_, i) => `col_${String(i).padStart(3, "0")} TEXT`).join(", ");
const CONTACTS_SQL = [
  "PRAGMA page_size=512;",
  "CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT, phone_number TEXT, email TEXT);",
  "CREATE TABLE settings (key TEXT, value TEXT);",
  `CREATE TABLE events (${WIDE});`, // a schema row longer than a page: overflow pages
  'CREATE TABLE "géo_points" (latitude REAL, longitude REAL);',
  "CREATE INDEX contacts_name ON contacts(name);",
  "INSERT INTO settings VALUES ('lang', 'en'), ('tz', 'UTC');",
  "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)",
  "  INSERT INTO contacts(name, phone_number, email) SELECT 'Person ' || i, '+4930' || i, 'p' || i || '@example.org' FROM n;",
  "",
].join("\n");

const CONTACTS = sqliteDb(CONTACTS_SQL);

describe("SQLite schema reader", () => {
  it("reads tables, columns and row counts from the b-tree (interior pages, overflow, UTF-8)", () => {
    const s = readSqliteSchema(CONTACTS, "contacts.db");
    assert.equal(s.method, "btree");
    assert.deepEqual(s.problems, []);
    assert.deepEqual(
      s.tables.map((t) => [t.name, t.rows, t.columns.length]),
      [
        ["contacts", 300, 4],
        ["events", 0, 80],
        ["géo_points", 0, 2],
        ["settings", 2, 2],
      ],
    );
    assert.deepEqual(s.tables[0]!.columns, ["id", "name", "phone_number", "email"]);
    assert.equal(s.tables[1]!.columns[79], "col_079");
  });

  it("falls back to scanning CREATE TABLE text when the b-tree is damaged or hostile", () => {
    // Page 1 turned into an interior page whose right-most child is itself: a loop.
    const loop = Buffer.from(CONTACTS);
    loop[100] = 0x05;
    loop.writeUInt32BE(1, 108);
    const s = readSqliteSchema(loop, "loop.db");
    assert.equal(s.method, "scan");
    assert.match(s.problems[0]!, /page 1 appears twice|not a table b-tree|outside/);
    const names = s.tables.map((t) => t.name);
    for (const n of ["contacts", "géo_points", "settings"])
      assert.ok(names.includes(n), `${n} in ${names.join()}`);

    const badPageSize = Buffer.from(CONTACTS);
    badPageSize.writeUInt16BE(1000, 16);
    const b = readSqliteSchema(badPageSize, "bad.db");
    assert.equal(b.method, "scan");
    assert.equal(b.problems[0], "bad.db sqlite: page size 1000 is not a power of two from 512 to 65536");

    // Cut after two pages: the schema's leaves are further on, so nothing is left to find.
    const truncated = readSqliteSchema(CONTACTS.subarray(0, 1024), "cut.db");
    assert.equal(truncated.method, "scan");
    assert.match(truncated.problems[0]!, /^cut\.db sqlite: page \d+ is outside the file \(2 pages\)$/);
  });

  it("counts no rows it cannot reach: a child pointer beyond the file is a problem, not a crash", () => {
    const db = Buffer.from(CONTACTS);
    // Find the contacts root page from the schema and point its right-most child past the end.
    const pageSize = 512;
    let patched = false;
    for (let p = 2; p <= db.length / pageSize && !patched; p++) {
      const o = (p - 1) * pageSize;
      if (db[o] === 0x05) {
        db.writeUInt32BE(0x7fffffff, o + 8);
        patched = u32be(db, o + 8) === 0x7fffffff;
      }
    }
    assert.ok(patched, "the contacts table has an interior page");
    const s = readSqliteSchema(db, "far.db");
    assert.equal(s.method, "btree");
    assert.equal(s.tables.find((t) => t.name === "contacts")!.rows, undefined);
    assert.match(s.problems[0]!, /page 2147483647 is outside the file/);
  });

  it("survives a few hundred mutated databases without throwing", () => {
    let seed = 3;
    const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const started = Date.now();
    for (let i = 0; i < 400; i++) {
      const db = Buffer.from(CONTACTS);
      for (let k = 0; k < 1 + Math.floor(next() * 12); k++) {
        // Aim at the header and the first pages, where the structure is.
        const at = Math.floor(next() * (next() < 0.7 ? 2048 : db.length));
        db[at] = Math.floor(next() * 256);
      }
      const s = readSqliteSchema(next() < 0.2 ? db.subarray(0, Math.floor(next() * db.length)) : db, "m.db");
      assert.ok(s.method === "btree" || s.method === "scan");
    }
    assert.ok(Date.now() - started < 10_000);
  });
});

describe("personal-data analyzer", () => {
  const VCARDS = "BEGIN:VCARD\nVERSION:3.0\nFN:Ann\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Bob\nEND:VCARD\n";
  const TREE: Tree = {
    "data/contacts.db": { content: CONTACTS },
    "data/empty.db": { content: sqliteDb("CREATE TABLE config (k TEXT, v TEXT);\n") },
    "data/phonebook.vcf": VCARDS,
    "etc/wpa_supplicant.conf":
      'ctrl_interface=/var/run/wpa_supplicant\nnetwork={\n\tssid="HomeNet"\n\tpsk="hunter22"\n}\nnetwork={\n\tssid="Open"\n\tkey_mgmt=NONE\n}\n',
    "etc/wpa_supplicant-empty.conf": "ctrl_interface=/var/run/wpa_supplicant\n",
    "mnt/sd/recordings/2024-01-01.mp4": "....",
    "mnt/sd/recordings/2024-01-02.mp4": "....",
    "var/lib/face_db/u1.feat": "f",
    "var/log/track.gpx":
      '<gpx><trk><trkseg><trkpt lat="52.5" lon="13.4"/><trkpt lat="52.6" lon="13.4"/></trkseg></trk></gpx>',
    "www/photos/logo.png": "png",
  };
  const EXPECTED = [
    {
      location: "/data/contacts.db",
      data: {
        store: "sqlite",
        detail:
          "SQLite database with 4 tables: contacts (300 rows), events (0 rows), géo_points (0 rows), settings (2 rows)",
        categories: ["accounts", "contacts", "location"],
        tables: ["contacts", "events", "géo_points", "settings"],
        records: 302,
      },
    },
    {
      location: "/data/empty.db",
      data: {
        store: "sqlite",
        detail: "SQLite database with 1 table: config (0 rows)",
        categories: [],
        tables: ["config"],
        records: 0,
      },
    },
    {
      location: "/data/phonebook.vcf",
      data: { store: "plain", detail: "contact list with 2 vCards", categories: ["contacts"], records: 2 },
    },
    {
      location: "/etc/wpa_supplicant.conf",
      data: {
        store: "plain",
        detail: "saved Wi-Fi network with passphrase (1)",
        categories: ["wifi-credentials"],
        records: 1,
      },
    },
    {
      location: "/mnt/sd/recordings",
      data: {
        store: "plain",
        detail: "directory for recordings and pictures holding 2 files",
        categories: ["media"],
        records: 2,
      },
    },
    {
      location: "/var/lib/face_db",
      data: {
        store: "plain",
        detail: "directory for face data holding 1 file",
        categories: ["biometrics"],
        records: 1,
      },
    },
    {
      location: "/var/log/track.gpx",
      data: { store: "plain", detail: "location data with 2 points", categories: ["location"], records: 2 },
    },
  ];

  it("finds databases and plain stores, not web assets or empty supplicant files (tar)", () => {
    assert.deepEqual(analyzeBytes(readFileSync(tarImage(writeTree(TREE))), [personalDataAnalyzer]), EXPECTED);
  });

  it("finds the same in squashfs", () => {
    assert.deepEqual(
      analyzeBytes(readFileSync(squashfsImage(writeTree(TREE))), [personalDataAnalyzer]),
      EXPECTED,
    );
  });
});
