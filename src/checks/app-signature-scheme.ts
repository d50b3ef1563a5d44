// UPD-02: an app update is authenticated by its signature, which must use current cryptography
// and cover the whole package. Scheme v1 (JAR signing) alone signs the entries, not the archive:
// it leaves the ZIP structure unprotected and, on Android 5.0 to 8.0, lets a dex file be prepended
// without breaking the signature (Janus, CVE-2017-13156); v2 and later sign the whole file. Keys
// below 2048 bits (RSA, DSA) or 256 bits (EC), MD5 or SHA-1 v1 signatures for devices that rely on
// v1 (below Android 7.0), and signatures that do not verify fail. An unsigned or undecodable
// package is not the released build: info, asking for the signed release.
import { APP, type AppSignerData, type AppSigningData } from "../evidence/app.js";
import { finding, type Check, type CheckMeta } from "./types.js";

const meta: CheckMeta = {
  id: "app.signature-scheme",
  title: "Android companion app signature covers the whole package with current cryptography",
  description:
    "Reads the APK's signatures. Fails when it is signed with scheme v1 only, when a signing key is weak (RSA or DSA below 2048 bits, EC below 256), when a v1 signature uses MD5 or SHA-1 while the app supports Android below 7.0, or when a signature does not verify; passes when a v2 or v3 signature with a strong key verifies. Unsigned packages get info.",
  requirements: ["UPD-02"],
  severity: "high",
  reads: [APP.signing],
  remediation:
    "Sign with apksigner using schemes v2 and v3 (and v1 only as well when minSdk is below 24), with an RSA key of at least 2048 bits or an EC P-256 key, and SHA-256 digests.",
};

function weakKey(s: AppSignerData): boolean {
  if (s.bits === undefined) return false;
  if (s.keyType === "rsa" || s.keyType === "dsa" || s.keyType === "rsa-pss") return s.bits < 2048;
  if (s.keyType === "ec") return s.bits < 256;
  return false;
}

export const appSignatureScheme: Check = {
  meta,
  evaluate(evidence) {
    return evidence.ofKind<AppSigningData>(APP.signing).map((e) => {
      const s = e.data;
      const name = s.package || s.path;
      if (s.signers.length === 0)
        return finding(
          meta,
          "info",
          `The app ${name} is not signed${s.problems.length ? ` (damaged signature: ${s.problems[0]})` : ""}: Android installs no unsigned package, so this is not the released build; analyze the signed release.`,
          [e.id],
        );
      const reasons: string[] = [];
      const modern = s.schemes.some((x) => x !== "v1");
      if (!modern)
        reasons.push(
          "it is signed with scheme v1 (JAR signing) only, which leaves the ZIP structure unprotected and is open to Janus (CVE-2017-13156) on Android 5.0 to 8.0",
        );
      const keys = [...new Map(s.signers.filter(weakKey).map((x) => [x.sha256, x])).values()];
      for (const k of keys) reasons.push(`its ${k.keyType.toUpperCase()} signing key has ${k.bits} bits`);
      const oldDevices = (s.minSdk ?? 1) < 24 || !modern;
      const weakDigest = s.signers.filter(
        (x) => x.scheme === "v1" && /^(MD5|SHA1)with/i.test(x.signatureAlgorithm),
      );
      if (oldDevices && weakDigest.length)
        reasons.push(
          `its v1 signature uses ${weakDigest[0]!.signatureAlgorithm}${modern ? `, which Android below 7.0 relies on (minSdk ${s.minSdk ?? "unknown"})` : ""}`,
        );
      for (const x of s.signers.filter((y) => !y.verified))
        reasons.push(`its ${x.scheme} signature does not verify (${x.note ?? "unknown reason"})`);
      if (reasons.length)
        return finding(meta, "fail", `The app ${name} has a weak signature: ${reasons.join("; ")}.`, [e.id]);
      const best = s.signers.filter((x) => x.scheme !== "v1").at(-1) ?? s.signers[0]!;
      return finding(
        meta,
        "pass",
        `The app ${name} is signed with scheme${s.schemes.length === 1 ? "" : "s"} ${s.schemes.join(", ")} (${best.signatureAlgorithm}, ${best.keyType.toUpperCase()} ${best.bits ?? "?"}-bit key), and every signature verifies.`,
        [e.id],
      );
    });
  },
};
