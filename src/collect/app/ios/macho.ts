// Mach-O executables, as an iOS app ships them (thin arm64, or a fat file with several slices):
// the header and load commands give the sections, and the string sections (__TEXT,__cstring and
// every section of type S_CSTRING_LITERALS, __TEXT,__ustring in UTF-16, __TEXT,__const and
// __TEXT,__oslogstring) hold the literals the code uses: URLs, keys. LC_ENCRYPTION_INFO says
// whether the App Store's FairPlay encryption covers them (then they are unreadable), and
// LC_CODE_SIGNATURE leads to the code-signature SuperBlob whose entitlements blob is an XML plist
// (get-task-allow marks a development build). Every count and offset is checked against the file.

export class MachOError extends Error {
  override name = "MachOError";
}

export interface MachOSlice {
  /** CPU type name (arm64, x86_64 ...). */
  cpu: string;
  /** Text of the string sections, latin1 for C strings, decoded for UTF-16; one string per section. */
  strings: { section: string; text: string }[];
  /** cryptid != 0: the encrypted range covers the text. */
  encrypted: boolean;
  /** The entitlements XML plist of the code signature, when there is one. */
  entitlements?: Uint8Array;
}

export const MACHO_LIMITS = {
  maxCommands: 4096,
  maxSections: 1024,
  maxSlices: 8,
  maxSectionBytes: 32 * 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
};

const MH_MAGIC = 0xfeedface;
const MH_MAGIC_64 = 0xfeedfacf;
const FAT_MAGIC = 0xcafebabe;
const FAT_MAGIC_64 = 0xcafebabf;
const LC_SEGMENT = 0x1;
const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;
const LC_ENCRYPTION_INFO = 0x21;
const LC_ENCRYPTION_INFO_64 = 0x2c;
const S_CSTRING_LITERALS = 0x2;
const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
const CSMAGIC_EMBEDDED_ENTITLEMENTS = 0xfade7171;
const CSSLOT_ENTITLEMENTS = 5;

const CPUS: Record<number, string> = {
  7: "x86",
  0x01000007: "x86_64",
  12: "arm",
  0x0100000c: "arm64",
  0x0200000c: "arm64_32",
};

/** True when `b` starts like a Mach-O file, thin or fat. */
export function isMachO(b: Uint8Array): boolean {
  if (b.length < 8) return false;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const le = v.getUint32(0, true);
  const be = v.getUint32(0, false);
  return le === MH_MAGIC || le === MH_MAGIC_64 || be === MH_MAGIC || be === MH_MAGIC_64 || isFat(v, b.length);
}

function isFat(v: DataView, size: number): boolean {
  const m = v.getUint32(0, false);
  // Java class files share 0xcafebabe; their "count" (the version) is far above a few slices.
  return (m === FAT_MAGIC || m === FAT_MAGIC_64) && size >= 8 && v.getUint32(4, false) <= 32;
}

/** Every slice of a Mach-O file (one for a thin file). `file` names it in errors. */
export function readMachO(b: Uint8Array, file: string): MachOSlice[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  function fail(what: string, at: number): never {
    throw new MachOError(`${file}: ${what} at offset 0x${at.toString(16)}`);
  }
  if (b.length < 28) fail(`file of ${b.length} bytes is too short for a Mach-O header`, 0);
  if (isFat(v, b.length)) {
    const wide = v.getUint32(0, false) === FAT_MAGIC_64;
    const n = v.getUint32(4, false);
    const entry = wide ? 32 : 20;
    if (8 + n * entry > b.length) fail(`fat header's ${n} slices run past the end of the file`, 4);
    const out: MachOSlice[] = [];
    let budget = MACHO_LIMITS.maxTotalBytes;
    for (let i = 0; i < Math.min(n, MACHO_LIMITS.maxSlices); i++) {
      const at = 8 + i * entry;
      const off = wide ? Number(v.getBigUint64(at + 8, false)) : v.getUint32(at + 8, false);
      const size = wide ? Number(v.getBigUint64(at + 16, false)) : v.getUint32(at + 12, false);
      if (off + size > b.length || off < 8 + n * entry)
        fail(`slice ${i} (${size} bytes at 0x${off.toString(16)}) is outside the file`, at);
      const slice = readThin(b.subarray(off, off + size), `${file} slice ${i}`, budget);
      budget -= slice.strings.reduce((s, x) => s + x.text.length, 0);
      out.push(slice);
    }
    return out;
  }
  return [readThin(b, file, MACHO_LIMITS.maxTotalBytes)];
}

