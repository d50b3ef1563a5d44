// UBI, the volume layer NAND firmware keeps its root filesystem in, read natively: every
// physical erase block (PEB) starts with an erase-counter header ("UBI#") and, when it holds
// data, a volume-identifier header ("UBI!") that says which volume and logical block it is. The
// volume table (in the internal layout volume) names the volumes. Each volume is reassembled
// from its newest logical blocks and shown as a file "/<name>.img", which the unpacker then
// looks into (a squashfs or UBIFS inside). Written from the on-flash layout in the Linux headers
// (drivers/mtd/ubi/ubi-media.h); no kernel, no MTD layer.
import type { Budget } from "../../limits.js";
import { FormatError, u32be, type Source } from "../../source.js";
import { VirtualFS } from "../../vfs.js";
import { crc32Update } from "../../codecs/checksums.js";
import { ascii, type Format, type FormatContext } from "../types.js";

const EC_MAGIC = 0x55424923; // "UBI#"
const VID_MAGIC = 0x55424921; // "UBI!"
const HEADER = 64;
const LAYOUT_VOLUME = 0x7fffefff;
const RECORD = 172;
const MAX_VOLUMES = 128;
const MAX_NAME = 127;
const VOLUME_FLAGS: Record<number, string> = { 1: "autoresize", 2: "skip-check" };
const TYPES: Record<number, "dynamic" | "static"> = { 1: "dynamic", 2: "static" };

/** UBI's CRC-32: the kernel's crc32_le seeded with all ones and not inverted after. */
const ubiCrc = (b: Uint8Array) => crc32Update(0xffffffff, b);

interface EcHeader {
  vidOffset: number;
  dataOffset: number;
  imageSeq: number;
}

interface VidHeader {
  peb: number;
  type: number;
  volId: number;
  lnum: number;
  dataSize: number;
  usedEbs: number;
  dataPad: number;
  sqnum: number;
}

export interface UbiVolume {
  id: number;
  name: string;
  type: "dynamic" | "static";
  reservedPebs: number;
  /** Bytes the volume may hold (reserved blocks times the usable block size). */
  reservedBytes: number;
  /** Bytes reassembled from the blocks present (up to the last block written). */
  dataBytes: number;
  flags: string[];
  /** The file it is shown as. */
  file: string;
}

function ecHeader(b: Uint8Array): EcHeader | undefined {
  if (b.length < HEADER || u32be(b, 0) !== EC_MAGIC || b[4] !== 1) return undefined;
  if (ubiCrc(b.subarray(0, 60)) !== u32be(b, 60)) return undefined;
  const vidOffset = u32be(b, 16);
  const dataOffset = u32be(b, 20);
  if (vidOffset < HEADER || dataOffset < vidOffset + HEADER || dataOffset > 1 << 22) return undefined;
  return { vidOffset, dataOffset, imageSeq: u32be(b, 24) };
}

const erased = (b: Uint8Array) => b.every((x) => x === 0xff);

/** The PEB size: the distance to the next erase-counter header that agrees with the first. */
function pebSize(src: Source, offset: number, first: EcHeader): number | undefined {
  for (let size = 4096; size <= 1 << 24; size *= 2) {
    if (size <= first.dataOffset) continue;
    if (offset + size + HEADER > src.size) return undefined;
    const next = ecHeader(src.read(offset + size, HEADER));
    if (next && next.vidOffset === first.vidOffset && next.dataOffset === first.dataOffset) return size;
  }
  return undefined;
}

function safeName(raw: string, id: number, taken: Set<string>): string {
  // Control characters and "/" would make odd or nested paths.
  let name = [...raw].map((c) => (c === "/" || c.charCodeAt(0) < 0x20 ? "_" : c)).join("");
  if (name === "") name = `volume${id}`;
  if (name === "." || name === "..") name = `_${name}`;
  let file = `/${name}.img`;
  if (taken.has(file)) file = `/${name}-${id}.img`;
  taken.add(file);
  return file;
}

interface Scan {
  peb: number;
  ec: EcHeader;
  pebs: number;
  lebSize: number;
  /** Newest VID header per volume and logical block. */
  lebs: Map<number, Map<number, VidHeader>>;
  corrupt: number;
}

