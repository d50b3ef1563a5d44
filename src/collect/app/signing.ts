// Who signed an APK, and how. Android knows three schemes:
//  - v1 (JAR signing): META-INF/<name>.SF lists digests of MANIFEST.MF, and META-INF/<name>.RSA|DSA|EC
//    is a PKCS#7 SignedData over the .SF with the signer's certificate;
//  - v2 and v3 (and v3.1): an "APK Signing Block" between the ZIP entries and the central directory,
//    an id-value list where id 0x7109871a holds v2 signers, 0xf05368c0 v3 and 0x1b93ad61 v3.1; each
//    signer signs "signed data" (digests of the whole archive in 1 MiB chunks, certificates, and for
//    v3 an SDK range) with its key.
// For each signer Concord reports the certificate (subject, issuer, key type and size, the
// certificate's own signature algorithm, validity, whether it is the Android SDK's debug
// certificate) and the APK signature algorithm, and verifies what it can: the signature over the
// signed data (v2/v3) or over the .SF (v1), the public key against the certificate, the archive
// digests (v2/v3, SHA-256 and SHA-512 chunked digests) and the .SF digest of MANIFEST.MF (v1).
// Per-entry v1 digests and verity digests are not recomputed. Every length is checked.
import { createHash, createPublicKey, verify, X509Certificate, type KeyObject } from "node:crypto";
import type { AppSignerData, AppSigningData, AppSigningScheme } from "../../evidence/app.js";
import { children, node, oid, TAG, type Node } from "../firmware/analyzers/secrets/asn1.js";
import { keyShape } from "../firmware/analyzers/secrets/keys.js";
import { FormatError } from "../firmware/source.js";
import type { VirtualFS } from "../firmware/vfs.js";

/** A damaged signature structure; the message names the file and where. */
export class SigningError extends Error {
  override name = "SigningError";
}

const BLOCK_MAGIC = Buffer.from("APK Sig Block 42", "latin1");
const SCHEME_IDS: Record<number, AppSigningScheme> = {
  0x7109871a: "v2",
  0xf05368c0: "v3",
  0x1b93ad61: "v3.1",
};
const MAX_PAIRS = 1024;
const MAX_SIGNERS = 16;
const MAX_CERTS = 16;
const MAX_V1_FILES = 16;
const CHUNK = 1024 * 1024;

/** APK signature algorithm ids (v2/v3): name, hash, and how the signature is checked. */
const ALGORITHMS: Record<
  number,
  { name: string; hash: "sha256" | "sha512"; pss?: number; verity?: boolean }
> = {
  0x0101: { name: "RSASSA-PSS with SHA2-256", hash: "sha256", pss: 32 },
  0x0102: { name: "RSASSA-PSS with SHA2-512", hash: "sha512", pss: 64 },
  0x0103: { name: "RSASSA-PKCS1-v1_5 with SHA2-256", hash: "sha256" },
  0x0104: { name: "RSASSA-PKCS1-v1_5 with SHA2-512", hash: "sha512" },
  0x0201: { name: "ECDSA with SHA2-256", hash: "sha256" },
  0x0202: { name: "ECDSA with SHA2-512", hash: "sha512" },
  0x0301: { name: "DSA with SHA2-256", hash: "sha256" },
  0x0421: { name: "RSASSA-PKCS1-v1_5 with SHA2-256 (verity)", hash: "sha256", verity: true },
  0x0423: { name: "ECDSA with SHA2-256 (verity)", hash: "sha256", verity: true },
  0x0425: { name: "DSA with SHA2-256 (verity)", hash: "sha256", verity: true },
};

