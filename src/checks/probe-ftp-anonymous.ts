// AUTH-06 from a live probe: the credentials tester tries the anonymous FTP login (RFC 1635) on
// every FTP server it tests. A device whose FTP server lets anonymous users in serves its files
// to anyone on the network.
import { PROBE } from "../evidence/probe.js";
import type { CredentialsData } from "../evidence/probe-credentials.js";
import { finding, type Check, type CheckMeta } from "./types.js";

const meta: CheckMeta = {
  id: "probe.ftp-anonymous",
  title: "FTP servers on the device refuse anonymous logins",
  description:
    "Reads the credential tests of a live probe, which log in to each FTP server as anonymous (RFC 1635) after a random pair that must fail. Fails when the anonymous login is accepted; passes when it is refused.",
  requirements: ["AUTH-06"],
  severity: "high",
  reads: [PROBE.credentials],
  remediation:
    "Turn anonymous FTP off (vsftpd: anonymous_enable=NO), or better remove FTP from the device and offer SFTP with authenticated users.",
};

export const probeFtpAnonymous: Check = {
  meta,
  evaluate(evidence) {
    return evidence
      .ofKind<CredentialsData>(PROBE.credentials)
      .filter((e) => e.data.service === "ftp" && e.data.anonymous !== undefined)
      .map((e) => {
        const where = `${e.data.host} port ${e.data.port}`;
        return e.data.anonymous
          ? finding(
              meta,
              "fail",
              `The FTP server on ${where} accepts anonymous logins: anyone on the network can read what it serves.`,
              [e.id],
            )
          : finding(meta, "pass", `The FTP server on ${where} refuses anonymous logins.`, [e.id]);
      });
  },
};
