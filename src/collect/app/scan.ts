// What an app's strings give away, on either platform: plain-HTTP endpoints, secrets (tokens with a
// recognisable shape, private keys in PEM, credentials assigned in configuration assets, key store
// files) and certificate pins written in code ("sha256/<base64>", OkHttp's and TrustKit's form).
// Callers hand it text (the dex string table, the resource table's strings, a Mach-O string
// section, an asset), each named by the file it came from. Results are bounded in number.
import type { AppEndpointData, AppSecretData } from "../../evidence/app.js";
import { loadPrivateDer } from "../firmware/analyzers/secrets/keys.js";
import { findPemBlocks } from "../firmware/analyzers/secrets/pem.js";
import { findAssignments, findShapedTokens } from "../firmware/analyzers/secrets/tokens.js";

/** http:// URLs that are names, not endpoints: XML namespaces, schemas, DTDs, licences, loopback. */
const NOT_ENDPOINTS =
  /^http:\/\/(?:schemas\.android\.com|www\.w3\.org|ns\.adobe\.com|xmlpull\.org|xml\.org|www\.xml\.org|purl\.org|java\.sun\.com|xmlns\.jcp\.org|www\.apache\.org|apache\.org|www\.apple\.com\/DTDs|schemas\.xmlsoap\.org|schemas\.microsoft\.com|localhost|127\.0\.0\.1|\[::1\]|10\.0\.2\.2)(?=[/:?#]|$)/i;
const HTTP_URL = /http:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?(?:[/?#][\x21-\x7e]*)?/g;
/** Public-key pins as OkHttp and TrustKit write them: sha256/ and 44 base64 characters, sha1/ and 28. */
const PIN = /(?<![A-Za-z0-9+/])(?:sha256\/[A-Za-z0-9+/]{43}=|sha1\/[A-Za-z0-9+/]{27}=)/g;
/** Files whose name = value pairs are configuration (assets, bundle resources). */
const CONFIG_FILE = /\.(json|xml|properties|ini|conf|cfg|config|ya?ml|env|txt|plist|toml)$/i;
/** Key stores shipped as files: PKCS#12, Java and Bouncy Castle key stores. */
const KEYSTORE_FILE = /\.(p12|pfx|bks|jks|keystore|bcfks)$/i;
export const MAX_HITS = 200;

export class StringScan {
  readonly endpoints = new Map<string, AppEndpointData>();
  readonly secrets: AppSecretData[] = [];
  /** Files holding pins in code, with the number of distinct pins. */
  readonly pins = new Map<string, Set<string>>();
  private readonly seen = new Set<string>();

  /** Scan `text` (from `file` inside the package); `config` also reads name = value credentials. */
  text(text: string, file: string, opts: { config?: boolean } = {}): void {
    HTTP_URL.lastIndex = 0;
    for (let m = HTTP_URL.exec(text); m && this.endpoints.size < MAX_HITS; m = HTTP_URL.exec(text)) {
      const url = m[0].replace(/[.,;:)'"\]}>\\]+$/, "");
      if (NOT_ENDPOINTS.test(url) || url.length <= "http://".length + 3) continue;
      if (!this.endpoints.has(url)) this.endpoints.set(url, { url, scheme: "http", file });
    }
    for (const t of findShapedTokens(text, 20))
      this.secret(t.format, t.value, `${t.value.slice(0, 4)}… (${t.value.length} chars)`, file);
    if (text.includes("PRIVATE KEY-----"))
      for (const block of findPemBlocks(Buffer.from(text, "latin1"), 20)) {
        if (!block.label.endsWith("PRIVATE KEY")) continue;
        const key = block.label.includes("ENCRYPTED") ? undefined : loadPrivateDer(block.label, block.body);
        const what = key
          ? `${key.keyType}${key.bits ? ` ${key.bits}-bit` : ""} private key`
          : `${block.label.toLowerCase()}`;
        this.secret(
          block.label.includes("ENCRYPTED") ? "encrypted-private-key" : "private-key",
          block.body.toString("base64"),
          what,
          file,
        );
      }
    if (opts.config ?? CONFIG_FILE.test(file))
      for (const a of findAssignments(text, 20))
        this.secret(
          a.format === "xml-element" ? "xml-element" : "assignment",
          a.value,
          `${a.value.slice(0, 2)}… (${a.value.length} chars)`,
          file,
          a.name,
        );
    PIN.lastIndex = 0;
    for (let m = PIN.exec(text); m; m = PIN.exec(text)) {
      const set = this.pins.get(file) ?? new Set<string>();
      if (set.size < MAX_HITS) set.add(m[0]);
      this.pins.set(file, set);
    }
  }

  /** A key store shipped as a file: a secret by its presence (its password is in the app too). */
  file(name: string, size: number): void {
    if (KEYSTORE_FILE.test(name)) this.secret("keystore-file", name, `key store (${size} bytes)`, name);
  }

  private secret(format: string, value: string, redacted: string, file: string, name?: string): void {
    const key = `${format}\0${value}`;
    if (this.seen.has(key) || this.secrets.length >= MAX_HITS) return;
    this.seen.add(key);
    this.secrets.push({ format, redacted, file, ...(name ? { name } : {}) });
  }

  /** Endpoints in the order found. */
  endpointList(): AppEndpointData[] {
    return [...this.endpoints.values()];
  }

  /** The pins found in code, as pinning mechanisms. */
  pinMechanisms(): { kind: string; detail: string; file: string }[] {
    return [...this.pins].map(([file, set]) => ({
      kind: "code-pins",
      detail: `${set.size} public-key pin${set.size === 1 ? "" : "s"} (sha256/… form) in code`,
      file,
    }));
  }
}
