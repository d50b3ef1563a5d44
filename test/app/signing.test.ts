// APK signatures on packages built here: v1 by `openssl smime`, v2/v3 blocks by package-tools.ts,
// keys and certificates by `openssl req`. Each signer's facts, the verification, the two signing
// checks, and damaged signing blocks (never a throw: a problem naming the APK).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { appDebugCertificate } from "../../src/checks/app-debug-certificate.js";
import { appSignatureScheme } from "../../src/checks/app-signature-scheme.js";
import { analyzeApkBytes } from "../../src/collect/app/analyze.js";
import { parsePkcs7, SigningError } from "../../src/collect/app/signing.js";
import { appEvidence } from "../../src/collect/app/collector.js";
import { EvidenceIndex } from "../../src/evidence/types.js";
import { writeAxml, type Node } from "./axml-writer.js";
import { makeSigner, signBlock, v1Files, zip } from "./package-tools.js";

const manifest = (minSdk: number): Node => ({
  name: "manifest",
  attrs: { package: "com.example.lamp" },
  children: [
    { name: "uses-sdk", attrs: { "android:minSdkVersion": minSdk, "android:targetSdkVersion": 34 } },
    { name: "application", attrs: { "android:allowBackup": false } },
  ],
});
const entries = (minSdk = 21): [string, Buffer][] => [
  ["AndroidManifest.xml", writeAxml(manifest(minSdk))],
  ["assets/readme.txt", Buffer.from("hello")],
];

const debugKey = makeSigner("/C=US/O=Android/CN=Android Debug");
const releaseEc = makeSigner("/C=DE/O=Example GmbH/CN=Lamp Release", "ec");
const weakRsa = makeSigner("/O=Example/CN=Old Release", "rsa:1024");

function judge(apk: Buffer) {
  const a = analyzeApkBytes(apk, "lamp.apk");
  const ev = new EvidenceIndex(appEvidence(a, "2026-11-25T00:00:00.000Z"));
  const f = [appDebugCertificate, appSignatureScheme].flatMap((c) =>
    c.evaluate(ev, { asOf: "2026-11-25" }).map((x) => [x.check, x.status, x.message] as const),
  );
  return { s: a.signing, f };
}

