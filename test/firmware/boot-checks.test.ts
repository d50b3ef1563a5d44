// From image to findings: real tar and squashfs images go through analyzeFirmware and the
// firmware collector's evidence, and the five boot/configuration/update checks judge them. The
// weak image fails exactly where weaknesses were planted; the hardened one passes; an image that
// cannot be read completely never passes.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { firmwareConfigHazards } from "../../src/checks/firmware-config-hazards.js";
import { firmwareDebugInterfaces } from "../../src/checks/firmware-debug-interfaces.js";
import { firmwareInsecureServices } from "../../src/checks/firmware-insecure-services.js";
import { firmwareUpdateChannel } from "../../src/checks/firmware-update-channel.js";
import { firmwareUpdateSigning } from "../../src/checks/firmware-update-signing.js";
import { analyzeFirmware } from "../../src/collect/firmware/analyze.js";
import { configHazardsAnalyzer } from "../../src/collect/firmware/analyzers/config-hazards.js";
import { personalDataAnalyzer } from "../../src/collect/firmware/analyzers/personal-data/index.js";
import { servicesAnalyzer } from "../../src/collect/firmware/analyzers/services/index.js";
import { updateHintsAnalyzer } from "../../src/collect/firmware/analyzers/update-hints.js";
import { firmwareEvidence } from "../../src/collect/firmware/collector.js";
import { EvidenceIndex } from "../../src/evidence/types.js";
import { squashfsImage, tarImage, tmp, writeTree } from "../helpers/fwimage.js";
import { OPENWRT, WEAK } from "./boot-trees.js";

const ANALYZERS = [servicesAnalyzer, configHazardsAnalyzer, updateHintsAnalyzer, personalDataAnalyzer];
const CHECKS = [
  firmwareInsecureServices,
  firmwareDebugInterfaces,
  firmwareConfigHazards,
  firmwareUpdateChannel,
  firmwareUpdateSigning,
];

function judge(path: string, name: string): [string, string, string][] {
  const analysis = analyzeFirmware(path, { analyzers: ANALYZERS, cache: false });
  const evidence = new EvidenceIndex(firmwareEvidence(analysis, name, "2026-11-25T00:00:00.000Z"));
  return CHECKS.flatMap((c) =>
    c
      .evaluate(evidence, { asOf: "2026-11-25" })
      .map((f): [string, string, string] => [f.check, f.status, f.message]),
  );
}

describe("boot, configuration and update checks on real images", () => {
  it("fails the weak BusyBox image exactly where weaknesses were planted", () => {
    assert.deepEqual(judge(tarImage(writeTree(WEAK)), "weak.tar"), [
      [
        "firmware.insecure-services",
        "fail",
        "dropbear (/usr/sbin/dropbear -p 22 -R) starts at boot from /etc/init.d/S40dropbear:2 (init.d) and lets root log in with a password.",
      ],
      [
        "firmware.insecure-services",
        "fail",
        "telnetd (/usr/sbin/telnetd -p 23 -l /bin/login) starts at boot from /etc/init.d/telnet:4 (init.d) on port 23: Telnet sends logins and sessions in clear text.",
      ],
      [
        "firmware.insecure-services",
        "fail",
        "telnetd (/usr/sbin/telnetd -F -l /bin/sh) starts at boot from /etc/inittab:3 (inittab) on port 23: Telnet sends logins and sessions in clear text.",
      ],
      [
        "firmware.debug-interfaces",
        "fail",
        "telnetd gives a shell without login (-l /bin/sh) on port 23, started from /etc/inittab:3 (inittab).",
      ],
      [
        "firmware.debug-interfaces",
        "fail",
        "The console ttyS1 gives a shell without login, started from /etc/inittab:6 (inittab): anyone at the serial port gets a shell.",
      ],
      [
        "firmware.debug-interfaces",
        "fail",
        "nc serves a shell (/bin/sh) on port 4444, started from /etc/rc.local:3 (rc.local): anyone who connects gets a shell without logging in.",
      ],
      [
        "firmware.config-hazards",
        "fail",
        'hostapd network "ACME-Setup" has no encryption (no wpa= setting) (/etc/hostapd.conf:2).',
      ],
      [
        "firmware.config-hazards",
        "fail",
        "miniupnpd secure_mode=no: any host on the LAN can open ports to any other host (/etc/miniupnpd.conf:3).",
      ],
      [
        "firmware.config-hazards",
        "fail",
        "file /etc/ppp/chap-secrets (mode 0666) is writable by everyone (/etc/ppp/chap-secrets).",
      ],
      [
        "firmware.config-hazards",
        "fail",
        'SNMP rocommunity uses the default community "public" (/etc/snmp/snmpd.conf:1).',
      ],
      [
        "firmware.update-channel",
        "fail",
        "The update URL http://update.acme.example/fw/latest.bin (/usr/sbin/fw_update.sh:3) uses http, which anyone on the path can read and replace.",
      ],
      [
        "firmware.update-signing",
        "fail",
        "Updates are installed without signature verification in weak.tar: update script fw_update.sh at /usr/sbin/fw_update.sh, and no verification step was found.",
      ],
    ]);
  });

  it("passes the hardened OpenWrt image (squashfs), and only informs where it cannot prove", () => {
    assert.deepEqual(judge(squashfsImage(writeTree(OPENWRT)), "openwrt.sqfs"), [
      [
        "firmware.insecure-services",
        "pass",
        "None of the 3 services started at boot in openwrt.sqfs is Telnet, FTP, TFTP, an r-service or SSH with root password login or empty passwords (console-login, dropbear and uhttpd).",
      ],
      [
        "firmware.debug-interfaces",
        "info",
        "No console shell without login, debug shell, raw listener, adbd or gdbserver starts at boot in openwrt.sqfs. The console asks for a login (console). Hardware debug ports (UART, JTAG) cannot be judged from the image.",
      ],
      [
        "firmware.config-hazards",
        "pass",
        "No configuration hazard was found in openwrt.sqfs (UPnP secure mode, Wi-Fi encryption, plain-HTTP remote administration, SNMP communities, file permissions).",
      ],
      [
        "firmware.update-channel",
        "pass",
        "The update URL found in openwrt.sqfs uses HTTPS (https://downloads.openwrt.org/releases/23.05.3/targets/ath79/generic/packages).",
      ],
      [
        "firmware.update-signing",
        "pass",
        "Updates are verified before installation in openwrt.sqfs: ucert -V (signed image certificate) with /usr/bin/ucert (required by /lib/upgrade/platform.sh:1) (/lib/upgrade/fwtool.sh:5); signing key at /etc/opkg/keys/5f1a6c2b9e0d4a37.",
      ],
    ]);
  });

  it("never passes an image it could not read completely", () => {
    const full = readFileSync(squashfsImage(writeTree(OPENWRT)));
    // mksquashfs pads to 4 KiB: cut inside the filesystem itself (bytes_used, superblock offset 40).
    const used = Number(full.readBigUInt64LE(40));
    for (const cut of [64, Math.floor(used / 3), used - 100]) {
      const path = join(tmp(), `cut-${cut}.sqfs`);
      writeFileSync(path, full.subarray(0, cut));
      const got = judge(path, "cut.sqfs");
      assert.deepEqual(
        got.filter(([, status]) => status === "pass"),
        [],
        `cut at ${cut}: ${JSON.stringify(got)}`,
      );
    }
  });
});
