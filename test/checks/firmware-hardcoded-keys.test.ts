import { firmwareHardcodedKeys } from "../../src/checks/firmware-hardcoded-keys.js";
import { FW, type SecretData } from "../../src/evidence/firmware.js";
import { checkTable } from "../helpers/check-table.js";
import { fwFact, fwImage } from "./firmware-fixtures.js";

const rsa: SecretData = {
  type: "private-key",
  format: "pem/pkcs1",
  keyType: "rsa",
  bits: 2048,
  fingerprint: "f-rsa",
  spki: "s-rsa",
  encrypted: false,
};
const ec: SecretData = {
  type: "private-key",
  format: "der/sec1",
  keyType: "ec",
  bits: 256,
  fingerprint: "f-ec",
  encrypted: false,
};
const encrypted: SecretData = {
  type: "private-key",
  format: "pem/encrypted-pkcs8",
  fingerprint: "f-enc",
  encrypted: true,
};
const p12: SecretData = { type: "pkcs12", format: "pkcs12", fingerprint: "f-p12" };
const cert: SecretData = {
  type: "certificate",
  format: "pem/x509",
  fingerprint: "f-cert",
  subject: "CN=x",
  issuer: "CN=x",
};
const token: SecretData = { type: "api-token", format: "aws-access-key-id", fingerprint: "f-aws" };

checkTable(firmwareHardcodedKeys, {
  valid: [
    {
      name: "the secrets analysis ran and found no private key (certificates and tokens are not keys)",
      evidence: [
        fwImage(),
        fwFact(FW.secret, cert, "/etc/ssl/certs/ca.pem"),
        fwFact(FW.secret, token, "/bin/x"),
      ],
      expect: [
        {
          status: "pass",
          message: "No unencrypted private key was found in img-a.bin.",
          requirements: ["STOR-02", "STOR-03"],
        },
      ],
    },
    {
      name: "an encrypted key and a PKCS#12 container are info, and the image still passes",
      evidence: [
        fwImage(),
        fwFact(FW.secret, encrypted, "/etc/vpn/client.key"),
        fwFact(FW.secret, p12, "/etc/cert/device.p12"),
      ],
      expect: [
        {
          status: "info",
          message:
            "A PKCS#12 container, which normally holds a private key with its certificate, is in the image at /etc/cert/device.p12; every unit ships it, and the password that opens it must not be in the image.",
        },
        {
          status: "info",
          message:
            "An encrypted private key is in the image at /etc/vpn/client.key (encrypted PEM PKCS#8); every unit ships it, and its passphrase must not be in the image.",
        },
        { status: "pass", message: "No unencrypted private key was found in img-a.bin." },
      ],
    },
    {
      name: "an analysis stopped by a limit does not pass",
      evidence: [fwImage("img-a", { secrets: "1" }, "time limit of 600 s reached")],
      expect: [
        {
          status: "info",
          message:
            "The secrets analysis cannot vouch for all of img-a.bin (the analysis stopped early: time limit of 600 s reached); private keys in what was not read are unknown.",
        },
      ],
    },
    {
      name: "an image that did not unpack is not vouched for",
      evidence: [{ ...fwImage("img-c"), data: { ...fwImage("img-c").data, filesystems: [] } }],
      expect: [
        {
          status: "info",
          message:
            "The secrets analysis cannot vouch for all of img-c.bin (no filesystem could be unpacked from it); private keys in what was not read are unknown.",
        },
      ],
    },
  ],
  invalid: [
    {
      name: "one key in two places is one finding; a second key is another",
      evidence: [
        fwImage(),
        fwFact(FW.secret, rsa, "/etc/ssl/private/server.key"),
        fwFact(FW.secret, rsa, "/etc/lighttpd/server.pem:28"),
        fwFact(FW.secret, ec, "/usr/bin/cloudd@0x1f40"),
      ],
      expect: [
        {
          status: "fail",
          message:
            "An unencrypted RSA 2048-bit private key is in the image at /etc/lighttpd/server.pem:28 and /etc/ssl/private/server.key (PEM PKCS#1): every unit ships the same key.",
          requirements: ["STOR-02", "STOR-03"],
        },
        {
          status: "fail",
          message:
            "An unencrypted EC 256-bit private key is in the image at /usr/bin/cloudd@0x1f40 (DER SEC1): every unit ships the same key.",
        },
      ],
    },
    {
      name: "each image is judged on its own",
      evidence: [
        fwImage("img-a"),
        fwImage("img-b"),
        fwFact(
          FW.secret,
          { ...ec, format: "openssh", keyType: "ed25519", bits: 256 },
          "/root/.ssh/id_ed25519",
          "img-b",
        ),
      ],
      expect: [
        { status: "pass", message: "No unencrypted private key was found in img-a.bin." },
        {
          status: "fail",
          message:
            "An unencrypted Ed25519 private key is in the image at /root/.ssh/id_ed25519 (OpenSSH): every unit ships the same key.",
        },
      ],
    },
  ],
  silent: [
    { name: "no image was analysed for secrets", evidence: [fwImage("img-a", { elf: "1" })], expect: [] },
    { name: "no firmware evidence at all", evidence: [], expect: [] },
  ],
});
