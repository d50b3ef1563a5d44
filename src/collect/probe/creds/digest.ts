// HTTP authentication as HTTP and RTSP servers ask for it: parsing WWW-Authenticate challenges
// (RFC 9110 section 11), Basic credentials (RFC 7617) and Digest responses (RFC 7616: MD5,
// SHA-256 and their -sess variants, qop auth and auth-int, userhash).
import { createHash, randomBytes } from "node:crypto";

export interface Challenge {
  /** Lower case: basic, digest, bearer ... */
  scheme: string;
  /** Parameter names in lower case, values unquoted. */
  params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;

/**
 * Every challenge in the WWW-Authenticate header values: a scheme, then name=value parameters
 * (token or quoted string) separated by commas, until a token that is not followed by "=" starts
 * the next challenge. Garbage ends the parse; what was read so far is kept.
 */
export function parseChallenges(values: readonly string[]): Challenge[] {
  const out: Challenge[] = [];
  for (const value of values) {
    let s = value;
    let current: Challenge | undefined;
    for (;;) {
      s = s.replace(/^[\s,]+/, "");
      const tok = TOKEN.exec(s);
      if (!tok) break;
      const rest = s.slice(tok[0].length);
      const param = /^\s*=\s*/.exec(rest);
      if (param && current) {
        let v = rest.slice(param[0].length);
        let val: string;
        if (v.startsWith('"')) {
          let i = 1;
          val = "";
          for (; i < v.length && v[i] !== '"'; i++) {
            if (v[i] === "\\" && i + 1 < v.length) i++;
            val += v[i];
          }
          v = v.slice(i + 1);
        } else {
          const t = /^[^\s,]*/.exec(v)![0];
          val = t;
          v = v.slice(t.length);
        }
        current.params[tok[0].toLowerCase()] = val;
        s = v;
      } else if (param) {
        break; // a parameter before any scheme
      } else {
        current = { scheme: tok[0].toLowerCase(), params: {} };
        out.push(current);
        s = rest;
        // token68 (e.g. "Negotiate abc=="): skip it
        const t68 = /^\s+[A-Za-z0-9._~+/-]+=*\s*(?=,|$)/.exec(s);
        if (t68) s = s.slice(t68[0].length);
      }
    }
  }
  return out;
}

const HASHES: Record<string, "md5" | "sha256"> = { md5: "md5", "sha-256": "sha256" };

/** The hash a Digest challenge names (MD5 when it names none); undefined when unsupported. */
export function digestHash(c: Challenge): "md5" | "sha256" | undefined {
  const alg = (c.params.algorithm ?? "MD5").toLowerCase().replace(/-sess$/, "");
  return HASHES[alg];
}

/** Digest first (SHA-256 over MD5, RFC 7616 section 3.7), then Basic; undefined when none is usable. */
export function chooseChallenge(cs: readonly Challenge[]): Challenge | undefined {
  const digest = cs.filter((c) => c.scheme === "digest" && c.params.nonce !== undefined && digestHash(c));
  return digest.find((c) => digestHash(c) === "sha256") ?? digest[0] ?? cs.find((c) => c.scheme === "basic");
}

export function describeChallenge(c: Challenge): string {
  if (c.scheme === "basic") return "basic";
  return `digest ${(c.params.algorithm ?? "MD5").toUpperCase()}`;
}

export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
}

const quoted = (s: string) => `"${s.replace(/["\\]/g, "\\$&")}"`;

export interface DigestInput {
  challenge: Challenge;
  user: string;
  password: string;
  method: string;
  uri: string;
  /** Times this nonce was used before, so nc counts up. */
  nc: number;
  /** For tests: a fixed client nonce. */
  cnonce?: string;
}

/** The Authorization header value and the response hash (masked like a secret in transcripts). */
export function digestAuthorization(d: DigestInput): { header: string; response: string } {
  const p = d.challenge.params;
  const alg = p.algorithm ?? "MD5";
  const hashName = digestHash(d.challenge) ?? "md5";
  const H = (s: string) => createHash(hashName).update(s, "utf8").digest("hex");
  const realm = p.realm ?? "";
  const nonce = p.nonce ?? "";
  const qops = (p.qop ?? "")
    .split(",")
    .map((q) => q.trim().toLowerCase())
    .filter(Boolean);
  const qop = qops.includes("auth") ? "auth" : qops.includes("auth-int") ? "auth-int" : undefined;
  const cnonce = d.cnonce ?? randomBytes(12).toString("hex");
  const nc = (d.nc + 1).toString(16).padStart(8, "0");
  let ha1 = H(`${d.user}:${realm}:${d.password}`);
  if (/-sess$/i.test(alg)) ha1 = H(`${ha1}:${nonce}:${cnonce}`);
  const ha2 = H(qop === "auth-int" ? `${d.method}:${d.uri}:${H("")}` : `${d.method}:${d.uri}`);
  const response = qop ? H(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : H(`${ha1}:${nonce}:${ha2}`);
  const userhash = (p.userhash ?? "").toLowerCase() === "true";
  const fields = [
    `username=${quoted(userhash ? H(`${d.user}:${realm}`) : d.user)}`,
    `realm=${quoted(realm)}`,
    `nonce=${quoted(nonce)}`,
    `uri=${quoted(d.uri)}`,
    `algorithm=${alg}`,
    `response=${quoted(response)}`,
    ...(p.opaque !== undefined ? [`opaque=${quoted(p.opaque)}`] : []),
    ...(qop ? [`qop=${qop}`, `nc=${nc}`, `cnonce=${quoted(cnonce)}`] : []),
    ...(userhash ? ["userhash=true"] : []),
  ];
  return { header: `Digest ${fields.join(", ")}`, response };
}