function readThin(b: Uint8Array, file: string, budget: number): MachOSlice {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  function fail(what: string, at: number): never {
    throw new MachOError(`${file}: ${what} at offset 0x${at.toString(16)}`);
  }
  if (b.length < 28) fail("slice is too short for a Mach-O header", 0);
  const magicLe = v.getUint32(0, true);
  const le = magicLe === MH_MAGIC || magicLe === MH_MAGIC_64;
  const magic = v.getUint32(0, le);
  if (magic !== MH_MAGIC && magic !== MH_MAGIC_64)
    fail(`not a Mach-O file (magic 0x${v.getUint32(0, false).toString(16)})`, 0);
  const is64 = magic === MH_MAGIC_64;
  const u32 = (at: number) => {
    if (at + 4 > b.length) fail("field runs past the end of the slice", at);
    return v.getUint32(at, le);
  };
  const u64 = (at: number) => {
    if (at + 8 > b.length) fail("field runs past the end of the slice", at);
    const n = v.getBigUint64(at, le);
    if (n > BigInt(Number.MAX_SAFE_INTEGER)) fail("field does not fit 53 bits", at);
    return Number(n);
  };
  const name16 = (at: number) => {
    if (at + 16 > b.length) fail("name runs past the end of the slice", at);
    const raw = Buffer.from(b.subarray(at, at + 16)).toString("latin1");
    const z = raw.indexOf("\0");
    return z < 0 ? raw : raw.slice(0, z);
  };
  const cpu = CPUS[u32(4)] ?? `cpu 0x${u32(4).toString(16)}`;
  const ncmds = u32(16);
  const sizeofcmds = u32(20);
  const headerSize = is64 ? 32 : 28;
  if (ncmds > MACHO_LIMITS.maxCommands) fail(`header claims ${ncmds} load commands`, 16);
  if (headerSize + sizeofcmds > b.length) fail(`load commands of ${sizeofcmds} bytes run past the end`, 20);
  const cmdsEnd = headerSize + sizeofcmds;
  const sections: { seg: string; sect: string; offset: number; size: number; flags: number }[] = [];
  let crypt: { off: number; size: number; id: number } | undefined;
  let signature: { off: number; size: number } | undefined;
  for (let i = 0, at = headerSize; i < ncmds; i++) {
    if (at + 8 > cmdsEnd) fail(`load command ${i} runs past the load commands`, at);
    const cmd = u32(at);
    const size = u32(at + 4);
    if (size < 8 || at + size > cmdsEnd) fail(`load command ${i} has size ${size}`, at + 4);
    if (cmd === LC_SEGMENT || cmd === LC_SEGMENT_64) {
      const wide = cmd === LC_SEGMENT_64;
      const segHeader = wide ? 72 : 56;
      const sectSize = wide ? 80 : 68;
      const nsects = u32(at + (wide ? 64 : 48));
      if (segHeader + nsects * sectSize > size) fail(`segment's ${nsects} sections run past its command`, at);
      for (let k = 0; k < nsects; k++) {
        if (sections.length >= MACHO_LIMITS.maxSections)
          fail(`more than ${MACHO_LIMITS.maxSections} sections`, at);
        const s = at + segHeader + k * sectSize;
        sections.push({
          sect: name16(s),
          seg: name16(s + 16),
          size: wide ? u64(s + 40) : u32(s + 36),
          offset: wide ? u32(s + 48) : u32(s + 40),
          flags: wide ? u32(s + 64) : u32(s + 56),
        });
      }
    } else if (cmd === LC_ENCRYPTION_INFO || cmd === LC_ENCRYPTION_INFO_64) {
      crypt = { off: u32(at + 8), size: u32(at + 12), id: u32(at + 16) };
    } else if (cmd === LC_CODE_SIGNATURE) {
      signature = { off: u32(at + 8), size: u32(at + 12) };
    }
    at += size;
  }
  const encrypted = crypt !== undefined && crypt.id !== 0;
  const strings: MachOSlice["strings"] = [];
  let left = budget;
  for (const s of sections) {
    const wanted =
      (s.flags & 0xff) === S_CSTRING_LITERALS ||
      (s.seg === "__TEXT" && ["__cstring", "__ustring", "__const", "__oslogstring"].includes(s.sect));
    if (!wanted || s.size === 0) continue;
    if (s.offset + s.size > b.length)
      fail(
        `section ${s.seg},${s.sect} (${s.size} bytes at 0x${s.offset.toString(16)}) is outside the file`,
        s.offset,
      );
    // Encrypted bytes are noise: skip sections inside the encrypted range.
    if (encrypted && s.offset < crypt!.off + crypt!.size && s.offset + s.size > crypt!.off) continue;
    const size = Math.min(s.size, MACHO_LIMITS.maxSectionBytes, left);
    if (size <= 0) break;
    left -= size;
    const bytes = Buffer.from(b.buffer, b.byteOffset + s.offset, size);
    strings.push({
      section: `${s.seg},${s.sect}`,
      text: s.sect === "__ustring" ? bytes.toString("utf16le") : bytes.toString("latin1"),
    });
  }
  const slice: MachOSlice = { cpu, strings, encrypted };
  if (signature) slice.entitlements = entitlementsOf(b, signature, fail);
  return slice;
}

/** The XML entitlements in a code-signature SuperBlob (big-endian, unlike the rest of the file). */
function entitlementsOf(
  b: Uint8Array,
  sig: { off: number; size: number },
  fail: (what: string, at: number) => never,
): Uint8Array | undefined {
  if (sig.off + sig.size > b.length || sig.size < 12)
    fail(`code signature (${sig.size} bytes at 0x${sig.off.toString(16)}) is outside the file`, sig.off);
  const v = new DataView(b.buffer, b.byteOffset + sig.off, sig.size);
  if (v.getUint32(0) !== CSMAGIC_EMBEDDED_SIGNATURE) return undefined;
  const length = Math.min(v.getUint32(4), sig.size);
  const count = v.getUint32(8);
  if (12 + count * 8 > length) fail(`code signature claims ${count} blobs`, sig.off + 8);
  for (let i = 0; i < count; i++) {
    const type = v.getUint32(12 + i * 8);
    const off = v.getUint32(16 + i * 8);
    if (type !== CSSLOT_ENTITLEMENTS) continue;
    if (off + 8 > length) fail("entitlements blob is outside the code signature", sig.off + 16 + i * 8);
    if (v.getUint32(off) !== CSMAGIC_EMBEDDED_ENTITLEMENTS) return undefined;
    const len = v.getUint32(off + 4);
    if (len < 8 || off + len > length)
      fail(`entitlements blob of ${len} bytes runs past the signature`, sig.off + off);
    return b.subarray(sig.off + off + 8, sig.off + off + len);
  }
  return undefined;
}