/** Object identifiers of the algorithms a certificate or a PKCS#7 signer names. */
const OIDS: Record<string, string> = {
  "1.2.840.113549.1.1.1": "rsaEncryption",
  "1.2.840.113549.1.1.4": "md5WithRSAEncryption",
  "1.2.840.113549.1.1.5": "sha1WithRSAEncryption",
  "1.2.840.113549.1.1.10": "RSASSA-PSS",
  "1.2.840.113549.1.1.11": "sha256WithRSAEncryption",
  "1.2.840.113549.1.1.12": "sha384WithRSAEncryption",
  "1.2.840.113549.1.1.13": "sha512WithRSAEncryption",
  "1.2.840.113549.1.1.14": "sha224WithRSAEncryption",
  "1.2.840.10045.2.1": "ecPublicKey",
  "1.2.840.10045.4.1": "ecdsa-with-SHA1",
  "1.2.840.10045.4.3.1": "ecdsa-with-SHA224",
  "1.2.840.10045.4.3.2": "ecdsa-with-SHA256",
  "1.2.840.10045.4.3.3": "ecdsa-with-SHA384",
  "1.2.840.10045.4.3.4": "ecdsa-with-SHA512",
  "1.2.840.10040.4.1": "dsa",
  "1.2.840.10040.4.3": "dsa-with-sha1",
  "2.16.840.1.101.3.4.3.1": "dsa-with-sha224",
  "2.16.840.1.101.3.4.3.2": "dsa-with-sha256",
  "1.3.101.112": "Ed25519",
  "1.2.840.113549.2.5": "md5",
  "1.3.14.3.2.26": "sha1",
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
  "2.16.840.1.101.3.4.2.4": "sha224",
};
const OID_SIGNED_DATA = "1.2.840.113549.1.7.2";
const OID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4";

// --- ZIP end of central directory ---------------------------------------------------------------

interface ZipEnd {
  eocdAt: number;
  cdOffset: number;
}

/** The end-of-central-directory record whose comment runs exactly to the end of the file. */
function zipEnd(b: Uint8Array): ZipEnd | undefined {
  const v = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  for (let at = b.length - 22; at >= Math.max(0, b.length - 22 - 0xffff); at--) {
    if (v.readUInt32LE(at) === 0x06054b50 && at + 22 + v.readUInt16LE(at + 20) === b.length)
      return { eocdAt: at, cdOffset: v.readUInt32LE(at + 16) };
  }
  return undefined;
}

// --- length-prefixed fields of the signing block --------------------------------------------------

class Fields {
  constructor(
    private readonly b: Buffer,
    private at: number,
    private readonly end: number,
    private readonly where: string,
  ) {}
  get done(): boolean {
    return this.at >= this.end;
  }
  fail(what: string): never {
    throw new SigningError(`${this.where}: ${what} at offset 0x${this.at.toString(16)}`);
  }
  u32(): number {
    if (this.at + 4 > this.end) this.fail("field runs past its container");
    const v = this.b.readUInt32LE(this.at);
    this.at += 4;
    return v;
  }
  /** A u32 length and that many bytes, as a nested reader. */
  sub(what: string): Fields {
    const len = this.u32();
    if (len > this.end - this.at) this.fail(`${what} of ${len} bytes runs past its container`);
    const f = new Fields(this.b, this.at, this.at + len, this.where);
    this.at += len;
    return f;
  }
  bytes(what: string): Buffer {
    const f = this.sub(what);
    return f.rest();
  }
  rest(): Buffer {
    const out = this.b.subarray(this.at, this.end);
    this.at = this.end;
    return out;
  }
  /** Every length-prefixed item until the end, at most `max`. */
  list(what: string, max: number): Fields[] {
    const out: Fields[] = [];
    while (!this.done) {
      if (out.length >= max) this.fail(`more than ${max} ${what}`);
      out.push(this.sub(what));
    }
    return out;
  }
}

/** The id-value pairs of the APK Signing Block, or undefined when there is none. */
function signingBlock(
  b: Buffer,
  end: ZipEnd,
  path: string,
): { start: number; pairs: Map<number, Buffer> } | undefined {
  const cd = end.cdOffset;
  if (cd < 32 || cd > end.eocdAt || !b.subarray(cd - 16, cd).equals(BLOCK_MAGIC)) return undefined;
  const where = `${path} APK Signing Block`;
  const u64 = (at: number) => {
    const hi = b.readUInt32LE(at + 4);
    if (hi > 0x1fffff)
      throw new SigningError(`${where}: size field is absurd at offset 0x${at.toString(16)}`);
    return hi * 2 ** 32 + b.readUInt32LE(at);
  };
  const size = u64(cd - 24);
  const start = cd - size - 8;
  if (size < 24 || start < 0 || u64(start) !== size)
    throw new SigningError(
      `${where}: its size (${size} bytes) does not match its header at offset 0x${cd.toString(16)}`,
    );
  const pairs = new Map<number, Buffer>();
  for (let at = start + 8; at < cd - 24;) {
    if (pairs.size >= MAX_PAIRS) throw new SigningError(`${where}: more than ${MAX_PAIRS} entries`);
    const len = u64(at);
    if (len < 4 || at + 8 + len > cd - 24)
      throw new SigningError(
        `${where}: entry of ${len} bytes runs past the block at offset 0x${at.toString(16)}`,
      );
    const id = b.readUInt32LE(at + 8);
    if (!pairs.has(id)) pairs.set(id, b.subarray(at + 12, at + 8 + len));
    at += 8 + len;
  }
  return { start, pairs };
}

