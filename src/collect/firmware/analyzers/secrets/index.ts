// Secrets: private keys (PEM, DER, OpenSSH, PKCS#12, PGP), certificates, access tokens and
// passwords written into files. Every file is searched for PEM blocks and shaped tokens (keys
// compiled into binaries included); whole-file DER and DER keys embedded in binaries are
// recognised by their ASN.1 structure; password assignments are read from configuration files
// and scripts only. Key material is confirmed by loading it with node:crypto, and fingerprinted
// in one normal form so the same key matches across files and images. Public keys are not
// reported, and certificates are reported as certificates, never as secrets.
import { latin1 } from "../latin1.js";
import type { SecretData } from "../../../../evidence/firmware.js";
import { FW } from "../../../../evidence/firmware.js";
import type { Analyzer, AnalyzerContext, FileView } from "../types.js";
import { node } from "./asn1.js";
import { describeCertificate } from "./certs.js";
import { classifyDer, PEM_LABEL, type DerKind } from "./der.js";
import { loadPrivateDer, sha256hex } from "./keys.js";
import { parseOpenSsh } from "./openssh.js";
import { findPemBlocks, type PemBlock } from "./pem.js";
import { findAssignments, findShapedTokens, isConfigOrScript } from "./tokens.js";

/** Larger files are media or filesystem blobs, searched by the unpacker rather than here. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** Config and script files larger than this are data, not configuration. */
const MAX_CONFIG_BYTES = 1024 * 1024;
const MAX_FACTS_PER_FILE = 1000;
const MAX_DER_CANDIDATES = 256;

const KEY_LABEL_TYPE: Record<string, string> = {
  "RSA PRIVATE KEY": "rsa",
  "EC PRIVATE KEY": "ec",
  "DSA PRIVATE KEY": "dsa",
};
const KEY_LABEL_FORMAT: Record<string, string> = {
  "RSA PRIVATE KEY": "pem/pkcs1",
  "EC PRIVATE KEY": "pem/sec1",
  "DSA PRIVATE KEY": "pem/dsa",
  "PRIVATE KEY": "pem/pkcs8",
};
const CERT_LABELS = new Set(["CERTIFICATE", "X509 CERTIFICATE"]);

/** DER private keys start with a version INTEGER then the first field; these are the byte patterns. */
const DER_KEY_MARKERS = [
  "020100028181",
  "020100028201",
  "0201000282",
  "0201010420",
  "0201010430",
  "0201010441",
  "0201010442",
  "020100300d06092a864886f70d010101",
  "020100301306072a8648ce3d0201",
  "020100300506032b6570",
].map((h) => Buffer.from(h, "hex"));

function isText(b: Buffer): boolean {
  return !b.subarray(0, 8192).includes(0);
}

function privateKeyFromDer(kind: DerKind, der: Uint8Array, prefix: string): SecretData | undefined {
  if (kind === "encrypted-pkcs8")
    return {
      type: "private-key",
      format: `${prefix}/encrypted-pkcs8`,
      fingerprint: sha256hex(der),
      encrypted: true,
    };
  const label = PEM_LABEL[kind];
  const facts = label ? loadPrivateDer(label, der) : undefined;
  return facts ? { type: "private-key", format: `${prefix}/${kind}`, ...facts, encrypted: false } : undefined;
}

function fromPem(block: PemBlock): SecretData | undefined {
  const { label, body, headers } = block;
  if (CERT_LABELS.has(label)) return describeCertificate(body, "pem/x509");
  if (label === "OPENSSH PRIVATE KEY") {
    const k = parseOpenSsh(body);
    return k ? { type: "private-key", format: "openssh", ...k } : undefined;
  }
  if (label === "ENCRYPTED PRIVATE KEY")
    return classifyDer(body) === "encrypted-pkcs8"
      ? privateKeyFromDer("encrypted-pkcs8", body, "pem")
      : undefined;
  if (label === "PGP PRIVATE KEY BLOCK")
    return { type: "private-key", format: "pgp", keyType: "pgp", fingerprint: sha256hex(body) };
  const format = KEY_LABEL_FORMAT[label];
  if (!format) return undefined; // public keys, requests, parameters: not secrets
  if (/ENCRYPTED/.test(headers["Proc-Type"] ?? "")) {
    // Legacy OpenSSL encryption (DEK-Info): the DER inside is ciphertext.
    const keyType = KEY_LABEL_TYPE[label];
    return {
      type: "private-key",
      format: `${format}-encrypted`,
      fingerprint: sha256hex(body),
      encrypted: true,
      ...(keyType ? { keyType } : {}),
    };
  }
  const facts = loadPrivateDer(label, body);
  return facts ? { type: "private-key", format, ...facts, encrypted: false } : undefined;
}

