// SURF-07: exploit mitigations in the firmware's programs. The policy, chosen so that one finding
// per image says whether the build hardens what matters:
// - Only executables are judged (PIE or not); shared libraries and kernel modules inherit the
//   protections of the process that loads them.
// - An executable stack anywhere lets injected code run; a few may come from old toolchains, so
//   the image fails when more than 10% of its executables lack NX.
// - Exposed programs are where attacks start: set-user-ID/set-group-ID programs (local privilege
//   escalation) and network-facing ones (importing bind/listen/accept, or started as a service).
//   Any exposed executable without NX, PIE, RELRO or a stack canary fails the image.
// FORTIFY is reported but not required: it needs optimised builds and glibc/uClibc support.
import { FW, type ElfData, type ServiceData } from "../evidence/firmware.js";
import type { Evidence } from "../evidence/types.js";
import { groupByImage, placeOf } from "./firmware-evidence.js";
import { byLocation } from "./firmware-readable.js";
import { finding, type Check, type CheckMeta, type Finding } from "./types.js";

export const NX_THRESHOLD = 0.1;
const WORST_LISTED = 5;

const meta: CheckMeta = {
  id: "firmware.binary-hardening",
  title: "Programs are built with exploit mitigations",
  description:
    "Reads the ELF hardening of every executable in the firmware (shared libraries and kernel modules are not judged on their own). Fails when more than 10% of the executables have an executable stack (no NX), or when any exposed executable lacks NX, PIE, RELRO or a stack canary; exposed means set-user-ID or set-group-ID, importing bind/listen/accept (network-facing), or started as a service. Passes otherwise. The message counts each gap and lists the five worst executables, exposed ones first. A stack canary shows only if some function needed one, and static stripped binaries hide it, so a missing canary on an exposed program is worth confirming from the build flags.",
  requirements: ["SURF-07"],
  severity: "medium",
  reads: [FW.elf, FW.service],
  remediation:
    "Build with -fstack-protector-strong, -D_FORTIFY_SOURCE=2 -O2, -fPIE -pie and -Wl,-z,relro,-z,now, and never with -z execstack; rebuild the listed programs first.",
};

function missing(d: ElfData): string[] {
  const out: string[] = [];
  if (!d.nx) out.push("NX");
  if (!d.pie) out.push("PIE");
  if (d.relro === "none") out.push("RELRO");
  if (!d.canary) out.push("canary");
  return out;
}

/** The first word of a service command: "/usr/sbin/dropbear -p 22" → "/usr/sbin/dropbear". */
function program(command: string): string {
  return command.trim().split(/\s+/)[0] ?? "";
}

function exposure(e: Evidence<ElfData>, services: string[]): string | undefined {
  const d = e.data;
  if (d.setuid) return "set-user-ID";
  if (d.setgid) return "set-group-ID";
  if (d.listens) return "network-facing";
  const path = placeOf(e);
  const base = path.slice(path.lastIndexOf("/") + 1);
  if (services.some((p) => (p.startsWith("/") ? p === path : p === base))) return "started as a service";
  return undefined;
}

const pct = (n: number, of: number) => `${Math.round((100 * n) / of)}%`;

export const firmwareBinaryHardening: Check = {
  meta,
  evaluate(evidence) {
    const services = groupByImage(evidence.ofKind<ServiceData>(FW.service).filter((s) => s.data.enabled));
    const out: Finding[] = [];
    for (const [key, elfs] of groupByImage(evidence.ofKind<ElfData>(FW.elf))) {
      const execs = elfs.filter((e) => e.data.type === "exec").sort(byLocation);
      if (execs.length === 0) continue;
      const started = (services.get(key) ?? []).map((s) => program(s.data.command));
      const judged = execs.map((e) => ({ e, gaps: missing(e.data), exposed: exposure(e, started) }));
      const noNx = judged.filter((j) => !j.e.data.nx);
      const exposed = judged.filter((j) => j.exposed);
      const exposedGaps = exposed.filter((j) => j.gaps.length > 0);
      const tooManyNoNx = noNx.length > NX_THRESHOLD * execs.length;
      const fails = tooManyNoNx || exposedGaps.length > 0;

      const stats = `${execs.length} executable${execs.length === 1 ? "" : "s"}: ${noNx.length} (${pct(noNx.length, execs.length)}) with an executable stack${tooManyNoNx ? `, above the ${NX_THRESHOLD * 100}% allowed` : ""}; ${judged.filter((j) => !j.e.data.pie).length} without PIE; ${judged.filter((j) => j.e.data.relro === "none").length} without RELRO; ${judged.filter((j) => !j.e.data.canary).length} without a stack canary; ${judged.filter((j) => j.e.data.fortify).length} with FORTIFY.`;
      if (!fails) {
        const exposedText =
          exposed.length === 0
            ? "None is set-user-ID or network-facing."
            : `The ${exposed.length} exposed (set-user-ID or network-facing) ${exposed.length === 1 ? "has" : "have"} NX, PIE, RELRO and a stack canary.`;
        out.push(
          finding(
            meta,
            "pass",
            `${stats} ${exposedText}`,
            execs.map((e) => e.id),
          ),
        );
        continue;
      }
      // Worst first: exposed before the rest, then by how many mitigations are missing.
      const worst = judged
        .filter((j) => j.gaps.length > 0)
        .sort((a, b) => Number(!!b.exposed) - Number(!!a.exposed) || b.gaps.length - a.gaps.length)
        .slice(0, WORST_LISTED);
      const listed = worst
        .map((j) => `${placeOf(j.e)} (${j.exposed ? `${j.exposed}; ` : ""}no ${j.gaps.join(", ")})`)
        .join(", ");
      const exposedText =
        exposedGaps.length > 0
          ? ` ${exposedGaps.length} exposed (set-user-ID or network-facing) ${exposedGaps.length === 1 ? "lacks" : "lack"} a mitigation.`
          : "";
      out.push(
        finding(meta, "fail", `${stats}${exposedText} Worst: ${listed}.`, [
          ...new Set([...exposedGaps, ...noNx, ...worst].map((j) => j.e.id)),
        ]),
      );
    }
    return out;
  },
};
