// From bytes to numbered lines, with every encoding problem located. RFC 9116 section 4: the file
// is UTF-8 plain text; section 2.2: every line ends with CRLF or LF; section 5.4: a reader may
// refuse files over 32 KB, lines over 2,048 characters or more than 1,000 lines, which Concord does
// so that a hostile file costs nothing.
import type { SecurityTxtProblem } from "../../../evidence/disclosure.js";

export const MAX_BYTES = 32 * 1024;
export const MAX_LINE_CHARS = 2048;
export const MAX_LINES = 1000;

export interface Line {
  /** 1-based line number in the file. */
  n: number;
  text: string;
}

export interface Decoded {
  lines: Line[];
  problems: SecurityTxtProblem[];
  /** False when the bytes cannot be read as text at all (nothing else is worth reporting). */
  readable: boolean;
}

/** Index of the first byte that breaks UTF-8 (RFC 3629 section 4), or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f; // no UTF-16 surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined || d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return -1;
}

function looksUtf16(b: Uint8Array): "LE" | "BE" | undefined {
  if (b[0] === 0xff && b[1] === 0xfe) return "LE";
  if (b[0] === 0xfe && b[1] === 0xff) return "BE";
  // Without a byte order mark: ASCII text in UTF-16 has a NUL in every other byte.
  const n = Math.min(b.length, 512) & ~1;
  if (n < 8) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) even++;
    if (b[i + 1] === 0) odd++;
  }
  if (odd > n / 2 - n / 8 && even === 0) return "LE";
  if (even > n / 2 - n / 8 && odd === 0) return "BE";
  return undefined;
}

const hex2 = (n: number) => n.toString(16).toUpperCase().padStart(2, "0");

export function decodeLines(bytes: Uint8Array, truncatedAt?: number): Decoded {
  const problems: SecurityTxtProblem[] = [];
  const fail = (code: string, message: string, line = 1): Decoded => ({
    lines: [],
    problems: [{ severity: "error", code, line, message }],
    readable: false,
  });
  if (truncatedAt !== undefined || bytes.length > MAX_BYTES)
    return fail(
      "too-large",
      `the file is larger than ${MAX_BYTES / 1024} KiB, so it was not parsed (RFC 9116 section 5.4); a security.txt is a few hundred bytes`,
    );
  if (bytes.length === 0) return fail("empty", "the file is empty");
  const utf16 = looksUtf16(bytes);
  if (utf16)
    return fail(
      "utf16",
      `the file is UTF-16 (${utf16 === "LE" ? "little" : "big"}-endian), not UTF-8 as RFC 9116 requires; save it as UTF-8`,
    );
  let body = bytes;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    problems.push({
      severity: "warning",
      code: "bom",
      line: 1,
      col: 1,
      message:
        "the file starts with a UTF-8 byte order mark, which RFC 9116 does not allow before the first field; some readers will not recognise that field",
    });
    body = bytes.subarray(3);
  }
  const nul = body.indexOf(0);
  if (nul >= 0) {
    let line = 1;
    for (let i = 0; i < nul; i++) if (body[i] === 0x0a) line++;
    return fail("binary", "the file holds binary data (a NUL byte), not text", line);
  }

  const lines: Line[] = [];
  let start = 0;
  let n = 0;
  while (start <= body.length) {
    let end = body.indexOf(0x0a, start);
    const last = end < 0;
    if (last) end = body.length;
    if (last && start === body.length) break; // the file ended with a line break
    n++;
    if (n > MAX_LINES) {
      problems.push({
        severity: "error",
        code: "too-many-lines",
        line: n,
        message: `the file has more than ${MAX_LINES} lines; the rest was not read (RFC 9116 section 5.4)`,
      });
      break;
    }
    let raw = body.subarray(start, end);
    if (raw[raw.length - 1] === 0x0d) raw = raw.subarray(0, raw.length - 1);
    if (last)
      problems.push({
        severity: "error",
        code: "no-final-newline",
        line: n,
        message:
          "the last line does not end with a line break (RFC 9116 section 2.2: every line ends with CRLF or LF)",
      });
    const bad = firstInvalidUtf8(raw);
    let text: string;
    if (bad >= 0) {
      const col = new TextDecoder().decode(raw.subarray(0, bad)).length + 1;
      problems.push({
        severity: "error",
        code: "invalid-utf8",
        line: n,
        col,
        message: `byte 0x${hex2(raw[bad]!)} is not valid UTF-8 (the file looks Latin-1 or Windows-1252 encoded; save it as UTF-8)`,
      });
      text = new TextDecoder().decode(raw); // U+FFFD replaces the bad bytes; parsing goes on
    } else text = new TextDecoder().decode(raw);
    const cr = text.indexOf("\r");
    if (cr >= 0)
      problems.push({
        severity: "error",
        code: "bare-cr",
        line: n,
        col: cr + 1,
        message: "a carriage return (CR) not followed by a line feed: lines end with CRLF or LF only",
      });
    // eslint-disable-next-line no-control-regex
    const ctl = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.exec(text);
    if (ctl)
      problems.push({
        severity: "error",
        code: "control-char",
        line: n,
        col: ctl.index + 1,
        message: `control character U+${ctl[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")} is not allowed in a security.txt`,
      });
    if (text.length > MAX_LINE_CHARS) {
      problems.push({
        severity: "error",
        code: "line-too-long",
        line: n,
        message: `the line is ${text.length} characters long; lines over ${MAX_LINE_CHARS} were not parsed (RFC 9116 section 5.4)`,
      });
      text = "";
    }
    lines.push({ n, text: text.replace(/\r/g, "") });
    start = end + 1;
  }
  // Random bytes decode to replacement characters and control codes throughout; text in the wrong
  // encoding (Latin-1, say) only here and there. Past 30% it is not text: say so once instead of
  // reporting every line.
  const all = new TextDecoder().decode(body);
  // eslint-disable-next-line no-control-regex
  const junk = (all.match(/[\uFFFD\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g) ?? []).length;
  if (junk >= 8 && junk > all.length * 0.3)
    return fail(
      "binary",
      `the file is not text: ${Math.round((junk / all.length) * 100)}% of its characters are invalid UTF-8 or control codes`,
    );
  return { lines, problems, readable: true };
}
