// Reading an SBOM: the format is told from the content (never the file name), the text is fed to
// the format's streaming reader chunk by chunk, and components go to the caller as they complete.
// A syntax error stops the reading where it is, keeps what was read and names the place.

import { createReadStream } from "node:fs";
import { JsonStream, JsonSyntaxError, type Pos } from "./json-stream.js";
import { XmlStream, XmlSyntaxError } from "./xml-stream.js";
import { JsonSbomSink } from "./json.js";
import { CDX_VERSIONS, CdxXmlReader, SbomFormatError } from "./cyclonedx.js";
import { SPDX_VERSIONS, TagValueReader } from "./spdx.js";
import { Problems, show, type Place } from "./common.js";
import type { ComponentSink, SbomComponent, SbomDocument, SbomResult, SbomSummary } from "./types.js";

/** Tags an SPDX tag-value document may open with. */
const TV_OPENING = new Set([
  "SPDXVersion",
  "DataLicense",
  "SPDXID",
  "DocumentName",
  "DocumentNamespace",
  "ExternalDocumentRef",
  "LicenseListVersion",
  "Creator",
  "Created",
  "CreatorComment",
  "DocumentComment",
]);

export type Detected = "json" | "xml" | "spdx-tag-value";

/**
 * The encoding family of a document from its first characters: "json" (CycloneDX or SPDX, told
 * apart by their members), "xml" (CycloneDX, by its namespace) or SPDX tag-value. undefined when
 * the head is neither; "more" when the head is too short to tell.
 */
export function detectSbomFormat(head: string): Detected | "more" | undefined {
  const s = head.replace(/^\uFEFF/, "");
  const m = /\S/.exec(s);
  if (!m) return "more";
  const c = s[m.index];
  if (c === "{" || c === "[") return "json";
  if (c === "<") return "xml";
  // tag-value: the first line that is neither blank nor a comment
  let from = 0;
  for (;;) {
    const nl = s.indexOf("\n", from);
    const line = (nl < 0 ? s.slice(from) : s.slice(from, nl)).trim();
    if (line !== "" && !line.startsWith("#")) {
      if (nl < 0 && !/:/.test(line)) return s.length > 4096 ? undefined : "more";
      const t = /^([A-Za-z][A-Za-z0-9_-]*)\s*:/.exec(line);
      return t && TV_OPENING.has(t[1]!) ? "spdx-tag-value" : undefined;
    }
    if (nl < 0) return "more";
    from = nl + 1;
  }
}

export interface SbomReaderOptions {
  /** CycloneDX vulnerabilities (JSON shape, from JSON or XML), for the VEX reader. */
  onVulnerability?: (v: unknown, at: Place) => void;
  /** Keep every top-level JSON member, for documents that are not SBOMs (OpenVEX, CSAF). */
  keepTopLevel?: boolean;
  /** Most problems listed before the rest are only counted. */
  maxProblems?: number;
  /** false: the document need not be an SBOM (the VEX reader judges it); no document is made. */
  sbom?: boolean;
}

/** A push reader: write() the text in chunks, end() for the summary. */
export class SbomReader {
  readonly problems: Problems;
  private head = "";
  private detected: Detected | undefined;
  private json?: { stream: JsonStream; sink: JsonSbomSink };
  private xml?: { stream: XmlStream; reader: CdxXmlReader };
  private tv?: TagValueReader;
  private failed = false;
  private stopped = false;
  private count = 0;
  private xmlSubject: SbomComponent | undefined;
  private xmlSubjectRef: string | undefined;
  private tvSubject: SbomComponent | undefined;
  private readonly onComponent: ComponentSink;

  constructor(
    readonly file: string,
    onComponent: ComponentSink,
    private readonly opts: SbomReaderOptions = {},
  ) {
    this.problems = new Problems(file, opts.maxProblems);
    this.onComponent = (c) => {
      this.count++;
      if (this.tv && c.bomRef && !this.tvSubject && this.tv.describes[0] === c.bomRef) this.tvSubject = c;
      onComponent(c);
    };
  }

  /** The format family, once known. */
  get family(): Detected | undefined {
    return this.detected;
  }

  /** The JSON sink (top-level members), when the document is JSON. */
  get jsonSink(): JsonSbomSink | undefined {
    return this.json?.sink;
  }

