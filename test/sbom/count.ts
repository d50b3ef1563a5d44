// Prints the number of components in an SBOM (used by the streaming test under a capped heap).
import { scanSbom } from "../../src/collect/sbom/index.js";

const file = process.argv[2];
if (!file) throw new Error("usage: count.ts <sbom>");
scanSbom(file, () => {}).then(
  (s) => {
    if (s.problems.length) throw new Error(s.problems.map((p) => p.message).join("\n"));
    process.stdout.write(`${s.count}\n`);
  },
  (e: unknown) => {
    throw e;
  },
);
