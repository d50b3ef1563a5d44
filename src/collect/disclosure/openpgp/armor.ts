// ASCII armor (RFC 9580 section 6): "-----BEGIN PGP <type>-----", header lines, a blank line,
// base64 data, an optional "=" CRC-24 checksum line, "-----END PGP <type>-----".
import { PgpFormatError } from "./reader.js";

export interface Armored {
  type: string;
  headers: { key: string; value: string }[];
  data: Uint8Array;
}

/** CRC-24 as RFC 9580 section 6.1 defines it (initial value 0xB704CE, generator 0x1864CFB). */
export function crc24(data: Uint8Array): number {
  let crc = 0xb704ce;
  for (const byte of data) {
    crc ^= byte << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return crc & 0xffffff;
}

const BASE64_LINE = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decode the armored block made of `lines` (the BEGIN line first). Lines may carry trailing
 * whitespace or a CR; anything else out of place is an error naming the line (0-based index into
 * `lines`, so the caller can add its own offset).
 */
export function decodeArmorLines(lines: string[]): Armored | { error: string; line: number } {
  const begin = /^-----BEGIN PGP ([A-Z0-9 ,]+)-----$/.exec(lines[0]?.trimEnd() ?? "");
  if (!begin) return { error: "expected an armor header line -----BEGIN PGP ...-----", line: 0 };
  const type = begin[1]!;
  const headers: { key: string; value: string }[] = [];
  let i = 1;
  for (; i < lines.length; i++) {
    const line = lines[i]!.trimEnd();
    if (line === "") break;
    const h = /^([!-9;-~]+): (.*)$/.exec(line);
    if (!h) {
      // No blank line after the headers: RFC 9580 requires it, but a header-less block that
      // starts straight with base64 is unambiguous, so accept it only when it really is base64.
      if (headers.length === 0 && BASE64_LINE.test(line)) {
        i--;
        break;
      }
      return { error: `malformed armor header "${line.slice(0, 60)}"`, line: i };
    }
    headers.push({ key: h[1]!, value: h[2]! });
  }
  i++;
  let body = "";
  let checksum: string | undefined;
  for (; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === `-----END PGP ${type}-----`) {
      const data = Buffer.from(body, "base64");
      if (body.replace(/=+$/, "").length > 0 && data.length === 0)
        return { error: "the armored data is empty", line: i };
      if (checksum !== undefined) {
        const want = Buffer.from(checksum, "base64");
        const got = crc24(data);
        if (want.length !== 3 || ((want[0]! << 16) | (want[1]! << 8) | want[2]!) !== got)
          return {
            error: "the armor checksum (CRC-24) does not match the data: the block is corrupted",
            line: i,
          };
      }
      return { type, headers, data: new Uint8Array(data) };
    }
    if (line.startsWith("-----"))
      return { error: `unexpected "${line.slice(0, 60)}" inside the armor`, line: i };
    if (checksum !== undefined) return { error: "data after the armor checksum line", line: i };
    if (/^=[A-Za-z0-9+/]{4}$/.test(line)) {
      checksum = line.slice(1);
      continue;
    }
    if (!BASE64_LINE.test(line)) return { error: "the armored data is not base64", line: i };
    body += line;
  }
  return { error: `no -----END PGP ${type}----- line`, line: lines.length - 1 };
}

export function isArmored(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 64)).toString("latin1").trimStart();
  return head.startsWith("-----BEGIN PGP ");
}

/** Decode an armored file (a key file, say); throws PgpFormatError with the line number. */
export function dearmor(text: string): Armored {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.startsWith("-----BEGIN PGP "));
  if (start < 0) throw new PgpFormatError("no -----BEGIN PGP ...----- line");
  const out = decodeArmorLines(lines.slice(start));
  if ("error" in out) throw new PgpFormatError(`line ${start + out.line + 1}: ${out.error}`);
  return out;
}
