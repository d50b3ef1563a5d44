// Every payload format Concord unpacks natively. Order matters only for equal offsets: the first
// whose probe accepts wins.
import { cpioFormat } from "./cpio.js";
import { gzipFormat } from "./gzip.js";
import { squashfsFormat } from "./squashfs/index.js";
import { tarFormat } from "./tar.js";
import { uimageFormat } from "./uimage.js";
import { fitFormat } from "./fit/index.js";
import { trxFormat } from "./trx.js";
import { jffs2Format } from "./jffs2/index.js";
import { extFormat } from "./ext/index.js";
import { zipFormat } from "./zip/index.js";
import { xzFormat } from "./xz.js";
import { lzmaFormat } from "./lzma.js";
import { bzip2Format } from "./bzip2.js";
import { zstdFormat } from "./zstd.js";
import { lzopFormat } from "./lzop.js";
import { EXTERNAL_FORMATS } from "./external/index.js";
import type { Format } from "./types.js";

export const FORMATS: readonly Format[] = [
  xzFormat,
  lzmaFormat,
  bzip2Format,
  zstdFormat,
  lzopFormat,
  gzipFormat,
  tarFormat,
  cpioFormat,
  squashfsFormat,
  uimageFormat,
  fitFormat,
  trxFormat,
  jffs2Format,
  extFormat,
  zipFormat,
  ...EXTERNAL_FORMATS,
];
