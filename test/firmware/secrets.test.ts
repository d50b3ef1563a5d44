// The secrets analyzer and the secret and certificate checks on real keys, certificates and
// images: keys made here with openssl and ssh-keygen, planted in a root filesystem with decoys
// (public keys, a CA bundle, placeholder passwords), packed as tar and squashfs.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { firmwareCertificates } from "../../src/checks/firmware-certificates.js";
import { firmwareEmbeddedCredentials } from "../../src/checks/firmware-embedded-secrets.js";
import { firmwareHardcodedKeys } from "../../src/checks/firmware-hardcoded-keys.js";
import { analyzeFirmware } from "../../src/collect/firmware/analyze.js";
import { classifyDer } from "../../src/collect/firmware/analyzers/secrets/der.js";
import { secretsAnalyzer } from "../../src/collect/firmware/analyzers/secrets/index.js";
import { parseOpenSsh } from "../../src/collect/firmware/analyzers/secrets/openssh.js";
import { findPemBlocks } from "../../src/collect/firmware/analyzers/secrets/pem.js";
import {
  findAssignments,
  findShapedTokens,
  isPlaceholder,
} from "../../src/collect/firmware/analyzers/secrets/tokens.js";
import type { Fact, FileView } from "../../src/collect/firmware/analyzers/types.js";
import { firmwareEvidence } from "../../src/collect/firmware/collector.js";
import type { SecretData } from "../../src/evidence/firmware.js";
import { EvidenceIndex } from "../../src/evidence/types.js";
import { run, squashfsImage, tarImage, tmp, writeTree } from "../helpers/fwimage.js";

const work = tmp("concord-secrets-");
const file = (name: string) => join(work, name);
const openssl = (...args: string[]) => run("openssl", args, { cwd: work });
const text = (name: string) => readFileSync(file(name), "utf8");

/** Run the analyzer on one file's bytes, as the walk would. */
function scan(path: string, bytes: Uint8Array | string, mode = 0o644): Fact<SecretData>[] {
  const b = typeof bytes === "string" ? Buffer.from(bytes) : Buffer.from(bytes);
  const facts: Fact<SecretData>[] = [];
  const runner = secretsAnalyzer.create();
  const view: FileView = {
    path,
    entry: { path, type: "file", mode, uid: 0, gid: 0, size: b.length },
    head: () => b.subarray(0, 512),
    read: () => b,
    text: () => b.toString("utf8"),
  };
  if (runner.wants(view))
    runner.analyze(view, {
      fs: undefined as never,
      vfs: undefined as never,
      emit: (f) => facts.push(f as Fact<SecretData>),
    });
  return facts;
}
const brief = (f: Fact<SecretData>) => ({
  location: f.location,
  type: f.data.type,
  format: f.data.format,
  ...(f.data.keyType ? { keyType: f.data.keyType } : {}),
  ...(f.data.bits ? { bits: f.data.bits } : {}),
  ...(f.data.encrypted !== undefined ? { encrypted: f.data.encrypted } : {}),
  ...(f.data.name ? { name: f.data.name } : {}),
});

// --- material, made once ------------------------------------------------------------------------
openssl("genrsa", "-traditional", "-out", "rsa1024.pem", "1024");
openssl("pkcs8", "-topk8", "-nocrypt", "-in", "rsa1024.pem", "-outform", "DER", "-out", "rsa1024.p8.der");
openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec.pem");
openssl("pkcs8", "-topk8", "-nocrypt", "-in", "ec.pem", "-outform", "DER", "-out", "ec.p8.der");
openssl("ec", "-in", "ec.pem", "-outform", "DER", "-out", "ec.sec1.der");
openssl("pkey", "-in", "rsa1024.pem", "-pubout", "-out", "rsa1024.pub.pem");
openssl("pkcs8", "-topk8", "-in", "ec.pem", "-passout", "pass:hunter22", "-out", "ec.enc.pem");
openssl(
  "rsa",
  "-in",
  "rsa1024.pem",
  "-aes128",
  "-passout",
  "pass:hunter22",
  "-traditional",
  "-out",
  "rsa.legacy-enc.pem",
);
run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "root@camera", "-f", file("id_ed25519")]);
run("ssh-keygen", ["-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", file("id_rsa")]);
run("ssh-keygen", ["-q", "-t", "ecdsa", "-b", "384", "-N", "", "-f", file("id_ecdsa")]);
run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "secret-pass", "-f", file("id_enc")]);
writeFileSync(file("id_rsa.pem"), readFileSync(file("id_rsa")), { mode: 0o600 });
run("ssh-keygen", ["-q", "-p", "-N", "", "-m", "PEM", "-f", file("id_rsa.pem")]);

