// Table tests for the TLS checks on probe.tls evidence.
import { probeTlsCertificate } from "../../../src/checks/probe-tls-certificate.js";
import { probeTlsWeakCiphers } from "../../../src/checks/probe-tls-weak-ciphers.js";
import { probeTlsWeakProtocols } from "../../../src/checks/probe-tls-weak-protocols.js";
import type { TlsAuditData } from "../../../src/evidence/probe-tls.js";
import { checkTable } from "../../helpers/check-table.js";
import { ev } from "../../helpers/evidence.js";
import { chain, leaf, tlsAudit } from "./fixtures.js";

const GOOD12 = ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"];
const GOOD13 = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"];
const tls = (d: TlsAuditData) => ev("probe.tls", d, "device", "10.0.0.5:443/tcp");

checkTable(probeTlsWeakProtocols, {
  valid: [
    {
      name: "TLS 1.2 and 1.3 only",
      evidence: [tls(tlsAudit({ "TLSv1.2": GOOD12, "TLSv1.3": GOOD13 }))],
      expect: [
        {
          status: "pass",
          message: "TLS on cam port 443 accepts only TLSv1.2 and TLSv1.3.",
          requirements: ["COMM-01"],
        },
      ],
    },
    {
      name: "an audit stopped early is not a pass",
      evidence: [tls(tlsAudit({ "TLSv1.3": GOOD13 }, { outcome: "time budget of 1000 ms spent" }))],
      expect: [
        {
          status: "info",
          message:
            "TLS on cam port 443 accepts TLSv1.3; the audit stopped early (time budget of 1000 ms spent), so older versions may not all have been tried.",
        },
      ],
    },
  ],
  invalid: [
    {
      name: "SSLv3 and TLS 1.0 next to TLS 1.2",
      evidence: [
        tls(
          tlsAudit({
            SSLv3: ["TLS_RSA_WITH_RC4_128_SHA"],
            "TLSv1.0": ["TLS_RSA_WITH_AES_128_CBC_SHA"],
            "TLSv1.2": GOOD12,
          }),
        ),
      ],
      expect: [
        {
          status: "fail",
          message:
            "TLS on cam port 443 accepts SSLv3 and TLSv1.0, deprecated protocol versions (it accepts SSLv3, TLSv1.0 and TLSv1.2).",
        },
      ],
    },
    {
      name: "weak versions found before the audit stopped still fail",
      evidence: [
        tls(
          tlsAudit(
            { "TLSv1.1": ["TLS_RSA_WITH_AES_128_CBC_SHA"] },
            { outcome: "handshake limit of 300 reached" },
          ),
        ),
      ],
      expect: [
        {
          status: "fail",
          message: "TLS on cam port 443 accepts TLSv1.1, deprecated protocol versions (it accepts TLSv1.1).",
        },
      ],
    },
  ],
  silent: [
    { name: "no audit", evidence: [], expect: [] },
    { name: "nothing accepted (not TLS)", evidence: [tls(tlsAudit({}))], expect: [] },
  ],
});

checkTable(probeTlsWeakCiphers, {
  valid: [
    {
      name: "AEAD suites only",
      evidence: [tls(tlsAudit({ "TLSv1.2": GOOD12, "TLSv1.3": GOOD13 }))],
      expect: [{ status: "pass", message: "TLS on cam port 443 accepts 4 cipher suites and none is weak." }],
    },
    {
      name: "CBC under TLS 1.2 is not flagged",
      evidence: [tls(tlsAudit({ "TLSv1.2": ["TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"] }))],
      expect: [{ status: "pass", message: "TLS on cam port 443 accepts 1 cipher suite and none is weak." }],
    },
  ],
  invalid: [
    {
      name: "RC4, 3DES, anonymous and CBC under TLS 1.0",
      evidence: [
        tls(
          tlsAudit({
            "TLSv1.0": ["TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_RC4_128_MD5"],
            "TLSv1.2": [
              "TLS_RSA_WITH_AES_128_CBC_SHA",
              "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
              "TLS_DH_anon_WITH_AES_128_GCM_SHA256",
              ...GOOD12,
            ],
          }),
        ),
      ],
      expect: [
        {
          status: "fail",
          message:
            "TLS on cam port 443 accepts 4 weak cipher suites: TLS_RSA_WITH_AES_128_CBC_SHA (TLSv1.0: CBC under TLS 1.0), TLS_RSA_WITH_RC4_128_MD5 (TLSv1.0: RC4, MD5 MAC), TLS_RSA_WITH_3DES_EDE_CBC_SHA (TLSv1.2: 3DES (64-bit block)) and TLS_DH_anon_WITH_AES_128_GCM_SHA256 (TLSv1.2: anonymous (no server authentication)).",
          requirements: ["COMM-01"],
        },
      ],
    },
    {
      name: "more than six are counted, not listed",
      evidence: [
        tls(
          tlsAudit({
            "TLSv1.2": [
              "TLS_RSA_WITH_NULL_MD5",
              "TLS_RSA_WITH_NULL_SHA",
              "TLS_RSA_WITH_RC4_128_MD5",
              "TLS_RSA_WITH_RC4_128_SHA",
              "TLS_RSA_WITH_DES_CBC_SHA",
              "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
              "TLS_RSA_WITH_IDEA_CBC_SHA",
              "TLS_RSA_EXPORT_WITH_RC4_40_MD5",
            ],
          }),
        ),
      ],
      expect: [
        {
          status: "fail",
          message:
            "TLS on cam port 443 accepts 8 weak cipher suites: TLS_RSA_WITH_NULL_MD5 (TLSv1.2: no encryption (NULL), MD5 MAC), TLS_RSA_WITH_NULL_SHA (TLSv1.2: no encryption (NULL)), TLS_RSA_WITH_RC4_128_MD5 (TLSv1.2: RC4, MD5 MAC), TLS_RSA_WITH_RC4_128_SHA (TLSv1.2: RC4), TLS_RSA_WITH_DES_CBC_SHA (TLSv1.2: DES), TLS_RSA_WITH_3DES_EDE_CBC_SHA (TLSv1.2: 3DES (64-bit block)) and 2 more.",
        },
      ],
    },
  ],
  silent: [{ name: "no suites", evidence: [tls(tlsAudit({}))], expect: [] }],
});

