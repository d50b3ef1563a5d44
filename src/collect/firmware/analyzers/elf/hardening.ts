// Exploit mitigations of a parsed ELF, decided the way checksec and the loaders do:
// - NX: a PT_GNU_STACK header without PF_X. Without the header the kernel maps the stack
//   executable on most architectures, so a missing header counts as no NX.
// - RELRO: PT_GNU_RELRO is partial; with immediate binding (DT_BIND_NOW, DF_BIND_NOW or
//   DF_1_NOW) the GOT is read-only too, which is full RELRO.
// - PIE: e_type ET_DYN loads at a random base. An ET_DYN with PT_INTERP or DF_1_PIE is a PIE
//   executable (type "exec"); other ET_DYN files are shared libraries (type "dyn").
// - Canary: a reference to __stack_chk_fail or __stack_chk_guard.
// - FORTIFY: a reference to a glibc/uClibc fortified function (__memcpy_chk, __printf_chk ...).
// - Listens: imports of bind/listen/accept, i.e. the program can serve the network itself.
import type { ElfData } from "../../../../evidence/firmware.js";
import { DF_1_NOW, DF_1_PIE, DF_BIND_NOW, DT, ET, PF_X, PT, type ElfFile } from "./parse.js";

const MACHINES: Record<number, string> = {
  2: "sparc",
  3: "x86",
  4: "m68k",
  8: "mips",
  18: "sparc",
  20: "powerpc",
  21: "powerpc64",
  22: "s390",
  40: "arm",
  42: "sh",
  43: "sparc64",
  62: "x86_64",
  83: "avr",
  92: "openrisc",
  93: "arc",
  94: "xtensa",
  167: "nds32",
  183: "aarch64",
  189: "microblaze",
  195: "arc",
  243: "riscv",
  258: "loongarch",
};

/** Architecture name; MIPS says its byte order (mips/mipsel) and width, as toolchains name it. */
export function machineName(machine: number, bits: 32 | 64, endian: "little" | "big"): string {
  const base = MACHINES[machine] ?? `em-${machine}`;
  if (base === "mips") return `mips${bits === 64 ? "64" : ""}${endian === "little" ? "el" : ""}`;
  return base;
}

const CANARY = new Set([
  "__stack_chk_fail",
  "__stack_chk_guard",
  "__stack_chk_fail_local",
  "__intel_security_cookie",
]);
const FORTIFIED = /^__[a-z0-9_]+_chk$/;
const SERVER_CALLS = new Set(["bind", "listen", "accept", "accept4"]);

export function hardening(elf: ElfFile, mode: number): ElfData {
  const { header: h, programs, dynamic } = elf;
  const stack = programs.find((p) => p.type === PT.GNU_STACK);
  const hasRelro = programs.some((p) => p.type === PT.GNU_RELRO);
  const flags = dynamic.filter((d) => d.tag === DT.FLAGS).reduce((f, d) => f | (d.value % 2 ** 32), 0);
  const flags1 = dynamic.filter((d) => d.tag === DT.FLAGS_1).reduce((f, d) => f | (d.value % 2 ** 32), 0);
  const bindNow =
    dynamic.some((d) => d.tag === DT.BIND_NOW) || (flags & DF_BIND_NOW) !== 0 || (flags1 & DF_1_NOW) !== 0;
  const hasInterp = programs.some((p) => p.type === PT.INTERP);

  let type: ElfData["type"];
  if (h.type === ET.EXEC) type = "exec";
  else if (h.type === ET.DYN) type = hasInterp || (flags1 & DF_1_PIE) !== 0 ? "exec" : "dyn";
  else if (h.type === ET.REL) type = "rel";
  else if (h.type === ET.CORE) type = "core";
  else type = "other";

  const names = new Set(elf.dynamicNames);
  for (const s of elf.symtab ?? []) if (s.name) names.add(s.name);
  const canary = [...CANARY].some((n) => names.has(n));
  const fortify = [...names].some((n) => FORTIFIED.test(n) && !CANARY.has(n) && !n.startsWith("__stack_chk"));
  const listens = [...SERVER_CALLS].some((n) => names.has(n));

  const data: ElfData = {
    arch: machineName(h.machine, h.bits, h.endian),
    bits: h.bits,
    endian: h.endian,
    type,
    nx: stack !== undefined && (stack.flags & PF_X) === 0,
    // ET_DYN loads at a random base whether it is a PIE executable or a library.
    pie: h.type === ET.DYN,
    relro: hasRelro ? (bindNow ? "full" : "partial") : "none",
    canary,
    fortify,
    stripped: elf.symtab === undefined,
    setuid: (mode & 0o4000) !== 0,
    setgid: (mode & 0o2000) !== 0,
    listens,
  };
  if (elf.interp !== undefined) data.interp = elf.interp;
  if (elf.needed.length > 0) data.needed = elf.needed;
  if (elf.rpath !== undefined) data.rpath = elf.rpath;
  if (elf.runpath !== undefined) data.runpath = elf.runpath;
  if (elf.problems.length > 0) data.problems = elf.problems;
  return data;
}