// An expired (2020-2021) self-signed certificate for the 1024-bit key, via `openssl ca`, which
// takes explicit dates; and two current CA certificates for a trust-store bundle.
writeFileSync(
  file("ca.cnf"),
  "[ca]\ndefault_ca = d\n[d]\ndatabase = index.txt\nnew_certs_dir = .\nserial = serial\ndefault_md = sha256\npolicy = p\nunique_subject = no\n[p]\ncommonName = supplied\n",
);
writeFileSync(file("index.txt"), "");
writeFileSync(file("serial"), "01\n");
openssl("req", "-new", "-key", "rsa1024.pem", "-subj", "/CN=camera.local", "-out", "server.csr");
openssl(
  "ca",
  "-batch",
  "-notext",
  "-config",
  "ca.cnf",
  "-selfsign",
  "-keyfile",
  "rsa1024.pem",
  "-in",
  "server.csr",
  "-startdate",
  "20200101000000Z",
  "-enddate",
  "20210101000000Z",
  "-out",
  "server.crt",
);
for (const n of ["1", "2"])
  openssl(
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-nodes",
    "-keyout",
    `root${n}.key`,
    "-subj",
    `/O=Trust ${n}/CN=Root CA ${n}`,
    "-days",
    "3650",
    "-out",
    `root${n}.crt`,
  );
openssl(
  "pkcs12",
  "-export",
  "-in",
  "server.crt",
  "-inkey",
  "rsa1024.pem",
  "-passout",
  "pass:x",
  "-out",
  "server.p12",
);
openssl("x509", "-in", "server.crt", "-outform", "DER", "-out", "server.der.crt");

