// A minimal Mach-O for tests, written from the format: a 64-bit little-endian header, one
// LC_SEGMENT_64 "__TEXT" with __cstring (and optionally __ustring) sections, optionally
// LC_ENCRYPTION_INFO_64 over the text, and optionally LC_CODE_SIGNATURE pointing at a
// big-endian SuperBlob with an entitlements blob (an XML plist). `fat` wraps slices in a fat file.
export interface MachOSpec {
  cstrings: string[];
  ustring?: string;
  entitlements?: string;
  encrypted?: boolean;
}

const le32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};
const le64 = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
};
const be32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};
const name16 = (s: string) => {
  const b = Buffer.alloc(16);
  b.write(s, "latin1");
  return b;
};

export function writeMachO(spec: MachOSpec): Buffer {
  const cstring = Buffer.from(spec.cstrings.map((s) => `${s}\0`).join(""), "latin1");
  const ustring = spec.ustring !== undefined ? Buffer.from(`${spec.ustring}\0`, "utf16le") : undefined;
  const sections = [{ name: "__cstring", data: cstring, flags: 0x2 }];
  if (ustring) sections.push({ name: "__ustring", data: ustring, flags: 0 });
  const segSize = 72 + sections.length * 80;
  const cmds: Buffer[] = [];
  const ncmdsExtra = (spec.encrypted ? 1 : 0) + (spec.entitlements !== undefined ? 1 : 0);
  const sizeofcmds = segSize + (spec.encrypted ? 24 : 0) + (spec.entitlements !== undefined ? 16 : 0);
  let dataAt = 32 + sizeofcmds;
  const dataStart = dataAt;
  const sectBufs: Buffer[] = [];
  const sectHeaders = sections.map((s) => {
    const h = Buffer.concat([
      name16(s.name),
      name16("__TEXT"),
      le64(0x100000000 + dataAt), // addr
      le64(s.data.length),
      le32(dataAt),
      le32(0),
      le32(0),
      le32(0),
      le32(s.flags),
      le32(0),
      le32(0),
      le32(0),
    ]);
    sectBufs.push(s.data);
    dataAt += s.data.length;
    return h;
  });
  cmds.push(
    Buffer.concat([
      le32(0x19),
      le32(segSize),
      name16("__TEXT"),
      le64(0x100000000),
      le64(dataAt),
      le64(0),
      le64(dataAt),
      le32(5),
      le32(5),
      le32(sections.length),
      le32(0),
      ...sectHeaders,
    ]),
  );
  if (spec.encrypted)
    cmds.push(
      Buffer.concat([le32(0x2c), le32(24), le32(dataStart), le32(dataAt - dataStart), le32(1), le32(0)]),
    );
  let sig = Buffer.alloc(0);
  if (spec.entitlements !== undefined) {
    const ent = Buffer.from(spec.entitlements, "utf8");
    const blob = Buffer.concat([be32(0xfade7171), be32(8 + ent.length), ent]);
    const superBlob = Buffer.concat([
      be32(0xfade0cc0),
      be32(20 + blob.length),
      be32(1),
      be32(5),
      be32(20),
      blob,
    ]);
    sig = superBlob;
    cmds.push(Buffer.concat([le32(0x1d), le32(16), le32(dataAt), le32(sig.length)]));
  }
  const header = Buffer.concat([
    le32(0xfeedfacf),
    le32(0x0100000c), // arm64
    le32(0),
    le32(2), // MH_EXECUTE
    le32(1 + ncmdsExtra),
    le32(sizeofcmds),
    le32(0),
    le32(0),
  ]);
  return Buffer.concat([header, ...cmds, ...sectBufs, sig]);
}

/** A fat (universal) file holding `slices`, each aligned to 16 bytes. */
export function fat(slices: Buffer[]): Buffer {
  const head: Buffer[] = [be32(0xcafebabe), be32(slices.length)];
  let at = 8 + slices.length * 20;
  const bodies: Buffer[] = [];
  for (const s of slices) {
    const pad = (16 - (at % 16)) % 16;
    bodies.push(Buffer.alloc(pad), s);
    at += pad;
    head.push(be32(0x0100000c), be32(0), be32(at), be32(s.length), be32(4));
    at += s.length;
  }
  return Buffer.concat([...head, ...bodies]);
}
