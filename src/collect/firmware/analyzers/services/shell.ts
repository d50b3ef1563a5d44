// A small reader of POSIX shell scripts, enough to tell which programs a boot script runs: it
// joins continued lines, drops comments and here-documents, splits commands on ; & && || | ( ),
// removes redirections, case patterns and keywords, and expands variables assigned earlier in the
// same script. It never executes anything and is linear in the size of the script.

export interface ShellCommand {
  /** Words of one simple command, quotes removed, known variables expanded. */
  words: string[];
  /** 1-based line where the (possibly continued) line starts. */
  line: number;
  /** The whole logical line without its comment, for pipeline heuristics. */
  text: string;
}

type Token = { op: string } | { word: string };

/** Longest logical line read; longer ones are cut (no real init script comes close). */
const MAX_LINE = 64 * 1024;
const MAX_CONTINUED = 1000;
const KEYWORDS = new Set(["if", "then", "else", "elif", "do", "while", "until", "!", "{", "}", "time"]);
const CLOSERS = new Set(["fi", "done", "esac"]);
const HEADERS = new Set(["for", "case", "select", "function"]);
const DECLARE = new Set(["export", "local", "readonly", "declare", "typeset"]);
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

export function parseShell(text: string, initialVars?: ReadonlyMap<string, string>): ShellCommand[] {
  const vars = new Map(initialVars ?? []);
  const lines = text.split(/\r?\n/);
  const out: ShellCommand[] = [];
  const heredocs: { delim: string; stripTabs: boolean }[] = [];
  for (let i = 0; i < lines.length; i++) {
    let raw = lines[i]!;
    const lineNo = i + 1;
    if (heredocs.length > 0) {
      const h = heredocs[0]!;
      if ((h.stripTabs ? raw.replace(/^\t+/, "") : raw) === h.delim) heredocs.shift();
      continue;
    }
    for (let n = 0; n < MAX_CONTINUED && endsWithContinuation(raw) && i + 1 < lines.length; n++) {
      raw = raw.slice(0, -1) + lines[++i]!;
      if (raw.length > MAX_LINE) break;
    }
    if (raw.length > MAX_LINE) raw = raw.slice(0, MAX_LINE);
    const { tokens, comment, heredocs: found } = tokenize(raw, vars);
    heredocs.push(...found);
    const lineText = comment === undefined ? raw : raw.slice(0, comment);
    for (const words of commandsOf(tokens)) {
      // Leading assignments are remembered (sequentially: later lines see earlier values).
      let k = 0;
      if (DECLARE.has(words[0]!)) k = 1;
      const start = k;
      while (k < words.length && ASSIGNMENT.test(words[k]!)) {
        const [, name, value] = ASSIGNMENT.exec(words[k]!)!;
        if (!value!.includes("$(") && !value!.includes("`")) vars.set(name!, value!);
        k++;
      }
      if (start === 1 && k === 1) continue; // "export NAME" alone
      const rest = start === 1 ? [] : words.slice(k);
      if (rest.length > 0) out.push({ words: rest, line: lineNo, text: lineText.trim() });
    }
  }
  return out;
}

function endsWithContinuation(line: string): boolean {
  let n = 0;
  for (let j = line.length - 1; j >= 0 && line[j] === "\\"; j--) n++;
  return n % 2 === 1;
}

/** Split tokens into simple commands, dropping keywords, loop/case headers and case patterns. */
function commandsOf(tokens: Token[]): string[][] {
  const segments: { words: string[]; pattern: boolean; endOp: string }[] = [];
  let current: string[] = [];
  let depth = 0;
  for (const t of tokens) {
    if ("word" in t) {
      current.push(t.word);
      continue;
    }
    const seg = { words: current, pattern: false, endOp: t.op };
    segments.push(seg);
    current = [];
    if (t.op === "(") depth++;
    else if (t.op === ")") {
      if (depth > 0) depth--;
      else {
        // ")" without "(" closes a case pattern: this segment and alternatives joined by "|".
        seg.pattern = true;
        for (let j = segments.length - 2; j >= 0 && segments[j]!.endOp === "|"; j--)
          segments[j]!.pattern = true;
      }
    }
  }
  segments.push({ words: current, pattern: false, endOp: "" });
  const out: string[][] = [];
  for (const s of segments) {
    if (s.pattern) continue;
    let w = s.words;
    while (w.length > 0 && KEYWORDS.has(w[0]!)) w = w.slice(1);
    if (w.length === 0 || HEADERS.has(w[0]!) || CLOSERS.has(w[0]!)) continue;
    // "name() {" defines a function: the name is not a command.
    if (s.endOp === "(" && w.length === 1) continue;
    out.push(w);
  }
  return out;
}

