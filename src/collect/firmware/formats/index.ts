// Every payload format Concord unpacks natively. Order matters only for equal offsets: the first
// whose probe accepts wins.
import { cpioFormat } from "./cpio.js";
import { gzipFormat } from "./gzip.js";
import { tarFormat } from "./tar.js";
import type { Format } from "./types.js";

export const FORMATS: readonly Format[] = [gzipFormat, tarFormat, cpioFormat];
