// An incremental JSON parser for documents too large to hold: text arrives in chunks, and a sink
// decides, value by value, which parts to build as objects (collect), which to walk into without
// building (descend) and which to pass over (skip). A collected object may carve out some of its
// members (a CycloneDX component's nested `components`), so a deep tree streams out one record at a
// time while each record stays small. Positions (line and column, 1-based, columns counted in
// UTF-16 units) are kept for every member of a collected object, for error messages that point at
// the field. Errors are exact: the message names the position and the JSON path where it happened.

export interface Pos {
  line: number;
  col: number;
}

export type PathSeg = string | number;
export type ValueKind = "object" | "array" | "string" | "number" | "boolean" | "null";

/** Pass over the value. */
export const SKIP = 0;
/** Build the value; it is attached to its collected parent or handed to the sink. */
export const COLLECT = 1;
/** Do not build the value; ask the sink about each of its members. */
export const DESCEND = 2;
/** Build the object, but ask the sink about each member: DESCEND carves a member out of it. */
export const CARVE = 3;
export type Mode = typeof SKIP | typeof COLLECT | typeof DESCEND | typeof CARVE;

export interface JsonSink {
  /** Called when a value starts at `path` (the root, members of DESCEND values, members of CARVE objects). */
  enter(path: readonly PathSeg[], kind: ValueKind): Mode;
  /** A collected value whose parent is not collected, complete. */
  value(path: readonly PathSeg[], value: unknown, at: Pos): void;
}

export class JsonSyntaxError extends Error {
  override name = "JsonSyntaxError";
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly col: number,
    readonly path: string,
  ) {
    super(`${line}:${col}: ${reason} (at ${path})`);
  }
}

const POSITIONS = Symbol("positions");
type Positioned = { [POSITIONS]?: Map<string, Pos> };

/** Where a member of a collected object (or element of a collected array, by index) started. */
export function positionOf(container: unknown, key: string | number): Pos | undefined {
  if (typeof container !== "object" || container === null) return undefined;
  return (container as Positioned)[POSITIONS]?.get(String(key));
}

/** Records where a member started (for objects built by other readers, e.g. from XML). */
export function setPosition(container: object, key: string | number, pos: Pos): void {
  const c = container as Positioned;
  let m = c[POSITIONS];
  if (!m) {
    m = new Map();
    Object.defineProperty(c, POSITIONS, { value: m, enumerable: false });
  }
  m.set(String(key), pos);
}