// --- certificates ---------------------------------------------------------------------------------

const oneLine = (dn: string) => dn.split("\n").filter(Boolean).join(", ");

interface Cert {
  der: Buffer;
  x509: X509Certificate;
  facts: Omit<AppSignerData, "scheme" | "signatureAlgorithm" | "verified" | "note" | "minSdk" | "maxSdk">;
}

/** The certificate's own signature algorithm (Certificate.signatureAlgorithm), from its DER. */
function certSignatureAlgorithm(der: Uint8Array): string {
  const top = node(der, 0);
  const parts = top && children(der, top, 3);
  const alg = parts?.[1] && children(der, parts[1], 2)?.[0];
  const id = alg ? oid(der, alg) : undefined;
  return id ? (OIDS[id] ?? id) : "unknown";
}

function readCert(der: Buffer, where: string): Cert {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch (err) {
    throw new SigningError(`${where}: the certificate does not parse (${(err as Error).message})`);
  }
  const subject = oneLine(x509.subject);
  let shape: { keyType: string; bits?: number } = { keyType: "unknown" };
  try {
    shape = keyShape(x509.publicKey);
  } catch {
    // a key type OpenSSL does not load: the rest still describes the certificate
  }
  const date = (s: string) => {
    const d = new Date(s);
    return Number.isNaN(d.getTime()) ? s : d.toISOString();
  };
  return {
    der,
    x509,
    facts: {
      subject,
      issuer: oneLine(x509.issuer),
      serial: x509.serialNumber.toLowerCase(),
      sha256: createHash("sha256").update(der).digest("hex"),
      ...shape,
      certificateSignatureAlgorithm: certSignatureAlgorithm(der),
      notBefore: date(x509.validFrom),
      notAfter: date(x509.validTo),
      // The Android SDK creates ~/.android/debug.keystore with "CN=Android Debug, O=Android, C=US".
      debug: /(^|\n)CN=Android Debug(\n|$)/.test(x509.subject),
    },
  };
}

function spkiOf(key: KeyObject): Buffer {
  return key.export({ type: "spki", format: "der" });
}

// --- v2 / v3 --------------------------------------------------------------------------------------

/** The chunked digest of the archive that v2/v3 signers sign (entries, central directory, EOCD). */
function contentDigest(b: Buffer, blockStart: number, end: ZipEnd, hash: "sha256" | "sha512"): Buffer {
  const eocd = Buffer.from(b.subarray(end.eocdAt));
  eocd.writeUInt32LE(blockStart, 16); // the EOCD as if the block were not there
  const sections = [b.subarray(0, blockStart), b.subarray(end.cdOffset, end.eocdAt), eocd];
  const digests: Buffer[] = [];
  for (const s of sections)
    for (let at = 0; at < s.length; at += CHUNK) {
      const chunk = s.subarray(at, Math.min(s.length, at + CHUNK));
      const head = Buffer.alloc(5);
      head[0] = 0xa5;
      head.writeUInt32LE(chunk.length, 1);
      digests.push(createHash(hash).update(head).update(chunk).digest());
    }
  const head = Buffer.alloc(5);
  head[0] = 0x5a;
  head.writeUInt32LE(digests.length, 1);
  const top = createHash(hash).update(head);
  for (const d of digests) top.update(d);
  return top.digest();
}

