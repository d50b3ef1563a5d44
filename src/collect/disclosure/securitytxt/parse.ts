// The security.txt parser and validator (RFC 9116). One pass over the decoded lines: split off an
// OpenPGP cleartext signature if there is one, read fields, check each against its definition in
// section 2.5, then the file-wide rules (Contact and Expires required, Expires and
// Preferred-Languages at most once). Every problem names its line.
import { decodeArmorLines } from "../openpgp/armor.js";
import type { SignatureCheck } from "../../../evidence/disclosure.js";
import { checkCleartext } from "../openpgp/cleartext.js";
import type { Certificate } from "../openpgp/keys.js";
import type { FieldValue, SecurityTxtFields, SecurityTxtProblem } from "../../../evidence/disclosure.js";
import { decodeLines, type Line } from "./decode.js";
import { contactProblem, isLanguageTag, parseDateTime, schemeOf, uriProblem } from "./syntax.js";
import { editDistance } from "../../../util/suggest.js";

export interface ParseOptions {
  /** "Now" for Expires and signature times. */
  now: Date;
  /** The URL the file was fetched from, to compare with its Canonical fields. */
  sourceUrl?: string;
  /** OpenPGP certificates to verify a signature with; none means "detect, do not verify". */
  certificates?: Certificate[];
  /** Set when the reader stopped at its byte limit: the file is too large to parse. */
  truncated?: boolean;
}

export interface ParsedSecurityTxt {
  signed: boolean;
  signature?: SignatureCheck;
  fields: SecurityTxtFields;
  problems: SecurityTxtProblem[];
}

/** The fields RFC 9116 section 2.5 defines, plus CSAF (registered by CSAF 2.0 section 7.1.8). */
const KNOWN = {
  acknowledgments: "Acknowledgments",
  canonical: "Canonical",
  contact: "Contact",
  encryption: "Encryption",
  expires: "Expires",
  hiring: "Hiring",
  policy: "Policy",
  "preferred-languages": "Preferred-Languages",
  csaf: "CSAF",
} as const;
type KnownKey = keyof typeof KNOWN;

// RFC 5322 field-name: printable ASCII except the colon.
const FIELD_NAME = /^[!-9;-~]+$/;

const SIGNED_BEGIN = "-----BEGIN PGP SIGNED MESSAGE-----";
const SIG_BEGIN = "-----BEGIN PGP SIGNATURE-----";
const SIG_END = "-----END PGP SIGNATURE-----";

function emptyFields(): SecurityTxtFields {
  return {
    contact: [],
    encryption: [],
    acknowledgments: [],
    canonical: [],
    policy: [],
    hiring: [],
    csaf: [],
    other: [],
  };
}

export function parseSecurityTxt(bytes: Uint8Array, opts: ParseOptions): ParsedSecurityTxt {
  const decoded = decodeLines(bytes, opts.truncated ? bytes.length : undefined);
  const problems = decoded.problems;
  const fields = emptyFields();
  if (!decoded.readable) return { signed: false, fields, problems };
  const err = (code: string, line: number, message: string, col?: number) =>
    problems.push({ severity: "error", code, line, col, message });
  const warn = (code: string, line: number, message: string, col?: number) =>
    problems.push({ severity: "warning", code, line, col, message });

  const lines = decoded.lines;
  const beginAt = lines.findIndex((l) => l.text.trimEnd() === SIGNED_BEGIN);
  let content: Line[] = lines;
  let signature: SignatureCheck | undefined;
  if (beginAt >= 0) {
    const split = splitSigned(lines, beginAt, err, warn);
    content = split.content;
    const sigLine = split.signatureLines?.[0] ?? lines[beginAt]!.n;
    if (split.signatureData) {
      signature = checkCleartext(
        split.content.map((l) => l.text),
        split.signatureData,
        opts.certificates ?? [],
        split.hashHeaders,
        Math.floor(opts.now.getTime() / 1000),
      );
      if (signature.status === "invalid")
        err("signature-invalid", sigLine, `the OpenPGP signature is unusable: ${signature.reason}`);
    } else signature = { status: "invalid", reason: split.signatureError ?? "no signature block" }; // reported by splitSigned
    if (signature.status === "bad")
      err("signature-bad", sigLine, `the OpenPGP signature does not verify: ${signature.reason}`);
    else if (signature.status === "unknown-key")
      err("signature-unknown-key", sigLine, `the OpenPGP signature cannot be verified: ${signature.reason}`);
    else if (signature.status === "not-checked")
      problems.push({
        severity: "notice",
        code: "signature-not-checked",
        line: sigLine,
        message: `signed by key ${signature.issuer ?? "(unnamed)"}; not verified because no key was given`,
      });
  } else if (lines.some((l) => l.text.startsWith("-----BEGIN PGP SIGNATURE-----"))) {
    const at = lines.find((l) => l.text.startsWith(SIG_BEGIN))!;
    err(
      "signature-without-message",
      at.n,
      `a signature block without "${SIGNED_BEGIN}" before the text it signs`,
    );
    content = lines.slice(0, lines.indexOf(at));
  }

  readFields(content, fields, err, warn, problems);
  checkFileRules(fields, content, opts, err, warn, problems, beginAt >= 0);
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
  return { signed: beginAt >= 0, signature, fields, problems };
}

