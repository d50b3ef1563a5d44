// Evidence kinds produced by the firmware collector, with their data shapes. Locations are
// "<filesystem id>:<path>" (plus ":line" where a line is meant), e.g. "squashfs@0x120000:/etc/shadow".

export const FW = {
  image: "firmware.image",
  account: "firmware.account",
  service: "firmware.service",
  hazard: "firmware.config-hazard",
  secret: "firmware.secret",
  component: "firmware.component",
  elf: "firmware.elf",
  update: "firmware.update",
  personalData: "firmware.personal-data",
} as const;

/** One per image: how it unpacked, so checks can tell "nothing found" from "nothing read". */
export interface FirmwareImageData {
  path: string;
  sha256: string;
  bytes: number;
  layers: {
    path: string;
    format: string;
    offset: number;
    length: number;
    detail?: Record<string, unknown>;
  }[];
  filesystems: { id: string; format: string; files: number }[];
  problems: string[];
  stoppedBy?: string;
  /** Which analyzers ran, with versions: a check only concludes from analyzers that ran. */
  analyzers: Record<string, string>;
}

export type PasswordState = "empty" | "locked" | "hash" | "cracked" | "unknown";

export interface AccountData {
  user: string;
  uid: number;
  gid: number;
  shell: string;
  home: string;
  /** Whether the shell lets the account log in interactively. */
  loginShell: boolean;
  state: PasswordState;
  /** crypt scheme of the hash: des, md5, apr1, sha256, sha512, bcrypt, yescrypt, other. */
  scheme?: string;
  /** Set when the hash cracked against the default-credential dictionary. */
  password?: string;
  /** Where the hash was read: "shadow", "passwd", "shadow-" (a backup left behind). */
  from: string;
  /** Set when the dictionary attack stopped at its work limit before trying every candidate. */
  crackLimited?: boolean;
}

export interface ServiceData {
  /** telnetd, sshd, dropbear, httpd, lighttpd, uhttpd, upnpd, ftpd, tftpd, console-shell, debug-shell, listener, snmpd ... */
  service: string;
  /** The program started, as written. */
  command: string;
  /** What starts it: inittab, rc.local, init.d, procd, systemd, inetd, xinetd, script. */
  startedBy: string;
  enabled: boolean;
  /** Service-specific: { passwordAuth: true, rootLogin: true, port: 23, noLogin: true } */
  detail?: Record<string, unknown>;
}

export interface HazardData {
  /** upnp-secure-mode-off, open-wifi, remote-admin-http, snmp-default-community, world-writable, ... */
  hazard: string;
  detail: string;
}

export interface SecretData {
  /** private-key, certificate, api-token, password, pkcs12 */
  type: string;
  format: string;
  /** sha256 of the DER key or the token itself: equal values across images are the same secret. */
  fingerprint: string;
  keyType?: string;
  bits?: number;
  /** Certificates only. */
  subject?: string;
  issuer?: string;
  selfSigned?: boolean;
  notAfter?: string;
  encrypted?: boolean;
  /** sha256 of the public key (SPKI DER): a certificate and its private key share it. */
  spki?: string;
  /** Passwords and tokens: the name the value was assigned to (password, api_key, psk). */
  name?: string;
}

export interface ComponentData {
  name: string;
  version: string;
  purl?: string;
  cpe?: string;
  /** How it was identified: opkg, dpkg, rpm, fingerprint, vermagic, kernel-module. */
  method: string;
  /** The bytes or line that identified it. */
  match: string;
  fileSha256?: string;
  supplier?: string;
  licenses?: string[];
  /** 0 to 1: a package database entry 1, a dated version banner 0.9, a version in a file name 0.6. */
  confidence?: number;
  /** What it is, for SBOM component types. */
  role?: "application" | "library" | "operating-system";
  /** Every file it was found in (one component per name and version); the evidence location is the first. */
  occurrences?: { path: string; sha256?: string; offset?: number; match?: string }[];
  /** Further identifications of the same component, e.g. the version banner in a file a package owns. */
  corroboratedBy?: { method: string; confidence: number; match: string }[];
}

export interface ElfData {
  arch: string;
  bits: 32 | 64;
  endian: "little" | "big";
  type: "exec" | "dyn" | "rel" | "core" | "other";
  nx: boolean;
  pie: boolean;
  relro: "none" | "partial" | "full";
  canary: boolean;
  fortify: boolean;
  rpath?: string;
  runpath?: string;
  stripped: boolean;
  /** Mode bits of the file: set-user-ID / set-group-ID programs run with their owner's rights. */
  setuid?: boolean;
  setgid?: boolean;
  /** Imports bind/listen/accept: the program serves the network itself. */
  listens?: boolean;
  /** PT_INTERP (the dynamic loader) and DT_NEEDED libraries. */
  interp?: string;
  needed?: string[];
  /** Parts of the file that could not be read (truncated tables): the flags above may be incomplete. */
  problems?: string[];
}

export interface UpdateData {
  /** signing-key, sysupgrade, update-url, verification */
  hint: string;
  detail: string;
  url?: string;
  plainHttp?: boolean;
}

export interface PersonalDataStore {
  store: "sqlite" | "plain";
  detail: string;
  /** What it holds: contacts, messages, call-log, location, credentials, wifi-credentials, biometrics, media, accounts, health, history. */
  categories?: string[];
  /** SQLite: table names (with rows where counted). */
  tables?: string[];
  /** Rows, cards, networks or files found in it. */
  records?: number;
}
