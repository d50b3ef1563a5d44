import { firmwareConfigHazards } from "../../src/checks/firmware-config-hazards.js";
import { checkTable } from "../helpers/check-table.js";
import { hazard, image } from "./boot-fixtures.js";

checkTable(firmwareConfigHazards, {
  valid: [
    {
      name: "image read completely, no hazard: passes SURF-05 only",
      evidence: [image()],
      expect: [
        {
          status: "pass",
          message:
            "No configuration hazard was found in img-a.bin (UPnP secure mode, Wi-Fi encryption, plain-HTTP remote administration, SNMP communities, file permissions).",
          requirements: ["SURF-05"],
        },
      ],
    },
    {
      name: "a name that climbed out of the root does not block the pass",
      evidence: [
        image({ problems: ["tar@0x0: ../../etc/evil: name climbs above the image root; kept inside it"] }),
      ],
      expect: [{ status: "pass", message: /^No configuration hazard was found in img-a\.bin/ }],
    },
    {
      name: "image not completely read: no pass",
      evidence: [image({ problems: ["jffs2@0x0: node CRC mismatch at 0x1200"] })],
      expect: [
        {
          status: "info",
          message:
            "Configuration hazards in img-a.bin cannot all be ruled out: 1 problem while reading it, e.g. jffs2@0x0: node CRC mismatch at 0x1200.",
          requirements: ["SURF-05"],
        },
      ],
    },
  ],
  invalid: [
    {
      name: "one finding per hazard; unencrypted links also inform COMM-01",
      evidence: [
        image(),
        hazard(
          "/etc/miniupnpd.conf:3",
          "upnp-secure-mode-off",
          "miniupnpd secure_mode=no: any host on the LAN can open ports to any other host",
        ),
        hazard(
          "/etc/hostapd.conf:2",
          "open-wifi",
          'hostapd network "ACME-Setup" has no encryption (no wpa= setting)',
        ),
        hazard(
          "/etc/snmp/snmpd.conf:1",
          "snmp-default-community",
          'SNMP rocommunity uses the default community "public"',
        ),
        hazard(
          "/etc/config/uhttpd:2",
          "remote-admin-http",
          "uhttpd serves the admin interface over plain HTTP on 0.0.0.0:80",
        ),
        hazard(
          "/etc/ppp/chap-secrets",
          "world-writable",
          "file /etc/ppp/chap-secrets (mode 0666) is writable by everyone",
        ),
      ],
      expect: [
        {
          status: "fail",
          message: "uhttpd serves the admin interface over plain HTTP on 0.0.0.0:80 (/etc/config/uhttpd:2).",
          requirements: ["SURF-05", "COMM-01"],
        },
        {
          status: "fail",
          message: 'hostapd network "ACME-Setup" has no encryption (no wpa= setting) (/etc/hostapd.conf:2).',
          requirements: ["SURF-05", "COMM-01"],
        },
        {
          status: "fail",
          message:
            "miniupnpd secure_mode=no: any host on the LAN can open ports to any other host (/etc/miniupnpd.conf:3).",
          requirements: ["SURF-05"],
        },
        {
          status: "fail",
          message: "file /etc/ppp/chap-secrets (mode 0666) is writable by everyone (/etc/ppp/chap-secrets).",
          requirements: ["SURF-05"],
        },
        {
          status: "fail",
          message: 'SNMP rocommunity uses the default community "public" (/etc/snmp/snmpd.conf:1).',
          requirements: ["SURF-05"],
        },
      ],
    },
  ],
  silent: [
    { name: "no evidence", evidence: [], expect: [] },
    { name: "hazard analysis did not run", evidence: [image({ analyzers: { services: "1" } })], expect: [] },
  ],
});
