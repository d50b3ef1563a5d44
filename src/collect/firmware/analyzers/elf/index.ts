// ELF hardening: one firmware.elf fact per ELF file (executables, shared libraries, kernel
// modules), with the mitigations it was built with. A file whose ELF header cannot be read is
// reported by the walk as a problem (the FormatError message names the file and the fault).
import { FW, type ElfData } from "../../../../evidence/firmware.js";
import type { Analyzer, FileView } from "../types.js";
import { hardening } from "./hardening.js";
import { isElf, parseElf } from "./parse.js";

/** Larger files are not programs on an embedded device (they would be firmware blobs). */
const MAX_ELF_BYTES = 256 * 1024 * 1024;

export const elfAnalyzer: Analyzer = {
  id: "elf",
  version: "1",
  create() {
    return {
      wants: (f) => f.entry.size >= 4 && f.entry.size <= MAX_ELF_BYTES && isElf(f.head()),
      analyze(file: FileView, ctx) {
        const elf = parseElf(file.read(), file.path);
        ctx.emit<ElfData>({
          kind: FW.elf,
          subject: "device",
          data: hardening(elf, file.entry.mode),
          location: file.path,
        });
      },
    };
  },
};