function scan(src: Source, offset: number, ctx: FormatContext, what: string): Scan {
  const ec = ecHeader(src.read(offset, HEADER));
  if (!ec) throw new FormatError(`${what}: erase-counter header is damaged`);
  const peb = pebSize(src, offset, ec);
  if (peb === undefined)
    throw new FormatError(`${what}: no second erase block header found, so the erase block size is unknown`);
  const lebSize = peb - ec.dataOffset;
  const lebs = new Map<number, Map<number, VidHeader>>();
  const total = Math.floor((src.size - offset) / peb);
  let last = 0;
  let corrupt = 0;
  for (let i = 0; i < total; i++) {
    if (i % 256 === 255) ctx.budget.checkTime(what);
    const at = offset + i * peb;
    const head = src.read(at, HEADER);
    const here = ecHeader(head);
    if (!here) {
      if (erased(head)) continue; // an erased block of the same flash partition
      break;
    }
    last = i + 1;
    // Every block of one image has its headers at the same places; one that differs is damaged.
    if (here.vidOffset !== ec.vidOffset || here.dataOffset !== ec.dataOffset || here.dataOffset >= peb) {
      corrupt++;
      continue;
    }
    const v = src.read(at + here.vidOffset, HEADER);
    if (erased(v)) continue; // free: erased and counted, not yet written
    const vid = vidHeader(v, i, lebSize, total);
    if (!vid) {
      corrupt++;
      continue;
    }
    const volume = lebs.get(vid.volId) ?? lebs.set(vid.volId, new Map()).get(vid.volId)!;
    const prev = volume.get(vid.lnum);
    if (!prev || vid.sqnum > prev.sqnum) volume.set(vid.lnum, vid);
  }
  if (corrupt > 0) ctx.note(`${what}: ${corrupt} erase blocks have a damaged volume header; skipped`);
  return { peb, ec, pebs: last, lebSize, lebs, corrupt };
}

function vidHeader(v: Uint8Array, peb: number, lebSize: number, pebs: number): VidHeader | undefined {
  if (u32be(v, 0) !== VID_MAGIC || v[4] !== 1 || ubiCrc(v.subarray(0, 60)) !== u32be(v, 60)) return undefined;
  const vid: VidHeader = {
    peb,
    type: v[5]!,
    volId: u32be(v, 8),
    lnum: u32be(v, 12),
    dataSize: u32be(v, 20),
    usedEbs: u32be(v, 24),
    dataPad: u32be(v, 28),
    sqnum: u32be(v, 40) * 2 ** 32 + u32be(v, 44),
  };
  const validId = vid.volId < MAX_VOLUMES || vid.volId === LAYOUT_VOLUME;
  if (!TYPES[vid.type] || !validId || vid.lnum >= pebs || vid.dataPad >= lebSize) return undefined;
  if (vid.dataSize > lebSize || vid.usedEbs > pebs) return undefined;
  return vid;
}

interface TableRecord {
  id: number;
  name: string;
  type: "dynamic" | "static";
  reservedPebs: number;
  dataPad: number;
  flags: string[];
}

/** The volume table: the first copy (layout block 0, else 1) whose records all check out. */
function volumeTable(src: Source, offset: number, s: Scan, ctx: FormatContext, what: string): TableRecord[] {
  const layout = s.lebs.get(LAYOUT_VOLUME);
  let fallback: TableRecord[] | undefined;
  for (const lnum of [0, 1]) {
    const vid = layout?.get(lnum);
    if (!vid) continue;
    const count = Math.min(MAX_VOLUMES, Math.floor(s.lebSize / RECORD));
    const table = src.read(offset + vid.peb * s.peb + s.ec.dataOffset, count * RECORD);
    const records: TableRecord[] = [];
    let bad = 0;
    for (let i = 0; i < count && (i + 1) * RECORD <= table.length; i++) {
      const r = table.subarray(i * RECORD, (i + 1) * RECORD);
      const reservedPebs = u32be(r, 0);
      if (reservedPebs === 0) continue; // an empty slot
      const nameLen = (r[14]! << 8) | r[15]!;
      if (ubiCrc(r.subarray(0, 168)) !== u32be(r, 168) || nameLen > MAX_NAME || !TYPES[r[12]!]) {
        bad++;
        continue;
      }
      records.push({
        id: i,
        name: Buffer.from(r.subarray(16, 16 + nameLen)).toString("utf8"),
        type: TYPES[r[12]!]!,
        reservedPebs,
        dataPad: u32be(r, 8),
        flags: Object.entries(VOLUME_FLAGS)
          .filter(([bit]) => r[144]! & Number(bit))
          .map(([, n]) => n),
      });
    }
    if (bad === 0) return records;
    fallback ??= records;
    ctx.note(`${what}: ${bad} records of volume table copy ${lnum} are damaged`);
  }
  if (!fallback) ctx.note(`${what}: no volume table found; volumes are named by number`);
  return fallback ?? [];
}

