// Deterministic garbage for the parser fuzz tests: a seeded PRNG (mulberry32), random buffers and
// mutations of valid messages (bit flips, truncation, splices), so a failure replays exactly.
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomBytes(r: () => number, max: number): Buffer {
  const n = Math.floor(r() * max);
  return Buffer.from(Array.from({ length: n }, () => Math.floor(r() * 256)));
}

/** A valid message damaged in one of several ways. */
export function mutate(r: () => number, valid: Buffer): Buffer {
  const b = Buffer.from(valid);
  switch (Math.floor(r() * 4)) {
    case 0: // flip some bytes
      for (let i = 0; i < 1 + Math.floor(r() * 4); i++) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
      return b;
    case 1: // truncate
      return b.subarray(0, Math.floor(r() * b.length));
    case 2: // splice random bytes in
      return Buffer.concat([
        b.subarray(0, Math.floor(r() * b.length)),
        randomBytes(r, 16),
        b.subarray(Math.floor(r() * b.length)),
      ]);
    default: // set a byte to a length-ish extreme
      b[Math.floor(r() * b.length)] = [0x00, 0x7f, 0x80, 0x81, 0x84, 0xff, 0xc0, 0x3f][Math.floor(r() * 8)]!;
      return b;
  }
}

/** Run `parse` over garbage: it may return or throw `allowed`, nothing else, and never hang. */
export function fuzz(
  parse: (b: Buffer) => unknown,
  allowed: new (...a: never[]) => Error,
  valid: Buffer[],
  rounds = 3000,
  seed = 20261125,
): void {
  const r = rng(seed);
  for (let i = 0; i < rounds; i++) {
    const input = i % 3 === 0 ? randomBytes(r, 300) : mutate(r, valid[i % valid.length]!);
    try {
      parse(input);
    } catch (e) {
      if (!(e instanceof allowed))
        throw new Error(
          `round ${i}: ${(e as Error).name}: ${(e as Error).message} on ${input.toString("hex")}`,
          { cause: e },
        );
    }
  }
}
