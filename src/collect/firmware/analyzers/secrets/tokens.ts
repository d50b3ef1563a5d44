// Credentials written into files: access tokens with a recognisable shape (AWS access key IDs,
// JWTs, GitHub, Slack, Google and Stripe keys), searched in every file, and values assigned to
// password-like names in configuration files and scripts (password=, "api_key": ..., UCI
// `option key`, <password>, `echo user:pw | chpasswd`). Values that are placeholders or
// references (CHANGEME, $PASS, ${PASS}, %PASS%, {{pass}}, <password>, a path, code) are not
// credentials and are skipped.

export interface TokenHit {
  type: "api-token" | "password";
  format: string;
  value: string;
  /** Offset of the value in the text. */
  offset: number;
  name?: string;
}

// Each shape starts with a fixed prefix. One scan for all prefixes finds the candidates, and only
// there is the full pattern tried (sticky, with its lookbehind), which is several times faster on
// binaries than running each pattern over the whole file and finds exactly the same tokens.
const SHAPED: { format: string; prefix: RegExp; re: RegExp; type: TokenHit["type"] }[] = [
  {
    format: "aws-access-key-id",
    prefix: /AKIA|ASIA/,
    re: /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/y,
    type: "api-token",
  },
  {
    format: "jwt",
    prefix: /eyJ/,
    re: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/y,
    type: "api-token",
  },
  {
    format: "github-token",
    prefix: /gh[pousr]_/,
    re: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36}(?![A-Za-z0-9])/y,
    type: "api-token",
  },
  {
    format: "slack-token",
    prefix: /xox[abprs]-/,
    re: /(?<![A-Za-z0-9])xox[abprs]-[0-9A-Za-z-]{10,72}/y,
    type: "api-token",
  },
  {
    format: "google-api-key",
    prefix: /AIza/,
    re: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/y,
    type: "api-token",
  },
  {
    format: "stripe-secret-key",
    prefix: /sk_live_/,
    re: /(?<![A-Za-z0-9_])sk_live_[0-9A-Za-z]{24,99}/y,
    type: "api-token",
  },
];

const PREFIXES = new RegExp(SHAPED.map((s, i) => `(?<p${i}>${s.prefix.source})`).join("|"), "g");

/** A JWT's header decodes to JSON naming an algorithm; random "eyJ" text does not. */
function isJwt(token: string): boolean {
  try {
    const header = JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString("utf8")) as unknown;
    return typeof header === "object" && header !== null && "alg" in header;
  } catch {
    return false;
  }
}

/** Tokens with a known shape anywhere in `text` (latin1 of any file, binaries included). */
export function findShapedTokens(text: string, max = 100): TokenHit[] {
  const out: TokenHit[] = [];
  // Per shape, where its last match ended: a shape's matches never overlap, as with a /g scan.
  const consumed = new Array<number>(SHAPED.length).fill(0);
  PREFIXES.lastIndex = 0;
  for (let m = PREFIXES.exec(text); m && out.length < max; m = PREFIXES.exec(text)) {
    const i = Number(
      Object.keys(m.groups!)
        .find((k) => m.groups![k] !== undefined)!
        .slice(1),
    );
    PREFIXES.lastIndex = m.index + 1;
    const { format, re, type } = SHAPED[i]!;
    if (m.index < consumed[i]!) continue;
    re.lastIndex = m.index;
    const hit = re.exec(text);
    if (!hit) continue;
    const value = hit[0];
    consumed[i] = m.index + value.length;
    if (/EXAMPLE/.test(value)) continue; // AWS documentation keys (AKIAIOSFODNN7EXAMPLE)
    if (format === "jwt" && !isJwt(value)) continue;
    out.push({ type, format, value, offset: m.index });
  }
  return out.sort((a, b) => a.offset - b.offset);
}

// --- assignments in configuration files and scripts ---------------------------------------------

const PASSWORD_WORDS = new Set(["password", "passwd", "pass", "pwd", "passphrase", "psk", "passcode"]);
const TOKEN_WORDS = new Set(["secret", "token", "apikey", "credential", "credentials"]);
const KEY_PAIRS = new Set([
  "api key",
  "access key",
  "auth key",
  "private key",
  "secret key",
  "app key",
  "client secret",
]);
const PLACEHOLDER_WORDS = new Set(
  `changeme password passwd secret yourpassword mypassword yoursecret example sample dummy
   placeholder none null nil undefined empty todo fixme redacted hidden notset unset
   replaceme enterpassword token yourtoken apikey yourapikey true false yes no on off
   required optional`.split(/\s+/),
);

/** The words of an identifier: snake, kebab, dotted and camelCase split, lower-cased. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** The kind of credential a name announces, or undefined. */
export function credentialName(name: string): TokenHit["type"] | undefined {
  // The name must end with the credential word ("db_password", "ADMIN_PASS2"): in "pass_zero"
  // or "token_number" the word qualifies something else.
  const w = words(name)
    .map((x) => x.replace(/\d+$/, ""))
    .filter(Boolean);
  const last = w[w.length - 1];
  if (!last || w.length > 8) return undefined;
  if (PASSWORD_WORDS.has(last)) return "password";
  if (TOKEN_WORDS.has(last)) return "api-token";
  if (w.length >= 2 && KEY_PAIRS.has(`${w[w.length - 2]} ${last}`)) return "api-token";
  return undefined;
}

