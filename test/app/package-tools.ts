// Test packages: ZIP archives written by python3's zipfile (an independent ZIP writer), signing
// keys and certificates made by `openssl req`, v1 JAR signatures made by `openssl smime`, and an
// APK Signing Block (v2/v3) built here from the format with node:crypto signatures.
import { execFileSync } from "node:child_process";
import { createHash, createPrivateKey, sign, X509Certificate, type KeyObject } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const work = mkdtempSync(join(tmpdir(), "concord-pkg-"));
let n = 0;

/** A ZIP of `files` (in order, deflated unless `stored`) written by python3's zipfile. */
export function zip(files: [string, Uint8Array | string][], opts: { stored?: boolean } = {}): Buffer {
  const spec = join(work, `spec-${++n}.json`);
  const out = join(work, `out-${n}.zip`);
  writeFileSync(
    spec,
    JSON.stringify(files.map(([name, data]) => [name, Buffer.from(data).toString("base64")])),
  );
  execFileSync("python3", [
    "-c",
    `import base64, json, sys, zipfile
method = zipfile.ZIP_STORED if sys.argv[3] == "stored" else zipfile.ZIP_DEFLATED
with zipfile.ZipFile(sys.argv[2], "w", method) as z:
    for name, data in json.load(open(sys.argv[1])):
        info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
        info.compress_type = method
        z.writestr(info, base64.b64decode(data))`,
    spec,
    out,
    opts.stored ? "stored" : "deflated",
  ]);
  return readFileSync(out);
}

export interface TestSigner {
  key: KeyObject;
  keyPem: string;
  certPem: string;
  certDer: Buffer;
  keyPath: string;
  certPath: string;
}

/** A self-signed certificate and key from `openssl req` ("rsa:2048", "ec" for P-256, "rsa:1024"). */
export function makeSigner(subject: string, key = "rsa:2048", days = 10950): TestSigner {
  const id = ++n;
  const keyPath = join(work, `key-${id}.pem`);
  const certPath = join(work, `cert-${id}.pem`);
  const newkey = key === "ec" ? ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"] : ["-newkey", key];
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      ...newkey,
      "-nodes",
      "-keyout",
      keyPath,
      "-out",
      certPath,
      "-subj",
      subject,
      "-days",
      String(days),
    ],
    { stdio: "pipe" },
  );
  const keyPem = readFileSync(keyPath, "utf8");
  const certPem = readFileSync(certPath, "utf8");
  return {
    key: createPrivateKey(keyPem),
    keyPem,
    certPem,
    certDer: Buffer.from(new X509Certificate(certPem).raw),
    keyPath,
    certPath,
  };
}

const b64 = (b: Uint8Array | string, hash: string) => createHash(hash).update(b).digest("base64");

/**
 * v1 (JAR) signature files for `files`: MANIFEST.MF with per-entry digests, CERT.SF with the
 * manifest digest, and CERT.RSA (or .EC) from `openssl smime -sign`.
 */
export function v1Files(
  files: [string, Uint8Array | string][],
  s: TestSigner,
  opts: { md?: "sha256" | "sha1"; attrs?: boolean; ext?: string } = {},
): [string, Buffer][] {
  const md = opts.md ?? "sha256";
  const label = md === "sha1" ? "SHA1" : "SHA-256";
  const sections = files.map(([name, data]) => `Name: ${name}\r\n${label}-Digest: ${b64(data, md)}\r\n\r\n`);
  const mf = Buffer.from(`Manifest-Version: 1.0\r\nCreated-By: concord-test\r\n\r\n${sections.join("")}`);
  const sf = Buffer.from(
    `Signature-Version: 1.0\r\nCreated-By: concord-test\r\n${label}-Digest-Manifest: ${b64(mf, md)}\r\n\r\n` +
      sections.map((sec) => `${sec.split("\r\n")[0]}\r\n${label}-Digest: ${b64(sec, md)}\r\n\r\n`).join(""),
  );
  const id = ++n;
  const sfPath = join(work, `sf-${id}`);
  const outPath = join(work, `sig-${id}`);
  writeFileSync(sfPath, sf);
  execFileSync(
    "openssl",
    [
      "smime",
      "-sign",
      "-binary",
      ...(opts.attrs ? [] : ["-noattr"]),
      "-in",
      sfPath,
      "-signer",
      s.certPath,
      "-inkey",
      s.keyPath,
      "-outform",
      "DER",
      "-out",
      outPath,
      "-md",
      md,
    ],
    { stdio: "pipe" },
  );
  const ext = opts.ext ?? (s.key.asymmetricKeyType === "ec" ? "EC" : "RSA");
  return [
    ["META-INF/MANIFEST.MF", mf],
    ["META-INF/CERT.SF", sf],
    [`META-INF/CERT.${ext}`, readFileSync(outPath)],
  ];
}