/** DER private keys inside a binary: each marker, with the SEQUENCE header just before it. */
/** Every DER key marker in one alternation: one pass over a binary instead of one per marker. */
const DER_MARKER_RE = new RegExp(
  DER_KEY_MARKERS.map((m) => [...m].map((x) => `\\x${x.toString(16).padStart(2, "0")}`).join("")).join("|"),
  "g",
);

function embeddedDerKeys(b: Buffer): { offset: number; data: SecretData }[] {
  const out: { offset: number; data: SecretData }[] = [];
  const tried = new Set<number>();
  // latin1 maps each byte to one character, so string offsets are byte offsets.
  const text = latin1(b);
  const re = new RegExp(DER_MARKER_RE.source, "g");
  for (let m = re.exec(text); m && tried.size < MAX_DER_CANDIDATES; m = re.exec(text)) {
    const i = m.index;
    re.lastIndex = i + 1; // markers share prefixes: look again from the next byte
    for (const back of [2, 3, 4]) {
      const start = i - back;
      if (start < 0 || b[start] !== 0x30 || tried.has(start)) continue;
      const seq = node(b, start);
      if (!seq || seq.body !== i) continue;
      tried.add(start);
      const kind = classifyDer(b, start, seq.end - start);
      if (!kind || kind === "certificate" || kind === "pkcs12") continue;
      const data = privateKeyFromDer(kind, b.subarray(start, seq.end), "der");
      if (data) out.push({ offset: start, data });
    }
  }
  return out.sort((x, y) => x.offset - y.offset);
}

export const secretsAnalyzer: Analyzer = {
  id: "secrets",
  version: "1",
  create() {
    return {
      wants: (f) => f.entry.size > 0 && f.entry.size <= MAX_FILE_BYTES,
      analyze(file: FileView, ctx: AnalyzerContext) {
        const raw = file.read();
        const b = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
        const text = isText(b);
        let lineStarts: number[] | undefined;
        const lineOf = (offset: number) => {
          if (!lineStarts) {
            lineStarts = [0];
            for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) lineStarts.push(i + 1);
          }
          let lo = 0;
          let hi = lineStarts.length - 1;
          while (lo < hi) {
            const mid = (lo + hi + 1) >> 1;
            if (lineStarts[mid]! <= offset) lo = mid;
            else hi = mid - 1;
          }
          return lo + 1;
        };
        // A file that is the secret (or starts with it) is named by its path; one inside a text
        // file by its line; one embedded in a binary by its offset.
        const where = (offset: number, startsFile: boolean) =>
          startsFile && offset === 0
            ? file.path
            : text
              ? `${file.path}:${lineOf(offset)}`
              : `${file.path}@0x${offset.toString(16)}`;
        let count = 0;
        const emit = (data: SecretData, offset: number, startsFile = true) => {
          if (count++ >= MAX_FACTS_PER_FILE) return;
          ctx.emit<SecretData>({
            kind: FW.secret,
            subject: "device",
            data,
            location: where(offset, startsFile),
          });
        };

        for (const block of findPemBlocks(b, MAX_FACTS_PER_FILE)) {
          const data = fromPem(block);
          if (data) emit(data, block.offset);
        }

        if (!text && b[0] === 0x30) {
          const kind = classifyDer(b);
          if (kind === "certificate") {
            const cert = describeCertificate(b, "der/x509");
            if (cert) emit(cert, 0);
          } else if (kind === "pkcs12" || (!kind && /\.(p12|pfx)$/i.test(file.path))) {
            emit({ type: "pkcs12", format: "pkcs12", fingerprint: sha256hex(b) }, 0);
          } else if (kind) {
            const data = privateKeyFromDer(kind, b, "der");
            if (data) emit(data, 0);
          }
          if (kind) return; // the file is one DER structure: nothing else inside it
        }
        if (!text) for (const { offset, data } of embeddedDerKeys(b)) emit(data, offset);

        const asLatin1 = latin1(b);
        const hits = findShapedTokens(asLatin1);
        if (text && b.length <= MAX_CONFIG_BYTES && isConfigOrScript(file.path, file.head()))
          hits.push(...findAssignments(asLatin1));
        hits.sort((x, y) => x.offset - y.offset);
        const seen = new Set<number>();
        for (const h of hits) {
          // A shaped token assigned to a credential name (API_KEY=AIza...) is reported once.
          if (seen.has(h.offset)) continue;
          seen.add(h.offset);
          const data: SecretData = { type: h.type, format: h.format, fingerprint: sha256hex(h.value) };
          if (h.name !== undefined) data.name = h.name;
          emit(data, h.offset, false);
        }
      },
    };
  },
};
