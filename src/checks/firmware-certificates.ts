// COMM-01: the certificates a device presents must be current and strong. A certificate is the
// device's own when its private key is in the image too (same public key): the device presents
// it to peers, so expiry, a weak key or self-signing break or weaken those connections. Other
// certificates are trust anchors or peers' certificates; their problems are reported as info.
import { FW, type SecretData } from "../evidence/firmware.js";
import type { Evidence } from "../evidence/types.js";
import { groupBy, groupByImage, listPlaces, placeOf } from "./firmware-evidence.js";
import { byLocation } from "./firmware-readable.js";
import { keyName } from "./firmware-hardcoded-keys.js";
import { finding, type Check, type CheckMeta, type Finding } from "./types.js";

const meta: CheckMeta = {
  id: "firmware.certificates",
  title: "Certificates in the firmware are current and strong",
  description:
    "Reads the certificates and private keys the firmware analysis found. A certificate whose private key is also in the image is the device's own (it presents it as a server or client). Fails for each device certificate that has expired by the assessment date, has an RSA or DSA key under 2048 bits or an EC key under 224 bits, or is self-signed (peers cannot verify it, so they must skip verification). Expired or weak certificates that are not the device's own (trust stores, peers) are summarised as info. Passes when certificates were found and no device certificate has these problems.",
  requirements: ["COMM-01"],
  severity: "high",
  reads: [FW.secret],
  remediation:
    "Give each unit its own key and a certificate issued by a CA its peers trust, with an RSA key of at least 2048 bits or an EC key of at least 256 bits, and renew it before it expires. Refresh trust stores with the firmware so expired anchors are dropped.",
};

/** "an RSA ...", "a DSA ...": acronyms take the article of their first letter's name. */
const article = (name: string) => (/^[AEFHILMNORSX]/.test(name) ? `an ${name}` : `a ${name}`);

function weakness(s: SecretData): string | undefined {
  if (s.bits === undefined) return undefined;
  const weak =
    ((s.keyType === "rsa" || s.keyType === "rsa-pss" || s.keyType === "dsa") && s.bits < 2048) ||
    (s.keyType === "ec" && s.bits < 224);
  return weak ? `${article(keyName(s))} key` : undefined;
}

function problems(s: SecretData, asOf: string, own: boolean): string[] {
  const out: string[] = [];
  const expires = s.notAfter?.slice(0, 10);
  if (expires && expires < asOf) out.push(`expired on ${expires}`);
  const weak = weakness(s);
  if (weak) out.push(`has ${weak}`);
  if (own && s.selfSigned) out.push("is self-signed");
  return out;
}

const and = (parts: string[]) =>
  parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;

export const firmwareCertificates: Check = {
  meta,
  evaluate(evidence, ctx) {
    const secrets = evidence.ofKind<SecretData>(FW.secret);
    const out: Finding[] = [];
    for (const list of groupByImage(secrets).values()) {
      const keys = list.filter((e) => e.data.type === "private-key" && e.data.spki);
      const certs = groupBy(
        list.filter((e) => e.data.type === "certificate").sort(byLocation),
        (e) => e.data.fingerprint,
      );
      if (certs.length === 0) continue;
      let fails = 0;
      const others: string[] = [];
      const otherIds: string[] = [];
      for (const group of certs) {
        const cert = group[0]!.data;
        const ownKeys = keys.filter((k) => k.data.spki === cert.spki);
        const own = ownKeys.length > 0;
        const found = problems(cert, ctx.asOf, own);
        if (found.length === 0) continue;
        const places = listPlaces(group.map(placeOf));
        if (own) {
          fails++;
          out.push(
            finding(
              meta,
              "fail",
              `The device certificate "${cert.subject}" at ${places} (its private key is at ${listPlaces(ownKeys.map(placeOf), 1)}) ${and(found)}.`,
              [...group, ...ownKeys].map((e: Evidence) => e.id),
            ),
          );
        } else {
          others.push(`"${cert.subject}" at ${listPlaces(group.map(placeOf), 1)} (${and(found)})`);
          otherIds.push(...group.map((e) => e.id));
        }
      }
      if (others.length > 0)
        out.push(
          finding(
            meta,
            "info",
            `${others.length} certificate${others.length === 1 ? " that is not the device's own is" : "s that are not the device's own are"} expired or weak: ${others.slice(0, 5).join("; ")}${others.length > 5 ? `; and ${others.length - 5} more` : ""}.`,
            otherIds,
          ),
        );
      if (fails === 0) {
        const ownCount = certs.filter((g) => keys.some((k) => k.data.spki === g[0]!.data.spki)).length;
        out.push(
          finding(
            meta,
            "pass",
            `${certs.length} certificate${certs.length === 1 ? "" : "s"} found; ${ownCount === 0 ? "none is the device's own" : `the device's own (${ownCount}) ${ownCount === 1 ? "is" : "are"} current, strong and CA-issued`}.`,
            certs.flat().map((e) => e.id),
          ),
        );
      }
    }
    return out;
  },
};