function readSchemeSigners(
  b: Buffer,
  scheme: AppSigningScheme,
  value: Buffer,
  blockStart: number,
  end: ZipEnd,
  path: string,
): AppSignerData[] {
  const where = `${path} APK Signing Block (${scheme})`;
  const top = new Fields(value, 0, value.length, where);
  const signers = top.sub("signer list").list("signers", MAX_SIGNERS);
  if (signers.length === 0) top.fail("no signers");
  const digestCache = new Map<string, Buffer>();
  return signers.map((s, n) => {
    const signedBytes = s.bytes("signed data");
    const signed = new Fields(signedBytes, 0, signedBytes.length, `${where} signer ${n + 1}`);
    const digests = signed
      .sub("digests")
      .list("digests", 32)
      .map((d) => ({ alg: d.u32(), digest: d.bytes("digest") }));
    const certs = signed
      .sub("certificates")
      .list("certificates", MAX_CERTS)
      .map((c) => c.rest());
    let minSdk: number | undefined;
    let maxSdk: number | undefined;
    if (scheme !== "v2") {
      minSdk = s.u32();
      maxSdk = s.u32();
    }
    const signatures = s
      .sub("signatures")
      .list("signatures", 32)
      .map((d) => ({ alg: d.u32(), sig: d.bytes("signature") }));
    const publicKey = s.bytes("public key");
    if (certs.length === 0) signed.fail("signer has no certificate");
    const cert = readCert(certs[0]!, `${where} signer ${n + 1}`);
    // The strongest algorithm Concord can check: SHA-512 before SHA-256, verity last.
    const known = signatures.filter((x) => ALGORITHMS[x.alg]).sort((x, y) => rank(y.alg) - rank(x.alg));
    const chosen = known[0];
    const out: AppSignerData = {
      scheme,
      ...cert.facts,
      signatureAlgorithm: chosen
        ? ALGORITHMS[chosen.alg]!.name
        : `unknown (0x${(signatures[0]?.alg ?? 0).toString(16)})`,
      verified: false,
      ...(minSdk !== undefined ? { minSdk, maxSdk } : {}),
    };
    if (!chosen) return { ...out, note: "no signature algorithm Concord knows" };
    const alg = ALGORITHMS[chosen.alg]!;
    let key: KeyObject;
    try {
      key = createPublicKey({ key: publicKey, format: "der", type: "spki" });
    } catch {
      return { ...out, note: "the signer's public key does not parse" };
    }
    let same: boolean;
    try {
      same = spkiOf(key).equals(spkiOf(cert.x509.publicKey));
    } catch {
      same = false; // the certificate's key does not load
    }
    if (!same) return { ...out, note: "the signer's public key is not the certificate's" };
    let ok: boolean;
    try {
      ok = verify(
        alg.hash,
        signedBytes,
        alg.pss ? { key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: alg.pss } : key,
        chosen.sig,
      );
    } catch {
      ok = false; // a signature OpenSSL cannot even decode does not verify
    }
    if (!ok) return { ...out, note: `the ${alg.name} signature over the signed data does not verify` };
    const recorded = digests.find((d) => d.alg === chosen.alg);
    if (!recorded) return { ...out, note: "the signed data has no digest for the signature's algorithm" };
    if (alg.verity)
      return { ...out, verified: true, note: "signature verified; verity digest not recomputed" };
    let actual = digestCache.get(alg.hash);
    if (!actual) {
      actual = contentDigest(b, blockStart, end, alg.hash);
      digestCache.set(alg.hash, actual);
    }
    if (!actual.equals(recorded.digest))
      return {
        ...out,
        note: "the archive's digest does not match the signed digest (modified after signing)",
      };
    return { ...out, verified: true };
  });
}

const rank = (alg: number) => {
  const a = ALGORITHMS[alg];
  return !a ? -1 : (a.verity ? 0 : 10) + (a.hash === "sha512" ? 1 : 0);
};

// --- v1 -------------------------------------------------------------------------------------------

interface Pkcs7 {
  certs: Buffer[];
  signers: {
    serial: string;
    digestAlg: string;
    signatureAlg: string;
    signedAttrs?: Buffer;
    messageDigest?: Buffer;
    signature: Buffer;
  }[];
}

