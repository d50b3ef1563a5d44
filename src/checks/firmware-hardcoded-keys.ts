// STOR-02, STOR-03: a private key in the firmware image is in every unit built from it, so one
// extraction compromises them all (impersonation, decryption, forged updates).
import { FW, type FirmwareImageData, type SecretData } from "../evidence/firmware.js";
import type { Evidence } from "../evidence/types.js";
import { groupBy, listPlaces, placeOf } from "./firmware-evidence.js";
import { byLocation, factsPerImage, unreadable } from "./firmware-readable.js";
import { finding, type Check, type CheckMeta, type Finding } from "./types.js";

const meta: CheckMeta = {
  id: "firmware.hardcoded-private-keys",
  title: "No private keys in the firmware image",
  description:
    "Reads the secrets the firmware analysis found. Fails once per distinct unencrypted private key in the image (PEM, DER, OpenSSH or PGP, in files or embedded in binaries; the same key in several places is one finding), naming where it is and its type. Encrypted private keys and PKCS#12 containers are reported as info: they still ship in every unit, and their passphrase must not. Passes when the secrets analysis read the whole image and found no unencrypted private key; an image not read completely gets info instead.",
  requirements: ["STOR-02", "STOR-03"],
  severity: "critical",
  reads: [FW.secret, FW.image],
  remediation:
    "Remove the key from the image. Generate device keys on the device at first boot or inject a unique key per unit at manufacture (ideally into a secure element or TEE), and revoke the certificates of keys that have shipped.",
};

const KEY_TYPES = new Set(["private-key", "pkcs12"]);

/** "PEM PKCS#1", "DER SEC1", "OpenSSH", "encrypted PEM PKCS#8". */
export function formatName(format: string): string {
  const words: Record<string, string> = {
    pem: "PEM",
    der: "DER",
    pkcs1: "PKCS#1",
    pkcs8: "PKCS#8",
    sec1: "SEC1",
    dsa: "DSA",
    x509: "X.509",
    openssh: "OpenSSH",
    pgp: "PGP",
    pkcs12: "PKCS#12",
  };
  const encrypted = /encrypted/.test(format);
  const name = format
    .replace(/-?encrypted-?/, "")
    .split("/")
    .map((w) => words[w] ?? w)
    .join(" ");
  return encrypted ? `encrypted ${name}` : name;
}

/** "RSA 1024-bit", "EC 256-bit", "Ed25519". */
export function keyName(s: SecretData): string {
  const t = s.keyType;
  if (!t) return "";
  const name = t === "ed25519" ? "Ed25519" : t === "ed448" ? "Ed448" : t.toUpperCase();
  return s.bits !== undefined && !/^ed/.test(t) ? `${name} ${s.bits}-bit` : name;
}

function keyFinding(group: Evidence<SecretData>[]): Finding {
  const first = group[0]!.data;
  const places = listPlaces([...new Set(group.map(placeOf))]);
  const ids = group.map((e) => e.id);
  const kind = keyName(first);
  const how = formatName(first.format);
  if (first.type === "pkcs12")
    return finding(
      meta,
      "info",
      `A PKCS#12 container, which normally holds a private key with its certificate, is in the image at ${places}; every unit ships it, and the password that opens it must not be in the image.`,
      ids,
    );
  if (first.encrypted)
    return finding(
      meta,
      "info",
      `An encrypted private key${kind ? ` (${kind})` : ""} is in the image at ${places} (${how}); every unit ships it, and its passphrase must not be in the image.`,
      ids,
    );
  return finding(
    meta,
    "fail",
    `An unencrypted ${kind ? `${kind} ` : ""}private key is in the image at ${places} (${how}): every unit ships the same key.`,
    ids,
  );
}

export const firmwareHardcodedKeys: Check = {
  meta,
  evaluate(evidence) {
    return factsPerImage<SecretData>(evidence, FW.secret, "secrets").flatMap(({ image, facts }) =>
      judgeImage(
        image,
        facts.filter((e) => KEY_TYPES.has(e.data.type)),
      ),
    );
  },
};

function judgeImage(image: Evidence<FirmwareImageData> | undefined, keys: Evidence<SecretData>[]): Finding[] {
  const out = groupBy([...keys].sort(byLocation), (e) => e.data.fingerprint).map(keyFinding);
  if (!image || out.some((f) => f.status === "fail")) return out;
  const why = unreadable(image, "secrets");
  out.push(
    why
      ? finding(
          meta,
          "info",
          `The secrets analysis cannot vouch for all of ${image.data.path} (${why}); private keys in what was not read are unknown.`,
          [image.id],
        )
      : finding(meta, "pass", `No unencrypted private key was found in ${image.data.path}.`, [
          image.id,
          ...keys.map((k) => k.id),
        ]),
  );
  return out;
}
