// The ELF parser and the hardening analyzer against readelf: real binaries compiled here with gcc
// (each mitigation switched on and off), hand-built 32-bit and big-endian files, and damaged ones.
import assert from "node:assert/strict";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { firmwareBinaryHardening } from "../../src/checks/firmware-binary-hardening.js";
import { analyzeFirmware } from "../../src/collect/firmware/analyze.js";
import { elfAnalyzer } from "../../src/collect/firmware/analyzers/elf/index.js";
import { hardening } from "../../src/collect/firmware/analyzers/elf/hardening.js";
import { parseElf, type ElfFile } from "../../src/collect/firmware/analyzers/elf/parse.js";
import { firmwareEvidence } from "../../src/collect/firmware/collector.js";
import { FormatError } from "../../src/collect/firmware/source.js";
import type { ElfData } from "../../src/evidence/firmware.js";
import { EvidenceIndex } from "../../src/evidence/types.js";
import { run, tarImage, tmp, writeTree } from "../helpers/fwimage.js";
import { dynamicFlags, dynamicString, MACHINE_NAMES, PT_NAMES, readelf } from "./elf-oracle.js";

const PROGRAM = `#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) { char buf[64]; strcpy(buf, argv[0]); printf("%s %d\\n", buf, argc); return 0; }
`;
const SERVER = `#include <sys/socket.h>
#include <netinet/in.h>
#include <string.h>
int main(void) { char buf[32]; int s = socket(AF_INET, SOCK_STREAM, 0); struct sockaddr_in a; memset(&a, 0, sizeof a);
  bind(s, (struct sockaddr *)&a, sizeof a); listen(s, 1); int c = accept(s, 0, 0); return (int)read(c, buf, sizeof buf); }
`;
const LIBRARY = `int answer(int x) { return x + 42; }\n`;

const work = tmp("concord-elf-");
function compile(name: string, flags: string[], source = PROGRAM): string {
  const src = join(work, `${name}.c`);
  writeFileSync(
    src,
    source.replace("return (int)read", "extern long read(int, void *, unsigned long); return (int)read"),
  );
  const out = join(work, name);
  run("gcc", [...flags, "-o", out, src]);
  return out;
}
function stripped(path: string): string {
  const out = `${path}.stripped`;
  copyFileSync(path, out);
  run("strip", [out]);
  return out;
}

