// CPE 2.3 names (NISTIR 7695) and name matching (NISTIR 7696).
//
// A name is held as a WFN (well-formed name): eleven attribute values, each ANY ("*"), NA ("-") or a
// string in WFN form, where every character other than a letter, a digit or "_" is quoted with a
// backslash ("1\.0\.2k", "prod\:uct") and an unquoted "*" or "?" at the start or end is a wildcard.
// Because punctuation is always quoted in WFN form, the bare "*" and "-" cannot be string values.
//
// Bindings: the formatted string "cpe:2.3:part:vendor:product:version:update:edition:language:
// sw_edition:target_sw:target_hw:other" (FS) and the older URI "cpe:/part:vendor:product:version:
// update:edition:language" with percent-encoding and the "~"-packed edition.

export const CPE_ATTRIBUTES = [
  "part",
  "vendor",
  "product",
  "version",
  "update",
  "edition",
  "language",
  "sw_edition",
  "target_sw",
  "target_hw",
  "other",
] as const;
export type CpeAttribute = (typeof CPE_ATTRIBUTES)[number];

export const ANY = "*";
export const NA = "-";

/** A well-formed name: ANY, NA or a WFN-quoted string per attribute. */
export type Wfn = Record<CpeAttribute, string>;

export class CpeError extends Error {
  override name = "CpeError";
}

