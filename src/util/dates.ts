// Calendar dates as ISO strings (YYYY-MM-DD or YYYY-MM). Comparisons are on the string, which is
// correct for this fixed-width format and avoids time-zone surprises.

export const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/;

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** A month-only date counts from the first of the month. */
export function normalizeDate(d: string): string {
  return d.length === 7 ? `${d}-01` : d;
}

export function isOnOrBefore(a: string, b: string): boolean {
  return normalizeDate(a) <= normalizeDate(b);
}

export function isBefore(a: string, b: string): boolean {
  return normalizeDate(a) < normalizeDate(b);
}
