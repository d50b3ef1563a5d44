// SSH peers on 127.0.0.1 for the algorithm audit tests: OpenSSH's sshd and Dropbear started on free
// ports with their own configuration and host keys in a temp dir, and a builder for the KEXINIT
// packets the scripted Node peers send.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { daemon, freePort, tmp, type Peer } from "../peers.js";

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args);
  if (r.error) throw new Error(`${cmd} is needed for the SSH tests: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr.toString()}`);
}

/** sshd with these host key types and extra configuration lines, in the foreground, logging to stderr. */
export async function sshd(keys: ("rsa" | "ed25519")[], config: string[]): Promise<Peer> {
  const dir = tmp();
  // Started as root, sshd refuses to run without its privilege separation directory (it does not
  // need one when started as another user).
  if (process.getuid?.() === 0) mkdirSync("/run/sshd", { recursive: true });
  const lines = ["ListenAddress 127.0.0.1", "PidFile none", "UsePAM no"];
  for (const k of keys) {
    const f = join(dir, `host_${k}`);
    run("ssh-keygen", ["-q", "-t", k, ...(k === "rsa" ? ["-b", "2048"] : []), "-N", "", "-f", f]);
    lines.push(`HostKey ${f}`);
  }
  const cfg = join(dir, "sshd_config");
  writeFileSync(cfg, [...lines, ...config, ""].join("\n"));
  const port = await freePort();
  return daemon("/usr/sbin/sshd", ["-D", "-e", "-f", cfg, "-p", String(port)], port);
}

/** Legacy algorithms switched back on next to OpenSSH's defaults. */
export const SSHD_WEAK = [
  "KexAlgorithms +diffie-hellman-group1-sha1,diffie-hellman-group-exchange-sha1,diffie-hellman-group14-sha1",
  "Ciphers +aes128-cbc,3des-cbc",
  "MACs +hmac-md5,hmac-sha1-96",
  "HostKeyAlgorithms +ssh-rsa",
];

/** Modern algorithms only. */
export const SSHD_HARDENED = [
  "KexAlgorithms sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org",
  "HostKeyAlgorithms ssh-ed25519",
  "Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr",
  "MACs hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com,umac-128-etm@openssh.com",
];

export async function dropbear(key: "rsa" | "ed25519"): Promise<Peer> {
  const f = join(tmp(), `dropbear_${key}`);
  run("dropbearkey", ["-t", key, "-f", f, ...(key === "rsa" ? ["-s", "2048"] : [])]);
  const port = await freePort();
  return daemon("dropbear", ["-F", "-E", "-p", `127.0.0.1:${port}`, "-r", f], port);
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

/** An SSH binary packet (no MAC) around `payload`, padded to a multiple of 8 as RFC 4253 asks. */
export function packet(payload: Buffer): Buffer {
  let pad = 8 - ((5 + payload.length) % 8);
  if (pad < 4) pad += 8;
  return Buffer.concat([u32(1 + payload.length + pad), Buffer.from([pad]), payload, Buffer.alloc(pad)]);
}

/** A KEXINIT payload with these ten name-lists (kex, host key, ciphers x2, MACs x2, compression x2, languages x2). */
export function kexinit(lists: string[][]): Buffer {
  const parts = [Buffer.from([20]), Buffer.alloc(16, 0xab)];
  for (const l of lists) {
    const s = Buffer.from(l.join(","));
    parts.push(u32(s.length), s);
  }
  parts.push(Buffer.from([0]), u32(0));
  return Buffer.concat(parts);
}

export function lists(kex: string[], hostKey: string[], ciphers: string[], macs: string[]): string[][] {
  return [kex, hostKey, ciphers, ciphers, macs, macs, ["none"], ["none"], [], []];
}
