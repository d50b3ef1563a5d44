// The schema of an SQLite database file, read from its bytes (file format as documented at
// sqlite.org/fileformat.html): page 1 is the root of the sqlite_schema table b-tree, whose rows are
// (type, name, tbl_name, rootpage, sql). Each table's b-tree is then walked to count its rows.
// Every offset is checked against the page and the file, every walk is bounded by a page budget
// and a visited set, and when the b-tree cannot be read the CREATE TABLE statements are found by
// scanning the bytes instead.
import { FormatError, u16be, u32be } from "../../source.js";

export interface SqliteTable {
  name: string;
  columns: string[];
  /** Rows counted in the table's b-tree; undefined when it could not be walked. */
  rows?: number;
}

export interface SqliteSchema {
  tables: SqliteTable[];
  /** "btree" when read from sqlite_schema, "scan" when found by scanning CREATE TABLE text. */
  method: "btree" | "scan";
  problems: string[];
}

export const SQLITE_MAGIC = Buffer.from("SQLite format 3\0", "latin1");
/** Pages visited per database (schema and row counting together). */
const MAX_PAGES = 50_000;
/** Longest schema row assembled from overflow pages. */
const MAX_RECORD = 1024 * 1024;
const MAX_SCAN = 16 * 1024 * 1024;

interface Db {
  b: Uint8Array;
  name: string;
  pageSize: number;
  usable: number;
  pages: number;
  encoding: number;
  budget: { pages: number };
}

export function readSqliteSchema(b: Uint8Array, name: string): SqliteSchema {
  try {
    const db = open(b, name);
    const tables = schemaRows(db);
    const problems: string[] = [];
    for (const t of tables) {
      try {
        t.table.rows = countRows(db, t.root);
      } catch (e) {
        problems.push((e as Error).message);
      }
    }
    return { tables: tables.map((t) => t.table), method: "btree", problems };
  } catch (e) {
    if (!(e instanceof FormatError) && !(e instanceof RangeError)) throw e;
    return { tables: scanCreateTables(b), method: "scan", problems: [e.message] };
  }
}

function open(b: Uint8Array, name: string): Db {
  if (b.length < 100 || !Buffer.from(b.subarray(0, 16)).equals(SQLITE_MAGIC))
    throw new FormatError(`${name}: not an SQLite database (no "SQLite format 3" header)`);
  const raw = u16be(b, 16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0)
    throw new FormatError(`${name} sqlite: page size ${raw} is not a power of two from 512 to 65536`);
  const usable = pageSize - b[20]!;
  if (usable < 480)
    throw new FormatError(`${name} sqlite: ${b[20]} reserved bytes leave too little of a page`);
  const encoding = u32be(b, 56);
  return {
    b,
    name,
    pageSize,
    usable,
    pages: Math.floor(b.length / pageSize),
    encoding: encoding >= 1 && encoding <= 3 ? encoding : 1,
    budget: { pages: MAX_PAGES },
  };
}

function pageStart(db: Db, page: number): number {
  if (!Number.isInteger(page) || page < 1 || page > db.pages)
    throw new FormatError(`${db.name} sqlite: page ${page} is outside the file (${db.pages} pages)`);
  if (--db.budget.pages < 0) throw new FormatError(`${db.name} sqlite: more than ${MAX_PAGES} pages visited`);
  return (page - 1) * db.pageSize;
}

/** A varint: up to 9 bytes, big-endian 7-bit groups, the 9th byte contributes 8 bits. */
function varint(b: Uint8Array, off: number, end: number): [number, number] {
  let v = 0;
  for (let i = 0; i < 9; i++) {
    if (off + i >= end) throw new FormatError("sqlite: varint runs past the end of its page");
    const byte = b[off + i]!;
    if (i === 8) return [v * 256 + byte, 9];
    v = v * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) return [v, i + 1];
  }
  return [v, 9];
}

/** Visit every leaf cell of a table b-tree (iteratively: hostile trees cannot exhaust the stack). */
function walkTable(
  db: Db,
  root: number,
  leaf: (pageBase: number, cell: number, pageEnd: number) => void,
): void {
  const stack = [root];
  const seen = new Set<number>();
  while (stack.length > 0) {
    const page = stack.pop()!;
    if (seen.has(page)) throw new FormatError(`${db.name} sqlite: page ${page} appears twice in one b-tree`);
    seen.add(page);
    const base = pageStart(db, page);
    const h = base + (page === 1 ? 100 : 0);
    const end = base + db.pageSize;
    const type = db.b[h];
    const cells = u16be(db.b, h + 3);
    const ptrs = h + (type === 0x05 ? 12 : 8);
    if (type !== 0x0d && type !== 0x05)
      throw new FormatError(`${db.name} sqlite: page ${page} is not a table b-tree page (type ${type})`);
    if (ptrs + cells * 2 > end) throw new FormatError(`${db.name} sqlite: page ${page} has too many cells`);
    for (let i = 0; i < cells; i++) {
      const cell = base + u16be(db.b, ptrs + i * 2);
      if (cell < ptrs || cell >= end)
        throw new FormatError(`${db.name} sqlite: cell ${i} of page ${page} is outside it`);
      if (type === 0x05) {
        if (cell + 4 > end) throw new FormatError(`${db.name} sqlite: cell ${i} of page ${page} is cut`);
        stack.push(u32be(db.b, cell));
      } else leaf(base, cell, end);
    }
    if (type === 0x05) stack.push(u32be(db.b, h + 8));
  }
}