/** Every field the parser reads, compared with readelf's account of the same file. */
function compareWithReadelf(path: string): { elf: ElfFile; data: ElfData } {
  const bytes = readFileSync(path);
  const elf = parseElf(bytes, path);
  const o = readelf(path, elf.sections.length === 0);
  const h = elf.header;
  assert.equal(o.header.Class, `ELF${h.bits}`);
  assert.match(o.header.Data!, h.endian === "little" ? /little endian/ : /big endian/);
  assert.equal(o.header.Type!.split(" ")[0], { 1: "REL", 2: "EXEC", 3: "DYN", 4: "CORE" }[h.type]);
  assert.equal(Number(o.header["Entry point address"]), h.entry);
  assert.equal(parseInt(o.header["Start of program headers"]!, 10), h.phoff);
  assert.equal(parseInt(o.header["Start of section headers"]!, 10), h.shoff);
  assert.equal(Number(o.header["Number of program headers"]), h.phnum);
  assert.equal(Number(o.header["Number of section headers"]), h.shnum);
  assert.equal(Number(o.header["Section header string table index"]), h.shstrndx);
  assert.equal(Number(o.header.Flags!.split(",")[0]), h.flags);

  assert.deepEqual(
    elf.programs.map((p) => ({ ...p, type: p.type })),
    o.programs.map((p) => ({ ...p, type: PT_NAMES[p.type] ?? -1 })),
  );
  assert.equal(elf.interp, o.interp);

  // readelf prints the terminating DT_NULL; the parser stops at it.
  const dyn = o.dynamic.filter((d, i) => !(d.type === "NULL" && i === o.dynamic.length - 1));
  assert.deepEqual(
    elf.dynamic.map((d) => d.tag),
    dyn.map((d) => d.tag),
  );
  elf.dynamic.forEach((d, i) => {
    const want = dyn[i]!.value;
    const num = /^0x[0-9a-f]+$/.exec(want) ? parseInt(want, 16) : /^(\d+)( \(bytes\))?$/.exec(want)?.[1];
    if (num !== undefined) assert.equal(d.value, Number(num), `value of dynamic entry ${dyn[i]!.type}`);
  });
  assert.deepEqual(
    elf.needed,
    dyn.filter((d) => d.type === "NEEDED").map((d) => dynamicString(d.value)),
  );
  assert.equal(
    elf.rpath,
    dyn.find((d) => d.type === "RPATH")?.value.replace(/^Library rpath: \[(.*)\]$/, "$1"),
  );
  assert.equal(
    elf.runpath,
    dyn.find((d) => d.type === "RUNPATH")?.value.replace(/^Library runpath: \[(.*)\]$/, "$1"),
  );

  // readelf appends symbol versions ("@GLIBC_2.4 (3)") to .dynsym names from .gnu.version.
  const dynsym = o.symbols[".dynsym"] ?? o.symbols.image;
  if (dynsym)
    assert.deepEqual(
      elf.dynsym.map((s) => s.name),
      dynsym.map((n) => n.replace(/ \(\d+\)$/, "").replace(/@.*$/, "")),
    );
  else assert.deepEqual(elf.dynsym, []);
  assert.deepEqual(
    elf.symtab?.map((s) => s.name),
    o.symbols[".symtab"],
  );

  // The hardening flags, derived from readelf's view independently of the parser.
  const data = hardening(elf, 0o755);
  const stack = o.programs.find((p) => p.type === "GNU_STACK");
  const flags = dyn
    .filter((d) => d.type === "FLAGS" || d.type === "FLAGS_1")
    .flatMap((d) => dynamicFlags(d.value));
  const bindNow =
    dyn.some((d) => d.type === "BIND_NOW") || flags.includes("BIND_NOW") || flags.includes("NOW");
  const names = Object.values(o.symbols)
    .flat()
    .map((n) => n.replace(/ \(\d+\)$/, "").replace(/@.*$/, ""));
  assert.equal(data.nx, stack !== undefined && (stack.flags & 1) === 0, "NX");
  assert.equal(
    data.relro,
    o.programs.some((p) => p.type === "GNU_RELRO") ? (bindNow ? "full" : "partial") : "none",
    "RELRO",
  );
  assert.equal(data.pie, o.header.Type!.startsWith("DYN"), "PIE");
  assert.equal(data.canary, names.includes("__stack_chk_fail"), "canary");
  assert.equal(
    data.fortify,
    names.some((n) => /^__\w+_chk$/.test(n) && !n.startsWith("__stack_chk")),
    "FORTIFY",
  );
  assert.equal(data.stripped, o.symbols[".symtab"] === undefined, "stripped");
  const mipsel = o.header.Machine === "MIPS R3000" && h.endian === "little" ? "el" : "";
  assert.equal(data.arch, `${MACHINE_NAMES[o.header.Machine!]}${mipsel}`);
  return { elf, data };
}

const BASE = { arch: "x86_64", bits: 64, endian: "little", setuid: false, setgid: false } as const;
const INTERP = "/lib64/ld-linux-x86-64.so.2";

