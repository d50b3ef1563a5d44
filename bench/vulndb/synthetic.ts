// Synthetic CVE records in the real NVD CVE API 2.0 format (`vulnerabilities[].cve` with
// metrics.cvssMetricV31 and configurations[].nodes[].cpeMatch[]), for the benchmark and the
// interrupted-import test. The ids are CVE-like but made up, the products are "vendorN:productM"
// with a heavy-tailed share of the records (a few products have thousands, most a handful, as in
// NVD); the mix of range shapes follows what NVD records use (end-excluding, start-including plus
// end-excluding, end-including, one exact version).

import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { cvss3BaseScore } from "../../src/collect/vuln/db/cvss.js";
import { compareVersions } from "../../src/collect/vuln/versions/index.js";

/** mulberry32: a small deterministic PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticOptions {
  records: number;
  /** Distinct vendor:product pairs the records spread over. */
  products: number;
  seed?: number;
}

export const productName = (i: number) => ({ vendor: `vendor${i % 997}`, product: `product${i}` });

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const version = (r: () => number) =>
  `${1 + Math.floor(r() * 9)}.${Math.floor(r() * 20)}.${Math.floor(r() * 30)}`;

const AV = ["N", "N", "N", "A", "L"] as const;
const AC = ["L", "L", "H"] as const;
const PR = ["N", "N", "L", "H"] as const;
const UI = ["N", "N", "R"] as const;
const CIA = ["H", "H", "L", "N"] as const;

export function syntheticCve(i: number, opts: SyntheticOptions, r: () => number): unknown {
  const year = 2002 + (i % 24);
  const id = `CVE-${year}-${String(100000 + i)}`;
  const vector = `CVSS:3.1/AV:${pick(r, AV)}/AC:${pick(r, AC)}/PR:${pick(r, PR)}/UI:${pick(r, UI)}/S:U/C:${pick(r, CIA)}/I:${pick(r, CIA)}/A:${pick(r, CIA)}`;
  const score = cvss3BaseScore(vector)!;
  const matches: unknown[] = [];
  const n = r() < 0.8 ? 1 : 2;
  for (let k = 0; k < n; k++) {
    // Heavy-tailed, as in NVD: product 0 gets ~3% of the records (a kernel), most get a few.
    const p = productName(Math.floor(opts.products * Math.pow(r(), 3)));
    const criteria = `cpe:2.3:a:${p.vendor}:${p.product}:*:*:*:*:*:*:*:*`;
    const shape = r();
    const a = version(r);
    const b = version(r);
    const [lo, hi] = (compareVersions("generic", a, b) ?? 0) <= 0 ? [a, b] : [b, a];
    const uuid = `${(i * 7 + k).toString(16).toUpperCase().padStart(8, "0")}-0000-4000-8000-${String(i).padStart(12, "0")}`;
    if (shape < 0.45)
      matches.push({ vulnerable: true, criteria, versionEndExcluding: hi, matchCriteriaId: uuid });
    else if (shape < 0.75)
      matches.push({
        vulnerable: true,
        criteria,
        versionStartIncluding: lo,
        versionEndExcluding: hi,
        matchCriteriaId: uuid,
      });
    else if (shape < 0.9)
      matches.push({ vulnerable: true, criteria, versionEndIncluding: hi, matchCriteriaId: uuid });
    else
      matches.push({
        vulnerable: true,
        criteria: `cpe:2.3:a:${p.vendor}:${p.product}:${a}:*:*:*:*:*:*:*`,
        matchCriteriaId: uuid,
      });
  }
  const day = String(1 + (i % 28)).padStart(2, "0");
  return {
    cve: {
      id,
      sourceIdentifier: "cve@mitre.org",
      published: `${year}-03-${day}T10:15:00.000`,
      lastModified: `${year + 1}-06-${day}T12:00:00.000`,
      vulnStatus: "Analyzed",
      cveTags: [],
      descriptions: [
        {
          lang: "en",
          value: `Synthetic record ${i}: a flaw in ${id} used to measure Concord's vulnerability database.`,
        },
      ],
      metrics: {
        cvssMetricV31: [
          {
            source: "nvd@nist.gov",
            type: "Primary",
            cvssData: {
              version: "3.1",
              vectorString: vector,
              baseScore: score,
              baseSeverity: score >= 9 ? "CRITICAL" : score >= 7 ? "HIGH" : score >= 4 ? "MEDIUM" : "LOW",
            },
            exploitabilityScore: 3.9,
            impactScore: 5.9,
          },
        ],
      },
      weaknesses: [
        { source: "nvd@nist.gov", type: "Primary", description: [{ lang: "en", value: "CWE-787" }] },
      ],
      configurations: [{ nodes: [{ operator: "OR", negate: false, cpeMatch: matches }] }],
      references: [{ url: `https://example.org/advisories/${id}`, source: "cve@mitre.org" }],
    },
  };
}

/** Writes an NVD CVE API 2.0 response with `records` synthetic CVEs; returns the bytes written. */
export async function writeSyntheticNvd(file: string, opts: SyntheticOptions): Promise<number> {
  const r = prng(opts.seed ?? 1);
  const out = createWriteStream(file);
  let bytes = 0;
  const write = async (s: string) => {
    bytes += Buffer.byteLength(s);
    if (!out.write(s)) await once(out, "drain");
  };
  await write(
    `{"resultsPerPage":${opts.records},"startIndex":0,"totalResults":${opts.records},"format":"NVD_CVE","version":"2.0","timestamp":"2026-11-25T00:00:00.000","vulnerabilities":[\n`,
  );
  let batch: string[] = [];
  for (let i = 0; i < opts.records; i++) {
    batch.push(JSON.stringify(syntheticCve(i, opts, r)));
    if (batch.length === 1000 || i === opts.records - 1) {
      await write(batch.join(",\n") + (i === opts.records - 1 ? "\n" : ",\n"));
      batch = [];
    }
  }
  await write("]}\n");
  out.end();
  await once(out, "finish");
  return bytes;
}