function countRows(db: Db, root: number): number {
  let n = 0;
  walkTable(db, root, () => n++);
  return n;
}

/** The payload of a leaf cell, following overflow pages up to MAX_RECORD bytes. */
function payload(db: Db, cell: number, end: number): Uint8Array {
  const [size, a] = varint(db.b, cell, end);
  const [, c] = varint(db.b, cell + a, end);
  const start = cell + a + c;
  const U = db.usable;
  const X = U - 35;
  let local = size;
  if (size > X) {
    const M = Math.floor(((U - 12) * 32) / 255) - 23;
    const K = M + ((size - M) % (U - 4));
    local = K <= X ? K : M;
  }
  if (start + local > end) throw new FormatError(`${db.name} sqlite: a record runs past its page`);
  const want = Math.min(size, MAX_RECORD);
  const parts: Uint8Array[] = [db.b.subarray(start, start + Math.min(local, want))];
  let have = parts[0]!.length;
  let next = local < size && start + local + 4 <= end ? u32be(db.b, start + local) : 0;
  const seen = new Set<number>();
  while (have < want && next !== 0) {
    if (seen.has(next)) throw new FormatError(`${db.name} sqlite: overflow pages loop at page ${next}`);
    seen.add(next);
    const base = pageStart(db, next);
    const take = Math.min(U - 4, want - have);
    parts.push(db.b.subarray(base + 4, base + 4 + take));
    have += take;
    next = u32be(db.b, base);
  }
  return Buffer.concat(parts);
}

type Value = string | number | null;

function record(db: Db, p: Uint8Array): Value[] {
  const [hsize, n0] = varint(p, 0, p.length);
  if (hsize > p.length) throw new FormatError(`${db.name} sqlite: record header longer than the record`);
  const types: number[] = [];
  for (let off = n0; off < hsize;) {
    const [t, n] = varint(p, off, hsize);
    types.push(t);
    off += n;
  }
  const out: Value[] = [];
  let off = hsize;
  const INT = [0, 1, 2, 3, 4, 6, 8];
  for (const t of types) {
    if (t === 0 || t === 8 || t === 9) out.push(t === 0 ? null : t - 8);
    else if (t >= 1 && t <= 6) {
      const len = INT[t]!;
      let v = 0;
      for (let i = 0; i < len; i++) v = v * 256 + (p[off + i] ?? 0);
      if (len > 0 && (p[off] ?? 0) & 0x80) v -= 2 ** (8 * len); // two's complement
      out.push(v);
      off += len;
    } else if (t === 7) {
      out.push(null);
      off += 8;
    } else if (t >= 12) {
      const len = Math.floor((t - (t % 2 === 0 ? 12 : 13)) / 2);
      const bytes = p.subarray(off, off + len);
      out.push(t % 2 === 0 ? null : decodeText(bytes, db.encoding));
      off += len;
    } else out.push(null);
  }
  return out;
}

function decodeText(b: Uint8Array, encoding: number): string {
  const buf = Buffer.from(b);
  if (encoding === 2) return buf.toString("utf16le");
  if (encoding === 3) return Buffer.from(buf).swap16().toString("utf16le");
  return buf.toString("utf8");
}

function schemaRows(db: Db): { table: SqliteTable; root: number }[] {
  const out: { table: SqliteTable; root: number }[] = [];
  walkTable(db, 1, (_base, cell, end) => {
    const [type, name, , root, sql] = record(db, payload(db, cell, end));
    if (type !== "table" || typeof name !== "string" || name.startsWith("sqlite_")) return;
    out.push({
      table: { name, columns: typeof sql === "string" ? columnsOf(sql) : [] },
      root: typeof root === "number" ? root : 0,
    });
  });
  return out.sort((a, b) => (a.table.name < b.table.name ? -1 : a.table.name > b.table.name ? 1 : 0));
}

/** Column names from a CREATE TABLE statement: the first word of each top-level item. */
export function columnsOf(sql: string): string[] {
  const open = sql.indexOf("(");
  const close = sql.lastIndexOf(")");
  if (open < 0) return [];
  const body = sql.slice(open + 1, close > open ? close : undefined);
  const items: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of body) {
    if (ch === "(") depth++;
    else if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      items.push(cur);
      cur = "";
    } else cur += ch;
  }
  items.push(cur);
  return items
    .map((i) => /^\s*["'`[]?([^"'`\]\s]+)/.exec(i)?.[1] ?? "")
    .filter((c) => c && !/^(primary|unique|check|foreign|constraint)$/i.test(c));
}

/** Fallback: CREATE TABLE statements found anywhere in the bytes. */
export function scanCreateTables(b: Uint8Array): SqliteTable[] {
  const text = Buffer.from(b.subarray(0, MAX_SCAN)).toString("latin1");
  const seen = new Map<string, SqliteTable>();
  // Names may hold UTF-8 (read here as latin1 bytes, decoded back below).
  const re =
    /CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?["'`[]?([\w$\u0080-\u00ff]+)["'`\]]?\s*(\([^\0]{0,4096}?\))/gi;
  for (const m of text.matchAll(re)) {
    const name = Buffer.from(m[1]!, "latin1").toString("utf8");
    if (!seen.has(name) && !name.startsWith("sqlite_")) seen.set(name, { name, columns: columnsOf(m[2]!) });
    if (seen.size >= 10_000) break;
  }
  return [...seen.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
