// The reflected CRC-32 of PKZIP (polynomial 0xEDB88320), computed from its definition. ZIP and
// uImage use the usual form (register inverted before and after); TRX and JFFS2 use the raw
// register update, so both are offered. (zlib.crc32 only exists from Node 20.15.)

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** Feed `data` into the CRC register `reg`, with no inversion (the Linux kernel's crc32_le). */
export function crc32Update(reg: number, data: Uint8Array): number {
  let c = reg >>> 0;
  for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return c >>> 0;
}

/** The CRC-32 of ZIP, gzip and uImage: crc32("123456789") = 0xCBF43926. */
export function crc32(data: Uint8Array): number {
  return (crc32Update(0xffffffff, data) ^ 0xffffffff) >>> 0;
}
