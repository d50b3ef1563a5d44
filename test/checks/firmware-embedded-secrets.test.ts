import { firmwareEmbeddedCredentials } from "../../src/checks/firmware-embedded-secrets.js";
import { FW, type SecretData } from "../../src/evidence/firmware.js";
import { checkTable } from "../helpers/check-table.js";
import { fwFact, fwImage } from "./firmware-fixtures.js";

const aws: SecretData = { type: "api-token", format: "aws-access-key-id", fingerprint: "f-aws" };
const pw: SecretData = {
  type: "password",
  format: "assignment",
  fingerprint: "f-pw",
  name: "admin_password",
};
const chpasswd: SecretData = {
  type: "password",
  format: "chpasswd",
  fingerprint: "f-ch",
  name: "chpasswd:root",
};
const key: SecretData = { type: "private-key", format: "pem/pkcs8", fingerprint: "f-key", encrypted: false };

checkTable(firmwareEmbeddedCredentials, {
  valid: [
    {
      name: "analysed and clean (private keys are another check's business)",
      evidence: [fwImage(), fwFact(FW.secret, key, "/etc/ssl/private/a.key")],
      expect: [
        {
          status: "pass",
          message:
            "No hard-coded password or access token was found in the configuration files, scripts or binaries of img-a.bin.",
          requirements: ["STOR-02"],
        },
      ],
    },
    {
      name: "stopped by a limit",
      evidence: [fwImage("img-a", { secrets: "1" }, "maxFiles")],
      expect: [
        {
          status: "info",
          message: /\(the analysis stopped early: maxFiles\); credentials in what was not read are unknown/,
        },
      ],
    },
  ],
  invalid: [
    {
      name: "a token, a password in two files, and a chpasswd line",
      evidence: [
        fwImage(),
        fwFact(FW.secret, aws, "/usr/bin/upload.sh:4"),
        fwFact(FW.secret, pw, "/etc/app.conf:3"),
        fwFact(FW.secret, pw, "/etc/app.conf.bak:3"),
        fwFact(FW.secret, chpasswd, "/etc/init.d/rcS:12"),
      ],
      expect: [
        {
          status: "fail",
          message:
            'A hard-coded password assigned to "admin_password" is in the image at /etc/app.conf:3 and /etc/app.conf.bak:3.',
        },
        {
          status: "fail",
          message:
            "A hard-coded password for root (set with chpasswd) is in the image at /etc/init.d/rcS:12.",
        },
        {
          status: "fail",
          message: "A hard-coded AWS access key ID is in the image at /usr/bin/upload.sh:4.",
        },
      ],
    },
    {
      name: "a secret assignment and a JWT without an image record",
      evidence: [
        fwFact(
          FW.secret,
          { type: "api-token", format: "assignment", fingerprint: "f-s", name: "client_secret" },
          "/etc/cloud.json:7",
        ),
        fwFact(
          FW.secret,
          { type: "api-token", format: "jwt", fingerprint: "f-jwt" },
          "/usr/lib/libcloud.so@0x2210",
        ),
      ],
      expect: [
        {
          status: "fail",
          message: 'A hard-coded secret assigned to "client_secret" is in the image at /etc/cloud.json:7.',
        },
        {
          status: "fail",
          message: "A hard-coded JSON Web Token is in the image at /usr/lib/libcloud.so@0x2210.",
        },
      ],
    },
  ],
  silent: [
    { name: "secrets analysis did not run", evidence: [fwImage("img-a", { accounts: "1" })], expect: [] },
  ],
});
