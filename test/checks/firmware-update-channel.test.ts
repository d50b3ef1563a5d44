import { firmwareUpdateChannel } from "../../src/checks/firmware-update-channel.js";
import { checkTable } from "../helpers/check-table.js";
import { image, upd } from "./boot-fixtures.js";

const url = (u: string) => ({
  hint: "update-url",
  detail: `src/gz core ${u}`,
  url: u,
  plainHttp: !u.startsWith("https:"),
});

checkTable(firmwareUpdateChannel, {
  valid: [
    {
      name: "every update URL is https",
      evidence: [
        image(),
        upd("/etc/opkg/distfeeds.conf:1", url("https://downloads.acme.example/core")),
        upd("/etc/opkg/distfeeds.conf:2", url("https://downloads.acme.example/base")),
        upd("/sbin/sysupgrade", { hint: "sysupgrade", detail: "OpenWrt sysupgrade flashes images" }),
      ],
      expect: [
        {
          status: "pass",
          message:
            "All 2 update URLs found in img-a.bin use HTTPS (https://downloads.acme.example/core and https://downloads.acme.example/base).",
          requirements: ["UPD-03"],
        },
      ],
    },
    {
      name: "https URLs in an image stopped by a limit: no pass",
      evidence: [
        image({ stoppedBy: "maxTotalBytes" }),
        upd("/etc/fw.conf:1", url("https://fw.acme.example/latest")),
      ],
      expect: [
        {
          status: "info",
          message:
            "The update URLs found use HTTPS (https://fw.acme.example/latest), but the analysis stopped early: maxTotalBytes.",
        },
      ],
    },
    {
      name: "https URLs without an image record: no pass",
      evidence: [upd("/etc/fw.conf:1", url("https://fw.acme.example/latest"))],
      expect: [
        {
          status: "info",
          message:
            "The update URLs found use HTTPS (https://fw.acme.example/latest), but the image record is missing.",
        },
      ],
    },
  ],
  invalid: [
    {
      name: "plain http and ftp URLs fail one by one; https ones are not listed",
      evidence: [
        image(),
        upd("/usr/sbin/fw_update.sh:3", url("http://update.acme.example/fw/latest.bin")),
        upd("/etc/cloud.conf:1", url("ftp://files.acme.example/fw/")),
        upd("/etc/opkg/distfeeds.conf:1", url("https://downloads.acme.example/core")),
      ],
      expect: [
        {
          status: "fail",
          message:
            "The update URL ftp://files.acme.example/fw/ (/etc/cloud.conf:1) uses ftp, which anyone on the path can read and replace.",
        },
        {
          status: "fail",
          message:
            "The update URL http://update.acme.example/fw/latest.bin (/usr/sbin/fw_update.sh:3) uses http, which anyone on the path can read and replace.",
        },
      ],
    },
  ],
  silent: [
    { name: "no evidence", evidence: [], expect: [] },
    { name: "no update URL in a readable image", evidence: [image()], expect: [] },
  ],
});
