// A bounded ELF reader (System V gABI): the file header, program headers, section headers, the
// dynamic section and the symbol tables. ELF32/ELF64, little- and big-endian. Every offset and
// size comes from the file and is checked against the file before use; a header that cannot be
// read throws FormatError, and tables that cannot be read are skipped with a problem noted, so
// a damaged binary still yields what is readable.
import { FormatError } from "../../source.js";

export const ELF_MAGIC = Uint8Array.of(0x7f, 0x45, 0x4c, 0x46);

// Program header types, dynamic tags and flags used below (gABI and GNU extensions).
export const PT = {
  LOAD: 1,
  DYNAMIC: 2,
  INTERP: 3,
  NOTE: 4,
  PHDR: 6,
  TLS: 7,
  GNU_EH_FRAME: 0x6474e550,
  GNU_STACK: 0x6474e551,
  GNU_RELRO: 0x6474e552,
  GNU_PROPERTY: 0x6474e553,
} as const;
export const PF_X = 1;
export const SHT = { SYMTAB: 2, STRTAB: 3, DYNAMIC: 6, NOBITS: 8, DYNSYM: 11 } as const;
export const DT = {
  NULL: 0,
  NEEDED: 1,
  HASH: 4,
  STRTAB: 5,
  SYMTAB: 6,
  STRSZ: 10,
  SONAME: 14,
  RPATH: 15,
  BIND_NOW: 24,
  RUNPATH: 29,
  FLAGS: 30,
  GNU_HASH: 0x6ffffef5,
  FLAGS_1: 0x6ffffffb,
} as const;
export const DF_BIND_NOW = 0x8;
export const DF_1_NOW = 0x1;
export const DF_1_PIE = 0x08000000;
export const ET = { REL: 1, EXEC: 2, DYN: 3, CORE: 4 } as const;

export interface ElfHeader {
  bits: 32 | 64;
  endian: "little" | "big";
  type: number;
  machine: number;
  entry: number;
  phoff: number;
  shoff: number;
  flags: number;
  phentsize: number;
  phnum: number;
  shentsize: number;
  shnum: number;
  shstrndx: number;
}

export interface ProgramHeader {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  paddr: number;
  filesz: number;
  memsz: number;
  align: number;
}

export interface SectionHeader {
  name: string;
  type: number;
  flags: number;
  addr: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  entsize: number;
}

export interface DynamicEntry {
  tag: number;
  value: number;
}

export interface ElfSymbol {
  name: string;
  value: number;
  size: number;
  /** st_info: binding in the high nibble, type in the low one. */
  info: number;
  shndx: number;
}

export interface ElfFile {
  header: ElfHeader;
  programs: ProgramHeader[];
  sections: SectionHeader[];
  interp?: string;
  dynamic: DynamicEntry[];
  needed: string[];
  soname?: string;
  rpath?: string;
  runpath?: string;
  /** .dynsym entries (index 0 included, as readelf lists them). */
  dynsym: ElfSymbol[];
  /**
   * Names the dynamic linker resolves: from .dynsym (found through the dynamic table when there
   * are no section headers); failing that, every string of DT_STRTAB (a superset: it also holds
   * library names).
   */
  dynamicNames: string[];
  /** Entries in .symtab, undefined when there is none (a stripped binary). */
  symtab?: ElfSymbol[];
  /** What could not be read: the rest of the file is still reported. */
  problems: string[];
}

/** Most symbols or dynamic entries read from one table, far above real binaries. */
const MAX_ENTRIES = 1_000_000;
const MAX_STRING = 4096;

