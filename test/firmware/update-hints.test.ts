// The update-hints analyzer on real images: sysupgrade and its signature check (enforced, left
// optional as OpenWrt ships it, or calling a tool the image lacks), usign keys, vendor update
// scripts and programs, RAUC/Mender/SWUpdate verification settings, and update URLs with their
// scheme (commented-out and non-update URLs are not update URLs).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { updateHintsAnalyzer } from "../../src/collect/firmware/analyzers/update-hints.js";
import { LimitError } from "../../src/collect/firmware/limits.js";
import { FormatError } from "../../src/collect/firmware/source.js";
import { squashfsImage, tarImage, writeTree, type Tree } from "../helpers/fwimage.js";
import { analyzeBytes, OPENWRT, USIGN_KEY_ID, WEAK, without } from "./boot-trees.js";

const hints = (bytes: Uint8Array) => analyzeBytes(bytes, [updateHintsAnalyzer]);
const tarOf = (tree: Tree) => readFileSync(tarImage(writeTree(tree)));

const OPENWRT_HINTS = [
  {
    location: "/etc/opkg/distfeeds.conf:1",
    data: {
      hint: "update-url",
      detail:
        "src/gz openwrt_core https://downloads.openwrt.org/releases/23.05.3/targets/ath79/generic/packages",
      url: "https://downloads.openwrt.org/releases/23.05.3/targets/ath79/generic/packages",
      plainHttp: false,
    },
  },
  {
    location: `/etc/opkg/keys/${USIGN_KEY_ID}`,
    data: { hint: "signing-key", detail: `usign Ed25519 public key ${USIGN_KEY_ID} (ACME release key)` },
  },
  {
    location: "/lib/upgrade/fwtool.sh:5",
    data: {
      hint: "verification",
      detail:
        "ucert -V (signed image certificate) with /usr/bin/ucert (required by /lib/upgrade/platform.sh:1)",
    },
  },
  { location: "/sbin/sysupgrade", data: { hint: "sysupgrade", detail: "OpenWrt sysupgrade flashes images" } },
];

