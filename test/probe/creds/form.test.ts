// HTML login forms: reading the form (decoys in scripts and comments, hidden fields, checked boxes,
// the submit button, entities), filling it, and judging answers; then the credentials tester
// against a Node camera login (admin/admin works), its twin with a unique password (refusals are
// redirects back to the page), a twin that lets anything in, one that locks after three refusals,
// the camera over HTTPS, and pages whose login is elsewhere.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, describe, it } from "node:test";
import {
  fillForm,
  findLoginForm,
  hasPasswordField,
  judgeForm,
  visibleText,
  type LoginForm,
} from "../../../src/collect/probe/creds/form.js";
import type { Peer } from "../peers.js";
import { fuzz } from "../udp/fuzz.js";
import { formPeer, LOGIN_PAGE } from "./form-peer.js";
import { creds, headline, judge, logLines } from "./helpers.js";

const peers: Peer[] = [];
after(async () => {
  for (const p of peers) await p.close();
});
const keep = <P extends Peer>(p: P) => (peers.push(p), p);

const MIRAI = "Mirai scanner.c credential table (source leaked October 2016)";
const page = new URL("http://127.0.0.1:8080/login.html");

describe("reading and filling login forms", () => {
  it("finds the one login form and ignores scripts, comments and other forms", () => {
    const found = findLoginForm(LOGIN_PAGE, page);
    assert.ok(typeof found === "object", typeof found === "string" ? found : "");
    const f = found;
    assert.deepEqual(
      { ...f, action: f.action.href },
      {
        action: "http://127.0.0.1:8080/cgi-bin/login.cgi",
        method: "POST",
        multipart: false,
        userField: "username",
        passwordField: "password",
        fields: [
          ["lang", "en&us"],
          ["remember", "1"],
          ["login", "Log in"],
        ],
      },
    );
    assert.equal(hasPasswordField(LOGIN_PAGE), true);
    assert.equal(hasPasswordField("<script>'<input type=password>'</script><p>hi</p>"), false);
    assert.equal(
      visibleText("<p>Invalid&nbsp;user</p><script>var locked=1</script><!-- banned -->"),
      "Invalid user",
    );
  });

  it("says why a page has no identifiable login form", () => {
    const two = '<form><input name="a"><input type="password" name="p"></form>'.repeat(2);
    const cases: [string, string][] = [
      ["<p>no form</p>", "no <form> in the page"],
      ['<form><input name="q"></form>', "no form with one named password field and one named user field"],
      [
        '<form><input name="u"><input type="password" name="p1"><input type="password" name="p2"></form>',
        "no form with one named password field and one named user field",
      ],
      [
        '<form><input><input type="password"></form>',
        "no form with one named password field and one named user field",
      ],
      [two, "2 forms with a password field: which one logs in is not identifiable"],
    ];
    for (const [html, why] of cases) assert.equal(findLoginForm(html, page), why, html);
    // A form without an action posts to the page; one without a method sends GET.
    const g = findLoginForm(
      '<form><input type="email" name="mail"><input type="password" name="pw">',
      page,
    ) as LoginForm;
    assert.deepEqual([g.action.href, g.method, g.userField], [page.href, "GET", "mail"]);
  });

  it("fills a form as a browser submits it: urlencoded, a GET query, or multipart", () => {
    const f = findLoginForm(LOGIN_PAGE, page) as LoginForm;
    const post = fillForm(f, "admin", "p&ss word");
    assert.deepEqual(
      [post.path, post.contentType, post.body?.toString()],
      [
        "/cgi-bin/login.cgi",
        "application/x-www-form-urlencoded",
        "username=admin&password=p%26ss+word&lang=en%26us&remember=1&login=Log+in",
      ],
    );
    assert.deepEqual(fillForm({ ...f, method: "GET", action: new URL("http://x/l.cgi?a=1") }, "u", "p"), {
      path: "/l.cgi?a=1&username=u&password=p&lang=en%26us&remember=1&login=Log+in",
    });
    const m = fillForm({ ...f, multipart: true, fields: [] }, "u", "p");
    assert.equal(m.contentType, "multipart/form-data; boundary=----concord-probe-boundary");
    assert.equal(
      m.body?.toString(),
      '------concord-probe-boundary\r\nContent-Disposition: form-data; name="username"\r\n\r\nu\r\n------concord-probe-boundary\r\nContent-Disposition: form-data; name="password"\r\n\r\np\r\n------concord-probe-boundary--\r\n',
    );
  });

  it("judges answers: a session or a page without the form logs in; the form again, a way back, 401 or refusal words do not", () => {
    const j = (status: number, more: { location?: string; setCookie?: string[]; body?: string } = {}) =>
      judgeForm(
        { status, reason: "R", setCookie: [], body: "", ...more },
        page,
        ["/login.html", "/cgi-bin/login.cgi"],
        ["tz=utc"],
      );
    assert.deepEqual(j(302, { location: "/main.html", setCookie: ["sid=1; HttpOnly"] }), {
      verdict: "accepted",
      note: "302 R to /main.html with a new cookie (sid)",
    });
    assert.deepEqual(j(302, { location: "/main.html", setCookie: ["tz=utc"] }), {
      verdict: "error",
      note: "302 R to /main.html without a session cookie: not judged",
    });
    assert.deepEqual(j(303, { location: "http://127.0.0.1:8080/login.html?err=1", setCookie: ["sid=2"] }), {
      verdict: "rejected",
      note: "303 R: back to the login page /login.html",
    });
    assert.deepEqual(j(200, { body: LOGIN_PAGE.replace("<body>", "<body>Login failed") }), {
      verdict: "rejected",
      note: '200 R: the login form again ("failed")',
    });
    assert.deepEqual(j(200, { body: '{"error":"invalid password"}' }), {
      verdict: "rejected",
      note: '200 R: "invalid"',
    });
    assert.deepEqual(j(200, { body: "<html><h1>Welcome</h1></html>" }), {
      verdict: "accepted",
      note: "200 R: a page without the password field",
    });
    assert.deepEqual(j(200, { body: "" }), {
      verdict: "error",
      note: "200 R: neither a session nor a refusal",
    });
    assert.deepEqual(j(401), { verdict: "rejected", note: "401 R" });
    assert.deepEqual(j(429), { verdict: "locked", note: "429 R" });
    assert.deepEqual(j(200, { body: "<p>Account locked for 5 minutes</p>" }), {
      verdict: "locked",
      note: '200 R: "locked"',
    });
    assert.deepEqual(j(500), { verdict: "error", note: "500 R" });
  });
});

