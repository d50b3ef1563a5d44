// The order of a credential test on one service, whatever the protocol:
//  1. a random improbable pair: if it logs in, the service accepts anything and no dictionary
//     result would mean anything, so the test stops there;
//  2. (FTP) the anonymous login;
//  3. the dictionary, in order, up to the attempt cap, skipping users already found, a few pairs at
//     a time (`parallel` logins at once, as a brute-forcer would; the results are judged in
//     dictionary order, so the first stop still ends the test); every pair that logs in is checked
//     once more with a random password for the same user, so a service that takes any password for
//     root is not reported as "root/xc3511 works";
//  4. all along, signs of a limit: the peer says locked / too many, starts refusing connections,
//     stops answering, or answers markedly slower (two slow refusals in a row). The test stops at
//     the first sign and records it: that is the evidence brute-force protection exists.
import type { Transcript } from "../../../evidence/probe.js";
import { BudgetError } from "../scope.js";
import type { AttemptRecord, CredentialsData, CredentialsStop } from "../../../evidence/probe-credentials.js";
import { SUPPLIED_PASSWORD } from "../../../evidence/probe-credentials.js";
import { improbablePair, improbablePassword, type Dictionary } from "./dictionary.js";
import type { AttemptResult, LoginContext, LoginProtocol } from "./protocol.js";

export interface EngineOptions {
  dictionary: Dictionary;
  /** Logins at most, canary and anonymous included; a verification of a found pair may add one. */
  maxLogins: number;
  /** Dictionary logins in flight at once; 1 (the default here) is strictly one after another. */
  parallel?: number;
}

/** Transcripts kept for plain refusals: the first few show what a refusal looks like. */
const REFUSALS_KEPT = 3;

/** A refusal is "slow" when it takes this much longer than the first ones. */
function slow(ms: number, baseline: number): boolean {
  return ms > Math.max(4 * baseline, baseline + 2000);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : 0;
}

const said = (r: AttemptResult) => (r.note ? `: ${r.note}` : "");