describe("secrets: keys in every encoding", () => {
  it("PEM PKCS#1, PKCS#8 DER and OpenSSH forms of one key share one fingerprint", () => {
    const [pkcs1] = scan("/k/rsa.pem", readFileSync(file("rsa1024.pem")));
    const [der] = scan("/k/rsa.der", readFileSync(file("rsa1024.p8.der")));
    assert.deepEqual(brief(pkcs1!), {
      location: "/k/rsa.pem",
      type: "private-key",
      format: "pem/pkcs1",
      keyType: "rsa",
      bits: 1024,
      encrypted: false,
    });
    assert.equal(der!.data.format, "der/pkcs8");
    assert.equal(der!.data.fingerprint, pkcs1!.data.fingerprint);
    assert.equal(der!.data.spki, pkcs1!.data.spki);

    const [ossh] = scan("/root/.ssh/id_rsa", readFileSync(file("id_rsa")));
    const [asPem] = scan("/root/.ssh/id_rsa.pem", readFileSync(file("id_rsa.pem")));
    assert.deepEqual(brief(ossh!), {
      location: "/root/.ssh/id_rsa",
      type: "private-key",
      format: "openssh",
      keyType: "rsa",
      bits: 2048,
      encrypted: false,
    });
    assert.equal(asPem!.data.format, "pem/pkcs1");
    assert.equal(ossh!.data.fingerprint, asPem!.data.fingerprint, "OpenSSH and PEM of one RSA key match");
  });

  it("EC keys: SEC1 PEM and PKCS#8 DER match; OpenSSH ECDSA and Ed25519 load", () => {
    const [sec1] = scan("/k/ec.pem", readFileSync(file("ec.pem")));
    const [p8] = scan("/k/ec.der", readFileSync(file("ec.p8.der")));
    assert.deepEqual(brief(sec1!), {
      location: "/k/ec.pem",
      type: "private-key",
      format: "pem/sec1",
      keyType: "ec",
      bits: 256,
      encrypted: false,
    });
    assert.equal(p8!.data.fingerprint, sec1!.data.fingerprint);
    assert.deepEqual(
      [...scan("/a", readFileSync(file("id_ecdsa"))), ...scan("/b", readFileSync(file("id_ed25519")))].map(
        brief,
      ),
      [
        {
          location: "/a",
          type: "private-key",
          format: "openssh",
          keyType: "ec",
          bits: 384,
          encrypted: false,
        },
        {
          location: "/b",
          type: "private-key",
          format: "openssh",
          keyType: "ed25519",
          bits: 256,
          encrypted: false,
        },
      ],
    );
  });

  it("encrypted keys are still reported, marked encrypted", () => {
    const facts = [
      ...scan("/k/ec.enc.pem", readFileSync(file("ec.enc.pem"))),
      ...scan("/k/legacy.pem", readFileSync(file("rsa.legacy-enc.pem"))),
      ...scan("/k/id_enc", readFileSync(file("id_enc"))),
    ];
    assert.deepEqual(facts.map(brief), [
      { location: "/k/ec.enc.pem", type: "private-key", format: "pem/encrypted-pkcs8", encrypted: true },
      {
        location: "/k/legacy.pem",
        type: "private-key",
        format: "pem/pkcs1-encrypted",
        keyType: "rsa",
        encrypted: true,
      },
      {
        location: "/k/id_enc",
        type: "private-key",
        format: "openssh",
        keyType: "ed25519",
        bits: 256,
        encrypted: true,
      },
    ]);
    // An encrypted OpenSSH key is identified by its public half, which is in the clear.
    const pub = parseOpenSsh(
      Buffer.from(
        text("id_enc")
          .replace(/-----[A-Z ]+-----/g, "")
          .replace(/\s/g, ""),
        "base64",
      ),
    );
    assert.ok(pub?.spki);
  });

  it("PKCS#12 and DER certificates are recognised by structure, other DER is not", () => {
    assert.equal(classifyDer(readFileSync(file("server.p12"))), "pkcs12");
    assert.equal(classifyDer(readFileSync(file("server.der.crt"))), "certificate");
    assert.equal(classifyDer(readFileSync(file("rsa1024.p8.der"))), "pkcs8");
    const seq = Buffer.from("3006020101020102", "hex"); // SEQUENCE of two INTEGERs
    assert.equal(classifyDer(seq), undefined);
    assert.deepEqual(scan("/etc/cert/device.p12", readFileSync(file("server.p12"))).map(brief), [
      { location: "/etc/cert/device.p12", type: "pkcs12", format: "pkcs12" },
    ]);
  });

  it("describes a certificate: subject, issuer, expiry, key, self-signed", () => {
    const [pem] = scan("/etc/ssl/server.crt", readFileSync(file("server.crt")));
    const [der] = scan("/etc/ssl/server.cer", readFileSync(file("server.der.crt")));
    const [key] = scan("/k", readFileSync(file("rsa1024.pem")));
    const { fingerprint, spki, ...rest } = pem!.data;
    assert.deepEqual(rest, {
      type: "certificate",
      format: "pem/x509",
      subject: "CN=camera.local",
      issuer: "CN=camera.local",
      selfSigned: true,
      notAfter: "2021-01-01T00:00:00.000Z",
      keyType: "rsa",
      bits: 1024,
    });
    assert.equal(der!.data.format, "der/x509");
    assert.equal(der!.data.fingerprint, fingerprint);
    assert.equal(spki, key!.data.spki, "the certificate and its key share the public-key fingerprint");
  });

  it("public keys, CSRs and bare markers are not secrets", () => {
    assert.deepEqual(scan("/etc/ssl/public.pem", readFileSync(file("rsa1024.pub.pem"))), []);
    assert.deepEqual(scan("/etc/ssl/server.csr", readFileSync(file("server.csr"))), []);
    assert.deepEqual(scan("/root/.ssh/id_rsa.pub", readFileSync(file("id_rsa.pub"))), []);
    // A TLS library carries the markers as separate strings with other data between them.
    const lib = Buffer.concat([
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0]),
      Buffer.from("-----BEGIN RSA PRIVATE KEY-----\0%s\0PEM_read_bio\0-----END RSA PRIVATE KEY-----\0"),
    ]);
    assert.deepEqual(scan("/usr/lib/libcrypto.so", lib), []);
    // A documentation placeholder with the right markers but no key inside.
    assert.deepEqual(
      scan("/usr/share/doc/x.txt", "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n"),
      [],
    );
  });

  it("keys inside binaries and source text: PEM with escaped newlines, DER at an offset", () => {
    const ecPem = text("ec.pem");
    const json = JSON.stringify({ cloud: { key: ecPem } });
    assert.deepEqual(scan("/etc/cloud.json", `{"x":1,\n${json.slice(1)}`).map(brief), [
      {
        location: "/etc/cloud.json:2",
        type: "private-key",
        format: "pem/sec1",
        keyType: "ec",
        bits: 256,
        encrypted: false,
      },
    ]);
    const p8 = readFileSync(file("ec.p8.der"));
    const sec1 = readFileSync(file("ec.sec1.der"));
    const blob = Buffer.concat([
      Buffer.alloc(0x1234, 0xa5),
      p8,
      Buffer.alloc(0x100, 0),
      sec1,
      Buffer.alloc(9, 0),
    ]);
    const facts = scan("/lib/firmware/wifi.bin", blob);
    assert.deepEqual(facts.map(brief), [
      {
        location: "/lib/firmware/wifi.bin@0x1234",
        type: "private-key",
        format: "der/pkcs8",
        keyType: "ec",
        bits: 256,
        encrypted: false,
      },
      {
        location: `/lib/firmware/wifi.bin@0x${(0x1234 + p8.length + 0x100).toString(16)}`,
        type: "private-key",
        format: "der/sec1",
        keyType: "ec",
        bits: 256,
        encrypted: false,
      },
    ]);
    assert.equal(facts[0]!.data.fingerprint, facts[1]!.data.fingerprint, "one key, two encodings");
    assert.equal(
      findPemBlocks(Buffer.from(`"${ecPem.replace(/\n/g, '\\n" +\n  "')}"`)).length,
      1,
      "JS string concatenation",
    );
  });
});