/** The certificates and signer infos of a PKCS#7 / CMS SignedData (DER). */
export function parsePkcs7(der: Uint8Array, where: string): Pkcs7 {
  function fail(what: string): never {
    throw new SigningError(`${where}: ${what}`);
  }
  const b = Buffer.from(der.buffer, der.byteOffset, der.byteLength);
  const kids = (n: Node | undefined, what: string, max = 64): Node[] =>
    (n && children(b, n, max)) ?? fail(`${what} is not well-formed DER`);
  const top = node(b, 0) ?? fail("not DER (no top-level element)");
  const [type, explicit] = kids(top, "ContentInfo", 2);
  if (!type || oid(b, type) !== OID_SIGNED_DATA) fail("not a PKCS#7 SignedData");
  const sd = kids(kids(explicit, "ContentInfo content", 1)[0], "SignedData", 8);
  const certs: Buffer[] = [];
  let signerSet: Node | undefined;
  for (const part of sd.slice(1)) {
    if (part.tag === TAG.CONTEXT_0)
      for (const c of kids(part, "certificates", MAX_CERTS)) certs.push(b.subarray(c.start, c.end));
    if (part.tag === TAG.SET) signerSet = part; // digestAlgorithms comes first, signerInfos last
  }
  const algName = (n: Node | undefined) => {
    const id = n && n.tag === TAG.SEQUENCE ? kids(n, "AlgorithmIdentifier", 2)[0] : undefined;
    const o = id ? oid(b, id) : undefined;
    return o ? (OIDS[o] ?? o) : "unknown";
  };
  const signers = kids(signerSet, "signerInfos", MAX_SIGNERS).map((si) => {
    const f = kids(si, "SignerInfo", 8);
    const sid = f[1];
    let serial = "";
    if (sid?.tag === TAG.SEQUENCE) {
      const s = kids(sid, "IssuerAndSerialNumber", 2)[1];
      if (s)
        serial = b
          .subarray(s.body, s.end)
          .toString("hex")
          .replace(/^(00)+(?=.)/, "");
    }
    let i = 2;
    const digestAlg = algName(f[i++]);
    let signedAttrs: Buffer | undefined;
    let messageDigest: Buffer | undefined;
    if (f[i]?.tag === TAG.CONTEXT_0) {
      const a = f[i++]!;
      // Signed attributes are signed as a SET (tag 0x31), not as the [0] they are stored under.
      signedAttrs = Buffer.concat([Buffer.from([TAG.SET]), b.subarray(a.start + 1, a.end)]);
      for (const attr of kids(a, "signedAttrs", 32)) {
        const [t, vals] = kids(attr, "Attribute", 2);
        if (t && oid(b, t) === OID_MESSAGE_DIGEST) {
          const v = kids(vals, "messageDigest", 1)[0];
          if (v?.tag === TAG.OCTET_STRING) messageDigest = b.subarray(v.body, v.end);
        }
      }
    }
    const signatureAlg = algName(f[i++]);
    const sig = f[i];
    if (!sig || sig.tag !== TAG.OCTET_STRING) fail("SignerInfo has no signature");
    return {
      serial,
      digestAlg,
      signatureAlg,
      signedAttrs,
      messageDigest,
      signature: b.subarray(sig.body, sig.end),
    };
  });
  return { certs, signers };
}

const HASHES: Record<string, string> = {
  md5: "md5",
  sha1: "sha1",
  sha224: "sha224",
  sha256: "sha256",
  sha384: "sha384",
  sha512: "sha512",
};

/** "SHA256withRSA"-style name of a v1 signer's algorithm, from its digest and key type. */
function v1AlgorithmName(digestAlg: string, keyType: string): string {
  const key = keyType === "ec" ? "ECDSA" : keyType.toUpperCase();
  return `${digestAlg.toUpperCase()}with${key}`;
}

