// The JSON report is the Assessment itself: versioned (format, formatVersion) and documented in
// docs/assessment-json.md. Key order is fixed by construction, so equal inputs give equal bytes.
import type { Assessment } from "../assess/types.js";

export function renderJson(a: Assessment): string {
  return `${JSON.stringify(a, null, 2)}\n`;
}
