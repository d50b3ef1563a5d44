// HTML login forms, read without running any script: the one <form> on a page that holds exactly
// one password input and exactly one text (or email, tel, or untyped) input, both named. Its
// fields are filled the way a browser would submit them: the user name, the password, the hidden
// inputs with their values, checked boxes and radios, and the first named submit button. The
// verdict on the answer: a redirect away from the login page that sets a cookie, or a 200 page
// without a password field and without refusal words, logs in; 401, the login form again, a
// redirect back to it or a refusal word refuses; lock words and 429 are a limit. An answer with
// neither sign (a bare 200, JSON, a redirect without a cookie) cannot be judged.
import { FAIL_WORDS, LOCK_WORDS, type AttemptResult } from "./protocol.js";

/** The page is read up to this size; a form further down is not seen. */
export const FORM_PAGE_BYTES = 65536;
const MAX_FORMS = 16;
const MAX_INPUTS = 64;

export interface LoginForm {
  /** Resolved against the page URL. */
  action: URL;
  method: "GET" | "POST";
  multipart: boolean;
  userField: string;
  passwordField: string;
  /** The other fields a browser would send, in document order. */
  fields: [string, string][];
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** The predefined entities and numeric references; anything else is left as written. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (m, e: string) => {
    if (e[0] === "#") {
      const n = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** The attributes of one start tag ("<input type=text name='u' disabled>"), names lower-cased. */
export function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  const body = tag.replace(/^<[a-z]+/i, "").replace(/\/?>$/, "");
  const re = /([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g;
  let n = 0;
  for (let m = re.exec(body); m && n < 32; m = re.exec(body), n++) {
    const name = m[1]!.toLowerCase();
    if (!(name in out)) out[name] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? "");
  }
  return out;
}

/** Scripts, styles and comments removed: markup inside them is not part of the page's forms. */
function visibleMarkup(html: string): string {
  return html
    .slice(0, FORM_PAGE_BYTES)
    .replace(/<!--[\s\S]*?(-->|$)/g, " ")
    .replace(/<(script|style|template|noscript)\b[\s\S]*?(<\/\1\s*>|$)/gi, " ");
}

/** The words of a page, without tags, scripts, styles and comments, cut to 4 KiB. */
export function visibleText(html: string): string {
  // [^<>] and not [^>]: a run of "<" without ">" must not be rescanned to the end from each one.
  return decodeEntities(visibleMarkup(html).replace(/<[^<>]*>/g, " "))
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 4096);
}

/** Whether the page has an <input type="password">. */
export function hasPasswordField(html: string): boolean {
  return /<input\b[^>]{0,500}?\btype\s*=\s*["']?password\b/i.test(visibleMarkup(html));
}

const TEXTUAL = new Set(["text", "email", "tel", ""]);

/**
 * The login form of a page, or why there is none: no form with one named password input and one
 * named text input, or more than one such form (which one logs in is then not identifiable).
 */
export function findLoginForm(html: string, page: URL): LoginForm | string {
  const markup = visibleMarkup(html);
  const starts = [...markup.matchAll(/<form\b[^>]{0,2000}>/gi)].slice(0, MAX_FORMS);
  if (starts.length === 0) return "no <form> in the page";
  const found: LoginForm[] = [];
  for (const [i, start] of starts.entries()) {
    const from = start.index + start[0].length;
    const next = starts[i + 1]?.index ?? markup.length;
    const close = markup.slice(from, next).search(/<\/form\s*>/i);
    const inner = markup.slice(from, close < 0 ? next : from + close);
    const form = attributes(start[0]);
    const controls = [...inner.matchAll(/<(input|button)\b[^>]{0,2000}>/gi)]
      .slice(0, MAX_INPUTS)
      .map((m) => ({
        element: m[1]!.toLowerCase(),
        a: attributes(m[0]),
      }));
    const type = (c: { element: string; a: Record<string, string> }) =>
      (c.a.type ?? (c.element === "button" ? "submit" : "")).toLowerCase();
    const named = controls.filter((c) => c.a.name && !("disabled" in c.a));
    const passwords = named.filter((c) => c.element === "input" && type(c) === "password");
    const users = named.filter((c) => c.element === "input" && TEXTUAL.has(type(c)));
    if (passwords.length !== 1 || users.length !== 1) continue;
    let action: URL;
    try {
      action = new URL(form.action?.trim() || page.href, page);
    } catch {
      continue;
    }
    const fields: [string, string][] = [];
    let submit = false;
    for (const c of named) {
      const t = type(c);
      if (c === passwords[0] || c === users[0]) continue;
      if (t === "hidden") fields.push([c.a.name!, c.a.value ?? ""]);
      else if ((t === "checkbox" || t === "radio") && "checked" in c.a)
        fields.push([c.a.name!, c.a.value ?? "on"]);
      else if (t === "submit" && !submit) {
        submit = true;
        fields.push([c.a.name!, c.a.value ?? ""]);
      }
    }
    found.push({
      action,
      method: (form.method ?? "").toUpperCase() === "POST" ? "POST" : "GET",
      multipart: /multipart\/form-data/i.test(form.enctype ?? ""),
      userField: users[0]!.a.name!,
      passwordField: passwords[0]!.a.name!,
      fields,
    });
  }
  if (found.length === 0) return "no form with one named password field and one named user field";
  if (found.length > 1)
    return `${found.length} forms with a password field: which one logs in is not identifiable`;
  return found[0]!;
}

/** The form filled with a pair: the request target and body (urlencoded, or multipart when asked). */
export function fillForm(
  form: LoginForm,
  user: string,
  password: string,
): { path: string; body?: Buffer; contentType?: string } {
  const pairs: [string, string][] = [];
  // Document order is unknown across the two text fields; user first, then password, as most pages have them.
  pairs.push([form.userField, user], [form.passwordField, password], ...form.fields);
  const path = form.action.pathname + form.action.search;
  if (form.method === "GET") {
    const q = new URLSearchParams(form.action.search);
    for (const [k, v] of pairs) q.append(k, v);
    return { path: `${form.action.pathname}?${q.toString()}` };
  }
  if (!form.multipart)
    return {
      path,
      body: Buffer.from(new URLSearchParams(pairs).toString()),
      contentType: "application/x-www-form-urlencoded",
    };
  const boundary = "----concord-probe-boundary";
  const parts = pairs.map(
    ([k, v]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${k.replace(/["\r\n]/g, "_")}"\r\n\r\n${v}\r\n`,
  );
  return {
    path,
    body: Buffer.from(`${parts.join("")}--${boundary}--\r\n`),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** "name=value" of each Set-Cookie header (at most 16, each cut at 512 characters). */
export function cookiesOf(setCookie: readonly string[]): string[] {
  return setCookie
    .map((c) =>
      c
        .split(";")[0]!
        // Control characters (a bare CR) would end up inside our own request headers.
        .replace(/[^\x20-\x7e\x80-\xff]/g, "")
        .trim()
        .slice(0, 512),
    )
    .filter((c) => c.includes("="))
    .slice(0, 16);
}

export interface FormAnswer {
  status: number;
  reason: string;
  location?: string;
  setCookie: string[];
  body: string;
}

/**
 * The verdict on the answer to a filled form. `loginPaths` are the paths of the login page and
 * of the form's action: a redirect to one of them is the login page again. `cookies` are the
 * ones the login page set: only a new one is a session.
 */
export function judgeForm(
  r: FormAnswer,
  base: URL,
  loginPaths: readonly string[],
  cookies: readonly string[],
): Pick<AttemptResult, "verdict" | "note"> {
  const note = `${r.status} ${r.reason}`.trim();
  const text = visibleText(r.body);
  const lock = LOCK_WORDS.exec(text);
  if (r.status === 429) return { verdict: "locked", note };
  if (lock) return { verdict: "locked", note: `${note}: ${JSON.stringify(lock[0])}` };
  if (r.status === 401) return { verdict: "rejected", note };
  if (r.status >= 500) return { verdict: "error", note };
  const fresh = cookiesOf(r.setCookie).filter((c) => !cookies.includes(c));
  if (r.status >= 300 && r.status < 400) {
    let to: URL | undefined;
    try {
      to = r.location ? new URL(r.location, base) : undefined;
    } catch {
      to = undefined;
    }
    if (!to) return { verdict: "error", note: `${note} without a usable Location` };
    const back = loginPaths.includes(to.pathname);
    if (back) return { verdict: "rejected", note: `${note}: back to the login page ${to.pathname}` };
    const names = fresh.map((c) => c.split("=")[0]).join(", ");
    if (fresh.length)
      return { verdict: "accepted", note: `${note} to ${to.pathname} with a new cookie (${names})` };
    return { verdict: "error", note: `${note} to ${to.pathname} without a session cookie: not judged` };
  }
  const fail = FAIL_WORDS.exec(text);
  if (hasPasswordField(r.body))
    return {
      verdict: "rejected",
      note: `${note}: the login form again${fail ? ` (${JSON.stringify(fail[0])})` : ""}`,
    };
  if (fail || r.status === 403)
    return { verdict: "rejected", note: `${note}${fail ? `: ${JSON.stringify(fail[0])}` : ""}` };
  if (r.status >= 200 && r.status < 300 && /<[a-z]/i.test(r.body) && text.length > 0)
    return { verdict: "accepted", note: `${note}: a page without the password field` };
  return { verdict: "error", note: `${note}: neither a session nor a refusal` };
}
