// A bounded reader for flattened device trees (devicetree specification, "DTB format"): a
// big-endian header, a structure block of tokens (begin node, property, end node) and a block
// of property names. Every offset is checked against the blob; nesting and counts are capped so
// a hostile tree cannot loop or exhaust memory.
import { u32be } from "../../source.js";

export const FDT_MAGIC = 0xd00dfeed;
const HEADER = 40;
const BEGIN_NODE = 1;
const END_NODE = 2;
const PROP = 3;
const NOP = 4;
const END = 9;
const MAX_DEPTH = 64;
const MAX_NODES = 100_000;

export interface FdtProp {
  value: Uint8Array;
  /** Where the value starts, from the start of the blob (to hand out embedded images in place). */
  at: number;
}

export interface FdtNode {
  name: string;
  props: Map<string, FdtProp>;
  children: FdtNode[];
}

export interface FdtHeader {
  totalsize: number;
  structStart: number;
  structEnd: number;
  stringsStart: number;
  stringsEnd: number;
}

/** The header's layout, or why it is not a device tree header. */
export function readFdtHeader(h: Uint8Array, available: number): FdtHeader | string {
  if (h.length < HEADER || u32be(h, 0) !== FDT_MAGIC) return "no device tree header";
  const totalsize = u32be(h, 4);
  const version = u32be(h, 20);
  const lastCompatible = u32be(h, 24);
  if (totalsize < HEADER || totalsize > available) return `total size ${totalsize} is beyond the image`;
  if (version < 16 || lastCompatible > 17) return `unsupported version ${version}`;
  const structStart = u32be(h, 8);
  const stringsStart = u32be(h, 12);
  // size_dt_strings is there from version 3, size_dt_struct from version 17.
  const stringsEnd = stringsStart + u32be(h, 32);
  const structEnd = version >= 17 ? structStart + u32be(h, 36) : totalsize;
  if (structStart < HEADER || structEnd > totalsize || structStart > structEnd || structStart % 4)
    return "structure block is outside the blob";
  if (stringsStart < HEADER || stringsEnd > totalsize || stringsStart > stringsEnd)
    return "strings block is outside the blob";
  return { totalsize, structStart, structEnd, stringsStart, stringsEnd };
}

function cString(b: Uint8Array, start: number, end: number): { text: string; next: number } | undefined {
  const stop = b.subarray(start, end).indexOf(0);
  if (stop < 0) return undefined;
  return { text: Buffer.from(b.subarray(start, start + stop)).toString("latin1"), next: start + stop + 1 };
}

/** The tree, or why the structure block cannot be read. */
export function parseFdt(blob: Uint8Array, hdr: FdtHeader): FdtNode | string {
  const stack: FdtNode[] = [];
  let root: FdtNode | undefined;
  let nodes = 0;
  let pos = hdr.structStart;
  while (pos + 4 <= hdr.structEnd) {
    const token = u32be(blob, pos);
    pos += 4;
    if (token === BEGIN_NODE) {
      const name = cString(blob, pos, hdr.structEnd);
      if (!name) return `node name at 0x${pos.toString(16)} is not terminated`;
      pos = Math.ceil(name.next / 4) * 4;
      if (++nodes > MAX_NODES) return `more than ${MAX_NODES} nodes`;
      if (stack.length >= MAX_DEPTH) return `nodes nest deeper than ${MAX_DEPTH}`;
      const node: FdtNode = { name: name.text, props: new Map(), children: [] };
      if (stack.length) stack.at(-1)!.children.push(node);
      else if (root) return "more than one root node";
      else root = node;
      stack.push(node);
    } else if (token === END_NODE) {
      if (!stack.pop()) return `unbalanced end of node at 0x${(pos - 4).toString(16)}`;
    } else if (token === PROP) {
      if (pos + 8 > hdr.structEnd) return "property header runs past the structure block";
      const len = u32be(blob, pos);
      const nameOff = u32be(blob, pos + 4);
      const at = pos + 8;
      if (at + len > hdr.structEnd)
        return `property at 0x${(pos - 4).toString(16)} runs past the structure block`;
      const name = cString(blob, hdr.stringsStart + nameOff, hdr.stringsEnd);
      if (!name || nameOff >= hdr.stringsEnd - hdr.stringsStart)
        return `property name offset ${nameOff} is outside the strings block`;
      const owner = stack.at(-1);
      if (!owner) return "property outside any node";
      owner.props.set(name.text, { value: blob.subarray(at, at + len), at });
      pos = Math.ceil((at + len) / 4) * 4;
    } else if (token === NOP) {
      continue;
    } else if (token === END) {
      break;
    } else return `unknown token ${token} at 0x${(pos - 4).toString(16)}`;
  }
  if (!root) return "no root node";
  if (stack.length) return "structure block ends inside a node";
  return root;
}

export const child = (node: FdtNode | undefined, name: string) => node?.children.find((c) => c.name === name);

/** A string property (the first of a string list). */
export function propString(node: FdtNode, name: string): string | undefined {
  const p = node.props.get(name);
  if (!p) return undefined;
  const stop = p.value.indexOf(0);
  return Buffer.from(p.value.subarray(0, stop < 0 ? p.value.length : stop)).toString("utf8");
}

/** A one- or two-cell number property. */
export function propNumber(node: FdtNode, name: string): number | undefined {
  const p = node.props.get(name);
  if (p?.value.length === 4) return u32be(p.value, 0);
  if (p?.value.length === 8) return u32be(p.value, 0) * 2 ** 32 + u32be(p.value, 4);
  return undefined;
}