/** True for values that stand in for a credential instead of being one. */
export function isPlaceholder(raw: string): boolean {
  const v = raw.trim();
  if (v.length < 4 || v.length > 256) return true;
  // Variables and templates: $PASS, ${PASS}, $(cmd), $dir/x, %PASS%, {{pass}}, <your password>,
  // @PASS@, __PASS__ (a "$" inside a value, as in "pa$$word", is kept)
  if (/^\$|\$\{|\$\(|\/\$|%\w+%|\{\{|^<|^@\w+@$|^__\w+__$|`/.test(v)) return true;
  if (/^(.)\1+$/.test(v)) return true; // xxxx, ****, ....
  if (v.startsWith("/") || /[()[\]]/.test(v)) return true; // a path, or code
  if (/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+;?$/.test(v)) return true; // form.password.value
  const flat = v.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (PLACEHOLDER_WORDS.has(flat)) return true;
  return /^(your|my|enter|insert|replace|change|put|set)(_|-|\s)?\w*(password|secret|token|key|here)\w*$/i.test(
    v,
  );
}

const NAME = String.raw`[A-Za-z_][A-Za-z0-9_.-]{0,63}`;
const VALUE = String.raw`"([^"\n]*)"|'([^'\n]*)'|([^\s"'#;,]+)`;
const ASSIGNMENTS: { format: string; re: RegExp }[] = [
  // password=x, PASSWORD="x", "api_key": "x", secret: x, psk=x  (name group 1, value 2|3|4)
  {
    format: "assignment",
    re: new RegExp(
      String.raw`(?<![A-Za-z0-9_])["']?(${NAME})["']?[ \t]*(?:=|:(?!//))[ \t]*(?:${VALUE})`,
      "g",
    ),
  },
  // OpenWrt UCI: option key 'x', option password 'x'
  {
    format: "uci-option",
    re: new RegExp(String.raw`^[ \t]*option[ \t]+(${NAME})[ \t]+(?:${VALUE})`, "gm"),
  },
  // <password>x</password>
  { format: "xml-element", re: /<([A-Za-z_][\w.-]{0,63})>([^<\n]{1,256})<\/\1>/g },
];

/**
 * Whether `offset` is commented out (a line starting with ; // or "-- ", a # before it on the
 * line, an XML comment): sample values in commented configuration (openssl.cnf's
 * "# input_password = secret", maven's commented <password>) are documentation.
 */
function inComment(text: string, offset: number): boolean {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  const before = text.slice(Math.max(start, offset - 512), offset);
  if (/^[ \t]*(;|\/\/|-- )|(^|\s)#/.test(before)) return true;
  // Inside an XML/HTML comment: the last "<!--" comes after the last "-->".
  const open = text.lastIndexOf("<!--", offset);
  return open >= 0 && text.lastIndexOf("-->", offset) < open;
}

/** Credentials assigned in a configuration file or script. */
export function findAssignments(text: string, max = 100): TokenHit[] {
  const out: TokenHit[] = [];
  const seen = new Set<number>();
  for (const { format, re } of ASSIGNMENTS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m && out.length < max; m = re.exec(text)) {
      const name = m[1]!;
      const value = m[2] ?? m[3] ?? m[4] ?? "";
      const type = format === "uci-option" && name === "key" ? "password" : credentialName(name);
      if (!type || isPlaceholder(value) || inComment(text, m.index)) continue;
      // A value with spaces is a command or prose ("getent passwd"), except for passphrases.
      if (/\s/.test(value.trim()) && !/(phrase|psk)$/i.test(name)) continue;
      const offset = m.index + m[0].lastIndexOf(value);
      if (seen.has(offset)) continue;
      seen.add(offset);
      out.push({ type, format, value, offset, name });
    }
  }
  // echo "root:secret" | chpasswd
  const chpasswd =
    /echo[ \t]+(?:-e[ \t]+)?["']?([a-z_][a-z0-9_-]{0,31}):([^"'\s|]+)["']?[ \t]*\|[ \t]*chpasswd/g;
  for (let m = chpasswd.exec(text); m && out.length < max; m = chpasswd.exec(text)) {
    if (isPlaceholder(m[2]!)) continue;
    out.push({
      type: "password",
      format: "chpasswd",
      value: m[2]!,
      offset: m.index + m[0].indexOf(`:${m[2]}`) + 1,
      name: `chpasswd:${m[1]}`,
    });
  }
  return out.sort((a, b) => a.offset - b.offset);
}

// Configuration formats and shell scripts. Program sources (Python, Lua, Perl...) are left out:
// their variables named "token" or "pass" are code, not configuration.
const CONFIG_EXT =
  /\.(conf|cfg|cnf|ini|config|env|json|ya?ml|xml|properties|prop|sh|bash|ash|php|txt|rc|uci|toml|default)$/i;
const SHELL = /^#!\s*(\/usr)?\/bin\/(env\s+)?(sh|ash|bash|dash|ksh|zsh|php)\b/;

/**
 * Files read by other analyzers or whose "passwd:" lines are not assignments: the account files
 * (the accounts analyzer reads them) and nsswitch.conf ("passwd: files").
 */
const NOT_ASSIGNMENTS = /^\/etc\/((passwd|shadow|group|gshadow)([-~]|\.bak|\.old)?|nsswitch\.conf)$/;

/** Files where a `name=value` line is configuration: under /etc, config extensions, scripts. */
export function isConfigOrScript(path: string, head: Uint8Array): boolean {
  if (NOT_ASSIGNMENTS.test(path)) return false;
  const base = path.slice(path.lastIndexOf("/") + 1);
  if (head[0] === 0x23 && head[1] === 0x21)
    return SHELL.test(Buffer.from(head.subarray(0, 64)).toString("latin1"));
  return (
    path.startsWith("/etc/") ||
    CONFIG_EXT.test(base) ||
    base.startsWith(".") ||
    /^\/(var|root|home|opt|usr\/local\/etc|data|config|nvram|jffs|overlay)\//.test(path)
  );
}