type Report = (code: string, line: number, message: string, col?: number) => void;

interface SignedParts {
  content: Line[];
  hashHeaders: string[];
  signatureLines?: number[];
  signatureData?: Uint8Array;
  signatureError?: string;
}

/** Split a cleartext-signed file (RFC 9580 section 7) into its message lines and signature. */
function splitSigned(lines: Line[], beginAt: number, err: Report, warn: Report): SignedParts {
  for (const l of lines.slice(0, beginAt))
    if (l.text.trim() !== "") {
      err("outside-signature", l.n, "text before the signed message is not covered by the signature");
      break;
    }
  const hashHeaders: string[] = [];
  let i = beginAt + 1;
  for (; i < lines.length && lines[i]!.text.trim() !== ""; i++) {
    const h = /^Hash: (.+)$/.exec(lines[i]!.text.trimEnd());
    if (h) hashHeaders.push(h[1]!);
    else
      err(
        "armor-header",
        lines[i]!.n,
        `unexpected header "${lines[i]!.text.slice(0, 60)}" in the signed message (only Hash: headers belong here)`,
      );
  }
  if (hashHeaders.length === 0)
    warn(
      "no-hash-header",
      lines[beginAt]!.n,
      "the signed message has no Hash: header, which RFC 9116's grammar requires",
    );
  i++; // the blank line
  const content: Line[] = [];
  for (; i < lines.length && lines[i]!.text.trimEnd() !== SIG_BEGIN; i++) {
    const l = lines[i]!;
    if (l.text.startsWith("- ")) content.push({ n: l.n, text: l.text.slice(2) });
    else {
      if (l.text.startsWith("-"))
        err(
          "dash-escape",
          l.n,
          'a signed line that starts with "-" must be dash-escaped as "- -" (RFC 9580 section 7.2)',
        );
      content.push(l);
    }
  }
  if (i >= lines.length) {
    const signatureError = `the signed message has no "${SIG_BEGIN}" block`;
    err("signature-missing", lines[beginAt]!.n, signatureError);
    return { content, hashHeaders, signatureError };
  }
  const sigStart = i;
  let end = sigStart;
  while (end < lines.length && lines[end]!.text.trim() !== SIG_END) end++;
  const block = lines.slice(sigStart, end + 1);
  const signatureLines = block.map((l) => l.n);
  for (const l of lines.slice(end + 1))
    if (l.text.trim() !== "") {
      err("outside-signature", l.n, "text after the signature is not covered by it");
      break;
    }
  const armored = decodeArmorLines(block.map((l) => l.text));
  if ("error" in armored) {
    err(
      "signature-armor",
      block[Math.min(armored.line, block.length - 1)]!.n,
      `the signature block is malformed: ${armored.error}`,
    );
    return { content, hashHeaders, signatureLines, signatureError: armored.error };
  }
  return { content, hashHeaders, signatureLines, signatureData: armored.data };
}

