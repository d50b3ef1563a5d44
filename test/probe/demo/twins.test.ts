// The demo device's two twins, probed in full from the lab: the insecure one fails exactly the
// checks its planted weaknesses should fail, and the hardened one passes them (with the findings
// that remain true of it: its broker and its HTTPS login do not slow down password guessing, and
// its certificate is self-signed).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { concordInLab, labUnavailable, labUp, type Lab } from "./lab.js";

interface Finding {
  check: string;
  status: string;
  message: string;
  requirements: string[];
}

/** "status check target:port" for every pass and fail, sorted; the port is the one the message names. */
function summary(findings: Finding[], target: string): string[] {
  return findings
    .filter((f) => (f.status === "pass" || f.status === "fail") && f.message.includes(`${target} `))
    .map((f) => {
      const port = /port (\d+)/.exec(f.message)?.[1] ?? /:(\d+)\//.exec(f.message)?.[1] ?? "-";
      return `${f.status} ${f.check} ${port}`;
    })
    .sort();
}

describe("demo device twins", { skip: labUnavailable() ?? false }, () => {
  let lab: Lab;
  let findings: Finding[];
  before(async () => {
    lab = labUp("twins");
    const r = await concordInLab(lab, ["probe", lab.insecure, lab.hardened, "--json"]);
    assert.equal(r.status, 1, `exit 1 when a check fails; stderr: ${r.stderr}`);
    findings = (JSON.parse(r.stdout) as { findings: Finding[] }).findings;
  });
  after(() => lab?.down());

  it("the insecure device fails every planted weakness", () => {
    assert.deepEqual(
      summary(findings, lab.insecure),
      [
        "fail probe.bruteforce-protection 2222",
        "fail probe.bruteforce-protection 21",
        "fail probe.bruteforce-protection 22",
        "fail probe.bruteforce-protection 23",
        "fail probe.bruteforce-protection 80",
        "fail probe.default-credentials 1883",
        "fail probe.default-credentials 22",
        "fail probe.default-credentials 2222",
        "fail probe.default-credentials 23",
        "fail probe.default-credentials 80",
        "fail probe.ftp-anonymous 21",
        "fail probe.http-admin-cleartext 80",
        "fail probe.insecure-services 21",
        "fail probe.insecure-services 23",
        "fail probe.mqtt-anonymous 1883",
        "fail probe.snmp-default-community 161",
        "fail probe.snmp-v3-default-user 161",
        "fail probe.ssh-weak-algorithms 22",
        "fail probe.ssh-weak-algorithms 2222",
        "fail probe.tls-certificate 443",
        "fail probe.tls-weak-ciphers 443",
        "fail probe.tls-weak-protocols 443",
        "fail probe.upnp-igd-unauthenticated 49152",
        "pass probe.default-credentials 21",
      ].sort(),
    );
  });

  it("names the Mirai pairs that log in, and says the broker takes any password", () => {
    const creds = findings.filter((f) => f.check === "probe.default-credentials" && f.status === "fail");
    const telnet = creds.find((f) => f.message.includes("port 23"));
    assert.equal(
      telnet?.message,
      'Telnet on 10.231.1.2 port 23 logs in with default credentials: root / "xc3511" (Mirai scanner.c credential table (source leaked October 2016)).',
    );
    assert.deepEqual(telnet?.requirements, ["AUTH-01"]);
    const web = creds.find((f) => f.message.includes("port 80"));
    assert.match(
      web!.message,
      /^The web login \(basic\) on 10\.231\.1\.2 port 80 logs in with default credentials: admin \/ "admin"/,
    );
    const mqtt = creds.find((f) => f.message.includes("port 1883"));
    assert.match(mqtt!.message, /accepts any credentials/);
    assert.doesNotMatch(mqtt!.message, /logs in with default credentials/);
  });

  it("names the default SNMPv3 user and its documented password", () => {
    const v3 = findings.find(
      (f) => f.check === "probe.snmp-v3-default-user" && f.message.includes(lab.insecure),
    );
    assert.equal(
      v3?.message,
      'The SNMPv3 agent on 10.231.1.2 port 161/udp answers the default user "initialmd5" with the MD5 password "initialmd5" (ExtremeWare XOS 10.1 Concepts Guide p.43) (sysDescr "HC200 camera firmware 2.4.1"): anyone who reads the vendor\'s manual can query it.',
    );
    assert.deepEqual(v3?.requirements, ["AUTH-01"]);
  });

  it("the hardened twin passes them", () => {
    assert.deepEqual(
      summary(findings, lab.hardened),
      [
        "fail probe.bruteforce-protection 1883",
        "fail probe.bruteforce-protection 443",
        "fail probe.tls-certificate 443",
        "pass probe.default-credentials 1883",
        "pass probe.default-credentials 443",
        "pass probe.http-admin-cleartext 80",
        "pass probe.mqtt-anonymous 1883",
        "pass probe.snmp-default-community 161",
        "pass probe.snmp-v3-default-user 161",
        "pass probe.ssh-weak-algorithms 22",
        "pass probe.tls-weak-ciphers 443",
        "pass probe.tls-weak-protocols 443",
        "pass probe.insecure-services -",
      ].sort(),
    );
  });
});
