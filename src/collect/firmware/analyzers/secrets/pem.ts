// PEM blocks (RFC 7468) anywhere in a file: key files, bundles, and keys compiled into binaries
// or pasted into scripts and JSON, where the line breaks may be written as "\n" escapes inside
// quoted strings. A block counts only if its body is clean base64 once such quoting is removed:
// the bare markers that TLS libraries carry as string constants are not blocks.

export interface PemBlock {
  label: string;
  /** Offset of "-----BEGIN". */
  offset: number;
  /** Offset just past the END marker. */
  end: number;
  /** RFC 1421 headers (Proc-Type, DEK-Info) of legacy encrypted keys. */
  headers: Record<string, string>;
  body: Buffer;
}

const BEGIN = Buffer.from("-----BEGIN ");
/** Largest block searched for its END marker; real keys and certificates are far smaller. */
const MAX_BLOCK = 256 * 1024;
const LABEL = /^[A-Z0-9][A-Z0-9 ]{0,40}$/;

function decodeBody(text: string): { headers: Record<string, string>; body: Buffer } | undefined {
  const headers: Record<string, string> = {};
  const clean = text
    .replace(/\\r\\n|\\n|\\r/g, "\n")
    // String concatenation in source code: "MIIE..." + "AbC..."
    .replace(/["']\s*\+\s*["']/g, "")
    .replace(/^[ \t"',]*([A-Za-z-]+): *([^\n"]*)["', \t]*$/gm, (_all, k: string, v: string) => {
      headers[k] = v.trim();
      return "";
    })
    // PGP armour ends with a CRC-24 line ("=abcd"), which is not part of the payload.
    .replace(/^[ \t"']*=[A-Za-z0-9+/]{4}[ \t"',]*$/gm, "")
    .replace(/["'\s,;]/g, "");
  if (clean.length < 16 || !/^[A-Za-z0-9+/]+={0,2}$/.test(clean)) return undefined;
  return { headers, body: Buffer.from(clean, "base64") };
}

/** Every well-formed PEM block in `b`, in order, at most `max` of them. */
export function findPemBlocks(b: Buffer, max = 1000): PemBlock[] {
  const out: PemBlock[] = [];
  let from = 0;
  while (out.length < max) {
    const at = b.indexOf(BEGIN, from);
    if (at < 0) break;
    from = at + BEGIN.length;
    const labelEnd = b.indexOf("-----", from);
    if (labelEnd < 0 || labelEnd - from > 41) continue;
    const label = b.toString("latin1", from, labelEnd);
    if (!LABEL.test(label)) continue;
    const endMarker = `-----END ${label}-----`;
    const bodyStart = labelEnd + 5;
    const window = b.subarray(bodyStart, Math.min(b.length, bodyStart + MAX_BLOCK));
    const rel = window.indexOf(endMarker);
    if (rel < 0) continue;
    const decoded = decodeBody(window.toString("latin1", 0, rel));
    const end = bodyStart + rel + endMarker.length;
    if (!decoded) continue;
    out.push({ label, offset: at, end, ...decoded });
    from = end;
  }
  return out;
}