describe("hostile pages", () => {
  /** Never thrown by the form code: any throw fails the fuzz. */
  class Never extends Error {}

  it("pathological markup is read in linear time", () => {
    const pages = [
      "<".repeat(65536),
      "<form".repeat(13000),
      "<!--".repeat(16000),
      "<script".repeat(9000),
      `<form>${"<input name=a ".repeat(4000)}`,
      `<form>${'<input type="password" name="p">'.repeat(2000)}`,
      "&#x".repeat(20000),
    ];
    for (const html of pages) {
      const t0 = Date.now();
      findLoginForm(html, page);
      visibleText(html);
      hasPasswordField(html);
      judgeForm({ status: 200, reason: "", setCookie: [html.slice(0, 4000)], body: html }, page, ["/"], []);
      assert.ok(Date.now() - t0 < 1000, `${html.slice(0, 12)}...: ${Date.now() - t0} ms`);
    }
  });

  it("garbage and damaged login pages give an answer, never a throw", () => {
    fuzz(
      (b) => {
        const html = b.toString("latin1");
        findLoginForm(html, page);
        judgeForm(
          { status: 302, reason: "", location: html.slice(0, 40), setCookie: [html], body: html },
          page,
          [],
          [],
        );
      },
      Never,
      [Buffer.from(LOGIN_PAGE)],
      1500,
    );
  });
});

