// UPD-03: updates travel over a channel that protects them. Every update URL the firmware analysis
// found in scripts and configuration (sysupgrade and OTA scripts, opkg feeds, vendor update
// settings) is judged: a clear-text scheme (http, ftp, tftp) fails; when every one is https and the
// image was read completely, the check passes. No URL, no finding.
import { FW, type UpdateData } from "../evidence/firmware.js";
import { listPlaces, placeOf } from "./firmware-evidence.js";
import { factsPerImage, unreadable, type ImageFacts } from "./firmware-readable.js";
import { finding, type Check, type CheckMeta, type Finding } from "./types.js";

const meta: CheckMeta = {
  id: "firmware.update-channel",
  title: "Update URLs in the firmware use HTTPS",
  description:
    "Reads the update URLs found in the firmware's scripts and configuration. Fails for each one with a clear-text scheme (http, ftp, tftp). Passes when update URLs were found, all of them https, and the whole image was read; the TLS validation behind them is not tested here.",
  requirements: ["UPD-03"],
  severity: "high",
  reads: [FW.update, FW.image],
  remediation:
    "Serve updates (images, manifests, package feeds) over HTTPS only, validate the server certificate on the device, and change the URLs in the image.",
};

function judge({ image, facts }: ImageFacts<UpdateData>): Finding[] {
  const urls = facts.filter((e) => e.data.hint === "update-url" && e.data.url);
  const plain = urls.filter((e) => e.data.plainHttp === true);
  const out = plain.map((e) => {
    const url = e.data.url!;
    const scheme = url.slice(0, url.indexOf(":"));
    return finding(
      meta,
      "fail",
      `The update URL ${url} (${placeOf(e)}) uses ${scheme}, which anyone on the path can read and replace.`,
      [e.id],
      { remediation: `Move ${url} to https and validate the server certificate on the device.` },
    );
  });
  if (out.length > 0 || urls.length === 0) return out;
  const list = listPlaces([...new Set(urls.map((e) => e.data.url!))]);
  const why = image ? unreadable(image, "update-hints") : "the image record is missing";
  const ids = [...(image ? [image.id] : []), ...urls.map((e) => e.id)];
  if (why) return [finding(meta, "info", `The update URLs found use HTTPS (${list}), but ${why}.`, ids)];
  return [
    finding(
      meta,
      "pass",
      urls.length === 1
        ? `The update URL found in ${image!.data.path} uses HTTPS (${list}).`
        : `All ${urls.length} update URLs found in ${image!.data.path} use HTTPS (${list}).`,
      ids,
    ),
  ];
}

export const firmwareUpdateChannel: Check = {
  meta,
  evaluate(evidence) {
    return factsPerImage<UpdateData>(evidence, FW.update, "update-hints").flatMap(judge);
  },
};
