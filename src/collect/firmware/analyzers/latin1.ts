// Several analyzers scan the same binary as latin1 text (one character per byte, so string
// offsets are byte offsets). The walk hands them the same bytes one file at a time, so caching
// the last conversion saves a copy of every binary per analyzer.

let lastBuffer: ArrayBufferLike | undefined;
let lastOffset = -1;
let lastLength = -1;
let lastText = "";

export function latin1(bytes: Uint8Array): string {
  if (bytes.buffer === lastBuffer && bytes.byteOffset === lastOffset && bytes.byteLength === lastLength)
    return lastText;
  lastText = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  lastBuffer = bytes.buffer;
  lastOffset = bytes.byteOffset;
  lastLength = bytes.byteLength;
  return lastText;
}
