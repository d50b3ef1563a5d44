import { firmwareBinaryHardening } from "../../src/checks/firmware-binary-hardening.js";
import { FW, type ElfData, type ServiceData } from "../../src/evidence/firmware.js";
import { checkTable } from "../helpers/check-table.js";
import { fwFact } from "./firmware-fixtures.js";

const hardened: ElfData = {
  arch: "arm",
  bits: 32,
  endian: "little",
  type: "exec",
  nx: true,
  pie: true,
  relro: "full",
  canary: true,
  fortify: true,
  stripped: true,
};
const legacy: ElfData = { ...hardened, pie: false, relro: "none", canary: false, fortify: false };
const elf = (path: string, d: Partial<ElfData> = {}) => fwFact<ElfData>(FW.elf, { ...hardened, ...d }, path);
const many = (n: number, d: Partial<ElfData> = {}) =>
  Array.from({ length: n }, (_, i) => elf(`/usr/bin/tool${String(i).padStart(2, "0")}`, d));

checkTable(firmwareBinaryHardening, {
  valid: [
    {
      name: "every executable hardened; a listening daemon included; libraries ignored",
      evidence: [
        ...many(3),
        elf("/usr/sbin/httpd", { listens: true }),
        elf("/lib/libc.so.0", { type: "dyn", nx: false, canary: false }),
      ],
      expect: [
        {
          status: "pass",
          message:
            "4 executables: 0 (0%) with an executable stack; 0 without PIE; 0 without RELRO; 0 without a stack canary; 4 with FORTIFY. The 1 exposed (set-user-ID or network-facing) has NX, PIE, RELRO and a stack canary.",
          requirements: ["SURF-07"],
        },
      ],
    },
    {
      name: "unexposed legacy tools and one executable stack in ten stay under the threshold",
      evidence: [
        ...many(9, { pie: false, relro: "none", canary: false }),
        elf("/usr/bin/old", { nx: false }),
      ],
      expect: [
        {
          status: "pass",
          message:
            "10 executables: 1 (10%) with an executable stack; 9 without PIE; 9 without RELRO; 9 without a stack canary; 10 with FORTIFY. None is set-user-ID or network-facing.",
        },
      ],
    },
  ],
  invalid: [
    {
      name: "a set-user-ID program and a service daemon without PIE and canary",
      evidence: [
        ...many(3),
        elf("/bin/su", { ...legacy, setuid: true }),
        elf("/usr/sbin/dropbear", { pie: false }),
        fwFact<ServiceData>(
          FW.service,
          { service: "sshd", command: "/usr/sbin/dropbear -p 22", startedBy: "init.d", enabled: true },
          "/etc/init.d/dropbear:5",
        ),
      ],
      expect: [
        {
          status: "fail",
          message:
            "5 executables: 0 (0%) with an executable stack; 2 without PIE; 1 without RELRO; 1 without a stack canary; 4 with FORTIFY. 2 exposed (set-user-ID or network-facing) lack a mitigation. Worst: /bin/su (set-user-ID; no PIE, RELRO, canary), /usr/sbin/dropbear (started as a service; no PIE).",
        },
      ],
    },
    {
      name: "too many executables with an executable stack",
      evidence: [
        ...many(8),
        elf("/usr/bin/a", { nx: false }),
        elf("/usr/bin/b", { nx: false, canary: false }),
      ],
      expect: [
        {
          status: "fail",
          message:
            "10 executables: 2 (20%) with an executable stack, above the 10% allowed; 0 without PIE; 0 without RELRO; 1 without a stack canary; 10 with FORTIFY. Worst: /usr/bin/b (no NX, canary), /usr/bin/a (no NX).",
        },
      ],
    },
  ],
  silent: [
    {
      name: "only libraries and modules",
      evidence: [elf("/lib/libc.so", { type: "dyn" }), elf("/lib/modules/x.ko", { type: "rel" })],
      expect: [],
    },
  ],
});