  /** Whether reading stopped at a fatal problem. */
  get hasFailed(): boolean {
    return this.failed;
  }

  /** Stops reading: later chunks are ignored. */
  stop(): void {
    this.stopped = true;
  }

  get isDone(): boolean {
    return this.stopped || this.failed;
  }

  write(chunk: string): void {
    if (this.failed || this.stopped) return;
    if (!this.detected) {
      this.head += chunk;
      const d = detectSbomFormat(this.head);
      if (d === "more") return;
      if (d === undefined) return this.unknown();
      this.start(d);
      const h = this.head.replace(/^\uFEFF/, "");
      this.head = "";
      this.feed(h);
      return;
    }
    this.feed(chunk);
  }

  end(): SbomSummary {
    if (!this.detected && !this.failed) {
      const d = detectSbomFormat(this.head);
      if (d === undefined || d === "more") this.unknown();
      else {
        this.start(d);
        this.feed(this.head.replace(/^\uFEFF/, ""));
      }
    }
    if (!this.failed && !this.stopped) {
      this.guard(() => {
        this.json?.stream.end();
        this.xml?.stream.end();
        this.tv?.end();
      });
    }
    return { document: this.document(), count: this.count, problems: this.problems.done() };
  }

  private unknown(): void {
    this.failed = true;
    const s = this.head.replace(/^\uFEFF/, "").trimStart();
    this.problems.add(
      { path: "", line: 1, col: 1 },
      s === ""
        ? "the file is empty"
        : `not a recognised SBOM: expected CycloneDX JSON or XML, SPDX JSON or SPDX tag-value, found ${show(s.slice(0, 40))}`,
      undefined,
      true,
    );
  }

  private start(d: Detected): void {
    this.detected = d;
    if (d === "json") {
      const holder: { stream?: JsonStream } = {};
      const sink = new JsonSbomSink(
        {
          onComponent: this.onComponent,
          onVulnerability: this.opts.onVulnerability,
          keepTopLevel: this.opts.keepTopLevel,
        },
        this.problems,
        () => holder.stream!.currentPos(),
      );
      const stream = new JsonStream(sink);
      holder.stream = stream;
      this.json = { stream, sink };
    } else if (d === "xml") {
      const reader = new CdxXmlReader(
        {
          onComponent: this.onComponent,
          onSubject: (c, ref) => {
            this.xmlSubject = c;
            this.xmlSubjectRef = ref;
          },
          onVulnerability: this.opts.onVulnerability,
        },
        this.problems,
      );
      this.xml = { stream: new XmlStream(reader), reader };
    } else {
      this.tv = new TagValueReader(this.onComponent, this.problems);
    }
  }

  private feed(text: string): void {
    this.guard(() => {
      if (this.json) this.json.stream.write(text);
      else if (this.xml) this.xml.stream.write(text);
      else this.tv?.write(text);
    });
  }

  private guard(f: () => void): void {
    try {
      f();
    } catch (e) {
      if (e instanceof JsonSyntaxError) this.fatal(e.reason, { line: e.line, col: e.col }, e.path);
      else if (e instanceof XmlSyntaxError) this.fatal(e.reason, { line: e.line, col: e.col }, e.path);
      else if (e instanceof SbomFormatError) this.fatal(e.reason, e.pos, e.path);
      else throw e;
    }
  }

  private fatal(reason: string, pos: Pos, path: string): void {
    this.failed = true;
    this.problems.add(
      { path, ...pos },
      `${reason}; reading stopped, what came before is kept`,
      undefined,
      true,
    );
  }

  /** The CycloneDX XML reader (namespace, serial number, version), when the document is XML. */
  get xmlReader(): CdxXmlReader | undefined {
    return this.xml?.reader;
  }

