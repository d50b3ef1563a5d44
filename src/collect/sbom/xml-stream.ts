// A small streaming XML tokenizer: text arrives in chunks and comes out as open, close and text
// events with namespaces resolved, so a 100 MB document never becomes a DOM. It checks what a
// reader relies on (tags nest and match, attributes are quoted, entities are known, one root) and
// reports the line and column of the first fault. DTDs are skipped, never expanded.

import type { Pos } from "./json-stream.js";

export interface XmlElement {
  /** Local name, without prefix. */
  local: string;
  /** Namespace URI ("" when none). */
  ns: string;
  /** The name as written. */
  qname: string;
  /** Attributes by name as written, values decoded. */
  attrs: Record<string, string>;
  pos: Pos;
}

export interface XmlHandler {
  open(el: XmlElement): void;
  close(el: XmlElement): void;
  /** Character data (text and CDATA) inside an element, decoded. */
  text(text: string, pos: Pos): void;
}

export class XmlSyntaxError extends Error {
  override name = "XmlSyntaxError";
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly col: number,
    /** The open elements: "/bom/components/component". */
    readonly path: string,
  ) {
    super(`${line}:${col}: ${reason} (in ${path})`);
  }
}

const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

interface Open {
  el: XmlElement;
  /** Prefix -> namespace declared on this element. */
  scope: Map<string, string> | undefined;
}

export interface XmlStreamOptions {
  /** The longest single tag or text run accepted, in characters. */
  maxToken?: number;
}

export class XmlStream {
  private buf = "";
  private i = 0;
  private base = 0;
  private line = 1;
  private lineStart = 0;
  /** Start of the token being read. */
  private tok = 0;
  private stack: Open[] = [];
  private rootSeen = false;
  private stopped = false;
  private readonly maxToken: number;

  constructor(
    private readonly handler: XmlHandler,
    opts: XmlStreamOptions = {},
  ) {
    this.maxToken = opts.maxToken ?? 64 * 1024 * 1024;
  }

  stop(): void {
    this.stopped = true;
  }

  write(chunk: string): void {
    if (this.stopped) return;
    this.buf = this.i < this.buf.length ? this.buf.slice(this.i) + chunk : chunk;
    this.base += this.i;
    this.i = 0;
    this.tok = 0;
    this.run(false);
  }

  end(): void {
    if (this.stopped) return;
    this.run(true);
    if (this.stopped) return;
    this.tok = this.i;
    const top = this.stack[this.stack.length - 1];
    if (top)
      this.fail(
        `unexpected end of input: <${top.el.qname}> opened at ${top.el.pos.line}:${top.el.pos.col} is not closed`,
        this.buf.length,
      );
    if (!this.rootSeen) this.fail("no root element", this.buf.length);
  }

  /** The position of buf[at], at or after the token being read (line and lineStart are exact there). */
  private pos(at: number): Pos {
    let line = this.line;
    let lineStart = this.lineStart;
    for (let k = this.tok; k < at; k++) {
      if (this.buf.charCodeAt(k) === 10) {
        line++;
        lineStart = this.base + k + 1;
      }
    }
    return { line, col: this.base + at - lineStart + 1 };
  }

  private fail(reason: string, at: number): never {
    const p = this.pos(at);
    throw new XmlSyntaxError(reason, p.line, p.col, "/" + this.stack.map((o) => o.el.qname).join("/"));
  }

  /** Moves past buf[from, to), counting lines. */
  private advance(from: number, to: number): void {
    const buf = this.buf;
    for (let k = from; k < to; k++) {
      if (buf.charCodeAt(k) === 10) {
        this.line++;
        this.lineStart = this.base + k + 1;
      }
    }
  }

  private run(final: boolean): void {
    const buf = this.buf;
    const n = buf.length;
    let i = this.i;
    while (i < n && !this.stopped) {
      this.tok = i;
      if (buf.charCodeAt(i) !== 60) {
        // text up to the next tag
        let j = buf.indexOf("<", i);
        if (j < 0) {
          if (!final) {
            if (n - i > this.maxToken) this.fail(`a text run longer than ${this.maxToken} characters`, i);
            break;
          }
          j = n;
        }
        const raw = buf.slice(i, j);
        if (this.stack.length) this.handler.text(this.decode(raw, i), this.pos(i));
        else if (/\S/.test(raw)) this.fail("text outside the root element", i + raw.search(/\S/));
        this.advance(i, j);
        i = j;
        continue;
      }
      // a markup construct: find where it ends
      let end: number;
      let kind: "pi" | "comment" | "cdata" | "doctype" | "end" | "start";
      if (buf.startsWith("<?", i)) {
        kind = "pi";
        end = buf.indexOf("?>", i + 2);
        if (end >= 0) end += 2;
      } else if (buf.startsWith("<!--", i)) {
        kind = "comment";
        end = buf.indexOf("-->", i + 4);
        if (end >= 0) end += 3;
      } else if (buf.startsWith("<![CDATA[", i)) {
        kind = "cdata";
        end = buf.indexOf("]]>", i + 9);
        if (end >= 0) end += 3;
      } else if (buf.startsWith("<!", i)) {
        if (n - i < 9 && !final && "<![CDATA[".startsWith(buf.slice(i))) break;
        if (n - i < 4 && !final && "<!--".startsWith(buf.slice(i))) break;
        kind = "doctype";
        end = this.doctypeEnd(i);
      } else {
        kind = buf.charCodeAt(i + 1) === 47 ? "end" : "start";
        end = this.tagEnd(i);
      }
      if (end < 0) {
        if (final) this.fail(`unexpected end of input inside ${kind === "start" ? "a tag" : kind}`, n);
        if (n - i > this.maxToken) this.fail(`markup longer than ${this.maxToken} characters`, i);
        break;
      }
      const at = this.pos(i);
      switch (kind) {
        case "cdata":
          if (!this.stack.length) this.fail("CDATA outside the root element", i);
          this.handler.text(buf.slice(i + 9, end - 3), at);
          break;
        case "end":
          this.closeTag(buf.slice(i + 2, end - 1).trim(), i);
          break;
        case "start":
          this.startTag(buf.slice(i + 1, end - 1), i, at);
          break;
        default:
          break;
      }
      this.advance(i, end);
      i = end;
    }
    this.i = i;
  }

