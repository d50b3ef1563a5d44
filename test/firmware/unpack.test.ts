// The unpack engine on real archives: nested payloads at any offset, tar and cpio entries with
// their types, names that try to leave the image, and limits that stop bombs.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { Budget, DEFAULT_LIMITS } from "../../src/collect/firmware/limits.js";
import { bufferSource } from "../../src/collect/firmware/source.js";
import { unpack } from "../../src/collect/firmware/unpack.js";
import { normalizePath, VirtualFS } from "../../src/collect/firmware/vfs.js";
import { compress, cpioImage, run, tarImage, tmp, vendorImage, writeTree } from "../helpers/fwimage.js";

const TREE = {
  "etc/passwd": "root:x:0:0:root:/root:/bin/sh\n",
  "etc/init.d/rcS": { content: "#!/bin/sh\ntelnetd -l /bin/sh\n", mode: 0o755 },
  "bin/busybox": { content: "BusyBox v1.36.1 (2023-01-01) multi-call binary", mode: 0o755 },
  "bin/sh": { symlink: "busybox" },
  "bin/ash": { hardlink: "bin/busybox" },
  "var/empty": { dir: true as const },
};

const load = (p: string) => unpack(bufferSource("firmware.bin", readFileSync(p)));

describe("unpack", () => {
  it("finds a gzip'd tar behind a vendor header and reads its entries", () => {
    const image = vendorImage([compress(tarImage(writeTree(TREE)), "gzip")]);
    const r = load(image);
    assert.deepEqual(
      r.layers.map((l) => `${l.format}@${l.offset}`),
      ["gzip@65536", "tar@0"],
    );
    const fs = r.filesystems[0]!.fs;
    assert.equal(fs.readText("/etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
    assert.equal(fs.get("/bin/sh")?.type, "symlink");
    assert.match(fs.readText("/bin/sh") ?? "", /BusyBox/, "the symlink resolves through the hard link");
    assert.equal(fs.get("/etc/init.d/rcS")?.mode, 0o755);
    assert.equal(fs.get("/var/empty")?.type, "dir");
    assert.match(fs.readText("/bin/ash") ?? "", /BusyBox v1\.36\.1/);
    assert.deepEqual(r.problems, []);
  });

  for (const format of ["newc", "odc"] as const)
    it(`reads a cpio ${format} archive, hard links included`, () => {
      const r = load(cpioImage(writeTree(TREE), format));
      const fs = r.filesystems[0]!.fs;
      assert.equal(r.filesystems[0]!.format, "cpio");
      assert.equal(fs.readText("/etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
      assert.match(fs.readText("/bin/ash") ?? "", /BusyBox/);
      assert.match(fs.readText("/bin/busybox") ?? "", /BusyBox/);
      assert.equal(fs.resolve("/bin/sh")?.path, "/bin/busybox");
    });

  it("finds a kernel and a root filesystem placed one after the other", () => {
    const kernel = join(tmp(), "kernel");
    writeFileSync(kernel, Buffer.alloc(200_000, 7));
    const image = vendorImage(
      [compress(kernel, "gzip"), compress(cpioImage(writeTree(TREE)), "gzip")],
      undefined,
      0x1000,
    );
    const r = load(image);
    assert.equal(r.filesystems.length, 1);
    assert.equal(r.layers.filter((l) => l.format === "gzip").length, 2);
  });

  it("keeps names that climb out of the image inside it, and says so", () => {
    const dir = tmp();
    run(
      "sh",
      [
        "-c",
        "mkdir -p a && echo evil > evil && tar -cf t.tar --transform='s,^evil,../../etc/evil,' -P evil a",
      ],
      { cwd: dir },
    );
    const r = load(join(dir, "t.tar"));
    const fs = r.filesystems[0]!.fs;
    assert.equal(fs.readText("/etc/evil"), "evil\n");
    assert.ok(
      r.problems.some((p) =>
        /\.\.\/\.\.\/etc\/evil: name climbs above the image root; kept inside it/.test(p),
      ),
      r.problems.join("\n"),
    );
  });

  it("resolves links only inside the image root", () => {
    const fs = new VirtualFS("t");
    fs.add("/etc/shadow", {
      type: "file",
      mode: 0o600,
      uid: 0,
      gid: 0,
      size: 4,
      read: () => Buffer.from("root"),
    });
    fs.add("/tmp/up", {
      type: "symlink",
      mode: 0o777,
      uid: 0,
      gid: 0,
      size: 0,
      linkTarget: "../../../../etc/shadow",
    });
    fs.add("/tmp/abs", { type: "symlink", mode: 0o777, uid: 0, gid: 0, size: 0, linkTarget: "/etc/shadow" });
    fs.add("/loop/a", { type: "symlink", mode: 0o777, uid: 0, gid: 0, size: 0, linkTarget: "b" });
    fs.add("/loop/b", { type: "symlink", mode: 0o777, uid: 0, gid: 0, size: 0, linkTarget: "a" });
    fs.add("/lnk", { type: "symlink", mode: 0o777, uid: 0, gid: 0, size: 0, linkTarget: "/etc" });
    assert.equal(fs.resolve("/tmp/up")?.path, "/etc/shadow");
    assert.equal(fs.resolve("/tmp/abs")?.path, "/etc/shadow");
    assert.equal(fs.resolve("/loop/a"), undefined);
    assert.equal(fs.resolve("/lnk/shadow")?.path, "/etc/shadow");
    assert.deepEqual(normalizePath("../../x/./y//z/.."), { path: "/x/y", escaped: true });
  });

  it("stops a gzip bomb at the ratio limit and keeps what came before", () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const budget = new Budget({ ...DEFAULT_LIMITS, maxRatio: 100 });
    const r = unpack(bufferSource("bomb.bin", bomb), { budget });
    assert.match(
      r.problems.join("\n"),
      /bomb\.bin gzip@0x0: stopped decompressing more than 100 times its compressed size \(a decompression bomb\?\)/,
    );
    assert.equal(r.filesystems.length, 0);
  });

  it("stops at the total size limit", () => {
    const image = compress(
      tarImage(writeTree({ "big.bin": { content: Buffer.alloc(3 * 1024 * 1024, 1) } })),
      "gzip",
    );
    const r = unpack(bufferSource("fw", readFileSync(image)), {
      budget: new Budget({ ...DEFAULT_LIMITS, maxTotalBytes: 1024 * 1024 }),
    });
    assert.match(r.stoppedBy ?? "", /stopped decompressing past the 1 MiB limit on unpacked data in total/);
  });

  it("stops nesting past the depth limit", () => {
    let data: Buffer = Buffer.from(readFileSync(tarImage(writeTree({ a: "x" }))));
    for (let i = 0; i < 5; i++) data = gzipSync(data);
    const r = unpack(bufferSource("deep", data), { budget: new Budget({ ...DEFAULT_LIMITS, maxDepth: 3 }) });
    assert.match(r.stoppedBy ?? "", /nest deeper than 3 levels/);
  });

  it("survives truncation and random bytes without throwing", () => {
    const good = readFileSync(compress(tarImage(writeTree(TREE)), "gzip"));
    for (const cut of [10, 50, 200, good.length - 9]) {
      const r = unpack(bufferSource("cut", good.subarray(0, cut)));
      assert.ok(Array.isArray(r.problems));
    }
    let seed = 7;
    const rnd = Buffer.alloc(1 << 20, 0).map(
      () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed & 0xff),
    );
    const r = unpack(bufferSource("random", rnd));
    assert.equal(r.filesystems.length, 0);
  });
});

describe("images inside images", () => {
  it("unpacks a root filesystem image stored as a file in an update archive", () => {
    const inner = compress(
      cpioImage(
        writeTree({
          "etc/passwd": "root:x:0:0::/root:/bin/sh\n",
          "pad.bin": { content: Buffer.alloc(8192, 3) },
        }),
      ),
      "gzip",
    );
    const outer = tarImage(
      writeTree({
        "update/rootfs.cpio.gz": { content: readFileSync(inner) },
        "README.txt": "update package\n",
      }),
    );
    const r = load(outer);
    assert.deepEqual(
      r.filesystems.map((f) => f.format),
      ["tar", "cpio"],
    );
    assert.equal(r.filesystems[1]!.fs.readText("/etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
    assert.match(r.filesystems[1]!.layer, /tar@0x0:\/update\/rootfs\.cpio\.gz > gzip@0x0 > cpio@0x0$/);
  });

  it("leaves ordinary compressed files alone", () => {
    const doc = join(tmp(), "changelog");
    writeFileSync(doc, "x".repeat(20000));
    const outer = tarImage(
      writeTree({ "usr/share/doc/changelog.gz": { content: readFileSync(compress(doc, "gzip")) } }),
    );
    assert.equal(load(outer).layers.length, 1);
  });
});
