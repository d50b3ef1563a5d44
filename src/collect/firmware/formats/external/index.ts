// Formats Concord reads partly or wholly through an optional external extractor (UBIFS with
// ubi_reader, YAFFS2 with unyaffs; squashfs variants go through squashfs/ to unsquashfs or
// 7-Zip), and the small ones around them read natively (the UBI volume layer, CramFS).
import type { Format } from "../types.js";
import { cramfsFormat } from "./cramfs.js";
import { ubiFormat } from "./ubi.js";
import { ubifsFormat } from "./ubifs.js";
import { yaffs2Format } from "./yaffs2.js";

export const EXTERNAL_FORMATS: readonly Format[] = [ubiFormat, ubifsFormat, cramfsFormat, yaffs2Format];
