// U-Boot FIT images: a flattened device tree whose /images node holds the kernel, ramdisk and
// device trees (embedded in a `data` property, or stored after the tree with data-offset or
// data-position and data-size), and whose /configurations node says which go together. Each
// image becomes a container part named after its node; hash and signature nodes are reported,
// since a signed FIT is what verified boot (and so update integrity) rests on.
import { FormatError, type Source } from "../../source.js";
import { hex, type Format } from "../types.js";
import { child, parseFdt, propNumber, propString, readFdtHeader, type FdtNode } from "./fdt.js";

interface FitTree {
  root: FdtNode;
  images: FdtNode;
  totalsize: number;
}

/** The parsed tree when it is a FIT image, or why it is not. */
function readFit(src: Source, offset: number): FitTree | string {
  const hdr = readFdtHeader(src.read(offset, 40), src.size - offset);
  if (typeof hdr === "string") return hdr;
  const root = parseFdt(src.read(offset, hdr.totalsize), hdr);
  if (typeof root === "string") return root;
  const images = child(root, "images");
  // A plain device tree (a board's DTB) has the same magic and no /images node.
  if (!images) return "a device tree without /images (not a FIT image)";
  return { root, images, totalsize: hdr.totalsize };
}

const subnodes = (node: FdtNode, prefix: string) => node.children.filter((c) => c.name.startsWith(prefix));

export const fitFormat: Format = {
  id: "fit",
  version: "1",
  magics: [{ bytes: hex("d00dfeed"), at: 0 }],
  probe(src, offset) {
    return typeof readFit(src, offset) !== "string";
  },
  extract(src, offset, ctx) {
    const what = `${src.name} fit@0x${offset.toString(16)}`;
    const fit = readFit(src, offset);
    if (typeof fit === "string") throw new FormatError(`${what}: ${fit}`);
    // External data (mkimage -E) is placed after the tree, from its size rounded up to 4 bytes.
    const externalBase = Math.ceil(fit.totalsize / 4) * 4;
    const parts: { offset: number; length: number; label: string }[] = [];
    const images: Record<string, unknown>[] = [];
    let consumed = fit.totalsize;
    let signed = false;
    for (const img of fit.images.children.slice(0, 1024)) {
      const hashes = subnodes(img, "hash").map((h) => propString(h, "algo") ?? "unknown");
      const signatures = subnodes(img, "signature").map((s) => propString(s, "algo") ?? "unknown");
      signed ||= signatures.length > 0;
      images.push({
        name: img.name,
        description: propString(img, "description"),
        type: propString(img, "type"),
        arch: propString(img, "arch"),
        os: propString(img, "os"),
        compression: propString(img, "compression"),
        hashes,
        signatures,
      });
      const data = img.props.get("data");
      const size = propNumber(img, "data-size");
      const position = propNumber(img, "data-position");
      const external = propNumber(img, "data-offset");
      let start: number | undefined;
      let length: number | undefined;
      if (data) [start, length] = [data.at, data.value.length];
      else if (size !== undefined && position !== undefined) [start, length] = [position, size];
      else if (size !== undefined && external !== undefined)
        [start, length] = [externalBase + external, size];
      if (start === undefined || length === undefined) {
        ctx.note(`${what}: image "${img.name}" has no data`);
        continue;
      }
      if (offset + start + length > src.size) {
        ctx.note(`${what}: data of image "${img.name}" lies beyond the end of the image`);
        continue;
      }
      parts.push({ offset: start, length, label: img.name });
      consumed = Math.max(consumed, start + length);
    }
    const configs = child(fit.root, "configurations");
    const configurations = (configs?.children ?? []).slice(0, 1024).map((c) => {
      const signatures = subnodes(c, "signature").map((s) => propString(s, "algo") ?? "unknown");
      signed ||= signatures.length > 0;
      return { name: c.name, description: propString(c, "description"), signatures };
    });
    return {
      kind: "container",
      parts,
      consumed,
      detail: {
        description: propString(fit.root, "description"),
        timestamp: propNumber(fit.root, "timestamp"),
        images,
        configurations,
        defaultConfiguration: configs ? propString(configs, "default") : undefined,
        signed,
      },
    };
  },
};
