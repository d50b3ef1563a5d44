// The "ssh-algorithms" service tester: the KEXINIT audit on every service identified as SSH.
import { PROBE, type ServiceData } from "../../../evidence/probe.js";
import type { ServiceTester } from "../testers.js";
import { auditSsh } from "./audit.js";

export const sshAlgorithmsTester: ServiceTester = {
  id: "ssh-algorithms",
  version: "1.0.0",
  kind: PROBE.ssh,
  description:
    "SSH software, and the key exchange, host key, cipher, MAC and compression algorithms it offers",
  applies: (s: ServiceData) => s.service === "ssh",
  async run(scope, s) {
    const data = await auditSsh(scope, s);
    return data ? [{ data }] : [];
  },
};
