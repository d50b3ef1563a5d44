// Writes a large CycloneDX JSON SBOM for the streaming test: `count` components in groups, each
// group a parent with nested children, every component carrying hashes, licences and properties
// so the file is realistic in shape. Returns the number of components written.
import { createWriteStream } from "node:fs";
import { once } from "node:events";

function component(i: number, nested: string): string {
  const hex = (i * 2654435761).toString(16).padStart(8, "0").repeat(8).slice(0, 64);
  return JSON.stringify(
    {
      type: "library",
      "bom-ref": `pkg:npm/pkg-${i}@1.${i % 100}.${i % 7}`,
      supplier: { name: `Supplier ${i % 50}`, url: [`https://supplier${i % 50}.example`] },
      group: `group-${i % 13}`,
      name: `pkg-${i}`,
      version: `1.${i % 100}.${i % 7}`,
      description: `Component number ${i}, generated to make a large SBOM with realistic records.`,
      hashes: [
        { alg: "SHA-256", content: hex },
        { alg: "SHA-1", content: hex.slice(0, 40) },
      ],
      licenses: [{ license: { id: "MIT" } }],
      purl: `pkg:npm/pkg-${i}@1.${i % 100}.${i % 7}`,
      cpe: `cpe:2.3:a:vendor${i % 50}:pkg-${i}:1.${i % 100}.${i % 7}:*:*:*:*:*:*:*`,
      externalReferences: [{ type: "website", url: `https://pkg-${i}.example/home` }],
      properties: [
        { name: "build:path", value: `/usr/lib/pkg-${i}/lib${i}.so` },
        { name: "build:flags", value: "-O2 -fstack-protector-strong -D_FORTIFY_SOURCE=2" },
      ],
    },
    null,
    2,
  ).replace(/\n}$/, `,\n  "components": [${nested}]\n}`);
}

/** Writes about `megabytes` MB; returns the component count (parents and children). */
export async function writeLargeCycloneDx(path: string, megabytes: number): Promise<number> {
  const out = createWriteStream(path, { encoding: "utf8" });
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, "drain");
  };
  await write(
    '{\n  "bomFormat": "CycloneDX",\n  "specVersion": "1.6",\n  "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",\n  "version": 1,\n  "metadata": { "component": { "type": "firmware", "bom-ref": "fw", "name": "camera-fw", "version": "2.1.0" } },\n  "components": [\n',
  );
  let bytes = 0;
  let i = 0;
  let first = true;
  while (bytes < megabytes * 1024 * 1024) {
    // one parent with three children
    const kids = [1, 2, 3].map((k) => component(i + k, "")).join(",\n");
    const s = (first ? "" : ",\n") + component(i, kids);
    first = false;
    i += 4;
    bytes += s.length;
    await write(s);
  }
  await write('\n  ],\n  "dependencies": []\n}\n');
  out.end();
  await once(out, "finish");
  return i;
}
