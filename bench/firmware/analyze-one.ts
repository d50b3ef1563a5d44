// Child process of bench/firmware/run.ts: one full analysis, reported as JSON with peak memory.
import { analyzeFirmware } from "../../src/collect/firmware/analyze.js";

const image = process.argv[2]!;
const t0 = performance.now();
const r = analyzeFirmware(image, { cache: false });
const ms = performance.now() - t0;
const facts = r.facts.length;
console.error(
  `${facts} facts from ${r.image.filesystems.map((f) => `${f.id} (${f.files} entries)`).join(", ")}; problems: ${r.image.problems.length}`,
);
console.log(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
