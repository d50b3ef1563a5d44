// A strict JSON reader (RFC 8259) that remembers where every value starts, so a schema problem can
// name its line. JSON.parse cannot: it only knows values. Depth is bounded so a hostile document
// of nested brackets cannot exhaust the stack.

export interface Located {
  value: unknown;
  /** "line:col" of the value at each path ("" is the root; "a/0/b" a nested value). */
  at: Map<string, { line: number; col: number }>;
}

export class JsonSyntaxError extends Error {
  override name = "JsonSyntaxError";
  constructor(
    message: string,
    readonly line: number,
    readonly col: number,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 64;

export function parseJsonLocated(text: string): Located {
  const at = new Map<string, { line: number; col: number }>();
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const pos = () => ({ line, col: i - lineStart + 1 });
  const fail = (msg: string): never => {
    const p = pos();
    throw new JsonSyntaxError(msg, p.line, p.col);
  };
  const ws = () => {
    for (;;) {
      const c = text[i];
      if (c === "\n") {
        i++;
        line++;
        lineStart = i;
      } else if (c === " " || c === "\t" || c === "\r") i++;
      else return;
    }
  };
  const str = (): string => {
    i++; // opening quote
    let out = "";
    for (;;) {
      const c = text[i];
      if (c === undefined) return fail("unterminated string");
      if (c === '"') {
        i++;
        return out;
      }
      if (c === "\\") {
        const e = text[i + 1];
        const map: Record<string, string> = {
          '"': '"',
          "\\": "\\",
          "/": "/",
          b: "\b",
          f: "\f",
          n: "\n",
          r: "\r",
          t: "\t",
        };
        if (e === "u") {
          const h = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(h)) fail("bad \\u escape");
          out += String.fromCharCode(parseInt(h, 16));
          i += 6;
        } else if (e !== undefined && map[e] !== undefined) {
          out += map[e];
          i += 2;
        } else fail(`bad escape \\${e ?? ""}`);
        continue;
      }
      if (c < " ") fail("control character in a string");
      out += c;
      i++;
    }
  };
  const value = (path: string, depth: number): unknown => {
    if (depth > MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`);
    ws();
    at.set(path, pos());
    const c = text[i];
    const child = (k: string | number) => (path === "" ? String(k) : `${path}/${k}`);
    if (c === "{") {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === "}") {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("expected a property name in double quotes");
        const k = str();
        ws();
        if (text[i] !== ":") fail('expected ":" after a property name');
        i++;
        if (Object.prototype.hasOwnProperty.call(obj, k)) fail(`duplicate property "${k}"`);
        obj[k] = value(child(k), depth + 1);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return obj;
        }
        fail('expected "," or "}"');
      }
    }
    if (c === "[") {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(child(arr.length), depth + 1));
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return arr;
        }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') return str();
    const lit = /^(true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i, i + 64));
    if (!lit) fail(c === undefined ? "unexpected end of the document" : `unexpected "${c}"`);
    i += lit![0].length;
    return lit![1] === "true"
      ? true
      : lit![1] === "false"
        ? false
        : lit![1] === "null"
          ? null
          : Number(lit![0]);
  };
  const v = value("", 0);
  ws();
  if (i < text.length) fail("unexpected text after the JSON value");
  return { value: v, at };
}
