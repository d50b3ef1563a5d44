import { firmwareDebugInterfaces } from "../../src/checks/firmware-debug-interfaces.js";
import { checkTable } from "../helpers/check-table.js";
import { image, svc } from "./boot-fixtures.js";

checkTable(firmwareDebugInterfaces, {
  valid: [
    {
      name: "no debug shell at boot: information only, never a pass",
      evidence: [
        image(),
        svc(
          "/etc/inittab:5",
          "console-login",
          "/sbin/getty -L ttyS0 115200",
          { tty: "ttyS0" },
          { startedBy: "inittab" },
        ),
        svc("/etc/init.d/telnet:4", "telnetd", "/usr/sbin/telnetd", { port: 23 }),
        svc("/etc/rc.local:3", "debug-shell", "nc -l -p 4444 -e /bin/sh", { port: 4444 }, { enabled: false }),
      ],
      expect: [
        {
          status: "info",
          message:
            "No console shell without login, debug shell, raw listener, adbd or gdbserver starts at boot in img-a.bin. The console asks for a login (ttyS0). Hardware debug ports (UART, JTAG) cannot be judged from the image.",
          requirements: ["SURF-04"],
        },
      ],
    },
    {
      name: "image not completely read",
      evidence: [image({ filesystems: 0 })],
      expect: [
        {
          status: "info",
          message:
            "Debug shells in img-a.bin cannot all be ruled out: no filesystem could be unpacked from it.",
        },
      ],
    },
  ],
  invalid: [
    {
      name: "console shells, served shells, listeners, backdoor telnet, adbd and gdbserver",
      evidence: [
        image(),
        svc(
          "/etc/inittab:6",
          "console-shell",
          "/bin/sh",
          { tty: "ttyS1", noLogin: true },
          { startedBy: "inittab" },
        ),
        svc(
          "/etc/inittab:7",
          "console-shell",
          "/usr/libexec/login.sh",
          {
            tty: "console",
            noLogin: true,
            why: "ttylogin is not 1 in /etc/config/system",
          },
          { startedBy: "inittab" },
        ),
        svc(
          "/lib/systemd/system/serial-getty@.service:2",
          "console-shell",
          "/sbin/agetty --autologin root ttyS0",
          {
            tty: "ttyS0",
            autologin: "root",
          },
          { startedBy: "systemd" },
        ),
        svc(
          "/etc/rc.local:3",
          "debug-shell",
          "nc -l -p 4444 -e /bin/sh",
          { program: "nc", port: 4444, exec: "/bin/sh" },
          { startedBy: "rc.local" },
        ),
        svc("/etc/init.d/S70dbg:4", "listener", "nc -l -p 5000", { program: "nc", port: 5000 }),
        svc("/etc/init.d/S71dbg:2", "telnetd", "telnetd -l /bin/sh", {
          port: 23,
          login: "/bin/sh",
          noLogin: true,
          backdoor: true,
        }),
        svc("/etc/init.d/S72dbg:2", "telnetd", "telnetd -p 9999", { port: 9999, backdoor: true }),
        svc("/etc/init.d/S80adb:2", "adbd", "/sbin/adbd", { program: "adbd" }),
        svc("/etc/init.d/S81gdb:2", "gdbserver", "gdbserver :2345", { program: "gdbserver", port: 2345 }),
      ],
      expect: [
        {
          status: "fail",
          message:
            "nc listens on port 5000, started from /etc/init.d/S70dbg:4 (init.d): an unauthenticated raw listener of the kind left for debugging.",
        },
        {
          status: "fail",
          message:
            "telnetd gives a shell without login (-l /bin/sh) on port 23, started from /etc/init.d/S71dbg:2 (init.d).",
        },
        {
          status: "fail",
          message:
            "telnetd runs on non-standard port 9999, started from /etc/init.d/S72dbg:2 (init.d): the usual sign of a debug backdoor.",
        },
        {
          status: "fail",
          message:
            "The Android debug bridge (adbd) starts at boot from /etc/init.d/S80adb:2 (init.d): it gives a shell to anyone who reaches it.",
        },
        {
          status: "fail",
          message:
            "gdbserver starts at boot from /etc/init.d/S81gdb:2 (init.d) on port 2345: anyone who connects can run code on the device.",
        },
        {
          status: "fail",
          message:
            "The console ttyS1 gives a shell without login, started from /etc/inittab:6 (inittab): anyone at the serial port gets a shell.",
        },
        {
          status: "fail",
          message:
            "The console console gives a shell without login (ttylogin is not 1 in /etc/config/system), started from /etc/inittab:7 (inittab): anyone at the serial port gets a shell.",
        },
        {
          status: "fail",
          message:
            "nc serves a shell (/bin/sh) on port 4444, started from /etc/rc.local:3 (rc.local): anyone who connects gets a shell without logging in.",
        },
        {
          status: "fail",
          message:
            "The console ttyS0 logs in root automatically, started from /lib/systemd/system/serial-getty@.service:2 (systemd): anyone at the serial port gets a shell.",
        },
      ],
    },
  ],
  silent: [{ name: "no evidence", evidence: [], expect: [] }],
});
