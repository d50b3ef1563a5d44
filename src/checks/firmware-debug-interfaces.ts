// SURF-04: debug interfaces on production units are disabled or ask for authentication. From the
// firmware this check sees the software side: a shell on the serial console without login, shells
// served on network ports (nc -e, socat EXEC, telnetd -l /bin/sh), telnet on odd ports, adbd and
// gdbserver started at boot. It never passes: JTAG and UART pins are hardware, so finding none in
// the boot configuration is information, not proof.
import { FW, type ServiceData } from "../evidence/firmware.js";
import type { Evidence } from "../evidence/types.js";
import { placeOf } from "./firmware-evidence.js";
import { factsPerImage, unreadable, type ImageFacts } from "./firmware-readable.js";
import { finding, type Check, type CheckMeta, type Finding } from "./types.js";

const meta: CheckMeta = {
  id: "firmware.debug-interfaces",
  title: "No unauthenticated console or debug shells start at boot",
  description:
    "Reads the services the firmware starts at boot. Fails for each console that gives a shell without login (inittab ::respawn:/bin/sh, getty -n -l /bin/sh, autologin, OpenWrt without ttylogin), each shell served on a network port (nc -l -e /bin/sh, socat EXEC, telnetd -l /bin/sh), each raw listener and telnetd on a non-standard port started from boot scripts, and adbd or gdbserver started at boot. When none is found it reports information only: hardware debug ports (UART, JTAG) are not visible in an image.",
  requirements: ["SURF-04"],
  severity: "high",
  reads: [FW.service, FW.image],
  remediation:
    "Remove debug shells and listeners from the boot scripts, run a getty with login on the serial console (or disable it on production units), and keep adbd and gdbserver out of production images.",
};

const ttyOf = (d: Record<string, unknown>) => (typeof d.tty === "string" ? d.tty : "console");

function message(e: Evidence<ServiceData>): { text: string; fix: string } | undefined {
  const s = e.data;
  const d = s.detail ?? {};
  const at = `${placeOf(e)} (${s.startedBy})`;
  const port = typeof d.port === "number" ? `port ${d.port}` : "a network port";
  switch (s.service) {
    case "console-shell": {
      const how =
        typeof d.autologin === "string"
          ? `logs in ${d.autologin} automatically`
          : typeof d.why === "string"
            ? `gives a shell without login (${d.why})`
            : "gives a shell without login";
      return {
        text: `The console ${ttyOf(d)} ${how}, started from ${at}: anyone at the serial port gets a shell.`,
        fix: "Run a getty that asks for a login on the console (OpenWrt: option ttylogin '1' in /etc/config/system), or disable the console on production units.",
      };
    }
    case "debug-shell":
      return {
        text: `${String(d.program)} serves a shell (${String(d.exec)}) on ${port}, started from ${at}: anyone who connects gets a shell without logging in.`,
        fix: "Remove the listener from the boot scripts.",
      };
    case "listener":
      return {
        text: `${String(d.program)} listens on ${port}, started from ${at}: an unauthenticated raw listener of the kind left for debugging.`,
        fix: "Remove the listener from the boot scripts.",
      };
    case "telnetd":
      if (d.backdoor !== true) return undefined;
      return {
        text:
          d.noLogin === true
            ? `telnetd gives a shell without login (-l ${String(d.login)}) on ${port}, started from ${at}.`
            : `telnetd runs on non-standard ${port}, started from ${at}: the usual sign of a debug backdoor.`,
        fix: "Remove telnetd from the boot scripts and the image.",
      };
    case "adbd":
      return {
        text: `The Android debug bridge (adbd) starts at boot from ${at}: it gives a shell to anyone who reaches it.`,
        fix: "Do not start adbd on production units, or require authorised keys (ro.adb.secure=1).",
      };
    case "gdbserver":
      return {
        text: `gdbserver starts at boot from ${at}${typeof d.port === "number" ? ` on port ${d.port}` : ""}: anyone who connects can run code on the device.`,
        fix: "Remove gdbserver from production images.",
      };
    default:
      return undefined;
  }
}

function judge({ image, facts }: ImageFacts<ServiceData>): Finding[] {
  const started = facts.filter((e) => e.data.enabled);
  const out: Finding[] = [];
  for (const e of started) {
    const m = message(e);
    if (m) out.push(finding(meta, "fail", m.text, [e.id], { remediation: m.fix }));
  }
  if (!image || out.length > 0) return out;
  const why = unreadable(image, "services");
  const consoles = started.filter((e) => e.data.service === "console-login");
  const login =
    consoles.length > 0
      ? ` The console asks for a login (${consoles.map((e) => ttyOf(e.data.detail ?? {})).join(", ")}).`
      : "";
  return [
    finding(
      meta,
      "info",
      why
        ? `Debug shells in ${image.data.path} cannot all be ruled out: ${why}.`
        : `No console shell without login, debug shell, raw listener, adbd or gdbserver starts at boot in ${image.data.path}.${login} Hardware debug ports (UART, JTAG) cannot be judged from the image.`,
      [image.id, ...started.map((e) => e.id)],
    ),
  ];
}

export const firmwareDebugInterfaces: Check = {
  meta,
  evaluate(evidence) {
    return factsPerImage<ServiceData>(evidence, FW.service, "services").flatMap(judge);
  },
};
