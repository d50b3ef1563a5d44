import { firmwareInsecureServices } from "../../src/checks/firmware-insecure-services.js";
import { checkTable } from "../helpers/check-table.js";
import { image, svc } from "./boot-fixtures.js";

const dropbear = (o: Record<string, unknown>) => ({
  program: "dropbear",
  port: 22,
  passwordAuth: false,
  rootPasswordAuth: false,
  rootLogin: true,
  blankPasswords: false,
  rootPasswordLogin: false,
  emptyPasswords: false,
  ...o,
});

checkTable(firmwareInsecureServices, {
  valid: [
    {
      name: "services analyzed, none insecure; a disabled telnetd does not count",
      evidence: [
        image(),
        svc("/etc/init.d/dropbear:8", "dropbear", "/usr/sbin/dropbear -F", dropbear({}), {
          startedBy: "procd",
        }),
        svc("/etc/init.d/uhttpd:7", "uhttpd", "/usr/sbin/uhttpd -f", { program: "uhttpd" }),
        svc("/etc/init.d/telnet:6", "telnetd", "/usr/sbin/telnetd -F", { port: 23 }, { enabled: false }),
      ],
      expect: [
        {
          status: "pass",
          message:
            "None of the 2 services started at boot in img-a.bin is Telnet, FTP, TFTP, an r-service or SSH with root password login or empty passwords (dropbear and uhttpd).",
          requirements: ["SURF-05"],
        },
      ],
    },
    {
      name: "nothing recognised at boot: no pass",
      evidence: [image()],
      expect: [
        {
          status: "info",
          message:
            "No service started at boot was recognised in img-a.bin (no inittab, init script, systemd unit or inetd entry that starts a known program), so insecure services cannot be ruled out.",
        },
      ],
    },
    {
      name: "image not completely read: no pass",
      evidence: [
        image({ problems: ["firmware.bin squashfs@0x40000: fragment table offset beyond the image"] }),
        svc("/etc/init.d/S50httpd:2", "httpd", "httpd -p 80"),
      ],
      expect: [
        {
          status: "info",
          message:
            "The services of img-a.bin cannot all be known: 1 problem while reading it, e.g. firmware.bin squashfs@0x40000: fragment table offset beyond the image.",
        },
      ],
    },
    {
      name: "stopped by a limit: no pass",
      evidence: [
        image({ stoppedBy: "maxMillis: took too long" }),
        svc("/etc/init.d/S50httpd:2", "httpd", "httpd"),
      ],
      expect: [
        {
          status: "info",
          message:
            "The services of img-a.bin cannot all be known: the analysis stopped early: maxMillis: took too long.",
        },
      ],
    },
  ],
  invalid: [
    {
      name: "telnetd from inittab and from an init script, dropbear with root passwords",
      evidence: [
        image(),
        svc(
          "/etc/inittab:3",
          "telnetd",
          "/usr/sbin/telnetd -F -l /bin/sh",
          { port: 23, noLogin: true },
          { startedBy: "inittab" },
        ),
        svc("/etc/init.d/telnet:4", "telnetd", "/usr/sbin/telnetd -p 2323", { port: 2323 }),
        svc(
          "/etc/init.d/S40dropbear:2",
          "dropbear",
          "/usr/sbin/dropbear -R",
          dropbear({ passwordAuth: true, rootPasswordAuth: true, rootPasswordLogin: true }),
        ),
      ],
      expect: [
        {
          status: "fail",
          message:
            "dropbear (/usr/sbin/dropbear -R) starts at boot from /etc/init.d/S40dropbear:2 (init.d) and lets root log in with a password.",
        },
        {
          status: "fail",
          message:
            "telnetd (/usr/sbin/telnetd -p 2323) starts at boot from /etc/init.d/telnet:4 (init.d) on port 2323: Telnet sends logins and sessions in clear text.",
        },
        {
          status: "fail",
          message:
            "telnetd (/usr/sbin/telnetd -F -l /bin/sh) starts at boot from /etc/inittab:3 (inittab) on port 23: Telnet sends logins and sessions in clear text.",
        },
      ],
    },
    {
      name: "sshd with empty passwords per its config, anonymous FTP and TFTP from inetd",
      evidence: [
        image(),
        svc(
          "/lib/systemd/system/ssh.service:4",
          "sshd",
          "/usr/sbin/sshd -D",
          {
            ...dropbear({ program: "sshd", passwordAuth: true, emptyPasswords: true }),
            config: "/etc/ssh/sshd_config",
          },
          { startedBy: "systemd" },
        ),
        svc(
          "/etc/inetd.conf:2",
          "ftpd",
          "/usr/sbin/vsftpd",
          { program: "vsftpd", anonymous: true, port: 21 },
          { startedBy: "inetd" },
        ),
        svc("/etc/inetd.conf:3", "tftpd", "in.tftpd -s /tftpboot", { port: 69 }, { startedBy: "inetd" }),
      ],
      expect: [
        {
          status: "fail",
          message:
            "ftpd (/usr/sbin/vsftpd) starts at boot from /etc/inetd.conf:2 (inetd) on port 21 with anonymous login: FTP sends logins and files in clear text.",
        },
        {
          status: "fail",
          message:
            "tftpd (in.tftpd -s /tftpboot) starts at boot from /etc/inetd.conf:3 (inetd) on port 69: TFTP serves files to anyone on the network without any login.",
        },
        {
          status: "fail",
          message:
            "sshd (/usr/sbin/sshd -D) starts at boot from /lib/systemd/system/ssh.service:4 (systemd) and accepts empty passwords, per /etc/ssh/sshd_config.",
        },
      ],
    },
  ],
  silent: [
    { name: "no evidence", evidence: [], expect: [] },
    {
      name: "services analyzer did not run on the image",
      evidence: [image({ analyzers: { secrets: "1" } })],
      expect: [],
    },
  ],
});
