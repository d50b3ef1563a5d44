// SURF-05: a device ships with only the services it needs, and none that hand out access in clear
// text. Telnet, FTP, TFTP and the r-services started at boot fail; so does SSH that lets root log
// in with a password or accepts empty passwords. Services that are present but not started at
// boot (disabled init scripts, commented-out lines) do not count.
import { FW, type ServiceData } from "../evidence/firmware.js";
import type { Evidence } from "../evidence/types.js";
import { listPlaces, placeOf } from "./firmware-evidence.js";
import { factsPerImage, unreadable, type ImageFacts } from "./firmware-readable.js";
import { finding, type Check, type CheckMeta, type Finding } from "./types.js";

const meta: CheckMeta = {
  id: "firmware.insecure-services",
  title: "No clear-text or password-root services start at boot",
  description:
    "Reads the services the firmware starts at boot (inittab, init scripts and their rc links, rc.local, procd, systemd, inetd, xinetd). Fails for each Telnet, FTP, TFTP or rsh/rlogin/rexec service that starts at boot, and for each SSH server (sshd, dropbear) that lets root log in with a password or accepts empty passwords. Passes when the whole image was read, services that start at boot were found, and none of them is insecure.",
  requirements: ["SURF-05"],
  severity: "high",
  reads: [FW.service, FW.image],
  remediation:
    "Remove clear-text services from the image (or leave them disabled), and configure SSH for key-based login only: dropbear -s -g (OpenWrt: PasswordAuth/RootPasswordAuth 'off'), or PermitRootLogin prohibit-password, PasswordAuthentication no and PermitEmptyPasswords no in sshd_config.",
};

const CLEAR_TEXT: Record<string, { what: string; fix: string }> = {
  telnetd: {
    what: "Telnet sends logins and sessions in clear text",
    fix: "Remove telnetd from the boot scripts (and from the image) and offer SSH with key-based login instead.",
  },
  ftpd: {
    what: "FTP sends logins and files in clear text",
    fix: "Remove the FTP server from boot, or replace it with SFTP over SSH.",
  },
  tftpd: {
    what: "TFTP serves files to anyone on the network without any login",
    fix: "Do not start a TFTP server on production units; keep TFTP for the bootloader's recovery mode only.",
  },
  rshd: { what: "rsh trusts host names and sends everything in clear text", fix: "Remove rshd; use SSH." },
  rlogind: {
    what: "rlogin trusts host names and sends everything in clear text",
    fix: "Remove rlogind; use SSH.",
  },
  rexecd: { what: "rexec sends passwords in clear text", fix: "Remove rexecd; use SSH." },
};

const SSH = new Set(["sshd", "dropbear"]);

function serviceFindings(e: Evidence<ServiceData>): Finding[] {
  const s = e.data;
  const d = s.detail ?? {};
  const at = `${placeOf(e)} (${s.startedBy})`;
  const out: Finding[] = [];
  const clear = CLEAR_TEXT[s.service];
  if (clear) {
    const port = typeof d.port === "number" ? ` on port ${d.port}` : "";
    const anon = d.anonymous === true ? " with anonymous login" : "";
    out.push(
      finding(
        meta,
        "fail",
        `${s.service} (${s.command}) starts at boot from ${at}${port}${anon}: ${clear.what}.`,
        [e.id],
        {
          remediation: clear.fix,
        },
      ),
    );
  }
  if (SSH.has(s.service)) {
    const config = typeof d.config === "string" ? `, per ${d.config}` : "";
    if (d.rootPasswordLogin === true)
      out.push(
        finding(
          meta,
          "fail",
          `${s.service} (${s.command}) starts at boot from ${at} and lets root log in with a password${config}.`,
          [e.id],
          {
            remediation:
              s.service === "dropbear"
                ? "Start dropbear with -s (or at least -g), or set option PasswordAuth 'off' and RootPasswordAuth 'off' in /etc/config/dropbear, and install an authorized key instead."
                : "Set PermitRootLogin prohibit-password (or no) and PasswordAuthentication no in sshd_config.",
          },
        ),
      );
    if (d.emptyPasswords === true)
      out.push(
        finding(
          meta,
          "fail",
          `${s.service} (${s.command}) starts at boot from ${at} and accepts empty passwords${config}.`,
          [e.id],
          {
            remediation:
              s.service === "dropbear"
                ? "Do not start dropbear with -B."
                : "Set PermitEmptyPasswords no in sshd_config.",
          },
        ),
      );
  }
  return out;
}

function judge({ image, facts }: ImageFacts<ServiceData>): Finding[] {
  const started = facts.filter((e) => e.data.enabled);
  const out = started.flatMap(serviceFindings);
  if (!image || out.length > 0) return out;
  const why = unreadable(image, "services");
  if (why)
    return [
      finding(meta, "info", `The services of ${image.data.path} cannot all be known: ${why}.`, [
        image.id,
        ...started.map((e) => e.id),
      ]),
    ];
  if (started.length === 0)
    return [
      finding(
        meta,
        "info",
        `No service started at boot was recognised in ${image.data.path} (no inittab, init script, systemd unit or inetd entry that starts a known program), so insecure services cannot be ruled out.`,
        [image.id],
      ),
    ];
  const names = [...new Set(started.map((e) => e.data.service))].sort();
  return [
    finding(
      meta,
      "pass",
      `None of the ${started.length} services started at boot in ${image.data.path} is Telnet, FTP, TFTP, an r-service or SSH with root password login or empty passwords (${listPlaces(names, 8)}).`,
      [image.id, ...started.map((e) => e.id)],
    ),
  ];
}

export const firmwareInsecureServices: Check = {
  meta,
  evaluate(evidence) {
    return factsPerImage<ServiceData>(evidence, FW.service, "services").flatMap(judge);
  },
};
