// Reading a VEX document, the format told from the content: CycloneDX (JSON or XML, a standalone
// VEX or vulnerabilities inside a BOM) is streamed like an SBOM, keeping only the identity of each
// component for the affects refs; OpenVEX and CSAF documents are read whole (they are small), with
// positions kept for every message.

import { createReadStream } from "node:fs";
import { SbomReader } from "../sbom/read.js";
import type { Place } from "../sbom/common.js";
import type { Pos } from "../sbom/json-stream.js";
import type { SbomComponent } from "../sbom/types.js";
import { cdxStatements, type CdxComponentIdentity } from "./cyclonedx.js";
import { csafStatements, csafDocument, isCsaf } from "./csaf.js";
import { isOpenVex, openVexDocument, openVexStatements } from "./openvex.js";
import type { VexDocument, VexResult, VexStatement } from "./types.js";

/** A push reader for VEX documents: write() chunks, end() for the statements. */
export class VexReader {
  private readonly sbom: SbomReader;
  private readonly components = new Map<string, CdxComponentIdentity>();
  private readonly vulns: { v: unknown; at: Place }[] = [];

  constructor(readonly file: string) {
    this.sbom = new SbomReader(file, (c) => this.remember(c), {
      sbom: false,
      keepTopLevel: true,
      onVulnerability: (v, at) => this.vulns.push({ v, at }),
    });
  }

  private remember(c: SbomComponent): void {
    if (!c.bomRef) return;
    const id: CdxComponentIdentity = { name: c.name, version: c.version };
    if (c.purl) id.purl = c.purl;
    if (c.cpe) id.cpe = c.cpe;
    this.components.set(c.bomRef, id);
  }

  get isDone(): boolean {
    return this.sbom.isDone;
  }

  write(chunk: string): void {
    this.sbom.write(chunk);
  }

  end(): VexResult {
    this.sbom.end();
    const problems = this.sbom.problems;
    const file = this.file;
    let document: VexDocument | undefined;
    let statements: VexStatement[] = [];
    const family = this.sbom.family;
    const sink = this.sbom.jsonSink;
    const xml = this.sbom.xmlReader;
    if (this.sbom.hasFailed) {
      // a syntax error: statements from a document read in part would be guesses
    } else if (family === "json" && sink) {
      const top = sink.top;
      if (isOpenVex(top)) {
        document = openVexDocument(top, file);
        statements = openVexStatements(top, sink.topPos, file, problems);
      } else if (isCsaf(top)) {
        document = csafDocument(top, file);
        statements = csafStatements(top, sink.topPos, this.vulns, file, problems);
      } else if (top.bomFormat !== undefined || top.specVersion !== undefined || this.vulns.length) {
        document = { file, format: "cyclonedx" };
        if (typeof top.serialNumber === "string") document.id = top.serialNumber;
        if (typeof top.specVersion === "string") document.version = top.specVersion;
        if (sink.created) document.timestamp = sink.created;
        statements = this.cdx(document);
      } else {
        const p: Pos = { line: 1, col: 1 };
        problems.add(
          { path: "$", ...p },
          "not a VEX document: expected CycloneDX (bomFormat, vulnerabilities), OpenVEX (@context) or CSAF (document.csaf_version)",
          undefined,
          true,
        );
      }
    } else if (family === "xml" && xml?.ns) {
      document = { file, format: "cyclonedx" };
      if (xml.serialNumber) document.id = xml.serialNumber;
      if (xml.specVersion) document.version = xml.specVersion;
      if (xml.created) document.timestamp = xml.created;
      statements = this.cdx(document);
    } else if (family === "spdx-tag-value") {
      problems.add(
        { path: "line 1", line: 1, col: 1 },
        "an SPDX document carries no VEX statements",
        undefined,
        true,
      );
    }
    return { document, statements, problems: problems.done() };
  }

  private cdx(document: VexDocument): VexStatement[] {
    const ctx = { file: this.file, components: this.components, problems: this.sbom.problems };
    if (document.timestamp) Object.assign(ctx, { timestamp: document.timestamp });
    return this.vulns.flatMap(({ v, at }) => cdxStatements(v, at, ctx));
  }
}

/** Reads the VEX document in `file`. */
export async function readVex(file: string): Promise<VexResult> {
  const reader = new VexReader(file);
  const stream = createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream) {
      reader.write(chunk as string);
      if (reader.isDone) break;
    }
  } finally {
    stream.destroy();
  }
  return reader.end();
}

/** Reads a VEX document held in memory. */
export function parseVex(text: string, file = "<input>"): VexResult {
  const reader = new VexReader(file);
  reader.write(text);
  return reader.end();
}