function readFields(
  content: Line[],
  fields: SecurityTxtFields,
  err: Report,
  warn: Report,
  problems: SecurityTxtProblem[],
): void {
  const firstSeen = new Map<KnownKey, number>();
  for (const { n, text: raw } of content) {
    const text = raw.replace(/[ \t]+$/, ""); // eol = *WSP [CR] LF
    if (text === "" || text.startsWith("#")) continue;
    if (/^[ \t]/.test(text)) {
      err(
        "leading-whitespace",
        n,
        "a line starts with whitespace: each field starts at the beginning of its own line (folded lines are not allowed)",
        1,
      );
      continue;
    }
    const colon = text.indexOf(":");
    const name = colon > 0 ? text.slice(0, colon) : "";
    if (colon <= 0 || !FIELD_NAME.test(name)) {
      err(
        "not-a-field",
        n,
        `"${text.slice(0, 60)}" is not a field ("Name: value"), a comment ("# ...") or a blank line`,
        1,
      );
      continue;
    }
    const rest = text.slice(colon + 1);
    const value = rest.trim();
    if (value === "") {
      err("empty-value", n, `${name} has no value`, colon + 1);
      continue;
    }
    if (!rest.startsWith(" ")) err("missing-space", n, `put one space after "${name}:"`, colon + 2);
    else if (/^ [ \t]/.test(rest)) err("extra-space", n, `put exactly one space after "${name}:"`, colon + 2);
    const key = name.toLowerCase() as KnownKey;
    if (!(key in KNOWN)) {
      const guess = (Object.keys(KNOWN) as KnownKey[]).find((k) => editDistance(k, name.toLowerCase()) <= 2);
      if (guess)
        warn(
          "misspelt-field",
          n,
          `unknown field "${name}": did you mean "${KNOWN[guess]}"? Readers ignore fields they do not know`,
          1,
        );
      else
        problems.push({
          severity: "notice",
          code: "unknown-field",
          line: n,
          col: 1,
          message: `"${name}" is not a registered field; readers ignore it`,
        });
      fields.other.push({ name, value, line: n });
      continue;
    }
    const fv: FieldValue = { value, line: n };
    const col = colon + 3;
    if (key === "expires" || key === "preferred-languages") {
      const first = firstSeen.get(key);
      if (first !== undefined) {
        err(
          key === "expires" ? "duplicate-expires" : "duplicate-languages",
          n,
          `${KNOWN[key]} must not appear more than once (first on line ${first})`,
          1,
        );
        continue;
      }
      firstSeen.set(key, n);
    }
    switch (key) {
      case "expires": {
        const dt = parseDateTime(value);
        if ("problem" in dt) {
          err("invalid-date", n, `Expires "${value}" ${dt.problem}`, col);
          fields.expires = fv;
        } else fields.expires = { ...fv, at: dt.at.toISOString() };
        break;
      }
      case "preferred-languages": {
        const tags = value.split(",").map((t) => t.trim());
        tags.forEach((t) => {
          if (t === "")
            err("invalid-language", n, "Preferred-Languages has an empty entry (a stray comma)", col);
          else if (!isLanguageTag(t))
            err(
              "invalid-language",
              n,
              `"${t}" is not a language tag (RFC 5646) such as en, de or pt-BR`,
              col,
            );
        });
        fields.preferredLanguages = { ...fv, tags: tags.filter(Boolean) };
        break;
      }
      case "contact":
        checkUri(KNOWN[key], fv, col, err, true);
        fields.contact.push(fv);
        break;
      case "encryption":
        if (/-----BEGIN PGP|^[A-Za-z0-9+/]{60,}={0,2}$/.test(value))
          err("key-in-field", n, "Encryption must point at a key (a URI), not contain the key itself", col);
        else {
          checkUri(KNOWN[key], fv, col, err, false);
          const scheme = schemeOf(value);
          if (scheme === "openpgp4fpr" && !/^openpgp4fpr:([0-9A-Fa-f]{40}|[0-9A-Fa-f]{64})$/.test(value))
            err("invalid-uri", n, `Encryption "${value}" is not a 40- or 64-digit hex fingerprint`, col);
        }
        fields.encryption.push(fv);
        break;
      case "csaf":
        checkUri(KNOWN[key], fv, col, err, false);
        if (schemeOf(value) === "https" && !/\/provider-metadata\.json$/.test(value.split(/[?#]/)[0]!))
          err(
            "csaf-not-provider-metadata",
            n,
            `CSAF must point at a provider-metadata.json (CSAF 2.0 section 7.1.8); "${value}" does not`,
            col,
          );
        fields.csaf.push(fv);
        break;
      default:
        checkUri(KNOWN[key], fv, col, err, false);
        fields[key].push(fv);
    }
  }
}

function checkUri(name: string, fv: FieldValue, col: number, err: Report, contact: boolean): void {
  const { value, line } = fv;
  if (contact && /^[^:@\s]+@[^@\s]+$/.test(value)) {
    err(
      "contact-not-uri",
      line,
      `Contact "${value}" is an e-mail address, not a URI: write "mailto:${value}"`,
      col,
    );
    return;
  }
  if (contact && /^\+?[0-9 ()-]{6,}$/.test(value)) {
    err(
      "contact-not-uri",
      line,
      `Contact "${value}" is a phone number, not a URI: write "tel:${value.replace(/[ ()]/g, "")}"`,
      col,
    );
    return;
  }
  const p = uriProblem(value);
  if (p) {
    err("invalid-uri", line, `${name} "${value}" ${p}`, col);
    return;
  }
  if (schemeOf(value) === "http") {
    err(
      "insecure-uri",
      line,
      `${name} "${value}" uses http: web addresses in security.txt must begin with https://`,
      col,
    );
    return;
  }
  if (contact) {
    const c = contactProblem(value);
    if (c) err("invalid-contact", line, `Contact ${c}`, col);
  }
}

function addYears(d: Date, years: number): Date {
  const out = new Date(d.getTime());
  out.setUTCFullYear(out.getUTCFullYear() + years);
  return out;
}

function checkFileRules(
  fields: SecurityTxtFields,
  content: Line[],
  opts: ParseOptions,
  err: Report,
  warn: Report,
  problems: SecurityTxtProblem[],
  signed: boolean,
): void {
  const first = content[0]?.n ?? 1;
  if (fields.contact.length === 0)
    err(
      "missing-contact",
      first,
      "there is no Contact field; RFC 9116 requires at least one (mailto:, tel: or https:)",
    );
  if (!fields.expires)
    err(
      "missing-expires",
      first,
      "there is no Expires field; RFC 9116 requires exactly one (for example Expires: 2026-12-31T23:59:59Z)",
    );
  else if (fields.expires.at) {
    const at = new Date(fields.expires.at);
    if (at.getTime() <= opts.now.getTime())
      err(
        "expired",
        fields.expires.line,
        `the file expired on ${fields.expires.value}: its contents are stale and researchers should not use them`,
      );
    else if (at.getTime() > addYears(opts.now, 1).getTime())
      warn(
        "expires-too-far",
        fields.expires.line,
        `Expires ${fields.expires.value} is more than a year ahead; RFC 9116 recommends less than a year so the file is reviewed`,
      );
  }
  if (opts.sourceUrl && fields.canonical.length > 0) {
    const norm = (u: string) => {
      try {
        return new URL(u).href;
      } catch {
        return u;
      }
    };
    const src = norm(opts.sourceUrl);
    if (!fields.canonical.some((c) => norm(c.value) === src))
      warn(
        "canonical-mismatch",
        fields.canonical[0]!.line,
        `the file was read from ${opts.sourceUrl}, which no Canonical field lists: RFC 9116 says its contents should then not be trusted`,
      );
  }
  if (signed && fields.canonical.length === 0)
    warn(
      "signed-without-canonical",
      first,
      "the file is signed but has no Canonical field, so the signature does not bind it to a location (RFC 9116 section 2.3)",
    );
  if (!signed)
    problems.push({
      severity: "notice",
      code: "unsigned",
      line: first,
      message: "the file is not signed; RFC 9116 recommends an OpenPGP cleartext signature",
    });
  if (fields.encryption.length === 0 && fields.contact.some((c) => schemeOf(c.value) === "mailto"))
    problems.push({
      severity: "notice",
      code: "no-encryption",
      line: fields.contact.find((c) => schemeOf(c.value) === "mailto")!.line,
      message:
        "an e-mail contact without an Encryption field: RFC 9116 recommends a key for encrypted reports",
    });
}