describe("secrets: tokens and passwords", () => {
  it("finds shaped tokens and ignores documentation examples and look-alikes", () => {
    const jwt = `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString("base64url")}.${Buffer.from('{"sub":"device-42","iat":1700000000}').toString("base64url")}.c2lnbmF0dXJlLWJ5dGVzLWhlcmU`;
    const t = [
      "AWS_ACCESS_KEY_ID=AKIAZ7Q3MPLV4RTX2N5K",
      "example AKIAIOSFODNN7EXAMPLE",
      `auth ${jwt}`,
      "eyJub3QiOiJqd3QifQ.eyJub3QiOiJqd3QifQ.AAAAAAAAAAAAAAAAAAAA",
      `gh=ghp_${"a1B2".repeat(9)}`,
      "not AKIA1234 short",
    ].join("\n");
    assert.deepEqual(
      findShapedTokens(t).map((h) => [h.format, h.value.slice(0, 8)]),
      [
        ["aws-access-key-id", "AKIAZ7Q3"],
        ["jwt", "eyJhbGci"],
        ["github-token", "ghp_a1B2"],
      ],
    );
  });

  it("reads password assignments in their common forms", () => {
    const conf = [
      "password=Sup3rS3cret!",
      'export ADMIN_PASS="letmein99"',
      '  "api_key": "k-123456789",',
      "wpa_passphrase: wifi-pass-1",
      "\toption key 'CorrectHorse'",
      "<password>xml-pw-1</password>",
      'echo "root:toor1234" | chpasswd',
      "smtp.authPassword = mail-pw-9",
      'wpa_passphrase="correct horse battery"',
      "PASSWORD2=pa$$word99",
    ].join("\n");
    assert.deepEqual(
      findAssignments(conf).map((h) => [h.type, h.format, h.name, h.value]),
      [
        ["password", "assignment", "password", "Sup3rS3cret!"],
        ["password", "assignment", "ADMIN_PASS", "letmein99"],
        ["api-token", "assignment", "api_key", "k-123456789"],
        ["password", "assignment", "wpa_passphrase", "wifi-pass-1"],
        ["password", "uci-option", "key", "CorrectHorse"],
        ["password", "xml-element", "password", "xml-pw-1"],
        ["password", "chpasswd", "chpasswd:root", "toor1234"],
        ["password", "assignment", "smtp.authPassword", "mail-pw-9"],
        ["password", "assignment", "wpa_passphrase", "correct horse battery"],
        ["password", "assignment", "PASSWORD2", "pa$$word99"],
      ],
    );
  });

  it("skips placeholders, references, code and names that are not the credential", () => {
    const conf = [
      "password=CHANGEME",
      "password=$PASS",
      'password="${WIFI_PSK}"',
      "password=%DB_PASSWORD%",
      "password={{ vault_pw }}",
      "password=<your password>",
      "password=xxxxxxxx",
      "password=",
      'password=""',
      "password=$(cat /run/pw)",
      "passwd_file=/etc/ppp/pap-secrets",
      "min_password_length=8",
      "password_required=yes",
      "var password = form.password.value;",
      "password = getpass()",
      "passive_mode=enabled",
      "bypass=12345678",
      "token_type=Bearer",
      'read -p "Password: " PW',
      "http://user:pass@host/",
      "# input_password = hunter2hunter2",
      "  ; admin_password=hunter2hunter2",
      "// apiKey: 'hunter2hunter2'",
      "secret = $insta::secret # pass:insta",
      "<!-- <password>repopwd</password> -->",
      "cat_passwd='getent passwd'",
      "private_key = $dir/private/cakey.pem",
    ].join("\n");
    assert.deepEqual(findAssignments(conf), []);
    for (const v of ["changeme", "your_password_here", "****", "none", "true"])
      assert.ok(isPlaceholder(v), v);
    for (const v of ["admin123", "Sup3rS3cret!", "1234"]) assert.equal(isPlaceholder(v), false, v);
  });

  it("reads assignments only in configuration files and scripts", () => {
    assert.equal(scan("/etc/app.conf", "password=Sup3rS3cret!\n").length, 1);
    assert.equal(scan("/usr/bin/start", "#!/bin/sh\nPASSWORD=Sup3rS3cret!\n").length, 1);
    assert.equal(scan("/usr/share/man/man1/x.1", "password=Sup3rS3cret!\n").length, 0);
    const google = `export GOOGLE_API_KEY="AIza${"Xy9_-".repeat(7)}"\n`;
    assert.deepEqual(scan("/etc/profile.d/keys.sh", google).map(brief), [
      { location: "/etc/profile.d/keys.sh:1", type: "api-token", format: "google-api-key" },
    ]);
    assert.equal(scan("/etc/nsswitch.conf", "passwd:         files systemd\n").length, 0);
    assert.equal(scan("/etc/group", "passwd:x:1001:\n").length, 0);
  });
});

