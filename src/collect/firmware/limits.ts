// Limits that keep hostile images from exhausting memory or time. Every format charges what it
// produces; the first limit crossed stops the unpack with a LimitError that says which limit,
// and what was unpacked before it stays.

export interface LimitSettings {
  /** Total bytes produced by decompression and extraction across the whole image. */
  maxTotalBytes: number;
  /** Largest output/input ratio for one compressed stream (decompression bombs). */
  maxRatio: number;
  /** How deep payloads may nest (image in gzip in vendor header ...). */
  maxDepth: number;
  maxFiles: number;
  /** Wall-clock budget for unpacking and analysis. */
  maxMillis: number;
}

export const DEFAULT_LIMITS: LimitSettings = {
  maxTotalBytes: 4 * 1024 ** 3,
  maxRatio: 1000,
  maxDepth: 8,
  maxFiles: 1_000_000,
  maxMillis: 10 * 60 * 1000,
};

export interface StreamCap {
  max: number;
  limit: keyof LimitSettings;
  why: string;
}

export class LimitError extends Error {
  override name = "LimitError";
  constructor(
    readonly limit: keyof LimitSettings,
    message: string,
  ) {
    super(message);
  }
}

export class Budget {
  bytes = 0;
  files = 0;
  private readonly started = Date.now();
  constructor(readonly settings: LimitSettings = DEFAULT_LIMITS) {}

  /** Room left for output, so decompressors can stop early instead of overshooting. */
  remainingBytes(): number {
    return Math.max(0, this.settings.maxTotalBytes - this.bytes);
  }

  chargeBytes(n: number, what: string): void {
    this.bytes += n;
    if (this.bytes > this.settings.maxTotalBytes)
      throw new LimitError(
        "maxTotalBytes",
        `${what}: unpacked data exceeds ${fmt(this.settings.maxTotalBytes)} in total (raise --max-unpacked if the image is really this large)`,
      );
  }

  chargeFile(what: string): void {
    this.files++;
    if (this.files > this.settings.maxFiles)
      throw new LimitError("maxFiles", `${what}: more than ${this.settings.maxFiles} files`);
  }

  /**
   * Output bound for one compressed stream of `inputBytes`: the ratio limit, capped by what is
   * left of the total. `why` says which of the two it is, for the error a codec raises.
   */
  streamCap(inputBytes: number): StreamCap {
    const byRatio = Math.max(1024 * 1024, inputBytes * this.settings.maxRatio);
    const left = this.remainingBytes();
    return byRatio <= left
      ? {
          max: byRatio,
          limit: "maxRatio",
          why: `more than ${this.settings.maxRatio} times its compressed size (a decompression bomb?)`,
        }
      : {
          max: left,
          limit: "maxTotalBytes",
          why: `past the ${fmt(this.settings.maxTotalBytes)} limit on unpacked data in total`,
        };
  }

  /** Milliseconds left of the time budget (external tools get at most this long). */
  remainingMillis(): number {
    return Math.max(0, this.settings.maxMillis - (Date.now() - this.started));
  }

  checkTime(what: string): void {
    if (Date.now() - this.started > this.settings.maxMillis)
      throw new LimitError(
        "maxMillis",
        `${what}: time limit of ${Math.round(this.settings.maxMillis / 1000)} s reached`,
      );
  }

  checkDepth(depth: number, what: string): void {
    if (depth > this.settings.maxDepth)
      throw new LimitError("maxDepth", `${what}: payloads nest deeper than ${this.settings.maxDepth} levels`);
  }
}

function fmt(n: number): string {
  return n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GiB` : `${(n / 1024 ** 2).toFixed(0)} MiB`;
}