describe("APK signatures", () => {
  it("reads a debug-signed APK with v1, v2 and v3 and verifies each", () => {
    const files = entries();
    const apk = signBlock(zip([...files, ...v1Files(files, debugKey)]), debugKey, { v3: true });
    const { s, f } = judge(apk);
    assert.deepEqual(s.schemes, ["v1", "v2", "v3"]);
    assert.deepEqual(s.problems, []);
    assert.equal(s.package, "com.example.lamp");
    assert.equal(s.minSdk, 21);
    assert.deepEqual(
      s.signers.map((x) => [x.scheme, x.signatureAlgorithm, x.verified, x.note ?? null, x.minSdk ?? null]),
      [
        ["v1", "SHA256withRSA", true, null, null],
        ["v2", "RSASSA-PKCS1-v1_5 with SHA2-256", true, null, null],
        ["v3", "RSASSA-PKCS1-v1_5 with SHA2-256", true, null, 24],
      ],
    );
    const v2 = s.signers[1]!;
    assert.equal(v2.subject, "C=US, O=Android, CN=Android Debug");
    assert.equal(v2.issuer, v2.subject);
    assert.equal(v2.keyType, "rsa");
    assert.equal(v2.bits, 2048);
    assert.equal(v2.certificateSignatureAlgorithm, "sha256WithRSAEncryption");
    assert.equal(v2.debug, true);
    assert.match(v2.sha256, /^[0-9a-f]{64}$/);
    assert.ok(Date.parse(v2.notAfter) - Date.parse(v2.notBefore) > 29 * 365 * 86400e3);
    assert.deepEqual(f, [
      [
        "app.debug-certificate",
        "fail",
        "The app com.example.lamp is signed with the Android debug certificate (C=US, O=Android, CN=Android Debug; schemes v1, v2, v3): a development key, not a release key under the maker's control.",
      ],
      [
        "app.signature-scheme",
        "pass",
        "The app com.example.lamp is signed with schemes v1, v2, v3 (RSASSA-PKCS1-v1_5 with SHA2-256, RSA 2048-bit key), and every signature verifies.",
      ],
    ]);
  });

  it("reads a release EC key (v2 + v3, v1 with signed attributes) and passes both checks", () => {
    const files = entries(24);
    const apk = signBlock(zip([...files, ...v1Files(files, releaseEc, { attrs: true })]), releaseEc, {
      v3: true,
      extra: [[0x42726577, Buffer.alloc(64)]], // verity padding, ignored
    });
    const { s, f } = judge(apk);
    assert.deepEqual(
      s.signers.map((x) => [x.scheme, x.keyType, x.bits, x.signatureAlgorithm, x.verified, x.debug]),
      [
        ["v1", "ec", 256, "SHA256withECDSA", true, false],
        ["v2", "ec", 256, "ECDSA with SHA2-256", true, false],
        ["v3", "ec", 256, "ECDSA with SHA2-256", true, false],
      ],
    );
    assert.equal(f[0]![1], "pass");
    assert.match(
      f[0]![2],
      /^The app com\.example\.lamp is signed with a release certificate \(C=DE, O=Example GmbH, CN=Lamp Release, valid to \d{4}-\d\d-\d\d\)\.$/,
    );
    assert.deepEqual(f[1], [
      "app.signature-scheme",
      "pass",
      "The app com.example.lamp is signed with schemes v1, v2, v3 (ECDSA with SHA2-256, EC 256-bit key), and every signature verifies.",
    ]);
  });

  it("fails a v1-only APK with a SHA-1 signature (Janus)", () => {
    const files = entries();
    const { s, f } = judge(zip([...files, ...v1Files(files, releaseEc, { md: "sha1" })]));
    assert.deepEqual(s.schemes, ["v1"]);
    assert.equal(s.signers[0]!.signatureAlgorithm, "SHA1withECDSA");
    assert.equal(s.signers[0]!.verified, true);
    assert.equal(f[0]![1], "pass");
    assert.deepEqual(f[1], [
      "app.signature-scheme",
      "fail",
      "The app com.example.lamp has a weak signature: it is signed with scheme v1 (JAR signing) only, which leaves the ZIP structure unprotected and is open to Janus (CVE-2017-13156) on Android 5.0 to 8.0; its v1 signature uses SHA1withECDSA.",
    ]);
  });

  it("fails a 1024-bit RSA key", () => {
    const { s, f } = judge(signBlock(zip(entries(24)), weakRsa));
    assert.deepEqual(s.schemes, ["v2"]);
    assert.equal(s.signers[0]!.bits, 1024);
    assert.deepEqual(f[1], [
      "app.signature-scheme",
      "fail",
      "The app com.example.lamp has a weak signature: its RSA signing key has 1024 bits.",
    ]);
  });

  it("does not verify a tampered archive or a forged signature", () => {
    const apk = signBlock(zip(entries(24)), releaseEc);
    const tampered = Buffer.from(apk);
    tampered.writeUInt8(tampered.readUInt8(10) ^ 0x01, 10); // the first local header's modification time: covered by the v2 digest
    const t = judge(tampered);
    assert.equal(t.s.signers[0]!.verified, false);
    assert.equal(
      t.s.signers[0]!.note,
      "the archive's digest does not match the signed digest (modified after signing)",
    );
    assert.equal(
      t.f[1]![2],
      "The app com.example.lamp has a weak signature: its v2 signature does not verify (the archive's digest does not match the signed digest (modified after signing)).",
    );
    const forged = judge(signBlock(zip(entries(24)), releaseEc, { badSignature: true }));
    assert.equal(
      forged.s.signers[0]!.note,
      "the ECDSA with SHA2-256 signature over the signed data does not verify",
    );
  });

  it("reports an unsigned APK as info and stays silent on its certificate", () => {
    const { s, f } = judge(zip(entries()));
    assert.deepEqual(s.schemes, []);
    assert.deepEqual(f, [
      [
        "app.signature-scheme",
        "info",
        "The app com.example.lamp is not signed: Android installs no unsigned package, so this is not the released build; analyze the signed release.",
      ],
    ]);
  });

  it("names the APK for a signing block whose size lies", () => {
    const apk = Buffer.from(signBlock(zip(entries(24)), releaseEc));
    const eocd = apk.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const cd = apk.readUInt32LE(eocd + 16);
    apk.writeUInt32LE(apk.readUInt32LE(cd - 24) + 8, cd - 24); // footer size no longer matches the header
    const { s } = judge(apk);
    assert.deepEqual(s.signers, []);
    assert.match(
      s.problems[0]!,
      /^lamp\.apk APK Signing Block: its size \(\d+ bytes\) does not match its header at offset 0x[0-9a-f]+$/,
    );
  });

  it("survives mutations of the signing block and the v1 signature: problems, never a throw", () => {
    const files = entries(24);
    const apk = signBlock(zip([...files, ...v1Files(files, releaseEc)]), releaseEc, { v3: true });
    const eocd = apk.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const cd = apk.readUInt32LE(eocd + 16);
    const blockStart = cd - Number(apk.readBigUInt64LE(cd - 24)) - 8;
    let seed = 99;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed);
    let unverified = 0;
    for (let i = 0; i < 300; i++) {
      const b = Buffer.from(apk);
      for (let k = 0; k <= rand() % 3; k++) {
        const at = blockStart + (rand() % (cd - blockStart));
        if (rand() % 2) b[at] = rand() & 0xff;
        else b.writeUInt32LE(0xffffffff - (rand() & 0xff), Math.min(at, cd - 4));
      }
      const a = analyzeApkBytes(b, "fuzz.apk");
      for (const p of a.signing.problems) assert.match(p, /^fuzz\.apk/);
      if (a.signing.signers.some((x) => x.scheme !== "v1" && !x.verified) || a.signing.problems.length)
        unverified++;
      assert.ok(
        a.signing.signers.some((x) => x.scheme === "v1" && x.verified),
        `mutation ${i} broke v1`,
      );
    }
    assert.ok(unverified > 200, `${unverified} of 300 mutations noticed`);
  });

  it("survives a PKCS#7 mutation loop: parsed or a SigningError naming the file", () => {
    const files = entries();
    const block = v1Files(files, debugKey, { attrs: true })[2]![1];
    assert.equal(parsePkcs7(block, "CERT.RSA").certs.length, 1);
    let seed = 17;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed);
    let errors = 0;
    for (let i = 0; i < 2000; i++) {
      const b = Buffer.from(block);
      for (let k = 0; k <= rand() % 3; k++) b[rand() % b.length] = rand() & 0xff;
      try {
        parsePkcs7(rand() % 10 === 0 ? b.subarray(0, rand() % b.length) : b, "CERT.RSA");
      } catch (e) {
        assert.ok(e instanceof SigningError, `mutation ${i}: ${String(e)}`);
        assert.match(e.message, /^CERT\.RSA: /);
        errors++;
      }
    }
    assert.ok(errors > 100, `${errors} mutations failed`);
  });
});