// --- Whole images -------------------------------------------------------------------------------

const AWS_KEY = "AKIAZ7Q3MPLV4RTX2N5K";
function plantedTree() {
  const ecPem = text("ec.pem");
  const cSource = `#include <stdio.h>\nstatic const char key[] = "${ecPem.replace(/\n/g, "\\n")}";\nint main(void) { return puts(key); }\n`;
  writeFileSync(file("cloudd.c"), cSource);
  run("gcc", ["-O2", "-o", file("cloudd"), file("cloudd.c")]);
  const cloudd = readFileSync(file("cloudd"));
  return {
    cloudd,
    tree: {
      "etc/ssl/private/server.key": { content: readFileSync(file("rsa1024.pem")), mode: 0o600 },
      "etc/ssl/certs/server.crt": text("server.crt"),
      "etc/ssl/certs/ca-certificates.crt": text("root1.crt") + text("root2.crt"),
      "etc/ssl/public.pem": text("rsa1024.pub.pem"),
      "usr/bin/cloudd": { content: cloudd, mode: 0o755 },
      "root/.ssh/id_ed25519": { content: text("id_ed25519"), mode: 0o600 },
      "root/.ssh/id_ed25519.pub": text("id_ed25519.pub"),
      "root/.ssh/authorized_keys": text("id_rsa.pub"),
      "usr/bin/upload.sh": {
        content: `#!/bin/sh\n# push logs\nexport AWS_ACCESS_KEY_ID=${AWS_KEY}\naws s3 cp /tmp/log s3://bucket/\n`,
        mode: 0o755,
      },
      "etc/app.conf":
        "[db]\nuser=admin\npassword=Sup3rS3cret!\nbackup_password=CHANGEME\nreplica_password=$PASS\n",
      "etc/wpa_supplicant.conf": 'network={\n  ssid="home"\n  psk="${WIFI_PSK}"\n}\n',
      "etc/motd": "Welcome\n",
    },
  };
}

