// UPD-02: the device verifies every update before installing it. From an image this can be seen
// only where the update path is readable: a sysupgrade or update script without any signature
// verification fails; verification code whose tool is in the image, together with a signing key,
// passes; anything less certain (an update program whose checks are compiled in, keys without
// code) is information. Never a pass without verification evidence.
import { FW, type UpdateData } from "../evidence/firmware.js";
import type { Evidence } from "../evidence/types.js";
import { listPlaces, placeOf } from "./firmware-evidence.js";
import { factsPerImage, unreadable, type ImageFacts } from "./firmware-readable.js";
import { finding, type Check, type CheckMeta, type Finding } from "./types.js";

const meta: CheckMeta = {
  id: "firmware.update-signing",
  title: "Updates are verified before installation",
  description:
    "Reads the update-mechanism hints of the firmware analysis: sysupgrade and update scripts, signature verification steps (usign, ucert, openssl -verify, gpgv, signify, minisign, RAUC, Mender, SWUpdate) whose tool is in the image, and signing keys (/etc/opkg/keys, PEM keys on update paths). Fails when a sysupgrade or update script is present and nothing verifies signatures (including OpenWrt's check that runs only with REQUIRE_IMAGE_SIGNATURE=1). Passes only when verification and a key were both found in a completely read image; otherwise information.",
  requirements: ["UPD-02"],
  severity: "critical",
  reads: [FW.update, FW.image],
  remediation:
    "Sign every update and verify the signature against a key in the image before flashing: on OpenWrt set REQUIRE_IMAGE_SIGNATURE=1 and ship ucert with the vendor key in /etc/opkg/keys; elsewhere verify with a maintained tool (RAUC, SWUpdate with signed images, Mender with ArtifactVerifyKey, openssl or signify) in the update script.",
};

const of = (facts: Evidence<UpdateData>[], ...hints: string[]) =>
  facts.filter((e) => hints.includes(e.data.hint));
const places = (list: Evidence<UpdateData>[]) => listPlaces(list.map(placeOf));

function judge({ image, facts }: ImageFacts<UpdateData>): Finding[] {
  const verification = of(facts, "verification");
  const keys = of(facts, "signing-key");
  const optional = of(facts, "verification-optional");
  const updaters = of(facts, "sysupgrade", "updater-script");
  const programs = of(facts, "updater-binary");
  const ids = (list: Evidence<UpdateData>[]) => [...(image ? [image.id] : []), ...list.map((e) => e.id)];
  const where = image ? ` in ${image.data.path}` : "";

  if (verification.length > 0) {
    const how = verification.map((e) => `${e.data.detail} (${placeOf(e)})`).join("; ");
    const why = image ? unreadable(image, "update-hints") : "the image record is missing";
    if (keys.length > 0 && !why)
      return [
        finding(
          meta,
          "pass",
          `Updates are verified before installation${where}: ${how}; signing key${keys.length === 1 ? "" : "s"} at ${places(keys)}.`,
          ids([...verification, ...keys]),
        ),
      ];
    return [
      finding(
        meta,
        "info",
        `Update verification was found${where} (${how}), but ${keys.length === 0 ? "no signing key was found in the image" : why}.`,
        ids([...verification, ...keys]),
      ),
    ];
  }
  if (updaters.length > 0) {
    const note =
      optional.length > 0 ? ` (${optional.map((e) => `${e.data.detail} at ${placeOf(e)}`).join("; ")})` : "";
    return [
      finding(
        meta,
        "fail",
        `Updates are installed without signature verification${where}: ${updaters.map((e) => `${e.data.detail} at ${placeOf(e)}`).join(", ")}, and no verification step was found${note}.`,
        ids([...updaters, ...optional, ...keys]),
      ),
    ];
  }
  if (programs.length > 0 || keys.length > 0 || optional.length > 0)
    return [
      finding(
        meta,
        "info",
        `Update components were found${where} (${places([...programs, ...keys, ...optional])}), but no verification step the analysis can read; an update program may verify inside its own code.`,
        ids([...programs, ...keys, ...optional]),
      ),
    ];
  return [];
}

export const firmwareUpdateSigning: Check = {
  meta,
  evaluate(evidence) {
    return factsPerImage<UpdateData>(evidence, FW.update, "update-hints").flatMap(judge);
  },
};
