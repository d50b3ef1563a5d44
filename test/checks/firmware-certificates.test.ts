import { firmwareCertificates } from "../../src/checks/firmware-certificates.js";
import { FW, type SecretData } from "../../src/evidence/firmware.js";
import { checkTable } from "../helpers/check-table.js";
import { fwFact } from "./firmware-fixtures.js";

const serverCert: SecretData = {
  type: "certificate",
  format: "pem/x509",
  fingerprint: "f-server",
  subject: "CN=camera.local",
  issuer: "CN=Acme Device CA",
  selfSigned: false,
  notAfter: "2030-01-01T00:00:00.000Z",
  keyType: "rsa",
  bits: 2048,
  spki: "s-server",
};
const serverKey: SecretData = {
  type: "private-key",
  format: "pem/pkcs1",
  fingerprint: "f-key",
  keyType: "rsa",
  bits: 2048,
  spki: "s-server",
  encrypted: false,
};
const root: SecretData = {
  type: "certificate",
  format: "pem/x509",
  fingerprint: "f-root",
  subject: "CN=Old Root",
  issuer: "CN=Old Root",
  selfSigned: true,
  notAfter: "2021-09-30T14:01:15.000Z",
  keyType: "rsa",
  bits: 2048,
  spki: "s-root",
};

checkTable(firmwareCertificates, {
  valid: [
    {
      name: "a CA-issued device certificate, current and strong",
      evidence: [
        fwFact(FW.secret, serverCert, "/etc/ssl/server.crt"),
        fwFact(FW.secret, serverKey, "/etc/ssl/server.key"),
      ],
      expect: [
        {
          status: "pass",
          message: "1 certificate found; the device's own (1) is current, strong and CA-issued.",
          requirements: ["COMM-01"],
        },
      ],
    },
    {
      name: "an expired self-signed root in the trust store is info, not a failure",
      evidence: [
        fwFact(FW.secret, root, "/etc/ssl/certs/ca-certificates.crt:1200"),
        fwFact(FW.secret, root, "/usr/share/ca-certificates/old.crt"),
        fwFact(
          FW.secret,
          { ...root, fingerprint: "f-ok", subject: "CN=Good Root", notAfter: "2040-01-01T00:00:00.000Z" },
          "/etc/ssl/certs/ca-certificates.crt:1",
        ),
      ],
      expect: [
        {
          status: "info",
          message:
            '1 certificate that is not the device\'s own is expired or weak: "CN=Old Root" at /etc/ssl/certs/ca-certificates.crt:1200 and 1 more place (expired on 2021-09-30).',
        },
        { status: "pass", message: "2 certificates found; none is the device's own." },
      ],
    },
    {
      name: "expiry is judged on the assessment date",
      asOf: "2021-09-01",
      evidence: [fwFact(FW.secret, root, "/etc/ssl/certs/old.pem")],
      expect: [{ status: "pass", message: "1 certificate found; none is the device's own." }],
    },
  ],
  invalid: [
    {
      name: "an expired, 1024-bit, self-signed device certificate",
      evidence: [
        fwFact(
          FW.secret,
          {
            ...serverCert,
            notAfter: "2021-01-01T00:00:00.000Z",
            bits: 1024,
            selfSigned: true,
            issuer: "CN=camera.local",
          },
          "/etc/ssl/server.crt",
        ),
        fwFact(FW.secret, { ...serverKey, bits: 1024 }, "/etc/ssl/private/server.key"),
      ],
      expect: [
        {
          status: "fail",
          message:
            'The device certificate "CN=camera.local" at /etc/ssl/server.crt (its private key is at /etc/ssl/private/server.key) expired on 2021-01-01, has an RSA 1024-bit key and is self-signed.',
        },
      ],
    },
    {
      name: "a weak EC device certificate",
      evidence: [
        fwFact(FW.secret, { ...serverCert, keyType: "ec", bits: 192 }, "/etc/ssl/server.crt"),
        fwFact(FW.secret, serverKey, "/usr/sbin/httpd@0x4000"),
      ],
      expect: [
        {
          status: "fail",
          message:
            'The device certificate "CN=camera.local" at /etc/ssl/server.crt (its private key is at /usr/sbin/httpd@0x4000) has an EC 192-bit key.',
        },
      ],
    },
  ],
  silent: [
    { name: "no certificates", evidence: [fwFact(FW.secret, serverKey, "/etc/ssl/server.key")], expect: [] },
  ],
});
