// A camera's web login in Node, over HTTP or HTTPS. lighttpd cannot check a login form by itself
// (mod_auth speaks only Basic and Digest; a form needs a program behind it, and a CGI script
// would be more moving parts than this), so the tests use this peer, shaped like the login pages
// of IP cameras: GET / redirects to /login.html, which sets a cookie and holds the form among a
// search form and decoys in a script and a comment; the form posts hidden fields, a checked box
// and the submit button to /cgi-bin/login.cgi, and the peer refuses a post that lacks any of them.
import { createServer as createHttp, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttps } from "node:https";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Peer } from "../peers.js";
import { tmp } from "../peers.js";
import { selfSigned } from "../peers.js";

export const LOGIN_PAGE = `<!DOCTYPE html>
<html><head><title>IPCam Login</title>
<script>
  // A decoy: markup inside a script is not part of the page.
  var tpl = '<form action="/decoy" method="post"><input name="u"><input type="password" name="p"></form>';
</script></head>
<body>
<form action="/search" method="get"><input type="text" name="q"><input type="submit" value="Go"></form>
<!-- <form action="/old-login" method="post"><input name="u"><input type="password" name="p"></form> -->
<FORM name="login" method="POST" action="/cgi-bin/login.cgi" onsubmit="return check()">
  <input type="hidden" name="lang" value="en&amp;us">
  <label>User <input type=text name=username placeholder="user"></label>
  <label>Password <input type="password" name="password" autocomplete="off"></label>
  <input type="checkbox" name="remember" value="1" checked>
  <input type="checkbox" name="debug" value="1">
  <input type="text" name="disabled-note" disabled>
  <input type="submit" name="login" value="Log in">
  <button type="button" name="help">Help</button>
</FORM>
</body></html>
`;

export interface FormPeerOptions {
  /** Whether a pair logs in. */
  accept: (user: string, password: string) => boolean;
  /** How a refusal looks: the form again with an error (default), or a redirect back to the page. */
  refusal?: "form" | "redirect";
  /** After this many refusals, every post gets a "too many failed attempts" page. */
  lockAfter?: number;
  tls?: boolean;
}

export interface FormPeer extends Peer {
  /** "user/password" of each login post, in order. */
  posts: string[];
  /** Why a post was refused as malformed (a missing field or cookie), if ever. */
  malformed: string[];
}

let pair: { key: Buffer; cert: Buffer } | undefined;

export async function formPeer(o: FormPeerOptions): Promise<FormPeer> {
  const posts: string[] = [];
  const malformed: string[] = [];
  let refusals = 0;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (req.method === "GET" && url.pathname === "/")
      return res.writeHead(302, { Location: "/login.html" }).end();
    if (req.method === "GET" && url.pathname === "/login.html")
      return res
        .writeHead(200, { "Content-Type": "text/html", "Set-Cookie": "tz=utc; Path=/" })
        .end(
          url.searchParams.has("err")
            ? LOGIN_PAGE.replace("<body>", "<body><p>Wrong user name or password</p>")
            : LOGIN_PAGE,
        );
    if (req.method === "POST" && url.pathname === "/cgi-bin/login.cgi") {
      let body = "";
      req.on("data", (d: Buffer) => (body += d.toString("latin1")));
      req.on("end", () => {
        const f = new URLSearchParams(body);
        const missing = [
          f.get("lang") !== "en&us" && "lang",
          f.get("remember") !== "1" && "remember",
          f.get("login") !== "Log in" && "login",
          f.has("debug") && "an unchecked box",
          f.has("help") && "a plain button",
          !(req.headers.cookie ?? "").includes("tz=utc") && "the cookie",
          req.headers["content-type"] !== "application/x-www-form-urlencoded" && "the content type",
        ].filter(Boolean);
        if (missing.length) {
          malformed.push(missing.join(", "));
          return res.writeHead(400).end("bad request");
        }
        const user = f.get("username") ?? "";
        const password = f.get("password") ?? "";
        posts.push(`${user}/${password}`);
        if (o.lockAfter !== undefined && refusals >= o.lockAfter)
          return res
            .writeHead(200, { "Content-Type": "text/html" })
            .end("<html><body><h1>Too many failed attempts</h1><p>Try again later.</p></body></html>");
        if (o.accept(user, password))
          return res
            .writeHead(302, {
              Location: "/main.html",
              "Set-Cookie": `session=${randomBytes(8).toString("hex")}; Path=/; HttpOnly`,
            })
            .end();
        refusals++;
        if (o.refusal === "redirect") return res.writeHead(302, { Location: "/login.html?err=1" }).end();
        return res
          .writeHead(200, { "Content-Type": "text/html" })
          .end(LOGIN_PAGE.replace("<body>", "<body><p class=err>Invalid user name or password</p>"));
      });
      return;
    }
    res.writeHead(404).end("not found");
  };
  if (o.tls && !pair) {
    const c = selfSigned(tmp());
    pair = { key: readFileSync(c.key), cert: readFileSync(c.cert) };
  }
  const server = o.tls ? createHttps({ ...pair! }, handler) : createHttp(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as { port: number }).port,
    accepts: () => posts.length,
    posts,
    malformed,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