describe("secrets on images", () => {
  const { tree, cloudd } = plantedTree();
  const root = writeTree(tree);
  const keyOffset = cloudd.indexOf("-----BEGIN EC PRIVATE KEY-----");
  const secondRootLine = text("root1.crt").split("\n").length;
  const images: [string, string, string][] = [
    ["tar", tarImage(root), "tar@0x0"],
    ["squashfs", squashfsImage(root, "gzip"), "squashfs@0x0"],
  ];
  for (const [label, image, fsId] of images)
    it(`finds exactly the planted secrets in a ${label} image and the checks judge them`, () => {
      const r = analyzeFirmware(image, { analyzers: [secretsAnalyzer], cache: false });
      assert.deepEqual(r.image.problems, []);
      const facts = r.facts.map((f) => brief(f as Fact<SecretData>));
      assert.deepEqual(facts, [
        { location: `${fsId}:/etc/app.conf:3`, type: "password", format: "assignment", name: "password" },
        {
          location: `${fsId}:/etc/ssl/certs/ca-certificates.crt`,
          type: "certificate",
          format: "pem/x509",
          keyType: "ec",
          bits: 256,
        },
        {
          location: `${fsId}:/etc/ssl/certs/ca-certificates.crt:${secondRootLine}`,
          type: "certificate",
          format: "pem/x509",
          keyType: "ec",
          bits: 256,
        },
        {
          location: `${fsId}:/etc/ssl/certs/server.crt`,
          type: "certificate",
          format: "pem/x509",
          keyType: "rsa",
          bits: 1024,
        },
        {
          location: `${fsId}:/etc/ssl/private/server.key`,
          type: "private-key",
          format: "pem/pkcs1",
          keyType: "rsa",
          bits: 1024,
          encrypted: false,
        },
        {
          location: `${fsId}:/root/.ssh/id_ed25519`,
          type: "private-key",
          format: "openssh",
          keyType: "ed25519",
          bits: 256,
          encrypted: false,
        },
        {
          location: `${fsId}:/usr/bin/cloudd@0x${keyOffset.toString(16)}`,
          type: "private-key",
          format: "pem/sec1",
          keyType: "ec",
          bits: 256,
          encrypted: false,
        },
        { location: `${fsId}:/usr/bin/upload.sh:3`, type: "api-token", format: "aws-access-key-id" },
      ]);

      const evidence = new EvidenceIndex(firmwareEvidence(r, "fw.bin", "2026-11-25T00:00:00.000Z"));
      const judge = (c: typeof firmwareHardcodedKeys) =>
        c.evaluate(evidence, { asOf: "2026-11-25" }).map((f) => [f.status, f.message]);
      assert.deepEqual(judge(firmwareHardcodedKeys), [
        [
          "fail",
          "An unencrypted RSA 1024-bit private key is in the image at /etc/ssl/private/server.key (PEM PKCS#1): every unit ships the same key.",
        ],
        [
          "fail",
          "An unencrypted Ed25519 private key is in the image at /root/.ssh/id_ed25519 (OpenSSH): every unit ships the same key.",
        ],
        [
          "fail",
          `An unencrypted EC 256-bit private key is in the image at /usr/bin/cloudd@0x${keyOffset.toString(16)} (PEM SEC1): every unit ships the same key.`,
        ],
      ]);
      assert.deepEqual(judge(firmwareEmbeddedCredentials), [
        ["fail", 'A hard-coded password assigned to "password" is in the image at /etc/app.conf:3.'],
        ["fail", "A hard-coded AWS access key ID is in the image at /usr/bin/upload.sh:3."],
      ]);
      assert.deepEqual(judge(firmwareCertificates), [
        [
          "fail",
          'The device certificate "CN=camera.local" at /etc/ssl/certs/server.crt (its private key is at /etc/ssl/private/server.key) expired on 2021-01-01, has an RSA 1024-bit key and is self-signed.',
        ],
      ]);
    });

  it("an image with only decoys passes both secret checks", () => {
    const clean = writeTree({
      "etc/ssl/certs/ca-certificates.crt": text("root1.crt") + text("root2.crt"),
      "etc/ssl/public.pem": text("rsa1024.pub.pem"),
      "root/.ssh/authorized_keys": text("id_rsa.pub"),
      "etc/app.conf": "password=CHANGEME\nsecret=$SECRET\n",
    });
    const r = analyzeFirmware(tarImage(clean), { analyzers: [secretsAnalyzer], cache: false });
    const evidence = new EvidenceIndex(firmwareEvidence(r, "clean.bin", "2026-11-25T00:00:00.000Z"));
    const ctx = { asOf: "2026-11-25" };
    assert.deepEqual(
      [firmwareHardcodedKeys, firmwareEmbeddedCredentials, firmwareCertificates].flatMap((c) =>
        c.evaluate(evidence, ctx).map((f) => [f.status, f.message]),
      ),
      [
        ["pass", "No unencrypted private key was found in clean.bin."],
        [
          "pass",
          "No hard-coded password or access token was found in the configuration files, scripts or binaries of clean.bin.",
        ],
        ["pass", "2 certificates found; none is the device's own."],
      ],
    );
  });
});

