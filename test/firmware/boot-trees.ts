// Root filesystems for the boot-service, configuration-hazard, update and personal-data tests:
// WEAK plants the classic weaknesses of a cheap BusyBox device next to things that must not count
// (a commented-out telnetd, a disabled init script, https feeds, a WPA2 hostapd); OPENWRT is a
// hardened procd/UCI system; SYSTEMD and INETD exercise the other ways services start.
import { FW } from "../../src/evidence/firmware.js";
import type { Analyzer, Fact } from "../../src/collect/firmware/analyzers/types.js";
import { Budget, DEFAULT_LIMITS } from "../../src/collect/firmware/limits.js";
import { bufferSource } from "../../src/collect/firmware/source.js";
import { unpack } from "../../src/collect/firmware/unpack.js";
import { walk } from "../../src/collect/firmware/walk.js";
import type { Tree, TreeEntry } from "../helpers/fwimage.js";

// Deterministic permissions whatever the caller's umask: writeTree creates directories with it.
process.umask(0o022);

const exec = (content: string): TreeEntry => ({ content, mode: 0o755 });
const lines = (...l: string[]) => `${l.join("\n")}\n`;

export const WEAK: Tree = {
  "etc/inittab": lines(
    "# BusyBox init",
    "::sysinit:/etc/init.d/rcS",
    "::respawn:/usr/sbin/telnetd -F -l /bin/sh",
    "#::respawn:/usr/sbin/telnetd -F -p 2323",
    "ttyS0::respawn:/sbin/getty -L ttyS0 115200 vt100",
    "ttyS1::askfirst:-/bin/sh",
    "::shutdown:/bin/umount -a -r",
  ),
  "etc/init.d/rcS": exec(
    lines("#!/bin/sh", "for i in /etc/init.d/S??* ; do", '\t[ -x "$i" ] || continue', "\t$i start", "done"),
  ),
  "etc/init.d/telnet": exec(
    lines(
      "#!/bin/sh",
      "DAEMON=/usr/sbin/telnetd",
      "start() {",
      "\tstart-stop-daemon -S -b -x $DAEMON -- -p 23 -l /bin/login",
      "}",
      "stop() {",
      "\tstart-stop-daemon -K -x $DAEMON",
      "}",
      'case "$1" in',
      "\tstart) start ;;",
      "\tstop) stop ;;",
      "esac",
    ),
  ),
  "etc/rc.d/S50telnet": { symlink: "../init.d/telnet" },
  "etc/init.d/ftp": exec(
    lines("#!/bin/sh", "# not linked from any rc directory: disabled", "vsftpd /etc/vsftpd.conf &"),
  ),
  "etc/init.d/S40dropbear": exec(lines("#!/bin/sh", "/usr/sbin/dropbear -p 22 -R")),
  "etc/init.d/S45snmpd": exec(lines("#!/bin/sh", "snmpd -c /etc/snmp/snmpd.conf")),
  "etc/init.d/S60upnp": exec(lines("#!/bin/sh", "miniupnpd -f /etc/miniupnpd.conf")),
  "etc/rc.local": exec(
    lines(
      "#!/bin/sh",
      "# debug access for the factory",
      "nc -l -p 4444 -e /bin/sh &",
      "# telnetd -l /bin/sh -p 9999",
      "exit 0",
    ),
  ),
  "etc/vsftpd.conf": lines("anonymous_enable=YES"),
  "etc/miniupnpd.conf": lines("ext_ifname=eth0", "listen_addr=192.168.1.1", "secure_mode=no"),
  "etc/hostapd.conf": lines("interface=wlan0", "ssid=ACME-Setup", "hw_mode=g", "channel=6"),
  "etc/hostapd-5g.conf": lines(
    "interface=wlan1",
    "ssid=ACME-5G",
    "wpa=2",
    "wpa_key_mgmt=WPA-PSK",
    "wpa_passphrase=correct-horse-battery",
  ),
  "etc/snmp/snmpd.conf": lines(
    "rocommunity public 192.168.1.0/24",
    "# rwcommunity private",
    "rwcommunity acme-7f3k",
  ),
  "usr/sbin/fw_update.sh": exec(
    lines(
      "#!/bin/sh",
      "# Fetch and flash the latest firmware",
      "URL=http://update.acme.example/fw/latest.bin",
      'wget -q -O /tmp/fw.bin "$URL"',
      "mtd write /tmp/fw.bin firmware",
    ),
  ),
  "etc/opkg/distfeeds.conf": lines("src/gz acme_core https://downloads.acme.example/packages/core"),
  "etc/ppp/chap-secrets": { content: "# client server secret\n", mode: 0o666 },
  "usr/sbin/telnetd": exec("#busybox applet\n"),
  "bin/busybox": exec("BusyBox v1.36.1 multi-call binary"),
  "bin/sh": { symlink: "busybox" },
};

/** A usign public key as OpenWrt ships it: "Ed", an 8-byte key id, 32 bytes of key. */
export const USIGN_KEY_ID = "5f1a6c2b9e0d4a37";
const usignKey = `untrusted comment: ACME release key\n${Buffer.concat([
  Buffer.from("Ed"),
  Buffer.from(USIGN_KEY_ID, "hex"),
  Buffer.alloc(32, 7),
]).toString("base64")}\n`;

