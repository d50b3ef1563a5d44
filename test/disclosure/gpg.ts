// GnuPG as the independent signer for the signature tests: keys generated in a private home on
// each run, at a fixed (faked) time so signatures and expiry are reproducible. gpg is a test
// dependency (CI installs gnupg): without it the tests fail loudly instead of skipping.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** When the test keys and signatures are made (gpg's --faked-system-time). */
export const SIGNED_AT = "20260101T000000";

export class Gpg {
  readonly home: string;

  constructor() {
    const probe = spawnSync("gpg", ["--version"], { encoding: "utf8" });
    if (probe.status !== 0)
      throw new Error("gpg is not installed; the signature tests need it (CI installs gnupg: see .ci/run)");
    this.home = mkdtempSync(join(tmpdir(), "concord-gpg-"));
    chmodSync(this.home, 0o700);
  }

  run(args: string[], input?: string, at = SIGNED_AT): string {
    const r = spawnSync(
      "gpg",
      [
        "--homedir",
        this.home,
        "--batch",
        "--yes",
        "--no-tty",
        "--pinentry-mode",
        "loopback",
        "--passphrase",
        "",
        "--faked-system-time",
        `${at}!`,
        ...args,
      ],
      { input, encoding: "utf8", timeout: 60_000 },
    );
    if (r.status !== 0) throw new Error(`gpg ${args.join(" ")} failed: ${r.stderr}`);
    return r.stdout;
  }

  /** Generate a key; returns its fingerprint. `usage` as gpg's --quick-gen-key takes it. */
  genKey(uid: string, algo: string, usage = "sign", expire = "never"): string {
    this.run(["--quick-gen-key", uid, algo, usage, expire]);
    return this.fingerprint(uid);
  }

  addSubkey(fpr: string, algo: string, usage: string): void {
    this.run(["--quick-add-key", fpr, algo, usage, "never"]);
  }

  fingerprint(uid: string): string {
    const out = this.run(["--list-keys", "--with-colons", uid]);
    return /^fpr:+([0-9A-F]+):/m.exec(out)![1]!;
  }

  clearsign(text: string, key: string, digest = "SHA256", at = "20260101T120000"): string {
    const file = join(this.home, `msg-${Date.now()}-${Math.random()}.txt`);
    writeFileSync(file, text);
    this.run(
      ["--local-user", key, "--digest-algo", digest, "--clearsign", "--output", `${file}.asc`, file],
      undefined,
      at,
    );
    return readFileSync(`${file}.asc`, "utf8");
  }

  exportKey(key: string): string {
    return this.run(["--armor", "--export", key]);
  }

  /** Import the revocation certificate gpg stored when it made the key. */
  revoke(fpr: string): void {
    const dir = join(this.home, "openpgp-revocs.d");
    const rev = readdirSync(dir).find((f) => f.startsWith(fpr))!;
    // gpg prefixes the armor line with ":" so the certificate is not imported by accident.
    const text = readFileSync(join(dir, rev), "utf8").replace(
      ":-----BEGIN PGP PUBLIC KEY BLOCK-----",
      "-----BEGIN PGP PUBLIC KEY BLOCK-----",
    );
    writeFileSync(join(this.home, "rev.asc"), text);
    this.run(["--import", join(this.home, "rev.asc")]);
  }

  /** Stop the agent this home started, then remove the home. */
  close(): void {
    spawnSync("gpgconf", ["--homedir", this.home, "--kill", "all"], { timeout: 10_000 });
    rmSync(this.home, { recursive: true, force: true });
  }
}
