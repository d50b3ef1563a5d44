// AUTH-01: no account in the firmware may log in with an empty password or one from the
// default-credential dictionary (Mirai's table and documented vendor defaults). Reads the account
// facts of the firmware collector, whose analyzer already tried every hash against the dictionary.
// Silent when no firmware was read, so "nothing found" is never mistaken for "nothing looked at".
import type { Evidence, EvidenceIndex } from "../evidence/types.js";
import { FW, type AccountData, type FirmwareImageData } from "../evidence/firmware.js";
import { finding, type Check, type CheckMeta, type Finding } from "./types.js";

const meta: CheckMeta = {
  id: "firmware.default-credentials",
  title: "No firmware account logs in with a default or empty password",
  description:
    "Fails for each account that can log in (a login shell, or uid 0) whose password is empty or cracked against the default-credential dictionary, including old hashes left in backups such as shadow-. Passes when the firmware's accounts were analyzed and none did.",
  requirements: ["AUTH-01"],
  severity: "critical",
  reads: [FW.account, FW.image],
  remediation:
    "Ship no shared password: lock every account in the image ('!' or '*' in /etc/shadow), make each unit set or generate a unique password at first use, and remove backup files (shadow-, passwd-) from the image.",
};

export interface ImageAccounts {
  /** The firmware file, as the collector names it ("" when the evidence names none). */
  image: string;
  imageEvidence?: Evidence<FirmwareImageData>;
  accounts: Evidence<AccountData>[];
}

/** Account facts grouped by the firmware image they came from, in evidence order. */
export function accountsByImage(evidence: EvidenceIndex): ImageAccounts[] {
  const groups = new Map<string, ImageAccounts>();
  const group = (e: Evidence) => {
    const image = e.source.artifact?.path ?? "";
    let g = groups.get(image);
    if (!g) groups.set(image, (g = { image, accounts: [] }));
    return g;
  };
  for (const e of evidence.ofKind<FirmwareImageData>(FW.image)) group(e).imageEvidence = e;
  for (const e of evidence.ofKind<AccountData>(FW.account)) group(e).accounts.push(e);
  return [...groups.values()];
}

/** The accounts analyzer ran on a filesystem it could read: an empty result means none exist. */
export function accountsAnalyzed(g: ImageAccounts): boolean {
  const img = g.imageEvidence?.data;
  return g.accounts.length > 0 || (!!img?.analyzers?.accounts && (img.filesystems?.length ?? 0) > 0);
}

const where = (e: Evidence<AccountData>) => {
  const loc = e.source.location ?? e.data.from;
  return ["shadow", "passwd"].includes(e.data.from) ? loc : `${loc}, a backup left in the image`;
};

function problem(e: Evidence<AccountData>): string | undefined {
  const a = e.data;
  if (!(a.loginShell || a.uid === 0)) return undefined;
  const who = `Account ${a.user} (uid ${a.uid}, shell ${a.shell || "/bin/sh"})`;
  if (a.state === "empty") return `${who} has no password at all (${where(e)}).`;
  if (a.state !== "cracked" || a.password === undefined) return undefined;
  if (a.password === "") return `${who} has a password hash of the empty password (${where(e)}).`;
  return `${who} logs in with the default password "${a.password}" from the default-credential dictionary (${where(e)}).`;
}

export const firmwareDefaultCredentials: Check = {
  meta,
  evaluate(evidence) {
    const out: Finding[] = [];
    for (const g of accountsByImage(evidence)) {
      const fails = g.accounts.flatMap((e) => {
        const message = problem(e);
        return message ? [finding(meta, "fail", message, [e.id])] : [];
      });
      out.push(...fails);
      if (fails.length || !accountsAnalyzed(g)) continue;
      const name = g.image ? `Firmware ${g.image}` : "The firmware";
      const ids = [...g.accounts.map((e) => e.id), ...(g.imageEvidence ? [g.imageEvidence.id] : [])];
      if (!g.accounts.length) {
        out.push(
          finding(
            meta,
            "pass",
            `${name} has no account files (/etc/passwd, /etc/shadow) to log in with.`,
            ids,
          ),
        );
        continue;
      }
      const limited = g.accounts
        .filter((e) => e.data.crackLimited)
        .map((e) => `${e.data.user} (${e.data.scheme})`);
      const caveat = limited.length
        ? ` The dictionary attack stopped at its work limit for ${limited.join(", ")}, so not every candidate was tried.`
        : "";
      const n = g.accounts.length;
      out.push(
        finding(
          meta,
          "pass",
          `${name}: no account logs in with an empty password or one from the default-credential dictionary (${n} account${n === 1 ? "" : "s"} analyzed).${caveat}`,
          ids,
        ),
      );
    }
    return out;
  },
};
