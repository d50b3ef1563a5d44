import { firmwareUpdateSigning } from "../../src/checks/firmware-update-signing.js";
import { checkTable } from "../helpers/check-table.js";
import { image, upd } from "./boot-fixtures.js";

const sysupgrade = upd("/sbin/sysupgrade", {
  hint: "sysupgrade",
  detail: "OpenWrt sysupgrade flashes images",
});
const key = upd("/etc/opkg/keys/5f1a6c2b9e0d4a37", {
  hint: "signing-key",
  detail: "usign Ed25519 public key 5f1a6c2b9e0d4a37",
});
const verified = upd("/lib/upgrade/fwtool.sh:5", {
  hint: "verification",
  detail: "ucert -V (signed image certificate) with /usr/bin/ucert (required by /lib/upgrade/platform.sh:1)",
});
const optional = upd("/lib/upgrade/fwtool.sh:5", {
  hint: "verification-optional",
  detail:
    "ucert -V (signed image certificate) runs only when REQUIRE_IMAGE_SIGNATURE=1, which nothing sets: unsigned images are accepted",
});

checkTable(firmwareUpdateSigning, {
  valid: [
    {
      name: "enforced verification and a key",
      evidence: [image(), sysupgrade, key, verified],
      expect: [
        {
          status: "pass",
          message:
            "Updates are verified before installation in img-a.bin: ucert -V (signed image certificate) with /usr/bin/ucert (required by /lib/upgrade/platform.sh:1) (/lib/upgrade/fwtool.sh:5); signing key at /etc/opkg/keys/5f1a6c2b9e0d4a37.",
          requirements: ["UPD-02"],
        },
      ],
    },
    {
      name: "verification without a key is only information",
      evidence: [image(), sysupgrade, verified],
      expect: [
        {
          status: "info",
          message:
            "Update verification was found in img-a.bin (ucert -V (signed image certificate) with /usr/bin/ucert (required by /lib/upgrade/platform.sh:1) (/lib/upgrade/fwtool.sh:5)), but no signing key was found in the image.",
        },
      ],
    },
    {
      name: "verification and key in an image with read problems: no pass",
      evidence: [image({ problems: ["squashfs@0x0: /lib/upgrade/x.sh: block 3 unreadable"] }), key, verified],
      expect: [
        {
          status: "info",
          message:
            /^Update verification was found in img-a\.bin .*, but 1 problem while reading it, e\.g\. squashfs@0x0: \/lib\/upgrade\/x\.sh: block 3 unreadable\.$/,
        },
      ],
    },
    {
      name: "an update program whose checks may be compiled in",
      evidence: [
        image(),
        upd("/usr/bin/ota_client", { hint: "updater-binary", detail: "update program ota_client" }),
      ],
      expect: [
        {
          status: "info",
          message:
            "Update components were found in img-a.bin (/usr/bin/ota_client), but no verification step the analysis can read; an update program may verify inside its own code.",
        },
      ],
    },
  ],
  invalid: [
    {
      name: "stock OpenWrt: sysupgrade with the signature check left optional",
      evidence: [image(), sysupgrade, key, optional],
      expect: [
        {
          status: "fail",
          message:
            "Updates are installed without signature verification in img-a.bin: OpenWrt sysupgrade flashes images at /sbin/sysupgrade, and no verification step was found (ucert -V (signed image certificate) runs only when REQUIRE_IMAGE_SIGNATURE=1, which nothing sets: unsigned images are accepted at /lib/upgrade/fwtool.sh:5).",
        },
      ],
    },
    {
      name: "a vendor update script that flashes what it downloads",
      evidence: [
        image(),
        upd("/usr/sbin/fw_update.sh", { hint: "updater-script", detail: "update script fw_update.sh" }),
      ],
      expect: [
        {
          status: "fail",
          message:
            "Updates are installed without signature verification in img-a.bin: update script fw_update.sh at /usr/sbin/fw_update.sh, and no verification step was found.",
        },
      ],
    },
  ],
  silent: [
    { name: "no evidence", evidence: [], expect: [] },
    { name: "nothing about updates in a readable image", evidence: [image()], expect: [] },
  ],
});
