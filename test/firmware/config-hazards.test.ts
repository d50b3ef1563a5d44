// The configuration-hazards analyzer on real images: UPnP secure mode, open Wi-Fi (hostapd, UCI,
// Ralink), plain-HTTP remote administration, SNMP default communities and file permissions, with
// the safe variants of each that must not be reported.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { configHazardsAnalyzer } from "../../src/collect/firmware/analyzers/config-hazards.js";
import { LimitError } from "../../src/collect/firmware/limits.js";
import { FormatError } from "../../src/collect/firmware/source.js";
import { squashfsImage, tarImage, writeTree, type Tree } from "../helpers/fwimage.js";
import { analyzeBytes, OPENWRT, WEAK } from "./boot-trees.js";

const hazards = (bytes: Uint8Array) => analyzeBytes(bytes, [configHazardsAnalyzer]);
const tarOf = (tree: Tree) => readFileSync(tarImage(writeTree(tree)));

const WEAK_HAZARDS = [
  {
    location: "/etc/hostapd.conf:2",
    data: { hazard: "open-wifi", detail: 'hostapd network "ACME-Setup" has no encryption (no wpa= setting)' },
  },
  {
    location: "/etc/miniupnpd.conf:3",
    data: {
      hazard: "upnp-secure-mode-off",
      detail: "miniupnpd secure_mode=no: any host on the LAN can open ports to any other host",
    },
  },
  {
    location: "/etc/ppp/chap-secrets",
    data: {
      hazard: "world-writable",
      detail: "file /etc/ppp/chap-secrets (mode 0666) is writable by everyone",
    },
  },
  {
    location: "/etc/snmp/snmpd.conf:1",
    data: {
      hazard: "snmp-default-community",
      detail: 'SNMP rocommunity uses the default community "public"',
    },
  },
];