  private document(): SbomDocument | undefined {
    if (this.opts.sbom === false) return undefined;
    if (this.json) {
      const sink = this.json.sink;
      if (this.failed && Object.keys(sink.top).length === 0 && this.count === 0) return undefined;
      return sink.finish(this.file, { line: 1, col: 1 });
    }
    if (this.xml) {
      const r = this.xml.reader;
      if (!r.ns) return undefined;
      const doc: SbomDocument = { file: this.file, format: "cyclonedx-xml" };
      if (r.specVersion) {
        doc.specVersion = r.specVersion;
        if (!CDX_VERSIONS.includes(r.specVersion))
          this.problems.add(
            { path: "/bom", ...r.rootPos },
            `CycloneDX namespace version ${r.specVersion} is not one Concord reads (${CDX_VERSIONS.join(", ")}); read as 1.6`,
            "xmlns",
          );
      }
      if (r.serialNumber) doc.serialNumber = r.serialNumber;
      if (r.version !== undefined && Number.isFinite(r.version)) doc.version = r.version;
      if (r.created) doc.created = r.created;
      if (this.xmlSubject) doc.subject = this.xmlSubject;
      if (this.xmlSubjectRef) doc.subjectRef = this.xmlSubjectRef;
      return doc;
    }
    if (this.tv) {
      const t = this.tv;
      const doc: SbomDocument = { file: this.file, format: "spdx-tag-value" };
      if (t.specVersion) {
        doc.specVersion = t.specVersion;
        if (!SPDX_VERSIONS.includes(t.specVersion))
          this.problems.add(
            { path: "line 1", line: 1, col: 1 },
            `SPDXVersion ${show(t.specVersion)} is not one Concord reads (${SPDX_VERSIONS.join(", ")}); read as SPDX-2.3`,
            "SPDXVersion",
          );
      } else this.problems.add({ path: "line 1", line: 1, col: 1 }, "SPDXVersion is missing", "SPDXVersion");
      if (t.name) doc.name = t.name;
      if (t.namespace) doc.serialNumber = t.namespace;
      if (t.created) doc.created = t.created;
      if (t.describes[0]) doc.subjectRef = t.describes[0];
      if (this.tvSubject) doc.subject = this.tvSubject;
      return doc;
    }
    return undefined;
  }
}

const CHUNK = 1 << 20;

async function streamInto(file: string, reader: { write(s: string): void; isDone: boolean }): Promise<void> {
  const stream = createReadStream(file, { encoding: "utf8", highWaterMark: CHUNK });
  try {
    for await (const chunk of stream) {
      reader.write(chunk as string);
      if (reader.isDone) break;
    }
  } finally {
    stream.destroy();
  }
}

/** The described package of an SPDX document whose DESCRIBES came after it: a second, bounded pass. */
function needsSubjectPass(s: SbomSummary): string | undefined {
  const d = s.document;
  if (!d || d.subject || !d.subjectRef) return undefined;
  return d.format === "spdx-json" || d.format === "spdx-tag-value" ? d.subjectRef : undefined;
}

function subjectReader(file: string, ref: string, found: (c: SbomComponent) => void): SbomReader {
  const r: SbomReader = new SbomReader(file, (c) => {
    if (c.bomRef === ref) {
      found(c);
      r.stop();
    }
  });
  return r;
}

/**
 * Streams the components of the SBOM in `file` to `onComponent` as they are read; memory stays
 * bounded by the largest single component, not the document.
 */
export async function scanSbom(
  file: string,
  onComponent: ComponentSink,
  opts: SbomReaderOptions = {},
): Promise<SbomSummary> {
  const reader = new SbomReader(file, onComponent, opts);
  await streamInto(file, reader);
  const summary = reader.end();
  const ref = needsSubjectPass(summary);
  if (ref && summary.document) {
    let subject: SbomComponent | undefined;
    await streamInto(
      file,
      subjectReader(file, ref, (c) => {
        subject = c;
      }),
    );
    if (subject) summary.document.subject = subject;
  }
  return summary;
}

/** Reads every component of the SBOM in `file`. */
export async function readSbom(file: string, opts: SbomReaderOptions = {}): Promise<SbomResult> {
  const components: SbomComponent[] = [];
  const summary = await scanSbom(file, (c) => components.push(c), opts);
  return { ...summary, components };
}

/** Reads an SBOM held in memory. */
export function parseSbom(text: string, file = "<input>", opts: SbomReaderOptions = {}): SbomResult {
  const components: SbomComponent[] = [];
  const reader = new SbomReader(file, (c) => components.push(c), opts);
  reader.write(text);
  const summary = reader.end();
  const ref = needsSubjectPass(summary);
  if (ref && summary.document) {
    const r = subjectReader(file, ref, (c) => {
      summary.document!.subject = c;
    });
    r.write(text);
  }
  return { ...summary, components };
}