function volumeReader(
  src: Source,
  offset: number,
  s: Scan,
  blocks: Map<number, VidHeader>,
  usable: number,
  size: number,
  budget: Budget,
  what: string,
): () => Uint8Array {
  return () => {
    budget.chargeBytes(size, what);
    // An unmapped logical block reads as erased flash, as UBI itself returns it.
    const out = new Uint8Array(size).fill(0xff);
    for (const [lnum, vid] of blocks) {
      const at = lnum * usable;
      if (at >= size) continue;
      const length = Math.min(usable, size - at, vid.dataSize > 0 ? vid.dataSize : usable);
      out.set(src.read(offset + vid.peb * s.peb + s.ec.dataOffset, length), at);
    }
    return out;
  };
}

export const ubiFormat: Format = {
  id: "ubi",
  version: "1",
  magics: [{ bytes: ascii("UBI#"), at: 0 }],
  probe(src, offset) {
    return ecHeader(src.read(offset, HEADER)) !== undefined;
  },
  extract(src, offset, ctx) {
    const what = `${src.name} ubi@0x${offset.toString(16)}`;
    const s = scan(src, offset, ctx, what);
    const records = volumeTable(src, offset, s, ctx, what);
    const byId = new Map(records.map((r) => [r.id, r]));
    // Volumes with blocks but no table record are still shown, named by number.
    for (const [id, blocks] of s.lebs) {
      if (id === LAYOUT_VOLUME || byId.has(id)) continue;
      const any = [...blocks.values()][0]!;
      byId.set(id, {
        id,
        name: "",
        type: TYPES[any.type]!,
        reservedPebs: blocks.size,
        dataPad: any.dataPad,
        flags: [],
      });
    }
    const fs = new VirtualFS(`ubi@0x${offset.toString(16)}`);
    const taken = new Set<string>();
    const volumes: UbiVolume[] = [];
    for (const r of [...byId.values()].sort((a, b) => a.id - b.id)) {
      ctx.budget.chargeFile(what);
      const usable = s.lebSize - Math.min(r.dataPad, s.lebSize - 1);
      const blocks = new Map(
        [...(s.lebs.get(r.id) ?? new Map<number, VidHeader>())].filter(([lnum]) => lnum < r.reservedPebs),
      );
      let size: number;
      if (r.type === "static") {
        const first = blocks.get(0);
        const used = first ? Math.min(first.usedEbs, r.reservedPebs) : 0;
        const lastBlock = blocks.get(used - 1);
        size = used > 0 && lastBlock ? (used - 1) * usable + Math.min(lastBlock.dataSize, usable) : 0;
        if (used > 0 && !lastBlock) ctx.note(`${what}: static volume ${r.id} is missing its last block`);
      } else {
        let top = -1;
        for (const lnum of blocks.keys()) top = Math.max(top, lnum);
        size = (top + 1) * usable;
      }
      const file = safeName(r.name, r.id, taken);
      fs.add(file, {
        type: "file",
        mode: 0o644,
        uid: 0,
        gid: 0,
        size,
        read: volumeReader(src, offset, s, blocks, usable, size, ctx.budget, `${what} volume ${r.id}`),
      });
      volumes.push({
        id: r.id,
        name: r.name,
        type: r.type,
        reservedPebs: r.reservedPebs,
        reservedBytes: r.reservedPebs * usable,
        dataBytes: size,
        flags: r.flags,
        file,
      });
    }
    return {
      kind: "filesystem",
      fs,
      consumed: s.pebs * s.peb,
      detail: {
        pebSize: s.peb,
        lebSize: s.lebSize,
        vidHeaderOffset: s.ec.vidOffset,
        dataOffset: s.ec.dataOffset,
        imageSeq: s.ec.imageSeq,
        pebs: s.pebs,
        volumes,
      },
    };
  },
};
