// OpenWrt's UCI configuration files (/etc/config/*): "config <type> ['name']" sections holding
// "option key 'value'" and "list key 'value'" lines. Only what the analyzers need: sections with
// their options, lists and the line each starts on.

export interface UciSection {
  type: string;
  name?: string;
  line: number;
  options: Map<string, { value: string; line: number }>;
  lists: Map<string, { value: string; line: number }[]>;
}

const MAX_SECTIONS = 10_000;

/** Split a UCI line into words, honouring single and double quotes. */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null) {
    if (m[3]?.startsWith("#")) break;
    out.push(m[1] ?? m[2]?.replace(/\\(.)/g, "$1") ?? m[3]!);
  }
  return out;
}

export function parseUci(text: string): UciSection[] {
  const sections: UciSection[] = [];
  let current: UciSection | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    const w = words(raw.trim());
    if (w.length === 0) return;
    if (w[0] === "config" && w[1] && sections.length < MAX_SECTIONS) {
      current = { type: w[1], name: w[2], line: i + 1, options: new Map(), lists: new Map() };
      sections.push(current);
    } else if (current && w[0] === "option" && w[1] !== undefined) {
      current.options.set(w[1], { value: w[2] ?? "", line: i + 1 });
    } else if (current && w[0] === "list" && w[1] !== undefined) {
      const l = current.lists.get(w[1]) ?? [];
      l.push({ value: w[2] ?? "", line: i + 1 });
      current.lists.set(w[1], l);
    }
  });
  return sections;
}

/** UCI booleans: 1, on, yes, true, enabled; 0, off, no, false, disabled. */
export function uciBool(v: string | undefined, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  const s = v.trim().toLowerCase();
  if (["1", "on", "yes", "true", "enabled", "enable"].includes(s)) return true;
  if (["0", "off", "no", "false", "disabled", "disable"].includes(s)) return false;
  return dflt;
}

/** An option's value, or every value of a list of the same name (UCI accepts either). */
export function uciValues(s: UciSection, key: string): { value: string; line: number }[] {
  const o = s.options.get(key);
  return [...(o ? [o] : []), ...(s.lists.get(key) ?? [])];
}
