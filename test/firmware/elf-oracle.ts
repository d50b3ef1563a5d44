// readelf (binutils) as the test oracle for the ELF parser: parse `readelf -W -h -l -d -s` output
// into the same facts the parser reports, so every property can be compared one to one.
import { run } from "../helpers/fwimage.js";

export interface Oracle {
  header: Record<string, string>;
  programs: {
    type: string;
    offset: number;
    vaddr: number;
    paddr: number;
    filesz: number;
    memsz: number;
    flags: number;
    align: number;
  }[];
  interp?: string;
  dynamic: { tag: number; type: string; value: string }[];
  /** Symbol names per table (".dynsym", ".symtab"), as readelf prints them. */
  symbols: Record<string, string[]>;
}

const hex = (s: string) => parseInt(s, 16);

/** With `useDynamic`, symbols are read as the loader finds them (readelf -D), for files without sections. */
export function readelf(path: string, useDynamic = false): Oracle {
  const args = ["-W", "-h", "-l", "-d", "-s", ...(useDynamic ? ["-D"] : []), path];
  const text = run("readelf", args).toString("utf8");
  const o: Oracle = { header: {}, programs: [], dynamic: [], symbols: {} };
  let section = "";
  let table = "";
  for (const line of text.split("\n")) {
    if (line.startsWith("ELF Header:")) section = "h";
    else if (line.startsWith("Program Headers:")) section = "l";
    else if (line.startsWith(" Section to Segment mapping:")) section = "";
    else if (line.startsWith("Dynamic section at")) section = "d";
    else if (line.startsWith("Symbol table ")) {
      section = "s";
      table = /'([^']+)'/.exec(line)?.[1] ?? "image";
      o.symbols[table] = [];
    }
    if (section === "h") {
      const m = /^ {2}([^:]+):\s+(.*?)\s*$/.exec(line);
      if (m) o.header[m[1]!] = m[2]!;
    } else if (section === "l") {
      const m =
        /^ {2}(\S+)\s+0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) (.{3}) 0x([0-9a-f]+)$/.exec(
          line,
        );
      if (m && m[1] !== "Type") {
        const f = m[7]!;
        o.programs.push({
          type: m[1]!,
          offset: hex(m[2]!),
          vaddr: hex(m[3]!),
          paddr: hex(m[4]!),
          filesz: hex(m[5]!),
          memsz: hex(m[6]!),
          flags: (f[0] === "R" ? 4 : 0) | (f[1] === "W" ? 2 : 0) | (f[2] === "E" ? 1 : 0),
          align: hex(m[8]!),
        });
      }
      const i = /\[Requesting program interpreter: (.*)\]/.exec(line);
      if (i) o.interp = i[1];
    } else if (section === "d") {
      const m = /^\s*0x([0-9a-f]+) \((\w+)\)\s+(.*?)\s*$/.exec(line);
      if (m) o.dynamic.push({ tag: hex(m[1]!), type: m[2]!, value: m[3]! });
    } else if (section === "s") {
      const m = /^\s+\d+: [0-9a-f]+\s+\S+ \S+\s+\S+\s+\S+\s+\S+ ?(.*)$/.exec(line);
      if (m) o.symbols[table]!.push(m[1]!);
    }
  }
  return o;
}

export const PT_NAMES: Record<string, number> = {
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
};

export const MACHINE_NAMES: Record<string, string> = {
  "Advanced Micro Devices X86-64": "x86_64",
  "Intel 80386": "x86",
  "MIPS R3000": "mips",
  ARM: "arm",
  AArch64: "aarch64",
  PowerPC: "powerpc",
  PowerPC64: "powerpc64",
  "RISC-V": "riscv",
};

/** Value of a readelf dynamic line: "[lib]" strings, "N (bytes)", hex, decimal, or flag names. */
export function dynamicString(value: string): string | undefined {
  return /\[(.*)\]$/.exec(value)?.[1];
}

export function dynamicFlags(value: string): string[] {
  return value
    .replace(/^Flags:\s*/, "")
    .split(/\s+/)
    .filter(Boolean);
}
