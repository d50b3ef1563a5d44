// Table tests for the companion-app checks added with the iOS, signing and pinning analysis.
import { appAtsExceptions } from "../../src/checks/app-ats-exceptions.js";
import { appCertificatePinning } from "../../src/checks/app-certificate-pinning.js";
import { appDebugCertificate } from "../../src/checks/app-debug-certificate.js";
import { appDebuggable } from "../../src/checks/app-debuggable.js";
import { appHardcodedSecrets } from "../../src/checks/app-hardcoded-secrets.js";
import { appSignatureScheme } from "../../src/checks/app-signature-scheme.js";
import { appUserCaTrusted } from "../../src/checks/app-user-ca-trusted.js";
import {
  APP,
  type AppManifestData,
  type AppPinningData,
  type AppSecretData,
  type AppSignerData,
  type AppSigningData,
  type IosAtsData,
  type IosBundleData,
} from "../../src/evidence/app.js";
import { makeEvidence } from "../../src/evidence/types.js";
import { checkTable } from "../helpers/check-table.js";

const SHA = { a: "a".repeat(64), b: "b".repeat(64) };
const app = <T>(kind: string, data: T, sha = SHA.a) =>
  makeEvidence(kind, "app", data, {
    collector: "app",
    version: "test",
    artifact: { path: "cam.pkg", sha256: sha },
    location: "cam.pkg!/x",
    at: "2026-11-25T00:00:00.000Z",
  });

const ats = (x: Partial<IosAtsData> = {}): IosAtsData => ({
  declared: true,
  allowsArbitraryLoads: false,
  arbitraryLoadsEffective: false,
  allowsArbitraryLoadsForMedia: false,
  allowsArbitraryLoadsInWebContent: false,
  allowsLocalNetworking: false,
  exceptionDomains: [],
  pinnedDomains: [],
  ...x,
});
const bundle = (x: Partial<IosBundleData> = {}, sha = SHA.a) =>
  app<IosBundleData>(
    APP.iosBundle,
    {
      path: "cam.ipa",
      platform: "ios",
      bundleId: "com.example.cam",
      urlSchemes: [],
      ats: ats(),
      encrypted: false,
      httpEndpoints: 0,
      secrets: 0,
      problems: [],
      ...x,
    },
    sha,
  );
const manifest = (x: Partial<AppManifestData> = {}, sha = SHA.a) =>
  app<AppManifestData>(
    APP.manifest,
    {
      path: "cam.apk",
      platform: "android",
      package: "com.example.cam",
      targetSdk: 34,
      debuggable: false,
      allowBackup: false,
      allowBackupDeclared: true,
      backupRules: false,
      cleartextPermitted: false,
      networkSecurityConfig: false,
      userCAs: "not-trusted",
      secrets: 0,
      dangerousPermissions: [],
      httpEndpoints: 0,
      exportedUnprotected: 0,
      problems: [],
      ...x,
    },
    sha,
  );
const endpoint = (url: string, sha = SHA.a) =>
  app(APP.endpoint, { url, scheme: "http", file: "Payload/Cam.app/Cam" }, sha);
const secret = (format: string, file: string, sha = SHA.a) =>
  app<AppSecretData>(APP.secret, { format, redacted: "abcd… (20 chars)", file }, sha);
const signer = (x: Partial<AppSignerData> = {}): AppSignerData => ({
  scheme: "v2",
  subject: "C=DE, O=Example, CN=Release",
  issuer: "C=DE, O=Example, CN=Release",
  serial: "01",
  sha256: "c".repeat(64),
  keyType: "rsa",
  bits: 3072,
  certificateSignatureAlgorithm: "sha256WithRSAEncryption",
  signatureAlgorithm: "RSASSA-PKCS1-v1_5 with SHA2-256",
  notBefore: "2024-01-01T00:00:00.000Z",
  notAfter: "2051-01-01T00:00:00.000Z",
  debug: false,
  verified: true,
  ...x,
});
const signing = (signers: AppSignerData[], x: Partial<AppSigningData> = {}) =>
  app<AppSigningData>(APP.signing, {
    path: "cam.apk",
    package: "com.example.cam",
    schemes: [...new Set(signers.map((s) => s.scheme))],
    signers,
    problems: [],
    minSdk: 26,
    ...x,
  });

