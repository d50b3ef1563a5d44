// What changed between two versions of a firmware: components (and their versions), services,
// accounts, secrets, configuration hazards and findings. Items are compared by a stable key, so
// a moved file is not a change but a new version of a component is.
import type {
  AccountData,
  ComponentData,
  HazardData,
  SecretData,
  ServiceData,
} from "../../evidence/firmware.js";
import { FW } from "../../evidence/firmware.js";
import type { Evidence } from "../../evidence/types.js";
import type { Finding } from "../../checks/types.js";

export interface Change {
  key: string;
  before?: string;
  after?: string;
}

export interface DiffSection {
  added: Change[];
  removed: Change[];
  changed: Change[];
}

export interface FirmwareDiff {
  components: DiffSection;
  services: DiffSection;
  accounts: DiffSection;
  secrets: DiffSection;
  hazards: DiffSection;
  findings: DiffSection;
}

type Keyed = Map<string, string>;

function section(before: Keyed, after: Keyed): DiffSection {
  const out: DiffSection = { added: [], removed: [], changed: [] };
  for (const [key, value] of after) {
    if (!before.has(key)) out.added.push({ key, after: value });
    else if (before.get(key) !== value) out.changed.push({ key, before: before.get(key), after: value });
  }
  for (const [key, value] of before) if (!after.has(key)) out.removed.push({ key, before: value });
  for (const list of [out.added, out.removed, out.changed]) list.sort((a, b) => a.key.localeCompare(b.key));
  return out;
}

function keyed<T>(evidence: Evidence[], kind: string, key: (d: T) => string, value: (d: T) => string): Keyed {
  const out: Keyed = new Map();
  for (const e of evidence)
    if (e.kind === kind) {
      const k = key(e.data as T);
      // Several paths can hold the same component: keep every distinct value, sorted.
      const v = value(e.data as T);
      const prev = out.get(k);
      out.set(k, prev && prev !== v ? [...new Set([...prev.split(", "), v])].sort().join(", ") : v);
    }
  return out;
}

export function diffFirmware(
  before: { evidence: Evidence[]; findings: Finding[] },
  after: { evidence: Evidence[]; findings: Finding[] },
): FirmwareDiff {
  const both = <T>(kind: string, key: (d: T) => string, value: (d: T) => string) =>
    section(keyed(before.evidence, kind, key, value), keyed(after.evidence, kind, key, value));
  const findings = (list: Finding[]): Keyed =>
    new Map(list.filter((f) => f.status === "fail").map((f) => [`${f.check}: ${f.message}`, f.severity]));
  return {
    components: both<ComponentData>(
      FW.component,
      (c) => c.name,
      (c) => c.version,
    ),
    services: both<ServiceData>(
      FW.service,
      (s) => `${s.service} (${s.startedBy})`,
      (s) => `${s.enabled ? "enabled" : "disabled"}: ${s.command}`,
    ),
    accounts: both<AccountData>(
      FW.account,
      (a) => a.user,
      (a) => `${a.state}${a.password !== undefined ? ` "${a.password}"` : ""}, shell ${a.shell}`,
    ),
    secrets: both<SecretData>(
      FW.secret,
      (s) => `${s.type} ${s.fingerprint.slice(0, 16)}`,
      (s) => `${s.keyType ?? s.format}${s.bits ? ` ${s.bits} bits` : ""}`,
    ),
    hazards: both<HazardData>(
      FW.hazard,
      (h) => `${h.hazard}: ${h.detail}`,
      () => "present",
    ),
    findings: section(findings(before.findings), findings(after.findings)),
  };
}

export function diffIsEmpty(d: FirmwareDiff): boolean {
  return Object.values(d).every(
    (s: DiffSection) => s.added.length + s.removed.length + s.changed.length === 0,
  );
}