  /** The index after the '>' closing a tag opened at i, outside quoted attribute values; -1 if not yet read. */
  private tagEnd(i: number): number {
    const buf = this.buf;
    let quote = 0;
    for (let k = i + 1; k < buf.length; k++) {
      const c = buf.charCodeAt(k);
      if (quote) {
        if (c === quote) quote = 0;
      } else if (c === 34 || c === 39) quote = c;
      else if (c === 62) return k + 1;
      else if (c === 60) this.fail("'<' inside a tag", k);
    }
    return -1;
  }

  /** The end of <!DOCTYPE ...> including an internal subset in brackets. */
  private doctypeEnd(i: number): number {
    const buf = this.buf;
    let depth = 0;
    let quote = 0;
    for (let k = i + 2; k < buf.length; k++) {
      const c = buf.charCodeAt(k);
      if (quote) {
        if (c === quote) quote = 0;
      } else if (c === 34 || c === 39) quote = c;
      else if (c === 91) depth++;
      else if (c === 93) depth--;
      else if (c === 62 && depth <= 0) return k + 1;
    }
    return -1;
  }

  private decode(s: string, at: number): string {
    if (s.indexOf("&") < 0) return s;
    return s.replace(/&([^;&\s]*);?/g, (m: string, name: string, off: number) => {
      if (!m.endsWith(";")) this.fail("'&' not starting an entity reference", at + off);
      if (name.startsWith("#x") || name.startsWith("#X")) {
        const cp = /^[0-9A-Fa-f]+$/.test(name.slice(2)) ? parseInt(name.slice(2), 16) : NaN;
        if (!(cp >= 0 && cp <= 0x10ffff)) this.fail(`invalid character reference &${name};`, at + off);
        return String.fromCodePoint(cp);
      }
      if (name.startsWith("#")) {
        const cp = /^[0-9]+$/.test(name.slice(1)) ? parseInt(name.slice(1), 10) : NaN;
        if (!(cp >= 0 && cp <= 0x10ffff)) this.fail(`invalid character reference &${name};`, at + off);
        return String.fromCodePoint(cp);
      }
      const v = NAMED[name];
      if (v === undefined) this.fail(`unknown entity &${name};`, at + off);
      return v;
    });
  }

  private resolve(prefix: string, at: number, isAttr = false): string {
    if (prefix === "xml") return "http://www.w3.org/XML/1998/namespace";
    if (isAttr && prefix === "") return "";
    for (let k = this.stack.length - 1; k >= 0; k--) {
      const ns = this.stack[k]!.scope?.get(prefix);
      if (ns !== undefined) return ns;
    }
    if (prefix === "") return "";
    return this.fail(`undeclared namespace prefix '${prefix}'`, at);
  }

  private startTag(body: string, i: number, at: Pos): void {
    const selfClosing = body.endsWith("/");
    if (selfClosing) body = body.slice(0, -1);
    const m = /^[^\s/>=]+/.exec(body);
    if (!m) this.fail("a tag without a name", i + 1);
    const qname = m[0];
    const attrs: Record<string, string> = {};
    let scope: Map<string, string> | undefined;
    const re = /\s+([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/gy;
    let k = qname.length;
    re.lastIndex = k;
    for (;;) {
      const a = re.exec(body);
      if (!a) break;
      k = re.lastIndex;
      const name = a[1]!;
      if (Object.prototype.hasOwnProperty.call(attrs, name))
        this.fail(`attribute ${name} given twice`, i + 1 + a.index);
      const value = this.decode(a[2] ?? a[3] ?? "", i + 1 + a.index);
      attrs[name] = value;
      if (name === "xmlns" || name.startsWith("xmlns:")) {
        scope ??= new Map();
        scope.set(name === "xmlns" ? "" : name.slice(6), value);
      }
    }
    if (body.slice(k).trim() !== "") this.fail(`malformed attribute in <${qname}>`, i + 1 + k);
    if (!this.stack.length && this.rootSeen) this.fail("a second root element", i);
    const colon = qname.indexOf(":");
    const prefix = colon > 0 ? qname.slice(0, colon) : "";
    const local = colon > 0 ? qname.slice(colon + 1) : qname;
    const open: Open = { el: { local, ns: "", qname, attrs, pos: at }, scope };
    this.stack.push(open);
    this.rootSeen = true;
    open.el.ns = this.resolve(prefix, i + 1);
    this.handler.open(open.el);
    if (selfClosing) {
      this.stack.pop();
      this.handler.close(open.el);
    }
  }

  private closeTag(qname: string, i: number): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) this.fail(`closing tag </${qname}> without an open element`, i);
    if (top.el.qname !== qname)
      this.fail(
        `closing tag </${qname}> does not match <${top.el.qname}> opened at ${top.el.pos.line}:${top.el.pos.col}`,
        i,
      );
    this.stack.pop();
    this.handler.close(top.el);
  }
}
