// A streaming reader for the big JSON feeds (an NVD dump is gigabytes): it hands over the elements
// of one top-level array one at a time, as text, and parses the other top-level members (small:
// "format", "version", "catalogVersion") whole. Only brackets and string boundaries are tracked,
// so memory stays at one record whatever the file size. A file that ends before its JSON does is
// reported as truncated.

export class TruncatedError extends Error {
  override name = "TruncatedError";
}

export class JsonShapeError extends Error {
  override name = "JsonShapeError";
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_OBJ = 123;
const CLOSE_OBJ = 125;
const OPEN_ARR = 91;
const CLOSE_ARR = 93;
const COMMA = 44;
const COLON = 58;

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

export interface ArrayScannerOptions {
  /**
   * The top-level member whose array to stream ("vulnerabilities"), or null when the document itself
   * is the array (a list of OSV records).
   */
  key: string | null;
  onElement: (text: string, index: number) => void;
}

type Capture = "none" | "key" | "string" | "container" | "scalar" | "element";

/**
 * Feed text with push(), then call end(). Elements of the chosen array go to onElement as they
 * complete; header() gives the other top-level members.
 */
export class ArrayScanner {
  private readonly key: string | null;
  private readonly onElement: (text: string, index: number) => void;
  private depth = 0;
  private inString = false;
  private escape = false;
  private expect: "key" | "colon" | "value" | "comma" = "key";
  private currentKey = "";
  private capture: Capture = "none";
  /** Depth of the container holding the captured value. */
  private captureDepth = 0;
  /** Text of the capture in progress from earlier chunks. */
  private parts: string[] = [];
  private inArray = false;
  private sawArray = false;
  private started = false;
  private finished = false;
  private elements = 0;
  private position = 0;
  private readonly members: Record<string, unknown> = {};

  constructor(opts: ArrayScannerOptions) {
    this.key = opts.key;
    this.onElement = opts.onElement;
  }

  /** Elements delivered so far. */
  get count(): number {
    return this.elements;
  }

  /** Whether the streamed array was found. */
  get foundArray(): boolean {
    return this.sawArray;
  }

  /** The top-level members other than the streamed array. */
  header(): Record<string, unknown> {
    return this.members;
  }

  private where(i: number): string {
    return `at character ${this.position + i}`;
  }

  push(s: string): void {
    const n = s.length;
    let start = 0;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === BACKSLASH) this.escape = true;
        else if (c === QUOTE) {
          this.inString = false;
          if ((this.capture === "key" || this.capture === "string") && this.depth === this.captureDepth) {
            this.finish(s, start, i + 1);
          }
        }
        continue;
      }
      if (this.capture === "scalar") {
        if (c !== COMMA && c !== CLOSE_OBJ && c !== CLOSE_ARR && !isSpace(c)) continue;
        this.finish(s, start, i); // then handle c as structure below
      }
      if (isSpace(c)) continue;
      if (this.capture !== "none") {
        if (c === QUOTE) this.inString = true;
        else if (c === OPEN_OBJ || c === OPEN_ARR) this.depth++;
        else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
          this.depth--;
          if (this.depth === this.captureDepth) this.finish(s, start, i + 1);
        }
        continue;
      }
      if (this.finished)
        throw new JsonShapeError(`unexpected text after the end of the JSON ${this.where(i)}`);
      if (this.depth === 0) {
        this.started = true;
        if (this.key === null) {
          if (c !== OPEN_ARR) throw new JsonShapeError("expected a JSON array of records");
          this.depth = 1;
          this.inArray = this.sawArray = true;
        } else {
          if (c !== OPEN_OBJ) throw new JsonShapeError("expected a JSON object");
          this.depth = 1;
          this.expect = "key";
        }
        continue;
      }
      if (this.inArray) {
        if (c === COMMA) continue;
        if (c === CLOSE_ARR) {
          this.inArray = false;
          this.depth--;
          if (this.depth === 0) this.finished = true;
          else this.expect = "comma";
          continue;
        }
        if (c !== OPEN_OBJ) {
          throw new JsonShapeError(`array element ${this.elements} ${this.where(i)} is not an object`);
        }
        this.begin("element");
        start = i;
        this.depth++;
        continue;
      }
      // depth 1 of the top-level object
      switch (this.expect) {
        case "key":
          if (c === CLOSE_OBJ) {
            this.depth = 0;
            this.finished = true;
          } else if (c === QUOTE) {
            this.begin("key");
            start = i;
            this.inString = true;
          } else throw new JsonShapeError(`expected a member name ${this.where(i)}`);
          break;
        case "colon":
          if (c !== COLON) throw new JsonShapeError(`expected ":" ${this.where(i)}`);
          this.expect = "value";
          break;
        case "comma":
          if (c === COMMA) this.expect = "key";
          else if (c === CLOSE_OBJ) {
            this.depth = 0;
            this.finished = true;
          } else throw new JsonShapeError(`expected "," or "}" ${this.where(i)}`);
          break;
        case "value":
          start = i;
          if (this.currentKey === this.key && c === OPEN_ARR) {
            this.depth = 2;
            this.inArray = this.sawArray = true;
          } else if (c === QUOTE) {
            this.begin("string");
            this.inString = true;
          } else if (c === OPEN_OBJ || c === OPEN_ARR) {
            this.begin("container");
            this.depth++;
          } else {
            this.begin("scalar");
          }
          break;
      }
    }
    if (this.capture !== "none") this.parts.push(s.slice(start));
    this.position += n;
  }

  private begin(kind: Capture): void {
    this.capture = kind;
    this.captureDepth = this.depth;
    this.parts = [];
  }

  private finish(s: string, start: number, end: number): void {
    this.parts.push(s.slice(start, end));
    const text = this.parts.join("");
    this.parts = [];
    const kind = this.capture;
    this.capture = "none";
    if (kind === "element") {
      this.onElement(text, this.elements++);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new JsonShapeError(
        kind === "key" ? `a member name is not valid JSON` : `member "${this.currentKey}" is not valid JSON`,
      );
    }
    if (kind === "key") {
      this.currentKey = value as string;
      this.expect = "colon";
    } else {
      this.members[this.currentKey] = value;
      this.expect = "comma";
    }
  }

  end(): void {
    if (this.capture === "scalar" && this.depth === 1) {
      // "{"a": 1" cut after the number: still truncated, the object never closed.
      this.capture = "none";
    }
    if (!this.finished) {
      throw new TruncatedError(
        this.started
          ? `the file ends inside the JSON at character ${this.position}, after ${this.elements} complete record${this.elements === 1 ? "" : "s"} (truncated?)`
          : "the file is empty",
      );
    }
  }
}
