/** Share of the budget given to the head; the tail gets the rest (errors and summaries tend to come last). */
const HEAD_SHARE = 0.4;

/** A cut this close to a line break moves to the break, so lines are not split. */
const LINE_SNAP_BYTES = 200;

/**
 * Caps text at about `maxBytes` UTF-8 bytes, keeping the head and the tail with a marker line
 * `[... N bytes omitted ...]` in between. Text within the budget comes back unchanged.
 */
export function truncateMiddle(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxBytes) return text;
  const headEnd = snapHeadEnd(bytes, Math.floor(maxBytes * HEAD_SHARE));
  const tailStart = snapTailStart(bytes, bytes.length - Math.floor(maxBytes * (1 - HEAD_SHARE)));
  const omitted = tailStart - headEnd;
  const head = bytes.subarray(0, headEnd).toString("utf8");
  const tail = bytes.subarray(tailStart).toString("utf8");
  return `${head}${head.endsWith("\n") ? "" : "\n"}[... ${omitted} bytes omitted ...]\n${tail}`;
}

// --- internal ---

function snapHeadEnd(bytes: Buffer, end: number): number {
  if (end <= 0) return 0;
  const newline = bytes.lastIndexOf(0x0a, end - 1);
  if (newline >= 0 && end - newline <= LINE_SNAP_BYTES) return newline + 1;
  return charBoundary(bytes, end);
}

function snapTailStart(bytes: Buffer, start: number): number {
  const newline = bytes.indexOf(0x0a, start);
  if (newline >= 0 && newline - start < LINE_SNAP_BYTES) return newline + 1;
  return charBoundary(bytes, start);
}

/** Moves back to the first byte of a UTF-8 character so no character is cut in half. */
function charBoundary(bytes: Buffer, index: number): number {
  let boundary = index;
  while (boundary > 0 && ((bytes[boundary] ?? 0) & 0xc0) === 0x80) boundary--;
  return boundary;
}