export const OPENWRT: Tree = {
  "etc/inittab": lines(
    "::sysinit:/etc/init.d/rcS S boot",
    "::shutdown:/etc/init.d/rcS K shutdown",
    "::askconsole:/usr/libexec/login.sh",
  ),
  "etc/config/system": lines("config system", "\toption hostname 'acme'", "\toption ttylogin '1'"),
  "etc/init.d/rcS": exec(
    lines(
      "#!/bin/sh",
      "run_scripts() {",
      "\tfor i in /etc/rc.d/$1*; do",
      "\t\t[ -x $i ] && $i $2 2>&1",
      "\tdone | $LOGGER",
      "}",
      'LOGGER="cat"',
      'run_scripts "$1" "$2"',
    ),
  ),
  "etc/init.d/dropbear": exec(
    lines(
      "#!/bin/sh /etc/rc.common",
      "START=50",
      "USE_PROCD=1",
      "PROG=/usr/sbin/dropbear",
      "dropbear_instance() {",
      '\tconfig_get_bool PasswordAuth "$1" PasswordAuth 1',
      "\tprocd_open_instance",
      '\tprocd_set_param command "$PROG" -F -P /var/run/dropbear.pid',
      '\t[ "$PasswordAuth" -eq 0 ] && procd_append_param command -s',
      "\tprocd_close_instance",
      "}",
      "start_service() {",
      "\tconfig_load dropbear",
      "\tconfig_foreach dropbear_instance dropbear",
      "}",
    ),
  ),
  "etc/config/dropbear": lines(
    "config dropbear",
    "\toption PasswordAuth 'off'",
    "\toption RootPasswordAuth 'off'",
    "\toption Port '22'",
  ),
  "etc/rc.d/S50dropbear": { symlink: "../init.d/dropbear" },
  "etc/init.d/uhttpd": exec(
    lines(
      "#!/bin/sh /etc/rc.common",
      "START=50",
      "USE_PROCD=1",
      "start_service() {",
      "\tconfig_load uhttpd",
      "\tprocd_open_instance",
      "\tprocd_set_param command /usr/sbin/uhttpd -f -h /www",
      "\tprocd_close_instance",
      "}",
    ),
  ),
  "etc/rc.d/S50uhttpd": { symlink: "../init.d/uhttpd" },
  "etc/config/uhttpd": lines(
    "config uhttpd 'main'",
    "\tlist listen_http '0.0.0.0:80'",
    "\tlist listen_https '0.0.0.0:443'",
    "\toption redirect_https '1'",
  ),
  "etc/init.d/telnet": exec(
    lines(
      "#!/bin/sh /etc/rc.common",
      "START=50",
      "USE_PROCD=1",
      "start_service() {",
      "\tprocd_open_instance",
      "\tprocd_set_param command /usr/sbin/telnetd -F -l /bin/login.sh",
      "\tprocd_close_instance",
      "}",
    ),
  ),
  "etc/config/wireless": lines(
    "config wifi-device 'radio0'",
    "\toption type 'mac80211'",
    "config wifi-iface 'default_radio0'",
    "\toption device 'radio0'",
    "\toption mode 'ap'",
    "\toption ssid 'ACME'",
    "\toption encryption 'psk2'",
    "config wifi-device 'radio1'",
    "\toption disabled '1'",
    "config wifi-iface 'default_radio1'",
    "\toption device 'radio1'",
    "\toption ssid 'OpenWrt'",
    "\toption encryption 'none'",
  ),
  "etc/config/upnpd": lines("config upnpd 'config'", "\toption enabled '1'", "\toption secure_mode '1'"),
  "etc/config/firewall": lines(
    "config rule",
    "\toption name 'Allow-SSH-WAN'",
    "\toption src 'wan'",
    "\toption dest_port '22'",
    "\toption target 'ACCEPT'",
  ),
  "sbin/sysupgrade": exec(
    lines("#!/bin/sh", ". /lib/upgrade/common.sh", "fwtool_check_signature $IMAGE || exit 1"),
  ),
  "lib/upgrade/fwtool.sh": lines(
    'REQUIRE_IMAGE_SIGNATURE="${REQUIRE_IMAGE_SIGNATURE:-$(uci get system.@system[-1].require_image_signature)}"',
    "fwtool_check_signature() {",
    '\t[ "$REQUIRE_IMAGE_SIGNATURE" = 1 ] || return 0',
    '\tfwtool -q -s /tmp/sysupgrade.ucert "$1" || return 1',
    "\tucert -V -m /tmp/sysupgrade.meta -c /tmp/sysupgrade.ucert -P /etc/opkg/keys 2>&1",
    "}",
  ),
  "lib/upgrade/platform.sh": lines("REQUIRE_IMAGE_SIGNATURE=1", "platform_check_image() { return 0; }"),
  "usr/bin/ucert": exec("\x7fELF ucert"),
  "usr/bin/usign": exec("\x7fELF usign"),
  [`etc/opkg/keys/${USIGN_KEY_ID}`]: usignKey,
  "etc/opkg/distfeeds.conf": lines(
    "src/gz openwrt_core https://downloads.openwrt.org/releases/23.05.3/targets/ath79/generic/packages",
    "# src/gz old http://downloads.openwrt.org/releases/19.07/packages",
  ),
  "etc/hostapd.conf": lines("interface=wlan0", "ssid=ACME", "wpa=2", "wpa_key_mgmt=SAE"),
};

