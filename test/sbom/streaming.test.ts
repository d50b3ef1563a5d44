// A 100 MB CycloneDX JSON SBOM streams through in bounded memory: the component count is exact
// while the heap, sampled as components arrive, stays far below what holding the document would
// take (JSON.parse of this file needs about 250 MB of heap). A second run in a child process
// capped at 128 MB of heap shows the same: a reader that held the document could not finish.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

import { scanSbom } from "../../src/collect/sbom/index.js";
import { writeLargeCycloneDx } from "./generate.js";

const MEGABYTES = 100;
const HEAP_BOUND = 150 * 1024 * 1024;

describe(`a ${MEGABYTES} MB CycloneDX JSON SBOM`, () => {
  let dir: string;
  let file: string;
  let expected: number;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "concord-big-sbom-"));
    file = join(dir, "big.cdx.json");
    expected = await writeLargeCycloneDx(file, MEGABYTES);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("streams every component, nested ones included, with the heap bounded", async () => {
    assert.ok(statSync(file).size >= MEGABYTES * 1024 * 1024);
    let peak = process.memoryUsage().heapUsed;
    let n = 0;
    let nested = 0;
    const summary = await scanSbom(file, (c) => {
      n++;
      if (c.location.includes(".components[", 5)) nested++;
      if (n % 2000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    });
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    assert.deepEqual(summary.problems, []);
    assert.equal(summary.count, expected);
    assert.equal(n, expected);
    assert.equal(nested, (expected / 4) * 3);
    assert.equal(summary.document?.subject?.name, "camera-fw");
    assert.ok(peak < HEAP_BOUND, `heap peaked at ${Math.round(peak / 1048576)} MB`);
  });

  it("finishes in a child process whose heap is capped at 128 MB", () => {
    const script = fileURLToPath(new URL("count.ts", import.meta.url));
    const out = execFileSync(
      process.execPath,
      ["--max-old-space-size=128", "--import", "tsx", script, file],
      {
        encoding: "utf8",
      },
    );
    assert.equal(out.trim(), String(expected));
  });
});

describe("a 30 MB CycloneDX XML SBOM", () => {
  it("streams every component with the heap bounded", async () => {
    const dir = mkdtempSync(join(tmpdir(), "concord-big-xml-"));
    try {
      const file = join(dir, "big.cdx.xml");
      const out = createWriteStream(file, { encoding: "utf8" });
      out.write(
        '<?xml version="1.0"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1">\n<components>\n',
      );
      let n = 0;
      let bytes = 0;
      while (bytes < 30 * 1024 * 1024) {
        const s =
          `<component type="library" bom-ref="c${n}"><name>pkg-${n}</name><version>1.${n % 10}</version>` +
          `<hashes><hash alg="SHA-256">${"ab".repeat(32)}</hash></hashes><purl>pkg:npm/pkg-${n}@1.${n % 10}</purl>` +
          `<components><component type="library"><name>sub-${n}</name><version>2</version></component></components>` +
          `<description>a &amp; b &lt; c <![CDATA[<raw>]]></description></component>\n`;
        if (!out.write(s)) await once(out, "drain");
        bytes += s.length;
        n += 2;
      }
      out.end("</components>\n</bom>\n");
      await once(out, "finish");
      let peak = process.memoryUsage().heapUsed;
      let count = 0;
      const summary = await scanSbom(file, () => {
        if (++count % 2000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
      });
      assert.deepEqual(summary.problems, []);
      assert.equal(summary.count, n);
      assert.ok(peak < HEAP_BOUND, `heap peaked at ${Math.round(peak / 1048576)} MB`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
