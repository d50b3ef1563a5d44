// SURF-05 (and COMM-01 for unencrypted links): the configuration a device ships with is secure by
// default. One failing finding per hazard the firmware analysis found: UPnP without secure mode,
// open Wi-Fi, plain-HTTP administration reachable from the WAN, SNMP default communities, files
// anyone may rewrite. A pass (SURF-05 only) needs an image read completely with no hazard found.
import { FW, type HazardData } from "../evidence/firmware.js";
import type { Evidence } from "../evidence/types.js";
import { placeOf } from "./firmware-evidence.js";
import { factsPerImage, unreadable, type ImageFacts } from "./firmware-readable.js";
import { finding, type Check, type CheckMeta, type Finding } from "./types.js";

const meta: CheckMeta = {
  id: "firmware.config-hazards",
  title: "The default configuration has no known hazards",
  description:
    "Reads the configuration hazards the firmware analysis found: UPnP with secure mode off (miniupnpd.conf, /etc/config/upnpd), open Wi-Fi (hostapd without wpa=, UCI encryption 'none', Ralink OPEN/NONE), administration over plain HTTP with remote administration enabled (uhttpd, lighttpd), SNMP communities public/private, world-writable files under /etc, /bin, /sbin, /usr, /lib and group- or world-writable setuid programs. Fails once per hazard (open Wi-Fi and plain-HTTP administration also inform COMM-01). Passes SURF-05 when the whole image was read and no hazard was found.",
  requirements: ["SURF-05", "COMM-01"],
  severity: "high",
  reads: [FW.hazard, FW.image],
  remediation: "Change the default configuration as the finding says and rebuild the image.",
};

const CLEAR_LINKS = new Set(["open-wifi", "remote-admin-http"]);

const FIX: Record<string, string> = {
  "upnp-secure-mode-off":
    "Set secure_mode=yes in miniupnpd.conf (OpenWrt: option secure_mode '1' in /etc/config/upnpd) so a host can only map ports to itself, or ship with UPnP off.",
  "open-wifi":
    "Ship the access point with WPA2-PSK or WPA3-SAE and a unique per-device passphrase (hostapd wpa=2, OpenWrt option encryption 'psk2' or 'sae').",
  "remote-admin-http":
    "Serve administration over HTTPS only (uhttpd redirect_https '1' and no plain listen_http on the WAN; lighttpd ssl.engine) and keep remote administration off by default.",
  "snmp-default-community":
    "Remove the public/private communities: use SNMPv3 with authentication and privacy, or a per-device community that is not a default.",
  "world-writable":
    "Remove write permission for others (chmod o-w) in the build, before the filesystem is packed.",
  "setuid-writable": "Make setuid and setgid programs writable by their owner only (chmod go-w).",
};

function hazardFinding(e: Evidence<HazardData>): Finding {
  const h = e.data;
  return finding(meta, "fail", `${h.detail} (${placeOf(e)}).`, [e.id], {
    requirements: CLEAR_LINKS.has(h.hazard) ? ["SURF-05", "COMM-01"] : ["SURF-05"],
    remediation: FIX[h.hazard] ?? meta.remediation,
  });
}

function judge({ image, facts }: ImageFacts<HazardData>): Finding[] {
  const out = facts.map(hazardFinding);
  if (!image || out.length > 0) return out;
  const why = unreadable(image, "config-hazards");
  if (why)
    return [
      finding(
        meta,
        "info",
        `Configuration hazards in ${image.data.path} cannot all be ruled out: ${why}.`,
        [image.id],
        {
          requirements: ["SURF-05"],
        },
      ),
    ];
  return [
    finding(
      meta,
      "pass",
      `No configuration hazard was found in ${image.data.path} (UPnP secure mode, Wi-Fi encryption, plain-HTTP remote administration, SNMP communities, file permissions).`,
      [image.id],
      { requirements: ["SURF-05"] },
    ),
  ];
}

export const firmwareConfigHazards: Check = {
  meta,
  evaluate(evidence) {
    return factsPerImage<HazardData>(evidence, FW.hazard, "config-hazards").flatMap(judge);
  },
};