const u32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
};
const u64 = (v: number) => {
  const b = Buffer.alloc(8);
  b.writeUInt32LE(v % 2 ** 32);
  b.writeUInt32LE(Math.floor(v / 2 ** 32), 4);
  return b;
};
const lp = (...parts: Buffer[]) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([u32(body.length), body]);
};

function eocdOf(z: Buffer): number {
  for (let at = z.length - 22; at >= 0; at--) if (z.readUInt32LE(at) === 0x06054b50) return at;
  throw new Error("no EOCD");
}

/** The v2/v3 chunked digest of the archive, as if a signing block sat at the central directory. */
function contentDigest(z: Buffer, hash: "sha256" | "sha512"): Buffer {
  const eocd = eocdOf(z);
  const cd = z.readUInt32LE(eocd + 16);
  const digests: Buffer[] = [];
  for (const s of [z.subarray(0, cd), z.subarray(cd, eocd), z.subarray(eocd)])
    for (let at = 0; at < s.length; at += 1 << 20) {
      const chunk = s.subarray(at, Math.min(s.length, at + (1 << 20)));
      digests.push(
        createHash(hash)
          .update(Buffer.concat([Buffer.from([0xa5]), u32(chunk.length), chunk]))
          .digest(),
      );
    }
  return createHash(hash)
    .update(Buffer.concat([Buffer.from([0x5a]), u32(digests.length), ...digests]))
    .digest();
}

export interface BlockOptions {
  v2?: boolean;
  v3?: boolean;
  /** Corrupt the signature bytes (a tampered signer). */
  badSignature?: boolean;
  /** Extra pairs (id, value) to put in the block (padding, unknown ids). */
  extra?: [number, Buffer][];
}

/** Insert an APK Signing Block with v2 and/or v3 signers into the ZIP `z`. */
export function signBlock(z: Buffer, s: TestSigner, opts: BlockOptions = {}): Buffer {
  const ec = s.key.asymmetricKeyType === "ec";
  const alg = ec ? 0x0201 : 0x0103;
  const digest = contentDigest(z, "sha256");
  const publicKey = new X509Certificate(s.certPem).publicKey.export({ type: "spki", format: "der" });
  const signer = (v3: boolean) => {
    const signedData = Buffer.concat([
      lp(lp(u32(alg), lp(digest))),
      lp(lp(s.certDer)),
      ...(v3 ? [u32(24), u32(0x7fffffff)] : []),
      lp(),
    ]);
    const sig = sign("sha256", signedData, s.key);
    if (opts.badSignature) sig.writeUInt8(sig.readUInt8(sig.length - 5) ^ 0xff, sig.length - 5);
    return lp(
      lp(signedData),
      ...(v3 ? [u32(24), u32(0x7fffffff)] : []),
      lp(lp(u32(alg), lp(sig))),
      lp(publicKey),
    );
  };
  const pairs: [number, Buffer][] = [];
  if (opts.v2 ?? true) pairs.push([0x7109871a, lp(signer(false))]);
  if (opts.v3) pairs.push([0xf05368c0, lp(signer(true))]);
  pairs.push(...(opts.extra ?? []));
  const body = Buffer.concat(pairs.map(([id, v]) => Buffer.concat([u64(v.length + 4), u32(id), v])));
  const size = body.length + 8 + 16;
  const block = Buffer.concat([u64(size), body, u64(size), Buffer.from("APK Sig Block 42", "latin1")]);
  const eocd = eocdOf(z);
  const cd = z.readUInt32LE(eocd + 16);
  const end = Buffer.from(z.subarray(eocd));
  end.writeUInt32LE(cd + block.length, 16);
  return Buffer.concat([z.subarray(0, cd), block, z.subarray(cd, eocd), end]);
}