describe("ELF parser against readelf on gcc builds", () => {
  it("a fully hardened PIE: canary, FORTIFY, NX, full RELRO, RUNPATH", () => {
    const path = compile("hardened", [
      "-O2",
      "-D_FORTIFY_SOURCE=2",
      "-fstack-protector-strong",
      "-fPIE",
      "-pie",
      "-Wl,-z,relro,-z,now",
      "-Wl,-rpath,/opt/x",
    ]);
    const { data } = compareWithReadelf(path);
    assert.deepEqual(data, {
      ...BASE,
      type: "exec",
      nx: true,
      pie: true,
      relro: "full",
      canary: true,
      fortify: true,
      stripped: false,
      listens: false,
      interp: INTERP,
      needed: ["libc.so.6"],
      runpath: "/opt/x",
    });
    // strip removes .symtab; the dynamic symbols still show the canary and FORTIFY.
    const s = compareWithReadelf(stripped(path));
    assert.deepEqual(s.data, { ...data, stripped: true });
  });

  it("an unhardened build: no canary, executable stack, no PIE, no RELRO, old-style RPATH", () => {
    const path = compile("weak", [
      "-O0",
      "-fno-stack-protector",
      "-no-pie",
      "-z",
      "execstack",
      "-Wl,-z,norelro",
      "-Wl,--disable-new-dtags,-rpath,/opt/y",
    ]);
    const { data } = compareWithReadelf(path);
    assert.deepEqual(data, {
      ...BASE,
      type: "exec",
      nx: false,
      pie: false,
      relro: "none",
      canary: false,
      fortify: false,
      stripped: false,
      listens: false,
      interp: INTERP,
      needed: ["libc.so.6"],
      rpath: "/opt/y",
    });
  });

  it("partial RELRO with lazy binding, and a network server that listens", () => {
    const path = compile(
      "server",
      ["-O2", "-fstack-protector-strong", "-no-pie", "-Wl,-z,relro,-z,lazy"],
      SERVER,
    );
    const { data } = compareWithReadelf(path);
    assert.equal(data.relro, "partial");
    assert.equal(data.pie, false);
    assert.equal(data.canary, true);
    assert.equal(data.listens, true);
  });

  it("a shared library is dyn (position-independent), not an executable", () => {
    const path = compile("libanswer.so", ["-shared", "-fPIC", "-Wl,-soname,libanswer.so.1"], LIBRARY);
    const { elf, data } = compareWithReadelf(path);
    assert.equal(elf.soname, "libanswer.so.1");
    assert.equal(data.type, "dyn");
    assert.equal(data.pie, true);
    assert.equal(data.interp, undefined);
  });

  it("static and static-pie executables", () => {
    const st = compareWithReadelf(compile("static", ["-static", "-O2", "-fstack-protector-strong"]));
    assert.equal(st.data.type, "exec");
    assert.equal(st.data.pie, false);
    assert.equal(st.data.canary, true, "the canary is found in .symtab of a static build");
    assert.equal(st.data.needed, undefined);
    const sp = compareWithReadelf(compile("static-pie", ["-static-pie", "-O2"]));
    assert.equal(sp.data.type, "exec", "DF_1_PIE marks a static PIE as an executable");
    assert.equal(sp.data.pie, true);
  });

  it("without section headers (sstrip), reads the dynamic table through PT_LOAD", () => {
    const path = stripped(
      compile("nosections", ["-O2", "-D_FORTIFY_SOURCE=2", "-fstack-protector-strong", "-Wl,-z,now"]),
    );
    const bytes = readFileSync(path);
    bytes.writeBigUInt64LE(0n, 40); // e_shoff
    bytes.writeUInt16LE(0, 60); // e_shnum
    bytes.writeUInt16LE(0, 62); // e_shstrndx
    const out = `${path}.sstrip`;
    writeFileSync(out, bytes);
    const { elf, data } = compareWithReadelf(out);
    assert.deepEqual(elf.sections, []);
    assert.deepEqual(elf.needed, ["libc.so.6"]);
    assert.ok(elf.dynamicNames.includes("__stack_chk_fail"));
    assert.equal(data.canary, true);
    assert.equal(data.fortify, true);
    assert.equal(data.relro, "full");
    assert.equal(data.stripped, true);
    assert.deepEqual(elf.problems, []);
  });
});

