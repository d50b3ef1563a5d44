// The xz "branch/call/jump" filters and the delta filter, decode direction. Kernels and SquashFS
// images are often xz-compressed with one of these in front of LZMA2 (the kernel's xz_wrap.sh picks
// the one for its architecture). Each turns the absolute addresses the encoder wrote back into
// relative ones; written from the descriptions of the xz filters, applied to a whole block at once.

export const FILTER_NAMES: Record<number, string> = {
  0x03: "delta",
  0x04: "x86",
  0x05: "powerpc",
  0x06: "ia64",
  0x07: "arm",
  0x08: "armthumb",
  0x09: "sparc",
  0x0a: "arm64",
  0x0b: "riscv",
  0x21: "lzma2",
};

/** Undo filter `id` in place over buf[start, end); `prop` is the BCJ start offset or the delta distance. */
export function unfilter(id: number, buf: Uint8Array, start: number, end: number, prop: number): void {
  const b = buf.subarray(start, end);
  switch (id) {
    case 0x03:
      return delta(b, prop);
    case 0x04:
      return x86(b, prop);
    case 0x05:
      return powerpc(b, prop);
    case 0x07:
      return arm(b, prop);
    case 0x08:
      return armThumb(b, prop);
    case 0x09:
      return sparc(b, prop);
    case 0x0a:
      return arm64(b, prop);
  }
}

export function isSupportedFilter(id: number): boolean {
  return id === 0x03 || id === 0x04 || id === 0x05 || (id >= 0x07 && id <= 0x0a);
}

function delta(b: Uint8Array, distance: number): void {
  for (let i = distance; i < b.length; i++) b[i] = (b[i]! + b[i - distance]!) & 0xff;
}

const isMsByte = (x: number) => x === 0 || x === 0xff;
const X86_ALLOWED = [true, true, true, false, true, false, false, false];
const X86_BIT = [0, 1, 2, 2, 3, 3, 3, 3];

function x86(b: Uint8Array, nowPos: number): void {
  if (b.length < 5) return;
  let prevMask = 0;
  let prevPos = (nowPos - 5) >>> 0;
  const limit = b.length - 5;
  let i = 0;
  while (i <= limit) {
    let x = b[i]!;
    if (x !== 0xe8 && x !== 0xe9) {
      i++;
      continue;
    }
    const offset = (nowPos + i - prevPos) >>> 0;
    prevPos = (nowPos + i) >>> 0;
    if (offset > 5) prevMask = 0;
    else for (let k = 0; k < offset; k++) prevMask = ((prevMask & 0x77) << 1) & 0xff;
    x = b[i + 4]!;
    if (isMsByte(x) && X86_ALLOWED[(prevMask >>> 1) & 7] && prevMask >>> 1 < 0x10) {
      let src = ((x << 24) | (b[i + 3]! << 16) | (b[i + 2]! << 8) | b[i + 1]!) >>> 0;
      let dest: number;
      for (;;) {
        dest = (src - (nowPos + i + 5)) >>> 0;
        if (prevMask === 0) break;
        const bit = X86_BIT[prevMask >>> 1]!;
        x = (dest >>> (24 - bit * 8)) & 0xff;
        if (!isMsByte(x)) break;
        src = (dest ^ (2 ** (32 - bit * 8) - 1)) >>> 0;
      }
      b[i + 4] = (dest >>> 24) & 1 ? 0xff : 0;
      b[i + 3] = (dest >>> 16) & 0xff;
      b[i + 2] = (dest >>> 8) & 0xff;
      b[i + 1] = dest & 0xff;
      i += 5;
      prevMask = 0;
    } else {
      i++;
      prevMask |= 1;
      if (isMsByte(x)) prevMask |= 0x10;
    }
  }
}

function arm(b: Uint8Array, nowPos: number): void {
  for (let i = 0; i + 4 <= b.length; i += 4) {
    if (b[i + 3] !== 0xeb) continue;
    const src = ((b[i + 2]! << 16) | (b[i + 1]! << 8) | b[i]!) * 4;
    const dest = ((src - (nowPos + i + 8)) >>> 0) >>> 2;
    b[i + 2] = (dest >>> 16) & 0xff;
    b[i + 1] = (dest >>> 8) & 0xff;
    b[i] = dest & 0xff;
  }
}