// --- Hostile input ------------------------------------------------------------------------------

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

describe("secrets on damaged input", () => {
  it("truncated and corrupted keys are dropped, never thrown", () => {
    const pem = text("rsa1024.pem");
    assert.deepEqual(scan("/k", pem.slice(0, pem.length / 2)), [], "no END marker");
    const broken = pem.replace(/(\n[A-Za-z0-9+/]{10})[A-Za-z0-9+/]{20}/, "$1");
    assert.deepEqual(scan("/k", broken), [], "a body that no longer decodes to a key");
    const ossh = text("id_ed25519");
    const body = Buffer.from(ossh.replace(/-----[A-Z ]+-----/g, "").replace(/\s/g, ""), "base64");
    for (let n = 0; n < body.length; n += 7) assert.doesNotThrow(() => parseOpenSsh(body.subarray(0, n)));
    // A length field claiming 4 GiB.
    const huge = Buffer.from(body);
    huge.writeUInt32BE(0xffffffff, 15);
    assert.equal(parseOpenSsh(huge), undefined);
    // DER lengths beyond the buffer, indefinite lengths, deep nesting.
    assert.equal(classifyDer(Buffer.from("3084ffffffff020100", "hex")), undefined);
    assert.equal(classifyDer(Buffer.from("3080020100", "hex")), undefined);
    assert.equal(classifyDer(Buffer.alloc(4096, 0x30)), undefined);
  });

  it("survives 400 random mutations of key, certificate and container files", () => {
    const rnd = mulberry32(0x5ec2e7);
    const seeds = [
      readFileSync(file("rsa1024.pem")),
      readFileSync(file("rsa1024.p8.der")),
      readFileSync(file("ec.p8.der")),
      readFileSync(file("id_rsa")),
      readFileSync(file("server.crt")),
      readFileSync(file("server.p12")),
      Buffer.concat([Buffer.alloc(64, 1), readFileSync(file("ec.p8.der")), Buffer.alloc(64, 2)]),
    ];
    const started = Date.now();
    for (let i = 0; i < 400; i++) {
      const b = Buffer.from(seeds[i % seeds.length]!);
      for (let k = 0, n = 1 + Math.floor(rnd() * 6); k < n; k++)
        b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
      const cut = rnd() < 0.2 ? b.subarray(0, Math.floor(rnd() * b.length)) : b;
      // The analyzer must never throw: bad input is simply not a secret.
      scan(i % 2 ? "/etc/x.conf" : "/bin/x", cut);
      // Mutating base64 text exercises the decoders; also mutate the decoded PEM body.
      if (i % seeds.length === 0) {
        const der = Buffer.from(
          b
            .toString("latin1")
            .replace(/-----[A-Z ]+-----/g, "")
            .replace(/\s/g, ""),
          "base64",
        );
        scan("/k.der", der);
      }
    }
    assert.ok(Date.now() - started < 10_000);
  });
});