function readV1(fs: VirtualFS, path: string, problems: string[]): AppSignerData[] {
  const files = fs
    .list()
    .filter((e) => e.type === "file" && /^\/META-INF\/[^/]+\.(RSA|DSA|EC)$/i.test(e.path))
    .slice(0, MAX_V1_FILES);
  const read = (p: string): Buffer | undefined => {
    const e = fs.get(p);
    if (!e || e.type !== "file" || !e.read) return undefined;
    return Buffer.from(e.read());
  };
  const out: AppSignerData[] = [];
  for (const f of files) {
    const where = `${path}!${f.path}`;
    try {
      const block = read(f.path);
      if (!block) throw new SigningError(`${where}: the entry cannot be read`);
      const p7 = parsePkcs7(block, where);
      const sfPath = f.path.replace(/\.[^.]+$/, ".SF");
      const sf = read(sfPath) ?? read(sfPath.replace(/\.SF$/, ".sf"));
      for (const s of p7.signers) {
        const certDer =
          p7.certs.find((c) => {
            try {
              return (
                new X509Certificate(c).serialNumber.toLowerCase().replace(/^(00)+(?=.)/, "") === s.serial
              );
            } catch {
              return false;
            }
          }) ?? (p7.certs.length === 1 ? p7.certs[0] : undefined);
        if (!certDer) throw new SigningError(`${where}: no certificate matches the signer`);
        const cert = readCert(certDer, where);
        const signer: AppSignerData = {
          scheme: "v1",
          ...cert.facts,
          signatureAlgorithm: v1AlgorithmName(s.digestAlg, cert.facts.keyType),
          verified: false,
        };
        out.push(signer);
        const hash = HASHES[s.digestAlg];
        if (!sf) signer.note = `${sfPath.slice(1)} is missing`;
        else if (!hash) signer.note = `digest algorithm ${s.digestAlg} is not supported`;
        else if (s.messageDigest && !createHash(hash).update(sf).digest().equals(s.messageDigest))
          signer.note = `the signed digest of ${sfPath.slice(1)} does not match it`;
        else {
          let ok: boolean;
          try {
            ok = verify(hash, s.signedAttrs ?? sf, cert.x509.publicKey, s.signature);
          } catch {
            ok = false; // a key or signature OpenSSL cannot decode does not verify
          }
          if (!ok) signer.note = `the signature over ${sfPath.slice(1)} does not verify`;
          else {
            const mf = manifestDigestProblem(sf, read("/META-INF/MANIFEST.MF"));
            if (mf) signer.note = mf;
            else signer.verified = true;
          }
        }
      }
    } catch (err) {
      if (err instanceof SigningError || err instanceof FormatError) problems.push(err.message);
      else throw err;
    }
  }
  return out;
}

/** Why the .SF's digest of MANIFEST.MF does not hold, or undefined when it does (or names none). */
function manifestDigestProblem(sf: Buffer, mf: Buffer | undefined): string | undefined {
  if (!mf) return "META-INF/MANIFEST.MF is missing";
  const head = sf.toString("latin1").split(/\r?\n\r?\n/)[0] ?? "";
  const m = /^(SHA-?\d+|MD5)-Digest-Manifest: *([A-Za-z0-9+/=]+)\s*$/im.exec(head);
  if (!m) return undefined; // per-entry digests only: not recomputed
  const hash = m[1]!.toLowerCase().replace("-", "");
  if (!HASHES[hash]) return `the .SF digests MANIFEST.MF with ${m[1]}, which is not supported`;
  return createHash(hash).update(mf).digest("base64") === m[2]
    ? undefined
    : "the .SF digest of MANIFEST.MF does not match it";
}

// --- all schemes ----------------------------------------------------------------------------------

/** Every signature of the APK `bytes` (already opened as `fs`). Damage becomes a problem, never a throw. */
export function readSigning(bytes: Uint8Array, fs: VirtualFS, path: string): AppSigningData {
  const problems: string[] = [];
  const signers = readV1(fs, path, problems);
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = zipEnd(b);
  if (end) {
    try {
      const block = signingBlock(b, end, path);
      for (const [id, value] of block?.pairs ?? []) {
        const scheme = SCHEME_IDS[id];
        if (!scheme) continue; // padding (0x42726577), source stamps, dependency info...
        try {
          signers.push(...readSchemeSigners(b, scheme, value, block!.start, end, path));
        } catch (err) {
          if (err instanceof SigningError) problems.push(err.message);
          else throw err;
        }
      }
    } catch (err) {
      if (err instanceof SigningError) problems.push(err.message);
      else throw err;
    }
  }
  const order: AppSigningScheme[] = ["v1", "v2", "v3", "v3.1"];
  const schemes = order.filter((s) => signers.some((x) => x.scheme === s));
  return { path, schemes, signers, problems };
}
