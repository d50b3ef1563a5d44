// Table tests for probe.http-admin-cleartext.
import { probeHttpAdminCleartext } from "../../../src/checks/probe-http-admin-cleartext.js";
import type { HttpAdminData, HttpPage } from "../../../src/evidence/probe-http.js";
import { checkTable } from "../../helpers/check-table.js";
import { ev } from "../../helpers/evidence.js";

const page = (p: Partial<HttpPage> = {}): HttpPage => ({
  url: "http://10.0.0.5/",
  status: 200,
  passwordField: false,
  adminPaths: [],
  bytes: 100,
  ...p,
});
const admin = (d: Partial<HttpAdminData>) =>
  ev<HttpAdminData>(
    "probe.http-admin",
    { host: "cam", address: "10.0.0.5", port: 80, first: page(), cleartextLogin: [], transcripts: [], ...d },
    "device",
  );

checkTable(probeHttpAdminCleartext, {
  valid: [
    {
      name: "redirects to HTTPS",
      evidence: [
        admin({
          first: page({ status: 301 }),
          redirect: {
            via: "location",
            to: "https://10.0.0.5/",
            https: true,
            sameTarget: true,
            followed: true,
          },
          final: page({ url: "https://10.0.0.5/", passwordField: true }),
        }),
      ],
      expect: [
        {
          status: "pass",
          message: "The web interface on cam port 80 redirects plain HTTP to HTTPS (https://10.0.0.5/).",
          requirements: ["COMM-02"],
        },
      ],
    },
  ],
  invalid: [
    {
      name: "a password field over HTTP, even with a meta refresh to HTTPS",
      evidence: [
        admin({
          first: page({ passwordField: true }),
          redirect: {
            via: "meta refresh",
            to: "https://10.0.0.5/",
            https: true,
            sameTarget: true,
            followed: true,
          },
          cleartextLogin: ["a password field on http://10.0.0.5/"],
        }),
      ],
      expect: [
        {
          status: "fail",
          message:
            "The web interface on cam port 80 serves a login over plain HTTP (a password field on http://10.0.0.5/): passwords cross the network in clear text.",
          requirements: ["COMM-02"],
        },
      ],
    },
  ],
  silent: [
    { name: "a page with no login", evidence: [admin({})], expect: [] },
    {
      name: "a redirect to plain HTTP elsewhere",
      evidence: [
        admin({
          redirect: {
            via: "location",
            to: "http://10.9.9.9/",
            https: false,
            sameTarget: false,
            followed: false,
            reason: "another host: not followed",
          },
        }),
      ],
      expect: [],
    },
  ],
});
