// The value syntaxes security.txt borrows: URIs (RFC 3986 section 3), date-times (RFC 3339
// section 5.6) and language tags (RFC 5646 section 2.1). Each returns undefined when the value is
// well formed, or what is wrong with it.

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
// Everything RFC 3986 allows in a URI after the scheme: unreserved, sub-delims, gen-delims and
// percent-encodings. Spaces and non-ASCII characters (IRIs) are not URIs.
const URI_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/?#[\]%]*$/;

export function uriProblem(value: string): string | undefined {
  if (!SCHEME.test(value)) return "is not a URI (it has no scheme such as https: or mailto:)";
  const bad = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/?#[\]%]/.exec(value);
  if (bad) {
    const ch = bad[0];
    const what =
      ch === " "
        ? "a space"
        : /[\u0080-\uffff]/.test(ch)
          ? `the non-ASCII character "${ch}" (percent-encode it)`
          : `"${ch}"`;
    return `is not a valid URI: it contains ${what}`;
  }
  if (!URI_CHARS.test(value)) return "is not a valid URI";
  if (/%(?![0-9A-Fa-f]{2})/.test(value)) return "is not a valid URI: a % is not followed by two hex digits";
  if ((value.match(/#/g) ?? []).length > 1) return "is not a valid URI: it has more than one #";
  const scheme = value.slice(0, value.indexOf(":")).toLowerCase();
  if (scheme === "https" || scheme === "http") {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return "is not a valid web address";
    }
    if (!value.slice(scheme.length + 1).startsWith("//") || url.hostname === "") return "has no host";
  }
  return undefined;
}

export function schemeOf(value: string): string {
  const m = SCHEME.exec(value);
  return m ? m[0].slice(0, -1).toLowerCase() : "";
}

/** mailto: needs an address with an @ (RFC 6068); tel: a number (RFC 3966). */
export function contactProblem(value: string): string | undefined {
  const scheme = schemeOf(value);
  if (scheme === "mailto") {
    const to = decodeURIComponentSafe(value.slice(7).split("?")[0] ?? "");
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(to.split(",")[0] ?? ""))
      return `"${value}" is not an e-mail address (mailto:name@example.com)`;
  } else if (scheme === "tel") {
    if (!/^tel:(\+[0-9().-]*[0-9][0-9().-]*|[0-9A-Fa-f*#().-]+;phone-context=[^;]+)(;[^;]*)*$/.test(value))
      return `"${value}" is not a telephone URI (tel:+1-201-555-0123)`;
  }
  return undefined;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$/;

/** Parse an RFC 3339 date-time; returns the instant, or what is wrong. */
export function parseDateTime(value: string): { at: Date } | { problem: string } {
  const m = DATE_TIME.exec(value);
  if (!m) {
    const hint = /^\d{4}-\d{2}-\d{2}$/.test(value)
      ? " (a date alone is not enough: add a time and zone, e.g. 2026-12-31T23:59:59Z)"
      : / /.test(value)
        ? ' (separate date and time with "T", not a space)'
        : "";
    return { problem: `is not an RFC 3339 date-time such as 2026-12-31T23:59:59Z${hint}` };
  }
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  const leap = (year! % 4 === 0 && year! % 100 !== 0) || year! % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month! - 1];
  if (!days || day! < 1 || day! > days) return { problem: "is not a real calendar date" };
  // Second 60 is a leap second, which RFC 3339 allows.
  if (hour! > 23 || minute! > 59 || second! > 60) return { problem: "has an out-of-range time" };
  if (m[9] && (Number(m[10]) > 23 || Number(m[11]) > 59))
    return { problem: "has an out-of-range time zone offset" };
  const at = new Date(
    value
      .replace("t", "T")
      .replace(/z$/, "Z")
      .replace(/:60(\.\d+)?(?=[Zz+-])/, ":59$1"),
  );
  if (Number.isNaN(at.getTime())) return { problem: "is not a valid date-time" };
  return { at };
}

// RFC 5646 section 2.1, written out: language, then optional script, region, variants,
// extensions and a private-use part; or a private-use tag alone; or a grandfathered tag.
const ALNUM = "[A-Za-z0-9]";
const LANGTAG = new RegExp(
  "^(?:" +
    "(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4}|[A-Za-z]{5,8})" + // language (with extlang)
    "(?:-[A-Za-z]{4})?" + // script
    "(?:-(?:[A-Za-z]{2}|\\d{3}))?" + // region
    `(?:-(?:${ALNUM}{5,8}|\\d${ALNUM}{3}))*` + // variants
    `(?:-[0-9A-WY-Za-wy-z](?:-${ALNUM}{2,8})+)*` + // extensions
    `(?:-[Xx](?:-${ALNUM}{1,8})+)?` + // private use
    `|[Xx](?:-${ALNUM}{1,8})+` +
    ")$",
);
const GRANDFATHERED = new Set(
  [
    "en-GB-oed",
    "i-ami",
    "i-bnn",
    "i-default",
    "i-enochian",
    "i-hak",
    "i-klingon",
    "i-lux",
    "i-mingo",
    "i-navajo",
    "i-pwn",
    "i-tao",
    "i-tay",
    "i-tsu",
    "sgn-BE-FR",
    "sgn-BE-NL",
    "sgn-CH-DE",
    "art-lojban",
    "cel-gaulish",
    "no-bok",
    "no-nyn",
    "zh-guoyu",
    "zh-hakka",
    "zh-min",
    "zh-min-nan",
    "zh-xiang",
  ].map((t) => t.toLowerCase()),
);

export function isLanguageTag(tag: string): boolean {
  return LANGTAG.test(tag) || GRANDFATHERED.has(tag.toLowerCase());
}