function armThumb(b: Uint8Array, nowPos: number): void {
  for (let i = 0; i + 4 <= b.length; i += 2) {
    if ((b[i + 1]! & 0xf8) !== 0xf0 || (b[i + 3]! & 0xf8) !== 0xf8) continue;
    const src = (((b[i + 1]! & 7) << 19) | (b[i]! << 11) | ((b[i + 3]! & 7) << 8) | b[i + 2]!) * 2;
    const dest = ((src - (nowPos + i + 4)) >>> 0) >>> 1;
    b[i + 1] = 0xf0 | ((dest >>> 19) & 7);
    b[i] = (dest >>> 11) & 0xff;
    b[i + 3] = 0xf8 | ((dest >>> 8) & 7);
    b[i + 2] = dest & 0xff;
    i += 2;
  }
}

function powerpc(b: Uint8Array, nowPos: number): void {
  for (let i = 0; i + 4 <= b.length; i += 4) {
    if (b[i]! >>> 2 !== 0x12 || (b[i + 3]! & 3) !== 1) continue;
    const src = ((b[i]! & 3) << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | (b[i + 3]! & ~3 & 0xff);
    const dest = (src - (nowPos + i)) >>> 0;
    b[i] = 0x48 | ((dest >>> 24) & 3);
    b[i + 1] = (dest >>> 16) & 0xff;
    b[i + 2] = (dest >>> 8) & 0xff;
    b[i + 3] = (b[i + 3]! & 3) | (dest & 0xff);
  }
}

function sparc(b: Uint8Array, nowPos: number): void {
  for (let i = 0; i + 4 <= b.length; i += 4) {
    const b0 = b[i]!;
    const b1 = b[i + 1]!;
    if (!((b0 === 0x40 && (b1 & 0xc0) === 0) || (b0 === 0x7f && (b1 & 0xc0) === 0xc0))) continue;
    const src = (((b0 << 24) | (b1 << 16) | (b[i + 2]! << 8) | b[i + 3]!) << 2) >>> 0;
    let dest = ((src - (nowPos + i)) >>> 0) >>> 2;
    dest = ((((0 - ((dest >>> 22) & 1)) << 22) & 0x3fffffff) | (dest & 0x3fffff) | 0x40000000) >>> 0;
    b[i] = dest >>> 24;
    b[i + 1] = (dest >>> 16) & 0xff;
    b[i + 2] = (dest >>> 8) & 0xff;
    b[i + 3] = dest & 0xff;
  }
}

function arm64(b: Uint8Array, nowPos: number): void {
  for (let i = 0; i + 4 <= b.length; i += 4) {
    let instr = (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
    let pc = (nowPos + i) >>> 0;
    if (instr >>> 26 === 0x25) {
      // BL: 26-bit word offset.
      pc = (0 - (pc >>> 2)) >>> 0;
      instr = (0x94000000 | ((instr + pc) & 0x03ffffff)) >>> 0;
    } else if ((instr & 0x9f000000) >>> 0 === 0x90000000) {
      // ADRP: 21-bit page offset, only the common +-512 MiB range is converted.
      const src = ((instr >>> 29) & 3) | ((instr >>> 3) & 0x001ffffc);
      if ((src + 0x00020000) & 0x001c0000) continue;
      pc = (0 - (pc >>> 12)) >>> 0;
      const dest = (src + pc) >>> 0;
      instr = (instr & 0x9000001f) >>> 0;
      instr =
        (instr |
          ((dest & 3) << 29) |
          ((dest & 0x0003fffc) << 3) |
          ((0 - (dest & 0x00020000)) & 0x00e00000)) >>>
        0;
    } else continue;
    b[i] = instr & 0xff;
    b[i + 1] = (instr >>> 8) & 0xff;
    b[i + 2] = (instr >>> 16) & 0xff;
    b[i + 3] = instr >>> 24;
  }
}