checkTable(probeTlsCertificate, {
  valid: [
    {
      name: "issued by a CA, current, RSA 2048, SHA-256, the right name",
      evidence: [
        tls(
          tlsAudit(
            { "TLSv1.3": GOOD13 },
            { certificate: chain([leaf()], { hostname: { name: "camera.local", matches: true } }) },
          ),
        ),
      ],
      expect: [
        {
          status: "pass",
          message:
            'The certificate TLS on cam port 443 presents ("CN=camera.local") is valid until 2027-01-01, with an RSA 2048-bit key, signed with sha256WithRSAEncryption by "CN=Vendor CA".',
          requirements: ["COMM-01"],
        },
      ],
    },
    {
      name: "a SHA-1 self-signed root after the leaf does not count",
      evidence: [
        tls(
          tlsAudit(
            { "TLSv1.3": GOOD13 },
            {
              certificate: chain([
                leaf({
                  keyType: "ec",
                  keyBits: 256,
                  curve: "prime256v1",
                  signatureAlgorithm: "ecdsa-with-SHA256",
                }),
                leaf({
                  subject: "CN=Vendor CA",
                  selfSigned: true,
                  weakSignature: true,
                  signatureAlgorithm: "sha1WithRSAEncryption",
                }),
              ]),
            },
          ),
        ),
      ],
      expect: [
        {
          status: "pass",
          message:
            'The certificate TLS on cam port 443 presents ("CN=camera.local") is valid until 2027-01-01, with an EC 256-bit (prime256v1) key, signed with ecdsa-with-SHA256 by "CN=Vendor CA".',
        },
      ],
    },
  ],
  invalid: [
    {
      name: "self-signed, 1024-bit, SHA-1, expired by the assessment date",
      asOf: "2027-06-01",
      evidence: [
        tls(
          tlsAudit(
            { "TLSv1.2": GOOD12 },
            {
              certificate: chain([
                leaf({
                  issuer: "CN=camera.local",
                  selfSigned: true,
                  keyBits: 1024,
                  weakSignature: true,
                  signatureAlgorithm: "sha1WithRSAEncryption",
                }),
              ]),
            },
          ),
        ),
      ],
      expect: [
        {
          status: "fail",
          message:
            'The certificate TLS on cam port 443 presents ("CN=camera.local") expired on 2027-01-01, is self-signed, has an RSA 1024-bit key and is signed with sha1WithRSAEncryption.',
        },
      ],
    },
    {
      name: "not yet valid, the wrong name, a SHA-1 intermediate",
      asOf: "2025-12-01",
      evidence: [
        tls(
          tlsAudit(
            { "TLSv1.2": GOOD12 },
            {
              certificate: chain(
                [
                  leaf(),
                  leaf({
                    subject: "CN=Vendor CA",
                    issuer: "CN=Root",
                    weakSignature: true,
                    signatureAlgorithm: "sha1WithRSAEncryption",
                  }),
                ],
                { hostname: { name: "doorbell.local", matches: false } },
              ),
            },
          ),
        ),
      ],
      expect: [
        {
          status: "fail",
          message:
            'The certificate TLS on cam port 443 presents ("CN=camera.local") is not valid before 2026-01-01, has an issuer ("CN=Vendor CA") signed with sha1WithRSAEncryption and does not cover the name doorbell.local.',
        },
      ],
    },
  ],
  silent: [
    {
      name: "no certificate (anonymous suites only)",
      evidence: [tls(tlsAudit({ "TLSv1.2": GOOD12 }, { certificate: undefined }))],
      expect: [],
    },
  ],
});