describe("config-hazards analyzer", () => {
  it("finds the planted hazards, and not the WPA2 hostapd, the commented community or a private one", () => {
    assert.deepEqual(hazards(tarOf(WEAK)), WEAK_HAZARDS);
    assert.deepEqual(hazards(readFileSync(squashfsImage(writeTree(WEAK)))), WEAK_HAZARDS);
  });

  it("finds nothing in the hardened OpenWrt tree (disabled open radio, secure UPnP, HTTPS redirect)", () => {
    assert.deepEqual(hazards(tarOf(OPENWRT)), []);
  });

  it("reads UCI and vendor settings: upnpd, wireless, snmpd, uhttpd with remote administration", () => {
    const tree: Tree = {
      "etc/config/upnpd": "config upnpd 'config'\n\toption enabled '1'\n\toption secure_mode '0'\n",
      "etc/config/wireless": [
        "config wifi-device 'radio0'",
        "config wifi-iface",
        "\toption device 'radio0'",
        "\toption ssid 'Guest'",
        "\toption encryption 'none'",
        "config wifi-iface",
        "\toption device 'radio0'",
        "\toption mode 'sta'",
        "\toption ssid 'Upstream'",
        "",
      ].join("\n"),
      "etc/config/snmpd": "config com2sec public\n\toption secname ro\n\toption community 'public'\n",
      "etc/config/uhttpd":
        "config uhttpd 'main'\n\tlist listen_http '0.0.0.0:80'\n\tlist listen_https '0.0.0.0:443'\n",
      "etc/config/firewall":
        "config rule\n\toption name 'Allow-Web-WAN'\n\toption src 'wan'\n\toption dest_port '80'\n\toption target 'ACCEPT'\n",
      "etc/Wireless/RT2860/RT2860.dat": "Default\nSSID1=ACME-2G\nAuthMode=OPEN\nEncrypType=NONE\n",
      "usr/bin/passwd": { content: "\x7fELF", mode: 0o4777 },
      "usr/sbin/helper": { content: "\x7fELF", mode: 0o2775 },
      "etc/dropbear": { dir: true, mode: 0o777 },
      tmp: { dir: true, mode: 0o1777 },
    };
    assert.deepEqual(hazards(tarOf(tree)), [
      {
        location: "/etc/Wireless/RT2860/RT2860.dat:4",
        data: {
          hazard: "open-wifi",
          detail: 'Wi-Fi driver settings AuthMode=OPEN, EncrypType=NONE for "ACME-2G"',
        },
      },
      {
        location: "/etc/config/snmpd:3",
        data: {
          hazard: "snmp-default-community",
          detail: 'SNMP com2sec uses the default community "public"',
        },
      },
      {
        location: "/etc/config/uhttpd:2",
        data: {
          hazard: "remote-admin-http",
          detail:
            "uhttpd serves the admin interface over plain HTTP on 0.0.0.0:80 and remote administration is enabled (/etc/config/firewall:1)",
        },
      },
      {
        location: "/etc/config/upnpd:3",
        data: {
          hazard: "upnp-secure-mode-off",
          detail: "UPnP (upnpd) option secure_mode '0': any host on the LAN can open ports to any other host",
        },
      },
      {
        location: "/etc/config/wireless:5",
        data: { hazard: "open-wifi", detail: "Wi-Fi interface \"Guest\" has encryption 'none'" },
      },
      {
        location: "/etc/dropbear",
        data: {
          hazard: "world-writable",
          detail: "directory /etc/dropbear (mode 0777) is writable by everyone",
        },
      },
      {
        location: "/usr/bin/passwd",
        data: {
          hazard: "setuid-writable",
          detail: "setuid program /usr/bin/passwd (mode 04777) is writable by everyone",
        },
      },
      {
        location: "/usr/sbin/helper",
        data: {
          hazard: "setuid-writable",
          detail: "setgid program /usr/sbin/helper (mode 02775) is writable by its group",
        },
      },
    ]);
  });

  it("needs a remote-administration switch before plain HTTP counts, and respects lighttpd TLS", () => {
    const base: Tree = {
      "etc/lighttpd/lighttpd.conf": 'server.document-root = "/www"\nserver.port = 80\n',
    };
    assert.deepEqual(hazards(tarOf(base)), []);
    const remote: Tree = { ...base, "etc/default.cfg": "lan_ip=192.168.0.1\nremote_management=1\n" };
    assert.deepEqual(hazards(tarOf(remote)), [
      {
        location: "/etc/lighttpd/lighttpd.conf:2",
        data: {
          hazard: "remote-admin-http",
          detail:
            "lighttpd serves without TLS (no ssl.engine) on all addresses and remote administration is enabled (/etc/default.cfg:2)",
        },
      },
    ]);
    const tls: Tree = {
      ...remote,
      "etc/lighttpd/conf.d/ssl.conf": '$SERVER["socket"] == ":443" {\n  ssl.engine = "enable"\n}\n',
    };
    assert.deepEqual(hazards(tarOf(tls)), []);
  });

  it("caps permission hazards: twenty named, the rest summed up", () => {
    const tree: Tree = {};
    for (let i = 0; i < 25; i++)
      tree[`etc/conf-${String(i).padStart(2, "0")}`] = { content: "x", mode: 0o666 };
    const got = hazards(tarOf(tree));
    assert.equal(got.length, 21);
    assert.deepEqual(got[20], {
      location: "/etc/conf-20",
      data: { hazard: "world-writable", detail: "5 more paths like these, e.g. /etc/conf-20" },
    });
  });

  it("survives mutated images", () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const tar = tarOf(WEAK);
    for (let i = 0; i < 200; i++) {
      const img = Buffer.from(tar);
      for (let k = 0; k < 8; k++) img[Math.floor(next() * img.length)] = Math.floor(next() * 256);
      try {
        hazards(img);
      } catch (e) {
        assert.ok(e instanceof FormatError || e instanceof LimitError, String(e));
      }
    }
  });
});