// --- Hand-built files: other widths, byte orders and machines, readelf still the oracle ----------

interface Built {
  bits: 32 | 64;
  endian: "little" | "big";
  machine: number;
  type?: number;
  stackFlags?: number;
}

/** A minimal dynamically linked ELF: INTERP, one LOAD, DYNAMIC, GNU_STACK, GNU_RELRO, sections. */
function buildElf(o: Built): Buffer {
  const wide = o.bits === 64;
  const le = o.endian === "little";
  const buf = Buffer.alloc(4096);
  const u16 = (v: number, at: number) => (le ? buf.writeUInt16LE(v, at) : buf.writeUInt16BE(v, at));
  const u32 = (v: number, at: number) => (le ? buf.writeUInt32LE(v, at) : buf.writeUInt32BE(v, at));
  const u64 = (v: number, at: number) =>
    le ? buf.writeBigUInt64LE(BigInt(v), at) : buf.writeBigUInt64BE(BigInt(v), at);
  const addr = (v: number, at: number) => (wide ? u64(v, at) : u32(v, at));
  const ehsize = wide ? 64 : 52;
  const phent = wide ? 56 : 32;
  const shent = wide ? 64 : 40;
  const dynent = wide ? 16 : 8;
  const syment = wide ? 24 : 16;

  const phoff = ehsize;
  const phnum = 5;
  const interpOff = 0x200;
  const interp = "/lib/ld-uClibc.so.0\0";
  const dynstrOff = 0x240;
  const dynstr = "\0libc.so.0\0/opt/lib\0__stack_chk_fail\0__sprintf_chk\0listen\0";
  const str = (s: string) => dynstr.indexOf(`\0${s}\0`) + 1;
  const dynsymOff = 0x300;
  const syms = ["", "__stack_chk_fail", "__sprintf_chk", "listen"];
  const dynOff = 0x400;
  const dyn: [number, number][] = [
    [1, str("libc.so.0")],
    [15, str("/opt/lib")],
    [5, dynstrOff],
    [10, dynstr.length],
    [6, dynsymOff],
    [11, syment],
    [30, 0x8],
    [0x6ffffffb, 0x1],
    [0, 0],
  ];
  const shstrOff = 0x500;
  const shstr = "\0.interp\0.dynstr\0.dynsym\0.dynamic\0.shstrtab\0";
  const sname = (s: string) => shstr.indexOf(`\0${s}\0`) + 1;
  const shoff = 0x600;
  const fileSize = shoff + 6 * shent;

  buf.set([0x7f, 0x45, 0x4c, 0x46, wide ? 2 : 1, le ? 1 : 2, 1], 0);
  u16(o.type ?? 3, 16);
  u16(o.machine, 18);
  u32(1, 20);
  addr(0x1000, 24);
  addr(phoff, wide ? 32 : 28);
  addr(shoff, wide ? 40 : 32);
  u32(0, wide ? 48 : 36);
  u16(ehsize, wide ? 52 : 40);
  u16(phent, wide ? 54 : 42);
  u16(phnum, wide ? 56 : 44);
  u16(shent, wide ? 58 : 46);
  u16(6, wide ? 60 : 48);
  u16(5, wide ? 62 : 50);

  const ph = (i: number, type: number, flags: number, off: number, size: number) => {
    const at = phoff + i * phent;
    u32(type, at);
    if (wide) {
      u32(flags, at + 4);
      u64(off, at + 8);
      u64(off, at + 16);
      u64(off, at + 24);
      u64(size, at + 32);
      u64(size, at + 40);
      u64(off === 0 ? 0x1000 : 1, at + 48);
    } else {
      u32(off, at + 4);
      u32(off, at + 8);
      u32(off, at + 12);
      u32(size, at + 16);
      u32(size, at + 20);
      u32(flags, at + 24);
      u32(off === 0 ? 0x1000 : 1, at + 28);
    }
  };
  ph(0, 3, 4, interpOff, interp.length);
  ph(1, 1, 5, 0, fileSize);
  ph(2, 2, 6, dynOff, dyn.length * dynent);
  ph(3, 0x6474e551, o.stackFlags ?? 6, 0, 0);
  ph(4, 0x6474e552, 4, dynOff, dyn.length * dynent);

  buf.write(interp, interpOff, "latin1");
  buf.write(dynstr, dynstrOff, "latin1");
  syms.forEach((s, i) => {
    const at = dynsymOff + i * syment;
    u32(s ? str(s) : 0, at);
    buf[at + (wide ? 4 : 12)] = s ? 0x12 : 0; // GLOBAL FUNC
  });
  dyn.forEach(([tag, val], i) => {
    const at = dynOff + i * dynent;
    if (wide) {
      u64(tag, at);
      u64(val, at + 8);
    } else {
      u32(tag, at);
      u32(val, at + 4);
    }
  });
  buf.write(shstr, shstrOff, "latin1");
  const sh = (
    i: number,
    name: string,
    type: number,
    off: number,
    size: number,
    link: number,
    entsize: number,
  ) => {
    const at = shoff + i * shent;
    u32(sname(name), at);
    u32(type, at + 4);
    if (wide) {
      u64(2, at + 8);
      u64(off, at + 16);
      u64(off, at + 24);
      u64(size, at + 32);
      u32(link, at + 40);
      u32(type === 11 ? 1 : 0, at + 44);
      u64(1, at + 48);
      u64(entsize, at + 56);
    } else {
      u32(2, at + 8);
      u32(off, at + 12);
      u32(off, at + 16);
      u32(size, at + 20);
      u32(link, at + 24);
      u32(type === 11 ? 1 : 0, at + 28);
      u32(1, at + 32);
      u32(entsize, at + 36);
    }
  };
  sh(1, ".interp", 1, interpOff, interp.length, 0, 0);
  sh(2, ".dynstr", 3, dynstrOff, dynstr.length, 0, 0);
  sh(3, ".dynsym", 11, dynsymOff, syms.length * syment, 2, syment);
  sh(4, ".dynamic", 6, dynOff, dyn.length * dynent, 2, dynent);
  sh(5, ".shstrtab", 3, shstrOff, shstr.length, 0, 0);
  return buf.subarray(0, fileSize);
}

