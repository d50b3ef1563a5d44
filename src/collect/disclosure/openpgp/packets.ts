// OpenPGP packet framing (RFC 9580 section 4.2): old-format and new-format headers. Partial body
// lengths are allowed only for data packets, which a key or a signature never is, so they are
// refused here.
import { PgpFormatError, Reader } from "./reader.js";

export const TAG = {
  signature: 2,
  secretKey: 5,
  publicKey: 6,
  secretSubkey: 7,
  userId: 13,
  publicSubkey: 14,
  userAttribute: 17,
} as const;

export interface Packet {
  tag: number;
  body: Uint8Array;
  /** Offset of the packet header in the stream, for error messages. */
  offset: number;
}

/** Key files and signature blocks are small; a stream with more packets is not one of them. */
const MAX_PACKETS = 2000;

export function readPackets(bytes: Uint8Array): Packet[] {
  const r = new Reader(bytes, "the OpenPGP data");
  const out: Packet[] = [];
  while (r.remaining > 0) {
    if (out.length >= MAX_PACKETS) throw new PgpFormatError(`more than ${MAX_PACKETS} packets`);
    const offset = r.offset;
    const ctb = r.u8();
    if ((ctb & 0x80) === 0)
      throw new PgpFormatError(
        `byte ${offset} is not a packet header (0x${ctb.toString(16)}): not OpenPGP data`,
      );
    let tag: number;
    let length: number;
    if (ctb & 0x40) {
      tag = ctb & 0x3f;
      const first = r.u8();
      if (first < 192) length = first;
      else if (first < 224) length = ((first - 192) << 8) + r.u8() + 192;
      else if (first === 255) length = r.u32();
      else
        throw new PgpFormatError(
          `packet at byte ${offset} uses partial body lengths, which keys and signatures never do`,
        );
    } else {
      tag = (ctb >> 2) & 0x0f;
      const type = ctb & 0x03;
      if (type === 0) length = r.u8();
      else if (type === 1) length = r.u16();
      else if (type === 2) length = r.u32();
      else length = r.remaining; // indeterminate: to the end of the stream
    }
    out.push({ tag, body: r.take(length), offset });
  }
  return out;
}
