// concord firmware as a user runs it: findings, JSON, SARIF, SBOM, diff, and bad images.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { errorsOf, validateSarif } from "../helpers/schemas.js";
import { compress, tarImage, tmp, writeTree } from "../helpers/fwimage.js";

const IMAGE = "examples/smart-camera/firmware/hc200-2.4.1.bin";

function concord(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "firmware", ...args], {
    encoding: "utf8",
    env: { ...process.env, CONCORD_CACHE_DIR: tmp("concord-cache-"), NO_COLOR: "1" },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("concord firmware", () => {
  it("reports the example camera's planted weaknesses and exits 1", () => {
    const r = concord(IMAGE);
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /hc200-2\.4\.1\.bin > squashfs@0x100/);
    assert.match(
      r.out,
      /FAIL {2}firmware\.default-credentials \(AUTH-01\) {2}Account root \(uid 0, shell \/bin\/sh\) logs in with the default password "xc3511"/,
    );
    assert.match(r.out, /FAIL {2}firmware\.insecure-services \(SURF-05\) {2}telnetd/);
    assert.match(r.out, /FAIL {2}firmware\.hardcoded-private-keys/);
  });

  it("writes JSON, valid SARIF and a CycloneDX SBOM", () => {
    const dir = tmp();
    const r = concord(IMAGE, "--json", "--sarif", join(dir, "fw.sarif"), "--sbom", join(dir, "fw.cdx.json"));
    const out = JSON.parse(r.out) as { evidence: { kind: string; data: Record<string, unknown> }[] };
    const root = out.evidence.find((e) => e.kind === "firmware.account" && e.data.user === "root")!;
    assert.equal(root.data.password, "xc3511");
    const validate = validateSarif();
    assert.ok(validate(JSON.parse(readFileSync(join(dir, "fw.sarif"), "utf8"))), errorsOf(validate));
    const bom = JSON.parse(readFileSync(join(dir, "fw.cdx.json"), "utf8")) as {
      components: { name: string; version: string }[];
    };
    assert.deepEqual(bom.components.map((c) => `${c.name}@${c.version}`).sort(), [
      "busybox@1.24.1-1",
      "dnsmasq@2.75-1",
      "dropbear@2015.71-1",
      "libopenssl1.0.0@1.0.2k-1",
    ]);
  });

  it("diff names what changed between two versions", () => {
    const status = (dropbear: string) =>
      `Package: dropbear\nVersion: ${dropbear}\nStatus: install user installed\n\n`;
    const old = compress(
      tarImage(
        writeTree({
          "usr/lib/opkg/status": status("2015.71-1"),
          "etc/passwd": "root:x:0:0::/root:/bin/sh\n",
          "etc/shadow": "root::1::::::\n",
        }),
      ),
      "gzip",
    );
    const fixed = compress(
      tarImage(
        writeTree({
          "usr/lib/opkg/status": status("2022.83-1"),
          "etc/passwd": "root:x:0:0::/root:/bin/sh\n",
          "etc/shadow": "root:!:1::::::\n",
        }),
      ),
      "gzip",
    );
    const r = concord("diff", old, fixed);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Components:\n {2}~ dropbear {2}2015\.71-1 -> 2022\.83-1/);
    assert.match(r.out, /Accounts:\n {2}~ root {2}empty, shell \/bin\/sh -> locked, shell \/bin\/sh/);
    assert.match(r.out, /Failed findings:\n {2}- firmware\.default-credentials: /);
  });

  it("an empty file is an input error (exit 2) naming the image", () => {
    const empty = join(tmp(), "empty.bin");
    writeFileSync(empty, "");
    const r = concord(empty);
    assert.equal(r.code, 2);
    assert.match(
      r.err,
      /empty\.bin: the image is empty \(0 bytes\)\n {2}fix: check that the download or dump completed/,
    );
  });

  it("a random blob unpacks to nothing and says so", () => {
    let seed = 3;
    const blob = join(tmp(), "random.bin");
    writeFileSync(
      blob,
      Buffer.alloc(300_000).map(() => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed >> 16) & 0xff),
    );
    const r = concord(blob);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /! no filesystem or archive was found: the image may be encrypted/);
    assert.match(r.out, /No findings: no check had firmware evidence to judge\./);
  });
});