interface Tokenized {
  tokens: Token[];
  /** Offset where a comment starts, if any. */
  comment?: number;
  heredocs: { delim: string; stripTabs: boolean }[];
}

function tokenize(line: string, vars: ReadonlyMap<string, string>): Tokenized {
  const tokens: Token[] = [];
  const heredocs: { delim: string; stripTabs: boolean }[] = [];
  let word = "";
  let inWord = false;
  let i = 0;
  const n = line.length;
  const flush = () => {
    if (inWord) tokens.push({ word });
    word = "";
    inWord = false;
  };

  /** Read one word starting at i (used for redirection targets); returns the raw text. */
  const readWord = (): string => {
    let w = "";
    while (i < n && /\s/.test(line[i]!)) i++;
    while (i < n && !/[\s;&|()<>]/.test(line[i]!)) {
      const c = line[i]!;
      if (c === "'" || c === '"') {
        const end = line.indexOf(c, i + 1);
        w += line.slice(i + 1, end < 0 ? n : end);
        i = end < 0 ? n : end + 1;
      } else {
        w += c === "\\" ? (line[++i] ?? "") : c;
        i++;
      }
    }
    return w;
  };

  while (i < n) {
    const c = line[i]!;
    if (c === " " || c === "\t" || c === "\r") {
      flush();
      i++;
    } else if (c === "#" && !inWord) {
      flush();
      return { tokens, comment: i, heredocs };
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word += line.slice(i + 1, end < 0 ? n : end);
      inWord = true;
      i = end < 0 ? n : end + 1;
    } else if (c === '"') {
      i++;
      while (i < n && line[i] !== '"') {
        if (line[i] === "\\" && i + 1 < n && '"\\$`'.includes(line[i + 1]!)) {
          word += line[i + 1];
          i += 2;
        } else if (line[i] === "$") i = expand(line, i, vars, (s) => (word += s));
        else word += line[i++];
      }
      i++;
      inWord = true;
    } else if (c === "\\") {
      word += line[i + 1] ?? "";
      inWord = true;
      i += 2;
    } else if (c === "$") {
      i = expand(line, i, vars, (s) => (word += s));
      inWord = true;
    } else if (c === "`") {
      const end = line.indexOf("`", i + 1);
      word += line.slice(i, end < 0 ? n : end + 1);
      inWord = true;
      i = end < 0 ? n : end + 1;
    } else if (c === "<" || c === ">" || (c === "&" && line[i + 1] === ">")) {
      // A redirection: an fd number just before it belongs to it, and its target is dropped.
      if (inWord && /^\d+$/.test(word)) {
        word = "";
        inWord = false;
      }
      flush();
      const op = /^(<<<|<<-|<<|>>|>&|<&|>\||&>>|&>|<>|<|>)/.exec(line.slice(i))![0];
      i += op.length;
      const target = readWord();
      if (op === "<<" || op === "<<-") heredocs.push({ delim: target, stripTabs: op === "<<-" });
    } else if (";&|()".includes(c)) {
      flush();
      const two = line.slice(i, i + 2);
      const op = two === ";;" || two === "&&" || two === "||" ? two : c;
      tokens.push({ op });
      i += op.length;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  flush();
  return { tokens, heredocs };
}

/** Expand "$NAME", "${NAME}", "${NAME:-default}" at line[i] === "$"; returns the next index. */
function expand(
  line: string,
  i: number,
  vars: ReadonlyMap<string, string>,
  put: (s: string) => void,
): number {
  const rest = line.slice(i, i + 512);
  if (rest.startsWith("$(")) {
    // Command substitution: kept as written (balanced parentheses), never run.
    let depth = 0;
    let j = i + 1;
    for (; j < line.length; j++) {
      if (line[j] === "(") depth++;
      else if (line[j] === ")" && --depth === 0) break;
    }
    put(line.slice(i, j + 1));
    return j + 1;
  }
  const braced = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-=+])([^}]*))?\}/.exec(rest);
  if (braced) {
    const [all, name, opx, alt] = braced;
    const v = vars.get(name!);
    if (opx === ":-" || opx === "-" || opx === ":=" || opx === "=")
      put(v !== undefined && v !== "" ? v : alt!);
    else if (opx === ":+" || opx === "+") put(v ? alt! : "");
    else put(v ?? all);
    return i + all.length;
  }
  const plain = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
  if (plain) {
    const v = vars.get(plain[1]!);
    put(v ?? plain[0]);
    return i + plain[0].length;
  }
  put("$");
  return i + 1;
}