function writeBuilt(name: string, b: Buffer): string {
  const p = join(work, name);
  writeFileSync(p, b);
  return p;
}

describe("ELF parser on hand-built files", () => {
  const cases: [string, Built, string][] = [
    ["32-bit big-endian MIPS", { bits: 32, endian: "big", machine: 8 }, "mips"],
    ["32-bit little-endian MIPS", { bits: 32, endian: "little", machine: 8 }, "mipsel"],
    ["32-bit ARM", { bits: 32, endian: "little", machine: 40 }, "arm"],
    ["32-bit big-endian PowerPC", { bits: 32, endian: "big", machine: 20 }, "powerpc"],
    ["64-bit big-endian PowerPC", { bits: 64, endian: "big", machine: 21 }, "powerpc64"],
    ["64-bit AArch64", { bits: 64, endian: "little", machine: 183 }, "aarch64"],
    ["64-bit RISC-V", { bits: 64, endian: "little", machine: 243 }, "riscv"],
    ["32-bit x86", { bits: 32, endian: "little", machine: 3 }, "x86"],
  ];
  for (const [label, spec, arch] of cases)
    it(`${label}: every field as readelf reads it`, () => {
      const { data } = compareWithReadelf(writeBuilt(`built-${arch}-${spec.bits}`, buildElf(spec)));
      assert.deepEqual(data, {
        arch,
        bits: spec.bits,
        endian: spec.endian,
        type: "exec",
        nx: true,
        pie: true,
        relro: "full",
        canary: true,
        fortify: true,
        stripped: true,
        setuid: false,
        setgid: false,
        listens: true,
        interp: "/lib/ld-uClibc.so.0",
        needed: ["libc.so.0"],
        rpath: "/opt/lib",
      });
    });

  it("an ET_EXEC with an executable stack, and the mode bits of the file", () => {
    const elf = parseElf(buildElf({ bits: 32, endian: "big", machine: 8, type: 2, stackFlags: 7 }), "x");
    const data = hardening(elf, 0o6755);
    assert.equal(data.type, "exec");
    assert.equal(data.pie, false);
    assert.equal(data.nx, false);
    assert.equal(data.setuid, true);
    assert.equal(data.setgid, true);
  });
});