const isAlnum = (c: string) => /^[A-Za-z0-9]$/.test(c);
const isPunct = (c: string) => /^[!-/:-@[-`{-~]$/.test(c);

// ---------------------------------------------------------------------------------------------
// Formatted string binding

/** Splits on colons that are not quoted with a backslash. */
function splitFs(s: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "\\" && i + 1 < s.length) {
      cur += c + s[i + 1]!;
      i++;
    } else if (c === ":") {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** True when position i of s lies in a leading or trailing run of `ch`. */
function inEdgeRun(s: string, i: number, ch: string): boolean {
  let lead = true;
  for (let k = 0; k < i; k++) if (s[k] !== ch) lead = false;
  let trail = true;
  for (let k = i + 1; k < s.length; k++) if (s[k] !== ch) trail = false;
  return lead || trail;
}

function unbindFsValue(s: string, attr: CpeAttribute): string {
  if (s === "*") return ANY;
  if (s === "-") return NA;
  if (s === "") throw new CpeError(`empty ${attr}`);
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "\\") {
      const next = s[i + 1];
      if (next === undefined) throw new CpeError(`${attr} "${s}" ends in an escape`);
      if (next === "_") out += "_";
      else if (isPunct(next)) out += "\\" + next;
      else throw new CpeError(`${attr} "${s}" escapes "${next}", which is not punctuation`);
      i++;
    } else if (isAlnum(c) || c === "_") {
      out += c;
    } else if (c === "*") {
      if ((i !== 0 && i !== s.length - 1) || s[i + 1] === "*") {
        throw new CpeError(`${attr} "${s}" has "*" inside it (only at the start or end)`);
      }
      out += c;
    } else if (c === "?") {
      if (!inEdgeRun(s, i, "?")) throw new CpeError(`${attr} "${s}" has "?" inside it (only at the ends)`);
      out += c;
    } else if (isPunct(c)) {
      out += "\\" + c;
    } else {
      throw new CpeError(`${attr} "${s}" has a character that is not printable ASCII`);
    }
  }
  return out;
}

function checkPart(w: Wfn): Wfn {
  if (w.part !== ANY && !/^[aoh]$/i.test(w.part)) {
    throw new CpeError(`part must be a, o or h, not "${w.part}"`);
  }
  return w;
}

/** Parses a CPE 2.3 formatted string. Throws CpeError. */
export function parseCpe23(fs: string): Wfn {
  if (!/^cpe:2\.3:/i.test(fs)) throw new CpeError(`"${fs}" does not start with cpe:2.3:`);
  const fields = splitFs(fs.slice(8));
  if (fields.length !== 11) throw new CpeError(`"${fs}" has ${fields.length} attributes, not 11`);
  const w = {} as Wfn;
  CPE_ATTRIBUTES.forEach((a, i) => (w[a] = unbindFsValue(fields[i]!, a)));
  return checkPart(w);
}

function bindFsValue(v: string): string {
  if (v === ANY || v === NA) return v;
  let out = "";
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === "\\") {
      const next = v[++i]!;
      out += next === "." || next === "-" || next === "_" ? next : "\\" + next;
    } else out += c;
  }
  return out;
}

/** Binds a WFN to a CPE 2.3 formatted string. */
export function formatCpe23(w: Wfn): string {
  return "cpe:2.3:" + CPE_ATTRIBUTES.map((a) => bindFsValue(w[a])).join(":");
}

// ---------------------------------------------------------------------------------------------
// URI binding (CPE 2.2 style)

function decodeUriValue(raw: string, attr: string): string {
  const s = raw.toLowerCase();
  if (s === "") return ANY;
  if (s === "-") return NA;
  // Work in units so the wildcard position check sees %01/%02 as one character.
  const units: { wild?: string; text: string }[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "%") {
      const code = s.slice(i, i + 3);
      if (!/^%[0-9a-f]{2}$/.test(code)) throw new CpeError(`${attr} "${raw}" has a bad percent-encoding`);
      i += 2;
      if (code === "%01") units.push({ wild: "?", text: "?" });
      else if (code === "%02") units.push({ wild: "*", text: "*" });
      else {
        const ch = String.fromCharCode(parseInt(code.slice(1), 16));
        if (!isPunct(ch)) throw new CpeError(`${attr} "${raw}" percent-encodes "${ch}"`);
        units.push({ text: ch === "_" ? "_" : "\\" + ch });
      }
    } else if (c === "." || c === "-" || c === "~") {
      units.push({ text: "\\" + c });
    } else if (isAlnum(c) || c === "_") {
      units.push({ text: c });
    } else {
      throw new CpeError(`${attr} "${raw}" has "${c}", which a CPE URI must percent-encode`);
    }
  }
  units.forEach((u, i) => {
    if (u.wild === "*" && i !== 0 && i !== units.length - 1) {
      throw new CpeError(`${attr} "${raw}" has %02 inside it`);
    }
    if (u.wild === "?") {
      const lead = units.slice(0, i).every((x) => x.wild === "?");
      const trail = units.slice(i + 1).every((x) => x.wild === "?");
      if (!lead && !trail) throw new CpeError(`${attr} "${raw}" has %01 inside it`);
    }
  });
  return units.map((u) => u.text).join("");
}

/** Parses a CPE URI ("cpe:/a:vendor:product:version:update:edition:language"). Throws CpeError. */
export function parseCpeUri(uri: string): Wfn {
  if (!/^cpe:\//i.test(uri)) throw new CpeError(`"${uri}" does not start with cpe:/`);
  const parts = uri.slice(5).split(":");
  if (parts.length > 7) throw new CpeError(`"${uri}" has ${parts.length} components, at most 7`);
  const w = {} as Wfn;
  for (const a of CPE_ATTRIBUTES) w[a] = ANY;
  const names = ["part", "vendor", "product", "version", "update", "edition", "language"] as const;
  names.forEach((a, i) => {
    const raw = parts[i] ?? "";
    if (a === "edition" && raw.startsWith("~")) {
      const packed = raw.split("~");
      if (packed.length !== 6) throw new CpeError(`"${uri}" packs ${packed.length - 1} editions, not 5`);
      const [, ed, swEd, tSw, tHw, other] = packed as [string, string, string, string, string, string];
      w.edition = decodeUriValue(ed, "edition");
      w.sw_edition = decodeUriValue(swEd, "sw_edition");
      w.target_sw = decodeUriValue(tSw, "target_sw");
      w.target_hw = decodeUriValue(tHw, "target_hw");
      w.other = decodeUriValue(other, "other");
    } else {
      w[a] = decodeUriValue(raw, a);
    }
  });
  return checkPart(w);
}

function encodeUriValue(v: string): string {
  if (v === ANY) return "";
  if (v === NA) return "-";
  let out = "";
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === "\\") {
      const next = v[++i]!;
      out += next === "-" || next === "." ? next : "%" + next.charCodeAt(0).toString(16).padStart(2, "0");
    } else if (c === "?") out += "%01";
    else if (c === "*") out += "%02";
    else out += c;
  }
  return out;
}

/** Binds a WFN to a CPE URI; the extended attributes are packed into the edition when any is set. */
export function formatCpeUri(w: Wfn): string {
  const ext = [w.sw_edition, w.target_sw, w.target_hw, w.other];
  const edition = ext.every((x) => x === ANY)
    ? encodeUriValue(w.edition)
    : "~" + [w.edition, ...ext].map(encodeUriValue).join("~");
  const parts = [w.part, w.vendor, w.product, w.version, w.update].map(encodeUriValue);
  parts.push(edition, encodeUriValue(w.language));
  return ("cpe:/" + parts.join(":")).replace(/:+$/, "");
}

// ---------------------------------------------------------------------------------------------
// Either binding, and building names from plain text

/** Parses either binding. Throws CpeError. */
export function parseCpe(s: string): Wfn {
  return /^cpe:\//i.test(s) ? parseCpeUri(s) : parseCpe23(s);
}

export function tryParseCpe(s: string): Wfn | undefined {
  try {
    return parseCpe(s);
  } catch (e) {
    if (e instanceof CpeError) return undefined;
    throw e;
  }
}

/** Plain text to a WFN string: quotes every character but letters, digits and "_" (no wildcards). */
export function quoteValue(text: string): string {
  if (text === "") throw new CpeError("empty value");
  let out = "";
  for (const c of text) {
    if (isAlnum(c) || c === "_") out += c;
    else if (isPunct(c)) out += "\\" + c;
    else throw new CpeError(`"${text}" has a character that is not printable ASCII`);
  }
  return out;
}

/** A WFN string as plain text ("1\.0\:build1" -> "1.0:build1"); ANY and NA come back as "*" and "-". */
export function unquoteValue(v: string): string {
  return v.replace(/\\(.)/g, "$1");
}

/** A WFN from plain-text values; attributes not given are ANY. */
export function makeWfn(values: Partial<Record<CpeAttribute, string>>): Wfn {
  const w = {} as Wfn;
  for (const a of CPE_ATTRIBUTES) {
    const v = values[a];
    w[a] = v === undefined || v === ANY ? ANY : v === NA ? NA : quoteValue(v);
  }
  return checkPart(w);
}

// ---------------------------------------------------------------------------------------------
// Matching (NISTIR 7696)

export type Relation = "equal" | "subset" | "superset" | "disjoint" | "undefined";

type Unit = { wild?: "*" | "?"; ch: string };

function units(v: string): Unit[] {
  const out: Unit[] = [];
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === "\\") out.push({ ch: v[++i]! });
    else if (c === "*" || c === "?") out.push({ wild: c, ch: c });
    else out.push({ ch: c });
  }
  return out;
}

function hasWildcards(v: string): boolean {
  return units(v).some((u) => u.wild !== undefined);
}

/**
 * A source value with wildcards against a target without: SUPERSET when it matches, else DISJOINT.
 * "*" matches any run of characters; each "?" matches at most one (as in the NISTIR 7696
 * reference algorithm, where a leading "??" lets the match start 0, 1 or 2 characters in).
 */
function compareStrings(source: string, target: string): Relation {
  const src = units(source);
  const tgt = units(target).map((u) => u.ch);
  let begins = 0; // -1: any number of leading characters
  let ends = 0;
  let start = 0;
  let end = src.length;
  if (src[0]?.wild === "*") {
    begins = -1;
    start = 1;
  } else {
    while (start < end && src[start]!.wild === "?") {
      start++;
      begins++;
    }
  }
  if (end > start && src[end - 1]!.wild === "*") {
    ends = -1;
    end--;
  } else {
    while (end > start && src[end - 1]!.wild === "?") {
      end--;
      ends++;
    }
  }
  const core = src.slice(start, end).map((u) => u.ch);
  for (let p = 0; p + core.length <= tgt.length; p++) {
    if (begins !== -1 && p > begins) break;
    const leftover = tgt.length - p - core.length;
    if (ends !== -1 && leftover > ends) continue;
    if (core.every((c, k) => tgt[p + k] === c)) return "superset";
  }
  return "disjoint";
}

/** The relation of one source attribute value to one target value (NISTIR 7696 table 6-2). */
export function compareAttribute(source: string, target: string): Relation {
  const s = source.toLowerCase();
  const t = target.toLowerCase();
  if (t !== ANY && t !== NA && hasWildcards(t)) return "undefined";
  if (s === t) return "equal";
  if (s === ANY) return "superset";
  if (t === ANY) return "subset";
  if (s === NA || t === NA) return "disjoint";
  return compareStrings(s, t);
}

export interface CpeComparison {
  /** disjoint if any attribute is; equal if all are; superset/subset if all are that or equal. */
  relation: Relation;
  attributes: Record<CpeAttribute, Relation>;
}

export function compareCpe(source: Wfn, target: Wfn): CpeComparison {
  const attributes = {} as Record<CpeAttribute, Relation>;
  for (const a of CPE_ATTRIBUTES) attributes[a] = compareAttribute(source[a], target[a]);
  const rs = Object.values(attributes);
  let relation: Relation = "undefined";
  if (rs.includes("disjoint")) relation = "disjoint";
  else if (rs.every((r) => r === "equal")) relation = "equal";
  else if (rs.every((r) => r === "superset" || r === "equal")) relation = "superset";
  else if (rs.every((r) => r === "subset" || r === "equal")) relation = "subset";
  return { relation, attributes };
}

/** True when the source names every product the target names (CPE name match: superset or equal). */
export function cpeMatches(source: Wfn, target: Wfn): boolean {
  const r = compareCpe(source, target).relation;
  return r === "superset" || r === "equal";
}
