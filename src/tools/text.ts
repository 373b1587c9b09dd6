/** Longest line shown in full; minified files would otherwise flood the context. */
const MAX_LINE_CHARS = 2000;

/** Splits text into lines without their terminators ("\n" or "\r\n"). A final newline adds no empty line. */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines.map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
}

/** `   12| text` lines, numbers right-aligned to the widest one shown. */
export function renderNumberedLines(lines: readonly string[], firstLine: number): string {
  const width = Math.max(4, String(firstLine + lines.length - 1).length);
  return lines
    .map((line, index) => `${String(firstLine + index).padStart(width)}| ${clipLine(line, MAX_LINE_CHARS)}`)
    .join("\n");
}

export function clipLine(line: string, maxChars: number): string {
  if (line.length <= maxChars) return line;
  return `${line.slice(0, maxChars)}… [${line.length - maxChars} more characters on this line]`;
}

/** 1-based line number of a character offset. */
export function lineNumberAt(text: string, offset: number): number {
  let line = 1;
  for (let index = text.indexOf("\n"); index !== -1 && index < offset; index = text.indexOf("\n", index + 1)) line++;
  return line;
}

/** Like git: a NUL byte in the first 8000 bytes means binary. */
export function isBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8000).includes(0);
}