// --- Damaged and hostile files ------------------------------------------------------------------

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Parse and derive flags; only FormatError may escape. */
function tolerate(b: Uint8Array): ElfFile | undefined {
  try {
    const elf = parseElf(b, "fuzz");
    hardening(elf, 0o755);
    return elf;
  } catch (e) {
    if (e instanceof FormatError) return undefined;
    throw e;
  }
}

describe("ELF parser on damaged files", () => {
  const good = buildElf({ bits: 32, endian: "big", machine: 8 });

  it("rejects what is not an ELF header with a FormatError naming the fault", () => {
    assert.throws(() => parseElf(good.subarray(0, 40), "/bin/cut"), {
      name: "FormatError",
      message: "/bin/cut: ELF header truncated (40 of 52 bytes)",
    });
    const badClass = Buffer.from(good);
    badClass[4] = 9;
    assert.throws(() => parseElf(badClass, "/bin/x"), {
      message: "/bin/x: ELF class 9 is neither 32- nor 64-bit",
    });
    const badData = Buffer.from(good);
    badData[5] = 0;
    assert.throws(() => parseElf(badData, "/bin/x"), /data encoding 0/);
    assert.throws(() => parseElf(Buffer.from("\x7fELG"), "/bin/x"), /not an ELF file/);
  });

  it("keeps what is readable from a file cut inside its section headers", () => {
    const cut = good.subarray(0, 0x600 + 40 * 3 + 10);
    const elf = parseElf(cut, "/bin/cut");
    assert.equal(elf.sections.length, 3);
    assert.deepEqual(elf.problems, [
      "/bin/cut: section headers at 0x600 run past the end of the file (3 of 6 readable)",
      "/bin/cut: section name table (index 5) is not in the file",
    ]);
    assert.deepEqual(elf.needed, ["libc.so.0"], "the dynamic section is still read through PT_LOAD");
    const data = hardening(elf, 0o755);
    assert.deepEqual(data.problems, elf.problems);
  });

  it("notes tables that point outside the file", () => {
    const b = Buffer.from(good);
    b.writeUInt32BE(0xfffff000, 52 + 2 * 32 + 4); // PT_DYNAMIC p_offset
    b.writeUInt32BE(0x7ffffff0, 52 + 0 * 32 + 4); // PT_INTERP p_offset
    const elf = parseElf(b, "/bin/x");
    assert.deepEqual(elf.problems, [
      "/bin/x: PT_INTERP at 0x7ffffff0 is beyond the end of the file",
      "/bin/x: dynamic section at 0xfffff000 is beyond the end of the file",
    ]);
    assert.deepEqual(elf.dynamic, []);
  });

  it("bounds counts taken from the file: 65535 program headers, extended section numbering", () => {
    const b = Buffer.from(good);
    b.writeUInt16BE(0xfffe, 44); // e_phnum
    const elf = parseElf(b, "/bin/x");
    assert.match(
      elf.problems[0]!,
      /program headers at 0x34 run past the end of the file \(\d+ of 65534 readable\)/,
    );
    const x = Buffer.from(good);
    x.writeUInt16BE(0, 48); // e_shnum 0: the real count is section 0's sh_size
    x.writeUInt32BE(0xffffffff, 0x600 + 20);
    const ex = parseElf(x, "/bin/x");
    assert.match(
      ex.problems[0]!,
      /section headers at 0x600 run past the end of the file \(6 of 4294967295 readable\)/,
    );
  });

  it("survives truncation at every length of a real binary", () => {
    const real = readFileSync(compile("trunc", ["-O2"]));
    for (let n = 0; n <= real.length; n += n < 256 ? 1 : 97) {
      const elf = tolerate(real.subarray(0, n));
      if (n < 64) assert.equal(elf, undefined, `a ${n}-byte file has no complete header`);
    }
  });

  it("survives 600 random mutations without a crash or a hang", () => {
    const rnd = mulberry32(0xe1f);
    const real = readFileSync(compile("fuzz", ["-O2", "-fstack-protector-strong"]));
    const seeds = [good, buildElf({ bits: 64, endian: "little", machine: 62 }), real];
    const started = Date.now();
    for (let i = 0; i < 600; i++) {
      const seed = seeds[i % seeds.length]!;
      const b = Buffer.from(seed);
      const edits = 1 + Math.floor(rnd() * 8);
      for (let k = 0; k < edits; k++) {
        // Most edits hit the headers and tables, where offsets and counts live.
        const at = rnd() < 0.7 ? Math.floor(rnd() * Math.min(b.length, 0x700)) : Math.floor(rnd() * b.length);
        b[at] = rnd() < 0.5 ? Math.floor(rnd() * 256) : [0, 0xff, 0x7f, 0x80][Math.floor(rnd() * 4)]!;
      }
      tolerate(rnd() < 0.2 ? b.subarray(0, Math.floor(rnd() * b.length)) : b);
    }
    assert.ok(Date.now() - started < 10_000, "600 parses finish in well under 10 s");
  });
});

