// Just enough DER (X.690) to recognise key containers: tag, definite length, children. Every
// length is checked against its parent; indefinite lengths (BER) and long tags are refused,
// since the structures looked for here are DER.

export interface Node {
  tag: number;
  /** Offset of the tag byte within the buffer. */
  start: number;
  /** Offset of the content. */
  body: number;
  /** Offset just past the content. */
  end: number;
}

export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
  SET: 0x31,
  CONTEXT_0: 0xa0,
  CONTEXT_1: 0xa1,
} as const;

/** The element at `at`, or undefined if it does not fit inside `limit`. */
export function node(b: Uint8Array, at: number, limit = b.length): Node | undefined {
  if (at + 2 > limit) return undefined;
  const tag = b[at]!;
  if ((tag & 0x1f) === 0x1f) return undefined; // multi-byte tags never occur in these structures
  let len = b[at + 1]!;
  let body = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || body + n > limit) return undefined; // indefinite or absurd
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[body + i]!;
    body += n;
  }
  const end = body + len;
  if (end > limit) return undefined;
  return { tag, start: at, body, end };
}

/** The children of a constructed element, or undefined if they do not tile it exactly. */
export function children(b: Uint8Array, parent: Node, max = 64): Node[] | undefined {
  const out: Node[] = [];
  let at = parent.body;
  while (at < parent.end) {
    if (out.length >= max) return undefined;
    const n = node(b, at, parent.end);
    if (!n) return undefined;
    out.push(n);
    at = n.end;
  }
  return out;
}

/** A top-level element that covers exactly `length` bytes from `at` (no trailing bytes inside). */
export function whole(b: Uint8Array, at = 0, length = b.length - at): Node | undefined {
  const n = node(b, at, at + length);
  return n && n.end === at + length ? n : undefined;
}

/** A small non-negative INTEGER's value (version fields), undefined when it is not one. */
export function smallInt(b: Uint8Array, n: Node): number | undefined {
  const len = n.end - n.body;
  if (n.tag !== TAG.INTEGER || len < 1 || len > 4) return undefined;
  let v = 0;
  for (let i = n.body; i < n.end; i++) v = v * 256 + b[i]!;
  return b[n.body]! & 0x80 ? undefined : v;
}

/** Dotted form of an OBJECT IDENTIFIER. */
export function oid(b: Uint8Array, n: Node): string | undefined {
  if (n.tag !== TAG.OID || n.end === n.body || n.end - n.body > 64) return undefined;
  const parts: number[] = [];
  let v = 0;
  for (let i = n.body; i < n.end; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if (!(b[i]! & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  const first = parts.shift();
  if (first === undefined) return undefined;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...parts].join(".");
}