export async function testCredentials(
  ctx: LoginContext,
  proto: LoginProtocol,
  o: EngineOptions,
): Promise<CredentialsData> {
  const s = ctx.service;
  const log: AttemptRecord[] = [];
  const transcripts: Transcript[] = [];
  let omitted = 0;
  const data: CredentialsData = {
    host: s.host,
    address: s.address,
    port: s.port,
    service: proto.service,
    method: proto.method, // prepare() may set it
    dictionary: o.dictionary.label,
    maxLogins: o.maxLogins,
    attempts: 0,
    tried: 0,
    acceptsAnything: false,
    found: [],
    lockout: false,
    throttled: false,
    stop: "exhausted",
    reason: "",
    log,
    transcripts,
    transcriptsOmitted: 0,
  };
  const finish = (stop: CredentialsStop, reason: string): CredentialsData => {
    const refusals = log.filter((l) => l.verdict === "rejected").map((l) => l.ms);
    if (refusals.length) data.failDelayMs = median(refusals);
    data.transcriptsOmitted = omitted;
    return Object.assign(data, { stop, reason });
  };

  try {
    if (proto.prepare) {
      const p = await proto.prepare(ctx);
      transcripts.push(...p.transcripts);
      // A TLS-wrapped service learns in prepare() which protocol runs inside it.
      data.service = proto.service;
      if (!p.ok) return finish(p.stop, p.reason);
      data.method = p.method;
      if (p.form) data.form = p.form;
    }
  } catch (e) {
    if (e instanceof BudgetError) return finish("budget", e.message);
    throw e;
  }

  // Whether the peer has ever given a verdict: a refusal or silence after that is a reaction to us.
  let answered = false;
  const refusalTimes: number[] = [];
  let slowInARow = 0;

  const attempt = async (
    kind: AttemptRecord["kind"],
    user: string,
    password: string,
    secret: boolean,
  ): Promise<AttemptResult> => {
    // A BudgetError (the probe's time is up) propagates before the attempt is counted.
    const r = await proto.attempt(ctx, { user, password, secret });
    data.attempts++;
    if (kind === "dictionary") data.tried++;
    log.push({
      kind,
      user,
      password: secret ? SUPPLIED_PASSWORD : password,
      verdict: r.verdict,
      ms: r.ms,
      ...(r.note ? { note: r.note } : {}),
    });
    const plain = r.verdict === "rejected" && kind === "dictionary";
    if (plain && log.filter((l) => l.verdict === "rejected").length > REFUSALS_KEPT)
      omitted += r.transcripts.length;
    else transcripts.push(...r.transcripts);
    return r;
  };

  /** The verdicts other than accepted/rejected: a stop, with what it says about a limit. */
  const abnormal = (r: AttemptResult): CredentialsData => {
    const n = data.attempts;
    if (r.verdict === "locked") {
      data.lockout = true;
      const failed = log.filter((l) => l.verdict === "rejected").length;
      data.limit = `it ${r.note ? `answered ${r.note}` : "locked logins"} after ${failed} failed attempts`;
      return finish("lockout", `the peer locked logins at attempt ${n}${said(r)}`);
    }
    if (r.verdict === "refused" && answered) {
      data.lockout = true;
      data.limit = `it refused the connection after ${n - 1} attempts (${r.note ?? "refused"})`;
      return finish("lockout", `the peer stopped accepting logins at attempt ${n}${said(r)}`);
    }
    if (r.verdict === "timeout" && answered) {
      data.throttled = true;
      data.limit = `it stopped answering within ${ctx.loginWaitMs} ms after ${n - 1} attempts (${r.note ?? "timeout"})`;
      return finish("throttled", `the peer stopped answering at attempt ${n}${said(r)}`);
    }
    return finish("error", `attempt ${n} could not be judged${said(r)}`);
  };

  /** A refusal: note its time; two markedly slower than the first ones in a row mean throttling. */
  const refused = (r: AttemptResult): CredentialsData | undefined => {
    answered = true;
    refusalTimes.push(r.ms);
    if (refusalTimes.length <= REFUSALS_KEPT) return undefined;
    const baseline = median(refusalTimes.slice(0, REFUSALS_KEPT));
    slowInARow = slow(r.ms, baseline) ? slowInARow + 1 : 0;
    if (slowInARow < 2) return undefined;
    data.throttled = true;
    data.limit = `its refusals slowed from about ${baseline} ms to ${r.ms} ms after ${data.attempts - 2} attempts`;
    return finish("throttled", `the peer slowed down at attempt ${data.attempts - 1}`);
  };

  try {
    const canary = improbablePair();
    const c = await attempt("canary", canary.user, canary.password, false);
    if (c.verdict === "accepted") {
      data.acceptsAnything = true;
      return finish("accepts-anything", `a random user name and password logged in${said(c)}`);
    }
    if (c.verdict !== "rejected") return abnormal(c);
    refused(c);

    if (proto.anonymous) {
      const a = await attempt("anonymous", proto.anonymous.user, proto.anonymous.password, false);
      if (a.verdict === "accepted") {
        data.anonymous = true;
        answered = true;
      } else if (a.verdict === "rejected") {
        data.anonymous = false;
        refused(a);
      } else return abnormal(a);
    }

    const foundUsers = new Set<string>();
    const width = Math.max(1, o.parallel ?? 1);
    const pairs = o.dictionary.pairs;
    let next = 0;
    for (;;) {
      while (next < pairs.length && foundUsers.has(pairs[next]!.user)) next++;
      if (next >= pairs.length) break;
      if (data.attempts >= o.maxLogins)
        return finish("cap", `the attempt cap of ${o.maxLogins} logins was reached`);
      // The next wave: pairs of users not found yet, at most `width`, never past the cap.
      const wave: (typeof pairs)[number][] = [];
      while (next < pairs.length && wave.length < Math.min(width, o.maxLogins - data.attempts)) {
        const pair = pairs[next++]!;
        if (!foundUsers.has(pair.user)) wave.push(pair);
      }
      const results = await Promise.all(
        wave.map((pair) => attempt("dictionary", pair.user, pair.password, o.dictionary.secret)),
      );
      for (const [k, r] of results.entries()) {
        const pair = wave[k]!;
        if (foundUsers.has(pair.user)) continue; // found by an earlier pair of the same wave
        if (r.verdict === "rejected") {
          const stop = refused(r);
          if (stop) return stop;
          continue;
        }
        if (r.verdict !== "accepted") return abnormal(r);
        answered = true;
        foundUsers.add(pair.user);
        const v = await attempt("verify", pair.user, improbablePassword(), false);
        if (v.verdict === "accepted") {
          if (r.ambiguous && v.ambiguous) {
            data.lockout = true;
            data.limit = `it answered a dictionary pair and a random password alike (${v.note ?? ""}) after ${data.attempts - 2} attempts`;
            return finish("lockout", `a dictionary pair and a random password got the same answer${said(v)}`);
          }
          data.acceptsAnything = true;
          return finish(
            "accepts-anything",
            `user ${pair.user} logged in with a random password too${said(v)}`,
          );
        }
        data.found.push({
          user: pair.user,
          password: o.dictionary.secret ? SUPPLIED_PASSWORD : pair.password,
          source: pair.source,
        });
        if (v.verdict !== "rejected") return abnormal(v);
        const stop = refused(v);
        if (stop) return stop;
      }
    }
    return finish(
      "exhausted",
      foundUsers.size
        ? `the dictionary (${o.dictionary.pairs.length} pairs) was tried to its end, skipping further pairs of users found`
        : `all ${o.dictionary.pairs.length} pairs of the dictionary were tried`,
    );
  } catch (e) {
    if (e instanceof BudgetError) return finish("budget", e.message);
    throw e;
  }
}