describe("update-hints analyzer", () => {
  it("finds the vendor update script and its http:// URL, and the https:// package feed", () => {
    assert.deepEqual(hints(tarOf(WEAK)), [
      {
        location: "/etc/opkg/distfeeds.conf:1",
        data: {
          hint: "update-url",
          detail: "src/gz acme_core https://downloads.acme.example/packages/core",
          url: "https://downloads.acme.example/packages/core",
          plainHttp: false,
        },
      },
      {
        location: "/usr/sbin/fw_update.sh",
        data: { hint: "updater-script", detail: "update script fw_update.sh" },
      },
      {
        location: "/usr/sbin/fw_update.sh:3",
        data: {
          hint: "update-url",
          detail: "URL=http://update.acme.example/fw/latest.bin",
          url: "http://update.acme.example/fw/latest.bin",
          plainHttp: true,
        },
      },
    ]);
  });

  it("sees OpenWrt's enforced image signatures (ucert present, REQUIRE_IMAGE_SIGNATURE=1), tar and squashfs", () => {
    assert.deepEqual(hints(tarOf(OPENWRT)), OPENWRT_HINTS);
    assert.deepEqual(hints(readFileSync(squashfsImage(writeTree(OPENWRT)))), OPENWRT_HINTS);
  });

  it("calls the check optional when nothing sets REQUIRE_IMAGE_SIGNATURE, or when ucert is missing", () => {
    const stock = without(OPENWRT, "lib/upgrade/platform.sh");
    const got = hints(tarOf(stock)).find((h) => h.location === "/lib/upgrade/fwtool.sh:5");
    assert.deepEqual(got?.data, {
      hint: "verification-optional",
      detail:
        "ucert -V (signed image certificate) runs only when REQUIRE_IMAGE_SIGNATURE=1, which nothing sets: unsigned images are accepted",
    });
    const viaUci: Tree = {
      ...stock,
      "etc/config/system": "config system\n\toption require_image_signature '1'\n",
    };
    assert.equal(
      (hints(tarOf(viaUci)).find((h) => h.location === "/lib/upgrade/fwtool.sh:5")?.data as { hint: string })
        .hint,
      "verification",
    );
    const withKeepList: Tree = { ...OPENWRT, "etc/sysupgrade.conf": "/etc/acme/\n" };
    assert.deepEqual(hints(tarOf(withKeepList)).find((h) => h.location === "/sbin/sysupgrade")?.data, {
      hint: "sysupgrade",
      detail: "OpenWrt sysupgrade flashes images (keeping the files listed in /etc/sysupgrade.conf)",
    });
    const noTool = without(OPENWRT, "usr/bin/ucert");
    assert.deepEqual(hints(tarOf(noTool)).find((h) => h.location === "/lib/upgrade/fwtool.sh:5")?.data, {
      hint: "verification-optional",
      detail: "ucert -V (signed image certificate) is called but ucert is not in the image",
    });
  });

  it("reads update frameworks, PEM keys, OTA programs and ignores URLs that are not about updates", () => {
    const tree: Tree = {
      "etc/rauc/system.conf": "[system]\ncompatible=acme-cam\n[keyring]\npath=/etc/rauc/ca.cert.pem\n",
      "etc/rauc/ca.cert.pem": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
      "etc/mender/mender.conf":
        '{ "ServerURL": "https://hosted.mender.io", "ArtifactVerifyKey": "/etc/mender/artifact-verify-key.pem" }\n',
      "usr/bin/ota_client": { content: "\x7fELF\x01\x01\x01", mode: 0o755 },
      "usr/bin/fwupgrade.sh": {
        content: "#!/bin/sh\nopenssl dgst -sha256 -verify /etc/keys/fw.pub -signature $1.sig $1 || exit 1\n",
        mode: 0o755,
      },
      "usr/bin/openssl": { content: "\x7fELF", mode: 0o755 },
      "etc/keys/fw.pub": "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n",
      "etc/banner": "See https://acme.example/docs for help\n",
      "etc/cloud.conf":
        "update_server=ftp://files.acme.example/fw/\n# firmware_url=http://old.acme.example/fw.bin\napi=http://localhost:8080/firmware\n",
    };
    assert.deepEqual(hints(tarOf(tree)), [
      {
        location: "/etc/cloud.conf:1",
        data: {
          hint: "update-url",
          detail: "update_server=ftp://files.acme.example/fw/",
          url: "ftp://files.acme.example/fw/",
          plainHttp: true,
        },
      },
      { location: "/etc/keys/fw.pub", data: { hint: "signing-key", detail: "public key /etc/keys/fw.pub" } },
      {
        location: "/etc/mender/mender.conf",
        data: {
          hint: "verification",
          detail: "Mender verifies artifacts with /etc/mender/artifact-verify-key.pem",
        },
      },
      {
        location: "/etc/mender/mender.conf:1",
        data: {
          hint: "update-url",
          detail:
            '{ "ServerURL": "https://hosted.mender.io", "ArtifactVerifyKey": "/etc/mender/artifact-verify-key.pem" }',
          url: "https://hosted.mender.io",
          plainHttp: false,
        },
      },
      {
        location: "/etc/rauc/ca.cert.pem",
        data: { hint: "signing-key", detail: "certificate /etc/rauc/ca.cert.pem" },
      },
      {
        location: "/etc/rauc/system.conf",
        data: { hint: "verification", detail: "RAUC verifies bundles against keyring /etc/rauc/ca.cert.pem" },
      },
      {
        location: "/usr/bin/fwupgrade.sh",
        data: { hint: "updater-script", detail: "update script fwupgrade.sh" },
      },
      {
        location: "/usr/bin/fwupgrade.sh:2",
        data: { hint: "verification", detail: "openssl signature verification with /usr/bin/openssl" },
      },
      {
        location: "/usr/bin/ota_client",
        data: { hint: "updater-binary", detail: "update program ota_client" },
      },
    ]);
  });

  it("survives mutated images", () => {
    let seed = 11;
    const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const tar = tarOf(OPENWRT);
    for (let i = 0; i < 200; i++) {
      const img = Buffer.from(tar);
      for (let k = 0; k < 8; k++) img[Math.floor(next() * img.length)] = Math.floor(next() * 256);
      try {
        hints(img);
      } catch (e) {
        assert.ok(e instanceof FormatError || e instanceof LimitError, String(e));
      }
    }
  });
});