class Reader {
  constructor(
    readonly b: Uint8Array,
    readonly le: boolean,
    readonly wide: boolean,
  ) {}
  u8(o: number): number {
    return this.b[o]!;
  }
  u16(o: number): number {
    const b = this.b;
    return this.le ? b[o]! | (b[o + 1]! << 8) : (b[o]! << 8) | b[o + 1]!;
  }
  u32(o: number): number {
    const b = this.b;
    return this.le
      ? (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0
      : ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
  }
  /** 64-bit as a JS number: exact below 2^53, which covers every valid offset and size. */
  u64(o: number): number {
    return this.le ? this.u32(o) + this.u32(o + 4) * 2 ** 32 : this.u32(o) * 2 ** 32 + this.u32(o + 4);
  }
  /** An address-sized field: 4 bytes in ELF32, 8 in ELF64. */
  addr(o: number): number {
    return this.wide ? this.u64(o) : this.u32(o);
  }
}

function inside(size: number, offset: number, length: number): boolean {
  return (
    Number.isSafeInteger(offset) &&
    Number.isSafeInteger(length) &&
    offset >= 0 &&
    length >= 0 &&
    offset + length <= size
  );
}

function cString(b: Uint8Array, offset: number, end: number): string | undefined {
  if (offset < 0 || offset >= end) return undefined;
  const stop = Math.min(end, offset + MAX_STRING);
  let i = offset;
  while (i < stop && b[i] !== 0) i++;
  return Buffer.from(b.buffer, b.byteOffset + offset, i - offset).toString("latin1");
}

export function isElf(head: Uint8Array): boolean {
  return head.length >= 4 && ELF_MAGIC.every((m, i) => head[i] === m);
}

function readHeader(b: Uint8Array, name: string): { r: Reader; h: ElfHeader } {
  if (!isElf(b)) throw new FormatError(`${name}: not an ELF file (no 7F 45 4C 46 magic)`);
  const cls = b[4];
  const data = b[5];
  if (cls !== 1 && cls !== 2) throw new FormatError(`${name}: ELF class ${cls} is neither 32- nor 64-bit`);
  if (data !== 1 && data !== 2)
    throw new FormatError(`${name}: ELF data encoding ${data} is neither little- nor big-endian`);
  const wide = cls === 2;
  const ehsize = wide ? 64 : 52;
  if (b.length < ehsize)
    throw new FormatError(`${name}: ELF header truncated (${b.length} of ${ehsize} bytes)`);
  const r = new Reader(b, data === 1, wide);
  const h: ElfHeader = wide
    ? {
        bits: 64,
        endian: r.le ? "little" : "big",
        type: r.u16(16),
        machine: r.u16(18),
        entry: r.u64(24),
        phoff: r.u64(32),
        shoff: r.u64(40),
        flags: r.u32(48),
        phentsize: r.u16(54),
        phnum: r.u16(56),
        shentsize: r.u16(58),
        shnum: r.u16(60),
        shstrndx: r.u16(62),
      }
    : {
        bits: 32,
        endian: r.le ? "little" : "big",
        type: r.u16(16),
        machine: r.u16(18),
        entry: r.u32(24),
        phoff: r.u32(28),
        shoff: r.u32(32),
        flags: r.u32(36),
        phentsize: r.u16(42),
        phnum: r.u16(44),
        shentsize: r.u16(46),
        shnum: r.u16(48),
        shstrndx: r.u16(50),
      };
  return { r, h };
}

/**
 * Large section and program header counts live in section 0 (gABI "extended numbering"):
 * e_shnum 0 → sh_size, e_shstrndx SHN_XINDEX → sh_link, e_phnum PN_XNUM → sh_info.
 */
function applyExtendedNumbering(r: Reader, h: ElfHeader, problems: string[], name: string): void {
  const needs = (h.shnum === 0 && h.shoff !== 0) || h.shstrndx === 0xffff || h.phnum === 0xffff;
  if (!needs) return;
  const shsize = r.wide ? 64 : 40;
  if (h.shentsize < shsize || !inside(r.b.length, h.shoff, shsize)) {
    problems.push(`${name}: extended section numbering, but section 0 is not in the file`);
    if (h.phnum === 0xffff) h.phnum = 0;
    return;
  }
  const o = h.shoff;
  if (h.shnum === 0) h.shnum = r.wide ? r.u64(o + 32) : r.u32(o + 20);
  if (h.shstrndx === 0xffff) h.shstrndx = r.u32(o + (r.wide ? 40 : 24));
  if (h.phnum === 0xffff) h.phnum = r.u32(o + (r.wide ? 44 : 28));
}

function readPrograms(r: Reader, h: ElfHeader, problems: string[], name: string): ProgramHeader[] {
  if (h.phnum === 0) return [];
  const min = r.wide ? 56 : 32;
  if (h.phentsize < min) {
    problems.push(`${name}: program header entry size ${h.phentsize} is below ${min}`);
    return [];
  }
  // A count that runs past the end keeps the entries that are there.
  const fit = h.phoff < r.b.length ? Math.floor((r.b.length - h.phoff) / h.phentsize) : 0;
  const count = Math.min(h.phnum, fit);
  if (count < h.phnum)
    problems.push(
      `${name}: program headers at 0x${h.phoff.toString(16)} run past the end of the file (${count} of ${h.phnum} readable)`,
    );
  const out: ProgramHeader[] = [];
  for (let i = 0; i < count; i++) {
    const o = h.phoff + i * h.phentsize;
    out.push(
      r.wide
        ? {
            type: r.u32(o),
            flags: r.u32(o + 4),
            offset: r.u64(o + 8),
            vaddr: r.u64(o + 16),
            paddr: r.u64(o + 24),
            filesz: r.u64(o + 32),
            memsz: r.u64(o + 40),
            align: r.u64(o + 48),
          }
        : {
            type: r.u32(o),
            offset: r.u32(o + 4),
            vaddr: r.u32(o + 8),
            paddr: r.u32(o + 12),
            filesz: r.u32(o + 16),
            memsz: r.u32(o + 20),
            flags: r.u32(o + 24),
            align: r.u32(o + 28),
          },
    );
  }
  return out;
}

function readSections(r: Reader, h: ElfHeader, problems: string[], name: string): SectionHeader[] {
  if (h.shnum === 0 || h.shoff === 0) return [];
  const min = r.wide ? 64 : 40;
  if (h.shentsize < min) {
    problems.push(`${name}: section header entry size ${h.shentsize} is below ${min}`);
    return [];
  }
  const fit = h.shoff < r.b.length ? Math.floor((r.b.length - h.shoff) / h.shentsize) : 0;
  const count = Math.min(h.shnum, fit);
  if (count < h.shnum)
    problems.push(
      `${name}: section headers at 0x${h.shoff.toString(16)} run past the end of the file (${count} of ${h.shnum} readable)`,
    );
  const raw: (SectionHeader & { nameOff: number })[] = [];
  for (let i = 0; i < count; i++) {
    const o = h.shoff + i * h.shentsize;
    raw.push(
      r.wide
        ? {
            nameOff: r.u32(o),
            name: "",
            type: r.u32(o + 4),
            flags: r.u64(o + 8),
            addr: r.u64(o + 16),
            offset: r.u64(o + 24),
            size: r.u64(o + 32),
            link: r.u32(o + 40),
            info: r.u32(o + 44),
            entsize: r.u64(o + 56),
          }
        : {
            nameOff: r.u32(o),
            name: "",
            type: r.u32(o + 4),
            flags: r.u32(o + 8),
            addr: r.u32(o + 12),
            offset: r.u32(o + 16),
            size: r.u32(o + 20),
            link: r.u32(o + 24),
            info: r.u32(o + 28),
            entsize: r.u32(o + 36),
          },
    );
  }
  const names = raw[h.shstrndx];
  const namesOk =
    names !== undefined && names.type !== SHT.NOBITS && inside(r.b.length, names.offset, names.size);
  if (h.shstrndx !== 0 && !namesOk)
    problems.push(`${name}: section name table (index ${h.shstrndx}) is not in the file`);
  return raw.map(({ nameOff, ...s }) => ({
    ...s,
    name: namesOk ? (cString(r.b, names.offset + nameOff, names.offset + names.size) ?? "") : "",
  }));
}

/** File offset of a virtual address, through the PT_LOAD segment that maps it. */
function fileOffset(programs: ProgramHeader[], vaddr: number): number | undefined {
  for (const p of programs)
    if (p.type === PT.LOAD && vaddr >= p.vaddr && vaddr < p.vaddr + p.filesz)
      return p.offset + (vaddr - p.vaddr);
  return undefined;
}

function readDynamic(
  r: Reader,
  programs: ProgramHeader[],
  sections: SectionHeader[],
  problems: string[],
  name: string,
): DynamicEntry[] {
  // The loader reads PT_DYNAMIC; the section is a fallback for files without program headers.
  const seg = programs.find((p) => p.type === PT.DYNAMIC);
  const sec = sections.find((s) => s.type === SHT.DYNAMIC);
  const where = seg
    ? { offset: seg.offset, size: seg.filesz }
    : sec
      ? { offset: sec.offset, size: sec.size }
      : undefined;
  if (!where) return [];
  if (!inside(r.b.length, where.offset, where.size)) {
    problems.push(`${name}: dynamic section at 0x${where.offset.toString(16)} is beyond the end of the file`);
    return [];
  }
  const ent = r.wide ? 16 : 8;
  const count = Math.min(Math.floor(where.size / ent), MAX_ENTRIES);
  const out: DynamicEntry[] = [];
  for (let i = 0; i < count; i++) {
    const o = where.offset + i * ent;
    // Tags are signed in the spec; every tag used here is positive and below 2^31.
    const tag = r.wide ? r.u64(o) : r.u32(o);
    const value = r.wide ? r.u64(o + 8) : r.u32(o + 4);
    if (tag === DT.NULL) break;
    out.push({ tag, value });
  }
  return out;
}

/** The dynamic string table: DT_STRTAB mapped through PT_LOAD, else the section .dynamic links to. */
function dynamicStrings(
  r: Reader,
  programs: ProgramHeader[],
  sections: SectionHeader[],
  dynamic: DynamicEntry[],
): { start: number; end: number } | undefined {
  const strtab = dynamic.find((d) => d.tag === DT.STRTAB)?.value;
  const strsz = dynamic.find((d) => d.tag === DT.STRSZ)?.value;
  if (strtab !== undefined && strsz !== undefined) {
    const off = fileOffset(programs, strtab);
    if (off !== undefined && inside(r.b.length, off, strsz)) return { start: off, end: off + strsz };
  }
  const dynSec = sections.find((s) => s.type === SHT.DYNAMIC);
  const linked = dynSec ? sections[dynSec.link] : undefined;
  if (linked && linked.type === SHT.STRTAB && inside(r.b.length, linked.offset, linked.size))
    return { start: linked.offset, end: linked.offset + linked.size };
  return undefined;
}

/**
 * How many .dynsym entries there are, for files without section headers: DT_HASH holds the count
 * (nchain); DT_GNU_HASH only implies it, as one past the last symbol of the longest chain.
 */
function dynsymCount(r: Reader, programs: ProgramHeader[], dynamic: DynamicEntry[]): number | undefined {
  const at = (tag: number) => {
    const v = dynamic.find((d) => d.tag === tag)?.value;
    return v === undefined ? undefined : fileOffset(programs, v);
  };
  const hash = at(DT.HASH);
  if (hash !== undefined && inside(r.b.length, hash, 8)) return r.u32(hash + 4);
  const gnu = at(DT.GNU_HASH);
  if (gnu === undefined || !inside(r.b.length, gnu, 16)) return undefined;
  const nbuckets = r.u32(gnu);
  const symoffset = r.u32(gnu + 4);
  const bloomWords = r.u32(gnu + 8);
  const buckets = gnu + 16 + bloomWords * (r.wide ? 8 : 4);
  if (!inside(r.b.length, buckets, nbuckets * 4)) return undefined;
  let last = 0;
  for (let i = 0; i < nbuckets; i++) last = Math.max(last, r.u32(buckets + i * 4));
  if (last < symoffset) return symoffset;
  const chains = buckets + nbuckets * 4;
  // Walk the last chain to its end marker (low bit set), bounded by the file.
  for (let i = last; ; i++) {
    const o = chains + (i - symoffset) * 4;
    if (!inside(r.b.length, o, 4) || i - last > MAX_ENTRIES) return undefined;
    if ((r.u32(o) & 1) !== 0) return i + 1;
  }
}

function readSymbols(
  r: Reader,
  table: SectionHeader,
  sections: SectionHeader[],
  problems: string[],
  name: string,
): ElfSymbol[] {
  const ent = r.wide ? 24 : 16;
  if (!inside(r.b.length, table.offset, table.size)) {
    problems.push(
      `${name}: symbol table ${table.name || "?"} at 0x${table.offset.toString(16)} is beyond the end of the file`,
    );
    return [];
  }
  const strings = sections[table.link];
  const stringsOk = strings !== undefined && inside(r.b.length, strings.offset, strings.size);
  if (!stringsOk)
    problems.push(`${name}: the string table of ${table.name || "a symbol table"} is not in the file`);
  const count = Math.min(Math.floor(table.size / ent), MAX_ENTRIES);
  const out: ElfSymbol[] = [];
  for (let i = 0; i < count; i++) {
    const o = table.offset + i * ent;
    const nameOff = r.u32(o);
    const sym = r.wide
      ? { value: r.u64(o + 8), size: r.u64(o + 16), info: r.u8(o + 4), shndx: r.u16(o + 6) }
      : { value: r.u32(o + 4), size: r.u32(o + 8), info: r.u8(o + 12), shndx: r.u16(o + 14) };
    const symName = stringsOk
      ? (cString(r.b, strings.offset + nameOff, strings.offset + strings.size) ?? "")
      : "";
    out.push({ name: symName, ...sym });
  }
  return out;
}

function allStrings(b: Uint8Array, start: number, end: number): string[] {
  const out: string[] = [];
  let i = start;
  while (i < end && out.length < MAX_ENTRIES) {
    const s = cString(b, i, end) ?? "";
    if (s) out.push(s);
    i += s.length + 1;
  }
  return out;
}

const NO_SECTION: SectionHeader = {
  name: "",
  type: 0,
  flags: 0,
  addr: 0,
  offset: 0,
  size: 0,
  link: 0,
  info: 0,
  entsize: 0,
};

/** Parse an ELF file. Throws FormatError when even the file header is unreadable. */
export function parseElf(b: Uint8Array, name = "elf"): ElfFile {
  const { r, h } = readHeader(b, name);
  const problems: string[] = [];
  applyExtendedNumbering(r, h, problems, name);
  const programs = readPrograms(r, h, problems, name);
  const sections = readSections(r, h, problems, name);

  let interp: string | undefined;
  const ip = programs.find((p) => p.type === PT.INTERP);
  if (ip) {
    if (inside(b.length, ip.offset, ip.filesz) && ip.filesz > 0)
      interp = cString(b, ip.offset, ip.offset + ip.filesz);
    else problems.push(`${name}: PT_INTERP at 0x${ip.offset.toString(16)} is beyond the end of the file`);
  }

  const dynamic = readDynamic(r, programs, sections, problems, name);
  const strs = dynamicStrings(r, programs, sections, dynamic);
  if (dynamic.length > 0 && !strs) problems.push(`${name}: the dynamic string table is not in the file`);
  const dynString = (off: number) => (strs ? cString(b, strs.start + off, strs.end) : undefined);
  const needed: string[] = [];
  let soname: string | undefined;
  let rpath: string | undefined;
  let runpath: string | undefined;
  for (const d of dynamic) {
    if (d.tag === DT.NEEDED) {
      const s = dynString(d.value);
      if (s !== undefined) needed.push(s);
    } else if (d.tag === DT.SONAME) soname = dynString(d.value);
    else if (d.tag === DT.RPATH) rpath = dynString(d.value);
    else if (d.tag === DT.RUNPATH) runpath = dynString(d.value);
  }

  let dynsymSec = sections.find((s) => s.type === SHT.DYNSYM);
  let symSections = sections;
  if (!dynsymSec && strs) {
    // No section headers (sstrip'd): describe .dynsym and .dynstr from the dynamic table.
    const symtabAt = dynamic.find((d) => d.tag === DT.SYMTAB)?.value;
    const offset = symtabAt === undefined ? undefined : fileOffset(programs, symtabAt);
    const count = dynsymCount(r, programs, dynamic);
    if (offset !== undefined && count !== undefined) {
      const strtab = { ...NO_SECTION, type: SHT.STRTAB, offset: strs.start, size: strs.end - strs.start };
      dynsymSec = {
        ...NO_SECTION,
        name: ".dynsym",
        type: SHT.DYNSYM,
        offset,
        size: count * (r.wide ? 24 : 16),
        link: 0,
      };
      symSections = [strtab];
    }
  }
  const dynsym = dynsymSec ? readSymbols(r, dynsymSec, symSections, problems, name) : [];
  const dynamicNames = dynsymSec
    ? dynsym.map((s) => s.name).filter(Boolean)
    : strs
      ? allStrings(b, strs.start, strs.end)
      : [];
  const symtabSec = sections.find((s) => s.type === SHT.SYMTAB);
  const symtab = symtabSec ? readSymbols(r, symtabSec, sections, problems, name) : undefined;

  return {
    header: h,
    programs,
    sections,
    interp,
    dynamic,
    needed,
    soname,
    rpath,
    runpath,
    dynsym,
    dynamicNames,
    symtab,
    problems,
  };
}
