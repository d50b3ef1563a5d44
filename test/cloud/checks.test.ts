// Table tests for the cloud checks on cloud.tls and cloud.auth evidence.
import { cloudTlsWeak } from "../../src/checks/cloud-tls-weak.js";
import { cloudUnauthenticatedApi } from "../../src/checks/cloud-unauthenticated-api.js";
import type { CloudAuthData, CloudTlsData } from "../../src/evidence/cloud.js";
import { checkTable } from "../helpers/check-table.js";
import { ev } from "../helpers/evidence.js";
import { chain, leaf, tlsAudit } from "../probe/tls/fixtures.js";

const URL = "https://api.vendor.example/v1";
const GOOD = { "TLSv1.2": ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"], "TLSv1.3": ["TLS_AES_128_GCM_SHA256"] };
const trusted = chain([leaf()], {
  trusted: true,
  trustError: undefined,
  hostname: { name: "api.vendor.example", matches: true },
});
const tls = (d: Partial<CloudTlsData>) =>
  ev<CloudTlsData>("cloud.tls", { url: URL, tested: true, ...d }, "cloud", URL);
const auth = (d: Partial<CloudAuthData>) =>
  ev<CloudAuthData>("cloud.auth", { url: URL, tested: true, ...d }, "cloud", URL);

checkTable(cloudTlsWeak, {
  valid: [
    {
      name: "TLS 1.2 and 1.3, AEAD, a trusted certificate for the name",
      evidence: [tls({ audit: tlsAudit(GOOD, { certificate: trusted }) })],
      expect: [
        {
          status: "pass",
          message: `Cloud endpoint ${URL} accepts TLSv1.2 and TLSv1.3 with no weak cipher suite and presents a trusted certificate valid until 2027-01-01, with an RSA 2048-bit key, signed with sha256WithRSAEncryption by "CN=Vendor CA".`,
          requirements: ["COMM-03"],
        },
      ],
    },
    {
      name: "not tested",
      evidence: [tls({ tested: false, reason: "connect failed (timeout)" })],
      expect: [
        { status: "info", message: `Cloud endpoint ${URL} was not tested: connect failed (timeout).` },
      ],
    },
    {
      name: "an audit stopped early is not a pass",
      evidence: [
        tls({ audit: tlsAudit(GOOD, { certificate: trusted, outcome: "time budget of 5 ms spent" }) }),
      ],
      expect: [
        {
          status: "info",
          message: `Cloud endpoint ${URL} accepts TLSv1.2 and TLSv1.3 with no weak cipher suite and presents a trusted certificate valid until 2027-01-01, with an RSA 2048-bit key, signed with sha256WithRSAEncryption by "CN=Vendor CA", but the audit stopped early (time budget of 5 ms spent).`,
        },
      ],
    },
  ],
  invalid: [
    {
      name: "TLS 1.0 with CBC, an untrusted certificate for another name",
      evidence: [
        tls({
          audit: tlsAudit(
            { "TLSv1.0": ["TLS_RSA_WITH_AES_128_CBC_SHA"], ...GOOD },
            { certificate: chain([leaf()], { hostname: { name: "api.vendor.example", matches: false } }) },
          ),
        }),
      ],
      expect: [
        {
          status: "fail",
          message: `Cloud endpoint ${URL} accepts TLSv1.0, accepts 1 weak cipher suite: TLS_RSA_WITH_AES_128_CBC_SHA (TLSv1.0: CBC under TLS 1.0) and presents a certificate ("CN=camera.local") that does not cover the name api.vendor.example and is not trusted (UNABLE_TO_GET_ISSUER_CERT_LOCALLY).`,
        },
      ],
    },
    {
      name: "no certificate at all",
      evidence: [
        tls({
          audit: tlsAudit({ "TLSv1.2": ["TLS_DH_anon_WITH_AES_128_GCM_SHA256"] }, { certificate: undefined }),
        }),
      ],
      expect: [
        {
          status: "fail",
          message: `Cloud endpoint ${URL} accepts 1 weak cipher suite: TLS_DH_anon_WITH_AES_128_GCM_SHA256 (TLSv1.2: anonymous (no server authentication)) and presents no certificate.`,
        },
      ],
    },
  ],
  silent: [{ name: "no cloud audit", evidence: [], expect: [] }],
});

checkTable(cloudUnauthenticatedApi, {
  valid: [
    {
      name: "401",
      evidence: [auth({ verdict: "refuses", detail: "GET /v1 without credentials got 401 Unauthorized" })],
      expect: [
        {
          status: "pass",
          message: `Cloud endpoint ${URL} refuses a request without credentials: GET /v1 without credentials got 401 Unauthorized.`,
          requirements: ["AUTH-06"],
        },
      ],
    },
    {
      name: "a redirect does not tell",
      evidence: [
        auth({ verdict: "undetermined", detail: "GET /v1 without credentials got 302 Found (to /login)" }),
      ],
      expect: [
        {
          status: "info",
          message: `Cloud endpoint ${URL}: GET /v1 without credentials got 302 Found (to /login), which does not show whether it requires authentication.`,
        },
      ],
    },
  ],
  invalid: [
    {
      name: "200 with a body",
      evidence: [
        auth({
          verdict: "answers",
          detail: "GET /v1 without credentials got 200 OK with 12 bytes of application/json",
        }),
      ],
      expect: [
        {
          status: "fail",
          message: `Cloud endpoint ${URL} answers without authentication: GET /v1 without credentials got 200 OK with 12 bytes of application/json.`,
        },
      ],
    },
  ],
  silent: [{ name: "no request made", evidence: [], expect: [] }],
});