describe("elf analyzer on an image", () => {
  it("reports each ELF with its mode bits, and names a broken one in the problems", () => {
    const hardened = readFileSync(compile("img-hardened", ["-O2", "-fstack-protector-strong", "-Wl,-z,now"]));
    const weak = readFileSync(
      compile("img-weak", ["-O0", "-fno-stack-protector", "-no-pie", "-z", "execstack"]),
    );
    const root = writeTree({
      "usr/bin/good": { content: hardened, mode: 0o755 },
      "usr/bin/su": { content: weak, mode: 0o4755 },
      "usr/bin/broken": { content: hardened.subarray(0, 30), mode: 0o755 },
      "etc/motd": "not an ELF\n",
    });
    const r = analyzeFirmware(tarImage(root), { analyzers: [elfAnalyzer], cache: false });
    const facts = r.facts.map((f) => ({
      location: f.location,
      kind: f.kind,
      nx: (f.data as ElfData).nx,
      pie: (f.data as ElfData).pie,
      setuid: (f.data as ElfData).setuid,
    }));
    assert.deepEqual(facts, [
      { location: "tar@0x0:/usr/bin/good", kind: "firmware.elf", nx: true, pie: true, setuid: false },
      { location: "tar@0x0:/usr/bin/su", kind: "firmware.elf", nx: false, pie: false, setuid: true },
    ]);
    assert.deepEqual(r.image.problems, [
      "elf on tar@0x0:/usr/bin/broken: /usr/bin/broken: ELF header truncated (30 of 64 bytes)",
    ]);
    const evidence = new EvidenceIndex(firmwareEvidence(r, "fw.bin", "2026-11-25T00:00:00.000Z"));
    assert.deepEqual(
      firmwareBinaryHardening.evaluate(evidence, { asOf: "2026-11-25" }).map((f) => [f.status, f.message]),
      [
        [
          "fail",
          "2 executables: 1 (50%) with an executable stack, above the 10% allowed; 1 without PIE; 0 without RELRO; 1 without a stack canary; 0 with FORTIFY. 1 exposed (set-user-ID or network-facing) lacks a mitigation. Worst: /usr/bin/su (set-user-ID; no NX, PIE, canary).",
        ],
      ],
    );
  });
});