describe("credentials on web login forms", { concurrency: true }, () => {
  it("a camera login, admin/admin: found after one redirect, with hidden fields and the page's cookie", async () => {
    const p = keep(await formPeer({ accept: (u, pw) => u === "admin" && pw === "admin" }));
    const d = await creds("http", p.port, { maxLogins: 6 });
    assert.deepEqual(p.malformed, []);
    assert.deepEqual(headline(d), {
      service: "http",
      method: "form POST /cgi-bin/login.cgi",
      attempts: 6,
      tried: 4,
      acceptsAnything: false,
      found: ["admin/admin"],
      lockout: false,
      throttled: false,
      stop: "cap",
    });
    assert.deepEqual(d.form, {
      page: "/login.html",
      action: "/cgi-bin/login.cgi",
      method: "POST",
      userField: "username",
      passwordField: "password",
      otherFields: ["lang", "remember", "login"],
    });
    assert.deepEqual(logLines(d), [
      "canary (random)/(random) rejected",
      "dictionary root/xc3511 rejected",
      "dictionary root/vizxv rejected",
      "dictionary root/admin rejected",
      "dictionary admin/admin accepted",
      "verify admin/(random) rejected",
    ]);
    assert.equal(d.log[4]!.note, "302 Found to /main.html with a new cookie (session)");
    assert.equal(d.log[1]!.note, '200 OK: the login form again ("Invalid")');
    assert.deepEqual(p.posts.slice(1, 5), ["root/xc3511", "root/vizxv", "root/admin", "admin/admin"]);
    assert.deepEqual(judge(d), [
      [
        "probe.default-credentials",
        "fail",
        `The web login (form POST /cgi-bin/login.cgi) on 127.0.0.1 port ${p.port} logs in with default credentials: admin / "admin" (${MIRAI}).`,
      ],
      [
        "probe.bruteforce-protection",
        "fail",
        `The web login (form POST /cgi-bin/login.cgi) on 127.0.0.1 port ${p.port}: no limit observed in 6 attempts (5 refused, no lockout, refusal or slowdown; each wrong password was refused in about ${d.failDelayMs} ms).`,
      ],
    ]);
  });

  it("its twin with a unique password, refusing by a redirect back to the page: none found", async () => {
    const p = keep(
      await formPeer({ accept: (u, pw) => u === "admin" && pw === "Hq4-unit-0042", refusal: "redirect" }),
    );
    const d = await creds("http", p.port, { maxLogins: 5 });
    assert.deepEqual(p.malformed, []);
    assert.deepEqual([d.found, d.stop, d.tried], [[], "cap", 4]);
    assert.equal(d.log[2]!.note, "302 Found: back to the login page /login.html");
    assert.deepEqual(judge(d)[0], [
      "probe.default-credentials",
      "pass",
      `None of the 4 default credential pairs tried logs in to the web login (form POST /cgi-bin/login.cgi) on 127.0.0.1 port ${p.port}.`,
    ]);
  });

  it("a twin that lets anything in: the random pair logs in, no pair is reported", async () => {
    const p = keep(await formPeer({ accept: () => true }));
    const d = await creds("http", p.port);
    assert.deepEqual([d.acceptsAnything, d.stop, d.attempts, d.found], [true, "accepts-anything", 1, []]);
    assert.match(
      judge(d)[0]![2],
      /accepts any credentials \(a random user name and password logged in: 302 Found to \/main\.html with a new cookie \(session\)\)/,
    );
  });

  it("a login that locks after three refusals: a limit, and the cap is respected", async () => {
    const p = keep(await formPeer({ accept: () => false, lockAfter: 3 }));
    const d = await creds("http", p.port, { maxLogins: 10 });
    assert.deepEqual([d.stop, d.lockout, d.attempts], ["lockout", true, 4]);
    assert.equal(d.limit, 'it answered 200 OK: "Too many" after 3 failed attempts');
    assert.deepEqual(judge(d)[1], [
      "probe.bruteforce-protection",
      "pass",
      `The web login (form POST /cgi-bin/login.cgi) on 127.0.0.1 port ${p.port} limits password guessing: it answered 200 OK: "Too many" after 3 failed attempts.`,
    ]);
  });

  it("the camera over HTTPS: found, and named as over TLS", async () => {
    const p = keep(await formPeer({ accept: (u, pw) => u === "admin" && pw === "admin", tls: true }));
    const d = await creds("tls", p.port, { maxLogins: 6 });
    assert.deepEqual(
      [d.service, d.tls, d.method, d.found.map((f) => `${f.user}/${f.password}`)],
      ["http", true, "form POST /cgi-bin/login.cgi", ["admin/admin"]],
    );
    assert.deepEqual(judge(d)[0], [
      "probe.default-credentials",
      "fail",
      `The web login (form POST /cgi-bin/login.cgi over TLS) on 127.0.0.1 port ${p.port} logs in with default credentials: admin / "admin" (${MIRAI}).`,
    ]);
  });

  it("a form sent to another origin, or a redirect to one: not tried", async () => {
    const server = createServer((req, res) =>
      req.url === "/"
        ? res.writeHead(302, { Location: "https://127.0.0.1:9443/login" }).end()
        : res.end(
            '<form method=post action="http://192.0.2.7/login"><input name=u><input type=password name=p></form>',
          ),
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    keep({ port, accepts: () => 0, close: () => new Promise<void>((r) => server.close(() => r())) });
    const d = await creds("http", port);
    assert.deepEqual(
      [d.stop, d.reason, d.attempts],
      [
        "no-login",
        "GET / redirects to https://127.0.0.1:9443/login, another origin: a login there is tested on its own port",
        0,
      ],
    );
    const other = createServer((_q, res) =>
      res.end(
        '<form method=post action="http://192.0.2.7/login"><input name=u><input type=password name=p></form>',
      ),
    );
    await new Promise<void>((r) => other.listen(0, "127.0.0.1", r));
    const port2 = (other.address() as { port: number }).port;
    keep({ port: port2, accepts: () => 0, close: () => new Promise<void>((r) => other.close(() => r())) });
    const e = await creds("http", port2);
    assert.deepEqual(
      [e.stop, e.reason, judge(e)],
      [
        "no-login",
        "the login form of GET / is sent to http://192.0.2.7/login, another origin: not tried",
        [],
      ],
    );
  });
});