checkTable(appAtsExceptions, {
  valid: [
    {
      name: "ATS in force, endpoints of another app ignored",
      evidence: [bundle(), endpoint("http://other.example.com/", SHA.b)],
      expect: [
        {
          status: "pass",
          message:
            "The iOS app com.example.cam keeps App Transport Security in force with no cleartext exceptions and holds no plain-HTTP endpoints.",
          requirements: ["COMM-02"],
        },
      ],
    },
    {
      name: "a TLS 1.2 exception and disabled forward secrecy are not cleartext",
      evidence: [
        bundle({
          encrypted: true,
          ats: ats({
            exceptionDomains: [
              {
                domain: "a.example.com",
                includesSubdomains: false,
                allowsInsecureHTTPLoads: false,
                minimumTLSVersion: "TLSv1.2",
                requiresForwardSecrecy: false,
              },
            ],
          }),
        }),
      ],
      expect: [
        {
          status: "pass",
          message:
            "The iOS app com.example.cam keeps App Transport Security in force with no cleartext exceptions and holds no plain-HTTP endpoints; its executable is encrypted, so only its resources were searched.",
        },
      ],
    },
  ],
  invalid: [
    {
      name: "web content, media and four endpoints",
      evidence: [
        bundle({ ats: ats({ allowsArbitraryLoadsInWebContent: true, allowsArbitraryLoadsForMedia: true }) }),
        ...["a", "b", "c", "d"].map((h) => endpoint(`http://${h}.example.com/`)),
      ],
      expect: [
        {
          status: "fail",
          message:
            "The iOS app com.example.cam can send data in clear text: NSAllowsArbitraryLoadsInWebContent permits plain HTTP in web views; NSAllowsArbitraryLoadsForMedia permits plain HTTP for media; it holds 4 plain-HTTP endpoints (http://a.example.com/, http://b.example.com/, http://c.example.com/, ...).",
        },
      ],
    },
    {
      name: "TLS 1.1 for a domain",
      evidence: [
        bundle({
          ats: ats({
            exceptionDomains: [
              {
                domain: "b.example.com",
                includesSubdomains: true,
                allowsInsecureHTTPLoads: false,
                minimumTLSVersion: "TLSv1.1",
                requiresForwardSecrecy: true,
              },
            ],
          }),
        }),
      ],
      expect: [
        {
          status: "fail",
          message:
            "The iOS app com.example.cam can send data in clear text: NSExceptionMinimumTLSVersion lets b.example.com and its subdomains use TLSv1.1.",
        },
      ],
    },
  ],
  silent: [{ name: "an Android app only", evidence: [manifest()], expect: [] }],
});

checkTable(appUserCaTrusted, {
  valid: [
    {
      name: "system CAs only",
      evidence: [manifest()],
      expect: [
        {
          status: "pass",
          message: "The app com.example.cam trusts only the system CA certificates, not user-added ones.",
          requirements: ["COMM-03"],
        },
      ],
    },
  ],
  invalid: [
    {
      name: "trusted by the configuration",
      evidence: [manifest({ userCAs: "trusted-by-config" })],
      expect: [
        {
          status: "fail",
          message:
            'The app com.example.cam trusts user-added CA certificates (its network security configuration has <certificates src="user"/> outside debug-overrides): a CA installed on the phone can intercept its TLS connections.',
        },
      ],
    },
  ],
  silent: [{ name: "an iOS app", evidence: [bundle()], expect: [] }],
});

checkTable(appCertificatePinning, {
  valid: [
    {
      name: "pins of each platform, named by package and bundle id",
      evidence: [
        manifest(),
        app<AppPinningData>(APP.pinning, {
          path: "cam.apk",
          platform: "android",
          mechanisms: [
            {
              kind: "network-security-config",
              detail: "pin-set for api.example.com (2 pins)",
              file: "res/xml/nsc.xml",
            },
          ],
        }),
        bundle({ bundleId: "com.example.ios" }, SHA.b),
        app<AppPinningData>(APP.pinning, { path: "cam.ipa", platform: "ios", mechanisms: [] }, SHA.b),
      ],
      expect: [
        {
          status: "info",
          message:
            "The app com.example.cam pins certificates: pin-set for api.example.com (2 pins) (res/xml/nsc.xml).",
          requirements: ["COMM-03"],
        },
        {
          status: "info",
          message:
            "The app com.example.ios pins no certificates (no pin-set, NSPinnedDomains, TrustKit configuration or sha256/ pins in code): any CA the phone trusts can vouch for its servers.",
        },
      ],
    },
  ],
  invalid: [],
  silent: [{ name: "no app", evidence: [], expect: [] }],
});

