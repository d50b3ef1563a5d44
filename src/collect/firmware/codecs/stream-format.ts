// What every compressed-stream format does once its header is recognised: decompress what
// follows within the budget's cap, keep a truncated stream's decoded prefix with a note, report
// integrity warnings as notes, charge the output, and claim exactly the stream's bytes so a
// payload placed right after it (a root filesystem after a kernel) is still carved.
import type { Extracted, FormatContext } from "../formats/types.js";
import { bufferSource, FormatError, type Source } from "../source.js";
import { decompress, type Codec } from "./index.js";

export function extractStream(
  codec: Codec,
  id: string,
  src: Source,
  offset: number,
  ctx: FormatContext,
): Extracted {
  const at = `${id}@0x${offset.toString(16)}`;
  const what = `${src.name} ${at}`;
  const input = src.read(offset, src.size - offset);
  const r = decompress(codec, input, ctx.budget.streamCap(input.length), what, { partial: true });
  if (r.truncated && r.data.length === 0)
    throw new FormatError(`${what}: stream is truncated before any data`);
  for (const w of r.warnings ?? []) ctx.note(w);
  if (r.truncated) ctx.note(`${what}: stream is truncated; kept the ${r.data.length} bytes that decoded`);
  ctx.budget.chargeBytes(r.data.length, what);
  return {
    kind: "stream",
    data: bufferSource(`${src.name} > ${at}`, r.data),
    consumed: r.consumed ?? input.length,
  };
}