export const SYSTEMD: Tree = {
  "lib/systemd/system/telnet.socket": lines(
    "[Socket]",
    "ListenStream=23",
    "Accept=yes",
    "[Install]",
    "WantedBy=sockets.target",
  ),
  "lib/systemd/system/telnet@.service": lines(
    "[Service]",
    "ExecStart=-/usr/sbin/in.telnetd",
    "StandardInput=socket",
  ),
  "etc/systemd/system/sockets.target.wants/telnet.socket": { symlink: "/lib/systemd/system/telnet.socket" },
  "lib/systemd/system/ssh.service": lines(
    "[Unit]",
    "Description=OpenSSH",
    "[Service]",
    "ExecStart=/usr/sbin/sshd -D $SSHD_OPTS",
  ),
  "etc/systemd/system/multi-user.target.wants/ssh.service": { symlink: "/lib/systemd/system/ssh.service" },
  "etc/ssh/sshd_config": lines(
    "# defaults are commented out",
    "#PermitRootLogin prohibit-password",
    "PermitRootLogin yes",
    "PasswordAuthentication yes",
    "Match User backup",
    "\tPermitEmptyPasswords yes",
  ),
  "lib/systemd/system/serial-getty@.service": lines(
    "[Service]",
    "ExecStart=-/sbin/agetty --autologin root --keep-baud 115200 %I $TERM",
  ),
  "etc/systemd/system/getty.target.wants/serial-getty@ttyS0.service": {
    symlink: "/lib/systemd/system/serial-getty@.service",
  },
  "lib/systemd/system/tftpd.service": lines("[Service]", "ExecStart=/usr/sbin/in.tftpd -L -s /srv/tftp"),
  "lib/systemd/system/debug-shell.service": lines("[Service]", "ExecStart=/bin/sh", "TTYPath=/dev/tty9"),
  "etc/systemd/system/multi-user.target.wants/debug-shell.service": {
    symlink: "/lib/systemd/system/debug-shell.service",
  },
  "etc/systemd/system/debug-shell.service": { symlink: "/dev/null" },
};

export const INETD: Tree = {
  "etc/init.d/S30inetd": exec(lines("#!/bin/sh", "/usr/sbin/inetd /etc/inetd.conf")),
  "etc/inetd.conf": lines(
    "telnet stream tcp nowait root /usr/sbin/telnetd telnetd -i",
    "#ftp stream tcp nowait root /usr/sbin/ftpd ftpd -w",
    "tftp dgram udp wait root /usr/sbin/tcpd in.tftpd -s /tftpboot",
  ),
  "etc/xinetd.d/rsh": lines("service shell", "{", "\tdisable = yes", "\tserver = /usr/sbin/in.rshd", "}"),
  "etc/init.d/S70gdb": exec(
    lines(
      "#!/bin/sh",
      "# remote debugging",
      "gdbserver --multi 0.0.0.0:2345 &",
      "socat TCP-LISTEN:5555,fork EXEC:/bin/sh",
    ),
  ),
  "etc/init.d/S80adb": exec(lines("#!/bin/sh", "busybox nohup /sbin/adbd >/dev/null 2>&1 &")),
};

/** A tree without some of its entries. */
export const without = (tree: Tree, ...paths: string[]): Tree =>
  Object.fromEntries(Object.entries(tree).filter(([p]) => !paths.includes(p)));

export interface Seen {
  location: string;
  data: unknown;
}

/** JavaScript runtime errors: an analyzer bug, never an acceptable reaction to a hostile file. */
export const BUG =
  /Cannot read propert|is not a function|is not iterable|Maximum call stack|Invalid array length|undefined is not/;

/**
 * Unpack an image and run the given analyzers over it, as analyze.ts does, without the cache.
 * Throws when an analyzer failed with a JavaScript runtime error (walk errors from unreadable
 * content are normal for damaged images).
 */
export function analyzeBytes(bytes: Uint8Array, analyzers: readonly Analyzer[], kind?: string): Seen[] {
  const budget = new Budget({ ...DEFAULT_LIMITS, maxMillis: 20_000 });
  const r = unpack(bufferSource("firmware.bin", bytes), { budget });
  const out: Seen[] = [];
  for (const fs of r.filesystems) {
    const stats = walk(
      fs,
      analyzers,
      (fact: Fact) => {
        if (!kind || fact.kind === kind) out.push({ location: fact.location ?? "/", data: fact.data });
      },
      budget,
    );
    const bug = stats.errors.find((e) => BUG.test(e));
    if (bug) throw new Error(`analyzer bug: ${bug}`);
  }
  return out;
}

export const KINDS = FW;