/** "$.components[3].purl" */
export function formatPath(path: readonly PathSeg[]): string {
  let s = "$";
  for (const p of path) {
    if (typeof p === "number") s += `[${p}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(p)) s += `.${p}`;
    else s += `[${JSON.stringify(p)}]`;
  }
  return s;
}

// Parser states.
const S_VALUE = 0; // a value must follow (root, after ':' or an array's ',')
const S_VALUE_OR_END = 1; // after '['
const S_KEY_OR_END = 2; // after '{'
const S_KEY = 3; // after an object's ','
const S_COLON = 4; // after a member name
const S_COMMA_OR_END = 5; // after a member or element
const S_DONE = 6; // the root value is complete

interface Frame {
  isObj: boolean;
  mode: Mode;
  /** Whether, when complete, the value joins its parent's value (else it goes to the sink). */
  attach: boolean;
  value: Record<string, unknown> | unknown[] | undefined;
  index: number;
  start: Pos;
}

const LITERALS: Record<number, [string, unknown, ValueKind]> = {
  116: ["true", true, "boolean"],
  102: ["false", false, "boolean"],
  110: ["null", null, "null"],
};

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function describeChar(c: number): string {
  if (c < 32 || c === 127) return `character U+${c.toString(16).toUpperCase().padStart(4, "0")}`;
  return `'${String.fromCharCode(c)}'`;
}

function setMember(obj: Record<string, unknown>, key: string, v: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
  else obj[key] = v;
}

export interface JsonStreamOptions {
  /** The longest single token (a string or number) accepted, in characters. */
  maxToken?: number;
}

export class JsonStream {
  private buf = "";
  private i = 0;
  /** Absolute offset of buf[0]. */
  private base = 0;
  private line = 1;
  private lineStart = 0;
  private state = S_VALUE;
  private frames: Frame[] = [];
  private path: PathSeg[] = [];
  /** Resume point inside an incomplete string, relative to its opening quote. */
  private strResume = 0;
  private strEscape = false;
  private stopped = false;
  /** Start of the value being entered, for the sink's messages. */
  private tokAt = 0;
  private readonly maxToken: number;

  constructor(
    private readonly sink: JsonSink,
    opts: JsonStreamOptions = {},
  ) {
    this.maxToken = opts.maxToken ?? 64 * 1024 * 1024;
  }

  /** Stops parsing: later chunks are ignored and end() does not complain. */
  stop(): void {
    this.stopped = true;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  write(chunk: string): void {
    if (this.stopped) return;
    if (this.i < this.buf.length) this.buf = this.buf.slice(this.i) + chunk;
    else this.buf = chunk;
    this.base += this.i;
    this.i = 0;
    this.run(false);
  }

  end(): void {
    if (this.stopped) return;
    this.run(true);
    if (this.stopped) return;
    if (this.state !== S_DONE) {
      const top = this.frames[this.frames.length - 1];
      const what = top
        ? `: the ${top.isObj ? "object" : "array"} opened at ${top.start.line}:${top.start.col} is not closed`
        : "";
      this.fail(`unexpected end of input${what}`, this.buf.length);
    }
  }

  private pos(at: number): Pos {
    return { line: this.line, col: this.base + at - this.lineStart + 1 };
  }

  /** Where the value the sink is being asked about starts. */
  currentPos(): Pos {
    return this.pos(this.tokAt);
  }

  private fail(reason: string, at: number): never {
    const p = this.pos(at);
    // between members the last segment names the member before: the error is in the object
    const inKey = this.state === S_KEY || this.state === S_KEY_OR_END;
    throw new JsonSyntaxError(reason, p.line, p.col, formatPath(inKey ? this.path.slice(0, -1) : this.path));
  }

  private run(final: boolean): void {
    const buf = this.buf;
    const n = buf.length;
    let i = this.i;
    while (i < n && !this.stopped) {
      const c = buf.charCodeAt(i);
      if (c === 32 || c === 9 || c === 13) {
        i++;
        continue;
      }
      if (c === 10) {
        i++;
        this.line++;
        this.lineStart = this.base + i;
        continue;
      }
      const state = this.state;
      if (c === 34) {
        // a string: a member name or a value
        let j = i + 1 + this.strResume;
        let esc = this.strEscape;
        let done = false;
        while (j < n) {
          const d = buf.charCodeAt(j);
          if (d === 34) {
            done = true;
            break;
          }
          if (d === 92) {
            if (j + 1 >= n) break;
            esc = true;
            j += 2;
            continue;
          }
          if (d < 32) this.fail(`${describeChar(d)} inside a string`, j);
          j++;
        }
        if (!done) {
          if (final) this.fail("unexpected end of input inside a string", n);
          if (j - i > this.maxToken) this.fail(`a string longer than ${this.maxToken} characters`, i);
          this.strResume = j - i - 1;
          this.strEscape = esc;
          break;
        }
        this.strResume = 0;
        this.strEscape = false;
        const s = esc ? this.unescape(buf, i + 1, j) : buf.slice(i + 1, j);
        if (state === S_KEY_OR_END || state === S_KEY) {
          this.path[this.path.length - 1] = s;
          this.state = S_COLON;
        } else {
          this.scalar("string", s, i);
        }
        i = j + 1;
        continue;
      }
      if (c === 123 || c === 91) {
        if (state !== S_VALUE && state !== S_VALUE_OR_END) this.unexpected(c, i);
        this.open(c === 123, i);
        i++;
        continue;
      }
      if (c === 125 || c === 93) {
        const top = this.frames[this.frames.length - 1];
        const isObj = c === 125;
        const ok =
          top !== undefined &&
          top.isObj === isObj &&
          (state === S_COMMA_OR_END || (isObj ? state === S_KEY_OR_END : state === S_VALUE_OR_END));
        if (!ok) this.unexpected(c, i);
        this.close();
        i++;
        continue;
      }
      if (c === 44) {
        if (state !== S_COMMA_OR_END) this.unexpected(c, i);
        this.state = this.frames[this.frames.length - 1]!.isObj ? S_KEY : S_VALUE;
        i++;
        continue;
      }
      if (c === 58) {
        if (state !== S_COLON) this.unexpected(c, i);
        this.state = S_VALUE;
        i++;
        continue;
      }
      if (c === 45 || (c >= 48 && c <= 57)) {
        if (state !== S_VALUE && state !== S_VALUE_OR_END) this.unexpected(c, i);
        let j = i + 1;
        while (j < n) {
          const d = buf.charCodeAt(j);
          if ((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45) j++;
          else break;
        }
        if (j >= n && !final) {
          if (j - i > this.maxToken) this.fail(`a number longer than ${this.maxToken} characters`, i);
          break;
        }
        const text = buf.slice(i, j);
        if (!NUMBER.test(text)) this.fail(`invalid number ${JSON.stringify(text)}`, i);
        this.scalar("number", Number(text), i);
        i = j;
        continue;
      }
      const lit = LITERALS[c];
      if (lit && (state === S_VALUE || state === S_VALUE_OR_END)) {
        const [word, v, kind] = lit;
        if (n - i < word.length && !final && word.startsWith(buf.slice(i))) break;
        if (!buf.startsWith(word, i)) {
          let k = 0;
          while (k < word.length && buf.charCodeAt(i + k) === word.charCodeAt(k)) k++;
          if (i + k >= n) this.fail("unexpected end of input inside a literal", n);
          this.fail(`invalid literal: expected '${word}'`, i + k);
        }
        this.scalar(kind, v, i);
        i += word.length;
        continue;
      }
      this.unexpected(c, i);
    }
    this.i = i;
  }

  private unexpected(c: number, at: number): never {
    const ch = describeChar(c);
    const top = this.frames[this.frames.length - 1];
    switch (this.state) {
      case S_VALUE:
        return this.fail(`unexpected ${ch}: expected a value`, at);
      case S_VALUE_OR_END:
        return this.fail(`unexpected ${ch}: expected a value or ']'`, at);
      case S_KEY_OR_END:
        return this.fail(`unexpected ${ch}: expected a property name or '}'`, at);
      case S_KEY:
        return this.fail(`unexpected ${ch}: expected a property name in double quotes`, at);
      case S_COLON:
        return this.fail(`unexpected ${ch}: expected ':' after the property name`, at);
      case S_COMMA_OR_END:
        return this.fail(
          top?.isObj
            ? `unexpected ${ch}: expected ',' or '}' after a property value`
            : `unexpected ${ch}: expected ',' or ']' after an array element`,
          at,
        );
      default:
        return this.fail(`unexpected ${ch} after the end of the document`, at);
    }
  }

  private unescape(buf: string, from: number, to: number): string {
    let out = "";
    let k = from;
    while (k < to) {
      const bs = buf.indexOf("\\", k);
      if (bs < 0 || bs >= to) {
        out += buf.slice(k, to);
        break;
      }
      out += buf.slice(k, bs);
      const e = buf.charCodeAt(bs + 1);
      switch (e) {
        case 34:
          out += '"';
          break;
        case 92:
          out += "\\";
          break;
        case 47:
          out += "/";
          break;
        case 98:
          out += "\b";
          break;
        case 102:
          out += "\f";
          break;
        case 110:
          out += "\n";
          break;
        case 114:
          out += "\r";
          break;
        case 116:
          out += "\t";
          break;
        case 117: {
          const hex = buf.slice(bs + 2, bs + 6);
          if (bs + 6 > to || !/^[0-9A-Fa-f]{4}$/.test(hex)) this.fail("invalid \\u escape", bs);
          out += String.fromCharCode(parseInt(hex, 16));
          k = bs + 6;
          continue;
        }
        default:
          this.fail(`invalid escape '\\${String.fromCharCode(e)}'`, bs);
      }
      k = bs + 2;
    }
    return out;
  }

  /** The mode of a value starting in the current container, and whether it joins its parent. */
  private modeOf(kind: ValueKind): [Mode, boolean] {
    const parent = this.frames[this.frames.length - 1];
    if (!parent) return [this.sink.enter(this.path, kind), false];
    switch (parent.mode) {
      case SKIP:
        return [SKIP, false];
      case COLLECT:
        return [COLLECT, true];
      case DESCEND:
        return [this.sink.enter(this.path, kind), false];
      default: {
        const m = this.sink.enter(this.path, kind);
        return [m, m === COLLECT || m === CARVE];
      }
    }
  }

  /** Before a value in an array: its index becomes the last path segment. */
  private element(): void {
    const top = this.frames[this.frames.length - 1];
    if (top && !top.isObj) this.path[this.path.length - 1] = top.index++;
  }

  private scalar(kind: ValueKind, v: unknown, at: number): void {
    this.element();
    this.tokAt = at;
    const [mode, attach] = this.modeOf(kind);
    if (mode === COLLECT || mode === CARVE) {
      const p = this.pos(at);
      if (attach) this.attach(v, p);
      else this.sink.value(this.path, v, p);
    }
    this.state = this.frames.length ? S_COMMA_OR_END : S_DONE;
  }

  private open(isObj: boolean, at: number): void {
    this.element();
    this.tokAt = at;
    const [mode, attach] = this.modeOf(isObj ? "object" : "array");
    const building = mode === COLLECT || mode === CARVE;
    this.frames.push({
      isObj,
      mode: !isObj && mode === CARVE ? COLLECT : mode,
      attach,
      value: building ? (isObj ? {} : []) : undefined,
      index: 0,
      start: this.pos(at),
    });
    this.path.push(isObj ? "" : 0);
    this.state = isObj ? S_KEY_OR_END : S_VALUE_OR_END;
  }

  private close(): void {
    const f = this.frames.pop()!;
    this.path.pop();
    if (f.value !== undefined) {
      if (f.attach) this.attach(f.value, f.start);
      else this.sink.value(this.path, f.value, f.start);
    }
    this.state = this.frames.length ? S_COMMA_OR_END : S_DONE;
  }

  private attach(v: unknown, p: Pos): void {
    const parent = this.frames[this.frames.length - 1]!;
    const key = this.path[this.path.length - 1]!;
    if (parent.isObj) setMember(parent.value as Record<string, unknown>, key as string, v);
    else (parent.value as unknown[]).push(v);
    setPosition(parent.value!, key, p);
  }
}

/** Parses a whole document held in memory, keeping positions; throws JsonSyntaxError. */
export function parseJsonWithPositions(text: string): unknown {
  let root: unknown;
  const s = new JsonStream({
    enter: () => COLLECT,
    value: (_p, v) => {
      root = v;
    },
  });
  s.write(text);
  s.end();
  return root;
}
