// The shape every version scheme shares: validation and a three-way comparison that may decline.

/** The orderings Concord knows. Package managers map onto these in `index.ts`. */
export type Ecosystem = "semver" | "pep440" | "maven" | "debian" | "opkg" | "rpm" | "alpine" | "generic";

/** -1, 0 or 1; `undefined` means "cannot compare" (a version is not valid in the scheme), never a guess. */
export type Order = -1 | 0 | 1;

export interface VersionScheme<P = unknown> {
  ecosystem: Ecosystem;
  /** The parsed form, or undefined when the string is not a version of this scheme. */
  parse(v: string): P | undefined;
  compare(a: string, b: string): Order | undefined;
}

export function sign(n: number): Order {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/** Compares two strings of ASCII digits as unbounded non-negative integers. */
export function compareDigits(a: string, b: string): Order {
  const x = a.replace(/^0+/, "");
  const y = b.replace(/^0+/, "");
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Byte-wise (ASCII) string order, independent of locale. */
export function compareAscii(a: string, b: string): Order {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Builds `compare` from `parse` and a comparison of parsed forms. */
export function scheme<P>(
  ecosystem: Ecosystem,
  parse: (v: string) => P | undefined,
  cmp: (a: P, b: P) => Order | undefined,
): VersionScheme<P> {
  return {
    ecosystem,
    parse,
    compare(a, b) {
      const x = parse(a);
      const y = parse(b);
      if (x === undefined || y === undefined) return undefined;
      return cmp(x, y);
    },
  };
}