checkTable(appHardcodedSecrets, {
  valid: [
    {
      name: "nothing found",
      evidence: [manifest(), secret("aws-access-key-id", "classes.dex", SHA.b)],
      expect: [
        {
          status: "pass",
          message: "The app com.example.cam holds no hard-coded secrets in its code, resources or assets.",
          requirements: ["STOR-02"],
        },
      ],
    },
    {
      name: "Google API keys only: named, not judged",
      evidence: [manifest(), secret("google-api-key", "resources.arsc")],
      expect: [
        {
          status: "pass",
          message:
            "The app com.example.cam holds no hard-coded secrets in its code, resources or assets (1 Google API key found, in resources.arsc: project identifiers meant to ship in apps; restrict them to this app).",
        },
      ],
    },
  ],
  invalid: [
    {
      name: "a private key in an iOS bundle",
      evidence: [bundle(), secret("private-key", "Payload/Cam.app/client.pem")],
      expect: [
        {
          status: "fail",
          message:
            "The app com.example.cam holds 1 hard-coded secret: private-key abcd… (20 chars) in Payload/Cam.app/client.pem.",
        },
      ],
    },
  ],
});

checkTable(appDebugCertificate, {
  valid: [
    {
      name: "a release key",
      evidence: [signing([signer(), signer({ scheme: "v3" })])],
      expect: [
        {
          status: "pass",
          message:
            "The app com.example.cam is signed with a release certificate (C=DE, O=Example, CN=Release, valid to 2051-01-01).",
          requirements: ["UPD-02"],
        },
      ],
    },
  ],
  invalid: [
    {
      name: "the debug key for v2 only",
      evidence: [
        signing([
          signer({ scheme: "v1" }),
          signer({
            scheme: "v2",
            debug: true,
            subject: "C=US, O=Android, CN=Android Debug",
            sha256: "d".repeat(64),
          }),
        ]),
      ],
      expect: [
        {
          status: "fail",
          message:
            "The app com.example.cam is signed with the Android debug certificate (C=US, O=Android, CN=Android Debug; schemes v2): a development key, not a release key under the maker's control.",
        },
      ],
    },
  ],
  silent: [{ name: "unsigned", evidence: [signing([])], expect: [] }],
});

checkTable(appSignatureScheme, {
  valid: [
    {
      name: "v1 with SHA-1 next to v2 when no device relies on v1",
      evidence: [
        signing([signer({ scheme: "v1", signatureAlgorithm: "SHA1withRSA" }), signer()], { minSdk: 24 }),
      ],
      expect: [
        {
          status: "pass",
          message:
            "The app com.example.cam is signed with schemes v1, v2 (RSASSA-PKCS1-v1_5 with SHA2-256, RSA 3072-bit key), and every signature verifies.",
        },
      ],
    },
    {
      name: "unsigned: info",
      evidence: [signing([], { problems: ["cam.apk APK Signing Block: more than 1024 entries"] })],
      expect: [
        {
          status: "info",
          message:
            "The app com.example.cam is not signed (damaged signature: cam.apk APK Signing Block: more than 1024 entries): Android installs no unsigned package, so this is not the released build; analyze the signed release.",
        },
      ],
    },
  ],
  invalid: [
    {
      name: "v1 with SHA-1 next to v2 for devices below Android 7",
      evidence: [
        signing([signer({ scheme: "v1", signatureAlgorithm: "SHA1withRSA" }), signer()], { minSdk: 21 }),
      ],
      expect: [
        {
          status: "fail",
          message:
            "The app com.example.cam has a weak signature: its v1 signature uses SHA1withRSA, which Android below 7.0 relies on (minSdk 21).",
        },
      ],
    },
    {
      name: "a small EC key",
      evidence: [signing([signer({ keyType: "ec", bits: 224, signatureAlgorithm: "ECDSA with SHA2-256" })])],
      expect: [
        {
          status: "fail",
          message: "The app com.example.cam has a weak signature: its EC signing key has 224 bits.",
        },
      ],
    },
  ],
});

checkTable(appDebuggable, {
  valid: [
    {
      name: "iOS without get-task-allow",
      evidence: [bundle({ getTaskAllow: false, entitlementsFrom: "code-signature" })],
      expect: [
        {
          status: "pass",
          message: "The iOS app com.example.cam does not grant get-task-allow (its code signature says so).",
          requirements: ["SURF-04"],
        },
      ],
    },
  ],
  invalid: [
    {
      name: "a development profile",
      evidence: [bundle({ getTaskAllow: true, entitlementsFrom: "provisioning-profile" })],
      expect: [
        {
          status: "fail",
          message:
            "The iOS app com.example.cam is a development build: its provisioning profile grants get-task-allow, so a debugger can attach to it.",
        },
      ],
    },
  ],
  silent: [{ name: "iOS entitlements unknown", evidence: [bundle()], expect: [] }],
});
