// Writing an attestation into concord.yaml (or the attestations file) without disturbing anything
// else in it. The yaml Document API finds where the `attestations` list and its entries sit; the
// new entry is spliced into the original text there, so comments, quoting, flow lists and blank
// lines elsewhere stay byte for byte as the author wrote them (re-serialising the whole document
// would reformat them).
import { Document, isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Node } from "yaml";

export interface AttestationEntry {
  requirement?: string;
  provision?: string;
  claim?: "satisfied" | "not-satisfied" | "not-applicable";
  statement: string;
  evidence: string[];
  evidenceSha256: Record<string, string>;
  by: { name: string; role?: string; organisation?: string };
  date: string;
  validUntil?: string;
}

export interface Upserted {
  text: string;
  action: "added" | "replaced";
  /** 1-based line of the entry in the new text. */
  line: number;
  /** The entry replaced, as it was (for the message). */
  replaced?: Record<string, unknown>;
}

/** The entry as YAML lines, in the house style of the examples (flow lists for evidence and by). */
export function renderEntry(e: AttestationEntry): string[] {
  const obj: Record<string, unknown> = {};
  if (e.requirement) obj.requirement = e.requirement;
  if (e.provision) obj.provision = e.provision;
  if (e.claim && e.claim !== "satisfied") obj.claim = e.claim;
  obj.statement = e.statement;
  obj.evidence = e.evidence;
  if (Object.keys(e.evidenceSha256).length > 0) obj.evidenceSha256 = e.evidenceSha256;
  obj.by = Object.fromEntries(Object.entries(e.by).filter(([, v]) => v !== undefined));
  obj.date = e.date;
  if (e.validUntil) obj.validUntil = e.validUntil;
  const doc = new Document(obj);
  const root = doc.contents as unknown as { get(k: string, keep: true): Node };
  (root.get("evidence", true) as { flow?: boolean }).flow = true;
  (root.get("by", true) as { flow?: boolean }).flow = true;
  // Dates quoted, so no YAML 1.1 reader turns them into timestamps.
  for (const k of ["date", "validUntil"]) {
    const n = root.get(k, true) as Scalar | undefined;
    if (n) n.type = Scalar.QUOTE_DOUBLE;
  }
  // The examples write `evidence: [a.md]` but `by: { name: ... }`; one padding setting cannot do
  // both, so the evidence line drops its padding afterwards.
  return doc
    .toString({ lineWidth: 0, flowCollectionPadding: true })
    .trimEnd()
    .split("\n")
    .map((l) => l.replace(/^evidence: \[ (.*) \]$/, "evidence: [$1]"));
}

function block(lines: string[], indent: number): string {
  const pad = " ".repeat(indent);
  return lines.map((l, i) => (i === 0 ? `${pad}- ${l}` : `${pad}  ${l}`)).join("\n") + "\n";
}

const endOfLine = (text: string, at: number) => {
  const nl = text.indexOf("\n", at > 0 && text[at - 1] === "\n" ? at - 1 : at);
  return nl < 0 ? text.length : nl + 1;
};
const startOfLine = (text: string, at: number) => text.lastIndexOf("\n", at - 1) + 1;

function sameTarget(item: unknown, e: AttestationEntry): boolean {
  if (!isMap(item)) return false;
  const req = item.get("requirement");
  const prov = item.get("provision");
  return e.requirement ? req === e.requirement : prov === e.provision;
}

/**
 * Add `entry` to the `attestations` list of the YAML `text`, or, with `replace`, put it in place of
 * the entry for the same requirement or provision (keeping the comments above that entry).
 */
export function upsertAttestation(text: string, entry: AttestationEntry, replace: boolean): Upserted {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, keepSourceTokens: false });
  if (doc.errors.length > 0) throw new Error(`cannot edit: ${doc.errors[0]!.message}`);
  if (doc.contents !== null && !isMap(doc.contents))
    throw new Error("cannot edit: the document is not a mapping");
  const lines = renderEntry(entry);
  const root = doc.contents;
  const pair = root?.items.find((p) => isScalar(p.key) && p.key.value === "attestations");
  const seq = pair?.value;
  const lineAt = (t: string, offset: number) => t.slice(0, offset).split("\n").length;

  if (isSeq(seq) && !seq.flow && seq.range) {
    const indent = lc.linePos(seq.range[0]).col - 1;
    const items = seq.items as Node[];
    const i = replace ? items.findIndex((it) => sameTarget(it, entry)) : -1;
    if (i >= 0) {
      const old = items[i]!;
      const from = startOfLine(text, old.range![0]);
      const to = endOfLine(text, old.range![1]);
      const out = text.slice(0, from) + block(lines, indent) + text.slice(to);
      return {
        text: out,
        action: "replaced",
        line: lineAt(out, from),
        replaced: (old as { toJSON(): Record<string, unknown> }).toJSON(),
      };
    }
    const last = items[items.length - 1]!;
    const at = endOfLine(text, last.range![1]);
    const prefix = text.slice(0, at) + (at > 0 && text[at - 1] !== "\n" ? "\n" : "");
    const out = prefix + block(lines, indent) + text.slice(at);
    return { text: out, action: "added", line: lineAt(out, prefix.length) };
  }

  if (
    pair &&
    (seq === null || seq === undefined || (isScalar(seq) && seq.value === null) || (isSeq(seq) && seq.flow))
  ) {
    // `attestations: []` (the starter manifest), `attestations:` with nothing, or a flow list:
    // the list becomes a block list under the key; entries already in a flow list are kept.
    const keyNode = pair.key as Node;
    const keyCol = lc.linePos(keyNode.range![0]).col - 1;
    const existing = isSeq(seq) ? seq.items.map((it) => (it as { toJSON(): unknown }).toJSON()) : [];
    let t = text;
    if (isSeq(seq) && seq.range) {
      // Drop the flow list; a comment after it stays on the key line, one space from the colon.
      const head = t.slice(0, seq.range[0]).replace(/[ \t]+$/, "");
      const tail = t.slice(seq.range[1]).replace(/^[ \t]+/, "");
      t = head + (tail.startsWith("#") ? " " : "") + tail;
    }
    const at = endOfLine(t, keyNode.range![0] + 1);
    const keep = existing.map((x) => {
      const d = new Document(x);
      return block(
        d.toString({ lineWidth: 0, flowCollectionPadding: true }).trimEnd().split("\n"),
        keyCol + 2,
      );
    });
    const prefix = t.slice(0, at) + (at > 0 && t[at - 1] !== "\n" ? "\n" : "") + keep.join("");
    const out = prefix + block(lines, keyCol + 2) + t.slice(at);
    return { text: out, action: "added", line: lineAt(out, prefix.length) };
  }
  if (pair) throw new Error("cannot edit: `attestations` is not a list");

  const base = text.length === 0 || text.endsWith("\n") ? text : `${text}\n`;
  const prefix = `${base}${base.trim() === "" ? "" : "\n"}attestations:\n`;
  const out = prefix + block(lines, 2);
  return { text: out, action: "added", line: lineAt(out, prefix.length) };
}
